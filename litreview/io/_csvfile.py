"""CSV and TSV exports, with the column names databases and spreadsheets actually use."""

from __future__ import annotations

import csv
import re

from litreview.io._ebsco_csv import EbscoRow, is_ebsco_paths, read_ebsco_row
from litreview.io._tagged import _WOS_TYPES
from litreview.io.base import ReadResult, identifiable, warn_not_a_doi
from litreview.io.csvrows import (
    MAX_FIELD,
    OPEN_HEADER,
    SWALLOWED,
    csv_reason,
    header_swallowed,
    last_line,
    line_at,
    line_offset,
    lines,
    open_to_the_end,
    sniff_delimiter,
    swallows_rows,
)
from litreview.model import BIBTEX_TYPES, Name, Provenance, Record
from litreview.progress import Tick
from litreview.text.names import parse_tagged_names
from litreview.text.normalize import (
    R_MISSING,
    clean_text,
    normalize_pages,
    normalize_pmid,
    parse_year,
    placed_doi,
    repair_r_escapes,
    split_keywords,
)

#: Column aliases, compared case-insensitively with spaces and punctuation removed.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "ti", "primarytitle", "articletitle", "documenttitle", "t1"),
    "authors": ("author", "authors", "au", "authorfullnames", "af", "a1", "creator"),
    "year": ("year", "py", "publicationyear", "publishedyear", "pubyear", "date", "y1", "da"),
    "doi": ("doi", "di", "do"),
    "abstract": ("abstract", "ab", "n2", "abstractnote"),
    "container": (
        "journal",
        "source",
        "so",
        "t2",
        "sourcetitle",
        "publicationtitle",
        "jo",
        "jf",
        "journaltitle",
        "secondarytitle",
        "container",  # litreview's own CSV export
        "containertitle",
        "journalbook",  # PubMed's CSV
    ),
    "keywords": ("keywords", "kw", "de", "authorkeywords", "keyword", "manualtags"),
    "pmid": ("pmid", "pubmedid", "pm", "medlinepmid"),
    "volume": ("volume", "vl", "vi"),
    "issue": ("issue", "is", "number", "ip", "issuenumber"),  # The Lens's "Issue Number"
    "pages": ("pages", "pg", "pagerange", "pagination"),  # Dimensions's "Pagination"
    "url": ("url", "ur", "link"),
    "language": ("language", "la"),
    "entry_type": ("type", "ty", "entrytype", "itemtype", "documenttype", "pt"),
    # PUI: Embase.com's own id (its table export: Title, Medline PMID, PUI, ...)
    "id": ("id", "key", "citationkey", "an", "ut", "accessionnumber", "recordid", "eid", "pui"),
}
_LOOKUP = {alias: canon for canon, aliases in ALIASES.items() for alias in aliases}
_TYPE_MAP = {
    "jour": "article",
    "journalarticle": "article",
    "article": "article",
    "j": "article",
    "book": "book",
    "chap": "incollection",
    "booksection": "incollection",
    "rprt": "techreport",
    "report": "techreport",
    "conf": "inproceedings",
    "conferencepaper": "inproceedings",
    # BibTeX's own entry types, as a reference manager's CSV (and litreview's own export)
    # names them, so that a record's type comes back from the CSV it was exported to
    **{t: t for t in sorted(BIBTEX_TYPES | {"online", "thesis"})},
}


#: what a spreadsheet would run as a formula; a CSV written for people (litreview's exports,
#: and the evidence table) puts a quote before it (see litreview.report.spreadsheet)
_FORMULA_STARTS = ("=", "+", "-", "@")


