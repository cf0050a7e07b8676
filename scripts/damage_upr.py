#!/usr/bin/env python3
"""Make other Universal Periodic Review reports from the two real ones, damaged, with their truth.

Usage:
    damage_upr.py --seed N --level clean|words|pdf [--matrix] --out DIR

The two real texts (pdftotext output of A/HRC/43/15 and its addendum, kept in
tests/fixtures/pdf/*.pdftotext.txt) are the base. From them a seed makes a pair of documents that
differ in what other UPR reports differ in, and writes into DIR:

- ``upr-s<seed>-<level>.en.txt`` (the report) and ``upr-s<seed>-<level>-add-1.en.txt`` (its
  addendum), each with its ``.meta.toml`` (family "upr", marked ``synthetic = true``);
- ``upr-s<seed>-<level>.truth.json``: for each recommendation its number as printed, its clean text
  (runs of whitespace made one space), its recommending States (ISO 3166 alpha-3 codes), the lines
  it spans in the damaged report, and its response (supported or noted), the document and
  paragraph that give it and their lines; for a matrix addendum, the lines of its table.

What differs from the real pair (all deterministic for a seed):

- **another State under review**: its name, formal name, adjective and ISO code replace the real
  one's everywhere (a State that neither recommends nor speaks in the real report);
- **other paragraph numbers**: the recommendation paragraphs (121 and 122 in the real report) move
  to any number from 60 to 160, by dropping delegations' statements from the interactive dialogue
  or repeating some under other delegations' names (the document's own count of delegations
  follows); the items are numbered by their paragraph (98.1 …);
- **a third list**: sometimes the last items of the pending list become a list of their own that
  "did not enjoy the support of" the State and "would thus be noted" (the cycle 1–2 form);
- **other recommending States**: each recommendation's final brackets name one, two or three
  States of the reference data (never the State under review);
- **other running headers**: a session, document symbol (A/HRC/<s>/<n>) and job number
  (GE.<yy>-<nnnnn>(E)) of their own, with page breaks elsewhere;
- **the addendum rewritten within its form**: the pending recommendations answered supported or
  noted at random, in one to three paragraphs worded in several ways ("accepts", "supports",
  "enjoy the support of", "notes", "takes note of"), their numbers listed with ranges in every
  printed form ("98.17-18", "98.62–66", "98.62-\\n66", "98.34- 35", "98.5–98.9",
  "98.141-144,98.146"), with replies to some recommendations under their numbers;
- ``--matrix``: the addendum gives its responses as a table (rows of number, recommendation,
  position), the form tipkg does not read; its truth says which lines hold the table, so that a
  reader that publishes a response from them, or says nothing, is caught.

Levels: ``clean`` (no damage beyond the above), ``words`` and ``pdf``, the damage of
scripts/damage.py (split words, detached apostrophes and hyphens, re-wrapping, headings glued to the
text before them, items glued to the previous item; at ``pdf`` page breaks with their furniture
between lines or inside a line, and end-of-line hyphenation). A State's name in a recommendation's
brackets is wrapped but never split.

The truth is computed here from the real texts, never by tipkg's extractor.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import damage as wg  # noqa: E402  (the WG family's generator: its damage and page furniture)

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests" / "fixtures" / "pdf"
REPORT = BASE / "a-hrc-43-15.pdftotext.txt"
ADDENDUM = BASE / "a-hrc-43-15-add-1.pdftotext.txt"
STATES_TTL = ROOT / "data" / "reference" / "states.ttl"
LEVELS = ("clean", "words", "pdf")

#: The real pair's own strings (the generator's knowledge, never the extractor's).
REAL_NAME, REAL_FORMAL, REAL_ADJECTIVE, REAL_CODE = (
    "Slovenia",
    "Republic of Slovenia",
    "Slovenian",
    "SVN",
)
REAL_SYMBOL = "A/HRC/43/15"
REAL_JOB = re.compile(r"GE\.\d{2}-\d{5}\([A-Z]\)")
REAL_SUPPORTED, REAL_PENDING = 121, 122

#: States under review to choose from: name as in the reference data, formal name, adjective.
UNDER_REVIEW = [
    ("Norway", "Kingdom of Norway", "Norwegian"),
    ("Kenya", "Republic of Kenya", "Kenyan"),
    ("Mongolia", "Mongolia", "Mongolian"),
    ("Jamaica", "Jamaica", "Jamaican"),
    ("Zambia", "Republic of Zambia", "Zambian"),
    ("Finland", "Republic of Finland", "Finnish"),
    ("Paraguay", "Republic of Paraguay", "Paraguayan"),
    ("Panama", "Republic of Panama", "Panamanian"),
    ("Sri Lanka", "Democratic Socialist Republic of Sri Lanka", "Sri Lankan"),
    ("New Zealand", "New Zealand", "New Zealand"),
    ("Namibia", "Republic of Namibia", "Namibian"),
    ("Mauritius", "Republic of Mauritius", "Mauritian"),
]


@cache
def states() -> dict[str, str]:
    """English labels and alternative labels of the reference data's States → ISO alpha-3."""
    names: dict[str, str] = {}
    for block in STATES_TTL.read_text(encoding="utf-8").split("\n.\n"):
        code = re.search(r'iso3166Alpha3 "([A-Z]{3})"', block)
        if not code or "a tip:State" not in block:
            continue
        for label in re.findall(r'"([^"]+)"@en\b', block):
            names[" ".join(label.split())] = code[1]
    return names


