"""notebooks/explore.ipynb runs top to bottom against a fresh run of raw/ (so it never rots)."""
from __future__ import annotations

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"

pytestmark = [pytest.mark.models, pytest.mark.slow]


def test_explore_notebook_runs_on_a_sample_run(raw_run, monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason="the test extra (nbformat, nbclient, ipykernel) is not installed")
    nbclient = pytest.importorskip("nbclient", reason="the test extra (nbformat, nbclient, ipykernel) is not installed")
    from jupyter_client.manager import KernelManager

    monkeypatch.setenv("PIPELINE_OUTPUT", str(raw_run))  # the kernel inherits the environment
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws the chart
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    manager = KernelManager(kernel_name="python3", transport="ipc")  # local sockets, no TCP port
    client = nbclient.NotebookClient(notebook, km=manager, timeout=300,
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()  # raises CellExecutionError, with the cell and traceback, when a cell fails

    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") or str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert str(raw_run) in text and "Resolute Support Mission" in text
    assert "English and" in text and "Indonesian entities" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the chart
