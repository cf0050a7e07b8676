"""Document families as data: the profile of each family, read from data/profiles/<family>.toml.

A family is a kind of UN document with its own headings, numbering and grammar (the reports of the
Working Group on Trafficking in Persons; the report of the Working Group on the Universal Periodic
Review and its addendum). The one extractor reads the profile named by a source's metadata; a new
family is a new profile and its tests, not a new code path. A profile that cannot be trusted
raises InputError naming the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tipkg.errors import InputError
from tipkg.paths import DATA_DIR

PROFILES_DIR = DATA_DIR / "profiles"
DEFAULT_FAMILY = "wg-tip"
NUMBERINGS = ("heading", "item")
RECOMMENDED_BY = ("body", "trailing-states")
GRAMMARS = ("strength", "none")
#: The responses a profile's cue phrases may say; "partial" (supported in part) is a response the
#: graph does not record: a paragraph that says it is warned, never read as support.
RESPONSES = ("supported", "noted", "pending", "partial")


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity: one per family
class Profile:
    family: str
    path: Path
    label: str
    languages: tuple[str, ...]
    kinds: tuple[str, ...]
    paragraphs_before_parts: bool
    numbering: str
    in_section: bool
    recommended_by: str
    grammar: str
    #: Whether the mechanism recommends on any subject: the top theme (trafficking in persons) is
    #: then given by its phrases; for a body whose mandate it is, it is implied and never given.
    themes_on_any_subject: bool = False
    #: The kinds of document that hold recommendations (an addendum may hold only responses).
    recommendation_kinds: tuple[str, ...] = ()
    #: Per language: the word of a recommendation heading ("Recommandation"), for "heading".
    recommendation_word: dict[str, str] = field(default_factory=dict)
    #: Per language: headings without a number, and those after which nothing is read.
    unnumbered: dict[str, tuple[str, ...]] = field(default_factory=dict)
    end: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Per language, per response (supported | noted | pending): its cue phrases.
    responses: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    #: Per language: the statements' section title words, the troika's cue word.
    statements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    troika: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Per language: the articles that may stand before a delegation's name ("The Bahamas").
    articles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    statement_count: dict[str, re.Pattern[str]] = field(default_factory=dict)


def profile_path(family: str) -> Path:
    return PROFILES_DIR / f"{family}.toml"


def load_profile(family: str = DEFAULT_FAMILY) -> Profile:
    """The profile of a family (one object per family); InputError when missing or malformed."""
    return _load(family)


@cache
def _load(family: str) -> Profile:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", family):
        raise InputError(PROFILES_DIR, None, f"not a family name: {family!r}")
    path = profile_path(family)
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in PROFILES_DIR.glob("*.toml")))
        raise InputError(path, None, f"no profile for the family {family!r} (known: {known})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise InputError(path, getattr(err, "lineno", None), f"not valid TOML: {err}") from err
    try:
        return _profile(path, data)
    except KeyError as err:
        raise InputError(path, None, f"missing field {err.args[0]!r}") from err
    except (TypeError, ValueError, re.error) as err:
        raise InputError(path, None, f"bad value: {err}") from err


def _words(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"expected a list of phrases, got {value!r}")
    return tuple(value)


def _profile(path: Path, data: dict[str, object]) -> Profile:
    def table(name: str) -> dict[str, object]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise ValueError(f"[{name}] must be a table")
        return value

    structure, recs = table("structure"), table("recommendations")
    headings, responses, participation = (
        table("headings"),
        table("responses"),
        table("participation"),
    )
    family = str(data["family"])
    if family != path.stem:
        raise ValueError(f"family {family!r} in a file named {path.name}")
    languages = _words(data["languages"])
    profile = Profile(
        family=family,
        path=path,
        label=str(data["label"]),
        languages=languages,
        kinds=_words(data["kinds"]),
        paragraphs_before_parts=bool(structure.get("paragraphs_before_parts", False)),
        numbering=str(recs["numbering"]),
        in_section=bool(recs["in_section"]),
        recommended_by=str(recs["recommended_by"]),
        grammar=str(recs["grammar"]),
        recommendation_kinds=_words(recs.get("in_kinds", data["kinds"])),
        themes_on_any_subject=bool(recs.get("any_subject", False)),
    )
    for name, allowed in (
        ("numbering", NUMBERINGS),
        ("recommended_by", RECOMMENDED_BY),
        ("grammar", GRAMMARS),
    ):
        if getattr(profile, name) not in allowed:
            raise ValueError(f"recommendations.{name} must be one of {allowed}")
    for lang in languages:
        words = headings.get(lang, {})
        if not isinstance(words, dict):
            raise ValueError(f"[headings.{lang}] must be a table")
        if profile.numbering == "heading":
            profile.recommendation_word[lang] = str(words["recommendation"])
        profile.unnumbered[lang] = tuple(str(w) for w in words.get("unnumbered", []))
        profile.end[lang] = tuple(str(w) for w in words.get("end", []))
        cues = responses.get(lang, {})
        if not isinstance(cues, dict) or not set(cues) <= set(RESPONSES):
            raise ValueError(f"[responses.{lang}] takes only {RESPONSES}")
        profile.responses[lang] = {key: _words(value) for key, value in cues.items()}
        roles = participation.get(lang, {})
        if not isinstance(roles, dict):
            raise ValueError(f"[participation.{lang}] must be a table")
        profile.statements[lang] = tuple(roles.get("statements", []))
        profile.troika[lang] = tuple(roles.get("troika", []))
        profile.articles[lang] = tuple(roles.get("articles", []))
        if "statement_count" in roles:
            profile.statement_count[lang] = re.compile(str(roles["statement_count"]))
    return profile
