"""Links out of the graph: SSSOM link sets (data/mappings/) read, compiled to RDF and checked.

One SSSOM TSV table per target — SHERLOC, Wikidata, UNBIS, the UN SDG vocabulary, the pages of
the treaties (address forms: :mod:`tipkg.locators`). Each table
starts with a commented metadata block (``#curie_map:``, ``#mapping_set_id:``, ``#license:`` …),
then one mapping a row. The predicate of a row says how strong the link is:

- ``owl:sameAs`` for identity only: the Wikidata item of a State or an organisation;
- ``skos:exactMatch`` / ``skos:closeMatch`` between concepts (our themes, UNBIS, SDG targets);
- ``rdfs:seeAlso`` for SHERLOC and the treaties' pages, whose addresses are locators, not
  identifiers.

A row whose object is ``sssom:NoTermFound`` records that a link was looked for and none can be
stated (no checked identifier or address form), and its comment says why; it is kept in the
table, compiles to nothing, and is the reason :func:`coverage` gives for the gap.

Nothing here reaches the network except :func:`check_online`, which the CLI calls on request
(``--online``) and the tests never call.
"""

from __future__ import annotations

import csv
import json
import re
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import FOAF
from rdflib.term import Node

from tipkg import __version__, iris
from tipkg.errors import InputError
from tipkg.locators import (
    INTERNATIONAL_BODIES,
    SHERLOC_FIXED,
    SHERLOC_PATTERNS,
    SHERLOC_STATE_SEARCHES,
    TREATY_PAGES,
    LocatorError,
    state_search_of,
)
from tipkg.paths import DATA_DIR, REFERENCE_DIR
from tipkg.vocab import TIP

MAPPINGS_DIR = DATA_DIR / "mappings"
CHECKED_DIR = REFERENCE_DIR / "checked"

SSSOM = "https://w3id.org/sssom/"
SEMAPV = "https://w3id.org/semapv/vocab/"
NO_TERM_FOUND = URIRef(SSSOM + "NoTermFound")

# Prefixes every SSSOM table may use without declaring them (SSSOM "built-in prefixes"); a
# table that declares one must give it the same expansion.
BUILTIN_PREFIXES: dict[str, str] = {
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "semapv": SEMAPV,
    "sssom": SSSOM,
}

LINK_PREDICATES: frozenset[URIRef] = frozenset(
    {OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch, RDFS.seeAlso}
)

# The SEMAPV mapping justifications (https://w3id.org/semapv/vocab/).
JUSTIFICATIONS: frozenset[str] = frozenset(
    SEMAPV + name
    for name in (
        "BackgroundKnowledgeBasedMatching",
        "CompositeMatching",
        "InstanceBasedMatching",
        "LexicalMatching",
        "LexicalSimilarityThresholdMatching",
        "LogicalReasoning",
        "ManualMappingCuration",
        "MappingChaining",
        "MappingReview",
        "SemanticSimilarityThresholdMatching",
        "StructuralMatching",
        "UnspecifiedMatching",
    )
)

REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
OPTIONAL_COLUMNS = (
    "subject_label",
    "object_label",
    "object_source",
    "mapping_tool",
    "confidence",
    "comment",
)
REQUIRED_METADATA = ("curie_map", "mapping_set_id", "license")
OPTIONAL_METADATA = (
    "mapping_set_title",
    "mapping_set_description",
    "creator_label",
    "subject_source",
    "object_source",
    "mapping_tool",
    "comment",
)

# --- the targets and their address forms -------------------------------------------------------

SCHEMES: dict[str, tuple[str, ...]] = {
    # scheme -> the namespaces its addresses start with
    "sherloc": ("https://sherloc.unodc.org/",),
    "wikidata": ("http://www.wikidata.org/entity/",),
    "unbis": ("http://metadata.un.org/thesaurus/",),
    "sdg": ("http://metadata.un.org/sdg/",),
    "treaties": ("https://treaties.un.org/", "https://www.unodc.org/unodc/en/treaties/"),
}
# The targets as `tipkg links` names them, in the order it prints them.
TARGET_NAMES: dict[str, str] = {
    "sherloc": "SHERLOC",
    "wikidata": "Wikidata",
    "unbis": "UNBIS Thesaurus",
    "sdg": "UN SDG targets",
    "treaties": "treaty collection",
}
WIKIDATA_ITEM = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
UNBIS_CONCEPT = re.compile(r"^http://metadata\.un\.org/thesaurus/[0-9]+$")
SDG_TARGET = re.compile(r"^http://metadata\.un\.org/sdg/[0-9]+\.[0-9a-z]+$")

