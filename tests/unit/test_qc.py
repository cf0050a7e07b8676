"""The QC rules (queries/qc/*.rq) and their runner (tipkg.validate.qc).

Every rule has a fixture that must fail and one that must pass (tests/fixtures/qc/<rule>/), and
the real, stamped ontology passes every rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from tipkg.ontology import load_ontology
from tipkg.paths import QC_DIR, ROOT
from tipkg.validate.qc import QcRule, load_rule, load_rules, parse_header, run_qc, run_rule

FIXTURES = ROOT / "tests" / "fixtures" / "qc"
NAMESPACE = "https://w3id.org/tipkg/def/"
RULE_FILES = sorted(QC_DIR.glob("*.rq"))
RULES = {rule.name: rule for rule in load_rules()}


def _fixture(rule: str, kind: str) -> Graph:
    path = FIXTURES / rule / f"{kind}.ttl"
    assert path.exists(), f"{rule} has no {kind} fixture: {path}"
    return Graph().parse(path, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def test_there_are_rules() -> None:
    expected = {
        "label-fr", "label-en", "definition-fr", "definition-en", "term-isdefinedby",
        "header-complete", "term-undeclared", "label-duplicate", "definition-circular",
    }  # fmt: skip
    assert expected <= set(RULES)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_has_a_header(path: Path) -> None:
    fields = parse_header(path.read_text(encoding="utf-8"))
    for name in ("title", "severity", "rationale"):
        assert fields.get(name), f"{path.name}: no '# {name}:' in the header"
    assert fields["severity"] in ("error", "warning")


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_is_named_topic_check(path: Path) -> None:
    assert re.fullmatch(r"[a-z]+-[a-z0-9]+(-[a-z0-9]+)*", path.stem), path.name


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_looks_at_our_namespace_only(path: Path) -> None:
    """A rule copied from another project and left checking that project's namespace can never
    fail here: every rule must name ours, and no other w3id.org namespace."""
    text = path.read_text(encoding="utf-8")
    assert NAMESPACE in text, f"{path.name} does not restrict itself to {NAMESPACE}"
    others = set(re.findall(r"https?://w3id\.org/[A-Za-z0-9_.-]+/", text)) - {
        "https://w3id.org/tipkg/"
    }
    assert not others, f"{path.name} names another project's namespace: {sorted(others)}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_fail_fixture_fails(name: str) -> None:
    rows = run_rule(_fixture(name, "fail"), RULES[name])
    assert rows, f"{name}: fail.ttl returned no rows"
    for row in rows:
        assert row.get("term", "").startswith(NAMESPACE), f"{name}: row names no tip: term: {row}"
        assert row.get("problem"), f"{name}: row says nothing of the problem: {row}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_pass_fixture_passes(name: str) -> None:
    rows = run_rule(_fixture(name, "pass"), RULES[name])
    assert rows == [], f"{name}: pass.ttl returned rows: {rows}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_fixtures_have_a_header(name: str) -> None:
    for kind in ("pass", "fail"):
        text = (FIXTURES / name / f"{kind}.ttl").read_text(encoding="utf-8")
        assert text.startswith(f"# QC fixture for {name}:"), f"{name}/{kind}.ttl: no header"


def test_every_fixture_folder_has_a_rule() -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders == set(RULES), f"fixtures without a rule: {sorted(folders - set(RULES))}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_real_ontology_passes(ontology: Graph, name: str) -> None:
    rows = run_rule(ontology, RULES[name])
    assert rows == [], f"{name}: the ontology fails: " + "\n".join(map(str, rows))


def test_run_qc_reports_only_rules_with_rows() -> None:
    graph = _fixture("label-en", "fail")
    failures = run_qc(graph, [RULES["label-en"], RULES["term-deprecated"]])
    assert [f.rule.name for f in failures] == ["label-en"]
    assert failures[0].rows


def test_run_qc_defaults_to_every_rule(ontology: Graph) -> None:
    assert {f.rule.name for f in run_qc(Graph())} == {"header-complete"}
    header_only = Graph().parse(FIXTURES / "header-complete" / "fail.ttl")
    assert "header-complete" in {f.rule.name for f in run_qc(header_only)}


def test_rule_fields() -> None:
    rule = RULES["label-en"]
    assert isinstance(rule, QcRule)
    assert rule.title == "Every term has exactly one English label"
    assert rule.severity == "error"
    assert "rdfs:label" in rule.rationale and "skos:prefLabel" in rule.rationale
    assert rule.path == QC_DIR / "label-en.rq"
    assert rule.query.startswith("# title:")


def test_header_continuation_lines_join() -> None:
    fields = parse_header(
        "# title: T\n# severity: error\n# rationale: one\n#   two: skos:prefLabel\nSELECT"
    )
    assert fields == {"title": "T", "severity": "error", "rationale": "one two: skos:prefLabel"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# title: T\n# severity: error\nSELECT ?term ?problem WHERE {}", "rationale"),
        ("# severity: error\n# rationale: R\nSELECT ?term ?problem WHERE {}", "title"),
        ("# title: T\n# severity: fatal\n# rationale: R\nSELECT * WHERE {}", "severity"),
        ("# title: T\n# severity: error\n# rationale: R\nSELECT WHERE {", "does not parse"),
        ("# title: T\n# severity: error\n# rationale: R\nASK {}", "SELECT"),
    ],
)
def test_bad_rule_file_is_refused_by_name(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad-rule.rq"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as caught:
        load_rule(path)
    assert "bad-rule.rq" in str(caught.value)
    with pytest.raises(ValueError, match="bad-rule.rq"):
        load_rules(tmp_path)
