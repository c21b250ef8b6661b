"""The record model shared by every step of the pipeline.

Records are frozen so that a step can never change what an earlier step produced behind its
back: changes go through :func:`dataclasses.replace` and produce a new value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Generic, TypeVar


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """Where something came from: a file, and optionally a line and a key inside it."""

    path: str
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        out = self.path
        if self.line is not None:
            out += f":{self.line}"
        if self.key:
            out += f" [{self.key}]"
        return out


@dataclass(frozen=True)
class Problem:
    """An error or warning as a value, so that every step can collect them and report together."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR
    code: str = "error"
    hint: str | None = None
    #: the key of a record the finding says the corpus lacks, so that a caller can tell "missing"
    #: from "held but unreadable now" without reading the message (not part of ``as_dict``)
    missing: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "key": self.location.key,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True, order=True)
class Name:
    """A person's or an organisation's name, split the way BibTeX splits it."""

    last: str
    first: str = ""
    von: str = ""
    jr: str = ""
    corporate: bool = False

    @property
    def full_last(self) -> str:
        return f"{self.von} {self.last}".strip()

    def display(self) -> str:
        if self.corporate or not self.first:
            return self.full_last
        return f"{self.first} {self.full_last}"


_PROV_ESCAPES = str.maketrans({"%": "%25", "|": "%7C", ";": "%3B", "\n": "%0A", "\r": "%0D"})
_PROV_UNESCAPES = {"%25": "%", "%7C": "|", "%3B": ";", "%0A": "\n", "%0D": "\r"}


def _prov_unescape(text: str) -> str:
    if "%" not in text:
        return text
    return re.sub(r"%(?:25|7C|3B|0A|0D)", lambda m: _PROV_UNESCAPES[m.group(0)], text)


@dataclass(frozen=True, order=True)
class Provenance:
    """One appearance of a record in one input file: the source it was searched in and where."""

    source: str
    path: str
    line: int | None = None
    original_id: str | None = None

    def encode(self) -> str:
        """``source|path|line|id``; the separators the corpus uses (``|``, ``;``, line ends) and
        ``%`` are written as ``%7C``, ``%3B``, ``%0A``, ``%0D``, ``%25`` inside the parts."""
        line = "" if self.line is None else str(self.line)
        parts = (self.source, self.path, line, self.original_id or "")
        joined = "|".join(parts)
        if (
            joined.count("|") == 3
            and "%" not in joined
            and ";" not in joined
            and "\n" not in joined
            and "\r" not in joined
        ):
            # nothing to escape, the usual case: a translate per part with the escapes' table
            # costs ~7 us a record, a fifth of writing its corpus entry
            return joined
        return "|".join(p.translate(_PROV_ESCAPES) for p in parts)

    @classmethod
    def decode(cls, text: str) -> Provenance:
        parts = text.strip().split("|")
        parts += [""] * (4 - len(parts))
        source, path, line, oid = parts[0], parts[1], parts[2], "|".join(parts[3:])
        return cls(
            source=_prov_unescape(source),
            path=_prov_unescape(path),
            line=int(line) if line.strip().isdigit() else None,
            original_id=_prov_unescape(oid) or None,
        )

    def order(self) -> tuple[str, str, tuple[int, int], tuple[int, str]]:
        """The order provenances are written in: the fields' order, a missing line or id first
        (comparing the instances fails on None against a number or a string)."""
        line = (0, 0) if self.line is None else (1, self.line)
        oid = (0, "") if self.original_id is None else (1, self.original_id)
        return (self.source, self.path, line, oid)

    @property
    def identity(self) -> tuple[str, str, str]:
        """What makes two provenances the same appearance (the line may move when a file is edited)."""
        return (self.source, self.path.rsplit("/", 1)[-1], self.original_id or f"line {self.line}")


