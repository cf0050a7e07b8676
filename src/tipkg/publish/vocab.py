"""Prefixes and English labels of the external vocabulary terms the pages show by name.

Our own terms are labelled by the ontology (rdfs:label, skos:prefLabel); the terms of W3C and
other vocabularies the graph reuses are labelled here so that no page shows a bare IRI.
"""

from __future__ import annotations

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
FOAF = "http://xmlns.com/foaf/0.1/"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
SPDX = "http://spdx.org/rdf/terms#"
TIP = "https://w3id.org/tipkg/def/"

RDF_TYPE = RDF + "type"
LABEL_PREDICATES = (RDFS + "label", SKOS + "prefLabel", DCT + "title", FOAF + "name")

PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "dcat": DCAT,
    "void": VOID,
    "foaf": FOAF,
    "org": "http://www.w3.org/ns/org#",
    "oa": OA,
    "prov": PROV,
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "vann": "http://purl.org/vocab/vann/",
    "sh": "http://www.w3.org/ns/shacl#",
    "spdx": SPDX,
    "tip": TIP,
    "strength": TIP + "strength/",
    "theme": TIP + "theme/",
    "role": TIP + "role/",
    "addressee": TIP + "addressee/",
    "dockind": TIP + "document-kind/",
}

_LABELS: dict[str, str] = {
    RDF + "type": "type",
    RDF + "first": "first",
    RDF + "rest": "rest",
    RDF + "nil": "empty list",
    RDF + "Property": "property",
    RDFS + "label": "label",
    RDFS + "comment": "comment",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    RDFS + "isDefinedBy": "is defined by",
    RDFS + "seeAlso": "see also",
    RDFS + "Class": "class",
    RDFS + "Literal": "literal",
    RDFS + "Resource": "resource",
    OWL + "Class": "OWL class",
    OWL + "ObjectProperty": "object property",
    OWL + "DatatypeProperty": "datatype property",
    OWL + "AnnotationProperty": "annotation property",
    OWL + "FunctionalProperty": "functional property",
    OWL + "Ontology": "ontology",
    OWL + "AllDisjointClasses": "disjoint classes",
    OWL + "Restriction": "restriction",
    OWL + "Thing": "thing",
    OWL + "members": "members",
    OWL + "unionOf": "union of",
    OWL + "disjointWith": "disjoint with",
    OWL + "equivalentClass": "equivalent class",
    OWL + "equivalentProperty": "equivalent property",
    OWL + "inverseOf": "inverse of",
    OWL + "sameAs": "same as",
    OWL + "versionIRI": "version IRI",
    OWL + "versionInfo": "version",
    OWL + "deprecated": "deprecated",
    OWL + "onProperty": "on property",
    OWL + "someValuesFrom": "some values from",
    OWL + "allValuesFrom": "all values from",
    SKOS + "Concept": "concept",
    SKOS + "ConceptScheme": "concept scheme",
    SKOS + "prefLabel": "preferred label",
    SKOS + "altLabel": "alternative label",
    SKOS + "hiddenLabel": "hidden label",
    SKOS + "definition": "definition",
    SKOS + "scopeNote": "scope note",
    SKOS + "example": "example",
    SKOS + "notation": "notation",
    SKOS + "inScheme": "in scheme",
    SKOS + "hasTopConcept": "has top concept",
    SKOS + "topConceptOf": "top concept of",
    SKOS + "broader": "broader",
    SKOS + "narrower": "narrower",
    SKOS + "related": "related",
    SKOS + "exactMatch": "exact match",
    SKOS + "closeMatch": "close match",
    SKOS + "broadMatch": "broad match",
    SKOS + "narrowMatch": "narrow match",
    SKOS + "relatedMatch": "related match",
    DCT + "title": "title",
    DCT + "description": "description",
    DCT + "creator": "creator",
    DCT + "publisher": "publisher",
    DCT + "license": "licence",
    DCT + "rights": "rights",
    DCT + "modified": "modified",
    DCT + "issued": "issued",
    DCT + "created": "created",
    DCT + "format": "format",
    DCT + "language": "language",
    DCT + "source": "source",
    DCT + "subject": "subject",
    DCT + "isPartOf": "is part of",
    DCT + "hasPart": "has part",
    DCT + "conformsTo": "conforms to",
    DCT + "identifier": "identifier",
    DCT + "isReplacedBy": "is replaced by",
    DCT + "RightsStatement": "rights statement",
    DCT + "LicenseDocument": "licence document",
    DCAT + "Dataset": "dataset",
    DCAT + "Distribution": "distribution",
    DCAT + "DataService": "data service",
    DCAT + "distribution": "distribution",
    DCAT + "downloadURL": "download URL",
    DCAT + "accessURL": "access URL",
    DCAT + "mediaType": "media type",
    DCAT + "compressFormat": "compression format",
    DCAT + "byteSize": "size in bytes",
    DCAT + "accessService": "access service",
    DCAT + "endpointURL": "endpoint URL",
    DCAT + "servesDataset": "serves dataset",
    DCAT + "landingPage": "landing page",
    DCAT + "keyword": "keyword",
    DCAT + "version": "version",
    VOID + "Dataset": "VoID dataset",
    VOID + "triples": "triples",
    VOID + "entities": "entities",
    VOID + "classes": "classes",
    VOID + "properties": "properties",
    VOID + "distinctSubjects": "distinct subjects",
    VOID + "distinctObjects": "distinct objects",
    VOID + "sparqlEndpoint": "SPARQL endpoint",
    VOID + "dataDump": "data dump",
    VOID + "exampleResource": "example resource",
    VOID + "vocabulary": "vocabulary",
    VOID + "uriSpace": "URI space",
    VOID + "subset": "subset",
    VOID + "feature": "feature",
    SPDX + "checksum": "checksum",
    SPDX + "Checksum": "checksum",
    SPDX + "algorithm": "algorithm",
    SPDX + "checksumValue": "checksum value",
    SPDX + "checksumAlgorithm_sha256": "SHA-256",
    FOAF + "page": "page",
    FOAF + "name": "name",
    FOAF + "title": "title",
    FOAF + "familyName": "family name",
    FOAF + "givenName": "given name",
    FOAF + "homepage": "home page",
    FOAF + "Person": "person",
    FOAF + "Agent": "agent",
    FOAF + "Organization": "organization",
    OA + "SpecificResource": "source span",
    OA + "TextPositionSelector": "text position",
    OA + "TextQuoteSelector": "quoted text",
    OA + "hasSource": "in source",
    OA + "hasSelector": "selector",
    OA + "start": "start",
    OA + "end": "end",
    OA + "exact": "exact text",
    PROV + "Activity": "activity",
    PROV + "used": "used",
    PROV + "wasGeneratedBy": "was generated by",
    PROV + "startedAtTime": "started at",
    PROV + "endedAtTime": "ended at",
    "http://purl.org/vocab/vann/preferredNamespacePrefix": "preferred namespace prefix",
    "http://purl.org/vocab/vann/preferredNamespaceUri": "preferred namespace URI",
    "https://schema.org/Event": "event",
    "https://schema.org/startDate": "start date",
    "https://schema.org/endDate": "end date",
    "https://schema.org/location": "location",
    "http://www.w3.org/ns/org#FormalOrganization": "formal organization",
    "http://www.w3.org/ns/org#subOrganizationOf": "sub-organization of",
    "http://www.w3.org/ns/shacl#NodeShape": "node shape",
    "http://www.w3.org/ns/shacl#PropertyShape": "property shape",
}


