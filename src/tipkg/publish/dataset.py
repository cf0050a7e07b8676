"""Dumps of the whole graph, their checksums, and the dataset's VoID / DCAT description.

The description keeps canonical IRIs (download URLs under https://w3id.org/tipkg/), whatever
base URL the site is published under; its dates are the build's time (dist/build.json), never
the clock, so that the same build publishes the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipkg import __version__
from tipkg.errors import InputError
from tipkg.publish import vocab
from tipkg.publish.formats import serialize
from tipkg.publish.model import BuildData, read_turtle, triple_key
from tipkg.publish.records import recommendations
from tipkg.publish.urls import CANONICAL, dataset_iri, sparql_endpoint

IANA = "https://www.iana.org/assignments/media-types/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
UN_TERMS = "https://www.un.org/en/about-us/terms-of-use"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
XSD = vocab.XSD
TITLE_EN = "Recommendations of the Working Group on Trafficking in Persons (tipkg)"
TITLE_FR = "Recommandations du Groupe de travail sur la traite des personnes (tipkg)"
DESCRIPTION_EN = (
    "The recommendations of the Working Group on Trafficking in Persons of the Conference of "
    "the Parties to the United Nations Convention against Transnational Organized Crime, as "
    "linked data: the reports, their structure and text with the span of the source each "
    "statement comes from, each recommendation's strength, themes and addressees, the "
    "organisations and treaty provisions it names, and who took part in the meeting."
)
DESCRIPTION_FR = (
    "Les recommandations du Groupe de travail sur la traite des personnes de la Conférence des "
    "Parties à la Convention des Nations Unies contre la criminalité transnationale organisée, "
    "en données liées : les rapports, leur structure et leur texte avec le passage de la source "
    "d’où vient chaque énoncé, la force, les thèmes et les destinataires de chaque "
    "recommandation, les organisations et les dispositions conventionnelles qu’elle nomme, et "
    "les participants à la réunion."
)


@dataclass(frozen=True)
class Dump:
    key: str
    path: str
    title: str
    media_type: str
    body: bytes
    compressed: bool = False
    subset: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def whole_graph_dumps(data: BuildData) -> list[Dump]:
    """The union of the build's graphs in four syntaxes (N-Triples gzipped)."""
    triples = data.triples
    nt = serialize(triples, "nt")
    return [
        Dump(
            "ttl",
            "dumps/tipkg.ttl",
            "The whole graph (Turtle)",
            "text/turtle",
            serialize(triples, "ttl"),
        ),
        Dump(
            "nt-gz",
            "dumps/tipkg.nt.gz",
            "The whole graph (N-Triples, gzip)",
            "application/n-triples",
            gzip.compress(nt, compresslevel=9, mtime=0),
            compressed=True,
        ),
        Dump(
            "jsonld",
            "dumps/tipkg.jsonld",
            "The whole graph (JSON-LD)",
            "application/ld+json",
            serialize(triples, "jsonld"),
        ),
        Dump(
            "rdf",
            "dumps/tipkg.rdf",
            "The whole graph (RDF/XML)",
            "application/rdf+xml",
            serialize(triples, "rdf"),
        ),
    ]


def graph_dump_path(name: str) -> str:
    """Where a named graph's dump is (``dumps/report/<key>.ttl``); "" for a graph not ours."""
    if not name.startswith(CANONICAL + "graph/"):
        return ""
    return f"dumps/{name[len(CANONICAL + 'graph/') :]}.ttl"


def graph_dump(data: BuildData, name: str) -> Dump | None:
    """A named graph of the build as the build wrote it (canonical Turtle); None when the build
    has no such graph or it is not ours."""
    graph = data.graph(name)
    path = graph_dump_path(name)
    if graph is None or not path:
        return None
    rest = path.removeprefix("dumps/").removesuffix(".ttl")
    return Dump(
        "graph-" + rest.replace("/", "-"),
        path,
        f"Named graph {rest} (Turtle)",
        "text/turtle",
        graph.path.read_bytes(),
        subset=graph.name,
    )


def shapes_dump(shapes_dir: Path | None) -> Dump | None:
    """Every shapes/*.ttl merged into one Turtle file; None when there are no shapes."""
    if shapes_dir is None or not shapes_dir.is_dir():
        return None
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        return None
    triples: dict[tuple[str, str, str], ox.Triple] = {}
    for i, path in enumerate(files):
        for triple in read_turtle(path, f"s{i}"):
            triples.setdefault(triple_key(triple), triple)
    if not triples:
        raise InputError(shapes_dir, None, "the shapes files hold no triples")
    ordered = [triples[k] for k in sorted(triples)]
    header = b"# Generated by `tipkg publish` from shapes/*.ttl - do not edit.\n"
    return Dump(
        "shapes",
        "dumps/shapes.ttl",
        "SHACL shapes (Turtle)",
        "text/turtle",
        header + serialize(ordered, "ttl"),
    )


