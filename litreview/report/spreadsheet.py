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


#: UTF-8's byte-order mark: Excel reads a CSV that starts with it as UTF-8, and one without it
#: in the machine's code page (Müller as MÃ¼ller). LibreOffice, Google Sheets, Numbers, pandas,
#: Python's ``utf-8-sig`` and ``litreview import`` read it as the mark it is.
BOM = "\ufeff"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], bom: bool = False) -> str:
    """A header and rows as CSV text (LF line ends), every cell guarded; with ``bom``, for a
    spreadsheet, after a byte-order mark."""
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()
