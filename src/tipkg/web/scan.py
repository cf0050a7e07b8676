"""A SPARQL tokenizer: the form of a request (query or update), every address it makes the engine
fetch (SERVICE endpoints, LOAD sources), its own dataset (FROM, FROM NAMED) and how deeply it nests.

pyoxigraph exposes no algebra, so the endpoint reads the request's tokens before the engine sees
it: strings, IRIs, comments, variables and prefixed names are recognised as whole tokens by the
lexical rules of SPARQL 1.1 (§19.8), so a SERVICE inside a string, an IRI, a comment, a variable
name (?service) or a prefixed name (service:x, ex:service) is not taken for the keyword.

Limits:
- It works on tokens, not on a parse tree. Any SERVICE keyword token counts, wherever it stands: a
  query that the engine would reject anyway may be refused here first, never the other way round.
- Codepoint escapes (\\uXXXX, \\UXXXXXXXX) are decoded over the whole text before tokenising, as
  SPARQL 1.1 §19.2 prescribes, so an escaped keyword is still seen.
- Characters outside the ASCII word characters and Unicode letters and digits end a word: a word
  is never longer than the engine's, so a keyword cannot hide inside one.
- An endpoint is a full IRI, a relative IRI resolved against BASE (urljoin), or a prefixed name
  expanded with the query's PREFIX declarations. A variable endpoint (SERVICE ?x) or a prefix that
  is not declared cannot be checked: it is reported as None, and refused.
- The allow-list compares endpoint IRIs exactly, character for character; it covers LOAD's source
  as well as SERVICE's endpoint, the two ways a request makes the engine fetch from the network.
- FROM and FROM NAMED are dataset clauses wherever the keyword stands (SPARQL 1.1 allows them
  nowhere else, not even in a subquery), so a FROM token means the query names its own dataset.
- Nesting ({, ( and [) is counted on the same tokens: pyoxigraph's parser recurses once per level
  and a few thousand levels overflow its stack, which kills the process (measured with 0.5.13:
  2,000 levels parse, 5,000 abort), so a request nested deeper than MAX_DEPTH is refused first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

IRI, PNAME, VAR, WORD, STRING, PUNCT = "iri", "pname", "var", "word", "string", "punct"

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_FORMS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
# Characters an IRIREF may not hold (SPARQL 1.1 grammar rule [139]), besides #x00-#x20.
_NOT_IN_IRI = frozenset('<>"{}|^`\\')
_WORD_PUNCT = frozenset("_-.:%")
MAX_DEPTH = 500  # nesting levels a request may have; a real query has a handful
_OPENERS, _CLOSERS = frozenset("{(["), frozenset("})]")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


@dataclass(frozen=True)
class Scan:
    """What the tokens say about a request."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, an update keyword, or None
    services: tuple[str | None, ...]  # the endpoint of each SERVICE; None when not checkable
    prefixes: tuple[tuple[str, str], ...]  # PREFIX declarations, in order
    loads: tuple[str | None, ...] = ()  # the source of each LOAD; None when not checkable
    from_graphs: tuple[str | None, ...] = ()  # FROM <g>, in order
    from_named: tuple[str | None, ...] = ()  # FROM NAMED <g>, in order
    depth: int = 0  # the deepest nesting of {, ( and [

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS

    @property
    def has_dataset(self) -> bool:
        """The query names its own dataset (FROM or FROM NAMED): no union default graph then."""
        return bool(self.from_graphs or self.from_named)

    @property
    def too_deep(self) -> bool:
        return self.depth > MAX_DEPTH

    def refused_services(self, allowed: frozenset[str] | set[str]) -> list[str]:
        """The SERVICE endpoints not on the allow-list, in order; an uncheckable one is named so."""
        return _refused(self.services, allowed)

    def refused_loads(self, allowed: frozenset[str] | set[str]) -> list[str]:
        """The LOAD sources not on the allow-list, in order; an uncheckable one is named so."""
        return _refused(self.loads, allowed)


def _refused(addresses: tuple[str | None, ...], allowed: frozenset[str] | set[str]) -> list[str]:
    return [
        "(a variable or undeclared prefix)" if address is None else address
        for address in addresses
        if address is None or address not in allowed
    ]


