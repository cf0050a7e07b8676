"""Extraction's seconds per report (issue 18): the first call in a process, and afterwards.

    .venv/bin/python bench/extract.py [--reports 12] [--passes 3] [--cold] [--corpus DIR]

In one process: the rules loaded as `tipkg build` loads them, then `Rules.warm()` (skipped with
--cold, or where the code has none), then the extraction of --reports synthetic reports of the
100k benchmark corpus (bench/scale.py's `write_corpus(100000, 8, "mixed")`, written into a
temporary directory unless --corpus names one), the 2020 report and the UPR PDFs of
data/sources, --passes times. Printed: the load, the warm-up, the first extraction (the first
report, first pass), and for each kind of source the best pass's seconds per report, reading
(`read_source`: the PDF reader for a PDF) and extracting (`extract`) apart.

To compare two versions of the code, run the script of each (PYTHONPATH=<its src>) in turn,
several times. Not a test: figures, never assertions on time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

started = time.perf_counter()

from scale import write_corpus  # noqa: E402 - bench/scale.py, beside this script

from tipkg import iris  # noqa: E402
from tipkg.extract.report import extract  # noqa: E402
from tipkg.extract.source import read_source  # noqa: E402
from tipkg.ontology import load_ontology  # noqa: E402
from tipkg.paths import SOURCES_DIR  # noqa: E402
from tipkg.rdf.rules import rules_from  # noqa: E402
from tipkg.reference import load_reference  # noqa: E402


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    begun = time.perf_counter()
    result = work()
    return result, time.perf_counter() - begun


def run(corpus: Path, reports: int, passes: int, cold: bool) -> list[str]:
    bodies = frozenset(
        str(iris.organization(key)) for key in ("wg-tip", "cop-untoc", "united-nations")
    )
    rules, load = _timed(lambda: rules_from(load_ontology() + load_reference(), bodies))
    loaded = time.perf_counter() - started
    warm = getattr(rules, "warm", None)
    warmed = 0.0
    if warm is not None and not cold:
        _, warmed = _timed(warm)
    kinds = {
        "corpus report": sorted(corpus.glob("*.txt"))[:reports],
        "2020 report": sorted(SOURCES_DIR.glob("*.txt")),
        "UPR PDF": sorted(SOURCES_DIR.glob("*.pdf")),
    }
    best: dict[Path, tuple[float, float]] = {}
    first = 0.0
    for number in range(passes):
        for paths in kinds.values():
            for path in paths:
                source, read = _timed(lambda: read_source(path))  # noqa: B023
                _, extracted = _timed(lambda: extract(source, rules))  # noqa: B023
                if number == 0 and not first:
                    first = extracted
                seen = best.get(path, (read, extracted))
                best[path] = (min(seen[0], read), min(seen[1], extracted))
    lines = [
        f"load (imports, ontology, reference data, rules): {loaded:.2f} s (rules {load:.2f} s)",
        "warm-up (Rules.warm): "
        + (f"{warmed:.2f} s" if warm is not None and not cold else "not run"),
        f"first extraction in the process: {first:.3f} s",
    ]
    for kind, paths in kinds.items():
        if not paths:
            continue
        read = sum(best[p][0] for p in paths) / len(paths)
        extracted = sum(best[p][1] for p in paths) / len(paths)
        lines.append(
            f"{kind} ({len(paths)}), best of {passes}, per report: read {read:.3f} s, "
            f"extract {extracted:.3f} s"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=12, help="corpus reports to extract")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="no Rules.warm() beforehand")
    parser.add_argument("--corpus", type=Path, help="a corpus written by bench/scale.py")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tipkg-bench-extract-") as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp)
            write_corpus(100_000, 8, "mixed", corpus)
        print("\n".join(run(corpus, args.reports, args.passes, args.cold)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