def checksums(dumps: list[Dump]) -> bytes:
    """``sha256sum -c`` format, paths relative to dumps/."""
    lines = [
        f"{d.sha256}  {d.path.removeprefix('dumps/')}\n"
        for d in sorted(dumps, key=lambda d: d.path)
    ]
    return "".join(lines).encode("ascii")


# -- the description ---------------------------------------------------------------------------


class _Triples:
    def __init__(self) -> None:
        self.items: list[ox.Triple] = []

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        obj = ox.NamedNode(o) if isinstance(o, str) else o
        self.items.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj))


def _lit(value: str | int, datatype: str = "", lang: str = "") -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(datatype))
    return ox.Literal(str(value))


def statistics(data: BuildData) -> dict[str, int]:
    subjects = {str(t.subject) for t in data.triples}
    objects = {str(t.object) for t in data.triples}
    entities = {
        t.subject.value
        for t in data.triples
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(f"{CANONICAL}id/")
    }
    classes = {
        t.object.value
        for t in data.triples
        if t.predicate.value == vocab.RDF_TYPE and isinstance(t.object, ox.NamedNode)
    }
    return {
        "triples": len(data.triples),
        "entities": len(entities),
        "classes": len(classes),
        "properties": len({t.predicate.value for t in data.triples}),
        "distinctSubjects": len(subjects),
        "distinctObjects": len(objects),
    }


def vocabularies(data: BuildData) -> list[str]:
    """The namespaces of every property and class the graph uses."""
    terms = {t.predicate.value for t in data.triples}
    terms |= {
        t.object.value
        for t in data.triples
        if t.predicate.value == vocab.RDF_TYPE and isinstance(t.object, ox.NamedNode)
    }
    return sorted({vocab.namespace_of(term) for term in terms})


def examples(data: BuildData) -> list[str]:
    recs = recommendations(data)
    found = [r.iri for r in recs[:1]]
    found += [r.iri for r in recs if r.provisions][:1]
    found += [p for r in recs for p in r.provisions][:1]
    found += [m.value for m in data.instances(vocab.TIP + "Meeting")]
    found += [r.value for r in data.instances(vocab.TIP + "Report")]
    return list(dict.fromkeys(found))