# The predicates each target admits: identity with Wikidata items, concept matches with UNBIS
# and SDG concepts, "see also" with SHERLOC's and the treaties' pages.
ALLOWED_PREDICATES: dict[str, frozenset[URIRef]] = {
    "sherloc": frozenset({RDFS.seeAlso}),
    "wikidata": frozenset({OWL.sameAs}),
    "unbis": frozenset({SKOS.exactMatch, SKOS.closeMatch}),
    "sdg": frozenset({SKOS.exactMatch, SKOS.closeMatch}),
    "treaties": frozenset({RDFS.seeAlso}),
}


# --- reading the tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """One row of an SSSOM table, with what is needed to expand its CURIEs."""

    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    subject_label: str = ""
    object_label: str = ""
    object_source: str = ""
    mapping_tool: str = ""
    confidence: float | None = None
    comment: str = ""
    mapping_set_id: str = ""
    curie_map: tuple[tuple[str, str], ...] = ()
    path: str = ""
    line: int = 0

    def expand(self, curie: str) -> URIRef:
        """The IRI of a CURIE by the table's curie_map (and SSSOM's built-in prefixes)."""
        return expand_curie(curie, dict(self.curie_map), self.path, self.line)

    @property
    def subject(self) -> URIRef:
        return self.expand(self.subject_id)

    @property
    def predicate(self) -> URIRef:
        return self.expand(self.predicate_id)

    @property
    def object(self) -> URIRef:
        return self.expand(self.object_id)

    @property
    def unmapped(self) -> bool:
        """True for a row that records that no link could be stated (sssom:NoTermFound)."""
        return self.object == NO_TERM_FOUND


_CURIE = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*):(\S+)$")


def expand_curie(curie: str, curie_map: dict[str, str], path: Path | str, line: int) -> URIRef:
    match = _CURIE.match(curie)
    if not match:
        raise InputError(path, line, f"not a CURIE: {curie!r}")
    prefix, local = match.groups()
    namespace = curie_map.get(prefix, BUILTIN_PREFIXES.get(prefix))
    if namespace is None:
        raise InputError(path, line, f"prefix {prefix!r} of {curie!r} is not in the curie_map")
    return URIRef(namespace + local)


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


_META_KEY = re.compile(r"^([a-z_]+):\s*(.*)$")
_META_PREFIX = re.compile(r"^\s+([A-Za-z_][A-Za-z0-9_.-]*):\s*(\S+)\s*$")


