"""One extracted report to RDF: the document, its parts, recommendations, meeting and provenance."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rdflib import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from tipkg import iris
from tipkg.extract.records import Recommendation, Report, ResponseRecord, Span
from tipkg.extract.repair import Repair
from tipkg.extract.source import Metadata, Source, symbol_key
from tipkg.rdf.graph import empty_report_graph
from tipkg.vocab import (
    ADDRESSEES,
    DOCUMENT_KINDS,
    RESPONSE_POSITIONS,
    ROLES,
    STRENGTHS,
    THEMES,
    TIP,
)

OA = Namespace("http://www.w3.org/ns/oa#")
#: The PDF media type's fragment identifiers (page, viewrect), which Web Annotation's
#: FragmentSelector names by the specification's address.
RFC_8118 = URIRef("http://tools.ietf.org/rfc/rfc8118")
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?")


def pdf_date(value: str) -> str | None:
    """A PDF date ("D:20191220080633+01'00'") as xsd:dateTime, or None if it is not one."""
    match = _PDF_DATE.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    offset = ""
    if zone == "Z":
        offset = "Z"
    elif zone:
        digits = zone.replace("'", "")
        offset = f"{digits[:3]}:{digits[3:5]}"
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{offset}"


MENTION_PROPERTY = {
    "organization": TIP.namesOrganization,
    "database": TIP.namesDatabase,
    "provision": TIP.citesProvision,
}


@dataclass(frozen=True)
class BuildInfo:
    iri: URIRef
    version: str
    time: dt.datetime


@dataclass(frozen=True)
class BodyLabels:
    fr: str
    en: str


def build_graph(info: BuildInfo) -> Graph:
    graph = Graph()
    graph.add((info.iri, RDF.type, TIP.Build))
    graph.add((info.iri, RDFS.label, Literal(f"tipkg build {info.version}", lang="en")))
    graph.add((info.iri, TIP.softwareVersion, Literal(info.version)))
    graph.add((info.iri, PROV.startedAtTime, Literal(info.time, datatype=XSD.dateTime)))
    return graph


def report_graph(
    source: Source,
    report: Report,
    info: BuildInfo,
    body: BodyLabels,
    under_review: BodyLabels | None = None,
) -> Graph:
    """The graph of one report; `under_review` names the State under review of a review's
    documents (its labels from the reference data)."""
    meta = source.meta
    lang = meta.language
    key = meta.doc_key
    g = empty_report_graph()

    work = iris.report(key)
    expression = iris.expression(key, lang)
    file = iris.source_file(key, lang, source.sha256, "pdf" if source.pdf else "txt")
    meeting = iris.meeting(meta.meeting_key)
    body_iri = iris.organization(meta.body)

    g.add((work, RDF.type, TIP.Report))
    g.add((work, TIP.documentKey, Literal(key)))
    if meta.symbol:
        g.add((work, TIP.documentSymbol, Literal(meta.symbol)))
    g.add((work, TIP.documentKind, DOCUMENT_KINDS[meta.kind]))
    if meta.title:
        g.add((work, DCTERMS.title, Literal(meta.title, lang=lang)))
        g.add((work, RDFS.label, Literal(meta.title, lang=lang)))
    g.add((work, DCTERMS.creator, body_iri))
    g.add((work, TIP.reportOf, meeting))
    if meta.issued:
        g.add((work, DCTERMS.issued, Literal(meta.issued, datatype=XSD.date)))
    if meta.addendum_to:
        g.add((work, TIP.addendumTo, iris.report(symbol_key(meta.addendum_to))))
    g.add((work, TIP.hasExpression, expression))
    g.add((work, PROV.wasGeneratedBy, info.iri))
    if meta.synthetic:
        g.add((work, SKOS.scopeNote, Literal("Synthetic document, not a UN text.", lang="en")))

    g.add((expression, RDF.type, TIP.ReportExpression))
    g.add((expression, DCTERMS.language, Literal(lang, datatype=XSD.language)))
    g.add((expression, TIP.hasFile, file))

    g.add((file, RDF.type, TIP.ReportFile))
    g.add((file, TIP.fileName, Literal(source.name)))
    g.add((file, TIP.sha256, Literal(source.sha256)))
    if source.pdf is None:
        g.add((file, DCTERMS.format, Literal("text/plain; charset=utf-8")))
    else:
        g.add((file, DCTERMS.format, Literal("application/pdf")))
        g.add((file, TIP.pageCount, Literal(source.pdf.pages, datatype=XSD.positiveInteger)))
        own = source.pdf.metadata
        if "title" in own:
            g.add((file, DCTERMS.title, Literal(own["title"])))
        if created := pdf_date(own.get("created", "")):
            g.add((file, DCTERMS.created, Literal(created, datatype=XSD.dateTime)))
        if "producer" in own:
            g.add((file, TIP.pdfProducer, Literal(own["producer"])))
    g.add((info.iri, PROV.used, file))

    if meta.state_under_review and under_review is not None:
        _review(g, meeting, body_iri, body, under_review, meta)
    _meeting(g, meeting, body_iri, body, report, meta)

    for part in report.parts:
        node = iris.part(key, part.numeral)
        g.add((node, RDF.type, TIP.ReportPart))
        g.add((node, TIP.numeral, Literal(part.numeral)))
        g.add((node, DCTERMS.title, Literal(part.title, lang=lang)))
        g.add((node, RDFS.label, Literal(f"{part.numeral}. {part.title}", lang=lang)))
        g.add((node, TIP.partOf, work))
        _span(g, node, part.span, file, source, lang)
    for section in report.sections:
        node = iris.section(key, section.part, section.letter)
        g.add((node, RDF.type, TIP.Section))
        g.add((node, TIP.letter, Literal(section.letter)))
        g.add((node, DCTERMS.title, Literal(section.title, lang=lang)))
        g.add((node, RDFS.label, Literal(f"{section.letter}. {section.title}", lang=lang)))
        g.add((node, TIP.partOf, iris.part(key, section.part)))
        _span(g, node, section.span, file, source, lang)
    for paragraph in report.paragraphs:
        node = iris.paragraph(key, paragraph.number)
        # A paragraph before the first part (an introduction) belongs to the report itself.
        parent = (
            work
            if paragraph.part is None
            else iris.section(key, paragraph.part, paragraph.section)
            if paragraph.section
            else iris.part(key, paragraph.part)
        )
        g.add((node, RDF.type, TIP.Paragraph))
        g.add((node, TIP.number, Literal(paragraph.number, datatype=XSD.positiveInteger)))
        g.add((node, TIP.text, Literal(paragraph.text, lang=lang)))
        label = _numbered("Paragraphe", "Paragraph", paragraph.number, lang)
        g.add((node, RDFS.label, Literal(label, lang=lang)))
        g.add((node, TIP.partOf, parent))
        g.add((node, TIP.inReport, work))
        _span(g, node, paragraph.span, file, source, lang)
    for rec in report.recommendations:
        _recommendation(g, key, rec, work, file, source, lang, report.repairs)
    for answer in report.responses:
        _response(g, key, answer, work)
    for note in report.notes:
        node = iris.note(key, note.ordinal)
        g.add((node, RDF.type, TIP.Note))
        g.add((node, TIP.noteCall, Literal(note.call)))
        g.add((node, TIP.text, Literal(note.text, lang=lang)))
        g.add((node, TIP.onPage, Literal(note.page, datatype=XSD.positiveInteger)))
        g.add((node, TIP.inReport, work))
        g.add((node, RDFS.label, Literal(f"Note {note.call} (page {note.page})", lang="en")))
        g.add((node, RDFS.label, Literal(f"Note {note.call} (page {note.page})", lang="fr")))
        if note.called_from is not None:
            kind, number = note.called_from
            g.add((node, TIP.calledFrom, _holder(key, kind, number, work)))

    for repair in report.repairs:
        node = iris.repair(key, lang, repair.start)
        g.add((node, RDF.type, TIP.TextRepair))
        g.add((node, TIP.startOffset, Literal(repair.start, datatype=XSD.nonNegativeInteger)))
        g.add((node, TIP.endOffset, Literal(repair.end, datatype=XSD.nonNegativeInteger)))
        g.add((node, TIP.originalText, Literal(repair.original)))
        g.add((node, TIP.repairedText, Literal(repair.repaired)))
        g.add((node, TIP.repairKind, Literal(repair.kind)))
        g.add((node, TIP.rule, Literal(repair.reason)))
        g.add((node, TIP.inSource, file))
        g.add((expression, TIP.hasRepair, node))
    return g


def _holder(key: str, kind: str, number: str, work: URIRef) -> URIRef:
    """The text that calls a note: a recommendation, a paragraph, or the report itself."""
    if kind == "recommendation":
        return iris.recommendation(key, number)
    if kind == "paragraph":
        return iris.paragraph(key, int(number))
    return work


def _numbered(fr: str, en: str, number: int, lang: str) -> str:
    return f"{fr if lang == 'fr' else en} {number}"


def _recommendation(
    g: Graph,
    key: str,
    rec: Recommendation,
    work: URIRef,
    file: URIRef,
    source: Source,
    lang: str,
    repairs: list[Repair],
) -> None:
    node = iris.recommendation(key, rec.printed)
    g.add((node, RDF.type, TIP.Recommendation))
    g.add((node, TIP.number, Literal(rec.number, datatype=XSD.positiveInteger)))
    g.add((node, RDFS.label, Literal(f"Recommandation {rec.printed}", lang="fr")))
    g.add((node, RDFS.label, Literal(f"Recommendation {rec.printed}", lang="en")))
    g.add((node, TIP.text, Literal(rec.text, lang=lang)))
    if rec.paragraph is not None:
        # An item of a numbered paragraph ("121.1"): part of that paragraph, in no section.
        g.add((node, TIP.printedNumber, Literal(rec.printed)))
        g.add((node, TIP.partOf, iris.paragraph(key, rec.paragraph)))
    else:
        section = iris.section(key, rec.part, rec.section)
        g.add((node, TIP.inSection, section))
        g.add((node, TIP.partOf, section))
    g.add((node, TIP.inReport, work))
    for state in rec.recommended_by:
        g.add((node, TIP.recommendedBy, URIRef(state)))
    if rec.strength:
        g.add((node, TIP.strength, STRENGTHS[rec.strength]))
    if rec.addressee:
        g.add((node, TIP.addressee, ADDRESSEES[rec.addressee]))
    for evidence in rec.themes:
        theme = THEMES[evidence.theme]
        assignment = iris.theme_assignment(node, evidence.theme)
        g.add((node, TIP.theme, theme))
        g.add((node, TIP.hasThemeAssignment, assignment))
        g.add((assignment, RDF.type, TIP.ThemeAssignment))
        g.add((assignment, TIP.assignedTheme, theme))
        g.add((assignment, TIP.matchedText, Literal(evidence.matched)))
        g.add((assignment, TIP.rule, Literal(evidence.rule)))
    for mention in rec.mentions:
        target = URIRef(mention.key)
        g.add((node, MENTION_PROPERTY[mention.kind], target))
        mention_node = iris.mention(node, mention.start)
        g.add((node, TIP.hasMention, mention_node))
        g.add((mention_node, RDF.type, TIP.Mention))
        g.add((mention_node, TIP.mentionOf, target))
        g.add((mention_node, TIP.matchedText, Literal(" ".join(mention.matched.split()))))
    _span(g, node, rec.span, file, source, lang)
    for repair in repairs:
        if rec.span.start <= repair.start < rec.span.end:
            g.add((node, TIP.hasRepair, iris.repair(key, lang, repair.start)))


def _response(g: Graph, key: str, answer: ResponseRecord, work: URIRef) -> None:
    """A response to a recommendation of this report, or of the report this addendum answers."""
    of = symbol_key(answer.of_document) if answer.of_document else key
    printed = f"{answer.paragraph}.{answer.number}"
    node = iris.response(of, printed)
    g.add((node, RDF.type, TIP.Response))
    g.add((node, RDFS.label, Literal(f"Réponse à la recommandation {printed}", lang="fr")))
    g.add((node, RDFS.label, Literal(f"Response to recommendation {printed}", lang="en")))
    g.add((node, TIP.respondsTo, iris.recommendation(of, printed)))
    g.add((node, TIP.position, RESPONSE_POSITIONS[answer.response]))
    g.add((node, TIP.givenIn, iris.paragraph(key, answer.given_in)))
    g.add((node, TIP.inReport, work))


def _review(
    g: Graph,
    meeting: URIRef,
    body_iri: URIRef,
    body: BodyLabels,
    state: BodyLabels,
    meta: Metadata,
) -> None:
    """The review itself: the State under review, session and cycle. Described alike by the
    report and by its addendum (the same triples from the same metadata)."""
    assert meta.state_under_review is not None
    g.add((meeting, RDF.type, TIP.Review))
    g.add((meeting, TIP.stateUnderReview, iris.state(meta.state_under_review)))
    if meta.session:
        g.add((meeting, TIP.session, Literal(meta.session, datatype=XSD.positiveInteger)))
    if meta.cycle:
        g.add((meeting, TIP.cycle, Literal(meta.cycle, datatype=XSD.positiveInteger)))
    # The report and its addendum, of different years, label the review alike: by its date.
    year, session = meta.start_date.year, meta.session or ""
    fr = f"{body.fr}, session {session} ({year}) : examen — {state.fr}"
    en = f"{body.en}, session {session} ({year}): review of {state.en}"
    g.add((meeting, RDFS.label, Literal(fr, lang="fr")))
    g.add((meeting, RDFS.label, Literal(en, lang="en")))


def _span(g: Graph, owner: URIRef, span: Span, file: URIRef, source: Source, lang: str) -> None:
    text = source.text
    node = iris.span(owner, lang)
    position = iris.span_selector(owner, lang, "position")
    quote = iris.span_selector(owner, lang, "quote")
    g.add((owner, TIP.sourceSpan, node))
    g.add((node, RDF.type, OA.SpecificResource))
    g.add((node, OA.hasSource, file))
    g.add((node, OA.hasSelector, position))
    g.add((node, OA.hasSelector, quote))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(text[span.start : span.end])))
    if source.pdf is not None:
        # Where a PDF viewer shows it: one RFC 8118 fragment (page and viewrect) per page.
        for page, left, top, width, height in source.pdf.boxes(span.start, span.end):
            fragment = iris.span_selector(owner, lang, f"page-{page}")
            g.add((node, OA.hasSelector, fragment))
            g.add((fragment, RDF.type, OA.FragmentSelector))
            g.add((fragment, DCTERMS.conformsTo, RFC_8118))
            value = f"page={page}&viewrect={left:g},{top:g},{width:g},{height:g}"
            g.add((fragment, RDF.value, Literal(value)))


def _meeting(
    g: Graph, meeting: URIRef, body_iri: URIRef, body: BodyLabels, report: Report, meta: Metadata
) -> None:
    year, place_fr, place_en = meta.year, meta.place_fr, meta.place_en
    g.add((meeting, RDF.type, TIP.Meeting))
    g.add((meeting, TIP.meetingOf, body_iri))
    if (meeting, RDF.type, TIP.Review) not in g:  # a review is labelled by _review
        fr = f"Réunion de {year} du {body.fr} ({place_fr})"
        en = f"{year} meeting of the {body.en} ({place_en})"
        g.add((meeting, RDFS.label, Literal(fr, lang="fr")))
        g.add((meeting, RDFS.label, Literal(en, lang="en")))
    g.add((meeting, TIP.place, Literal(place_fr, lang="fr")))
    g.add((meeting, TIP.place, Literal(place_en, lang="en")))
    g.add((meeting, TIP.startDate, Literal(meta.start_date, datatype=XSD.date)))
    g.add((meeting, TIP.endDate, Literal(meta.end_date, datatype=XSD.date)))
    for number in report.agenda_items:
        item = iris.agenda_item(meta.meeting_key, number)
        g.add((meeting, TIP.hasAgendaItem, item))
        g.add((item, RDF.type, TIP.AgendaItem))
        g.add((item, TIP.number, Literal(number, datatype=XSD.positiveInteger)))
        g.add((item, RDFS.label, Literal(f"Point {number} de l’ordre du jour", lang="fr")))
        g.add((item, RDFS.label, Literal(f"Agenda item {number}", lang="en")))
    for person in report.persons:
        node = iris.person(meta.meeting_key, person.key)
        g.add((node, RDF.type, TIP.Person))
        g.add((node, RDFS.label, Literal(person.label_fr, lang="fr")))
        g.add((node, RDFS.label, Literal(person.label_en, lang="en")))
        if person.family_name:
            g.add((node, FOAF.familyName, Literal(person.family_name)))
        if person.honorific:
            g.add((node, FOAF.title, Literal(person.honorific, lang=meta.language)))
    for row in report.participations:
        participant = (
            iris.person(meta.meeting_key, row.participant_key)
            if row.participant_kind == "person"
            else URIRef(row.participant_key)
        )
        local = row.participant_key.rstrip("/").rsplit("/", 1)[-1]
        node = iris.participation(meta.meeting_key, local, row.role, row.agenda_item)
        g.add((node, RDF.type, TIP.Participation))
        g.add((node, TIP.participant, participant))
        g.add((node, TIP.inMeeting, meeting))
        g.add((node, TIP.role, ROLES[row.role]))
        if row.agenda_item is not None:
            g.add((node, TIP.agendaItem, iris.agenda_item(meta.meeting_key, row.agenda_item)))
        if row.on_behalf_of:
            g.add((node, TIP.onBehalfOf, URIRef(row.on_behalf_of)))
