"""CSV for people who open it in a spreadsheet: the one writer the evidence table and exports share."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

#: a cell starting with one of these is a formula to Excel or LibreOffice, whatever the record says
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Formula-injection guard: a cell a spreadsheet would run gets a leading quote."""
    return "'" + value if value[:1] in _FORMULA_STARTS else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A header and rows as CSV text (LF line ends), every cell guarded."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()
