"""`make bench`: alignment scaling, NER throughput, language id and scale-out (benchmarks/scale.py);
prints a table, writes benchmarks/results.json. SCALE=0 skips the scale section."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from benchmarks import align_scaling

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    results = {"align_scaling": align_scaling.run()}
    print("alignment scaling (synthetic ORG entities, n per language):")
    base = results["align_scaling"][0]
    for row in results["align_scaling"]:
        factor = row["entities_per_language"] / base["entities_per_language"]
        print(f"  n={row['entities_per_language']:>6}  {row['seconds']:>8.3f} s  "
              f"x{row['seconds'] / max(base['seconds'], 1e-9):>7.1f} time for x{factor:.0f} entities  pairs={row['pairs']}")
    try:
        from benchmarks import ner_throughput
        results["ner_throughput"] = ner_throughput.run()
        for row in results["ner_throughput"]:
            print(f"  NER {row['backend']:<7} {row['data']:<8} {row['words_per_second']:>8} words/s (1 thread)")
    except FileNotFoundError as exc:
        print(f"NER throughput skipped: {exc}")
    try:
        from benchmarks import lid
        results["lid"] = lid.run(detectors=lid.OURS)
        print(lid.format_results(results["lid"]))
    except (FileNotFoundError, ImportError) as exc:
        print(f"language-id benchmark skipped: {exc}")
    if os.environ.get("SCALE", "1") != "0":
        try:
            from benchmarks import scale
            results["scale"] = scale.run()
            print(scale.format_results(results["scale"]))
        except FileNotFoundError as exc:
            print(f"scale benchmark skipped: {exc}")
    out = ROOT / "benchmarks" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
