"""Embase.com's CSV export: one record a block of lines, each line a field's name and its values
(``"AUTHOR NAMES","Wang Y.","Guo D."``), blocks apart by a blank line.

Read as an ordinary table, its first line was taken for a header and every other line for a
record: a 91-record export gave 1,089 records titled ``AUTHOR NAMES``, ``SOURCE`` and so on.
"""

from __future__ import annotations

import csv
import re

from litreview.io._csvfile import _row_to_record, page_range
from litreview.io.base import ReadResult, identifiable
from litreview.io.csvrows import (
    MAX_FIELD,
    csv_reason,
    last_line,
    line_offset,
    lines,
    open_to_the_end,
)
from litreview.model import Provenance
from litreview.progress import Tick
from litreview.text.normalize import clean_text

#: the fields whose values fill a record's own fields; every other field is kept in ``extra``
#: under its name in lower case (``embase_classifications``, ``date_of_publication``)
_FIELDS = {
    "TITLE": "title",
    "AUTHOR NAMES": "authors",
    "SOURCE TITLE": "container",
    "PUBLICATION YEAR": "year",
    "VOLUME": "volume",
    "ISSUE": "issue",
    "ABSTRACT": "abstract",
    "AUTHOR KEYWORDS": "keywords",
    "MEDLINE PMID": "pmid",
    "DOI": "doi",
    "PUI": "id",
    "LANGUAGE OF ARTICLE": "language",
    "FULL TEXT LINK": "url",
}
#: fields whose first value alone is the field's (PubMed's address follows the PMID)
_FIRST_ONLY = frozenset({"MEDLINE PMID", "DOI", "PUI", "FULL TEXT LINK"})
#: field names of such an export, as its lines open (the first two lines must each open so)
_NAMES = (
    "TITLE|AUTHOR NAMES|AUTHOR ADDRESSES|SOURCE|SOURCE TITLE|PUBLICATION YEAR|VOLUME|ISSUE"
    "|FIRST PAGE|LAST PAGE|DATE OF PUBLICATION|PUBLICATION TYPE|ABSTRACT|AUTHOR KEYWORDS"
    "|EMBASE CLASSIFICATIONS|MEDLINE PMID|PUI|DOI|EMBASE ACCESSION NUMBER|LANGUAGE OF ARTICLE"
)
#: a field's line inside a cell: a quote left open ran over it
_SWALLOWED = re.compile(rf'\n"?(?:{_NAMES})"')
_FIRST_LINES = re.compile(rf'\A\ufeff?"(?:{_NAMES})",[^\n]*\n"(?:{_NAMES})",')
#: the pages in the source citation (``Journal (2023) 8:4 (1138-1150). Date of ...``), or its
#: article number (``Journal (2024) 21 Article Number: 100172. Date of ...``)
_SOURCE_PAGES = re.compile(
    r"\(([A-Za-z]?\d+[A-Za-z]?(?:\s*-\s*[A-Za-z]?\d+[A-Za-z]?)?)\)\.?\s*(?:Date|$)"
)
_ARTICLE_NUMBER = re.compile(r"Article Number:\s*([A-Za-z]?\d+)")
_TYPES = {"book": "book", "chapter": "incollection", "book chapter": "incollection"}


def _page_range(first: str, last: str) -> str:
    """``first-last`` from the two page fields (one cell each); the first page alone when the
    last is missing or the same; nothing without a first page (a last page alone places
    nothing)."""
    first, last = first.split(";")[0].strip(), last.split(";")[0].strip()
    return page_range(first, last) if first else ""


def is_embase_blocks(text: str) -> bool:
    """Whether ``text`` is laid out so: its first two lines each open with an Embase field's
    name (a table's header is followed by a record, not by another field)."""
    return _FIRST_LINES.match(text) is not None


def read_embase_blocks(
    text: str, path: str, source: str, tick: Tick | None, result: ReadResult
) -> None:
    """Each block's fields into one record at the line of its first field."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(lines(text))
    last = last_line(text)
    block: list[tuple[int, list[str]]] = []
    spoiled = False  # the block holds a quote left open (see below)

    def finish() -> None:
        nonlocal spoiled
        if block and spoiled:
            _set_aside(block, result, "a quote opened here is not closed before the next field")
        elif block:
            _add(block, path, source, result)
        block.clear()
        spoiled = False

    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            finish()
            rest = text[line_offset(text, reader.line_num) :]
            result.reject(
                reader.line_num, f"CSV could not be read from here on: {csv_reason(exc)}", rest
            )
            return
        if tick is not None:
            tick(reader.line_num)
        if open_to_the_end(text, start, reader.line_num, last, ","):
            # the csv module reads a quote never closed as one cell to the end of the file: the
            # lines from here on are set aside as they are, never read into one field unseen
            finish()
            result.reject(
                start,
                "a quote opened on this line is never closed; the lines from here on are set "
                "aside in the rejects file, not read",
                text[line_offset(text, start) :],
            )
            return
        if not any(cell.strip() for cell in row):
            finish()
            continue
        if any("\n" in cell and _SWALLOWED.search(cell) for cell in row):
            # a quote left open took the next field's line into this cell: the block is set
            # aside whole, from its first line, and the blocks after it read as usual
            spoiled = True
        block.append((start, row))
    finish()


def _set_aside(block: list[tuple[int, list[str]]], result: ReadResult, why: str) -> None:
    shown = "\n".join(",".join(row) for _l, row in block)
    result.reject(block[0][0], f"{why}: the block is set aside", shown)


def _add(block: list[tuple[int, list[str]]], path: str, source: str, result: ReadResult) -> None:
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    for _line, row in block:
        name = row[0].strip().upper()
        cells = [c.strip() for c in row[1:] if c.strip()]
        if not cells:
            continue
        field = _FIELDS.get(name, "")
        # a value a cell (an author's name, a keyword): joined where the record reader cuts
        value = cells[0] if name in _FIRST_ONLY else "; ".join(cells)
        if field and field not in values:
            values[field] = value
        else:
            key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "field"
            extra[key if key not in extra else f"{key}_{len(extra) + 1}"] = clean_text(value)
    # the pages from the source citation; else from the FIRST PAGE and LAST PAGE fields an
    # export carries when its user ticked them (kept under their own names as well)
    cited = extra.get("source", "")
    found = (_SOURCE_PAGES.search(cited) or _ARTICLE_NUMBER.search(cited)) if cited else None
    if found:
        values["pages"] = found[1].replace(" ", "")
    else:
        pages = _page_range(extra.get("first_page", ""), extra.get("last_page", ""))
        if pages:
            values["pages"] = pages
    kind = extra.get("publication_type", "").lower()
    if kind in _TYPES:
        values["entry_type"] = _TYPES[kind]
    line = block[0][0]
    record = _row_to_record(values, extra, Provenance(source, path, line, values.get("id") or None))
    if not identifiable(record):
        _set_aside(block, result, "no title, author, DOI or PMID: nothing identifies the work")
        return
    result.records.append(record)
