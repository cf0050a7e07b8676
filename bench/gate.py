"""The validation gate next to plain pyshacl and pyrudof, on the same graph and shapes.

    .venv/bin/python bench/gate.py [--build dist] [--repeat 3] [--plant]

Prints seconds (median of --repeat runs) and ratios against plain pyshacl measured in this same
run, and checks the engines find the same violations. The gate runs with each of its two
engines: the shapes compiled to SPARQL in pyoxigraph (its default, tipkg.validate.compiled) and
pyshacl (the reference the tests compare it with); the context's run is kept between runs as in
a build, so the medians are the per-report cost. --plant validates a copy with faults planted
(a recommendation without text, a malformed alpha-3 code, a participation without a role), so the
violation comparison compares something. Needs pyrudof (pip install pyrudof) for the second
engine; without it that row says so. Not a test: figures, never assertions on time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyshacl
from rdflib import RDF, SH, Graph, Literal, URIRef

from tipkg.ontology import load_ontology
from tipkg.reference import load_reference
from tipkg.validate.shacl import load_shapes, validate, validate_reports
from tipkg.vocab import TIP


def median_seconds(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def plant(reports: dict[str, Graph], reference: Graph) -> None:
    graph = next(iter(reports.values()))
    rec = next(iter(sorted(graph.subjects(RDF.type, TIP.Recommendation))))
    graph.remove((rec, TIP.text, None))
    participation = next(iter(sorted(graph.subjects(RDF.type, TIP.Participation))))
    graph.remove((participation, TIP.role, None))
    state = URIRef("https://w3id.org/tipkg/id/state/arg")
    reference.remove((state, TIP.iso3166Alpha3, None))
    reference.add((state, TIP.iso3166Alpha3, Literal("AR1")))


def violations_of(results: Graph) -> set[tuple[str, str]]:
    found = set()
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        found.add((str(focus), str(path) if isinstance(path, URIRef) else ""))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", type=Path, default=Path("dist"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plant", action="store_true")
    args = parser.parse_args()

    manifest = json.loads((args.build / "build.json").read_text(encoding="utf-8"))
    reports = {
        Path(path).stem: Graph().parse(args.build / path)
        for path in manifest["graphs"].values()
        if path.startswith("reports/")
    }
    ontology, reference = load_ontology(), load_reference()
    if args.plant:
        plant(reports, reference)
    provenance = Graph().parse(args.build / "build.ttl")
    context = ontology + reference + provenance
    whole = Graph()
    whole += context
    for graph in reports.values():
        whole += graph
    shapes = load_shapes()
    node_shapes = len(set(shapes.subjects(RDF.type, SH.NodeShape)))
    print(f"graph: {len(whole)} triples, {len(reports)} reports, {node_shapes} node shapes")

    ours_s, ours = median_seconds(
        lambda: validate_reports(reports, context, shapes=shapes, engine="sparql"), args.repeat
    )
    ref_s, ref = median_seconds(
        lambda: validate_reports(reports, context, shapes=shapes, engine="pyshacl"), args.repeat
    )
    plain_s, plain = median_seconds(
        lambda: pyshacl.validate(whole, shacl_graph=shapes, inference="none", allow_warnings=True),
        args.repeat,
    )
    per_report: dict[str, tuple[float, float]] = {}
    for key, graph in sorted(reports.items()):
        fast_s, slow_s = (
            median_seconds(
                lambda engine=engine, graph=graph: validate(graph, context, "en", shapes, engine),
                args.repeat,
            )[0]
            for engine in ("sparql", "pyshacl")
        )
        per_report[key] = (fast_s, slow_s)

    ours_v = violations_of(ours.results_graph)  # type: ignore[attr-defined]
    ref_v = violations_of(ref.results_graph)  # type: ignore[attr-defined]
    plain_v = violations_of(plain[1])  # type: ignore[index]
    rows: list[tuple[str, float, int | None]] = [
        ("plain pyshacl, whole graph (baseline)", plain_s, len(plain_v)),
        ("gate, pyshacl engine: per report + context", ref_s, len(ref_v)),
        ("gate, compiled engine: per report + context", ours_s, len(ours_v)),
    ]
    try:
        import pyrudof

        data_nt = whole.serialize(format="nt")
        shapes_ttl = shapes.serialize(format="turtle")

        def rudof() -> object:
            engine = pyrudof.Rudof(pyrudof.RudofConfig())
            engine.read_data(data_nt, pyrudof.RDFFormat.NTriples)
            engine.read_shacl(shapes_ttl, pyrudof.ShaclFormat.Turtle)
            return engine.validate_shacl()

        rudof_s, rudof_report = median_seconds(rudof, args.repeat)
        rudof_v = {
            (str(v.focus_node).strip("<>"), str(v.path).strip("<>") if v.path else "")
            for v in rudof_report.violations  # type: ignore[attr-defined]
            if "Violation" in str(v.severity)
        }
        rows.append(("pyrudof, whole graph", rudof_s, len(rudof_v)))
    except ImportError:
        rudof_v = None
        rows.append(("pyrudof (not installed: pip install pyrudof)", float("nan"), None))

    print(f"{'engine':48} {'seconds':>8} {'× baseline':>10} {'violations':>10}")
    for name, seconds, count in rows:
        ratio = seconds / plain_s if plain_s else float("nan")
        shown = "" if count is None else str(count)
        print(f"{name:48} {seconds:8.3f} {ratio:10.3f} {shown:>10}")
    print(f"\n{'one report, alone':40} {'triples':>8} {'compiled':>9} {'pyshacl':>8} {'ratio':>6}")
    for key, (fast_s, slow_s) in per_report.items():
        print(
            f"{key:40} {len(reports[key]):8} {fast_s:9.3f} {slow_s:8.3f} "
            f"{slow_s / fast_s if fast_s else float('nan'):6.1f}"
        )
    print(f"\nsame violations, gate (compiled) vs plain pyshacl: {ours_v == plain_v}")
    print(f"same violations, gate (pyshacl) vs plain pyshacl: {ref_v == plain_v}")
    same = ours.findings == ref.findings  # type: ignore[attr-defined]
    print(f"same findings, compiled vs pyshacl engine: {same}")
    if rudof_v is not None:
        focus = {f for f, _ in plain_v}
        print(
            f"same focus nodes in violation, pyrudof vs pyshacl: {focus == {f for f, _ in rudof_v}}"
        )


if __name__ == "__main__":
    main()