def _canon(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


def _extra_name(column: str) -> str:
    """An unknown column's field name: as :func:`_canon`, but an underscore is kept, so the
    fields a litreview CSV export writes (``publication_type``) come back under their names."""
    return re.sub(r"[^a-z0-9_]", "", column.lower()).strip("_")


def _column(header: str) -> str:
    """The field a column fills: by its alias, or for numbered identifier columns (``DOI 1``,
    ``DOI 2``) the identifier (the first fills it; the others are kept under their own names)."""
    c = _canon(header)
    found = _LOOKUP.get(c, "")
    if not found:
        stem = c.rstrip("0123456789")
        if stem != c and _LOOKUP.get(stem) in ("doi", "pmid", "url"):
            found = _LOOKUP[stem]
    return found


def read_csv(text: str, path: str, source: str, tick: Tick | None = None) -> ReadResult:
    """``tick`` hears the line each row ends on."""
    result = ReadResult(path=path, format="csv")
    from litreview.io._embase_csv import is_embase_blocks, read_embase_blocks

    if is_embase_blocks(text):
        read_embase_blocks(text, path, source, tick, result)
        return result
    shift = 0
    sep = _EXCEL_SEP.match(text) or DIMENSIONS_NOTE.match(text)
    if sep:  # Excel's `sep=;` line names the delimiter; the header is the line after it
        # (and so for Dimensions' note on the export above its header)
        text, shift = text[sep.end() :], 1
    header_line = text.split("\n", 1)[0]
    first = shift
    while True:
        opening = _read_rows(text, path, source, tick, result, shift, shift == first)
        if opening is None:
            return result
        # a quote opened on line `opening` is never closed: read the lines after it again, as
        # rows at their own lines (in a loop: each such line is set aside in turn)
        text = header_line + "\n" + text[line_offset(text, opening + 1) :]
        shift += opening - 1


def _header_again(row: list[str], header_cells: list[str]) -> bool:
    """The row is the header's cells again; a long cell (a 50 MB abstract) is not copied."""
    if any(len(c) > 1000 for c in row):
        return False
    return [_canon(c) for c in row if c.strip()] == header_cells


#: the first line Excel writes (and reads) to name a CSV's delimiter
_EXCEL_SEP = re.compile(r"\A\ufeff?sep=[,;\t|][ \t]*\n")
#: the line Dimensions writes above its CSV's header: ``"About the data: Exported on Sep 04, 2023.
#: Criteria: ...",,,,`` (one cell, its quotes doubled inside, then empty cells)
DIMENSIONS_NOTE = re.compile(r'\A\ufeff?"?About the data: (?:[^"\n]|"")*"?[,;\t]*[ \t]*\n')


def _read_rows(
    text: str,
    path: str,
    source: str,
    tick: Tick | None,
    result: ReadResult,
    shift: int,
    first: bool = True,
) -> int | None:
    """Read ``text``'s rows into ``result``, their lines moved by ``shift``; the line of a quote
    never closed, when one stops the reading."""
    delimiter = sniff_delimiter(text)
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(lines(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        result.reject(1 + shift, f"unreadable CSV header: {csv_reason(exc)}", text[:2000])
        return None
    if header_swallowed(reader.line_num):
        # every row went into the header: set the whole text aside, with the reason
        result.reject(1 + shift, OPEN_HEADER, text)
        return None
    columns = [_column(h) for h in header]
    header_cells = [_canon(h) for h in header if h.strip()]
    # Web of Science's tab-delimited export names its columns by its tags: the pages are BP-EP
    # (or the article number, AR, where there is no range) and PG is the article's page count,
    # which the ``pages`` alias would take for its pages (``18`` for article 111, ``6`` for
    # pages 794-799); read as its plain-text export is read, the count kept as ``pg``
    wos_pages = {"bp", "ep"} <= set(header_cells)
    if wos_pages:
        # its DA is the day the export was made, not the work's date: never the year (kept as
        # ``da``); a row with no PY takes its early access year EY, or date EA, as the tagged
        # export's reader does
        # and its ID is Keywords Plus (the words of the cited works' titles), never the record's
        # id: that is UT (WOS:...), which an ID column before it had taken (kept as ``id``)
        columns = [
            ""
            if (col == "pages" and _canon(h) == "pg")
            or _canon(h) == "da"
            or (_canon(h) == "id" and "ut" in header_cells)
            else col
            for col, h in zip(columns, header, strict=True)
        ]
    # Ovid's CSV export names its columns by Ovid's field tags (ORN the row, VN "Ovid
    # Technologies"): YR is the year, JN the journal, VO the volume, UI the accession, and SO the
    # whole source citation ("Hearing Research. 430 (no pagination), 2023. ..."), which is the
    # journal's only name in an Embase export and gives its year
    ovid = {"orn", "vn"} <= set(header_cells)
    if ovid:
        columns = [
            _OVID_COLUMNS.get(_canon(h), "" if _canon(h) == "so" and "jn" in header_cells else col)
            for col, h in zip(columns, header, strict=True)
        ]
    # PubMed's CSV (pubmed.gov's "Save", format CSV) gives the journal's abbreviation alone and
    # its volume, issue and pages only inside the citation (``Ear Hear. 2019 Jul/Aug;40(4):918-926.
    # doi: ...``); its authors are ``Surname INITIALS`` apart by commas, groups after a semicolon
    pubmed = {"citation", "journalbook", "firstauthor"} <= set(header_cells)
    # PubMed's CSV before its 2020 redesign (legacy pubmed's "Send to: File, CSV"): the authors
    # in Description, the citation in Details (``Neurospine. 2018 Sep;15(3):194-205. doi: ...``),
    # the journal and year in ShortDetails (``Neurospine.  2018``), the PMID in EntrezUID
    legacy_pubmed = {"description", "details", "shortdetails", "entrezuid"} <= set(header_cells)
    if legacy_pubmed:
        columns = [
            _LEGACY_PUBMED_COLUMNS.get(_canon(h), col)
            for col, h in zip(columns, header, strict=True)
        ]
    # Publish or Perish's CSV (Google Scholar, Crossref, Scopus, ... searched through it: Cites,
    # Authors, Title, ..., ArticleURL, CitesURL): its authors are one name a comma, each given
    # name first (``AG Meyer, J Smith, ...``), the list cut short with ``...`` where the source did
    publish_or_perish = {"cites", "articleurl", "citesurl"} <= set(header_cells)
    # OpenAlex's CSV (its web page's export; the API's works flattened): columns named by the
    # work's JSON paths (``primary_location.source.display_name``, ``biblio.first_page``,
    # ``ids.pmid``), a list's values in one cell apart by ``|`` (``authorships.author.
    # display_name``: ``Nadia Okafor|Pia van der Lund``, each given name first)
    openalex = {"displayname", "publicationyear", "authorshipsauthordisplayname"} <= set(
        header_cells
    )
    if openalex:
        columns = [
            _OPENALEX_COLUMNS.get(_canon(h), col) for col, h in zip(columns, header, strict=True)
        ]
    # EBSCOhost's export names its columns by JSON paths (artinfo/tig/atl, ...): read by them
    ebsco = is_ebsco_paths(header)
    if "title" not in columns and first and not ebsco:
        result.warn(
            1 + shift,
            "no title column found (looked for: title, TI, primary_title, …)",
            code="csv-columns",
        )
    line = 1
    last = last_line(text)
    rows = iter(reader)
    while True:
        start = reader.line_num + 1  # the line this row starts on
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            rest = text[line_offset(text, reader.line_num) :]
            result.reject(
                reader.line_num + shift,
                f"CSV could not be read from here on: {csv_reason(exc)}",
                rest,
            )
            break
        line = reader.line_num
        if tick is not None:
            tick(line + shift)
        if open_to_the_end(text, start, line, last, delimiter):
            result.reject(
                start + shift,
                "a quote opened on this line is never closed, so the rest of the file would "
                "be read as one cell; this line is set aside and the lines after it read again",
                line_at(text, start),
            )
            return start
        if not any(cell.strip() for cell in row):
            continue
        if _header_again(row, header_cells):
            # the header row again: two exports joined into one file (a record "Title" by
            # "Authors" otherwise, and a DOI "DOI")
            result.warn(
                start + shift,
                "the header row again, read as a header, not a record (two exports joined?)",
                code="csv-header-again",
            )
            continue
        if swallows_rows(row, len(header), delimiter):
            result.warn(start + shift, SWALLOWED, code="csv-swallowed-rows")
        paths = read_ebsco_row(header, row) if ebsco else EbscoRow()
        values, extra = paths.values, paths.extra
        for col, head, cell in () if ebsco else zip(columns, header, row, strict=False):
            cell = cell.strip()
            if cell[:1] == "'" and cell[1:2] in _FORMULA_STARTS:
                cell = cell[1:]  # a spreadsheet export's guard (litreview's own): not the value's
            if not cell or (cell == R_MISSING and col != "keywords"):
                continue  # R writes NA for a missing value
            if "<" in cell:
                cell = repair_r_escapes(cell)
            if col and col not in values:
                values[col] = cell
            else:
                # an unknown column, or a second one for a field already filled ("DOI 2"): kept
                # under its own name, never dropped
                name = _extra_name(head) or f"column{len(extra) + 1}"
                if name in values or name in extra:
                    name = f"{name}_{len(extra) + 1}"
                extra[name] = clean_text(cell)
        if wos_pages and "year" not in values:
            early = parse_year(extra.get("ey", "")) or parse_year(extra.get("ea", ""))
            if early:
                values["year"] = str(early)
        if wos_pages and values.get("entry_type", "") in _WOS_TYPES:
            # its PT is the tagged export's: C a proceedings paper, B a book, S a series' volume,
            # typed as that export's reader types them (only J was known here: the rest articles)
            values["entry_type"] = _WOS_TYPES[values["entry_type"]]
        if wos_pages and "pages" not in values:
            bp, ep = extra.get("bp", ""), extra.get("ep", "")
            placed = f"{bp}-{ep}" if bp and ep else bp or extra.get("ar", "")
            if placed:
                values["pages"] = placed
                for used in ("bp", "ep") if bp else ("ar",):
                    extra.pop(used, None)
        if ovid:
            _ovid_source(values, extra)
        openalex_authors = _openalex_row(values, extra) if openalex else None
        if pubmed:
            _pubmed_citation(values, extra)
        if legacy_pubmed:
            _legacy_pubmed_details(values, extra)
        if publish_or_perish:
            _listed_authors(values, extra)
        if "pages" not in values and not wos_pages:  # Web of Science's SP is a sponsor
            _page_columns(values, extra)
        if "container" not in values and extra.get("conferencename"):
            # a conference paper with no proceedings title (Zotero's "Publication Title" is
            # empty for many): its conference's name, the column kept as it is
            values["container"] = extra["conferencename"]
            values.setdefault("entry_type", "conferencepaper")  # a paper, not an article
        # cells past the header's that are all empty (Web of Science's tab-delimited export ends
        # every row with a tab) hold nothing to keep: no overflow, as in csvrows' tables
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            extra["csv_overflow"] = clean_text(" | ".join(row[len(header) :]))
            result.warn(
                line + shift,
                f"row has {len(row)} cells but the header has {len(header)}; extra cells kept",
                code="csv-overflow",
            )
        raw = delimiter.join(row)
        prov_id = values.get("id") or None
        record = _row_to_record(
            values,
            extra,
            Provenance(source, path, line + shift, prov_id),
            author_list=paths.authors if ebsco else openalex_authors,
            keyword_list=paths.keywords if ebsco else None,
        )
        if not identifiable(record):
            result.reject(
                line + shift,
                "row has no title, author, DOI or PMID: nothing identifies the work",
                raw,
            )
            continue
        # the DOI column's value _row_to_record could not place (and so kept as csv_doi)
        kept = record.get("csv_doi") if values.get("doi") and not record.doi else ""
        if kept:
            warn_not_a_doi(result, line + shift, prov_id, "the DOI column", kept, "csv_doi")
        result.records.append(record)
    return None


#: OpenAlex's columns (by :func:`_canon`) for a record's fields; ``title`` and ``doi`` are
#: already aliases, and ``display_name`` (the title again) and ``ids.doi`` are kept as written
_OPENALEX_COLUMNS = {
    "primarylocationsourcedisplayname": "container",
    "bibliovolume": "volume",
    "biblioissue": "issue",
    "idspmid": "pmid",
    "publicationyear": "year",
}


def _openalex_row(values: dict[str, str], extra: dict[str, str]) -> list[str] | None:
    """An OpenAlex row's authors (``|`` apart, in their order); its pages are its
    ``biblio.first_page`` and ``biblio.last_page`` columns (:func:`_page_columns`)."""
    names = extra.get("authorshipsauthordisplay_name", "")
    if "authors" in values or not names:
        return None
    return [n.strip() for n in names.split("|") if n.strip()]


_OVID_COLUMNS = {"yr": "year", "jn": "container", "vo": "volume", "ui": "id", "lg": "language"}
#: an Ovid source citation's journal: the words before the first ". " that a volume, a number
#: or a bracket follows ("J. Neurosci. 12(3)..." keeps "J. Neurosci")
_OVID_JOURNAL = re.compile(r"^(?P<journal>.+?)\.\s+(?=Vol\.|\d|\()")
#: its year: the first one set apart by a comma or full stop after the journal
_OVID_YEAR = re.compile(r"(?:^|[,.]\s*)((?:1[89]|20)\d\d)(?=[.,;]|\s|$)")
#: a DOI in Ovid's full-text link (``...&DO=10.1101%2f2023.02.14.23285904``)
_OVID_LINK_DOI = re.compile(r"[?&]DO=(10\.[^&\s]+)", re.IGNORECASE)


def _ovid_source(values: dict[str, str], extra: dict[str, str]) -> None:
    """An Ovid row's journal, year and DOI from its source citation and links where no column
    gives them; the citation itself is kept (as ``so``), never replaced."""
    so = extra.get("so", "")
    if not so and "container" in values:
        found = _OVID_JOURNAL.match(values["container"])
        if found:  # SO read as the container: the journal is its first part
            so = values["container"]
            values["container"] = found["journal"]
            extra["so"] = clean_text(so)
    if so:
        _ovid_place(values, so)
    if so and "year" not in values:
        journal = _OVID_JOURNAL.match(so)
        year = _OVID_YEAR.search(so[journal.end() :] if journal else so)
        if year:
            values["year"] = year[1]
    if "doi" not in values:
        from urllib.parse import unquote

        for name in ("fturl", "xl", "url"):
            link = _OVID_LINK_DOI.search(extra.get(name, "") or values.get(name, ""))
            if link:
                values["doi"] = unquote(link[1])
                break


#: an Ovid source citation's place in its volume, after the journal: ``16(4) (pp 1873-1883)``,
#: ``306(pp 305-310)``, ``14(no pagination)``, then perhaps ``Article Number: 541``
_OVID_PLACE = re.compile(
    r"\s*(?P<volume>[^\s(),]+)?\s*(?:\((?P<issue>(?!pp\s|no pagination)[^()]+)\))?\s*"
    r"\((?:pp\s+(?P<pages>[^()]+)|no pagination)\)"
)
_OVID_ARTICLE = re.compile(r"Article Number:\s*([^\s.]+)")


def _ovid_place(values: dict[str, str], so: str) -> None:
    """Volume, issue and pages (or the article number) from an Ovid source citation, for the
    fields no column of the row gives (Embase's CSV has no VO, IP or PG)."""
    journal = _OVID_JOURNAL.match(so)
    found = _OVID_PLACE.match(so, journal.end() if journal else 0) if journal else None
    if found is None:
        return
    for field in ("volume", "issue", "pages"):
        if found[field] and field not in values:
            values[field] = found[field].strip()
    if "pages" not in values:
        number = _OVID_ARTICLE.search(so, found.end())
        if number:
            values["pages"] = number[1]


#: the volume, issue and pages of a PubMed citation, after its date: ``;40(4):918-926.``,
#: ``;17:394.``, ``;38 Suppl 1:S12-S20.``, ``;54(2):381-9; discussion 388-90.``; an article
#: online before its issue (``2023 Jun 12:1-19.``, no semicolon) has none
_PUBMED_PLACE = re.compile(
    r";\s*(?P<volume>[^();:]*?)\s*(?:\((?P<issue>[^()]*)\))?\s*(?::\s*(?P<pages>[^;]+?))?\.?"
    r"(?=\s*;|\s+(?:doi:|Epub|PMID:|eCollection|Erratum|Retraction|Comment|Update)|\s*$)"
)


def _pubmed_citation(values: dict[str, str], extra: dict[str, str]) -> None:
    """A PubMed CSV row's volume, issue and pages from its citation, and its authors as a list
    that the general splitter reads (the citation is kept, as ``citation``)."""
    cited = extra.get("citation", "")
    journal = values.get("container", "")
    rest = cited[len(journal) :] if journal and cited.startswith(journal) else cited
    _pubmed_place(values, rest)
    _pubmed_authors(values)


def _pubmed_place(values: dict[str, str], cited: str) -> None:
    """Volume, issue and pages from a PubMed citation, for the fields the row does not give.
    The place follows the date's semicolon; what a later one adds (``; discussion 388-90``)
    is not the place."""
    semicolon = cited.find(";")
    found = _PUBMED_PLACE.match(cited, semicolon) if semicolon >= 0 else None
    if found is None:
        return
    volume, issue = (found["volume"] or "").strip(), (found["issue"] or "").strip()
    if " " in volume and not issue:  # ``38 Suppl 1``: the supplement is the issue
        head, tail = volume.split(" ", 1)
        volume, issue = (head, tail) if head[:1].isdigit() else ("", volume)
    for field, value in (("volume", volume), ("issue", issue), ("pages", found["pages"])):
        if value and field not in values:
            values[field] = value.strip()


def _pubmed_authors(values: dict[str, str]) -> None:
    """PubMed's CSV authors (``Surname INITIALS`` apart by commas, groups after a semicolon) as
    a list the general splitter reads; ``[No authors listed]`` is no author."""
    listed = values.get("authors", "")
    if listed.strip().lower() == "[no authors listed]":
        values.pop("authors")
    elif listed and "\n" not in listed:
        people, *groups = listed.rstrip(".").split(";")
        names = [n.strip() for n in people.split(",")] + [g.strip() for g in groups]
        values["authors"] = "; ".join(n for n in names if n and n.lower() not in ("et al",))


_LEGACY_PUBMED_COLUMNS = {"description": "authors", "entrezuid": "pmid"}
#: a legacy PubMed ShortDetails: the journal, then its year (``J Gene Med.  2019``) or a season
_LEGACY_SHORT = re.compile(r"^(?P<journal>.+?)\.?\s+(?P<year>(?:1[89]|20)\d\d)?\S*$")
#: the DOI in a PubMed citation (``... 194-205. doi: 10.14245/ns.1836192.096. Epub ...``)
_CITATION_DOI = re.compile(r"\bdoi:\s*(10\.\S+?)\.?(?=\s|$)")


def _legacy_pubmed_details(values: dict[str, str], extra: dict[str, str]) -> None:
    """A legacy PubMed CSV row's journal and year (from ShortDetails), and its volume, issue,
    pages and DOI (from Details); both cells are kept as they were (``shortdetails``,
    ``details``). Details ends the place with a full stop, then perhaps ``Review.`` or ``[Epub
    ahead of print]``; an article online before its issue (no semicolon) has no place."""
    _pubmed_authors(values)
    short = _LEGACY_SHORT.match(extra.get("shortdetails", ""))
    if short and "container" not in values:
        values["container"] = short["journal"].strip()
    details = extra.get("details", "")
    if short and short["year"] and "year" not in values:
        values["year"] = short["year"]
    elif "year" not in values:
        year = re.search(r"\b(?:1[89]|20)\d\d\b", details)
        if year:
            values["year"] = year[0]
    semi = details.find(";")
    if semi >= 0:  # the place ends at its full stop: a ``Review.`` may follow
        end = re.search(r"\.(?:\s|$)", details[semi:])
        _pubmed_place(values, details[: semi + end.end()] if end else details)
    doi = _CITATION_DOI.search(details)
    if doi and "doi" not in values:
        values["doi"] = doi[1]
    url = values.get("url", "")
    if url.startswith("/pubmed/"):  # the link is relative to the site that wrote the file
        values["url"] = "https://www.ncbi.nlm.nih.gov" + url


_CUT_SHORT = ("...", "\u2026")


def _listed_authors(values: dict[str, str], extra: dict[str, str]) -> None:
    """Publish or Perish's authors, one name a comma (``C Kun-Rodrigues, J Salmona, ...``), as
    a list the general splitter reads; a list cut short keeps its cell as ``authors_listed``."""
    listed = values.get("authors", "")
    if not listed or ";" in listed or "\n" in listed:
        return
    names = [n.strip() for n in listed.split(",")]
    if names[-1] in _CUT_SHORT or listed.endswith(_CUT_SHORT):
        extra["authors_listed"] = clean_text(listed)
    names = [n.rstrip(".\u2026").strip() if n.endswith(_CUT_SHORT) else n for n in names]
    values["authors"] = "; ".join(n for n in names if n)


#: columns of a first and a last page (Scopus's ``Page start``/``Page end``, IEEE Xplore's
#: ``Start Page``/``End Page``, RIS's tags ``SP``/``EP`` in a table R wrote, OpenAlex's
#: ``biblio.first_page``/``biblio.last_page``), and of an article number that stands for pages
#: (Scopus's ``Art. No.``), as :func:`_extra_name` keeps them
_FIRST_PAGE_COLUMNS = ("pagestart", "startpage", "firstpage", "spage", "sp", "bibliofirst_page")
_LAST_PAGE_COLUMNS = ("pageend", "endpage", "lastpage", "epage", "ep", "bibliolast_page")
_ARTICLE_NUMBER_COLUMNS = ("artno", "articlenumber")


def page_range(first: str, last: str) -> str:
    """``first-last`` from a first and a last page given apart; the first alone when the last is
    missing or the same page."""
    return f"{first}-{last}" if last and last != first else first


def _page_columns(values: dict[str, str], extra: dict[str, str]) -> None:
    """Pages from a first and a last page column (or an article number column) when the row
    has no pages column; the columns stay in the record under their own names."""
    first = next((extra[c] for c in _FIRST_PAGE_COLUMNS if extra.get(c)), "")
    last = next((extra[c] for c in _LAST_PAGE_COLUMNS if extra.get(c)), "")
    if first:
        values["pages"] = page_range(first, last)
    else:
        number = next((extra[c] for c in _ARTICLE_NUMBER_COLUMNS if extra.get(c)), "")
        if number:
            values["pages"] = number


def _row_to_record(
    values: dict[str, str],
    extra: dict[str, str],
    prov: Provenance,
    author_list: list[str] | None = None,
    keyword_list: list[str] | None = None,
) -> Record:
    """``author_list`` and ``keyword_list``, where an export gives each author and keyword a
    cell of its own (EBSCO's), are taken as they are, never cut again at ``and`` or a comma."""
    authors_raw = values.get("authors", "")
    # a list separated by semicolons (Zotero's, litreview's own) is cut only there: an
    # organisation's name may hold "and" ("NHS Institute for Innovation and Improvement")
    # BASE writes ``Luo, Xiaomei AND Li, Fengmei``: a capital AND parts names too, unless the
    # whole cell is in capitals (``DEPARTMENT OF HEALTH AND SOCIAL CARE``)
    joiner = r"and|AND" if authors_raw != authors_raw.upper() else "and"
    splitter = r"\s*;\s*|\n" if ";" in authors_raw else rf"\s+(?:{joiner})\s+|\n"
    parts = re.split(splitter, authors_raw) if authors_raw else []
    authors: tuple[Name, ...] = parse_tagged_names(
        parts if author_list is None else [clean_text(a) for a in author_list]
    )
    doi, unplaced = placed_doi(values.get("doi", ""))
    if unplaced:
        # not a DOI (a PMID, another site's link, a note): kept as written, warned of by the reader
        extra = {**extra, "csv_doi": unplaced}
    kind = _TYPE_MAP.get(
        _canon(values.get("entry_type", "")), "article" if values.get("container") else "misc"
    )
    return Record(
        key="",
        entry_type=kind,
        title=clean_text(values.get("title", "")),
        authors=authors,
        year=parse_year(values.get("year", "")),
        container=clean_text(values.get("container", "")),
        volume=values.get("volume", ""),
        issue=values.get("issue", ""),
        # a first page with no last (Dimensions's ``gkaa1023-``) is the first page
        pages=normalize_pages(values.get("pages", "").rstrip("- ")),
        doi=doi,
        pmid=normalize_pmid(values.get("pmid", "")),
        url=values.get("url", ""),
        abstract=clean_text(values.get("abstract", "")),
        keywords=(
            split_keywords(values.get("keywords", ""))
            if keyword_list is None
            else tuple(dict.fromkeys(k for k in keyword_list if k))
        ),
        language=values.get("language", ""),
        provenance=(prov,),
        extra=tuple(sorted(extra.items())),
    )
