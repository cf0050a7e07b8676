"""Reference data (States, organisations, instruments in data/reference/) and its generators."""

from __future__ import annotations

import csv
import importlib.resources
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
from rdflib import DCTERMS, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from tipkg import iris
from tipkg.paths import REFERENCE_DIR, ROOT
from tipkg.rdf.turtle import canonical_turtle

TIP = Namespace(str(iris.DEF))
CHECKED = REFERENCE_DIR / "checked"
SCRIPTS = ROOT / "scripts"
# Not rdflib.XSD at module level: pytest probes module attributes and rdflib warns.
POSITIVE_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#positiveInteger")


def _graph(name: str) -> Graph:
    return Graph().parse(REFERENCE_DIR / name, format="turtle")


@pytest.fixture(scope="module")
def states() -> Graph:
    return _graph("states.ttl")


@pytest.fixture(scope="module")
def organizations() -> Graph:
    return _graph("organizations.ttl")


@pytest.fixture(scope="module")
def instruments() -> Graph:
    return _graph("instruments.ttl")


def _checked_rows(name: str) -> list[dict[str, str]]:
    with (CHECKED / name).open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _normalise(name: str) -> str:
    """How matching code compares names: NFC, one apostrophe, case-folded, spaces collapsed."""
    text = unicodedata.normalize("NFC", name).replace("\u2019", "'").casefold()
    return " ".join(text.split())


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def _labels_by_language(graph: Graph, subject: Node, predicate: URIRef) -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = defaultdict(list)
    for label in graph.objects(subject, predicate):
        assert isinstance(label, Literal), f"{subject}: {predicate} {label!r} is not a literal"
        by_lang[label.language or ""].append(str(label))
    return by_lang


def _assert_bilingual_labels(graph: Graph, subject: Node) -> None:
    labels = _labels_by_language(graph, subject, RDFS.label)
    assert set(labels) == {"en", "fr"}, f"{subject}: label languages {sorted(labels)}"
    assert len(labels["en"]) == 1 and len(labels["fr"]) == 1, f"{subject}: {dict(labels)}"
    alt = _labels_by_language(graph, subject, SKOS.altLabel)
    assert set(alt) <= {"en", "fr"}, f"{subject}: altLabel languages {sorted(alt)}"


# -- States ---------------------------------------------------------------------------------------


def _un_members() -> set[str]:
    table = importlib.resources.files("country_converter") / "country_data.tsv"
    with table.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["ISO3"] for row in rows if row["UNmember"].strip() not in ("", "nan")}


def test_states_are_the_un_members_and_two_observers(states: Graph) -> None:
    subjects = set(states.subjects(RDF.type, TIP.State))
    assert len(subjects) == 195
    codes = {str(_one(states, s, TIP.iso3166Alpha3)) for s in subjects}
    assert codes == _un_members() | {"VAT", "PSE"}
    for subject in subjects:
        assert subject == iris.state(str(_one(states, subject, TIP.iso3166Alpha3)))


@pytest.mark.parametrize(
    ("prop", "pattern"),
    [(TIP.iso3166Alpha2, r"[A-Z]{2}"), (TIP.iso3166Alpha3, r"[A-Z]{3}"), (TIP.m49, r"[0-9]{3}")],
)
def test_state_codes_are_well_formed_and_unique(states: Graph, prop: URIRef, pattern: str) -> None:
    values = [_one(states, s, prop) for s in states.subjects(RDF.type, TIP.State)]
    for value in values:
        assert isinstance(value, Literal) and value.datatype is None and value.language is None
        assert re.fullmatch(pattern, str(value)), f"{prop}: {value!r}"
    assert len(set(values)) == len(values)


def test_state_codes_agree_with_pycountry(states: Graph) -> None:
    for subject in states.subjects(RDF.type, TIP.State):
        alpha3 = str(_one(states, subject, TIP.iso3166Alpha3))
        country = pycountry.countries.get(alpha_3=alpha3)
        assert country is not None, alpha3
        assert str(_one(states, subject, TIP.iso3166Alpha2)) == country.alpha_2
        assert str(_one(states, subject, TIP.m49)) == country.numeric