def description(data: BuildData, dumps: list[Dump], shapes: Dump | None) -> list[ox.Triple]:
    """The VoID and DCAT description of the dataset, with canonical IRIs throughout."""
    d = dataset_iri()
    t = _Triples()
    dct, dcat, void, foaf, spdx = vocab.DCT, vocab.DCAT, vocab.VOID, vocab.FOAF, vocab.SPDX
    t.add(d, vocab.RDF_TYPE, dcat + "Dataset")
    t.add(d, vocab.RDF_TYPE, void + "Dataset")
    for lang, title in (("en", TITLE_EN), ("fr", TITLE_FR)):
        t.add(d, dct + "title", _lit(title, lang=lang))
    for lang, text in (
        (
            "en",
            DESCRIPTION_EN,
        ),
        (
            "fr",
            DESCRIPTION_FR,
        ),
    ):
        t.add(d, dct + "description", _lit(text, lang=lang))
    t.add(d, dct + "license", CC_BY)
    rights = d + "#un-text"
    t.add(d, dct + "rights", rights)
    t.add(rights, vocab.RDF_TYPE, dct + "RightsStatement")
    t.add(
        rights,
        vocab.RDFS + "label",
        _lit(
            "CC BY 4.0 covers the tipkg data. Text quoted from United Nations documents (the "
            "recommendations, paragraphs and headings, and the source files) remains subject to "
            "the United Nations terms of use.",
            lang="en",
        ),
    )
    t.add(
        rights,
        vocab.RDFS + "label",
        _lit(
            "La licence CC BY 4.0 couvre les données de tipkg. Le texte cité des documents des "
            "Nations Unies (recommandations, paragraphes, intitulés et fichiers sources) reste "
            "soumis aux conditions d’utilisation des Nations Unies.",
            lang="fr",
        ),
    )
    t.add(rights, foaf + "page", UN_TERMS)
    publisher = d + "#publisher"
    t.add(d, dct + "publisher", publisher)
    t.add(publisher, vocab.RDF_TYPE, foaf + "Organization")
    t.add(publisher, foaf + "name", _lit("tipkg developers"))
    t.add(d, dcat + "version", _lit(__version__))
    t.add(d, vocab.OWL + "versionInfo", _lit(__version__))
    t.add(d, dct + "issued", _lit(data.time, XSD + "dateTime"))
    t.add(d, dct + "modified", _lit(data.time, XSD + "dateTime"))
    t.add(d, vocab.PROV + "wasGeneratedBy", data.build_iri)
    t.add(d, dct + "conformsTo", vocab.TIP)
    for lang in ("fr", "en"):
        t.add(d, dct + "language", f"http://id.loc.gov/vocabulary/iso639-1/{lang}")
    for lang, words in (
        ("en", ("trafficking in persons", "United Nations", "recommendations", "linked data")),
        ("fr", ("traite des personnes", "Nations Unies", "recommandations", "données liées")),
    ):
        for word in words:
            t.add(d, dcat + "keyword", _lit(word, lang=lang))
    t.add(d, dcat + "landingPage", f"{CANONICAL}index.html")
    for report in data.instances(vocab.TIP + "Report"):
        t.add(d, dct + "source", report.value)

    # statistics
    for name, count in statistics(data).items():
        t.add(d, void + name, _lit(count, XSD + "integer"))
    t.add(d, void + "uriSpace", _lit(f"{CANONICAL}id/"))
    for namespace in vocabularies(data):
        t.add(d, void + "vocabulary", namespace)
    for example in examples(data):
        t.add(d, void + "exampleResource", example)
    t.add(d, void + "feature", "http://www.w3.org/ns/formats/Turtle")
    t.add(d, void + "feature", "http://www.w3.org/ns/formats/N-Triples")
    t.add(d, void + "feature", "http://www.w3.org/ns/formats/JSON-LD")
    t.add(d, void + "feature", "http://www.w3.org/ns/formats/RDF_XML")

    # the SPARQL endpoint
    endpoint = sparql_endpoint()
    t.add(d, void + "sparqlEndpoint", endpoint)
    service = d + "#sparql"
    t.add(d, dcat + "accessService", service)
    t.add(service, vocab.RDF_TYPE, dcat + "DataService")
    t.add(service, dct + "title", _lit("SPARQL endpoint (tipkg serve)", lang="en"))
    t.add(service, dcat + "endpointURL", endpoint)
    t.add(service, dcat + "servesDataset", d)
    t.add(service, dct + "conformsTo", SPARQL_PROTOCOL)

    def distribution(dump: Dump, holder: str) -> None:
        node = d + "#dump-" + dump.key
        t.add(holder, dcat + "distribution", node)
        url = CANONICAL + dump.path
        t.add(node, vocab.RDF_TYPE, dcat + "Distribution")
        t.add(node, dct + "title", _lit(dump.title, lang="en"))
        t.add(node, dcat + "downloadURL", url)
        t.add(node, dcat + "accessURL", url)
        t.add(node, dcat + "mediaType", IANA + dump.media_type)
        t.add(node, dcat + "byteSize", _lit(len(dump.body), XSD + "nonNegativeInteger"))
        t.add(node, dct + "license", CC_BY)
        if dump.compressed:
            t.add(node, dcat + "compressFormat", IANA + "application/gzip")
        checksum = node + "-sha256"
        t.add(node, spdx + "checksum", checksum)
        t.add(checksum, vocab.RDF_TYPE, spdx + "Checksum")
        t.add(checksum, spdx + "algorithm", spdx + "checksumAlgorithm_sha256")
        t.add(checksum, spdx + "checksumValue", _lit(dump.sha256, XSD + "hexBinary"))
        if holder == d:
            t.add(d, void + "dataDump", url)

    for dump in dumps:
        if dump.subset:
            subset = dump.subset
            t.add(d, void + "subset", subset)
            t.add(subset, vocab.RDF_TYPE, void + "Dataset")
            t.add(subset, dct + "title", _lit(dump.title.removesuffix(" (Turtle)"), lang="en"))
            graph = data.graph(subset)
            if graph is not None:
                t.add(subset, void + "triples", _lit(len(graph.triples), XSD + "integer"))
            t.add(subset, void + "dataDump", CANONICAL + dump.path)
            distribution(dump, subset)
        else:
            distribution(dump, d)
    if shapes is not None:
        shapes_node = d + "#shapes"
        t.add(d, dct + "conformsTo", shapes_node)
        t.add(shapes_node, vocab.RDF_TYPE, dcat + "Dataset")
        t.add(
            shapes_node,
            dct + "title",
            _lit("SHACL shapes the data is validated against", lang="en"),
        )
        distribution(shapes, shapes_node)
    unique = {triple_key(x): x for x in t.items}
    return [unique[k] for k in sorted(unique, key=lambda k: (k[0] != f"<{d}>", k))]
