"""The ontology sources (ontology/*.ttl), their loader (tipkg.ontology) and the generated
namespace module (tipkg.vocab, from scripts/gen_vocab.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from tipkg import __version__
from tipkg.ontology import ONTOLOGY_IRI, load_ontology, ontology_files, version_iri
from tipkg.paths import ONTOLOGY_DIR, ROOT
from tipkg.rdf.turtle import canonical_turtle

TIP = Namespace("https://w3id.org/tipkg/def/")
# Plain namespaces: rdflib's closed XSD namespace warns when pytest probes module attributes.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SDO = Namespace("https://schema.org/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
OA = Namespace("http://www.w3.org/ns/oa#")
DCT = Namespace("http://purl.org/dc/terms/")
SOURCES = [ONTOLOGY_DIR / "tipkg.ttl", ONTOLOGY_DIR / "schemes.ttl"]


def _texts(graph: Graph, subject: Node, predicate: URIRef) -> set[tuple[str, str | None]]:
    """The (text, language) pairs of the literal values of ``predicate`` on ``subject``."""
    return {
        (str(value), value.language)
        for value in graph.objects(subject, predicate)
        if isinstance(value, Literal)
    }


def _script(name: str) -> ModuleType:
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_tipkg_script_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def source() -> Graph:
    """tipkg.ttl and schemes.ttl as written, without the version stamp."""
    graph = Graph()
    for path in SOURCES:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


# --- the files --------------------------------------------------------------------------------


def test_sources_exist() -> None:
    assert set(SOURCES) <= set(ontology_files())


@pytest.mark.parametrize("path", ontology_files(), ids=lambda p: p.name)
def test_file_parses(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 0


@pytest.mark.parametrize("path", ontology_files(), ids=lambda p: p.name)
def test_file_is_canonical(path: Path) -> None:
    fmt = _script("fmt_turtle")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{path.name} has no comment header"
    assert text == fmt.canonical_text(text), f"{path.name} is not canonical: run make fmt"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_states_no_version(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert not list(graph.objects(ONTOLOGY_IRI, OWL.versionIRI))
    assert not list(graph.objects(ONTOLOGY_IRI, OWL.versionInfo))


def test_canonical_form_is_stable(source: Graph) -> None:
    once = canonical_turtle(source, header="# h")
    twice = canonical_turtle(Graph().parse(data=once, format="turtle"), header="# h")
    assert once == twice


def test_fmt_keeps_leading_comments_and_drops_order() -> None:
    fmt = _script("fmt_turtle")
    text = (
        "# first line\n# second line\n"
        "PREFIX tip: <https://w3id.org/tipkg/def/>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        '# an inner comment\ntip:B rdfs:label "b"@en .\ntip:A rdfs:label "a"@en .\n'
    )
    out = fmt.canonical_text(text)
    assert out.startswith("# first line\n# second line\n\n")
    assert "inner comment" not in out
    assert out.index("tip:A") < out.index("tip:B")
    assert fmt.canonical_text(out) == out


def test_fmt_check_reports_without_writing(tmp_path: Path) -> None:
    fmt = _script("fmt_turtle")
    path = tmp_path / "x.ttl"
    messy = "# x\nPREFIX tip: <https://w3id.org/tipkg/def/>\ntip:B a tip:C . tip:A a tip:C .\n"
    path.write_text(messy, encoding="utf-8")
    assert fmt.main(["--check", str(path)]) == 1
    assert path.read_text(encoding="utf-8") == messy
    assert fmt.main([str(path)]) == 0
    assert fmt.main(["--check", str(path)]) == 0


# --- the header and the stamped version -------------------------------------------------------


def test_header(source: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in source
    assert {lang for _, lang in _texts(source, ONTOLOGY_IRI, DCT.title)} == {"fr", "en"}
    assert {lang for _, lang in _texts(source, ONTOLOGY_IRI, DCT.description)} == {"fr", "en"}
    license_ = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (ONTOLOGY_IRI, DCT.license, license_) in source
    assert (ONTOLOGY_IRI, DCT.creator, Literal("tipkg developers")) in source
    assert (ONTOLOGY_IRI, DCT.modified, Literal("2026-11-28", datatype=XSD.date)) in source
    vann = Namespace("http://purl.org/vocab/vann/")
    assert (ONTOLOGY_IRI, vann.preferredNamespacePrefix, Literal("tip")) in source
    assert (ONTOLOGY_IRI, vann.preferredNamespaceUri, Literal(str(TIP))) in source
    undo = URIRef("https://w3id.org/un/ontology/undo/")
    assert (ONTOLOGY_IRI, RDFS.seeAlso, undo) in source


def test_load_ontology_stamps_the_version(ontology: Graph) -> None:
    assert str(ONTOLOGY_IRI) == "https://w3id.org/tipkg/def/"
    assert list(ontology.objects(ONTOLOGY_IRI, OWL.versionInfo)) == [Literal(__version__)]
    assert list(ontology.objects(ONTOLOGY_IRI, OWL.versionIRI)) == [
        URIRef(f"https://w3id.org/tipkg/def/{__version__}/")
    ]
    assert version_iri("1.2.3") == URIRef("https://w3id.org/tipkg/def/1.2.3/")


def test_version_comes_from_pyproject() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert __version__ == project["project"]["version"]


def test_load_ontology_refuses_a_typed_version(tmp_path: Path) -> None:
    (tmp_path / "o.ttl").write_text(
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        '<https://w3id.org/tipkg/def/> a owl:Ontology ; owl:versionInfo "9.9" .\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="versionInfo"):
        load_ontology(tmp_path)
    with pytest.raises(FileNotFoundError):
        load_ontology(tmp_path / "missing")


def test_load_ontology_takes_a_version(tmp_path: Path) -> None:
    graph = load_ontology(version="2.0.0")
    assert (ONTOLOGY_IRI, OWL.versionIRI, URIRef(f"{TIP}2.0.0/")) in graph
    with pytest.raises(ValueError):
        version_iri("not a version")


# --- required terms ---------------------------------------------------------------------------

CLASSES = {
    "Actor": [FOAF.Agent],
    "State": [TIP.Actor],
    "Organization": [TIP.Actor, ORG.FormalOrganization],
    "IntergovernmentalOrganization": [TIP.Organization],
    "UnitedNationsEntity": [TIP.Organization],
    "CivilSocietyOrganization": [TIP.Organization],
    "IntergovernmentalBody": [TIP.Organization],
    "WorkingGroup": [TIP.IntergovernmentalBody],
    "ConferenceOfTheParties": [TIP.IntergovernmentalBody],
    "Person": [TIP.Actor, FOAF.Person],
    "Database": [DCAT.Dataset],
    "Report": [ELI.Work],
    "ReportExpression": [ELI.Expression],
    "ReportFile": [ELI.Manifestation],
    "ReportPart": [],
    "Section": [],
    "Paragraph": [],
    "Recommendation": [],
    "Meeting": [SDO.Event],
    "AgendaItem": [],
    "Participation": [],
    "LegalInstrument": [ELI.LegalResource],
    "Convention": [TIP.LegalInstrument],
    "Protocol": [TIP.LegalInstrument],
    "Provision": [ELI.LegalResourceSubdivision],
    "TextRepair": [],
    "Mention": [],
    "ThemeAssignment": [],
    "Build": [PROV.Activity],
    "Review": [TIP.Meeting],
    "Response": [],
    "Note": [],
}

# name: (super-properties, domain or None, range or None); a union domain is given as a list.
OBJECT_PROPERTIES: dict[str, tuple[list[URIRef], object, object]] = {
    "hasExpression": ([ELI.is_realized_by], TIP.Report, TIP.ReportExpression),
    "hasFile": ([ELI.is_embodied_by], TIP.ReportExpression, TIP.ReportFile),
    "documentKind": ([], TIP.Report, SKOS.Concept),
    "reportOf": ([], TIP.Report, TIP.Meeting),
    "partOf": (
        [DCT.isPartOf],
        [TIP.ReportPart, TIP.Section, TIP.Paragraph, TIP.Recommendation],
        [TIP.Report, TIP.ReportPart, TIP.Section, TIP.Paragraph],
    ),
    "inReport": ([], [TIP.Paragraph, TIP.Recommendation, TIP.Response, TIP.Note], TIP.Report),
    "calledFrom": ([], TIP.Note, [TIP.Report, TIP.Paragraph, TIP.Recommendation]),
    "inSection": ([], TIP.Recommendation, TIP.Section),
    "addressee": ([], TIP.Recommendation, SKOS.Concept),
    "strength": ([], TIP.Recommendation, SKOS.Concept),
    "theme": ([DCT.subject], TIP.Recommendation, SKOS.Concept),
    "namesOrganization": ([], TIP.Recommendation, TIP.Organization),
    "citesProvision": ([], TIP.Recommendation, TIP.Provision),
    "namesDatabase": ([], TIP.Recommendation, TIP.Database),
    "hasMention": ([], TIP.Recommendation, TIP.Mention),
    "mentionOf": (
        [],
        TIP.Mention,
        [TIP.Actor, TIP.LegalInstrument, TIP.Provision, TIP.Database],
    ),
    "hasThemeAssignment": ([], TIP.Recommendation, TIP.ThemeAssignment),
    "assignedTheme": ([], TIP.ThemeAssignment, SKOS.Concept),
    "meetingOf": ([], TIP.Meeting, TIP.IntergovernmentalBody),
    "subsidiaryOf": (
        [ORG.subOrganizationOf],
        TIP.IntergovernmentalBody,
        TIP.IntergovernmentalBody,
    ),
    "hasAgendaItem": ([], TIP.Meeting, TIP.AgendaItem),
    "participant": ([], TIP.Participation, TIP.Actor),
    "inMeeting": ([], TIP.Participation, TIP.Meeting),
    "role": ([], TIP.Participation, SKOS.Concept),
    "agendaItem": ([], TIP.Participation, TIP.AgendaItem),
    "onBehalfOf": ([], TIP.Participation, TIP.State),
    "ofInstrument": ([DCT.isPartOf], TIP.Provision, TIP.LegalInstrument),
    "supplements": ([], TIP.Protocol, TIP.Convention),
    "sourceSpan": (
        [],
        [TIP.ReportPart, TIP.Section, TIP.Paragraph, TIP.Recommendation],
        OA.SpecificResource,
    ),
    "hasRepair": ([], [TIP.ReportExpression, TIP.Recommendation], TIP.TextRepair),
    "inSource": ([], TIP.TextRepair, TIP.ReportFile),
    "addendumTo": ([], TIP.Report, TIP.Report),
    "stateUnderReview": ([], TIP.Review, TIP.State),
    "recommendedBy": ([], TIP.Recommendation, TIP.State),
    "respondsTo": ([], TIP.Response, TIP.Recommendation),
    "position": ([], TIP.Response, SKOS.Concept),
    "givenIn": ([], TIP.Response, TIP.Paragraph),
}

DATATYPE_PROPERTIES: dict[str, URIRef] = {
    "number": XSD.positiveInteger,
    "letter": XSD.string,
    "numeral": XSD.string,
    "text": RDF.langString,
    "documentSymbol": XSD.string,
    "documentKey": XSD.string,
    "sha256": XSD.string,
    "fileName": XSD.string,
    "pageCount": XSD.positiveInteger,
    "pdfProducer": XSD.string,
    "iso3166Alpha2": XSD.string,
    "iso3166Alpha3": XSD.string,
    "m49": XSD.string,
    "wikidataId": XSD.string,
    "place": RDF.langString,
    "startDate": XSD.date,
    "endDate": XSD.date,
    "matchedText": XSD.string,
    "rule": XSD.string,
    "originalText": XSD.string,
    "repairedText": XSD.string,
    "startOffset": XSD.nonNegativeInteger,
    "endOffset": XSD.nonNegativeInteger,
    "repairKind": XSD.string,
    "softwareVersion": XSD.string,
    "session": XSD.positiveInteger,
    "cycle": XSD.positiveInteger,
    "printedNumber": XSD.string,
    "noteCall": XSD.string,
    "onPage": XSD.positiveInteger,
}


def _class_expression(graph: Graph, node: Node | None) -> object:
    """A named class as itself, an owl:unionOf as the list of its members."""
    union = graph.value(node, OWL.unionOf) if node is not None else None
    return list(Collection(graph, union)) if union is not None else node


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_class(source: Graph, name: str) -> None:
    term = TIP[name]
    assert (term, RDF.type, OWL.Class) in source
    supers = set(source.objects(term, RDFS.subClassOf))
    assert supers == set(CLASSES[name]), f"{name}: subClassOf {supers}"


@pytest.mark.parametrize("name", sorted(OBJECT_PROPERTIES))
def test_object_property(source: Graph, name: str) -> None:
    term = TIP[name]
    supers, domain, range_ = OBJECT_PROPERTIES[name]
    assert (term, RDF.type, OWL.ObjectProperty) in source
    assert set(source.objects(term, RDFS.subPropertyOf)) == set(supers)
    assert _class_expression(source, source.value(term, RDFS.domain)) == domain
    assert _class_expression(source, source.value(term, RDFS.range)) == range_


@pytest.mark.parametrize("name", sorted(DATATYPE_PROPERTIES))
def test_datatype_property(source: Graph, name: str) -> None:
    term = TIP[name]
    assert (term, RDF.type, OWL.DatatypeProperty) in source
    assert source.value(term, RDFS.range) == DATATYPE_PROPERTIES[name]


def test_date_properties_align_with_schema_org(source: Graph) -> None:
    assert (TIP.startDate, RDFS.subPropertyOf, SDO.startDate) in source
    assert (TIP.endDate, RDFS.subPropertyOf, SDO.endDate) in source


def test_no_other_terms(source: Graph) -> None:
    """Every class and property of the namespace is one of the required terms: a new term gets a
    line in this test (and in the design), not a silent entry."""
    declared = {
        str(s)[len(str(TIP)) :]
        for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in source.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(str(TIP))
    }
    assert declared == set(CLASSES) | set(OBJECT_PROPERTIES) | set(DATATYPE_PROPERTIES)


def _disjoint_groups(graph: Graph) -> list[set[Node]]:
    groups: list[set[Node]] = []
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(node, OWL.members)
        assert members is not None
        groups.append(set(Collection(graph, members)))
    groups += [{a, b} for a, b in graph.subject_objects(OWL.disjointWith)]
    return groups


@pytest.mark.parametrize(
    "pair",
    [
        (TIP.State, TIP.Organization),
        (TIP.State, TIP.Person),
        (TIP.Organization, TIP.Person),
        (TIP.Recommendation, TIP.Paragraph),
        (TIP.Recommendation, TIP.Section),
        (TIP.Recommendation, TIP.ReportPart),
        (TIP.Recommendation, TIP.Report),
        (TIP.Paragraph, TIP.Section),
        (TIP.Paragraph, TIP.ReportPart),
        (TIP.Paragraph, TIP.Report),
        (TIP.Section, TIP.ReportPart),
        (TIP.Section, TIP.Report),
        (TIP.ReportPart, TIP.Report),
        (TIP.Meeting, TIP.Actor),
        (TIP.Recommendation, TIP.LegalInstrument),
        (TIP.Recommendation, TIP.Provision),
    ],
    ids=lambda pair: f"{pair[0].split('/')[-1]}-{pair[1].split('/')[-1]}",
)
def test_disjoint(source: Graph, pair: tuple[URIRef, URIRef]) -> None:
    assert any(set(pair) <= group for group in _disjoint_groups(source))


def test_notes_are_scope_notes_not_comments(source: Graph) -> None:
    assert not [s for s in source.subjects(RDFS.comment, None) if str(s).startswith(str(TIP))]


def test_every_external_term_is_declared(source: Graph) -> None:
    """External classes and properties used in axioms are declared, so the ontology is OWL 2 DL
    for HermiT; they are exactly the alignments checked against their vocabularies."""
    external = {
        s for s in source.subjects(RDF.type, None)
        if isinstance(s, URIRef) and not str(s).startswith(str(TIP))
    }  # fmt: skip
    assert external == {
        FOAF.Agent, FOAF.Person, ORG.FormalOrganization, ORG.subOrganizationOf, DCAT.Dataset,
        ELI.Work, ELI.Expression, ELI.Manifestation, ELI.LegalResource,
        ELI.LegalResourceSubdivision, ELI.is_realized_by, ELI.is_embodied_by, SDO.Event,
        SDO.startDate, SDO.endDate, PROV.Activity, SKOS.Concept, OA.SpecificResource,
        DCT.isPartOf, DCT.subject,
    }  # fmt: skip


# --- schemes ----------------------------------------------------------------------------------

SCHEMES: dict[str, tuple[str, list[str]]] = {
    "themes": (
        "theme",
        [
            "trafficking-in-persons", "victim-identification", "victim-protection",
            "residence-permits", "protection-from-reprisals", "awareness-raising", "training",
            "international-cooperation", "mutual-legal-assistance", "extradition-and-return",
            "extradition", "return-of-victims",
            "police-cooperation", "digital-evidence", "non-punishment", "expungement-of-records",
            "children", "trauma-informed-approach", "specialized-prosecution",
            "joint-investigation-teams", "harmonisation-of-legislation",
            "civil-society-partnership",
        ],
    ),
    "strengths": ("strength", ["should", "should-consider", "encouraged", "may-consider"]),
    "roles": ("role", ["represented", "statement", "observer", "panelist", "chair", "troika"]),
    "addressees": ("addressee", ["states-parties", "state-under-review"]),
    "documentKinds": (
        "document-kind", ["report", "draft-report", "draft-report-addendum", "addendum"]
    ),
    "responsePositions": ("position", ["supported", "noted"]),
}  # fmt: skip


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_scheme_concepts(source: Graph, scheme: str) -> None:
    segment, keys = SCHEMES[scheme]
    scheme_iri = TIP[scheme]
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in source
    members = set(source.subjects(SKOS.inScheme, scheme_iri))
    assert members == {URIRef(f"{TIP}{segment}/{key}") for key in keys}
    for key in keys:
        concept = URIRef(f"{TIP}{segment}/{key}")
        assert (concept, RDF.type, SKOS.Concept) in source
        assert list(source.objects(concept, SKOS.notation)) == [Literal(key)]


def test_theme_hierarchy(source: Graph) -> None:
    top = URIRef(f"{TIP}theme/trafficking-in-persons")
    assert list(source.objects(TIP.themes, SKOS.hasTopConcept)) == [top]
    assert (top, SKOS.topConceptOf, TIP.themes) in source
    assert (top, SKOS.prefLabel, Literal("traite des personnes", lang="fr")) in source
    assert (top, SKOS.prefLabel, Literal("trafficking in persons", lang="en")) in source
    for concept in source.subjects(SKOS.inScheme, TIP.themes):
        if concept != top:
            assert list(source.objects(concept, SKOS.broader)) == [top], concept
    non_punishment = URIRef(f"{TIP}theme/non-punishment")
    label = Literal("principe de non-sanction", lang="fr")
    assert (non_punishment, SKOS.prefLabel, label) in source


def test_themes_carry_no_trigger_words(source: Graph) -> None:
    """Trigger phrases live in ontology/theme-rules.ttl, kept by the classifier's owner."""
    for concept in source.subjects(SKOS.inScheme, TIP.themes):
        assert not list(source.objects(concept, SKOS.altLabel))
        assert not list(source.objects(concept, SKOS.hiddenLabel))