@cache
def labels() -> dict[str, str]:
    """ISO alpha-3 → the State's English rdfs:label (the name UN documents print)."""
    out: dict[str, str] = {}
    for block in STATES_TTL.read_text(encoding="utf-8").split("\n.\n"):
        code = re.search(r'iso3166Alpha3 "([A-Z]{3})"', block)
        label = re.search(r'rdfs:label\s+"([^"]+)"@en', block)
        if code and label and "a tip:State" in block:
            out[code[1]] = label[1]
    return out


# -- the real report, read into blocks --------------------------------------------------------


@dataclass
class Block:
    kind: str  # raw | heading | part | section | paragraph | item | reply | end
    text: str
    key: str = ""
    indent: str = ""
    #: an item: its text without the final brackets, and the States of its clauses and brackets.
    body: str = ""
    clause_states: list[str] = field(default_factory=list)
    final_states: list[str] = field(default_factory=list)


_PART = re.compile(r"([IVX]{1,4})\.\s+(\S.*)")
_SECTION = re.compile(r"([A-H])\.\s+(\S.*)")
_PARAGRAPH = re.compile(r"(\d{1,3})\.\s+(\S.*)")
_ITEM = re.compile(r"(\d{1,3})\.(\d{1,3})\s+(\S.*)")
_REPLY = re.compile(r"\d{1,3}\.\d{1,3}(?:\s*[-–]\s*\d{1,3})?")
HEADINGS = (
    "Introduction",
    "Accepted recommendations",
    "Noted recommendations",
)


def _furniture_line(stripped: str, symbol: str) -> bool:
    return (
        stripped.lstrip("\f") in (symbol, symbol + "/Add.1")
        or re.fullmatch(r"\d{1,3}", stripped) is not None
        or REAL_JOB.fullmatch(stripped) is not None
        or re.fullmatch(r"[\uf000-\uf0ff ]+", stripped) is not None
    )


def read_blocks(text: str, symbol: str = REAL_SYMBOL) -> tuple[list[str], list[Block]]:
    """The front matter's lines (up to the first page's job number), and the body's blocks."""
    lines = text.split("\n")
    job = next(i for i, line in enumerate(lines) if REAL_JOB.fullmatch(line.strip()))
    front = [line for line in lines[:job] if not line.strip().startswith("*")]
    while front and not front[-1].strip():
        front.pop()
    blocks: list[Block] = []
    paragraph = 0
    current: Block | None = None
    ended = False
    for raw in lines[job:]:
        stripped = raw.strip()
        if not stripped or _furniture_line(stripped, symbol):
            continue
        indent = raw[: len(raw) - len(raw.lstrip())].replace("\f", "")
        if ended:
            blocks.append(Block("raw", raw.rstrip().replace("\f", "")))
            continue
        kind, key, rest = "", "", stripped
        if stripped == "Annex":
            kind, ended = "end", True
        elif stripped in HEADINGS or stripped.startswith("Accepted recommendations"):
            kind = "heading"
        elif (m := _ITEM.fullmatch(stripped)) and int(m[1]) == paragraph:
            kind, key, rest = "item", f"{m[1]}.{m[2]}", m[3]
        elif _REPLY.fullmatch(stripped):
            kind, key, rest = "reply", stripped, ""
        elif m := _PART.fullmatch(stripped):
            kind, key, rest = "part", m[1], m[2]
        elif (m := _SECTION.fullmatch(stripped)) and current is not None:
            kind, key, rest = "section", m[1], m[2]
        elif (m := _PARAGRAPH.fullmatch(stripped)) and int(m[1]) == paragraph + 1:
            paragraph = int(m[1])
            kind, key, rest = "paragraph", m[1], m[2]
        if kind:
            current = Block(kind, rest, key, indent)
            blocks.append(current)
        elif current is not None:
            joiner = "" if current.text.endswith("-") and current.kind != "heading" else " "
            current.text = f"{current.text}{joiner}{stripped}".strip()
    for block in blocks:
        if block.kind == "item":
            _read_states(block)
    return front, blocks


