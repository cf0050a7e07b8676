"""Regenerate the list of QC rules in README.md from queries/qc/*.rq (or --check it).

The list sits between the markers `<!-- qc-rules:start -->` and `<!-- qc-rules:end -->`.
Exit codes: 0 up to date (or rewritten), 1 --check found it stale.
"""

from __future__ import annotations

import argparse
import sys

from tipkg.paths import ROOT
from tipkg.validate.qc import load_rules

README = ROOT / "README.md"
START, END = "<!-- qc-rules:start -->", "<!-- qc-rules:end -->"


def rules_table() -> str:
    lines = ["| rule | severity | checks that |", "|---|---|---|"]
    for rule in load_rules():
        lines.append(f"| `{rule.path.name}` | {rule.severity} | {rule.title} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    updated = f"{head}{START}\n{rules_table()}\n{END}{tail}"
    if updated == text:
        return 0
    if args.check:
        print(f"{README}: the QC rule list is stale; run `python scripts/readme_rules.py`")
        return 1
    README.write_text(updated, encoding="utf-8")
    print(f"rewrote the QC rule list in {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
