"""Author–date citations and reference-list entries in the reference review's style.

In-text citations follow Powell and Davies (2016): one author ``Snow, 2013``; two authors
``Hallier and Forbes, 2005``; three or more ``Harvey and others, 2014``; an organisation by its
name ``British Medical Association, 2012``; and a letter after the year when the same citation
text stands for different studies (``Davies and others, 2003a``).

Reference-list entries are built as pybtex rich text and rendered by pybtex's backends:
``Davies HTO, Hodges C-L and Rundall TG (2003b) Views of doctors … *BMJ* 326: 626–628.``
Everything here is deterministic: the same records give the same text, in the same order.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from pybtex.backends.html import Backend as HtmlBackend
from pybtex.backends.markdown import Backend as MarkdownBackend
from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import Person
from pybtex.richtext import Tag, Text

from litreview.model import Name, Record
from litreview.normalize import fold

NO_DATE = "n.d."
ANONYMOUS = "Anonymous"


# --- in-text citations --------------------------------------------------------------------------


def author_part(record: Record) -> str:
    """The names part of a citation: ``Snow``, ``Hallier and Forbes``, ``Harvey and others``."""
    names = [_cite_name(a) for a in record.authors]
    if not names:
        return ANONYMOUS
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} and others"


def _cite_name(name: Name) -> str:
    return name.last if name.corporate else (name.full_last or name.last)


def base_citation(record: Record) -> str:
    """The citation without a disambiguating letter: ``Harvey and others, 2014``."""
    year = NO_DATE if record.year is None else str(record.year)
    return f"{author_part(record)}, {year}"


def year_label(record: Record, suffix: str = "") -> str:
    return (NO_DATE if record.year is None else str(record.year)) + suffix


def suffix_letters(index: int) -> str:
    """0 → a, 25 → z, 26 → aa: enough letters for any number of same-citation studies."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def assign_suffixes(records: Iterable[Record]) -> dict[str, str]:
    """Citation key → letter (``""`` when the citation text is unique), ordered by title.

    The reference review orders same-citation works by title (Clark 2012a *Medical engagement*,
    2012b *Medical leadership*); the key breaks any remaining tie.
    """
    groups: dict[str, list[Record]] = defaultdict(list)
    seen: set[str] = set()
    for record in records:
        if record.key in seen:
            continue
        seen.add(record.key)
        groups[fold(base_citation(record))].append(record)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) == 1:
            out[members[0].key] = ""
            continue
        members.sort(key=lambda r: (fold(r.title), r.key))
        for i, r in enumerate(members):
            out[r.key] = suffix_letters(i)
    return out


def assign_citations(records: Iterable[Record]) -> dict[str, str]:
    """Citation key → in-text citation with its letter: ``Davies and others, 2003a``."""
    records = list(records)
    suffixes = assign_suffixes(records)
    return {r.key: base_citation(r) + suffixes[r.key] for r in records}


def sort_key(record: Record, suffix: str = "") -> tuple[Any, ...]:
    """Reference-list order: author by author (surname, then initials), then year, then letter.

    ``Currie G and Procter S`` comes before ``Currie G and Suhomlinova O``; ``Degeling P and
    Maxwell S`` before ``Degeling P, Maxwell S, Kennedy J and Coyle B`` (a shorter list first).
    """
    authors = tuple((fold(_cite_name(a)), fold(initials(a))) for a in record.authors) or ((fold(ANONYMOUS), ""),)
    year = record.year if record.year is not None else 10**6
    return (authors, year, suffix, fold(record.title), record.key)


# --- reference-list entries ---------------------------------------------------------------------


def initials(name: Name) -> str:
    """``Huw T. O.`` → ``HTO``; ``Carrie-Louise`` → ``C-L`` (pybtex's abbreviation, dots removed)."""
    if name.corporate or not name.first:
        return ""
    return _initials_of(name.first)


