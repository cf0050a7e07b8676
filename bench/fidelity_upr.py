#!/usr/bin/env python3
"""Fidelity of the UPR family's reading on other UPR reports (issue 15, item 5).

Usage:
    bench/fidelity_upr.py [--variants N] [--seed S] [--level clean|words|pdf|matrix|all]
                          [--show N] [--jobs J]

For each level, N pairs (a report and its addendum) are made by scripts/damage_upr.py from the two
real texts of A/HRC/43/15 (seeds S, S+1, …): another State under review, other paragraph numbers,
other recommending States, other running headers, the addendum reworded, and the damage of the
level (``clean``: none; ``words``; ``pdf``; ``matrix``: level ``pdf`` with the addendum's responses
given as a table, which tipkg does not read). Each pair is extracted as `tipkg build` extracts it,
and compared with the truth the generator wrote (never with the extractor's own output):

- recommendations read (by their number as printed), texts exact (runs of whitespace made one
  space), recommending States right (the same States in the same order);
- responses right (supported or noted, for the right recommendation, given in the right document
  and paragraph); responses wrong (published and not the truth's: must be 0); responses missing;
- for a matrix addendum: responses published from the table (must be 0) and whether a warning names
  a line of the table;
- no warning: recommendations or responses that are wrong or missing and that no warning names (a
  warning on a line of the recommendation's span or of the paragraph that answers it, or one that
  names its number). The key figure: it must be 0.
"""

from __future__ import annotations

import argparse
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

from tipkg import iris
from tipkg.errors import InputError, Warning
from tipkg.extract.report import Rules, extract
from tipkg.extract.source import read_source
from tipkg.ontology import load_ontology
from tipkg.rdf.rules import rules_from
from tipkg.reference import load_reference

LEVELS = ("clean", "words", "pdf", "matrix")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/fidelity.py, beside it
import fidelity  # noqa: E402 - found through the path just set

damage_upr = fidelity.load_script("scripts/damage_upr.py", "damage_upr")

_RULES: Rules | None = None


def rules() -> Rules:
    return rules_from(
        load_ontology() + load_reference(), frozenset({str(iris.organization("upr-wg"))})
    )


@dataclass
class PairResult:
    level: str
    seed: int
    refused: str = ""
    recs: int = 0
    read: int = 0
    text_ok: int = 0
    states_ok: int = 0
    responses: int = 0  # expected
    responses_ok: int = 0
    responses_wrong: int = 0
    responses_missing: int = 0
    from_table: int = 0
    table_warned: bool = True
    silent: int = 0
    wrong: int = 0
    warnings: int = 0
    extra: int = 0
    diff: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    unwarned: list[str] = field(default_factory=list)


def _names(warning: Warning, printed: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(printed)}(?![\d])", warning.problem) is not None


def _on(warnings: list[Warning], lines: list[int]) -> bool:
    first, last = lines
    return any(w.line is not None and first <= w.line <= last for w in warnings)


def run_pair(task: tuple[str, int]) -> PairResult:
    level, seed = task
    assert _RULES is not None
    result = PairResult(level, seed)
    matrix = level == "matrix"
    with tempfile.TemporaryDirectory(prefix="tipkg-fidelity-upr-") as tmp:
        report_path, addendum_path, truth_path = damage_upr.write(
            seed, "pdf" if matrix else level, Path(tmp), matrix
        )
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        try:
            report, report_warnings = extract(read_source(report_path), _RULES)
            addendum, addendum_warnings = extract(read_source(addendum_path), _RULES)
        except InputError as err:
            result.refused = re.sub(r"/tmp/\S+/", "", str(err))
            return result
    result.warnings = len(report_warnings) + len(addendum_warnings)
    found = {rec.printed: rec for rec in report.recommendations}
    own = {(r.paragraph, r.number): r for r in report.responses}
    answered = {(r.paragraph, r.number): r for r in addendum.responses}
    symbol = truth["symbol"]
    for expected in truth["recommendations"]:
        result.recs += 1
        printed = expected["printed"]
        key = (expected["paragraph"], expected["number"])
        rec = found.get(printed)
        warned_rec = _on(report_warnings, expected["lines"]) or any(
            _names(w, printed) for w in report_warnings
        )
        ok = rec is not None
        if rec is not None:
            result.read += 1
            text = " ".join(rec.text.split())
            states = [str(iris.state(c)) for c in expected["states"]]
            text_ok, states_ok = text == expected["text"], rec.recommended_by == states
            result.text_ok += text_ok
            result.states_ok += states_ok
            ok = text_ok and states_ok
            if not text_ok:
                kinds, shown = fidelity.word_diff(expected["text"], text)
                result.diff.update(kinds)
                example = shown
            elif not states_ok:
                example = f"States {expected['states']} → {rec.recommended_by}"
        else:
            result.diff["missing"] += 1
            example = "missing"
        if not ok:
            result.wrong += 1
            _wrong(result, f"seed {seed} {printed}", warned_rec, example)
        # The response.
        if expected["response"] is None:
            continue
        result.responses += 1
        in_report = expected["document"] == "report"
        got = own.get(key) if in_report else answered.get(key)
        warnings = report_warnings if in_report else addendum_warnings
        warned = _on(warnings, expected["response_lines"]) or any(
            _names(w, printed) for w in warnings
        )
        if got is None:
            if matrix and not in_report:
                continue  # the table is not read: counted below
            result.responses_missing += 1
            _wrong(result, f"seed {seed} {printed}", warned, "response missing")
            continue
        if matrix and not in_report:
            result.from_table += 1
        right = (
            got.response == expected["response"]
            and got.given_in == expected["given_in"]
            and got.of_document == (None if in_report else symbol)
        )
        if right:
            result.responses_ok += 1
        else:
            result.responses_wrong += 1
            result.silent += not warned
            if not warned:
                result.unwarned.append(f"seed {seed} {printed}: response {got.response} wrong")
            if len(result.examples) < 3:
                result.examples.append(
                    f"seed {seed} {printed}: response {got.response} in paragraph {got.given_in}"
                    f", truth {expected['response']} in paragraph {expected['given_in']}"
                )
    truth_keys = {(r["paragraph"], r["number"]) for r in truth["recommendations"]}
    result.extra = len(set(found) - {r["printed"] for r in truth["recommendations"]})
    result.responses_wrong += len(set(answered) - truth_keys) + len(set(own) - truth_keys)
    if matrix:
        result.table_warned = _on(addendum_warnings, truth["table_lines"])
    return result