def test_state_wikidata_ids_are_exactly_the_checked_ones(states: Graph) -> None:
    checked = {
        row["iso3"]: row["qid"] for row in _checked_rows("wikidata.tsv") if row["kind"] == "state"
    }
    assert checked, "no State rows in checked/wikidata.tsv"
    found = {
        str(_one(states, s, TIP.iso3166Alpha3)): str(qid)
        for s, qid in states.subject_objects(TIP.wikidataId)
    }
    assert found == checked


def test_every_state_has_one_label_in_french_and_in_english(states: Graph) -> None:
    for subject in states.subjects(RDF.type, TIP.State):
        _assert_bilingual_labels(states, subject)


def test_french_state_names_use_the_typographic_apostrophe(states: Graph) -> None:
    for predicate in (RDFS.label, SKOS.altLabel):
        for _, label in states.subject_objects(predicate):
            if isinstance(label, Literal) and label.language == "fr":
                assert "'" not in str(label), f"ASCII apostrophe in {label!r}"


def _state_index(states: Graph) -> dict[tuple[str, str], set[str]]:
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    for predicate in (RDFS.label, SKOS.altLabel):
        for subject, label in states.subject_objects(predicate):
            assert isinstance(label, Literal)
            alpha3 = str(_one(states, subject, TIP.iso3166Alpha3))
            index[(label.language or "", _normalise(str(label)))].add(alpha3)
    return index


