"""The page templates (tipkg/publish/templates) and the interface's message catalogue (issue 17).

Escaping stays guaranteed whatever a template prints: every template is rendered with a context in
which every field, at any depth, is markup (``<script>``, quotes, ``&``), and none of it may come
out as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources

import pytest

from tipkg.publish import templating

EVIL = "<script>alert('x')</script> & \"quoted\" 'single'"


class Poison:
    """A field of any shape: every attribute, item and string of it is EVIL."""

    def __str__(self) -> str:
        return EVIL

    def __getattr__(self, name: str) -> Poison:
        if name.startswith("__"):
            raise AttributeError(name)
        return Poison()

    def __getitem__(self, key: object) -> Poison:
        return Poison()

    def __iter__(self) -> Iterator[Poison]:
        return iter([Poison(), Poison()])

    def __len__(self) -> int:
        return 2

    def __bool__(self) -> bool:
        return True

    def __ge__(self, other: object) -> bool:
        return True


TEMPLATES = sorted(
    p.name
    for p in resources.files("tipkg.publish").joinpath("templates").iterdir()
    if p.name.endswith(".html") and not p.name.startswith("_")
)

PARTS = sorted(
    p.name
    for p in resources.files("tipkg.publish").joinpath("templates").iterdir()
    if p.name.startswith("_") and p.name.endswith(".html")
)
"""The pieces templates include or import: their names are the including template's."""


class Context(dict[str, object]):
    """Every name a template asks for is a poisoned field."""

    def __missing__(self, key: str) -> Poison:
        return Poison()


def _names(template: str) -> set[str]:
    from jinja2 import meta

    env = templating.environment()
    source = env.loader.get_source(env, template)[0]  # type: ignore[union-attr]
    found = meta.find_undeclared_variables(env.parse(source))
    partials = [name for name in PARTS if name != template]
    for parent in ("base.html", *partials):
        if parent != template:
            text = env.loader.get_source(env, parent)[0]  # type: ignore[union-attr]
            found |= meta.find_undeclared_variables(env.parse(text))
    return found - {"t", "lang"}


@pytest.mark.parametrize("template", TEMPLATES)
def test_markup_in_every_field_comes_out_escaped(template: str) -> None:
    assert {"base.html", "resource.html", "query.html", "home.html"} <= set(TEMPLATES)
    assert {"review.html", "state.html", "states.html"} <= set(TEMPLATES)
    context = {name: Poison() for name in _names(template)}
    html = templating.render(template, **context).decode("utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in html
    assert "<script>alert" not in html
    assert '"quoted"' not in html and "'single'" not in html
    # the only script elements are the template's own (the search page's index and script)
    assert len(re.findall(r"<script\b", html)) == len(re.findall(r"</script>", html))


def test_autoescaping_is_on_for_every_template() -> None:
    assert templating.environment().autoescape is True


def test_every_message_is_in_english_and_french() -> None:
    catalogue = templating.messages()
    assert len(catalogue) > 100
    for key, entry in catalogue.items():
        assert set(entry) == set(templating.LANGS), key
        assert all(text.strip() for text in entry.values()), key
        fields = {lang: set(re.findall(r"\{(\w+)\}", text)) for lang, text in entry.items()}
        assert fields["en"] == fields["fr"], key


def test_every_message_a_template_asks_for_is_in_the_catalogue() -> None:
    catalogue = templating.messages()
    root = resources.files("tipkg.publish")
    texts = [p.read_text("utf-8") for p in root.joinpath("templates").iterdir()]
    texts += [p.read_text("utf-8") for p in root.iterdir() if p.name.endswith(".py")]
    asked = set()
    for text in texts:
        asked |= set(re.findall(r"""\b(?:t|translate)\(\s*["']([\w.]+)["']""", text))
    assert asked and asked <= set(catalogue), sorted(asked - set(catalogue))
