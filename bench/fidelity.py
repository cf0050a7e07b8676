#!/usr/bin/env python3
"""Fidelity of the extraction on damaged variants of clean reports (issue 12).

Usage:
    bench/fidelity.py [--variants N] [--seed S] [--level words|pdf|all] [--show N] [--jobs J]
                      [--source FILE.txt ...]

For each clean source (default: the 2020 report in data/sources and the English fixture in
tests/fixtures/sources) and each damage level, N fresh variants are made by scripts/damage.py
(seeds S, S+1, …) and extracted as `tipkg build` extracts them (read_source, then extract with the
rules the build compiles); each clean source is also extracted as it is. Against the truth the
generator writes (computed from the clean source, not by the extractor), it prints:

- texts exact: recommendation texts equal to the truth (runs of whitespace made one space);
- sections right: part numeral and section letter; strengths right: as on the clean source;
- false joins (words separate in the truth joined in the output) and words left split, hyphens
  wrong (kept or lost), page furniture left in a text, a heading swallowed into a text, other
  word differences;
- variants refused (InputError) and warnings given;
- errors without a warning: a recommendation whose text or section is wrong (or that is missing)
  that no warning names (no warning on a line of its span, none that names "recommendation N").
  This is the key figure: it must be 0.

Then the repairs made per kind, the damage applied per kind, and the first --show wrong texts with
their word differences (regenerate one with scripts/damage.py SOURCE --seed S --level L --out DIR).
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import json
import multiprocessing
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from tipkg import iris
from tipkg.errors import InputError, Warning
from tipkg.extract.report import Rules, extract
from tipkg.extract.source import read_source
from tipkg.ontology import load_ontology
from tipkg.paths import ROOT
from tipkg.rdf.rules import rules_from
from tipkg.reference import load_reference

SOURCES = (
    ROOT / "data" / "sources" / "wg-tip-2020-draft-report-add1.fr.txt",
    ROOT / "tests" / "fixtures" / "sources" / "wg-tip-2099-report.en.txt",
)
LEVELS = ("words", "pdf")
CLEAN = "clean"


#: This checkout (the generators beside the bench), whichever tipkg is imported.
HERE = Path(__file__).resolve().parents[1]


def load_script(relative: str, name: str) -> ModuleType:
    """The script at ``relative`` to this checkout (scripts/ is not a package), as module
    ``name``; bench/fidelity_upr.py loads its generator with it too."""
    spec = importlib.util.spec_from_file_location(name, HERE / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


damage = load_script("scripts/damage.py", "damage")

# Page furniture, by its form: a document symbol, a job number, a page number, a bar code.
FURNITURE = re.compile(
    r"\b[A-Z]{1,6}(?:/[A-Z0-9.]+){2,}\b|\b(?:V|GE)\.\d{2}-\d{5}|\b\d{1,3}/\d{1,3}\b|\bPage \d"
    r"|\*\d{6,}\*|[\uf000-\uf0ff]"
)


# A heading swallowed into a text: a part, a section, a recommendation heading.
HEADING = re.compile(r"\b(?:[IVXLC]{1,6}|[A-Z])\. [A-ZÀ-Þ]|Recomm[ae]ndations? \d")


def rules() -> Rules:
    """The rules `tipkg build` compiles (tipkg.build.build)."""
    bodies = frozenset(
        str(iris.organization(key)) for key in ("wg-tip", "cop-untoc", "united-nations")
    )
    return rules_from(load_ontology() + load_reference(), bodies)


_RULES: Rules | None = None
_CLEAN_STRENGTHS: dict[str, dict[int, str | None]] = {}


@dataclass
class RecResult:
    number: int
    text_ok: bool
    section_ok: bool
    strength_ok: bool
    warned: bool
    missing: bool
    diff: Counter[str]
    example: str


@dataclass
class VariantResult:
    source: str
    level: str
    seed: int
    refused: str = ""
    recs: list[RecResult] = field(default_factory=list)
    extra: int = 0  # recommendations extracted that the truth does not have
    repairs: Counter[str] = field(default_factory=Counter)
    damage: Counter[str] = field(default_factory=Counter)
    warnings: int = 0


def word_diff(truth: str, output: str) -> tuple[Counter[str], str]:
    """Kinds of word differences between the truth and the output, and a readable diff."""
    t, o = truth.split(), output.split()
    kinds: Counter[str] = Counter()
    shown: list[str] = []
    matcher = difflib.SequenceMatcher(None, t, o, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        ts, os_ = t[i1:i2], o[j1:j2]
        joined_t, joined_o = "".join(ts), "".join(os_)
        if joined_t == joined_o and len(os_) < len(ts):
            kinds["false-join"] += len(ts) - len(os_)
        elif joined_t == joined_o:
            kinds["left-split"] += len(os_) - len(ts)
        elif joined_t.replace("-", "") == joined_o.replace("-", ""):
            kinds["hyphen"] += 1
        elif FURNITURE.search(" ".join(os_)):
            kinds["furniture"] += 1
        elif HEADING.search(" ".join(os_)):
            kinds["heading"] += 1
        else:
            kinds["other"] += 1
        context = " ".join(t[max(0, i1 - 2) : i1])
        shown.append(f"… {context} [{' '.join(ts)} → {' '.join(os_)}]")
    return kinds, "; ".join(shown)


def _names(warning: Warning, number: int) -> bool:
    return re.search(rf"\brecommendations? {number}\b", warning.problem) is not None


def compare(
    truth: list[dict[str, Any]], recs: list[Any], warnings: list[Warning], clean: dict[int, Any]
) -> tuple[list[RecResult], int]:
    by_number = {rec.number: rec for rec in recs}
    results: list[RecResult] = []
    for expected in truth:
        number = expected["number"]
        first, last = expected["lines"]
        warned = any(
            (w.line is not None and first <= w.line <= last) or _names(w, number) for w in warnings
        )
        rec = by_number.get(number)
        if rec is None:
            results.append(
                RecResult(number, False, False, False, warned, True, Counter(missing=1), "missing")
            )
            continue
        text = " ".join(rec.text.split())
        diff, example = word_diff(expected["text"], text)
        results.append(
            RecResult(
                number,
                text_ok=text == expected["text"],
                section_ok=(rec.part, rec.section) == (expected["part"], expected["section"]),
                strength_ok=rec.strength == clean.get(number),
                warned=warned,
                missing=False,
                diff=diff,
                example=example,
            )
        )
    extra = len(set(by_number) - {e["number"] for e in truth})
    return results, extra


def run_variant(task: tuple[str, str, int]) -> VariantResult:
    """One variant (or the clean source, level "clean") through the build's extraction."""
    source_name, level, seed = task
    source = Path(source_name)
    assert _RULES is not None
    result = VariantResult(source.name, level, seed)
    with tempfile.TemporaryDirectory(prefix="tipkg-fidelity-") as tmp:
        if level == CLEAN:
            path = source
            truth = damage.truth_of_clean(source.read_text(encoding="utf-8"), _lang(source))
        else:
            path = damage.damage_file(source, seed, level, Path(tmp))
            data = json.loads(damage.truth_path(path).read_text(encoding="utf-8"))
            truth = data["recommendations"]
            result.damage = Counter(data["damage"])
        try:
            report, warnings = extract(read_source(path), _RULES)
        except InputError as err:
            result.refused = str(err).replace(str(path), path.name)
            return result
    result.warnings = len(warnings)
    result.repairs = Counter(r.kind for r in report.repairs)
    result.recs, result.extra = compare(
        truth, report.recommendations, warnings, _CLEAN_STRENGTHS[source.name]
    )
    return result


