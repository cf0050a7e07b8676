"""One source text in, one typed report record out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from tipkg import iris
from tipkg.errors import InputError, Warning, line_of
from tipkg.extract.checks import self_checks
from tipkg.extract.classify import Classifier
from tipkg.extract.furniture import paged
from tipkg.extract.lexicon import LANGUAGES, Vocabulary, lexicon
from tipkg.extract.names import Gazetteer, find_provisions
from tipkg.extract.participation import Participants, extract_participants
from tipkg.extract.pdf import heading_lines, headings_inside, link_notes
from tipkg.extract.records import Report
from tipkg.extract.review import (
    read_participation,
    read_responses,
    recommending_states,
    state_names,
)
from tipkg.extract.source import Source
from tipkg.extract.structure import parse_structure


@dataclass(frozen=True)
class Rules:
    """What extraction knows beforehand: names from the reference data, rules from the schemes."""

    names: Gazetteer
    classifier: Classifier
    body_iris: frozenset[str]

    # Each compiles one large expression: once per Rules, not once per report.
    @cached_property
    def named_in_recommendations(self) -> Gazetteer:
        return self.names.restricted(MENTIONED_IN_RECOMMENDATIONS)

    @cached_property
    def name_words(self) -> frozenset[str]:
        return self.names.name_words()

    @cached_property
    def instruments(self) -> Gazetteer:
        return self.names.restricted(["instrument"])

    @cached_property
    def states(self) -> Gazetteer:
        return self.names.restricted(["state"])

    @cached_property
    def state_names(self) -> dict[str, str]:
        return state_names(self.states)

    @cached_property
    def actors(self) -> Gazetteer:
        return self.names.restricted(["state", "organization"])

    def warm(self) -> Rules:
        """Everything extraction would otherwise make on its first report, made now: the
        gazetteers' expressions, the classifier's phrases, the lexicons. Called once in a
        process that forks workers, it spares every worker the same work (about 0.3 s)."""
        for gazetteer in (
            self.named_in_recommendations,
            self.instruments,
            self.states,
            self.actors,
        ):
            gazetteer.compile()
        self.name_words  # noqa: B018 - computed once, here
        self.state_names  # noqa: B018
        self.classifier.compile()
        for lang in LANGUAGES:
            lexicon(lang)
        return self


MENTIONED_IN_RECOMMENDATIONS = ("organization", "database")


def extract(source: Source, rules: Rules) -> tuple[Report, list[Warning]]:
    """The report a source holds, and what the reading doubted. In a PDF, every warning and
    error names the page and its line, the places a reader of the PDF can find."""
    pdf, path = source.pdf, str(source.path)
    try:
        report_, warnings = _read(source, rules)
    except InputError as err:
        if pdf is None or str(err.path) != path:
            raise
        raise pdf.locate(err) from None
    if pdf is None:
        return report_, warnings
    return report_, [pdf.locate(w) if w.path == path else w for w in warnings]


def _read(source: Source, rules: Rules) -> tuple[Report, list[Warning]]:
    lang = source.meta.language
    path = str(source.path)
    meta = source.meta
    profile = meta.profile
    typed = heading_lines(source.pdf) if source.pdf is not None else frozenset()
    structure = parse_structure(
        source.text, lang, path, rules.name_words, profile, meta.kind, typed
    )
    warnings = [Warning(path, line, what) for line, what in structure.doubts]
    repairs = list(structure.repairs)
    page = structure.page or paged(source.text, rules.name_words)
    under_review = str(iris.state(meta.state_under_review)) if meta.state_under_review else None

    named, instruments = rules.named_in_recommendations, rules.instruments
    for rec in structure.recommendations:
        if profile.recommended_by == "trailing-states":
            _, more, doubts = recommending_states(source.text, rec, page, rules.state_names, lang)
            repairs.extend(more)
            warnings.extend(Warning(path, line, what) for line, what in doubts)
        if profile.grammar == "strength":
            rec.strength, rec.strength_clause = rules.classifier.strength(rec.text, lang)
            if rec.strength is None:
                warnings.append(
                    Warning(
                        path, rec.span.line, f"recommendation {rec.number}: no operative clause"
                    )
                )
            rec.addressee = rules.classifier.addressee(rec.text, lang)
            if rec.addressee is None:
                warnings.append(
                    Warning(path, rec.span.line, f"recommendation {rec.number}: no addressee found")
                )
        elif under_review is not None:
            rec.addressee = "state-under-review"  # a review's every recommendation is made to it
        provisions, unresolved = find_provisions(rec.text, lang, instruments)
        for what in unresolved:
            warnings.append(Warning(path, rec.span.line, f"recommendation {rec.printed}: {what}"))
        citation_spans = [(m.start, m.end) for m in provisions]
        others = [
            m for m in named.find(rec.text) if not any(a <= m.start < b for a, b in citation_spans)
        ]
        rec.mentions = sorted(provisions + others, key=lambda m: (m.start, m.key))
        rec.themes = rules.classifier.themes(rec.text, lang, top=profile.themes_on_any_subject)

    responses, doubts = read_responses(
        source.text,
        structure.paragraphs,
        structure.recommendations,
        profile,
        lang,
        meta.addendum_to,
    )
    warnings.extend(Warning(path, line, what) for line, what in doubts)
    answers_only = meta.kind not in profile.recommendation_kinds
    if profile.responses.get(lang) and answers_only and not responses:
        # An addendum whose responses are not in numbered paragraphs (a table, say).
        first = structure.paragraphs[0].span.line if structure.paragraphs else 1
        warnings.append(
            Warning(
                path,
                first,
                "no response read: no numbered paragraph lists recommendations with one "
                "response word of the profile (a table of responses is not read); no "
                "response is published",
            )
        )
    if profile.statements.get(lang) or profile.troika.get(lang):
        participations, doubts = read_participation(
            structure.paragraphs, structure.sections, rules.states, profile, lang, under_review
        )
        warnings.extend(Warning(path, line, what) for line, what in doubts)
        participants = Participants([], participations, [], [])
    else:
        participants = extract_participants(
            structure.paragraphs, lang, rules.actors, set(rules.body_iris)
        )
    for line, name in participants.unresolved:
        warnings.append(Warning(path, line, f"not in the reference data: {name!r}"))

    report_ = Report(
        parts=structure.parts,
        sections=structure.sections,
        paragraphs=structure.paragraphs,
        recommendations=structure.recommendations,
        repairs=sorted(set(repairs), key=lambda r: r.start),
        persons=participants.persons,
        participations=participants.participations,
        agenda_items=participants.agenda_items,
        responses=responses,
        replies=structure.replies,
    )
    if source.pdf is not None:
        # Innermost first: an item of a paragraph holds its call before the paragraph does.
        recs, paragraphs = report_.recommendations, report_.paragraphs
        holders = [
            *(("recommendation", r.printed, r.span.start, r.span.end) for r in recs),
            *(("paragraph", str(p.number), p.span.start, p.span.end) for p in paragraphs),
        ]
        report_.notes, doubts_at = link_notes(source.pdf, holders)
        doubts_at += headings_inside(source.pdf, holders) + source.pdf.in_columns()
        warnings.extend(Warning(path, line_of(source.text, at), what) for at, what in doubts_at)
    # The document's own usage, counted once by the structure's reading of the source.
    usage = structure.page.vocabulary if structure.page else Vocabulary.of(source.text)
    heading_word = profile.recommendation_word.get(lang) if profile.numbering == "heading" else None
    warnings.extend(
        self_checks(report_, path, lexicon(lang), rules.name_words, usage, heading_word)
    )
    # Two readings of one span (a recommendation cut before its States' brackets) may doubt
    # the same words twice: each warning is said once.
    return report_, list(dict.fromkeys(warnings))