def _brackets_at_end(text: str) -> list[tuple[int, str]]:
    """The bracket groups that end ``text`` (a final ';' or '.' aside), last first."""
    found: list[tuple[int, str]] = []
    end = len(text.rstrip().rstrip(";.").rstrip())
    while end and text[end - 1] == ")":
        opening = text.rfind("(", 0, end - 1)
        if opening < 0:
            break
        found.append((opening, text[opening + 1 : end - 1]))
        end = len(text[:opening].rstrip())
    return found


def _read_states(block: Block) -> None:
    names = states()
    final = []
    cut = len(block.text)
    for opening, content in _brackets_at_end(block.text):
        if content not in names:
            break
        final.append(names[content])
        cut = opening
    block.final_states = list(reversed(final))
    block.body = block.text[:cut].rstrip()
    block.clause_states = []
    for match in re.finditer(r"\(([^()]+)\);\s+(?=[A-Z])", block.body):
        if match[1] in names:
            block.clause_states.append(names[match[1]])


# -- the variant -------------------------------------------------------------------------------


@dataclass
class Variant:
    name: str
    formal: str
    adjective: str
    code: str
    supported: int  # the paragraph number of the list supported in the report
    session: int
    symbol: str
    year: int
    job: str
    job_addendum: str
    noted_list: int  # items moved into a third list, noted in the report (0: none)
    #: No list is supported during the review: both await the addendum (as in later cycles).
    all_pending: bool = False


def _substitute(text: str, v: Variant) -> str:
    text = text.replace(REAL_SYMBOL, v.symbol)
    text = text.replace(REAL_FORMAL, v.formal)
    text = re.sub(rf"\b{REAL_ADJECTIVE}\b", v.adjective, text)
    text = re.sub(rf"\b{REAL_NAME}\b", v.name, text)
    return re.sub(rf"\b{REAL_CODE}\b", v.code, text)


def _state_opening(text: str) -> str | None:
    """The State whose name opens a statement ("Rwanda commended …", "The Bahamas …")."""
    names = states()
    rest = text[4:] if text.startswith("The ") else text
    best = None
    for name in names:
        if rest.startswith(name) and (best is None or len(name) > len(best)):
            best = name
    return best


@dataclass
class Damage:
    rng: random.Random
    level: str
    rates: Any
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class Unit:
    """One block to lay out: its kind, the text its first line starts with, its text to wrap."""

    kind: str
    lead: str
    text: str
    indent: str = ""
    damage: bool = False
    tag: str = ""  # what the truth records its lines under ("item 98.3", "paragraph 4", "table")
    raw: bool = False  # laid out as it is (front matter, annex, table rows)
    #: A footnote called from this unit ("**"), printed at the foot of its page.
    footnote: str = ""


def make_variant(seed: int) -> Variant:
    rng = random.Random(f"upr:{seed}")
    present = Path(REPORT).read_text(encoding="utf-8")
    name, formal, adjective = rng.choice(
        [c for c in UNDER_REVIEW if not re.search(rf"\b{c[0]}\b", present)]
    )
    code = states()[name]
    session = rng.randint(7, 58)
    year = 2007 + session // 3
    n = rng.randint(5, 19)
    return Variant(
        name=name,
        formal=formal,
        adjective=adjective,
        code=code,
        supported=rng.randint(60, 160) if rng.random() < 0.6 else rng.choice([98, 140]),
        session=session,
        symbol=f"A/HRC/{session}/{n}",
        year=year,
        job=f"GE.{year % 100:02d}-{rng.randint(0, 99999):05d}(E)",
        job_addendum=f"GE.{(year + 1) % 100:02d}-{rng.randint(0, 99999):05d}(E)",
        noted_list=rng.choice([0, 0, 0, rng.randint(5, 30)]),
        all_pending=rng.random() < 0.25,
    )


def _recommending(rng: random.Random, exclude: set[str], original: list[str]) -> list[str]:
    """One, two or three recommending States: the real ones or others of the reference data."""
    roll = rng.random()
    if roll < 0.5:
        chosen = [c for c in original if c not in exclude]
        if chosen:
            return chosen
    pool = sorted(set(labels()) - exclude)
    count = 1 if roll < 0.75 else rng.choice((2, 3))
    return rng.sample(pool, count)


