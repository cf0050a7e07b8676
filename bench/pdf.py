"""The PDF reader's time per page, beside pdftotext's for the same files (issue 16).

    .venv/bin/python bench/pdf.py [--repeat 5] [PDF ...]

For each PDF (default: every data/sources/*.pdf), the median over --repeat runs of:
tipkg's reader alone (pdfminer.six: characters, lines, furniture, notes), the whole extraction of
the report from the PDF (reader, structure, repairs, self-checks), the same extraction from the
text pdftotext makes of it (pdftotext's own time counted), and pdftotext itself (poppler, C++):
seconds per page, and each as a ratio to pdftotext, measured in the same run. pdftotext comes
with Debian's poppler-utils (`apt-get install poppler-utils`); without it, that row says so.
Not a test: figures, never assertions on time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from gate import median_seconds  # bench/gate.py, beside this script

from tipkg import iris
from tipkg.extract.pdf import read_pdf
from tipkg.extract.report import Rules, extract
from tipkg.extract.source import metadata_path, read_source
from tipkg.ontology import load_ontology
from tipkg.paths import SOURCES_DIR
from tipkg.rdf.rules import rules_from
from tipkg.reference import load_reference


def measure(pdf: Path, rules: Rules, pdftotext: str | None, repeat: int) -> list[tuple[str, float]]:
    """(what, median seconds) for one PDF; pdftotext's row first, the baseline, when installed."""
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / pdf.with_suffix(".txt").name
        shutil.copy(metadata_path(pdf), metadata_path(text))

        def convert() -> None:
            assert pdftotext is not None
            subprocess.run([pdftotext, str(pdf), str(text)], check=True)

        def from_text() -> None:
            convert()
            extract(read_source(text), rules)

        if pdftotext:
            rows.append(
                ("pdftotext (poppler) alone: the baseline", median_seconds(convert, repeat)[0])
            )
        rows.append(
            (
                "tipkg's PDF reader alone (pdfminer.six)",
                median_seconds(lambda: read_pdf(pdf), repeat)[0],
            )
        )
        rows.append(
            (
                "the report extracted from the PDF",
                median_seconds(lambda: extract(read_source(pdf), rules), repeat)[0],
            )
        )
        if pdftotext:
            rows.append(
                ("pdftotext, then the report from its text", median_seconds(from_text, repeat)[0])
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pdfs: list[Path] = args.pdfs or sorted(SOURCES_DIR.glob("*.pdf"))
    if not pdfs:
        print("no PDF to measure", file=sys.stderr)
        return 2
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        print("pdftotext not found (apt-get install poppler-utils): no baseline", file=sys.stderr)
    reference = load_ontology() + load_reference()
    rules = rules_from(reference, frozenset({str(iris.organization("upr-wg"))}))
    print(f"{'file':<30} {'pages':>5}  {'what':<42} {'s/page':>8} {'× pdftotext':>11}")
    for pdf in pdfs:
        pages = read_pdf(pdf).pages
        rows = measure(pdf, rules, pdftotext, args.repeat)
        baseline = rows[0][1] if pdftotext else None
        for what, seconds in rows:
            ratio = f"{seconds / baseline:.1f}×" if baseline else "-"
            print(f"{pdf.name:<30} {pages:>5}  {what:<42} {seconds / pages:>8.4f} {ratio:>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
