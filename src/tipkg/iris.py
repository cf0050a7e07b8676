"""The one place where tipkg mints IRIs.

Every IRI of a thing is ``{base}id/{kind}/{key}`` and every term ``{base}def/...``; keys come
from stable identifiers (ISO 3166 codes, UN symbols or minted document keys, numbers), never
from labels. Nothing else in the package builds an IRI by concatenating strings.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef

DEFAULT_BASE = "https://w3id.org/tipkg/"
BASE = DEFAULT_BASE
ID = Namespace(BASE + "id/")
DEF = Namespace(BASE + "def/")

_KEY = re.compile(r"^[a-z0-9][a-z0-9.-]*$")


def slug(text: str) -> str:
    """A lower-case ASCII key from free text: accents dropped, runs of other characters to '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _thing(kind: str, *keys: str) -> URIRef:
    for key in keys:
        if not _KEY.match(key):
            raise ValueError(f"not a stable key for {kind}: {key!r}")
    return URIRef(f"{ID}{kind}/{'/'.join(keys)}")


def state(alpha3: str) -> URIRef:
    if not re.fullmatch(r"[A-Z]{3}", alpha3):
        raise ValueError(f"not an ISO 3166-1 alpha-3 code: {alpha3!r}")
    return _thing("state", alpha3.lower())


def organization(key: str) -> URIRef:
    return _thing("organization", key)


def database(key: str) -> URIRef:
    return _thing("database", key)


def instrument(key: str) -> URIRef:
    return _thing("instrument", key)


def provision(instrument_key: str, article: int) -> URIRef:
    return _thing("instrument", instrument_key, f"article-{article}")


def report(doc_key: str) -> URIRef:
    return _thing("report", doc_key)


def expression(doc_key: str, lang: str) -> URIRef:
    return _thing("report", doc_key, lang)


def source_file(doc_key: str, lang: str, sha256: str, kind: str = "txt") -> URIRef:
    """The file a language version was read from: its kind (txt, pdf) and its SHA-256."""
    return _thing("report", doc_key, lang, f"{kind}-{sha256[:12]}")


def part(doc_key: str, numeral: str) -> URIRef:
    return _thing("report", doc_key, f"part-{numeral.lower()}")


def section(doc_key: str, numeral: str, letter: str) -> URIRef:
    return _thing("report", doc_key, f"part-{numeral.lower()}", f"section-{letter.lower()}")


def paragraph(doc_key: str, number: int) -> URIRef:
    return _thing("report", doc_key, f"paragraph-{number}")


def note(doc_key: str, ordinal: int) -> URIRef:
    """A note by its place among the report's notes (calls such as "*" repeat from page to
    page; the order of the notes does not)."""
    return _thing("report", doc_key, f"note-{ordinal}")


def recommendation(doc_key: str, number: int | str) -> URIRef:
    """A recommendation by its number as printed: 7, or "121.1" for an item of paragraph 121."""
    return _thing("recommendation", doc_key, str(number))


def response(doc_key: str, number: str) -> URIRef:
    """The response of a State under review to one recommendation (key: the recommendation's
    report and number as printed; a recommendation has one response, in whichever document)."""
    return _thing("response", doc_key, number)


def span(owner: URIRef, lang: str) -> URIRef:
    """The source span (Web Annotation specific resource) of a paragraph or recommendation."""
    return URIRef(f"{owner}#span-{lang}")


def span_selector(owner: URIRef, lang: str, kind: str) -> URIRef:
    return URIRef(f"{owner}#span-{lang}-{kind}")


def repair(doc_key: str, lang: str, start: int) -> URIRef:
    return _thing("report", doc_key, lang, "repair", str(start))


def theme_assignment(rec: URIRef, theme_key: str) -> URIRef:
    return URIRef(f"{rec}#theme-{theme_key}")


def mention(rec: URIRef, start: int) -> URIRef:
    return URIRef(f"{rec}#mention-{start}")


def meeting(meeting_key: str) -> URIRef:
    return _thing("meeting", meeting_key)


def agenda_item(meeting_key: str, number: int) -> URIRef:
    return _thing("meeting", meeting_key, f"item-{number}")


def participation(meeting_key: str, participant_key: str, role: str, item: int | None) -> URIRef:
    where = f"item-{item}" if item is not None else "meeting"
    return _thing("meeting", meeting_key, "participation", participant_key, role, where)


def person(meeting_key: str, key: str) -> URIRef:
    """Persons named in a report carry no public identifier: their key is scoped to the meeting."""
    return _thing("person", meeting_key, key)


def build(stamp: str) -> URIRef:
    return _thing("build", stamp)


def theme(key: str) -> URIRef:
    return URIRef(f"{DEF}theme/{key}")


def strength(notation: str) -> URIRef:
    return URIRef(f"{DEF}strength/{notation}")


def role(notation: str) -> URIRef:
    return URIRef(f"{DEF}role/{notation}")


def addressee(key: str) -> URIRef:
    return URIRef(f"{DEF}addressee/{key}")


def document_kind(key: str) -> URIRef:
    return URIRef(f"{DEF}document-kind/{key}")


def report_key_of(iri: str) -> str | None:
    """The document key of a report's own resource (its parts, recommendations…), else None."""
    for kind in ("report", "recommendation"):
        prefix = f"{ID}{kind}/"
        if iri.startswith(prefix):
            return iri[len(prefix) :].split("/", 1)[0].split("#", 1)[0]
    return None


def named_graph(kind: str, key: str) -> URIRef:
    """Graph names in the store: one per report, one for the ontology, one for reference data."""
    return URIRef(f"{BASE}graph/{kind}/{key}") if key else URIRef(f"{BASE}graph/{kind}")
