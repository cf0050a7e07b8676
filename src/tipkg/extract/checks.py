"""Self-checks of an extracted report, independent of the repairs that made it.

The repairs can only fix what their rules see; these checks look at what is about to be
published, the way a reader would, and turn every remaining doubt into a warning that names the
file and the line:

* every word of a recommendation is a word of the language's lexicon (rare words included:
  Zipf ≥ :data:`RARE_WORD_ZIPF`), a name of the reference data, an acronym, a capitalised name
  inside a sentence, a word the document writes :data:`OWN_WORD_COUNT` times, or made of such
  parts (hyphenated, elided, a learned prefix and a word): else the word is named — a
  fragment of a split word, a word glued to its neighbour, a stray piece of page furniture;
* a recommendation ends with its closing punctuation: else it may have been cut off;
* a recommendation holds no heading-shaped text (a sentence's end, then "B. Recommandations…",
  "IV. Organisation…" or "Recommandation 12"): a heading swallowed, out of order or
  unexpected, files what follows under the wrong section;
* a recommendation is not much shorter than its siblings (a fifth of their median length);
* the report does not end with its recommendations: every report of the family goes on with the
  organisation of the meeting (statements, participation), so a report that stops before is
  cut off.

Page furniture left inside a published text is no doubt but an error: the fidelity gate
(:mod:`tipkg.validate.fidelity`) fails the build on it.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator

from tipkg.errors import Warning
from tipkg.extract.lexicon import ELIDABLE, SOLID_PREFIXES, Lexicon, Vocabulary, normalise
from tipkg.extract.records import Report

#: A word this frequent is a rare word of the language ("enshrining" 1.96, "victimisation"
#: 2.2); below it lie the fragments wordfreq's web text holds as noise ("organi" 1.88, "droi"
#: 1.84, "sation" 1.58) and, absent (0), glued words and most fragments.
RARE_WORD_ZIPF = 1.9
#: A word the document writes whole this many times is its own, whatever the lexicon says.
OWN_WORD_COUNT = 2
#: A recommendation shorter than this share of its siblings' median length is suspect.
SHORT_SHARE = 0.2
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CLOSING = tuple(".;:!?»”)")
#: A heading's form after a sentence's end: a part numeral or section letter and a capital, or
#: the recommendation heading word of the document's family followed by a number.
_HEADING_INSIDE = r"(?<=[.;:!?»”)])\s+(?:(?:[IVXLC]{{1,6}}|[A-Z])\.\s+[A-ZÀ-ÖØ-Þ]\w+{word})"


def self_checks(
    report: Report,
    path: str,
    lex: Lexicon,
    names: frozenset[str],
    usage: Vocabulary,
    heading_word: str | None = None,
) -> list[Warning]:
    """The doubts about ``report``; ``heading_word`` is its family's recommendation heading word
    ("Recommandation"), where recommendations have headings of their own."""
    word = rf"|{re.escape(heading_word)}\s+\d+" if heading_word else ""
    heading_inside = re.compile(_HEADING_INSIDE.format(word=word))
    # Words the document itself writes whole again and again are its own ("non-refoulement").
    own = names | {word for word, count in usage.words.items() if count >= OWN_WORD_COUNT}
    warnings: list[Warning] = []
    for rec in report.recommendations:
        where = f"recommendation {rec.printed}"
        unknown = list(
            dict.fromkeys(
                match[0]
                for match in _WORD.finditer(rec.text)
                if not _known(match[0], lex, own) and not _proper_noun(rec.text, match)
            )
        )
        if unknown:
            listed = ", ".join(f"«{word}»" for word in unknown[:5])
            warnings.append(
                Warning(
                    path,
                    rec.span.line,
                    f"{where}: not a word of the lexicon nor a known name: {listed}"
                    " (a split or glued word?)",
                )
            )
        for heading in heading_inside.finditer(rec.text):
            warnings.append(
                Warning(
                    path,
                    rec.span.line,
                    f"{where} holds what looks like a heading: {heading[0].strip()!r} (a heading "
                    "out of order, or glued to the text?)",
                )
            )
        # A text that ends at its recommending States' brackets (upr) leaves the list's
        # separator after them: its own end has no punctuation to check.
        if not rec.recommended_by and not rec.text.rstrip().endswith(_CLOSING):
            warnings.append(
                Warning(
                    path,
                    rec.span.line,
                    f"{where} ends without closing punctuation ({rec.text[-30:]!r}): cut off?",
                )
            )
    for kind, number, text, line in [
        *(("recommendation", r.printed, r.text, r.span.line) for r in report.recommendations),
        *(("paragraph", str(p.number), p.text, p.span.line) for p in report.paragraphs),
    ]:
        for whole, hyphenated, count in _hyphens_lost(text, usage):
            warnings.append(
                Warning(
                    path,
                    line,
                    f"{kind} {number}: «{whole}» written whole, but the document writes "
                    f"«{hyphenated}» elsewhere ({count}×): a line-end hyphen lost in extraction?",
                )
            )
    lengths = [len(rec.text) for rec in report.recommendations]
    if len(lengths) >= 3:
        median = statistics.median(lengths)
        for rec in report.recommendations:
            if len(rec.text) < SHORT_SHARE * median:
                warnings.append(
                    Warning(
                        path,
                        rec.span.line,
                        f"recommendation {rec.printed} is {len(rec.text)} characters long, under "
                        f"a fifth of its siblings' median ({median:.0f}): a heading or text lost?",
                    )
                )
    if report.recommendations and not report.participations:
        last = report.recommendations[-1]
        warnings.append(
            Warning(
                path,
                last.span.line,
                f"the report ends after recommendation {last.printed} without the organisation "
                "of the meeting (statements, participation) that follows the recommendations: "
                "is the file cut off?",
            )
        )
    return warnings


def _hyphens_lost(text: str, usage: Vocabulary) -> Iterator[tuple[str, str, int]]:
    """Words written whole in ``text`` that the document writes with a hyphen more often:
    an extraction that joins the halves of a word broken at a line end drops the hyphen of a
    compound too ("decision-|making" made "decisionmaking")."""
    for word in dict.fromkeys(m[0] for m in _WORD.finditer(text) if "-" not in m[0]):
        whole = usage.words[normalise(word)]
        for cut in range(2, len(word) - 1):
            hyphenated = f"{word[:cut]}-{word[cut:]}"
            count = usage.words[normalise(hyphenated)]
            if count and count >= whole:
                yield word, hyphenated, count
                break


def _proper_noun(text: str, match: re.Match[str]) -> bool:
    """A capitalised word inside a sentence, not after its end: a name ("Sinti", "Roma")."""
    before = text[: match.start()].rstrip()
    return match[0][:1].isupper() and bool(before) and before[-1] not in ".!?:;"


def _known(word: str, lex: Lexicon, names: frozenset[str]) -> bool:
    if word.isupper() or normalise(word) in names or lex.zipf(word) >= RARE_WORD_ZIPF:
        return True
    if lex.is_word(word):
        return True
    head, apostrophe, rest = normalise(word).partition("'")
    if apostrophe and (head in ELIDABLE[lex.lang] or lex.lang == "en"):
        return _known(rest, lex, names) if head in ELIDABLE[lex.lang] else _known(head, lex, names)
    if "-" in word:
        # A capitalised part of a compound is a name ("anti-Gypsyism", "Royaume-Uni").
        return all(
            part[0].isupper() or _known(part, lex, names) for part in word.split("-") if part
        )
    key = normalise(word)
    return any(
        key.startswith(prefix) and lex.zipf(key[len(prefix) :]) >= RARE_WORD_ZIPF
        for prefix in SOLID_PREFIXES[lex.lang]
        if len(key) - len(prefix) >= 4
    )