@pytest.mark.parametrize(
    ("lang", "name", "alpha3"),
    [
        ("fr", "Royaume-Uni", "GBR"),
        ("fr", "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord", "GBR"),
        ("fr", "États-Unis", "USA"),
        ("fr", "États-Unis d’Amérique", "USA"),
        ("fr", "Venezuela (République bolivarienne du)", "VEN"),
        ("fr", "République bolivarienne du Venezuela", "VEN"),
        ("fr", "Iran (République islamique d’)", "IRN"),
        ("fr", "République islamique d’Iran", "IRN"),
        ("fr", "République islamique d'Iran", "IRN"),
        ("fr", "État de Palestine", "PSE"),
        ("fr", "Iraq", "IRQ"),
        ("fr", "Irak", "IRQ"),
        ("fr", "Chine", "CHN"),
        ("fr", "Kenya", "KEN"),
        ("fr", "Argentine", "ARG"),
        ("fr", "Nouvelle-Zélande", "NZL"),
        ("fr", "Saint-Siège", "VAT"),
        ("en", "United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("en", "Venezuela (Bolivarian Republic of)", "VEN"),
        ("en", "Iran (Islamic Republic of)", "IRN"),
        ("en", "Islamic Republic of Iran", "IRN"),
        ("en", "State of Palestine", "PSE"),
        ("en", "United States of America", "USA"),
        ("en", "Republic of Korea", "KOR"),
        ("en", "Holy See", "VAT"),
    ],
)
def test_report_forms_resolve_to_one_state(
    states: Graph, lang: str, name: str, alpha3: str
) -> None:
    assert _state_index(states).get((lang, _normalise(name))) == {alpha3}


def test_no_state_name_is_shared_by_two_states(states: Graph) -> None:
    shared = {key: codes for key, codes in _state_index(states).items() if len(codes) > 1}
    assert not shared


def test_un_short_names_are_the_labels(states: Graph) -> None:
    path = REFERENCE_DIR / "un-names.tsv"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#") and "United Nations" in first
    with path.open(encoding="utf-8") as handle:
        rows = list(
            csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        )
    assert {"GBR", "USA", "VEN", "IRN", "PSE", "IRQ", "BOL", "KOR", "PRK", "MDA", "TZA"} <= {
        row["alpha3"] for row in rows
    }
    for row in rows:
        subject = iris.state(row["alpha3"])
        assert (subject, RDF.type, TIP.State) in states, row["alpha3"]
        assert (subject, RDFS.label, Literal(row["name_en"], lang="en")) in states
        assert (subject, RDFS.label, Literal(row["name_fr"], lang="fr")) in states


# -- Organisations --------------------------------------------------------------------------------

ORGANIZATIONS = {
    "interpol": (TIP.IntergovernmentalOrganization, "Q8475"),
    "europol": (TIP.IntergovernmentalOrganization, "Q207203"),
    "unodc": (TIP.UnitedNationsEntity, None),
    "iom": (TIP.IntergovernmentalOrganization, "Q472311"),
    "pam": (TIP.IntergovernmentalOrganization, "Q3369689"),
    "srtip": (TIP.UnitedNationsEntity, None),
    "united-nations": (TIP.UnitedNationsEntity, "Q1065"),
    "cop-untoc": (TIP.ConferenceOfTheParties, None),
    "wg-tip": (TIP.WorkingGroup, None),
    # Issue 14: bodies a report on trafficking names, with the items data/reference/checked lists.
    "ccpcj": (TIP.UnitedNationsEntity, "Q104842946"),
    "cnd": (TIP.UnitedNationsEntity, "Q469618"),
    "unicri": (TIP.UnitedNationsEntity, "Q1427752"),
    # Issue 15: the Council is the intergovernmental body its UPR Working Group is subsidiary of.
    "human-rights-council": (TIP.IntergovernmentalBody, "Q205650"),
    "upr-wg": (TIP.WorkingGroup, None),
    "general-assembly": (TIP.UnitedNationsEntity, "Q47423"),
    "ilo": (TIP.UnitedNationsEntity, "Q54129"),
    "unhcr": (TIP.UnitedNationsEntity, "Q28606331"),
    "un-women": (TIP.UnitedNationsEntity, "Q641576"),
    "icmpd": (TIP.IntergovernmentalOrganization, "Q498496"),
    "osce": (TIP.IntergovernmentalOrganization, "Q81299"),
    "eurojust": (TIP.IntergovernmentalOrganization, "Q940784"),
    "frontex": (TIP.IntergovernmentalOrganization, "Q21786841"),
    "cepol": (TIP.IntergovernmentalOrganization, "Q1377490"),
    "fundamental-rights-agency": (TIP.IntergovernmentalOrganization, "Q48790"),
    "african-union": (TIP.IntergovernmentalOrganization, "Q7159"),
    "ecowas": (TIP.IntergovernmentalOrganization, "Q193272"),
}
DATABASES = ("sherloc", "sherloc-case-law", "sherloc-legislation")


def test_organizations_are_the_expected_ones(organizations: Graph) -> None:
    expected = {iris.organization(key): cls for key, (cls, _) in ORGANIZATIONS.items()}
    expected.update({iris.database(key): TIP.Database for key in DATABASES})
    typed = {s: o for s, o in organizations.subject_objects(RDF.type)}
    assert typed == expected
    wg, cop = iris.organization("wg-tip"), iris.organization("cop-untoc")
    assert list(organizations.objects(wg, TIP.subsidiaryOf)) == [cop]


def test_every_organization_has_one_label_in_french_and_in_english(organizations: Graph) -> None:
    for subject in set(organizations.subjects(RDF.type, None)):
        _assert_bilingual_labels(organizations, subject)


def test_organization_wikidata_ids_are_exactly_the_checked_ones(organizations: Graph) -> None:
    checked = {row["qid"] for row in _checked_rows("wikidata.tsv") if row["kind"] == "organization"}
    expected = {iris.organization(key): qid for key, (_, qid) in ORGANIZATIONS.items() if qid}
    found = {s: str(qid) for s, qid in organizations.subject_objects(TIP.wikidataId)}
    assert found == expected
    assert set(found.values()) <= checked


def test_organization_acronyms_are_alternative_labels(organizations: Graph) -> None:
    def alt(key: str, text: str, lang: str) -> bool:
        return (iris.organization(key), SKOS.altLabel, Literal(text, lang=lang)) in organizations

    assert alt("interpol", "INTERPOL", "en") and alt("interpol", "Interpol", "fr")
    assert alt("unodc", "UNODC", "en") and alt("unodc", "ONUDC", "fr")
    assert alt("iom", "IOM", "en") and alt("iom", "OIM", "fr")
    assert alt("pam", "PAM", "en") and alt("pam", "APM", "fr")
    assert alt("united-nations", "ONU", "fr")
    assert not list(organizations.subject_objects(SKOS.notation))


def test_organizations_file_is_canonical() -> None:
    path = REFERENCE_DIR / "organizations.ttl"
    text = path.read_text(encoding="utf-8")
    header = text.splitlines()[0]
    assert header.startswith("# Hand-edited")
    parsed = Graph().parse(data=text, format="turtle")
    graph = Graph()
    for triple in parsed:
        graph.add(triple)
    assert canonical_turtle(graph, header=header) == text


# -- Instruments ----------------------------------------------------------------------------------


def _articles(instruments: Graph, key: str) -> dict[int, URIRef]:
    node = iris.instrument(key)
    out: dict[int, URIRef] = {}
    for article in instruments.subjects(TIP.ofInstrument, node):
        assert isinstance(article, URIRef)
        number = _one(instruments, article, TIP.number)
        assert isinstance(number, Literal) and number.datatype == POSITIVE_INTEGER
        out[int(number)] = article
    return out


@pytest.mark.parametrize(("key", "count"), [("untoc", 41), ("tip-protocol", 20)])
def test_instrument_articles(instruments: Graph, key: str, count: int) -> None:
    articles = _articles(instruments, key)
    assert sorted(articles) == list(range(1, count + 1))
    for number, article in articles.items():
        assert article == iris.provision(key, number)
        assert (article, RDF.type, TIP.Provision) in instruments
        _assert_bilingual_labels(instruments, article)
        titles = _labels_by_language(instruments, article, DCTERMS.title)
        assert len(titles["en"]) == 1 and len(titles.get("fr", [])) <= 1
        assert set(titles) <= {"en", "fr"}


def test_instruments_and_their_relation(instruments: Graph) -> None:
    untoc, protocol = iris.instrument("untoc"), iris.instrument("tip-protocol")
    assert (untoc, RDF.type, TIP.Convention) in instruments
    assert (protocol, RDF.type, TIP.Protocol) in instruments
    assert list(instruments.objects(protocol, TIP.supplements)) == [untoc]
    for node in (untoc, protocol):
        _assert_bilingual_labels(instruments, node)
    assert (untoc, SKOS.altLabel, Literal("UNTOC", lang="en")) in instruments
    assert (
        protocol,
        SKOS.altLabel,
        Literal("Trafficking in Persons Protocol", lang="en"),
    ) in instruments


def test_article_18_of_untoc(instruments: Graph) -> None:
    article = iris.provision("untoc", 18)
    assert (article, DCTERMS.title, Literal("Mutual legal assistance", lang="en")) in instruments
    assert (article, DCTERMS.title, Literal("Entraide judiciaire", lang="fr")) in instruments
    en = "Article 18 of the United Nations Convention against Transnational Organized Crime"
    fr = (
        "Article 18 de la Convention des Nations Unies contre la criminalité transnationale "
        "organisée"
    )
    assert (article, RDFS.label, Literal(en, lang="en")) in instruments
    assert (article, RDFS.label, Literal(fr, lang="fr")) in instruments


# -- Generators -----------------------------------------------------------------------------------


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / script), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("script", "output"),
    [("make_states.py", "states.ttl"), ("make_instruments.py", "instruments.ttl")],
)
def test_generated_file_is_up_to_date(tmp_path: Path, script: str, output: str) -> None:
    target = tmp_path / output
    result = _run(script, "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == (REFERENCE_DIR / output).read_bytes(), (
        f"data/reference/{output} is stale: run scripts/{script}"
    )
    assert target.read_text(encoding="utf-8").startswith(f"# Generated by scripts/{script}")


def _broken_treaties(tmp_path: Path, old: str, new: str) -> Path:
    treaties = tmp_path / "treaties"
    shutil.copytree(REFERENCE_DIR / "treaties", treaties)
    path = treaties / "untoc-2000.en-nl.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return treaties


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("### Article  18  \n", "### Article  81  \n", 281, "where article 18 was expected"),
        ("####Mutual legal assistance\n", "Mutual legal assistance\n", 281, "has no '####Title'"),
    ],
)
def test_make_instruments_fails_loudly_on_a_malformed_treaty(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    treaties = _broken_treaties(tmp_path, old, new)
    result = _run(
        "make_instruments.py", "--treaties", str(treaties), "--output", str(tmp_path / "x.ttl")
    )
    assert result.returncode == 2
    assert f"untoc-2000.en-nl.md:{line}:" in result.stderr
    assert message in result.stderr
    assert not (tmp_path / "x.ttl").exists()
