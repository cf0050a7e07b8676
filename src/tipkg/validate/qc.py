"""Ontology hygiene as SPARQL: every queries/qc/*.rq is a SELECT that must return no rows.

Each rule file starts with a comment header::

    # title: Every term has exactly one English label
    # severity: error
    # rationale: Why the rule exists, which bug it prevents. A value may continue on
    #   the following comment lines, indented by two spaces or more.

then the query. A row names the offending term (``?term``) and says what is wrong
(``?problem``). Rules look only at tipkg's namespace (https://w3id.org/tipkg/def/); they run
over whatever graph they are given: the ontology alone, or the ontology with data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from tipkg.paths import QC_DIR
from tipkg.store import in_memory

REQUIRED_FIELDS = ("title", "severity", "rationale")
SEVERITIES = ("error", "warning")
SCOPES = ("ontology", "data")
# "# key: value" (one space after "#"); a value continues on lines indented two spaces or more.
_FIELD = re.compile(r"^# ([a-z][a-z-]*):(?:\s+(.*))?$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")


@dataclass(frozen=True)
class QcRule:
    name: str
    title: str
    severity: str
    rationale: str
    query: str
    path: Path
    scope: str = "ontology"
    """"ontology": the rule reads the ontology alone (run once); "data": it reads the ontology
    together with data (run on each report with the ontology)."""


@dataclass
class QcFailure:
    rule: QcRule
    rows: list[dict[str, str]]


def parse_header(text: str) -> dict[str, str]:
    """The ``# key: value`` fields of the comment block at the top of a rule file."""
    fields: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        field = _FIELD.match(line)
        if field:
            last = field.group(1)
            fields[last] = (field.group(2) or "").strip()
            continue
        more = _CONTINUATION.match(line)
        if more and last is not None:
            fields[last] = f"{fields[last]} {more.group(1).strip()}".strip()
        else:
            last = None
    return fields


def load_rule(path: Path) -> QcRule:
    """Read one rule file; ValueError (naming the file) if its header or query is unusable."""
    text = path.read_text(encoding="utf-8")
    fields = parse_header(text)
    missing = [name for name in REQUIRED_FIELDS if not fields.get(name)]
    if missing:
        raise ValueError(f"{path}: QC rule header lacks {', '.join(missing)}")
    if fields["severity"] not in SEVERITIES:
        raise ValueError(
            f"{path}: severity {fields['severity']!r} is not one of {', '.join(SEVERITIES)}"
        )
    try:
        # Parsed by pyoxigraph, which runs the rules, over an empty store.
        answer = ox.Store().query(text)
    except SyntaxError as error:
        raise ValueError(f"{path}: query does not parse: {error}") from error
    if not isinstance(answer, ox.QuerySolutions):
        raise ValueError(f"{path}: a QC rule must be a SELECT query")
    return QcRule(
        name=path.stem,
        title=fields["title"],
        severity=fields["severity"],
        rationale=fields["rationale"],
        query=text,
        path=path,
        scope=_scope(path, fields.get("scope", "ontology")),
    )


def _scope(path: Path, scope: str) -> str:
    if scope not in SCOPES:
        raise ValueError(f"{path}: scope {scope!r} is not one of {', '.join(SCOPES)}")
    return scope


def load_rules(directory: Path = QC_DIR) -> list[QcRule]:
    """Every ``*.rq`` rule under ``directory``, sorted by name."""
    return [load_rule(path) for path in sorted(directory.glob("*.rq"))]


def run_rule(graph: Graph | ox.Store, rule: QcRule) -> list[dict[str, str]]:
    """The rows ``rule`` returns on ``graph``, each as {variable: value} (unbound values as "").
    Rules run in pyoxigraph: rdflib's engine took a second per report for term-undeclared."""
    store = in_memory(graph) if isinstance(graph, Graph) else graph
    result = store.query(rule.query)
    assert isinstance(result, ox.QuerySolutions)
    names = [variable.value for variable in result.variables]
    rows = [
        {name: "" if (value := solution[name]) is None else value.value for name in names}
        for solution in result
    ]
    rows.sort(key=lambda r: tuple(r.values()))
    return rows


def run_qc(graph: Graph | ox.Store, rules: list[QcRule] | None = None) -> list[QcFailure]:
    """Run ``rules`` (default: every rule in queries/qc/) on ``graph``: one failure per rule
    that returned rows. An empty list means the graph passes."""
    store = in_memory(graph) if isinstance(graph, Graph) else graph
    failures: list[QcFailure] = []
    for rule in load_rules() if rules is None else rules:
        rows = run_rule(store, rule)
        if rows:
            failures.append(QcFailure(rule=rule, rows=rows))
    return failures
