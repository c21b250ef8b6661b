"""The Cochrane Library's plain-text export (CENTRAL's trials, the Cochrane Database of Systematic
Reviews): each record opens with ``Record #1 of 271``, then a field a line, ``TAG: value``
(``ID: CN-01234567``, ``AU: Smith J``, ``TI:``, ``SO:``, ``YR:``, ``VL:``, ``NO:``, ``PG:``,
``PM: PUBMED 12345678``, ``KY: a;b``, ``DOI:``, ``AB:``, ``US:``).

Before this reader such a file was "format not recognised": a real 271-record export of reviews
could not be imported at all.
"""

from __future__ import annotations

import re

from litreview.io._csvfile import _row_to_record
from litreview.io.base import ReadResult, identifiable, warn_not_a_doi
from litreview.model import Provenance
from litreview.progress import Tick
from litreview.text.names import is_initial
from litreview.text.normalize import clean_text

#: the line that opens a record
RECORD = re.compile(r"^\ufeff?Record #(\d+) of (\d+)[ \t]*$")
#: what a file of records opens with (sniffing): a record's first line and a field after it
SNIFF = re.compile(r"^\ufeff?Record #\d+ of \d+[ \t]*\n(?:[ \t]*\n)*(?:ID|AU|TI|SO|YR): ", re.M)
#: the tags of the export; any other line continues the field before it (an abstract's
#: paragraph that opens with ``AIM:`` is no field)
_TAGS = "ID|AU|TI|SO|YR|VL|NO|PG|PM|XR|PT|KY|MH|DOI|AB|US|CC|PB|EM|IS|LA|AD|ED|CI|NT|CT|SN|BK"
_FIELD = re.compile(rf"^({_TAGS}):[ \t]?(.*)$")
#: the fields that fill a record's own fields; every other is kept as ``cochrane_TAG``
_FIELDS = {
    "ID": "id",
    "TI": "title",
    "SO": "container",
    "YR": "year",
    "VL": "volume",
    "NO": "issue",
    "PG": "pages",
    "DOI": "doi",
    "AB": "abstract",
    "US": "url",
    "LA": "language",
}
#: a Cochrane review's id (``CD009275``): its article number, which PubMed gives as its pages
_REVIEW_ID = re.compile(r"^CD\d{6}$")
_PUBMED = re.compile(r"\bPUBMED\s+(\d+)", re.IGNORECASE)


def read_cochrane(text: str, path: str, source: str, tick: Tick | None = None) -> ReadResult:
    """Each record's fields into one record at the line of its ``Record #`` line; text before
    the first record, and a record that names no work, are set aside with their lines."""
    result = ReadResult(path=path, format="cochrane")
    lines = text.split("\n")
    start = 0  # the line (from 0) the current block opens on
    for number, line in enumerate(lines):
        if RECORD.match(line):
            _block(lines[start:number], start + 1, path, source, result)
            start = number
            if tick is not None:
                tick(number + 1)
    _block(lines[start:], start + 1, path, source, result)
    return result


def _block(block: list[str], line: int, path: str, source: str, result: ReadResult) -> None:
    if not any(b.strip() for b in block):
        return
    shown = "\n".join(block).strip("\n")
    if not RECORD.match(block[0]):
        result.reject(
            line,
            "text before the first record (no `Record #1 of N` line above it): set aside",
            shown,
        )
        return
    fields: list[tuple[str, str]] = []
    for raw in block[1:]:
        found = _FIELD.match(raw)
        if found:
            fields.append((found[1], found[2].strip()))
        elif raw.strip() and fields:  # a field's value on more than one line
            tag, value = fields[-1]
            fields[-1] = (tag, f"{value}\n{raw.strip()}" if value else raw.strip())
        elif raw.strip():
            fields.append(("", raw.strip()))
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    authors: list[str] = []
    keywords: list[str] = []
    for tag, value in fields:
        if not value:
            continue
        if tag == "AU":
            authors.append(value)
        elif tag == "KY":
            keywords.extend(k.strip() for k in value.split(";"))
        elif tag in _FIELDS and _FIELDS[tag] not in values:
            values[_FIELDS[tag]] = value
        else:
            name = f"cochrane_{tag.lower()}" if tag else "cochrane_text"
            extra[name] = clean_text(f"{extra[name]}; {value}" if name in extra else value)
    review = _REVIEW_ID.match(values.get("id", ""))
    pubmed = _PUBMED.search(extra.get("cochrane_pm", ""))
    if pubmed:  # ``PM: PUBMED 12345678`` (the field stays as written)
        values["pmid"] = pubmed[1]
    if review and "pages" not in values:  # a review's article number (its id stays the id)
        values["pages"] = values["id"]
    kind = extra.get("cochrane_pt", "").lower()
    if "conference" in kind or "congress" in kind:
        values["entry_type"] = "inproceedings"
    elif values.get("container"):
        values["entry_type"] = "article"
    record = _row_to_record(
        values,
        extra,
        Provenance(source, path, line, values.get("id") or None),
        author_list=[_surname_first(a, bool(review)) for a in authors],
        keyword_list=[k for k in keywords if k],
    )
    if not identifiable(record):
        result.reject(line, "no title, author, DOI or PMID: nothing identifies the work", shown)
        return
    kept = record.get("csv_doi") if values.get("doi") and not record.doi else ""
    if kept:
        warn_not_a_doi(result, line, values.get("id"), "the DOI field", kept, "csv_doi")
    result.records.append(record)


#: words that open a surname with the word after them (``van Ryswyk``, ``De Luca``, ``El Dib``)
_PARTICLES = frozenset(
    {"van", "von", "de", "da", "das", "dos", "del", "della", "der", "den", "di", "du"}
    | {"la", "le", "ten", "ter", "el", "al"}
)


def _surname_first(name: str, review: bool) -> str:
    """A Cochrane author, written surname first without a comma, with the comma. CENTRAL's
    ``Smith JA`` has initials after the surname; a review's authors (``Crowther Caroline A``,
    ``Gluud Lise Lotte``, ``Nelson E Andrea``) have the surname first and every other word a
    given name, except words that belong to it: particles (``van Ryswyk``, ``Del Mar``) and
    lower-case links (``Roqu\u00e9 i Figuls``, ``Pineda de la Losa``)."""
    words = clean_text(name).split()
    if len(words) < 2 or "," in name:
        return clean_text(name)
    cut = len(words)
    while cut > 1 and is_initial(words[cut - 1]):
        cut -= 1
    if not review and cut < len(words):
        return f"{' '.join(words[:cut])}, {' '.join(words[cut:])}"
    cut = 0
    while cut < len(words) - 1 and words[cut].lower() in _PARTICLES:
        cut += 1
    cut += 1  # the surname's own word
    linked = cut
    while linked < len(words) - 1 and words[linked].islower():
        linked += 1
    if linked > cut:
        cut = linked + 1
    cut = min(cut, len(words) - 1)
    return f"{' '.join(words[:cut])}, {' '.join(words[cut:])}"
