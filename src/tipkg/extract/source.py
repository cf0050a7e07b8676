"""Reading a source text and the metadata file beside it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tipkg.errors import InputError, decode_utf8
from tipkg.extract.pdf import PdfText, read_pdf
from tipkg.extract.profile import DEFAULT_FAMILY, Profile, load_profile

LANGUAGES = ("fr", "en")
MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class Metadata:
    body: str
    year: int
    kind: str
    language: str
    title: str
    symbol: str | None
    addendum: int | None
    place_fr: str
    place_en: str
    start_date: dt.date
    end_date: dt.date
    synthetic: bool
    #: The document family, whose profile (data/profiles/<family>.toml) the extractor reads.
    family: str = DEFAULT_FAMILY
    #: upr: the State under review (ISO 3166-1 alpha-3), the session and cycle of the review.
    state_under_review: str | None = None
    session: int | None = None
    cycle: int | None = None
    #: An addendum's main document (its UN symbol): the report whose recommendations it answers.
    addendum_to: str | None = None
    #: The date the document was issued, where its front matter says.
    issued: dt.date | None = None

    @property
    def profile(self) -> Profile:
        return load_profile(self.family)

    @property
    def doc_key(self) -> str:
        """A stable key: from the UN symbol where known, else minted from body, year and kind."""
        if self.symbol:
            return symbol_key(self.symbol)
        key = f"{self.body}-{self.year}-{self.kind}"
        return f"{key}-{self.addendum}" if self.addendum else key

    @property
    def meeting_key(self) -> str:
        """The meeting's key; a review's from its body, session and State under review (the
        report and its addendum, of different years, describe the same review)."""
        if self.state_under_review and self.session:
            return f"{self.body}-{self.session}-{self.state_under_review.lower()}"
        return f"{self.body}-{self.year}"


@dataclass(frozen=True)
class Source:
    path: Path
    text: str
    sha256: str
    meta: Metadata
    #: Where the text came from when the source is a PDF: every line's page and box.
    pdf: PdfText | None = None

    @property
    def name(self) -> str:
        return self.path.name


#: What a source may be: a text out of a PDF, or the PDF itself.
SUFFIXES = (".txt", ".pdf")


def symbol_key(symbol: str) -> str:
    """The document key of a UN symbol: A/HRC/43/15/Add.1 → a-hrc-43-15-add-1."""
    return symbol.lower().replace("/", "-").replace(".", "-")


def metadata_path(source_path: Path) -> Path:
    return source_path.with_name(source_path.stem + ".meta.toml")


def source_text(path: Path) -> str:
    """The text of a source file as tipkg reads it: the decoded text, or the text of a PDF."""
    return read_pdf(path).text if path.suffix == ".pdf" else decode_utf8(path, path.read_bytes())


def check_source_name(path: Path) -> None:
    """A source is a text or a PDF: anything else given as one (its metadata file, say) is
    refused by name before any work."""
    if path.suffix not in SUFFIXES and not path.is_dir():
        raise InputError(
            path,
            None,
            "not a source: tipkg reads texts (.txt) and PDFs (.pdf), each beside its "
            "metadata file NAME.meta.toml",
        )


def read_source(path: Path) -> Source:
    """Decode a source as strict UTF-8 (or read the text of a PDF) and read its metadata;
    anything untrustworthy raises."""
    check_source_name(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(path, None, f"cannot read: {err.strerror}") from err
    if not raw.strip():
        raise InputError(path, None, "the file is empty")
    if len(raw) > MAX_BYTES:
        raise InputError(path, None, f"the file is larger than {MAX_BYTES} bytes")
    sha256 = hashlib.sha256(raw).hexdigest()
    if path.suffix == ".pdf":
        pdf = read_pdf(path)
        return Source(path, pdf.text, sha256, read_metadata(path), pdf)
    return Source(path, decode_utf8(path, raw), sha256, read_metadata(path))


def read_metadata(text_path: Path) -> Metadata:
    meta_path = metadata_path(text_path)
    if not meta_path.exists():
        raise InputError(meta_path, None, "metadata file missing beside the source")
    try:
        data = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise InputError(meta_path, _toml_line(err), f"not valid TOML: {err}") from err
    try:
        meeting = data["meeting"]
        meta = Metadata(
            body=str(data["body"]),
            year=int(data["year"]),
            kind=str(data["kind"]),
            language=str(data["language"]),
            title=str(data.get("title", "")),
            symbol=str(data.get("symbol") or "") or None,
            addendum=int(data["addendum"]) if data.get("addendum") else None,
            place_fr=str(meeting["place_fr"]),
            place_en=str(meeting["place_en"]),
            start_date=meeting["start_date"],
            end_date=meeting["end_date"],
            synthetic=bool(data.get("synthetic", False)),
            family=str(data.get("family", DEFAULT_FAMILY)),
            state_under_review=_optional_str(data, "state_under_review"),
            session=int(data["session"]) if data.get("session") else None,
            cycle=int(data["cycle"]) if data.get("cycle") else None,
            addendum_to=_optional_str(data, "addendum_to"),
            issued=data.get("issued"),
        )
    except KeyError as err:
        raise InputError(meta_path, None, f"missing field {err.args[0]!r}") from err
    except (TypeError, ValueError) as err:
        raise InputError(meta_path, None, f"bad value: {err}") from err
    if meta.language not in LANGUAGES:
        raise InputError(meta_path, None, f"language must be one of {LANGUAGES}")
    profile = load_profile(meta.family)
    if meta.language not in profile.languages:
        raise InputError(
            meta_path, None, f"language must be one of {profile.languages} for {meta.family}"
        )
    if meta.kind not in profile.kinds:
        raise InputError(meta_path, None, f"kind must be one of {profile.kinds}")
    if meta.state_under_review is not None and not re.fullmatch(
        r"[A-Z]{3}", meta.state_under_review
    ):
        raise InputError(meta_path, None, "state_under_review must be an ISO 3166-1 alpha-3 code")
    if meta.issued is not None and not isinstance(meta.issued, dt.date):
        raise InputError(meta_path, None, "issued must be a date (YYYY-MM-DD)")
    if meta.addendum_to is not None and meta.kind != "addendum":
        raise InputError(meta_path, None, "addendum_to is for a document of kind addendum")
    for name in ("start_date", "end_date"):
        if not isinstance(getattr(meta, name), dt.date):
            raise InputError(meta_path, None, f"meeting.{name} must be a date (YYYY-MM-DD)")
    if meta.end_date < meta.start_date:
        raise InputError(meta_path, None, "meeting.end_date is before meeting.start_date")
    return meta


def _optional_str(data: dict[str, object], name: str) -> str | None:
    value = data.get(name)
    return str(value) if value else None


def _toml_line(err: Exception) -> int | None:
    line = getattr(err, "lineno", None)
    return int(line) if isinstance(line, int) else None
