"""The addresses links out may take, as data/reference/checked/sherloc.md documents them.

SHERLOC's portal, databases and searches of one State, and the pages of the two treaties;
what each is called for people. No rdflib here: the site (tipkg.publish) names links with it.
A search of one State carries its filter as percent-encoded JSON in the fragment;
:meth:`StateSearch.locator` writes it and :meth:`StateSearch.label_of` reads it back, refusing a
fragment that does not decode to the documented JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

# SHERLOC address forms, verbatim from data/reference/checked/sherloc.md (a test checks that each
# still stands there). No other form is accepted.
SHERLOC_HOME = "https://sherloc.unodc.org/cld/en/st/home.html"
SHERLOC_PORTAL_V3 = "https://sherloc.unodc.org/cld/v3/sherloc/index.jspx?tmpl=sherloc"
SHERLOC_CASE_LAW_INDEX = "https://sherloc.unodc.org/cld/v3/sherloc/cldb/index.html?lng=en"
SHERLOC_LEGISLATION_INDEX = "https://sherloc.unodc.org/cld/en/v3/sherloc/legdb/index.html"
SHERLOC_HTKP = "https://sherloc.unodc.org/cld/v3/htms/"
SHERLOC_CASE = (
    "https://sherloc.unodc.org/cld/case-law-doc/{crimetype}/{iso3 lower case}/{year}/{slug}.html"
    "?lng=en&tmpl=sherloc"
)
SHERLOC_PROVISION = (
    "https://sherloc.unodc.org/cld/en/legislation/{iso3 lower case}/{act_slug}/{part}"
    "/{article_slug}/{article_slug}.html"
)
SHERLOC_FIXED = (
    SHERLOC_HOME,
    SHERLOC_PORTAL_V3,
    SHERLOC_CASE_LAW_INDEX,
    SHERLOC_LEGISLATION_INDEX,
    SHERLOC_HTKP,
)
SHERLOC_TEMPLATES = (SHERLOC_CASE, SHERLOC_PROVISION)
# "_irb" stands for international and regional bodies in the country slot of case law.
INTERNATIONAL_BODIES = "_irb"

# Pages about the two treaties, verbatim from sherloc.md ("Treaties"), and what each is about.
UNTC_TIP_PROTOCOL = (
    "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XVIII-12-a&chapter=18"
    "&lang=en"
)
UNODC_CTOC = "https://www.unodc.org/unodc/en/treaties/CTOC/index.html"
TREATY_PAGES: dict[str, str] = {
    # address -> key of the instrument it is the page of (tipkg.iris.instrument)
    UNTC_TIP_PROTOCOL: "tip-protocol",
    UNODC_CTOC: "untoc",
}

_SLOT = r"[a-z0-9][a-z0-9_.-]*"
_PLACEHOLDERS: dict[str, str] = {
    "crimetype": r"[a-z]+",
    "iso3 lower case": r"[a-z]{3}|" + INTERNATIONAL_BODIES,
    "year": r"[0-9]{4}",
    "slug": _SLOT,
    "act_slug": _SLOT,
    "part": _SLOT,
    "article_slug": _SLOT,
}


def _template_pattern(template: str) -> re.Pattern[str]:
    """A documented address template as a regular expression; a repeated slot must repeat."""
    parts: list[str] = []
    seen: set[str] = set()
    for piece in re.split(r"(\{[^}]+\})", template):
        if piece.startswith("{") and piece.endswith("}"):
            name = piece[1:-1]
            group = "iso3" if name == "iso3 lower case" else name
            if group in seen:
                parts.append(f"(?P={group})")
            else:
                seen.add(group)
                parts.append(f"(?P<{group}>{_PLACEHOLDERS[name]})")
        else:
            parts.append(re.escape(piece))
    return re.compile("^" + "".join(parts) + "$")


SHERLOC_PATTERNS = tuple(_template_pattern(t) for t in SHERLOC_TEMPLATES)
SHERLOC_CASE_PATTERN, SHERLOC_PROVISION_PATTERN = SHERLOC_PATTERNS


# --- SHERLOC's searches of one State ----------------------------------------------------------

# What a browser may leave unencoded in a fragment written into an IRI (RFC 3986 fragment:
# unreserved, sub-delims, ":", "@", "/", "?"); everything else is percent-encoded as UTF-8.
FRAGMENT_SAFE = "!$&'()*+,;=:@/?"
_FRAGMENT_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})*$")


class LocatorError(ValueError):
    """An address of a SHERLOC search whose fragment is not the documented one."""


@dataclass(frozen=True)
class StateSearch:
    """A search of one State's records in SHERLOC, as sherloc.md documents it ("Per State").

    `page` is the address before the fragment; the fragment is ``?c=`` and the documented JSON
    filter with SHERLOC's English label of the State as its value, percent-encoded.
    """

    kind: str  # legislation | case-law
    page: str
    example: str  # the documented JSON, verbatim, with the documented example State
    example_label: str
    name_en: str  # "Legislation of {state} in SHERLOC"
    name_fr: str  # "Législation dans SHERLOC : {state}"

    def json(self, label: str) -> str:
        """The documented JSON filter with `label` as its value, written as documented."""
        value = json.loads(self.example)
        value["filters"][0]["value"] = label
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def locator(self, label: str) -> str:
        return f"{self.page}#?c={quote(self.json(label), safe=FRAGMENT_SAFE)}"

    @property
    def documented(self) -> str:
        """The example address as sherloc.md writes it (JSON not encoded)."""
        return f"{self.page}#?c={self.example}"

    def label_of(self, address: str) -> str:
        """The State label an address of this search filters on; LocatorError if its fragment
        is not the documented JSON, percent-encoded as tipkg encodes it."""
        head = f"{self.page}#?c="
        if not address.startswith(head):
            raise LocatorError(f"not a {self.kind} search of one State (…#?c=<JSON>)")
        encoded = address[len(head) :]
        if not _FRAGMENT_CHARS.match(encoded):
            raise LocatorError(
                "the fragment does not decode: a character outside an IRI fragment (not "
                "percent-encoded), or a % not followed by two upper-case hexadecimal digits"
            )
        try:
            decoded = unquote(encoded, errors="strict")
            value = json.loads(decoded)
        except (UnicodeDecodeError, ValueError) as err:
            raise LocatorError(f"the fragment does not decode to JSON: {err}") from err
        try:
            label = value["filters"][0]["value"]
        except (KeyError, IndexError, TypeError) as err:
            raise LocatorError("the fragment does not decode to the documented JSON") from err
        if not isinstance(label, str) or decoded != self.json(label):
            raise LocatorError(
                f"the fragment does not decode to the documented JSON: {decoded!r} is not "
                f"{self.json(label if isinstance(label, str) else '…')!r}"
            )
        if quote(decoded, safe=FRAGMENT_SAFE) != encoded:
            raise LocatorError("the fragment is not percent-encoded as tipkg encodes it")
        return label


SHERLOC_STATE_SEARCHES: tuple[StateSearch, ...] = (
    StateSearch(
        kind="legislation",
        page="https://sherloc.unodc.org/cld/v3/sherloc/legdb/search.html?lng=en",
        example=(
            '{"filters":[{"fieldName":"en#legislation@country_label_s","value":"Argentina"}],'
            '"sortings":""}'
        ),
        example_label="Argentina",
        name_en="Legislation of {state} in SHERLOC",
        name_fr="Législation dans SHERLOC : {state}",
    ),
    StateSearch(
        kind="case-law",
        page="https://sherloc.unodc.org/cld/v3/htms/cldb/search.html?lng=en",
        example=(
            '{"filters":[{"fieldName":"en#caseLaw@country_label_s",'
            '"value":"United States of America"}]}'
        ),
        example_label="United States of America",
        name_en="Trafficking case law of {state} in SHERLOC",
        name_fr="Jurisprudence sur la traite dans SHERLOC : {state}",
    ),
)
# The State labels sherloc.md shows SHERLOC using: known, whatever other sources call the State.
SHERLOC_LABELS_SEEN = frozenset(search.example_label for search in SHERLOC_STATE_SEARCHES)


def state_search_of(address: str) -> StateSearch | None:
    """The search of one State whose page `address` is on (before its fragment), if any."""
    for search in SHERLOC_STATE_SEARCHES:
        if address.split("#", 1)[0] == search.page and "#" in address:
            return search
    return None


# Names of the fixed addresses, for people (pages of the site, `tipkg links`).
ADDRESS_NAMES: dict[str, tuple[str, str]] = {
    SHERLOC_HOME: ("SHERLOC portal", "Portail SHERLOC"),
    SHERLOC_PORTAL_V3: ("SHERLOC portal (older address)", "Portail SHERLOC (ancienne adresse)"),
    SHERLOC_CASE_LAW_INDEX: ("SHERLOC case law database", "Base de jurisprudence de SHERLOC"),
    SHERLOC_LEGISLATION_INDEX: (
        "SHERLOC legislation database",
        "Base de données législative de SHERLOC",
    ),
    SHERLOC_HTKP: (
        "Human Trafficking Knowledge Portal (SHERLOC)",
        "Portail de connaissances sur la traite des personnes (SHERLOC)",
    ),
    UNTC_TIP_PROTOCOL: (
        "The Protocol in the United Nations Treaty Collection",
        "Le Protocole dans la Collection des traités des Nations Unies",
    ),
    UNODC_CTOC: (
        "UNODC: the Convention and its Protocols",
        "ONUDC : la Convention et ses Protocoles",
    ),
}


def address_names(address: str, state_en: str = "", state_fr: str = "") -> dict[str, str]:
    """What to call a link out for people, by language ({} when it has no name of its own).

    A State's search in SHERLOC is named after the State: `state_en` and `state_fr` are its
    labels (the English one defaults to the label the address filters on)."""
    if address in ADDRESS_NAMES:
        en, fr = ADDRESS_NAMES[address]
        return {"en": en, "fr": fr}
    search = state_search_of(address)
    if search is None:
        return {}
    try:
        filtered = search.label_of(address)
    except LocatorError:
        return {}
    names = {"en": search.name_en.format(state=state_en or filtered)}
    if state_fr:
        names["fr"] = search.name_fr.format(state=state_fr)
    return names