@pytest.mark.parametrize(
    ("key", "clauses"),
    [
        ("should", {("devraient", "fr"), ("should", "en")}),
        ("should-consider", {("devraient envisager", "fr"), ("should consider", "en")}),
        ("encouraged", {("sont encouragés à", "fr"), ("are encouraged to", "en")}),
        ("may-consider", {("pourraient envisager", "fr"), ("may consider", "en")}),
    ],
)
def test_strength_operative_clauses(source: Graph, key: str, clauses: set[tuple[str, str]]) -> None:
    concept = URIRef(f"{TIP}strength/{key}")
    assert _texts(source, concept, SKOS.hiddenLabel) == clauses
    assert (concept, SKOS.topConceptOf, TIP.strengths) in source


def test_addressee_label(source: Graph) -> None:
    concept = URIRef(f"{TIP}addressee/states-parties")
    assert (concept, SKOS.prefLabel, Literal("États parties", lang="fr")) in source
    assert (concept, SKOS.prefLabel, Literal("States parties", lang="en")) in source


# --- the generated namespace module ----------------------------------------------------------


def test_vocab_is_up_to_date() -> None:
    gen = _script("gen_vocab")
    expected = gen.render(gen.load_graph())
    current = (ROOT / "src" / "tipkg" / "vocab.py").read_text(encoding="utf-8")
    assert current == expected, "src/tipkg/vocab.py is stale: run python scripts/gen_vocab.py"
    assert current.splitlines()[0] == (
        "# Generated by scripts/gen_vocab.py from ontology/*.ttl — do not edit."
    )


def test_vocab_names_every_term(source: Graph) -> None:
    from tipkg import vocab

    for name in [*CLASSES, *OBJECT_PROPERTIES, *DATATYPE_PROPERTIES, *SCHEMES]:
        assert getattr(vocab.TIP, name) == TIP[name]
    with pytest.raises(AttributeError):
        vocab.TIP.Recomendation  # noqa: B018  (the typo must fail)
    tables = {
        "themes": vocab.THEMES,
        "strengths": vocab.STRENGTHS,
        "roles": vocab.ROLES,
        "addressees": vocab.ADDRESSEES,
        "documentKinds": vocab.DOCUMENT_KINDS,
        "responsePositions": vocab.RESPONSE_POSITIONS,
    }
    for scheme, table in tables.items():
        segment, keys = SCHEMES[scheme]
        assert table == {key: URIRef(f"{TIP}{segment}/{key}") for key in keys}