def _wrong(result: PairResult, where: str, warned: bool, what: str) -> None:
    """A wrong result counted: without a warning it is silent and listed; the first few are
    examples."""
    result.silent += not warned
    if not warned:
        result.unwarned.append(f"{where}: {what}")
    if len(result.examples) < 3:
        said = "warned" if warned else "NO WARNING"
        result.examples.append(f"{where}, {said}: {what}")


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:5.1f} % ({n}/{total})" if total else "    – (0/0)"


def report(results: list[PairResult], levels: Sequence[str], seconds: float) -> str:
    out = []
    header = (
        f"{'level':<7} {'pairs':>5} {'refused':>7}  {'read':<22} {'texts exact':<22} "
        f"{'States right':<22} {'responses right':<22} {'wrong':>5} {'missing':>7} "
        f"{'no warning':<18}"
    )
    out += [header, "-" * len(header)]
    for level in levels:
        rows = [r for r in results if r.level == level]
        ok = [r for r in rows if not r.refused]
        recs = sum(r.recs for r in ok)
        responses = sum(r.responses for r in ok)
        if level == "matrix":
            responses = sum(r.responses for r in ok) - sum(
                r.responses - r.responses_ok - r.responses_wrong - r.responses_missing for r in ok
            )
        out.append(
            f"{level:<7} {len(rows):>5} {len(rows) - len(ok):>7}  "
            f"{_pct(sum(r.read for r in ok), recs):<22} "
            f"{_pct(sum(r.text_ok for r in ok), recs):<22} "
            f"{_pct(sum(r.states_ok for r in ok), recs):<22} "
            f"{_pct(sum(r.responses_ok for r in ok), responses):<22} "
            f"{sum(r.responses_wrong for r in ok):>5} {sum(r.responses_missing for r in ok):>7} "
            f"{_pct(sum(r.silent for r in ok), recs + responses):<18}"
        )
    out.append("")
    for level in levels:
        rows = [r for r in results if r.level == level and not r.refused]
        diff: Counter[str] = Counter()
        for r in rows:
            diff.update(r.diff)
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(diff.items())) or "none"
        warnings = sum(r.warnings for r in rows)
        line = f"  {level}: wrong words by kind: {kinds}; warnings {warnings}"
        if level == "matrix":
            line += (
                f"; responses published from a table {sum(r.from_table for r in rows)}; "
                f"tables named by a warning {sum(r.table_warned for r in rows)}/{len(rows)}"
            )
        out.append(line)
    refusals = Counter((r.level, re.sub(r"\d+", "N", r.refused)) for r in results if r.refused)
    if refusals:
        out += ["", "Refused (InputError):"]
        out += [f"  {level}: {n} × {what}" for (level, what), n in refusals.items()]
    unwarned = [(r.level, e) for r in results for e in r.unwarned]
    if unwarned:
        out += ["", "Wrong without a warning (all):"]
        out += [f"  {level}, {e[:240]}" for level, e in unwarned]
    examples = [(r.level, e) for r in results for e in r.examples]
    if examples:
        out += ["", "First wrong (regenerate with scripts/damage_upr.py --seed S --level L):"]
        shown: Counter[str] = Counter()
        for level, example in examples:
            if shown[level] < 6:
                shown[level] += 1
                out.append(f"  {level}, {example[:240]}" + "…" * (len(example) > 240))
    out += ["", f"{len(results)} pairs in {seconds:.0f} s"]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    global _RULES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", type=int, default=50, help="pairs per level")
    parser.add_argument("--seed", type=int, default=1, help="the first seed")
    parser.add_argument("--level", choices=(*LEVELS, "all"), default="all")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    levels = LEVELS if args.level == "all" else (args.level,)
    started = time.perf_counter()
    _RULES = rules()
    tasks = [(level, s) for level in levels for s in range(args.seed, args.seed + args.variants)]
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = pool.map(run_pair, tasks, chunksize=2)
    else:
        results = [run_pair(t) for t in tasks]
    print(report(results, levels, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