def unescape_codepoints(text: str) -> str:
    """Decode \\uXXXX and \\UXXXXXXXX everywhere (SPARQL 1.1 §19.2); other backslashes stay."""
    if "\\u" not in text and "\\U" not in text:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "uU":
            width = 4 if text[i + 1] == "u" else 8
            digits = text[i + 2 : i + 2 + width]
            if len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
                code = int(digits, 16)
                if code <= 0x10FFFF:
                    out.append(chr(code))
                    i += 2 + width
                    continue
        if ch == "\\" and i + 1 < n:  # keep an escape pair intact: "\\\\u0041" is no escape
            out.append(text[i : i + 2])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _is_word_char(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum() or ch in _WORD_PUNCT
    return ch.isalnum()


def _is_var_char(ch: str) -> bool:
    return ch == "_" or ch.isalnum()


def tokenize(text: str) -> list[Token]:
    """SPARQL tokens; whitespace and comments dropped. Never fails: odd input gives odd tokens."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
        elif ch == "#":
            while i < n and text[i] not in "\r\n":
                i += 1
        elif ch in "\"'":
            end = _string_end(text, i)
            tokens.append(Token(STRING, text[i:end], i))
            i = end
        elif ch == "<":
            j = i + 1
            while j < n and text[j] not in _NOT_IN_IRI and ord(text[j]) > 0x20:
                j += 1
            if j < n and text[j] == ">":
                tokens.append(Token(IRI, text[i + 1 : j], i))
                i = j + 1
            else:
                tokens.append(Token(PUNCT, "<", i))
                i += 1
        elif ch in "?$" and i + 1 < n and _is_var_char(text[i + 1]):
            j = i + 1
            while j < n and (_is_var_char(text[j]) or text[j] == "\u00b7"):
                j += 1
            tokens.append(Token(VAR, text[i + 1 : j], i))
            i = j
        elif ch == "@":
            j = i + 1
            while j < n and (text[j].isascii() and (text[j].isalnum() or text[j] == "-")):
                j += 1
            tokens.append(Token(PUNCT, text[i:j], i))
            i = j
        elif _is_word_char(ch):
            j = i
            while j < n:
                if text[j] == "\\" and j + 1 < n:  # PN_LOCAL_ESC: \. \- \~ …
                    j += 2
                elif _is_word_char(text[j]):
                    j += 1
                else:
                    break
            # A name never ends with '.': that dot ends a triple pattern.
            while j > i + 1 and text[j - 1] == "." and text[j - 2] != "\\":
                j -= 1
            word = text[i:j]
            tokens.append(Token(PNAME if ":" in word else WORD, word, i))
            i = j
        else:
            tokens.append(Token(PUNCT, ch, i))
            i += 1
    return tokens


def _string_end(text: str, start: int) -> int:
    """Offset just past the string literal opening at start (or the end of a broken one)."""
    quote = text[start]
    n = len(text)
    if text.startswith(quote * 3, start):
        i = start + 3
        while i < n:
            if text[i] == "\\":
                i += 2
            elif text.startswith(quote * 3, i):
                # """a"""" ends at the last three quotes of a run
                while text.startswith(quote * 4, i):
                    i += 1
                return i + 3
            else:
                i += 1
        return n
    i = start + 1
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
        elif ch == quote:
            return i + 1
        elif ch in "\r\n":  # a short string cannot span lines: a syntax error for the engine
            return i
        else:
            i += 1
    return n


def _expand(token: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if token.kind == IRI:
        return urljoin(base, token.text) if base else token.text
    if token.kind == PNAME:
        prefix, _, local = token.text.partition(":")
        if prefix not in prefixes:
            return None
        unescaped: list[str] = []
        i = 0
        while i < len(local):
            if local[i] == "\\" and i + 1 < len(local):
                unescaped.append(local[i + 1])
                i += 2
            else:
                unescaped.append(local[i])
                i += 1
        return prefixes[prefix] + "".join(unescaped)
    return None


@lru_cache(maxsize=1024)
def scan(request: str) -> Scan:
    """The form, the fetched addresses, the dataset and the nesting of a SPARQL query or update.

    Remembered for the last 1,024 texts (a Scan is immutable): the tokenizer takes about 1 ms of
    Python for a competency question, and an endpoint sees the same queries again and again."""
    tokens = tokenize(unescape_codepoints(request))
    prefixes: dict[str, str] = {}
    declared: list[tuple[str, str]] = []
    base: str | None = None
    form: str | None = None
    services: list[str | None] = []
    loads: list[str | None] = []
    from_graphs: list[str | None] = []
    from_named: list[str | None] = []
    depth = deepest = 0
    for index, token in enumerate(tokens):
        if token.kind == PUNCT:
            if token.text in _OPENERS:
                depth += 1
                deepest = max(deepest, depth)
            elif token.text in _CLOSERS:
                depth = max(0, depth - 1)
            continue
        if token.kind != WORD:
            continue
        keyword = token.text.upper()
        following = tokens[index + 1 : index + 3]
        if keyword == "PREFIX":
            if (
                len(following) == 2
                and following[0].kind == PNAME
                and following[0].text.endswith(":")
                and following[1].kind == IRI
            ):
                iri = _expand(following[1], {}, base) or following[1].text
                prefixes[following[0].text[:-1]] = iri
                declared.append((following[0].text[:-1], iri))
        elif keyword == "BASE":
            if following and following[0].kind == IRI:
                base = _expand(following[0], {}, base)
        elif keyword == "SERVICE":
            if following and following[0].kind == WORD and following[0].text.upper() == "SILENT":
                following = following[1:]
            services.append(_expand(following[0], prefixes, base) if following else None)
        elif keyword == "LOAD":
            if following and following[0].kind == WORD and following[0].text.upper() == "SILENT":
                following = following[1:]
            loads.append(_expand(following[0], prefixes, base) if following else None)
        elif keyword == "FROM":
            if following and following[0].kind == WORD and following[0].text.upper() == "NAMED":
                from_named.append(_expand(following[1], prefixes, base) if following[1:] else None)
            else:
                from_graphs.append(_expand(following[0], prefixes, base) if following else None)
        elif form is None and (keyword in QUERY_FORMS or keyword in UPDATE_FORMS):
            form = keyword
    return Scan(
        form,
        tuple(services),
        tuple(declared),
        tuple(loads),
        tuple(from_graphs),
        tuple(from_named),
        deepest,
    )
