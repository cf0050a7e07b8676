"""Pages from Jinja2 templates (templates/), autoescaped, and the interface's strings in English and
French (messages/messages.toml).

One environment serves the static site and `tipkg serve`'s query page, so both share the page frame
(``base.html``) and its navigation. Every value a template prints is escaped unless it is ``Markup``
(HTML already escaped by tipkg.publish.html); templates never mark a value safe themselves.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

LANGS = ("en", "fr")
DEFAULT_LANG = "en"

NAV: tuple[tuple[str, str], ...] = (
    ("index.html", "nav.home"),
    ("recommendations.html", "nav.recommendations"),
    ("search.html", "nav.search"),
    ("query.html", "nav.query"),
    ("participants.html", "nav.participants"),
    ("meetings.html", "nav.meetings"),
    ("states.html", "nav.states"),
    ("doc/ontology.html", "nav.ontology"),
    ("schemes.html", "nav.schemes"),
    ("pictures.html", "nav.pictures"),
    ("doc/dataset/tipkg.html", "nav.data"),
)
"""The site's navigation, the same for every page of the static site and for the query page."""


@cache
def messages() -> dict[str, dict[str, str]]:
    text = resources.files("tipkg.publish").joinpath("messages", "messages.toml").read_text("utf-8")
    return {key: dict(value) for key, value in tomllib.loads(text).items()}


def translate(key: str, lang: str = DEFAULT_LANG, **fields: object) -> str:
    """The interface string ``key`` in ``lang`` (English when the catalogue lacks it)."""
    entry = messages()[key]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fields) if fields else text


@dataclass(frozen=True)
class NavItem:
    href: str
    name: str
    current: bool


def nav(root: str, here: str, lang: str = DEFAULT_LANG) -> list[NavItem]:
    """The navigation of the page at ``here``, its links relative to the site's ``root``."""
    return [NavItem(root + path or "./", translate(key, lang), path == here) for path, key in NAV]


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tipkg.publish", "templates"),
        autoescape=True,  # every template is HTML, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render(template: str, *, lang: str = DEFAULT_LANG, **context: Any) -> bytes:
    """The template ``template`` rendered with ``context``; ``t(key, …)`` gives UI strings."""

    def t(key: str, **fields: object) -> str:
        # fields already escaped (Markup) stay HTML; the catalogue's text itself is ours
        if any(isinstance(v, Markup) for v in fields.values()):
            safe = {k: v if isinstance(v, Markup) else Markup.escape(v) for k, v in fields.items()}
            return Markup(Markup.escape(translate(key, lang)).format(**safe))
        return translate(key, lang, **fields)

    return environment().get_template(template).render(lang=lang, t=t, **context).encode("utf-8")