@dataclass(frozen=True)
class Record:
    """A bibliographic record. Fields we do not model stay in ``extra`` and are written back."""

    key: str
    entry_type: str = "misc"
    title: str = ""
    authors: tuple[Name, ...] = ()
    year: int | None = None
    container: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    language: str = ""
    provenance: tuple[Provenance, ...] = ()
    extra: tuple[tuple[str, str], ...] = field(default=())

    def get(self, name: str) -> str:
        """A field's text by its name, whether it is modelled or kept in ``extra``."""
        name = name.lower()
        if name in _TEXT_FIELDS:
            value = getattr(self, name)
            return value if isinstance(value, str) else ""
        if name in ("author", "authors"):
            return " and ".join(a.display() for a in self.authors)
        if name == "year":
            return "" if self.year is None else str(self.year)
        if name in ("keywords", "keyword"):
            return "; ".join(self.keywords)
        if name in ("number",):
            return self.issue
        if name in ("journal", "booktitle"):
            return self.container
        for k, v in self.extra:
            if k == name:
                return v
        return ""

    def with_extra(self, name: str, value: str | None) -> Record:
        items = {k: v for k, v in self.extra if k != name}
        if value:
            items[name] = value
        return replace(self, extra=tuple(sorted(items.items())))

    @property
    def first_author(self) -> str:
        return self.authors[0].full_last if self.authors else ""

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({p.source for p in self.provenance}))


_TEXT_FIELDS = frozenset(
    {
        "key",
        "entry_type",
        "title",
        "container",
        "volume",
        "issue",
        "pages",
        "doi",
        "pmid",
        "url",
        "abstract",
        "language",
    }
)

#: Field names :meth:`Record.get` reads: the modelled ones, their BibTeX aliases, and the usual
#: fields kept in ``extra`` (BibTeX's and the extraction's). Any other name is allowed (an export
#: may carry its own), but one close to these is a typo that would silently read nothing.
KNOWN_FIELDS = _TEXT_FIELDS | {
    "author",
    "authors",
    "year",
    "keywords",
    "keyword",
    "number",
    "journal",
    "booktitle",
    "editor",
    "publisher",
    "address",
    "series",
    "note",
    "annote",
    "issn",
    "isbn",
    "month",
    "mesh",
    "design",
    "methods",
    "participants",
    "setting",
    "country",
    "key_findings",
    "relevance",
}


def misspelt_field(name: str) -> str | None:
    """The known field ``name`` is a near miss of (``abstarct`` -> ``abstract``), else None."""
    import difflib

    if name.lower() in KNOWN_FIELDS:
        return None
    near = difflib.get_close_matches(name.lower(), sorted(KNOWN_FIELDS), n=1, cutoff=0.75)
    return near[0] if near else None


#: Fields every entry type is expected to carry; ``check`` and ``import`` report the gaps.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("title", "author", "year", "journal"),
    "book": ("title", "author", "year"),
    "incollection": ("title", "author", "year", "booktitle"),
    "inproceedings": ("title", "author", "year"),
    "techreport": ("title", "author", "year"),
    "report": ("title", "author", "year"),
    "misc": ("title",),
}


def required_fields(entry_type: str) -> tuple[str, ...]:
    return REQUIRED_FIELDS.get(entry_type, ("title",))


#: litreview's citation keys: name, then a year or "nd" (no date; "-nd" since keys stopped
#: running the two together; keys already given keep their shape), then a, b, c ...
KEY_SHAPE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:\d{4}|-?nd)[a-z]{0,3}$")


#: BibTeX's own entry types (BibLaTeX's, and the aliases readers meet, are added where needed)
BIBTEX_TYPES = frozenset(
    {
        "article",
        "book",
        "booklet",
        "conference",
        "inbook",
        "incollection",
        "inproceedings",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
    }
)


def missing_fields(record: Record) -> list[str]:
    return [f for f in required_fields(record.entry_type) if not _has(record, f)]


def _has(record: Record, name: str) -> bool:
    """Whether ``record.get(name)`` is not empty, without building the text (``get("author")``
    spells out every name: an import asks this of each of 100k records)."""
    if name == "author":
        return len(record.authors) > 1 or any(a.display() for a in record.authors)
    if name == "year":
        return record.year is not None
    return bool(record.get(name))


@dataclass(frozen=True)
class Reject:
    """An input entry that could not become a record, kept verbatim with the reason."""

    location: Location
    reason: str
    text: str


_V = TypeVar("_V")


class LazyMapping(Mapping[str, _V], Generic[_V]):
    """A mapping made by ``make`` on first use: for values most calls never look at (the dedupe
    log's aliases on a small write, a decision's item when no problem quotes it)."""

    def __init__(self, make: Callable[[], Mapping[str, _V]]) -> None:
        self._make = make
        self._made: Mapping[str, _V] | None = None

    def _get(self) -> Mapping[str, _V]:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key: str) -> _V:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __contains__(self, key: object) -> bool:
        return key in self._get()
