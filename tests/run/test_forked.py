"""pipeline/run/forked.py: the projection search on processes forked from the driver.

Each case runs in a fresh interpreter: whether a process may fork depends on the threads it has, and
the test process has whatever threads earlier tests left (Dask's, torch's)."""
import json
import os
import subprocess
import sys
import threading

import pytest

from pipeline.run.forked import MIN_DOCUMENTS, can_fork

from conftest import ROOT

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the driver forks only on Linux")


def _fresh_python(script: str, *args) -> dict:
    run = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


FAKE = """
import json, os, sys, tempfile
from pathlib import Path
from pipeline.core.records import DocRecord, Document
from pipeline.run.forked import search_in_parallel
from pipeline.run.spill import RecordSpill

class FakeProjector:
    # search: a pure function of the record, None for every third one (no forms to seek there), with
    # the pid of the process that searched; remember keeps what it is given. Inherited by fork.
    def __init__(self):
        self.remembered = {}
    @staticmethod
    def search(record):
        number = int(record.doc_id.split("_")[1])
        return None if number % 3 == 0 else ([(0, number, "ORG")], {}, os.getpid())
    def remember(self, found):
        self.remembered.update(found)

processes, documents = int(sys.argv[1]), int(sys.argv[2])
projector = FakeProjector()
with RecordSpill(Path(tempfile.mkdtemp())) as spill:
    for place in reversed(range(documents)):  # finished out of order, as shards come back
        doc_id = f"doc_{place:04d}"
        spill.put(place, DocRecord(Document(doc_id, doc_id, "0" * 64, f"text {place}", "utf-8")))
    spill.flush()
    position = os.lseek(spill._file.fileno(), 0, os.SEEK_CUR)
    used = search_in_parallel(projector, spill, processes)
    moved = os.lseek(spill._file.fileno(), 0, os.SEEK_CUR) != position
    expected = {r.doc_id: FakeProjector.search(r) for r in spill.records()}
expected = {k: list(v[:2]) for k, v in expected.items() if v is not None}
got = {k: list(v[:2]) for k, v in projector.remembered.items()}
pids = {v[2] for v in projector.remembered.values()}
print(json.dumps({"used": used, "same": got == expected, "searched": len(got), "moved": moved,
                  "driver_searched": os.getpid() in pids, "children": len(pids)}))
"""


@linux
@pytest.mark.parametrize("processes, documents, used", [
    (1, MIN_DOCUMENTS + 50, 0),   # one process: the driver searches as it projects
    (2, MIN_DOCUMENTS - 1, 0),    # too few documents to be worth a fork
    (2, MIN_DOCUMENTS + 50, 2),
    (3, MIN_DOCUMENTS + 50, 3),
])
def test_forked_search_finds_what_the_driver_would(processes, documents, used):
    result = _fresh_python(FAKE, processes, documents)
    assert result["used"] == used
    if used:
        # every document with something to find, searched by children only, the same results as here
        assert result["same"] and result["searched"] == documents - len(range(0, documents, 3))
        assert not result["driver_searched"] and 1 <= result["children"] <= used
    else:
        assert result["searched"] == 0
    assert not result["moved"]  # the children read through handles of their own


REAL = """
import json, sys, tempfile
from pathlib import Path
from pipeline.config import ProjectionConfig
from pipeline.core.records import DocRecord, Document, LanguageResult, Mention, Segment
from pipeline.run.forked import search_in_parallel
from pipeline.run.spill import RecordSpill
from pipeline.stages.align import MentionProjector, ProjectionForms

def record(doc_id, lang, text, names):
    r = DocRecord(Document(doc_id, doc_id, "", text, "utf-8"), LanguageResult(lang, 0.99, False),
                  segments=[Segment(doc_id, 0, 0, len(text), lang, 0.99)])
    r.mentions = [Mention(doc_id, text.index(f), text.index(f) + len(f), f, label, lang, "model", label)
                  for f, label in names]
    return r

texts = [("en", "Mayor Eric Garcetti of Los Angeles met the Red Cross.",
          [("Eric Garcetti", "PER"), ("Los Angeles", "GPE"), ("Red Cross", "ORG")]),
         ("id", "Wali kota Eric Garcetti dari Los Angeles bertemu Joko Widodo.", [("Joko Widodo", "PER")]),
         ("id", "Presiden Joko Widodo bertemu Red Cross.", [("Joko Widodo", "PER")]),
         ("en", "Joko Widodo spoke; nobody listened.", [])]
records = [record(f"doc_{i:04d}.txt", *texts[i % len(texts)]) for i in range(int(sys.argv[1]))]

def projected(search_on):
    forms = ProjectionForms(ProjectionConfig())
    with RecordSpill(Path(tempfile.mkdtemp())) as spill:
        for place, r in enumerate(records):
            forms.add(r)
            spill.put(place, r)
        projector = MentionProjector(forms, ["en", "id"])
        used = search_in_parallel(projector, spill, search_on)
        out = []
        for r in spill.records():
            projector.project(r)
            out.append([(m.start, m.end, m.label, m.source) for m in r.mentions])
    return used, out

serial_used, serial = projected(1)
forked_used, forked = projected(2)
print(json.dumps({"used": [serial_used, forked_used], "same": serial == forked,
                  "projected": sum(m[3] == "projected" for doc in serial for m in doc)}))
"""


@linux
def test_a_real_projector_projects_the_same_from_forked_results():
    result = _fresh_python(REAL, MIN_DOCUMENTS + 20)
    assert result["used"] == [0, 2]
    assert result["same"] and result["projected"] >= MIN_DOCUMENTS  # names projected both ways


def test_no_fork_with_other_threads_running():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()