def build_report(v: Variant, rng: random.Random) -> tuple[list[str], list[Unit], dict[str, Any]]:
    """The report's front matter and units, and its part of the truth."""
    front, blocks = read_blocks(_substitute(REPORT.read_text(encoding="utf-8"), v), v.symbol)
    real_supported, real_pending = REAL_SUPPORTED, REAL_PENDING
    shift = v.supported - real_supported
    # The interactive dialogue's statements (paragraphs that open with another State's name).
    para = [b for b in blocks if b.kind == "paragraph"]
    dialogue = [
        b
        for b in para
        if 22 < int(b.key) < real_supported
        and (opener := _state_opening(b.text)) is not None
        and opener != v.name
    ]
    speaking = {states()[_state_opening(b.text) or ""] for b in dialogue}
    if shift < 0:
        dropped = {id(b) for b in rng.sample(dialogue, -shift)}
        blocks = [b for b in blocks if id(b) not in dropped]
    elif shift > 0:
        silent = sorted(set(labels()) - speaking - {v.code})
        newcomers = rng.sample(silent, shift)
        last = max(blocks.index(b) for b in dialogue)
        extra = []
        for code in newcomers:
            model = rng.choice(dialogue)
            opener = _state_opening(model.text) or ""
            rest = model.text[len(opener) + (4 if model.text.startswith("The ") else 0) :]
            extra.append(Block("paragraph", labels()[code] + rest, "", model.indent))
        blocks[last + 1 : last + 1] = extra
    count = len(dialogue) + shift
    # Renumber the paragraphs and the items.
    number = 0
    mapping: dict[int, int] = {}
    for block in blocks:
        if block.kind == "paragraph":
            number += 1
            if block.key:
                mapping[int(block.key)] = number
            block.key = str(number)
        elif block.kind == "item":
            old, _, item = block.key.partition(".")
            block.key = f"{mapping[int(old)]}.{item}"
    for block in blocks:
        if block.kind == "paragraph":
            block.text = re.sub(
                r"\b\d+ delegations made statements",
                f"{count} delegations made statements",
                block.text,
            )
    supported, pending = mapping[real_supported], mapping[real_pending]
    assert supported == v.supported
    # A third list, noted in the report: the last items of the pending list.
    items = [b for b in blocks if b.kind == "item"]
    pending_items = [b for b in items if b.key.startswith(f"{pending}.")]
    if v.noted_list:
        moved = pending_items[-v.noted_list :]
        pending_items = pending_items[: -v.noted_list]
        anchor = blocks.index(moved[0])
        intro = Block(
            "paragraph",
            f"The following recommendations did not enjoy the support of {v.name} and would "
            "thus be noted:",
            str(pending + 1),
            next(b.indent for b in blocks if b.kind == "paragraph" and b.key == str(pending)),
        )
        blocks.insert(anchor, intro)
        for index, block in enumerate(moved, 1):
            block.key = f"{pending + 1}.{index}"
        following = [b for b in blocks[anchor + 1 :] if b.kind == "paragraph" and b is not intro]
        for block in following:
            block.key = str(int(block.key) + 1)
        # The list before ends with ";" no more: its last item ends the list.
        last = pending_items[-1]
        last.text = last.text.rstrip().rstrip(";.") + "."
        moved[-1].text = moved[-1].text.rstrip().rstrip(";.") + "."
    if v.all_pending:
        intro = next(b for b in blocks if b.kind == "paragraph" and b.key == str(supported))
        intro.text = (
            f"The following recommendations will be examined by {v.name}, which will provide "
            "responses in due time:"
        )
    recs: list[dict[str, Any]] = []
    for block in blocks:
        if block.kind != "item":
            continue
        paragraph, _, item = block.key.partition(".")
        final = _recommending(rng, {v.code}, block.final_states)
        end = block.text[len(block.text.rstrip().rstrip(";.")) :].strip()
        block.text = block.body + " " + " ".join(f"({labels()[c]})" for c in final) + end
        response = None
        if int(paragraph) == supported and not v.all_pending:
            response = "supported"
        elif v.noted_list and int(paragraph) == pending + 1:
            response = "noted"
        recs.append(
            {
                "printed": block.key,
                "paragraph": int(paragraph),
                "number": int(item),
                "text": " ".join(block.body.split()),
                "states": list(dict.fromkeys(block.clause_states + final)),
                "response": response,
                "given_in": (int(paragraph) if response else None),
                "document": "report" if response else None,
            }
        )
    units = []
    for block in blocks:
        if block.kind == "raw":
            units.append(Unit("raw", "", block.text, raw=True))
        elif block.kind in ("heading", "end"):
            units.append(Unit(block.kind, "", block.text, block.indent))
        elif block.kind in ("part", "section"):
            units.append(Unit(block.kind, f"{block.key}.", block.text, block.indent))
            if block.kind == "part" and block.key == "II" and rng.random() < 0.5:
                # As many reports print it: a footnote called from the recommendations' part,
                # at the foot of its page (inside the list of recommendations).
                units[-1].text += "**"
                units[-1].footnote = "** The conclusions and recommendations have not been edited."
        elif block.kind == "paragraph":
            units.append(
                Unit(
                    "paragraph",
                    f"{block.key}.",
                    block.text,
                    block.indent,
                    damage=True,
                    tag=f"paragraph {block.key}",
                )
            )
        elif block.kind == "item":
            units.append(
                Unit("item", block.key, block.text, block.indent, damage=True, tag=block.key)
            )
        else:
            units.append(Unit(block.kind, block.key, block.text, block.indent))
    truth = {
        "supported_paragraph": supported,
        "pending_paragraph": pending,
        "recommendations": recs,
    }
    return front, units, truth