def _read_metadata(path: Path, lines: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The commented YAML block of an SSSOM TSV file (the subset the tables use)."""
    meta: dict[str, str] = {}
    curie_map: dict[str, str] = {}
    in_map = False
    for number, raw in enumerate(lines, start=1):
        text = raw[1:].rstrip("\n")
        if not text.strip() or text.lstrip().startswith("#"):  # blank, or a YAML comment
            continue
        prefix = _META_PREFIX.match(text)
        if prefix and in_map:
            name, namespace = prefix.group(1), _unquote(prefix.group(2))
            if name in curie_map:
                raise InputError(path, number, f"prefix {name!r} declared twice")
            builtin = BUILTIN_PREFIXES.get(name)
            if builtin is not None and builtin != namespace:
                raise InputError(path, number, f"built-in prefix {name!r} must expand to {builtin}")
            curie_map[name] = namespace
            continue
        key = _META_KEY.match(text)
        if not key:
            raise InputError(path, number, f"metadata line not understood: {text.strip()!r}")
        name, value = key.group(1), _unquote(key.group(2))
        if name not in REQUIRED_METADATA and name not in OPTIONAL_METADATA:
            raise InputError(path, number, f"unknown or unsupported mapping set slot {name!r}")
        if name in meta:
            raise InputError(path, number, f"mapping set slot {name!r} given twice")
        in_map = name == "curie_map"
        if in_map and value:
            raise InputError(path, number, "curie_map must be a block of 'prefix: IRI' lines")
        if not in_map and not value:
            raise InputError(path, number, f"mapping set slot {name!r} is empty")
        meta[name] = value
    for name in REQUIRED_METADATA:
        if name not in meta:
            raise InputError(path, None, f"the metadata block has no {name!r}")
    return meta, curie_map


def read_table(path: Path) -> list[Mapping]:
    """One SSSOM TSV table; any problem raises InputError naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, None, f"cannot read: {err}") from err
    head = 0
    while head < len(lines) and lines[head].startswith("#"):
        head += 1
    if head == 0:
        raise InputError(path, 1, "no metadata block (lines starting with '#')")
    meta, curie_map = _read_metadata(path, lines[:head])
    rows = list(csv.reader(lines[head:], delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        raise InputError(path, head + 1, "no header row")
    header = rows[0]
    for column in header:
        if column not in REQUIRED_COLUMNS and column not in OPTIONAL_COLUMNS:
            raise InputError(path, head + 1, f"unknown or unsupported column {column!r}")
    if len(set(header)) != len(header):
        raise InputError(path, head + 1, "a column is named twice")
    for column in REQUIRED_COLUMNS:
        if column not in header:
            raise InputError(path, head + 1, f"no {column!r} column")
    frozen_map = tuple(sorted(curie_map.items()))
    mappings: list[Mapping] = []
    seen: dict[tuple[str, str, str], int] = {}
    for offset, row in enumerate(rows[1:], start=head + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(path, offset, f"{len(row)} fields where the header has {len(header)}")
        cells = {name: value.strip() for name, value in zip(header, row, strict=True)}
        for column in REQUIRED_COLUMNS:
            if not cells[column]:
                raise InputError(path, offset, f"empty {column}")
        confidence: float | None = None
        if cells.get("confidence"):
            try:
                confidence = float(cells["confidence"])
            except ValueError:
                confidence = -1.0
            if not 0.0 <= confidence <= 1.0:
                raise InputError(
                    path, offset, f"confidence {cells['confidence']!r} is not a number in [0, 1]"
                )
        mapping = Mapping(
            subject_id=cells["subject_id"],
            predicate_id=cells["predicate_id"],
            object_id=cells["object_id"],
            mapping_justification=cells["mapping_justification"],
            subject_label=cells.get("subject_label", ""),
            object_label=cells.get("object_label", ""),
            # object_source and mapping_tool propagate from the mapping set to its rows.
            object_source=cells.get("object_source") or meta.get("object_source", ""),
            mapping_tool=cells.get("mapping_tool") or meta.get("mapping_tool", ""),
            confidence=confidence,
            comment=cells.get("comment", ""),
            mapping_set_id=meta["mapping_set_id"],
            curie_map=frozen_map,
            path=str(path),
            line=offset,
        )
        # Expanding every CURIE here makes a bad prefix an input error, not a later surprise.
        if mapping.predicate not in LINK_PREDICATES:
            raise InputError(
                path,
                offset,
                f"predicate {mapping.predicate_id} is not one tipkg compiles "
                "(owl:sameAs, skos:exactMatch, skos:closeMatch, rdfs:seeAlso)",
            )
        if str(mapping.expand(mapping.mapping_justification)) not in JUSTIFICATIONS:
            raise InputError(
                path, offset, f"{mapping.mapping_justification} is not a SEMAPV justification"
            )
        if mapping.subject == NO_TERM_FOUND:
            raise InputError(path, offset, "sssom:NoTermFound as a subject: the row says nothing")
        _ = mapping.object
        key = (str(mapping.subject), str(mapping.predicate), str(mapping.object))
        if key in seen:
            raise InputError(path, offset, f"the same mapping as line {seen[key]}")
        seen[key] = offset
        mappings.append(mapping)
    return mappings


def mapping_files(directory: Path = MAPPINGS_DIR) -> list[Path]:
    return sorted(directory.glob("*.sssom.tsv"))


def load_mappings(directory: Path = MAPPINGS_DIR) -> list[Mapping]:
    """Every link set under `directory` (``*.sssom.tsv``), in file then row order."""
    files = mapping_files(directory)
    if not files:
        raise InputError(directory, None, "no link sets (*.sssom.tsv) found")
    mappings: list[Mapping] = []
    for path in files:
        mappings.extend(read_table(path))
    return mappings


# --- compiling ---------------------------------------------------------------------------------


def compile_links(mappings: list[Mapping]) -> Graph:
    """The link triples: subject, the row's predicate, object (rows without a target skipped)."""
    graph = Graph()
    graph.bind("owl", OWL)
    graph.bind("skos", SKOS)
    graph.bind("rdfs", RDFS)
    for mapping in mappings:
        if not mapping.unmapped:
            graph.add((mapping.subject, mapping.predicate, mapping.object))
    return graph


# --- checking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkProblem:
    """A link that cannot be trusted: the resource it starts from, its target, what is wrong."""

    resource: str
    target: str
    problem: str

    def __str__(self) -> str:
        return f"{self.resource} -> {self.target}: {self.problem}"


@dataclass(frozen=True)
class CheckedLists:
    """data/reference/checked: the only identifiers a link may point to."""

    wikidata: dict[str, tuple[str, str, str]]  # QID -> (name, kind, iso3)
    unbis: dict[str, str]  # id -> Chinese prefLabel
    sdg: dict[str, str]  # IRI -> target number

    @classmethod
    def read(cls, directory: Path = CHECKED_DIR) -> CheckedLists:
        wikidata = {
            row["qid"]: (row["name"], row["kind"], row["iso3"])
            for row in _tsv(directory / "wikidata.tsv")
        }
        unbis = {row["id"]: row["prefLabel_zh"] for row in _tsv(directory / "unbis.tsv")}
        sdg = {row["uri"]: row["target"] for row in _tsv(directory / "sdg.tsv")}
        return cls(wikidata, unbis, sdg)


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#") and line.strip()]
    return [
        {key: (value or "").strip() for key, value in row.items()}
        for row in csv.DictReader(lines, delimiter="\t")
    ]


def scheme_of(target: Node) -> str | None:
    """sherloc, wikidata, unbis, sdg or treaties, read from the address; None for any other."""
    if not isinstance(target, URIRef):
        return None
    for scheme, namespaces in SCHEMES.items():
        if str(target).startswith(namespaces):
            return scheme
    return None


def sherloc_address(target: str) -> tuple[bool, str | None]:
    """Whether `target` has a form documented in sherloc.md, and the ISO code in it if any."""
    if target in SHERLOC_FIXED:
        return True, None
    for pattern in SHERLOC_PATTERNS:
        match = pattern.match(target)
        if match:
            return True, match.group("iso3")
    return False, None


def report_states(data: Graph) -> list[URIRef]:
    """The States of the reports: every tip:State a participation is by or on behalf of."""
    states: set[URIRef] = set()
    for prop in (TIP.participant, TIP.onBehalfOf):
        for participation, state in data.subject_objects(prop):
            if (
                isinstance(state, URIRef)
                and (participation, RDF.type, TIP.Participation) in data
                and (state, RDF.type, TIP.State) in data
            ):
                states.add(state)
    return sorted(states)


def _qid(target: URIRef) -> str:
    return str(target).rsplit("/", 1)[-1]


def check_links(
    links: Graph, data: Graph, *, checked: CheckedLists | None = None
) -> list[LinkProblem]:
    """Offline checks of the compiled links against the graph (ontology + reference + reports).

    Every problem names the resource the link starts from. The checks: each target has the
    documented address form of its target and is listed in data/reference/checked; the
    predicate fits the target (owl:sameAs only to Wikidata items, never to a page); the resource
    is in the graph; ISO codes in SHERLOC addresses are States of the graph; one Wikidata item
    per thing and one thing per item, agreeing with the resource's tip:wikidataId; a SHERLOC
    address on a recommendation is the page of the database the recommendation names.
    """
    lists = checked if checked is not None else CheckedLists.read()
    problems: list[LinkProblem] = []

    def problem(resource: Node | str, target: Node | str, text: str) -> None:
        problems.append(LinkProblem(str(resource), str(target), text))

    alpha3 = {
        str(code): state
        for state, code in data.subject_objects(TIP.iso3166Alpha3)
        if (state, RDF.type, TIP.State) in data
    }
    wikidata_of: dict[str, set[str]] = defaultdict(set)
    things_of: dict[str, set[str]] = defaultdict(set)

    for subject, predicate, target in sorted(links):
        if predicate not in LINK_PREDICATES:
            problem(subject, target, f"{predicate} is not a link predicate")
            continue
        if not isinstance(subject, URIRef):
            problem(subject, target, "a link must start from an IRI")
            continue
        if (subject, RDF.type, None) not in data:
            problem(subject, target, "the resource is not in the graph (no rdf:type there)")
        if not isinstance(target, URIRef):
            problem(subject, target, "the target is not an IRI")
            continue
        scheme = scheme_of(target)
        if scheme is None:
            if predicate == OWL.sameAs:
                problem(subject, target, "owl:sameAs to an address that is not a Wikidata item")
            else:
                problem(subject, target, "not an address of SHERLOC, Wikidata, UNBIS or the SDGs")
            continue
        if predicate not in ALLOWED_PREDICATES[scheme]:
            if predicate == OWL.sameAs:
                what = "a SHERLOC locator" if scheme == "sherloc" else f"a {scheme} concept"
                problem(
                    subject,
                    target,
                    f"owl:sameAs to {what}: only Wikidata items are identities here",
                )
            else:
                allowed = ", ".join(
                    sorted(p.n3(links.namespace_manager) for p in ALLOWED_PREDICATES[scheme])
                )
                problem(subject, target, f"a {scheme} target takes {allowed}, not {predicate}")
        text = str(target)
        if scheme == "wikidata":
            if not WIKIDATA_ITEM.match(text):
                problem(subject, target, "not a Wikidata item address (…/entity/Q<number>)")
                continue
            qid = _qid(target)
            wikidata_of[str(subject)].add(text)
            things_of[text].add(str(subject))
            listed = lists.wikidata.get(qid)
            if listed is None:
                problem(subject, target, f"{qid} is not in data/reference/checked/wikidata.tsv")
                continue
            name, kind, iso3 = listed
            is_state = (subject, RDF.type, TIP.State) in data
            if kind == "state" and alpha3.get(iso3) != subject:
                problem(
                    subject, target, f"{qid} is the item of {name} ({iso3}), not of this resource"
                )
            elif kind != "state" and is_state:
                problem(subject, target, f"{qid} is the item of {name}, not of a State")
        elif scheme == "unbis":
            if not UNBIS_CONCEPT.match(text):
                problem(subject, target, "not a UNBIS Thesaurus address (…/thesaurus/<number>)")
            elif _qid(target) not in lists.unbis:
                problem(
                    subject,
                    target,
                    f"UNBIS {_qid(target)} is not in data/reference/checked/unbis.tsv",
                )
        elif scheme == "sdg":
            if not SDG_TARGET.match(text):
                problem(subject, target, "not an SDG target address (…/sdg/<goal>.<target>)")
            elif text not in lists.sdg:
                problem(subject, target, "this SDG target is not in data/reference/checked/sdg.tsv")
        elif scheme == "treaties":
            instrument = TREATY_PAGES.get(text)
            if instrument is None:
                problem(
                    subject,
                    target,
                    "not a treaty page documented in data/reference/checked/sherloc.md",
                )
            elif subject != iris.instrument(instrument):
                problem(subject, target, f"the page of the instrument {instrument!r}, not of this")
        elif (search := state_search_of(text)) is not None:
            try:
                filtered = search.label_of(text)
            except LocatorError as err:
                problem(subject, target, f"SHERLOC {search.kind} search: {err}")
                continue
            if (subject, RDF.type, TIP.State) not in data:
                problem(
                    subject, target, f"a SHERLOC {search.kind} search of one State, on a non-State"
                )
            elif filtered != label(data, subject, "en"):
                problem(
                    subject,
                    target,
                    f"the search filters on {filtered!r}, not on the State's English label "
                    f"{label(data, subject, 'en')!r}",
                )
        else:
            documented, code = sherloc_address(text)
            if not documented:
                problem(
                    subject,
                    target,
                    "not a SHERLOC address form documented in data/reference/checked/sherloc.md",
                )
            elif code is not None and code != INTERNATIONAL_BODIES and code.upper() not in alpha3:
                problem(subject, target, f"{code!r} is not the ISO 3166 code of a State")
            if (subject, RDF.type, TIP.Recommendation) in data:
                pages = {
                    page
                    for database in data.objects(subject, TIP.namesDatabase)
                    for page in data.objects(database, FOAF.page)
                }
                if target not in pages:
                    problem(
                        subject,
                        target,
                        "a recommendation's SHERLOC link must be the page of a database it names "
                        "(tip:namesDatabase … foaf:page)",
                    )

    for thing, items in sorted(wikidata_of.items()):
        if len(items) > 1:
            problem(thing, " ".join(sorted(items)), "more than one Wikidata item for one thing")
    for item, things in sorted(things_of.items()):
        if len(things) > 1:
            for each in sorted(things):
                problem(each, item, "one Wikidata item for several things")

    # The tables are the source of truth for Wikidata; reference data's tip:wikidataId must agree.
    for carrier, literal in sorted(data.subject_objects(TIP.wikidataId), key=str):
        qids = {_qid(URIRef(item)) for item in wikidata_of.get(str(carrier), set())}
        if str(literal) not in qids:
            problem(
                carrier,
                f"wikidata:{literal}",
                f"tip:wikidataId {literal} but the link sets give "
                + (", ".join(sorted(qids)) if qids else "no owl:sameAs"),
            )
    return problems


def check_rows(mappings: Iterable[Mapping], data: Graph) -> list[LinkProblem]:
    """Checks of the tables' rows, those without a target included (sssom:NoTermFound): the
    subject is in the graph, and every State has its two SHERLOC searches or a recorded reason.
    """
    problems: list[LinkProblem] = []
    rows = list(mappings)
    for mapping in rows:
        if (mapping.subject, RDF.type, None) not in data:
            where = f"{Path(mapping.path).name}:{mapping.line}"
            target = "sssom:NoTermFound" if mapping.unmapped else str(mapping.object)
            problems.append(
                LinkProblem(
                    str(mapping.subject),
                    target,
                    f"the link set row ({where}) is about a resource not in the graph",
                )
            )
    sherloc = [m for m in rows if Path(m.path).name == "sherloc.sssom.tsv"]
    searches: dict[URIRef, set[str]] = defaultdict(set)
    reasons: set[URIRef] = set()
    for mapping in sherloc:
        if mapping.unmapped:
            reasons.add(mapping.subject)
        elif (search := state_search_of(str(mapping.object))) is not None:
            searches[mapping.subject].add(search.kind)
    kinds = {search.kind for search in SHERLOC_STATE_SEARCHES}
    for state in sorted(s for s in data.subjects(RDF.type, TIP.State) if isinstance(s, URIRef)):
        found = searches.get(state, set())
        if found == kinds and state not in reasons:
            continue
        if found and state in reasons:
            text = "both SHERLOC searches and sssom:NoTermFound: one or the other"
        elif found:
            text = (
                f"only the {', '.join(sorted(found))} search of SHERLOC and no reason for the other"
            )
        elif state not in reasons:
            text = "neither SHERLOC searches nor a reason (rerun scripts/make_mappings.py)"
        else:
            continue
        problems.append(LinkProblem(str(state), "sherloc", text))
    return problems


# --- coverage ----------------------------------------------------------------------------------

# Why a resource that should link has no link, when its table has no row saying why.
DEFAULT_REASONS: dict[str, str] = {
    "sherloc": "no row in data/mappings/sherloc.sssom.tsv",
    "wikidata": (
        "no Wikidata item checked for it: data/reference/checked/wikidata.tsv lists the items "
        "public sources showed for what the 2020 report names, and a remembered QID is not a "
        "checked one"
    ),
    "unbis": (
        "no UNBIS concept of data/reference/checked/unbis.tsv is about the same facet (why each "
        "listed concept is left unmatched: the description of data/mappings/unbis.sssom.tsv)"
    ),
    "sdg": (
        "no SDG target of data/reference/checked/sdg.tsv is about it: the three name trafficking "
        "of every person (8.7), of women and girls (5.2) and of children (16.2)"
    ),
    "treaties": "no page of it documented in data/reference/checked/sherloc.md",
}


@dataclass(frozen=True)
class Gap:
    """A resource that should link to a target and does not, and why."""

    resource: str
    label: str
    reason: str


@dataclass(frozen=True)
class Coverage:
    """How many of the resources that should link to a target do; the others and why."""

    scheme: str
    should: int
    linked: int
    gaps: tuple[Gap, ...]
    # rows recording that one more link was looked for and not found, on resources that link
    also_not_found: tuple[Gap, ...] = ()
    # (kind of resource, how many should link, how many do), e.g. ("State", 195, 174)
    kinds: tuple[tuple[str, int, int], ...] = ()

    @property
    def name(self) -> str:
        return TARGET_NAMES[self.scheme]


def _instances(data: Graph, cls: URIRef) -> set[URIRef]:
    classes = {cls}
    todo = [cls]
    while todo:
        for sub in data.subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in classes:
                classes.add(sub)
                todo.append(sub)
    return {
        thing
        for each in classes
        for thing in data.subjects(RDF.type, each)
        if isinstance(thing, URIRef)
    }


def should_link(data: Graph, scheme: str) -> set[URIRef]:
    """The resources of the graph that should link to a target, by class."""
    if scheme == "sherloc":
        return _instances(data, TIP.State)
    if scheme == "wikidata":
        return _instances(data, TIP.State) | _instances(data, TIP.Organization)
    if scheme in ("unbis", "sdg"):
        return {c for c in data.subjects(SKOS.inScheme, TIP.themes) if isinstance(c, URIRef)}
    if scheme == "treaties":
        return _instances(data, TIP.LegalInstrument)
    raise ValueError(f"unknown target {scheme!r}")


_KINDS = (
    (TIP.State, "States"),
    (TIP.Organization, "organisations"),
    (TIP.Database, "databases"),
    (TIP.LegalInstrument, "instruments"),
    (TIP.Recommendation, "recommendations"),
)


def _kind(data: Graph, resource: URIRef) -> str:
    if (resource, SKOS.inScheme, TIP.themes) in data:
        return "themes"
    classes = {
        cls
        for each in data.objects(resource, RDF.type)
        for cls in data.transitive_objects(each, RDFS.subClassOf)
    }
    for cls, name in _KINDS:
        if cls in classes:
            return name
    return "other resources"


def coverage(
    mappings: Iterable[Mapping], links: Graph, data: Graph, lang: str = "en"
) -> list[Coverage]:
    """Per target: the resources that should link (by class, and every subject of its table),
    how many do, and every one that does not with the reason its table records."""
    rows = list(mappings)
    result: list[Coverage] = []
    for scheme in TARGET_NAMES:
        table = [m for m in rows if Path(m.path).name == f"{scheme}.sssom.tsv"]
        population = should_link(data, scheme) | {m.subject for m in table}
        linked = {
            subject
            for subject, predicate, target in links
            if isinstance(subject, URIRef)
            and predicate in LINK_PREDICATES
            and scheme_of(target) == scheme
        }
        why: dict[URIRef, str] = {}
        for mapping in table:
            if mapping.unmapped:
                why.setdefault(mapping.subject, mapping.comment or "sssom:NoTermFound")
        gaps = tuple(
            Gap(str(r), label(data, r, lang), why.get(r, DEFAULT_REASONS[scheme]))
            for r in sorted(population - linked)
        )
        notes = tuple(
            Gap(str(r), label(data, r, lang), why[r])
            for r in sorted(population & linked)
            if r in why
        )
        kinds: dict[str, list[int]] = {}
        for resource in population:
            counts = kinds.setdefault(_kind(data, resource), [0, 0])
            counts[0] += 1
            counts[1] += resource in linked
        result.append(
            Coverage(
                scheme,
                len(population),
                len(population & linked),
                gaps,
                notes,
                tuple((kind, should, did) for kind, (should, did) in sorted(kinds.items())),
            )
        )
    return result


def coverage_lines(report: list[Coverage]) -> list[str]:
    """`tipkg links`: per target, the coverage, then the gaps grouped by reason."""
    lines: list[str] = []
    for target in report:
        share = f" ({100 * target.linked / target.should:.0f} %)" if target.should else ""
        lines.append(f"{target.name}: {target.linked} of {target.should} linked{share}")
        if len(target.kinds) > 1:
            lines.append(
                "  " + "; ".join(f"{kind} {did} of {should}" for kind, should, did in target.kinds)
            )
        for heading, gaps in (
            ("not linked", target.gaps),
            ("also not found", target.also_not_found),
        ):
            by_reason: dict[str, list[Gap]] = defaultdict(list)
            for gap in gaps:
                by_reason[gap.reason].append(gap)
            for reason, group in sorted(by_reason.items(), key=lambda kv: (-len(kv[1]), kv[0])):
                lines.append(f"  {heading} ({len(group)}): {reason}")
                lines.extend(f"    {gap.label or gap.resource} <{gap.resource}>" for gap in group)
    return lines


# --- reading for people ------------------------------------------------------------------------


def label(data: Graph, resource: Node, lang: str) -> str:
    """rdfs:label or skos:prefLabel in `lang`, else in English, else empty."""
    for wanted in dict.fromkeys((lang, "en")):
        for prop in (RDFS.label, SKOS.prefLabel):
            for value in sorted(data.objects(resource, prop), key=str):
                if isinstance(value, Literal) and value.language == wanted:
                    return str(value)
    return ""


def links_table(links: Graph, data: Graph, lang: str) -> list[tuple[str, str, str, str]]:
    """(resource, label, target, scheme), ordered by scheme, resource, target: `tipkg links`."""
    rows: set[tuple[str, str, str, str]] = set()
    for subject, predicate, target in links:
        scheme = scheme_of(target)
        if predicate in LINK_PREDICATES and scheme is not None and isinstance(subject, URIRef):
            rows.add((str(subject), label(data, subject, lang), str(target), scheme))
    return sorted(rows, key=lambda row: (row[3], row[0], row[2]))


def built_graph(out: Path) -> Graph:
    """Every graph of a build directory (as listed in its build.json) as one rdflib graph."""
    manifest = out / "build.json"
    try:
        graphs = json.loads(manifest.read_text(encoding="utf-8"))["graphs"]
    except (OSError, ValueError, KeyError) as err:
        raise InputError(manifest, None, f"no usable build here: {err}") from err
    data = Graph()
    for relative in sorted(graphs.values()):
        data.parse(out / relative, format="turtle")
    return data


# --- online (on request only; never in a build or a test) --------------------------------------

USER_AGENT = f"tipkg/{__version__} (link checker; +https://w3id.org/tipkg/)"


def _status(request: urllib.request.Request, timeout: float) -> int:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def check_online(
    links: Graph, max_requests: int = 50, delay: float = 1.0, *, timeout: float = 20.0
) -> list[LinkProblem]:
    """Ask every distinct target address once (HEAD, else GET), one at a time, politely.

    At most `max_requests` requests are made, `delay` seconds apart; an address that answers
    with anything but 2xx/3xx, or does not answer, is a problem, and so is every address left
    unchecked when the limit is reached.
    """
    addresses: dict[str, str] = {}
    for subject, predicate, target in sorted(links):
        if (
            predicate in LINK_PREDICATES
            and isinstance(target, URIRef)
            and str(target).startswith(("http://", "https://"))
        ):
            addresses.setdefault(str(target), str(subject))
    problems: list[LinkProblem] = []
    requests = 0
    for address, resource in sorted(addresses.items()):
        if requests >= max_requests:
            problems.append(
                LinkProblem(resource, address, f"not checked: limit of {max_requests} requests")
            )
            continue
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html, application/rdf+xml;q=0.9, */*"}
        status: int | None = None
        error = ""
        for method in ("HEAD", "GET"):
            if requests >= max_requests:
                break
            if requests:
                time.sleep(delay)
            requests += 1
            try:
                status = _status(
                    urllib.request.Request(address, headers=headers, method=method), timeout
                )
            except (urllib.error.URLError, OSError, ValueError) as err:
                status, error = None, str(getattr(err, "reason", err))
            # Some servers refuse HEAD (403, 405, 501) or fail on it: ask again with GET.
            if status is not None and status not in (403, 405, 501):
                break
        if status is None:
            problems.append(LinkProblem(resource, address, f"no answer: {error}"))
        elif not 200 <= status < 400:
            problems.append(LinkProblem(resource, address, f"HTTP {status}"))
    return problems


def unmapped(mappings: Iterable[Mapping]) -> list[Mapping]:
    """The rows that record that no link could be stated (sssom:NoTermFound)."""
    return [mapping for mapping in mappings if mapping.unmapped]