@functools.lru_cache(maxsize=65536)
def _initials_of(first: str) -> str:
    """pybtex parses the name (slowly): the same first names recur, so each is parsed once."""
    person = Person(first=first)
    parts: list[str] = []
    for word in (*person.rich_first_names, *person.rich_middle_names):
        parts.append(str(word.abbreviate()).replace(".", "").replace(" ", ""))
    return "".join(parts)


def reference_name(name: Name) -> str:
    """``Davies HTO``, ``Le Grand J``, ``British Medical Association``."""
    if name.corporate:
        return name.last
    text = name.full_last or name.last
    ini = initials(name)
    if ini:
        text += " " + ini
    if name.jr:
        text += " " + name.jr
    return text


def reference_authors(authors: Sequence[Name]) -> str:
    names = [reference_name(a) for a in authors]
    if not names:
        return ANONYMOUS
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


_JOURNAL_TYPES = frozenset({"article"})
_CHAPTER_TYPES = frozenset({"incollection", "inbook", "inproceedings", "conference"})


def _pages(pages: str) -> str:
    return re.sub(r"\s*-{1,2}\s*", "–", pages.strip())


def _sentence(text: str) -> str:
    """A title as a sentence: a full stop unless it already ends with one, ``?`` or ``!``."""
    text = text.strip()
    return text if text[-1:] in (".", "?", "!") else text + "."


def reference_text(record: Record, suffix: str = "") -> Text:
    """One reference-list entry as pybtex rich text (render it with any pybtex backend)."""
    parts: list[Any] = [f"{reference_authors(record.authors)} ({year_label(record, suffix)}) "]
    title = record.title.strip() or "[untitled]"
    publisher = record.get("publisher") or record.get("institution") or record.get("school")
    address = record.get("address")
    where = ", ".join(p for p in (publisher, address) if p)
    if record.entry_type in _JOURNAL_TYPES and record.container:
        parts.append(_sentence(title) + " ")
        parts.append(Tag("em", record.container))
        if record.volume:
            vol = record.volume + (f"({record.issue})" if record.issue and not record.pages else "")
            parts.append(" " + vol)
        if record.pages:
            parts.append(": " + _pages(record.pages))
        parts.append(".")
    elif record.entry_type in _CHAPTER_TYPES and record.container:
        parts.append(_sentence(title) + " In: ")
        parts.append(Tag("em", record.container))
        tail = [p for p in (where, f"pp. {_pages(record.pages)}" if record.pages else "") if p]
        parts.append(". " + ", ".join(tail) + "." if tail else ".")
    else:
        parts.append(Tag("em", title))
        parts.append(("" if title[-1:] in ".?!" else ".") + (f" {where}." if where else ""))
    if record.doi:
        parts.append(f" doi:{record.doi}")
    return Text(*parts)


class _SafeMarkdown(MarkdownBackend):  # type: ignore[misc]
    """pybtex's Markdown backend with our escaping (also pandoc's ``@``, ``$``, ``^`` and ``~``)."""

    def format_str(self, str_: str) -> str:
        from litreview.render import md_escape

        return str(md_escape(str_))


_BACKENDS: dict[str, Any] = {"md": _SafeMarkdown, "html": HtmlBackend, "text": TextBackend}


def format_reference(record: Record, suffix: str = "", fmt: str = "text") -> str:
    """A reference-list entry as ``text``, ``md`` (escaped Markdown) or ``html`` (escaped HTML)."""
    backend = _BACKENDS[fmt]()
    return str(reference_text(record, suffix).render(backend))


def reference_list(records: Iterable[Record], fmt: str = "text") -> list[tuple[str, str]]:
    """(key, formatted entry) for each record, in reference-list order, letters assigned."""
    records = list(records)
    suffixes = assign_suffixes(records)
    ordered = sorted(records, key=lambda r: sort_key(r, suffixes[r.key]))
    return [(r.key, format_reference(r, suffixes[r.key], fmt)) for r in ordered]