# -- the addendum --------------------------------------------------------------------------------

SUPPORTED_WORDING = (
    "The Government accepts the following recommendations {refs}.",
    "{name} supports the following recommendations: {refs}.",
    "{name} supports recommendations {refs}.",
    "The following recommendations enjoy the support of {name}: {refs}.",
    "The Government accepts recommendations {refs}. {name} considers that they are already "
    "implemented or are in the process of implementation.",
)
NOTED_WORDING = (
    "For the time being, the Government notes recommendations {refs}.",
    "{name} takes note of the following recommendations: {refs}.",
    "{name} notes recommendations {refs}. The Government wishes to provide the following "
    "additional information.",
    "The following recommendations have been noted by {name}: {refs}.",
)
GROUP_HEADINGS = {"supported": "Accepted recommendations", "noted": "Noted recommendations"}


def _ranges(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def reference_list(keys: list[tuple[int, int]], rng: random.Random) -> str:
    """The (paragraph, item) numbers as an addendum prints them, with ranges in every printed
    form."""
    out = []
    paragraphs = list(dict.fromkeys(p for p, _ in keys))
    runs = [(p, r) for p in paragraphs for r in _ranges([n for q, n in keys if q == p])]
    for paragraph, (first, last) in runs:
        if first == last:
            out.append(f"{paragraph}.{first}")
            continue
        if last > first + 1 or rng.random() < 0.6:
            dash = rng.choice(["-", "-", "–", "- ", " – ", "–", "-"])
            tail = f"{paragraph}.{last}" if rng.random() < 0.2 else str(last)
            out.append(f"{paragraph}.{first}{dash}{tail}")
        else:
            out += [f"{paragraph}.{first}", f"{paragraph}.{last}"]
    text = out[0]
    for ref in out[1:]:
        text += rng.choice([", ", ", ", ", ", ",", "; "]) + ref
    return text


def _real_replies(v: Variant) -> list[str]:
    """The bodies of the real addendum's replies ("122.11 / The activities …")."""
    _, blocks = read_blocks(_substitute(ADDENDUM.read_text(encoding="utf-8"), v), v.symbol)
    return [b.text for b in blocks if b.kind == "reply" and b.text]


def build_addendum(
    v: Variant, rng: random.Random, truth: dict[str, Any], matrix: bool
) -> tuple[list[str], list[Unit]]:
    text = _substitute(ADDENDUM.read_text(encoding="utf-8"), v)
    text = text.replace(f"{v.symbol}/Add.1", f"{v.symbol}/Add.1")
    front, blocks = read_blocks(text, v.symbol)
    pending = truth["pending_paragraph"]
    answered = [r for r in truth["recommendations"] if r["response"] is None]
    total = len(truth["recommendations"])
    supported_now = [r for r in answered if rng.random() < 0.75]
    for rec in answered:
        rec["response"] = "supported" if rec in supported_now else "noted"
        rec["document"] = "addendum"
    n_supported = sum(
        1
        for r in truth["recommendations"]
        if r["document"] == "report" and r["response"] == "supported"
    )
    intro = [b for b in blocks if b.kind == "paragraph"][:2]
    intro[0].text = re.sub(
        r"contains \d+ recommendations", f"contains {total} recommendations", intro[0].text
    )
    intro[0].text = re.sub(r"the 3rd Universal", "the Universal", intro[0].text)
    intro[1].text = (
        f"{v.name} received {total} recommendations from UN member states, of which "
        f"{n_supported} were immediately supported. With this document, {v.name} sets out its "
        f"position on the remaining {len(answered)} recommendations, of which "
        f"{len(supported_now)} are now supported and {len(answered) - len(supported_now)} noted."
    )
    units = [Unit("paragraph", f"{b.key}.", b.text, b.indent, damage=True) for b in intro]
    indent = intro[0].indent
    bodies = _real_replies(v)
    if matrix:
        return front, units + _matrix(v, rng, answered, truth, indent)
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for response in ("supported", "noted"):
        recs = [r for r in answered if r["response"] == response]
        if not recs:
            continue
        if len(recs) > 20 and rng.random() < 0.5:
            cut = rng.randint(1, len(recs) - 1)
            chosen = sorted(rng.sample(range(len(recs)), cut))
            first = [recs[i] for i in chosen]
            second = [r for r in recs if r not in first]
            groups += [(response, first), (response, second)]
        else:
            groups.append((response, recs))
    headings = rng.random() < 0.8
    number = 2
    previous = ""
    for response, recs in groups:
        number += 1
        if headings and response != previous:
            units.append(Unit("heading", "", GROUP_HEADINGS[response], indent))
        previous = response
        wording = rng.choice(SUPPORTED_WORDING if response == "supported" else NOTED_WORDING)
        refs = reference_list([(r["paragraph"], r["number"]) for r in recs], rng)
        units.append(
            Unit(
                "paragraph",
                f"{number}.",
                wording.format(name=v.name, refs=refs),
                indent,
                damage=True,
                tag=f"addendum paragraph {number}",
            )
        )
        for rec in recs:
            rec["given_in"] = number
        for rec in rng.sample(recs, min(len(recs), rng.randint(0, 6))):
            units.append(Unit("reply", rec["printed"], "", ""))
            body = re.sub(r"\b\d{2,3}\.(\d{1,3})", rf"{pending}.\1", rng.choice(bodies))
            units.append(Unit("reply-text", "", body, "", damage=True))
    # Replies are listed in their paragraph's order in real addenda; here they follow their list.
    return front, units


POSITIONS = {"supported": ("Supported", "Accepted"), "noted": ("Noted", "Noted")}


def _matrix(
    v: Variant,
    rng: random.Random,
    answered: list[dict[str, Any]],
    truth: dict[str, Any],
    indent: str,
) -> list[Unit]:
    """The responses as a table: a header row, then rows of number, recommendation, position,
    the recommendation wrapped in its column as pdftotext lays a table out."""
    # A lead paragraph may say one response word itself: a reader that took it for the
    # table's rows would publish a guess.
    lead = rng.choice(
        [
            f"3. The position of {v.name} on each recommendation is given in the table below.",
            f"3. {v.name} supports the recommendations listed in the table below, except those "
            "marked as noted.",
            "3. The Government accepts the following recommendations, as set out below:",
            "",
        ]
    )
    units = []
    if lead:
        units.append(Unit("paragraph", "3.", lead[3:], indent, tag="addendum paragraph 3"))
    word = rng.choice([0, 1])
    rows = ["Recommendation" + " " * 44 + "Position", ""]
    for rec in answered:
        text = rec["text"]
        column = wg.wrap(text, -1, 46, rng, 0.0, Counter())
        number = rec["printed"]
        position = POSITIONS[rec["response"]][word]
        for i, line in enumerate(column):
            cell = line.text.ljust(48)
            if i == 0:
                rows.append(f"{number:<10}{cell}{position}")
            else:
                rows.append(f"{'':<10}{cell}")
        rec["given_in"] = None
    units.append(Unit("table", "", "\n".join(rows), "", tag="table", raw=True))
    truth["matrix"] = True
    return units


# -- layout ----------------------------------------------------------------------------------------


@dataclass
class Laid:
    text: str
    lines: dict[str, tuple[int, int]]


def lay_out(
    front: list[str], units: list[Unit], d: Damage, symbol: str, job: str, year: int
) -> Laid:
    """The units wrapped, damaged and paged; the lines of each tagged unit."""
    rng, rates = d.rng, d.rates
    out: list[wg.Line] = [wg.Line(line, -1) for line in front]
    tags: list[str] = []
    cover = len(out)
    for index, unit in enumerate(units):
        tags.append(unit.tag)
        if unit.raw:
            rows = unit.text.split("\n")
            if unit.kind == "table":
                out += [wg.Line("", -1)]
            out += [wg.Line(unit.indent + r, index) for r in rows]
            continue
        text = unit.text
        if unit.damage and d.level != "clean":
            text = _damage_text(text, rng, rates, d.counts, states_at_end=unit.kind == "item")
        if unit.kind == "reply":
            lines = [wg.Line(unit.lead, index)]
        else:
            width = rng.randint(max(50, rates.width - 6), min(100, rates.width + 6))
            lines = wg.wrap(text, index, width, rng, rates.hyphenation, d.counts)
            if unit.lead:
                head = f"{unit.lead}{' ' * rng.randint(2, 6)}"
                lines[0] = wg.Line(head + lines[0].text, index, lines[0].hyphenated)
        glue = (
            d.level != "clean"
            and unit.kind in ("item", "part", "section")
            and out
            and out[-1].block == index - 1
            and index > 0
            and units[index - 1].kind in ("item", "paragraph")
            and rng.random() < rates.glue / 5
        )
        if glue:
            d.counts[f"glued-{unit.kind}"] += 1
            last = out[-1]
            out[-1] = wg.Line(f"{last.text} {lines[0].text}", index, lines[0].hyphenated)
            out[-1].also = last.block  # type: ignore[attr-defined]  # the line ends the unit before
            out += lines[1:]
            continue
        if unit.kind in ("heading", "part", "section", "end") or d.level == "clean":
            out.append(wg.Line("", -1))
        out += [wg.Line(unit.indent + lines[0].text, index, lines[0].hyphenated)] + lines[1:]
    if d.level == "pdf":
        notes = {i: u.footnote for i, u in enumerate(units) if u.footnote}
        out = _paged(out, d, symbol, job, year, cover, notes)
    else:
        out = out[:cover] + [wg.Line("", -1), wg.Line("", -1)] + out[cover:]
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for number, line in enumerate(out, 1):
        for block in (getattr(line, "also", -1), line.block):
            if block >= 0:
                first.setdefault(block, number)
                last[block] = number
    spans = {tags[i]: (first[i], last[i]) for i in first if tags[i]}
    return Laid("\n".join(line.text for line in out) + "\n", spans)


def _damage_text(
    text: str, rng: random.Random, rates: Any, counts: Counter[str], states_at_end: bool
) -> str:
    """The WG family's word damage; a recommendation's final brackets (its States) are kept."""
    tail = ""
    if states_at_end:
        match = re.search(r"(?:\s*\((?:[^()]|\([^()]*\))+\))+[;.]?\s*$", text)
        if match:
            text, tail = text[: match.start()], match[0]
    return wg.damage_words(text, "en", rng, rates, counts) + tail


def _paged(
    out: list[wg.Line],
    d: Damage,
    symbol: str,
    job: str,
    year: int,
    cover: int,
    notes: dict[int, str],
) -> list[wg.Line]:
    rng = d.rng
    furniture = wg.Furniture(
        symbol=symbol,
        job=job,
        barcode=f"*{job[3:5]}{job[6:11]}*",
        style="ohchr",
        form_feed=rng.random() < 0.7,
        pua_barcode=rng.random() < 0.7,
        two_line_footer=False,
    )
    breaks = [cover - 1]
    count = 0
    limit = rng.randint(*d.rates.page_lines)
    for i, line in enumerate(out):
        if i < cover or line.block < 0 or not line.text.strip():
            continue
        count += 1
        forced = line.hyphenated and rng.random() < 0.3
        if (count >= limit or forced) and i < len(out) - 1:
            breaks.append(i)
            count, limit = 0, rng.randint(*d.rates.page_lines)
    total = len(breaks) + 1
    paged: list[wg.Line] = []
    page = 1
    inline = rng.random() < 0.3  # this document's header is put inside the lines
    note = ""
    for i, line in enumerate(out):
        if line.block in notes:
            note = notes.pop(line.block)
        if breaks and i == breaks[0]:
            breaks.pop(0)
            following = out[i + 1] if i + 1 < len(out) else None
            if note:
                paged.append(line)
                paged += [wg.Line("", -1), wg.Line(" " * rng.randint(6, 12) + note, -1)]
                paged += [wg.Line(t, -1) for t in wg._page_break(furniture, page, total, rng)]
                d.counts["footnote"] += 1
                note = ""
                page += 1
                continue
            if (
                inline
                and page > 1
                and following is not None
                and following.block == line.block
                and line.block >= 0
                and not line.hyphenated
            ):
                # A re-wrapping tool put the footer and header into the line.
                d.counts["furniture-in-line"] += 1
                inserted = f"{page} {symbol}" if page % 2 == 0 else f"{symbol} {page}"
                joined = wg.Line(f"{line.text} {inserted}", line.block)
                joined.also = getattr(line, "also", -1)  # type: ignore[attr-defined]
                paged.append(joined)
                page += 1
                continue
            paged.append(line)
            paged += [wg.Line(t, -1) for t in wg._page_break(furniture, page, total, rng)]
            if following is not None and following.block == line.block and line.block >= 0:
                d.counts["page-break"] += 1
            page += 1
            continue
        paged.append(line)
    return paged


# -- one pair --------------------------------------------------------------------------------------


def meta(v: Variant, kind: str) -> str:
    lines = [
        f"# SYNTHETIC: made by scripts/damage_upr.py from {REPORT.name} and {ADDENDUM.name}.",
        'family = "upr"',
        'body = "upr-wg"',
        f"year = {v.year + (kind == 'addendum')}",
        f'kind = "{kind}"',
    ]
    if kind == "addendum":
        lines.append("addendum = 1")
    lines += [
        'language = "en"',
        f'title = "Report of the Working Group on the Universal Periodic Review: {v.name}"',
        f'symbol = "{v.symbol}{"/Add.1" if kind == "addendum" else ""}"',
    ]
    if kind == "addendum":
        lines.append(f'addendum_to = "{v.symbol}"')
    lines += [
        f"issued = {v.year + (kind == 'addendum')}-{'02-19' if kind == 'addendum' else '12-19'}",
        f'state_under_review = "{v.code}"',
        f"session = {v.session}",
        "synthetic = true",
        "",
        "[meeting]",
        'place_fr = "Genève"',
        'place_en = "Geneva"',
        f"start_date = {v.year}-11-12",
        f"end_date = {v.year}-11-12",
    ]
    return "\n".join(lines) + "\n"


def generate(seed: int, level: str, matrix: bool = False) -> dict[str, Any]:
    """The report's and the addendum's texts and metadata, and the truth."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    v = make_variant(seed)
    rng = random.Random(f"upr:{seed}:{level}:{matrix}")
    rates = wg._rates(rng, "pdf" if level == "pdf" else "words")
    if level == "clean":
        rates.hyphenation = 0.0
    front, units, truth = build_report(v, rng)
    d = Damage(rng, level, rates)
    report = lay_out(front, units, d, v.symbol, v.job, v.year)
    front_a, units_a = build_addendum(v, rng, truth, matrix)
    d_a = Damage(rng, level, rates)
    addendum = lay_out(front_a, units_a, d_a, f"{v.symbol}/Add.1", v.job_addendum, v.year + 1)
    for rec in truth["recommendations"]:
        rec["lines"] = list(report.lines[rec["printed"]])
        if rec["document"] == "report":
            rec["response_lines"] = list(report.lines[f"paragraph {rec['given_in']}"])
        elif rec["given_in"] is not None:
            rec["response_lines"] = list(addendum.lines[f"addendum paragraph {rec['given_in']}"])
        else:
            rec["response_lines"] = list(addendum.lines["table"])
    truth.update(
        {
            "seed": seed,
            "level": level,
            "matrix": matrix,
            "state_under_review": v.code,
            "symbol": v.symbol,
            "damage": dict(sorted((d.counts + d_a.counts).items())),
            "table_lines": list(addendum.lines.get("table", (0, 0))),
        }
    )
    return {
        "report": report.text,
        "report_meta": meta(v, "report"),
        "addendum": addendum.text,
        "addendum_meta": meta(v, "addendum"),
        "truth": truth,
    }


def stem(seed: int, level: str, matrix: bool = False) -> str:
    return f"upr-s{seed}-{level}{'-matrix' if matrix else ''}"


def write(seed: int, level: str, out: Path, matrix: bool = False) -> tuple[Path, Path, Path]:
    """Write the pair and its truth; return the report's, the addendum's and the truth's paths."""
    made = generate(seed, level, matrix)
    out.mkdir(parents=True, exist_ok=True)
    name = stem(seed, level, matrix)
    report, addendum = out / f"{name}.en.txt", out / f"{name}-add-1.en.txt"
    report.write_text(made["report"], encoding="utf-8", newline="\n")
    (out / f"{name}.en.meta.toml").write_text(made["report_meta"], encoding="utf-8")
    addendum.write_text(made["addendum"], encoding="utf-8", newline="\n")
    (out / f"{name}-add-1.en.meta.toml").write_text(made["addendum_meta"], encoding="utf-8")
    truth = out / f"{name}.truth.json"
    truth.write_text(json.dumps(made["truth"], ensure_ascii=False, indent=1) + "\n", "utf-8")
    return report, addendum, truth


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--level", choices=LEVELS, default="pdf")
    parser.add_argument("--matrix", action="store_true", help="the addendum's responses as a table")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    report, addendum, truth_path = write(args.seed, args.level, args.out, args.matrix)
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    damage = ", ".join(f"{k} {v}" for k, v in truth["damage"].items()) or "none"
    print(
        f"{report}, {addendum}: {len(truth['recommendations'])} recommendations "
        f"(State under review {truth['state_under_review']}, {truth['symbol']}, lists "
        f"{truth['supported_paragraph']}/{truth['pending_paragraph']}); damage: {damage}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