def _lang(source: Path) -> str:
    return str(damage.read_meta(source)["language"])


def _clean_strengths(source: Path) -> dict[int, str | None]:
    assert _RULES is not None
    report, _ = extract(read_source(source), _RULES)
    return {rec.number: rec.strength for rec in report.recommendations}


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:5.1f} % ({n}/{total})" if total else "    – (0/0)"


@dataclass
class Row:
    source: str
    level: str
    variants: int = 0
    refused: int = 0
    recs: int = 0
    text_ok: int = 0
    section_ok: int = 0
    strength_ok: int = 0
    silent: int = 0
    wrong: int = 0
    extra: int = 0
    warnings: int = 0
    diff: Counter[str] = field(default_factory=Counter)
    repairs: Counter[str] = field(default_factory=Counter)
    damage: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def add(self, v: VariantResult, show: int) -> None:
        self.variants += 1
        self.damage.update(v.damage)
        if v.refused:
            self.refused += 1
            self.refusals[re.sub(r"\d+", "N", v.refused)] += 1
            return
        self.warnings += v.warnings
        self.extra += v.extra
        self.repairs.update(v.repairs)
        for rec in v.recs:
            self.recs += 1
            self.text_ok += rec.text_ok
            self.section_ok += rec.section_ok
            self.strength_ok += rec.strength_ok
            self.diff.update(rec.diff)
            if not (rec.text_ok and rec.section_ok):
                self.wrong += 1
                self.silent += not rec.warned
                if len(self.examples) < show:
                    what = "" if rec.section_ok else " (section wrong)"
                    example = rec.example or "text exact"
                    warned = "warned" if rec.warned else "NO WARNING"
                    self.examples.append(
                        f"seed {v.seed} recommendation {rec.number}{what}, {warned}: {example}"
                    )


