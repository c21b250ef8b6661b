"""CSV rows with the line each starts on, and the damage Python's csv module passes over.

The csv module reads a quote that is never closed as one cell running to the end of the file,
without a word: every row after it vanishes into that cell. The record importer and the
screening-decision importer both ask here, so that they agree on what is damage and say it at
the line where it starts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from litreview.model import Location, Problem, Severity

#: The largest single cell accepted (the csv module's default of 128 KiB is too small for abstracts).
MAX_FIELD = 64 * 1024 * 1024

#: Said where a quoted cell holds lines that look like rows of their own.
SWALLOWED = (
    "a quoted cell here runs over lines that look like rows of their own: "
    "check for a quote that is not closed"
)


def lines(text: str) -> Iterator[str]:
    """The text's lines with their ends, one at a time (a StringIO would copy the whole text
    into a buffer four bytes a character wide)."""
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        yield text[start:end]
        start = end


def sniff_delimiter(text: str) -> str:
    """The delimiter of a table from its header line: a tab or a semicolon where it outnumbers
    commas (tab-separated exports, and spreadsheets saved where the decimal mark is a comma),
    else a comma."""
    first = text.split("\n", 1)[0]
    commas = first.count(",")
    if first.count("\t") > commas:
        return "\t"
    return ";" if first.count(";") > commas else ","


def line_offset(text: str, line: int) -> int:
    """Where 1-based ``line`` starts in ``text``."""
    pos = 0
    for _ in range(max(line - 1, 0)):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos


def line_at(text: str, line: int) -> str:
    begin = line_offset(text, line)
    stop = text.find("\n", begin)
    return text[begin:] if stop < 0 else text[begin:stop]


def quote_left_open(text: str, start: int = 0, delimiter: str = ",", lenient: bool = False) -> bool:
    """Whether the rows from offset ``start`` (where a row begins) to the end of ``text`` leave a
    quote unpaired.

    Two signs together: an odd number of quotes, and the csv module's own reading (a quote opens
    a cell only at its start, ``""`` inside is one quote) either ending inside a quoted cell or
    closing one where no cell ends, because the quote that closed it was meant to open another.
    The count alone would take a quote used as a character (``5" disk``) for damage.
    ``lenient``: only the first sign, reading as the csv module does (``"see" the 5" disk`` is
    one cell); for a single line, where nothing after it can have been swallowed.
    """
    if text.count('"', start) % 2 == 0:
        return False
    at, quoted = start, False
    while True:
        q = text.find('"', at)
        if q < 0:
            return quoted
        if quoted:
            if text.startswith('"', q + 1):  # a doubled quote: still inside
                at = q + 2
                continue
            if text[q + 1 : q + 2] not in ("", delimiter, "\n", "\r") and not lenient:
                return True
            quoted, at = False, q + 1
            continue
        quoted = q == start or text[q - 1] in (delimiter, "\n", "\r")
        at = q + 1


def last_line(text: str) -> int:
    """The number of ``text``'s last line."""
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def open_to_the_end(text: str, start: int, end: int, last: int, delimiter: str) -> bool:
    """Whether the row read from line ``start`` to line ``end`` ran to the last line because a
    quote opened in it never closed (a row on one line is read leniently, see
    :func:`quote_left_open`)."""
    return end >= last and quote_left_open(
        text, line_offset(text, start), delimiter, lenient=end == start
    )


def swallows_rows(row: Sequence[str], width: int, delimiter: str) -> bool:
    """Whether a cell of ``row`` that runs over lines holds one with as many delimiters as a row
    of ``width`` cells: the mark of a stray quote closed only further down. Its first line counts
    too: a quote that opens a row's first cell swallows the rest of that row."""
    return width > 1 and any(
        piece.count(delimiter) >= width - 1
        for cell in row
        if "\n" in cell
        for piece in cell.split("\n")
    )


def header_swallowed(reader_line: int) -> bool:
    """Whether the header took more than one line: a quote in it never closed (names of
    columns hold no line breaks), so every row went into it."""
    return reader_line > 1


#: Said of a header that took the file's rows into it.
OPEN_HEADER = (
    "a quote opened in the header is never closed, so every row after it was read into the header"
)


def csv_reason(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"a cell is longer than {MAX_FIELD} characters (MAX_FIELD, the limit for one CSV cell)"
        )
    return str(exc)


@dataclass
class Table:
    """A CSV file's header and rows, each row with the line it starts on."""

    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def read_table(text: str, path: str, delimiter: str = ",") -> Table:
    """Every row of a CSV whose columns each mean something, or a located error for each row
    that cannot be read as its header says.

    A quote never closed stops the reading at the line where it opened (what follows it is
    unknowable); a row with more non-empty cells than the header is an error, since the cells
    past the header have no column to go to. Blank rows are left out; empty trailing cells (a
    spreadsheet's habit) are not a problem.
    """
    table = Table()
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(lines(text), delimiter=delimiter)
    try:
        table.header = next(reader)
    except StopIteration:
        table.errors.append(
            Problem(Location(path, 1), "no header row", Severity.ERROR, "no-header")
        )
        return table
    except csv.Error as exc:
        table.errors.append(
            Problem(
                Location(path, 1),
                f"unreadable CSV header: {csv_reason(exc)}",
                Severity.ERROR,
                "csv",
            )
        )
        return table
    if header_swallowed(reader.line_num):
        table.errors.append(
            Problem(
                Location(path, 1),
                OPEN_HEADER,
                Severity.ERROR,
                "csv-open-quote",
                'close the quote; a quote inside a quoted cell is written twice ("")',
            )
        )
        table.header = []
        return table
    if not any(h.strip() for h in table.header):
        table.errors.append(
            Problem(
                Location(path, 1),
                "no header row: the first line is blank",
                Severity.ERROR,
                "no-header",
                "the first line names the columns",
            )
        )
        table.header = []
        return table
    width = len(table.header)
    last = last_line(text)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.errors.append(
                Problem(
                    Location(path, start),
                    f"not readable as CSV from here on: {csv_reason(exc)}",
                    Severity.ERROR,
                    "csv",
                )
            )
            break
        end = reader.line_num
        if open_to_the_end(text, start, end, last, delimiter):
            table.errors.append(
                Problem(
                    Location(path, start),
                    "a quote opened on this line is never closed, so "
                    + (
                        (
                            "the line after it would be read into its last cell"
                            if end == start + 1
                            else f"the {end - start} lines after it would be read into its last cell"
                        )
                        if end > start
                        else "its last cell runs to the end of the file"
                    ),
                    Severity.ERROR,
                    "csv-open-quote",
                    'close the quote; a quote inside a quoted cell is written twice ("")',
                )
            )
            break
        if not any(cell.strip() for cell in row):
            continue
        if swallows_rows(row, width, delimiter):
            table.warnings.append(
                Problem(Location(path, start), SWALLOWED, Severity.WARNING, "csv-swallowed-rows")
            )
        extra = [cell for cell in row[width:] if cell.strip()]
        if extra:
            table.errors.append(
                Problem(
                    Location(path, start),
                    f"row has {len(row)} cells but the header has {width}: "
                    f"{' | '.join(c.strip()[:40] for c in extra)!r} has no column",
                    Severity.ERROR,
                    "csv-overflow",
                    "quote a cell that holds the delimiter, or add the column to the header",
                )
            )
            continue
        table.rows.append((start, row))
    return table
