"""Readers and writers, one module per format, and the registry that picks one by content.

A new format is one module here, a branch in :func:`read_text` and its sniffing in :func:`sniff`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from litreview.errors import InputError
from litreview.io.base import ReadResult
from litreview.io.text import MAX_FILE_BYTES, decode_bytes
from litreview.model import Location, Problem, Record, Severity
from litreview.progress import Progress, ticker

_BIBTEX = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.M)
_RIS = re.compile(r"^[Tt][Yy]  ?- ", re.M)  # some tools write the tags in lower case
_MEDLINE = re.compile(r"^PMID ?- ", re.M)
#: PubMed's tag layout without a PMID line: ERIC's export (``OWN - ERIC``, ``OID - EJ…``) and
#: others that borrow the format. Tags RIS does not use, and a title or abstract, make it one
#: (RIS is tried first: a file with TY lines is RIS whatever else it holds).
_MEDLINE_TAG = re.compile(r"^(OWN|FAU|JT|TA|PT|VI|IP|PG|OID|STAT|LID|AID|MH|SO|DP) {0,2}- ", re.M)
_MEDLINE_TEXT = re.compile(r"^(?:TI|AB)  - ", re.M)
_WOS = re.compile(r"^(?:FN |VR |PT [A-Z]\s*$)", re.M)


def sniff(text: str) -> str | None:
    """The format of an export from its content (extensions lie: a .txt may hold any of them)."""
    head = text[:65536]
    from litreview.io._endnote_xml import SNIFF as _ENDNOTE_XML

    if _ENDNOTE_XML.match(head):
        return "endnote"
    if _RIS.search(head):
        return "ris"
    if _MEDLINE.search(head):
        return "medline"
    if _MEDLINE_TEXT.search(head) and len({m[1] for m in _MEDLINE_TAG.finditer(head)}) >= 3:
        return "medline"
    if _WOS.search(head) and re.search(r"^ER\s*$", text, re.M):
        return "wos"
    from litreview.io._cochrane import SNIFF as _COCHRANE

    if _COCHRANE.search(head):
        return "cochrane"
    if _BIBTEX.search(head):
        return "bibtex"
    from litreview.io._csvfile import DIMENSIONS_NOTE

    first = head.split("\n", 1)[0]
    if re.fullmatch(r"\ufeff?sep=[,;\t|][ \t]*", first) or DIMENSIONS_NOTE.match(head):
        # Excel's line naming the delimiter, or Dimensions' note on the export: the header next
        first = head.split("\n", 2)[1] if head.count("\n") else ""
    if first.count(",") or first.count("\t") or first.count(";"):
        from litreview.io._csvfile import ALIASES, _canon
        from litreview.io._ebsco_csv import is_ebsco_paths

        known = {a for aliases in ALIASES.values() for a in aliases}
        cells = re.split(r"[,\t;]", first)
        if any(_canon(c.strip('"')) in known for c in cells):
            return "csv"
        if is_ebsco_paths([c.strip().strip('"') for c in cells]):
            return "csv"  # EBSCOhost's, its columns named by JSON paths
    return None


FORMATS = ("bibtex", "ris", "medline", "wos", "csv", "cochrane", "endnote")


def read_text(
    text: str,
    path: str,
    source: str,
    fmt: str | None = None,
    progress: Progress | None = None,
    prepare: Callable[[Record], Any] | None = None,
) -> ReadResult:
    """Records, rejects and problems of one export's text; ``progress`` hears ``read PATH``.

    ``prepare(record)`` of each record read goes, in order, to ``ReadResult.made`` when the
    export is read in parts, one per core (a large BibTeX file): computed there, where each
    record was read, an import's corpus entries spare its write a second round of workers
    that would make them from records sent to them again. A file read in one process gets no
    ``made``: the work would run on one core, where the write can spread it over all."""
    from litreview.files.bulk import paused_gc

    with paused_gc():
        return _read_text(text, path, source, fmt, progress, prepare)


def _read_text(
    text: str,
    path: str,
    source: str,
    fmt: str | None,
    progress: Progress | None,
    prepare: Callable[[Record], Any] | None,
) -> ReadResult:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    mismatch = None
    if fmt is not None:
        # a format given for content that plainly is another one reads it all wrong: a MEDLINE
        # file read as RIS is one record of every author, a RIS file read as MEDLINE has no year
        looks = sniff(text)
        if looks is not None and looks != fmt:
            mismatch = Problem(
                Location(path),
                f"read as {fmt} (--format), but its content looks like {looks}: "
                "its records may be read wrongly",
                Severity.WARNING,
                "format-mismatch",
                "check the records it gave (`git diff` shows them); leave --format out to read "
                "each file as its content says",
            )
    fmt = fmt or sniff(text)
    if fmt is None:
        if not text.strip():
            # read as nothing to import, but said: a download that failed or an export cut short
            # gives an empty file, and "read 0" alone is easy to pass over
            empty = ReadResult(path=path, format="empty")
            empty.problems.append(
                Problem(
                    Location(path),
                    "the file is empty: no records read",
                    Severity.WARNING,
                    "empty-export",
                    "export the search again if it found records",
                )
            )
            return empty
        raise InputError.at(
            Location(path, 1),
            "format not recognised: expected BibTeX, RIS, PubMed/MEDLINE, Web of Science, "
            "the Cochrane Library's plain text, EndNote XML or CSV with a header row",
        )
    step = f"read {path}"
    # BibTeX is read in two passes over the text (split, then convert), the others line by line;
    # either way the listener hears a percentage
    size = 2 * len(text) if fmt == "bibtex" else text.count("\n") + 1
    percent = ticker(progress, step, 100)
    tick = None if percent is None else (lambda position: percent(position * 100 // size))
    if fmt == "bibtex":
        from litreview.io.bibtex import read_bibtex

        # normalised part by part, where each part is read
        result = read_bibtex(text, path, source, tick, _normalised, prepare)
    elif fmt == "cochrane":
        from litreview.io._cochrane import read_cochrane

        result = _normalised(read_cochrane(text, path, source, tick))
    elif fmt == "endnote":
        from litreview.io._endnote_xml import read_endnote_xml

        result = _normalised(read_endnote_xml(text, path, source, tick))
    elif fmt == "csv":
        from litreview.io._csvfile import read_csv

        result = _normalised(read_csv(text, path, source, tick))
    else:
        from litreview.io._tagged import read_tagged

        result = _normalised(read_tagged(text, path, source, fmt, tick))
    result.problems.extend(_repeated_keys(result, _ID_NAMES.get(fmt, "id")))
    if progress is not None:
        progress(step, 100, 100)
    if not result.records and not result.rejects:
        # text, but not one entry in it: a header row alone (a search that found nothing, or a
        # failed export), or text the format given cannot read (a list of titles given as RIS)
        result.problems.append(
            Problem(
                Location(path),
                f"no records found in the file (read as {fmt})",
                Severity.WARNING,
                "no-records",
                "export the search again if it found records; check --format if given",
            )
        )
    if mismatch is not None:
        result.problems.insert(0, mismatch)
    return result


#: what each format's record id is (a provenance's original id), as the warnings name it
_ID_NAMES = {
    "bibtex": "citation key",
    "medline": "PMID",
    "wos": "accession number (UT)",
    "endnote": "record number (rec-number)",
}


def _repeated_keys(result: ReadResult, what: str) -> list[Problem]:
    """A warning at each entry of an export whose id (a BibTeX citation key, compared ignoring
    case as BibTeX does; a PMID, an accession number, a RIS or CSV id) an earlier entry has: both
    are read, each as a record of its own under a key of the corpus's, but a file that cites by
    key cannot tell them apart, and a person may have joined two exports (PubMed's, say) into one
    file. Each warning names the lines of the others."""
    where: dict[str, list[tuple[int | None, str]]] = {}
    for rec in result.records:
        prov = rec.provenance[-1] if rec.provenance else None
        if prov is not None and prov.original_id:
            where.setdefault(prov.original_id.casefold(), []).append((prov.line, prov.original_id))
    for rej in result.rejects:
        if rej.location.key:
            where.setdefault(rej.location.key.casefold(), []).append(
                (rej.location.line, rej.location.key)
            )
    out = []
    for entries in where.values():
        if len(entries) < 2:
            continue
        entries.sort(key=lambda e: e[0] or 0)
        for i, (line, key) in enumerate(entries):
            others = [
                str(n) if n is not None else "?" for j, (n, _) in enumerate(entries) if j != i
            ]
            out.append(
                Problem(
                    Location(result.path, line, key),
                    f"{what} {key!r} is used by {len(entries)} entries of this file (also "
                    f"line{'s' if len(others) > 1 else ''} {', '.join(others)}); each is read as "
                    "a record of its own",
                    Severity.WARNING,
                    "repeated-key",
                    "if they are one work, `litreview dedupe` finds the pair",
                )
            )
    out.sort(key=lambda p: (p.location.line or 0, p.location.key or ""))
    return out


def _normalised(result: ReadResult) -> ReadResult:
    """An export's records as an import keeps them: titles and abstracts without the HTML/JATS
    markup some exports carry (see strip_markup), and a DOI that only the record's URL gives
    (``url = {https://doi.org/10.1136/...}``, as reference managers export it) as its DOI,
    which the RIS reader already takes from ``UR``: deduplication's surest evidence. The URL
    stays as it was."""
    from dataclasses import replace

    from litreview.text.normalize import doi_is_wellformed, normalize_doi, strip_markup

    for i, rec in enumerate(result.records):
        t, a = rec.title, rec.abstract
        if "<" in t or "&" in t or "<" in a or "&" in a:
            nt, na = strip_markup(t), strip_markup(a)
            if (nt, na) != (t, a):
                rec = result.records[i] = replace(rec, title=nt, abstract=na)
        if not rec.doi and "10." in rec.url:
            doi = normalize_doi(rec.url)
            if doi_is_wellformed(doi):
                result.records[i] = replace(rec, doi=doi)
    return result


def read_path(
    path: Path,
    source: str,
    display: str | None = None,
    fmt: str | None = None,
    progress: Progress | None = None,
    prepare: Callable[[Record], Any] | None = None,
) -> ReadResult:
    """Read one export file; ``display`` is the path recorded in provenance and messages.
    ``prepare``: per-record work done where the record is read (see :func:`read_text`)."""
    shown = display or path.as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError.at(
                Location(shown), f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError.at(Location(shown), f"cannot read file: {exc.strerror or exc}") from exc
    decoded = decode_bytes(data)
    del data  # the text is read from here on: not the bytes as well (400 MB of a 1M-record export)
    result = read_text(decoded.text, shown, source, fmt, progress, prepare)
    result.encoding = decoded.encoding
    for w in decoded.warnings:
        result.warn(None, w, code="encoding")
    return result