def label(iri: str) -> str:
    return _LABELS.get(iri, "")


def curie(iri: str) -> str:
    """``prefix:local`` for an IRI in a known namespace (longest namespace first), else the IRI."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and "/" not in local and "#" not in local:
            return f"{best}:{local}"
    return iri


def namespace_of(iri: str) -> str:
    """The vocabulary an IRI belongs to: the longest known namespace, else up to its last # or /."""
    best = ""
    for name, namespace in PREFIXES.items():
        if (
            name not in _SCHEME_PREFIXES
            and iri.startswith(namespace)
            and len(namespace) > len(best)
        ):
            best = namespace
    if best:
        return best
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


_SCHEME_PREFIXES = frozenset({"strength", "theme", "role", "addressee", "dockind"})


EXTERNAL: tuple[tuple[str, str], ...] = (
    ("http://www.wikidata.org/entity/", "Wikidata"),
    ("https://www.wikidata.org/wiki/", "Wikidata"),
    ("http://metadata.un.org/sdg/", "UN SDG"),
    ("http://metadata.un.org/thesaurus/", "UNBIS Thesaurus"),
    ("https://sherloc.unodc.org/", "SHERLOC"),
    ("https://treaties.un.org/", "UN Treaty Collection"),
    ("https://www.unodc.org/", "UNODC"),
)


def external_name(iri: str) -> str:
    """A short name for a link out: the database and the key, else the IRI itself."""
    for prefix, name in EXTERNAL:
        if iri.startswith(prefix):
            key = iri[len(prefix) :]
            return f"{name} {key}" if key and "/" not in key and "?" not in key else name
    return iri