def report(rows: list[Row], seconds: float) -> str:
    out: list[str] = []
    header = (
        f"{'source':<38} {'level':<6} {'var':>4} {'refused':>7}  {'texts exact':<22} "
        f"{'sections right':<22} {'strengths right':<22} {'false joins':>11} {'left split':>10} "
        f"{'no warning':<20}"
    )
    out.append(header)
    out.append("-" * len(header))
    for row in rows:
        out.append(
            f"{row.source:<38} {row.level:<6} {row.variants:>4} {row.refused:>7}  "
            f"{_pct(row.text_ok, row.recs):<22} {_pct(row.section_ok, row.recs):<22} "
            f"{_pct(row.strength_ok, row.recs):<22} {row.diff['false-join']:>11} "
            f"{row.diff['left-split']:>10} {_pct(row.silent, row.recs):<20}"
        )
    out.append("")
    out.append("Wrong words, by kind (all variants of a row):")
    kinds = ("false-join", "left-split", "hyphen", "furniture", "heading", "other", "missing")
    for row in rows:
        counts = ", ".join(f"{k} {row.diff[k]}" for k in kinds if row.diff[k])
        extra = f"; {row.extra} recommendations extracted that are not in the truth" * bool(
            row.extra
        )
        out.append(
            f"  {row.source} {row.level}: {counts or 'none'}; warnings {row.warnings}; "
            f"recommendations wrong {row.wrong}{extra}"
        )
    out.append("")
    out.append("Repairs made (per variant) / damage applied (per variant):")
    for row in rows:
        n = max(1, row.variants - row.refused)
        repairs = ", ".join(f"{k} {v / n:.1f}" for k, v in sorted(row.repairs.items()))
        applied = ", ".join(
            f"{k} {v / max(1, row.variants):.1f}" for k, v in sorted(row.damage.items())
        )
        out.append(f"  {row.source} {row.level}: repairs: {repairs or 'none'}")
        if applied:
            out.append(f"  {' ' * len(row.source)} {' ' * len(row.level)}  damage:  {applied}")
    refusals = [(row, k, v) for row in rows for k, v in row.refusals.items()]
    if refusals:
        out.append("")
        out.append("Refused (InputError):")
        for row, problem, count in refusals:
            out.append(f"  {row.source} {row.level}: {count} × {problem}")
    examples = [(row, e) for row in rows for e in row.examples]
    if examples:
        out.append("")
        out.append("First wrong texts ([truth → output]):")
        for row, example in examples:
            out.append(f"  {row.source} {row.level}, {example}")
    out.append("")
    out.append(f"{sum(r.variants for r in rows)} extractions in {seconds:.0f} s")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    global _RULES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", type=int, default=50, help="variants per source and level")
    parser.add_argument("--seed", type=int, default=1, help="the first seed")
    parser.add_argument("--level", choices=(*LEVELS, "all"), default="all")
    parser.add_argument("--show", type=int, default=3, help="wrong texts to show per row")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--source", type=Path, action="append", help="a clean source (.txt)")
    args = parser.parse_args(argv)
    sources = [p.resolve() for p in (args.source or SOURCES)]
    levels = LEVELS if args.level == "all" else (args.level,)
    started = time.perf_counter()
    _RULES = rules()
    for source in sources:
        _CLEAN_STRENGTHS[source.name] = _clean_strengths(source)
    tasks = [(str(s), CLEAN, 0) for s in sources] + [
        (str(s), level, seed)
        for s in sources
        for level in levels
        for seed in range(args.seed, args.seed + args.variants)
    ]
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = pool.map(run_variant, tasks, chunksize=4)
    else:
        results = [run_variant(t) for t in tasks]
    rows: dict[tuple[str, str], Row] = {}
    for source in sources:
        for level in (CLEAN, *levels):
            rows[(source.name, level)] = Row(source.name, level)
    for result in results:
        rows[(result.source, result.level)].add(result, args.show)
    print(report(list(rows.values()), time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
