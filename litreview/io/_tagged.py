"""Line-tagged exports: RIS, PubMed/MEDLINE (.nbib) and Web of Science plain text (.ciw).

The three share one shape (a tag at the start of a line, continuation lines, a record
terminator), so one splitter serves all three and each format only maps its tags.

We read RIS ourselves rather than with rispy: rispy gives no line numbers (provenance and error
messages need them) and refuses Ovid's numbered lines and untagged text, which real exports
contain. The tests re-read what we export with rispy to keep us honest about the format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from litreview.io.base import ReadResult, identifiable, warn_not_a_doi
from litreview.model import KEY_SHAPE, Name, Problem, Provenance, Record
from litreview.progress import Tick
from litreview.text.names import parse_tagged_names
from litreview.text.normalize import (
    R_MISSING,
    clean_text,
    looks_like_doi,
    normalize_doi,
    normalize_pages,
    normalize_pmid,
    parse_year,
    placed_doi,
    repair_r_escapes,
    split_keywords,
    title_key,
)
from litreview.workers import text_parts


@dataclass
class TaggedRecord:
    line: int
    tags: list[tuple[str, str]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)

    def all(self, *names: str) -> list[str]:
        return [v for t, v in self.tags if t in names and v]

    def first(self, *names: str) -> str:
        for name in names:
            for t, v in self.tags:
                if t == name and v:
                    return v
        return ""


# --- RIS --------------------------------------------------------------------------------------

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  ?-(?: (.*)|\s*)$")
#: a tag line in any case: some tools write RIS's tags in lower case (``ty  - JOUR``); a file
#: with no upper-case TY line is read with these (see :func:`split_ris`)
_RIS_LINE_ANY_CASE = re.compile(r"^([A-Za-z][A-Za-z0-9])  ?-(?: (.*)|\s*)$")
_RIS_UPPER_TY = re.compile(r"^TY  ?-", re.M)
_RIS_OTHER_CASE_TY = re.compile(r"^(?:ty|Ty|tY)  ?-", re.M)


def ris_tag_line(text: str) -> re.Pattern[str]:
    """The tag lines of a RIS text: upper-case tags, or tags in any case when the text has a
    TY line only in another case. Tags are compared upper-cased either way. Deciding per file
    keeps a wrapped line of an upper-case file's abstract (``of  - the``) text, as it was."""
    if _RIS_UPPER_TY.search(text) is None and _RIS_OTHER_CASE_TY.search(text) is not None:
        return _RIS_LINE_ANY_CASE
    return _RIS_LINE


_OVID_NUMBER = re.compile(r"^\s*(?:<\d+>|\d+\.)\s*$")

RIS_TYPES = {
    "JOUR": "article",
    "JFULL": "article",
    "MGZN": "article",
    "NEWS": "article",
    "EJOUR": "article",
    "ABST": "article",
    "INPR": "article",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "incollection",
    "ECHAP": "incollection",
    "RPRT": "techreport",
    "GOVDOC": "techreport",
    "CONF": "inproceedings",
    "CPAPER": "inproceedings",
    "THES": "phdthesis",
    "UNPB": "unpublished",
    "ELEC": "misc",
    "WEB": "misc",
    "GEN": "misc",
}

#: Types whose container is who published them (BibTeX institution, publisher, school): RIS PB.
_PUBLISHED_BY = ("techreport", "book", "phdthesis")
#: a page count as EndNote writes one into a journal article's pages (see :func:`ris_to_record`)
_PAGE_COUNT = re.compile(r"\d{1,3}")
#: a Cochrane review's id, which the Cochrane Library's RIS gives as the AN (``CD008209``)
_COCHRANE_REVIEW = re.compile(r"CD\d{6}")
#: a PMID among the ids in a Cochrane Library RIS record's C3 (``PUBMED 28697043,EMBASE 61...``)
_C3_PUBMED = re.compile(r"(?:^|[,;]\s*)PUBMED\s+(\d+)\b")
#: an article number as EndNote keeps one in C7: digits, perhaps after a letter or two
#: (``111``, ``101576``, ``e02382``, ``eaaz7005``); not a publisher's item id (``PII S0925-...``)
_ARTICLE_NUMBER = re.compile(r"[A-Za-z]{0,4}\d{1,9}")


def split_ris(text: str, result: ReadResult, first_line: int = 1) -> list[TaggedRecord]:
    """``first_line``: the line ``text`` starts on in its file (a part read on its own)."""
    records: list[TaggedRecord] = []
    current: TaggedRecord | None = None
    last_tag = ""
    # Tags between a record's ER and the next TY: Ovid writes NL, L2 and others there, and they
    # belong to the record before them. Held aside until it is clear: an ER before the next TY
    # makes them a record of their own whose TY line is missing (kept, with a warning).
    closed: TaggedRecord | None = None
    trailing: TaggedRecord | None = None

    def settle_trailing() -> None:
        nonlocal trailing
        if trailing is not None and closed is not None:
            closed.tags.extend(trailing.tags)
            closed.raw.extend(trailing.raw)
        trailing = None

    tag_line = ris_tag_line(text)
    for lineno, line in enumerate(text.split("\n"), start=first_line):
        m = tag_line.match(line)
        if m:
            tag, value = m.group(1).upper(), (m.group(2) or "").strip()
            if tag == "TY":
                settle_trailing()
                if current is not None:
                    result.warn(
                        current.line,
                        "record has no ER line; closed at the next TY",
                        code="ris-no-er",
                    )
                    records.append(current)
                current = TaggedRecord(lineno)
                closed = None
            elif tag == "ER":
                if trailing is not None:  # a record whose TY line is missing
                    result.warn(
                        trailing.line,
                        "tags after ER and before TY end with their own ER: read as a "
                        "record of their own (its TY line is missing)",
                        code="ris-orphan-tag",
                    )
                    current, trailing = trailing, None
                if current is not None:
                    current.raw.append(line)
                    records.append(current)
                    closed = current
                current = None
                last_tag = ""
                continue
            elif current is None:
                if closed is None:
                    result.warn(
                        lineno,
                        f"tag {tag} outside a record (before any TY): starts a new record",
                        code="ris-orphan-tag",
                    )
                    current = TaggedRecord(lineno)
                else:
                    if trailing is None:
                        trailing = TaggedRecord(lineno)
                    trailing.tags.append((tag, value))
                    trailing.raw.append(line)
                    last_tag = tag
                    continue
            current.tags.append((tag, value))
            current.raw.append(line)
            last_tag = tag
            continue
        target = current if current is not None else trailing
        if target is None:
            continue  # blank lines, Ovid's "1." lines and headers between records
        if _OVID_NUMBER.match(line):
            continue
        stripped = line.strip()
        if stripped:
            target.raw.append(line)
            if last_tag and target.tags:
                # untagged text continues the previous tag's value (Ovid, wrapped abstracts)
                tag, value = target.tags[-1]
                joiner = "; " if tag in ("KW",) else " "
                target.tags[-1] = (tag, f"{value}{joiner}{stripped}" if value else stripped)
    settle_trailing()
    if current is not None and current.tags:
        result.warn(
            current.line,
            "file ends inside a record (no ER line); record kept",
            code="ris-truncated",
        )
        records.append(current)
    return records


def ris_to_record(rec: TaggedRecord, path: str, source: str) -> Record:
    if any(v == R_MISSING or "<" in v for _t, v in rec.tags):
        # an R-written export: "NA" for every empty field, and its escapes of characters
        # (keywords keep theirs: NA is also a word there)
        rec.tags = [(t, repair_r_escapes(v)) for t, v in rec.tags if v != R_MISSING or t == "KW"]
    ty = rec.first("TY").upper()
    entry_type = RIS_TYPES.get(ty, "misc")
    title = rec.first("TI", "T1", "CT") or (rec.first("BT") if entry_type == "book" else "")
    container, secondary = _ris_container(rec, entry_type, title)
    if entry_type in _PUBLISHED_BY and not container:
        container = rec.first("PB")
    authors = parse_tagged_names(rec.all("AU", "A1"))
    if not authors:
        authors = parse_tagged_names(rec.all("A3", "A4"))
    sp, ep = rec.first("SP"), rec.first("EP")
    pages = normalize_pages(f"{sp}-{ep}" if sp and ep and "-" not in sp else sp)
    page_count = ""
    if entry_type == "article" and not ep and _PAGE_COUNT.fullmatch(sp.strip()):
        number = rec.first("C7").strip()
        if _ARTICLE_NUMBER.fullmatch(number):
            # EndNote's record of a Web of Science article that has an article number and no
            # page range: EndNote files the number as its Article Number (C7) and the article's
            # page count, Web of Science's PG, as its pages, so ``SP 18`` stands beside ``C7
            # 111``, where PubMed gives the page ``111``. The article number is the place, as
            # the Web of Science reader takes its AR; the count is kept in ``ris_sp``
            pages, page_count = number, sp.strip()
    elif entry_type == "article" and not sp and not ep:
        number = rec.first("C7").strip()
        if _ARTICLE_NUMBER.fullmatch(number):
            # Web of Science's RIS of an article with an article number gives it as C7 and no
            # SP (a third of one review's records): the number is its place, as above (the
            # tag is still kept, as ``ris_c7``)
            pages = number
    if not pages and entry_type == "article" and _COCHRANE_REVIEW.fullmatch(rec.first("AN")):
        # the Cochrane Library's RIS of a review: its id (``AN CD008209``) is its article number,
        # which PubMed gives as its pages (the AN stays the record's id)
        pages = rec.first("AN")
    doi = ""
    for cand in rec.all("DO", "DI", "M3", "UR", "L3"):
        d = normalize_doi(cand)
        if d.startswith("10."):
            doi = d
            break
    used = {
        "TY",
        "TI",
        "T1",
        "CT",
        "BT",
        "T2",
        "JF",
        "JO",
        "J2",
        "JA",
        "J1",
        "T3",
        "AU",
        "A1",
        "SP",
        "EP",
        "DO",
        "DI",
        "PY",
        "Y1",
        "DA",
        "VL",
        "IS",
        "CP",
        "AB",
        "N2",
        "KW",
        "UR",
        "LA",
        "ER",
        "AN",
        "ID",
    }
    extra = _extra(
        rec,
        used | {"A2", "ED", "SN"},
        {"PB": "publisher", "CY": "address", "N1": "note", "ET": "edition"},
        prefix="ris_",
    )
    for number in rec.all("SN"):
        # RIS has one tag for both: an ISBN by its shape (10 or 13 digits), else an ISSN
        digits = re.sub(r"[\s-]", "", number.split("(")[0])  # "978-0-335-24479-9 (pbk.)"
        name = "isbn" if _ISBN_SHAPE.fullmatch(digits) else "issn"
        extra[name] = f"{extra[name]}; {number}" if name in extra else number
    editors = parse_tagged_names(rec.all("A2", "ED"))
    if editors:
        from litreview.io.bibtex import format_names

        extra["editor"] = format_names(editors)  # a BibTeX name list, organisations braced
    if entry_type in _PUBLISHED_BY and container == rec.first("PB"):
        extra.pop("publisher", None)
    if secondary:
        extra["ris_t2"] = secondary
    if page_count:
        extra["ris_sp"] = page_count
        extra.pop("ris_c7", None)
    for tag in ("DO", "DI"):
        # a DOI line that is not the DOI taken (a PMID, another site's link, a second DOI)
        unplaced = [clean_text(v) for v in rec.all(tag) if normalize_doi(v) not in ("", doi)]
        if unplaced:
            extra["ris_" + tag.lower()] = "; ".join(dict.fromkeys(unplaced))
    # a tag read for one field, given more than once: the values past the one the field took
    # are kept, never dropped (a translated title in a second TI, EndNote's UR line per link)
    url = next((u for u in rec.all("UR", "L2") if not normalize_doi(u).startswith("10.")), "")
    more_urls = [u for u in rec.all("UR") if u != url and not normalize_doi(u).startswith("10.")]
    if more_urls:
        extra["ris_ur"] = "; ".join(dict.fromkeys(more_urls))
    abstract = rec.first("AB", "N2")
    more_abstracts = [a for a in rec.all("AB", "N2") if a != abstract]
    if more_abstracts:  # EndNote's N2 beside an AB that says something else
        extra["ris_n2"] = "; ".join(dict.fromkeys(clean_text(a) for a in more_abstracts))
    given = rec.first("TI", "T1", "CT")
    more_titles = [
        t
        for t in rec.all("TI", "T1")
        if t != given and not _same_title(clean_text(t), clean_text(title))
    ]
    if more_titles and title:
        extra["ris_ti"] = "; ".join(dict.fromkeys(clean_text(t) for t in more_titles))
    oid = rec.first("AN", "ID") or None
    language = rec.first("LA")
    if not oid or not language:
        # EBSCOhost's RIS has no AN or LA line: its N1 note names them (``Accession Number:
        # 134630660; Authors: ...; Language: Portuguese``; the note is kept as written)
        note = rec.first("N1") if rec.first("DP") == "EBSCOhost" else ""
        fields = dict(_EBSCO_NOTE_FIELD.findall(note))
        oid = oid or fields.get("Accession Number", "").strip() or None
        language = language or fields.get("Language", "").strip()
    pmid = _ovid_medline_pmid(rec, oid)
    if not pmid:
        # the Cochrane Library's RIS of a CENTRAL trial names its other databases' ids in C3
        # (``PUBMED 28697043,EMBASE 617000001``; kept as ris_c3)
        cited = _C3_PUBMED.search(rec.first("C3"))
        pmid = normalize_pmid(cited[1]) if cited else ""
    if not pmid:
        pmid = _embase_medline_pmid(rec)
    if not pmid:
        # Epistemonikos's RIS names a record's PMID in U1 the way PubMed's search does
        # (``U1  - 14702908[pmid]``; kept as ris_u1)
        marked = _PMID_MARKED.fullmatch(rec.first("U1").strip())
        pmid = normalize_pmid(marked[1]) if marked else ""
    if not pmid:
        pmid = _pubmed_accession_number(rec)
        if pmid:  # the database's name said what the AN is; the PMID now says it
            for name in ("ris_db", "ris_dp"):
                if _PUBMED_DATABASE.search(extra.get(name, "")):
                    del extra[name]
            if KEY_SHAPE.match(rec.first("ID")):
                # litreview's own export: the AN is the PMID, kept as such; the ID is the
                # citation key, which a re-import keeps when it is the record's id
                oid = rec.first("ID")
    return Record(
        key="",
        entry_type=entry_type,
        pmid=pmid,
        title=clean_text(title),
        authors=authors,
        year=parse_year(rec.first("PY", "Y1", "DA")),
        container=clean_text(container),
        volume=rec.first("VL"),
        issue=rec.first("IS", "CP"),
        pages=pages,
        doi=doi,
        url=url,
        abstract=clean_text(abstract),
        keywords=_keywords(rec.all("KW")),
        language=language,
        provenance=(Provenance(source, path, rec.line, oid),),
        extra=tuple(sorted(extra.items())),
    )


#: Ovid's link to a record: ``D=`` names the database segment (``med8``, ``medp``, ``prem``: Ovid
#: MEDLINE and its in-process and ahead-of-print parts; Embase's are ``emed...``, ``emex...``)
_OVID_MEDLINE_LINK = re.compile(r"ovidweb\.cgi\?.*\bD=(?:med[a-z0-9]*|prem)&", re.IGNORECASE)


def _ovid_medline_pmid(rec: TaggedRecord, oid: str | None) -> str:
    """The PMID of an Ovid MEDLINE record: Ovid gives MEDLINE records their PubMed id as the
    accession number, and names the database only in the record's link. With it, the record
    and a PubMed export's record of the same article share an identifier."""
    if not oid or not oid.isdigit():
        return ""
    if any(_OVID_MEDLINE_LINK.search(u) for u in rec.all("L2", "UR")):
        return normalize_pmid(oid)
    return ""


#: an ISBN-10 or ISBN-13 without its hyphens and spaces
_ISBN_SHAPE = re.compile(r"(?:97[89])?\d{9}[\dXx]")
#: the name of a database whose accession numbers are PMIDs (RIS ``DB``, or ``DP``, the database
#: provider): EndNote's records from PubMed carry their PMID as the Accession Number (``AN``)
_PUBMED_DATABASE = re.compile(r"\b(?:pubmed|medline|nlm)\b", re.IGNORECASE)


#: a field of EBSCOhost's RIS note (N1): ``Accession Number: 134630660; Authors: ...; Language:
#: Portuguese``
_EBSCO_NOTE_FIELD = re.compile(r"(?:^|; )(Language|Accession Number): ([^;]+)")
#: a PMID with PubMed's search tag after it (``14702908[pmid]``), as Epistemonikos writes one
_PMID_MARKED = re.compile(r"(\d{1,9})\s*\[pmid\]", re.IGNORECASE)
#: Embase.com's record: its link (``www.embase.com/search/results?subaction=viewrecord``), its
#: id (``U2 L2028768535``), or a database line naming Embase
_EMBASE_LINK = re.compile(r"//(?:www\.)?embase\.com/", re.IGNORECASE)
_EMBASE_ID = re.compile(r"L\d{6,}")


def _embase_medline_pmid(rec: TaggedRecord) -> str:
    """The PMID of an Embase.com record that is also in MEDLINE: Embase's RIS gives it as
    ``C5`` (its C1-C4 are drug and device trade names and manufacturers), and EndNote keeps
    it as Custom 5. Taken only from a record that is Embase's by its link, its ``U2`` id or a
    ``DB`` naming Embase; the field stays as written (``ris_c5``)."""
    number = rec.first("C5").strip()
    if not number.isdigit():
        return ""
    if (
        any("embase" in d.lower() for d in rec.all("DB"))
        or any(_EMBASE_LINK.search(u) for u in rec.all("UR", "L2"))
        or _EMBASE_ID.fullmatch(rec.first("U2").strip())
    ):
        return normalize_pmid(number)
    return ""


def _pubmed_accession_number(rec: TaggedRecord) -> str:
    """The PMID of a record whose accession number (``AN``) is one: the record names PubMed,
    MEDLINE or NLM as its database (``DB``) or database provider (``DP``), as EndNote writes
    records it took from PubMed and as ``litreview export --format ris`` writes a record's PMID.
    """
    number = rec.first("AN")
    if not number or not number.isdigit():
        return ""
    if any(_PUBMED_DATABASE.search(d) for d in rec.all("DB", "DP")):
        return normalize_pmid(number)
    return ""


def _ris_container(rec: TaggedRecord, entry_type: str, title: str) -> tuple[str, str]:
    """The container, and a T2 that is not one (kept in ``extra``; "" when there is none).

    Most exporters put a journal article's journal in T2, but Ovid writes it in JF and puts
    MEDLINE's title in the original language in T2 (``Ist die Verwendung von LSD-25 ...`` for an
    article in Der Nervenarzt), and Ovid's Cochrane CENTRAL records repeat the title in T2 and
    name the journal in JA only. So a journal article's JF or JO comes before T2, and a T2 that
    only repeats the title is no container.
    """
    secondary = rec.first("T2")
    if secondary and _same_title(secondary, title):
        secondary = ""  # the title again: nothing to keep
    journal = rec.first("JF", "JO") if entry_type == "article" else ""
    if journal:
        return journal, "" if _same_title(secondary, journal) else secondary
    if secondary:
        return secondary, ""
    if entry_type == "inproceedings" and rec.first("C3"):
        # RIS's proceedings title (Zotero's RIS gives a paper's only in C3; Scopus's gives it
        # there and its abbreviation in J2); the tag is kept as ris_c3
        return rec.first("C3"), ""
    if entry_type == "incollection":
        return rec.first("BT", "T3"), ""
    return rec.first("JF", "JO", "J2", "JA", "J1", "BT", "T3"), ""


def _same_title(a: str, b: str) -> bool:
    """``title_key(a) == title_key(b)``, without the keys when the first characters already
    differ: an ASCII letter or digit opens a title's key as it is, lower-cased. Most records
    ask this of a journal's name against an article's title."""
    x, y = a[:1], b[:1]
    if x.isascii() and y.isascii() and x.isalnum() and y.isalnum() and x.lower() != y.lower():
        return False
    return title_key(a) == title_key(b)


def _keywords(values: list[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for v in values:
        for k in split_keywords(v) if ";" in v else (clean_text(v),):
            if k:
                out[k] = None
    return tuple(out)


def _extra(rec: TaggedRecord, used: set[str], named: dict[str, str], prefix: str) -> dict[str, str]:
    extra: dict[str, str] = {}
    for tag, value in rec.tags:
        if tag in used or not value:
            continue
        name = named.get(tag, prefix + tag.lower().strip())
        extra[name] = f"{extra[name]}; {value}" if name in extra else value
    return extra


# --- PubMed / MEDLINE -------------------------------------------------------------------------

_MEDLINE_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- (.*)$")


#: the line Ovid's own export (its "Citavi" and "EndNote" downloads, fields "Complete
#: Reference") opens each record with: ``<1. >``. A blank line inside such a record (an abstract's
#: paragraphs) does not end it: the next number line does
_OVID_NUMBER = re.compile(r"^<\d+\. >\s*$")


def split_medline(text: str, result: ReadResult, first_line: int = 1) -> list[TaggedRecord]:
    records: list[TaggedRecord] = []
    current: TaggedRecord | None = None
    ovid = False  # a record number line seen: records end only at the next one
    for lineno, line in enumerate(text.split("\n"), start=first_line):
        if _OVID_NUMBER.match(line):
            ovid = True
            if current is not None:
                records.append(current)
            current = TaggedRecord(lineno, raw=[line])
            continue
        m = _MEDLINE_LINE.match(line)
        if m:
            tag, value = m.group(1), m.group(2).strip()
            if tag == "PMID" or current is None:
                if current is not None:
                    records.append(current)
                current = TaggedRecord(lineno)
            elif not current.tags:
                # an Ovid record's first field: the record is where its fields start, as a
                # version that read no number lines kept it (an upgrade's import of the same
                # export then knows its records by their lines)
                current.line = lineno
            current.tags.append((tag, value))
            current.raw.append(line)
        elif line.startswith((" ", "\t")) and line.strip() and current is not None and current.tags:
            tag, value = current.tags[-1]
            current.tags[-1] = (tag, f"{value} {line.strip()}")
            current.raw.append(line)
        elif not line.strip():
            if current is not None and ovid:
                current.raw.append(line)
            elif current is not None:
                records.append(current)
                current = None
        elif current is not None:
            result.warn(
                lineno, f"unrecognised line kept in the record: {line[:40]!r}", code="medline-line"
            )
            current.raw.append(line)
    if current is not None:
        records.append(current)
    return records


_MEDLINE_TYPES = {"Journal Article": "article", "Book": "book", "Book Chapter": "incollection"}
#: ERIC's publication types (its export borrows PubMed's format, with no PMID), read when none of
#: PubMed's is given: a journal article first, as ERIC lists a report's kind beside it
_ERIC_TYPES = (
    ("Journal Articles", "article"),
    ("Books", "book"),
    ("Collected Works - Proceedings", "proceedings"),
    ("Dissertations/Theses - Masters Theses", "mastersthesis"),
    ("Dissertations/Theses", "phdthesis"),
    ("Speeches/Meeting Papers", "inproceedings"),
    ("Reports", "techreport"),
)
#: an editor in ERIC's author lines: ``Stamper, John, Ed.``
_EDITOR_MARK = re.compile(r",\s*Eds?\.?\s*$")
#: ERIC's ISSN line: ``ISSN-0022-0663``, ``EISSN-1835-9132``
_ISSN_MARK = re.compile(r"^E?ISSN-", re.IGNORECASE)


def _medline_type(pts: list[str]) -> str:
    found = next((_MEDLINE_TYPES[p] for p in pts if p in _MEDLINE_TYPES), None)
    if found is not None:
        return found
    for kind, entry_type in _ERIC_TYPES:
        if any(p == kind or p.startswith(kind + " - ") for p in pts):
            return entry_type
    return "article"


def medline_to_record(rec: TaggedRecord, path: str, source: str) -> Record:
    authors: tuple[Name, ...] = parse_tagged_names(rec.all("FAU"))
    editors: tuple[Name, ...] = ()
    if not authors:
        named = rec.all("AU")
        marked = [n for n in named if _EDITOR_MARK.search(n)]
        if marked:  # ERIC: a volume's editors among (or as) its authors
            editors = parse_tagged_names(_EDITOR_MARK.sub("", n) for n in marked)
            named = [n for n in named if not _EDITOR_MARK.search(n)]
        authors = parse_tagged_names(named)
    # a group author (CN, "collective name") is one of the authors, listed where PubMed shows
    # it: after the named ones
    authors += tuple(Name(last=c, corporate=True) for c in rec.all("CN"))
    doi = ""
    for cand in rec.all("LID", "AID"):
        if cand.endswith("[doi]"):
            doi = normalize_doi(cand)
            break
    # ERIC writes links, not PubMed's "value [kind]": a DOI as its resolver's address, and
    # the record's own page
    links = [v for v in rec.all("LID", "AID") if v.startswith(("http://", "https://"))]
    if not doi:
        doi = next((d for d in map(normalize_doi, links) if d.startswith("10.")), "")
    urls = [u for u in links if not normalize_doi(u).startswith("10.")]
    pts = rec.all("PT")
    entry_type = _medline_type(pts)
    used = {
        "PMID",
        "TI",
        "AB",
        "FAU",
        "AU",
        "DP",
        "JT",
        "TA",
        "VI",
        "IP",
        "PG",
        "LID",
        "AID",
        "MH",
        "OT",
        "LA",
        "PT",
        "CN",
        "BTI",
    }
    extra = _extra(
        rec,
        used | {"ISSN"},
        {"IS": "issn", "AD": "affiliation", "PL": "address", "ISBN": "isbn"},
        prefix="medline_",
    )
    issns = [_ISSN_MARK.sub("", v) for v in rec.all("ISSN") if v]
    if issns:
        extra["issn"] = "; ".join(dict.fromkeys(filter(None, [extra.get("issn", ""), *issns])))
    if pts:
        extra["publication_type"] = "; ".join(dict.fromkeys(pts))
    if len(urls) > 1:
        extra["medline_url"] = "; ".join(dict.fromkeys(urls[1:]))
    if editors:
        from litreview.io.bibtex import format_names

        extra["editor"] = format_names(editors)
    oid = rec.first("OID")
    pmid = normalize_pmid(rec.first("PMID"))
    record = Record(
        key="",
        entry_type=entry_type,
        title=clean_text(rec.first("TI", "BTI")).rstrip("."),
        authors=authors,
        year=parse_year(rec.first("DP")),
        container=clean_text(rec.first("JT", "TA")),
        volume=rec.first("VI"),
        issue=rec.first("IP"),
        pages=normalize_pages(rec.first("PG")),
        doi=doi,
        pmid=pmid,
        url=urls[0] if urls else "",
        abstract=clean_text(rec.first("AB")),
        keywords=_keywords(rec.all("OT") + rec.all("MH")),
        language=rec.first("LA"),
        provenance=(Provenance(source, path, rec.line, pmid or oid or None),),
        extra=tuple(sorted(extra.items())),
    )
    if (rec.raw and _OVID_NUMBER.match(rec.raw[0])) or rec.first("VN").startswith("Ovid"):
        return _ovid_fields(rec, record, extra, source, path)
    return record


#: what PsycInfo (through Ovid) adds to the title of a record that lists its references
_REFERENCES_MARK = re.compile(r"\s*\[References\]\.?$")
#: Ovid's page field when there are none
_NO_PAGES = re.compile(r"^no pagination", re.IGNORECASE)
#: a database whose records' unique identifier (``UI``) is the PMID (Ovid MEDLINE(R), ...)
_OVID_PUBMED_DB = re.compile(r"\b(?:medline|pubmed)\b", re.IGNORECASE)


def _ovid_fields(
    rec: TaggedRecord, record: Record, extra: dict[str, str], source: str, path: str
) -> Record:
    """A record of Ovid's own tagged export, whose tags are Ovid's, not PubMed's: ``JN`` the
    journal, ``VO`` the volume, ``YR`` the year, ``DO`` the DOI (as a link), ``ID`` the
    keywords (PsycInfo's), ``UI`` the database's id (a MEDLINE segment's is the PMID) and ``SO``
    the source citation, which gives the journal, volume, issue and pages an Embase record has
    no field for (it stays, as ``medline_so``, and so does every tag read here)."""
    from dataclasses import replace

    from litreview.io._csvfile import _OVID_JOURNAL, _ovid_source

    values = {
        "container": rec.first("JN"),
        "volume": rec.first("VO"),
        "issue": rec.first("IP"),
        "year": rec.first("YR"),
        "doi": normalize_doi(rec.first("DO")),
    }
    pages = rec.first("PG")
    if pages and not _NO_PAGES.match(pages):
        values["pages"] = pages
    values = {k: v for k, v in values.items() if v}
    so = rec.first("SO")
    if so:
        _ovid_source(values, {"so": so})
        journal = _OVID_JOURNAL.match(so)
        if journal and "container" not in values:
            values["container"] = journal["journal"]
    for tag in ("JN", "VO", "YR", "ID"):  # kept as written: the reader's own fields are theirs
        if rec.first(tag):
            extra["medline_" + tag.lower()] = "; ".join(rec.all(tag))
    if rec.first("PG") and "pages" not in values:
        extra["medline_pg"] = rec.first("PG")
    title = record.title
    marked = _REFERENCES_MARK.search(title)
    if marked:  # PsycInfo's note that the record lists its references: not the title's words
        extra["medline_ti"] = title
        title = title[: marked.start()].rstrip(" .")
    ui = rec.first("UI")
    pmid = record.pmid
    if not pmid and ui.isdigit() and _OVID_PUBMED_DB.search(rec.first("DB")):
        pmid = normalize_pmid(ui)
    keywords = record.keywords + tuple(
        k for v in rec.all("ID") for k in split_keywords(v) if k not in record.keywords
    )
    oid = pmid or rec.first("AN") or ui or None
    doi = values.get("doi", "")
    return replace(
        record,
        title=title,
        container=clean_text(values.get("container", "")) or record.container,
        volume=values.get("volume", "") or record.volume,
        issue=values.get("issue", "") or record.issue,
        pages=normalize_pages(values.get("pages", "")),
        year=parse_year(values.get("year", "")) or record.year,
        doi=record.doi or (doi if looks_like_doi(doi) else ""),
        pmid=pmid,
        keywords=keywords,
        language=record.language or rec.first("LG"),
        provenance=(Provenance(source, path, rec.line, oid),),
        extra=tuple(sorted(extra.items())),
    )


# --- Web of Science ---------------------------------------------------------------------------

_WOS_LINE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_WOS_TYPES = {"J": "article", "B": "book", "S": "incollection", "P": "patent", "C": "inproceedings"}


def split_wos(text: str, result: ReadResult, first_line: int = 1) -> list[TaggedRecord]:
    records: list[TaggedRecord] = []
    current: TaggedRecord | None = None
    for lineno, line in enumerate(text.split("\n"), start=first_line):
        if line.startswith("   ") and current is not None and current.tags:
            tag, _ = current.tags[-1]
            current.tags.append((tag, line.strip()))
            current.raw.append(line)
            continue
        m = _WOS_LINE.match(line)
        if not m:
            if line.strip() and current is not None:
                result.warn(
                    lineno, f"unrecognised line kept in the record: {line[:40]!r}", code="wos-line"
                )
                current.raw.append(line)
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag in ("FN", "VR", "EF") and current is None:
            continue
        if tag == "ER":
            if current is not None:
                current.raw.append(line)
                records.append(current)
            current = None
            continue
        if current is None:
            current = TaggedRecord(lineno)
        elif tag == "PT":
            result.warn(
                current.line, "record has no ER line; closed at the next PT", code="wos-no-er"
            )
            records.append(current)
            current = TaggedRecord(lineno)
        current.tags.append((tag, value))
        current.raw.append(line)
    if current is not None and current.tags:
        result.warn(
            current.line,
            "file ends inside a record (no ER line); record kept",
            code="wos-truncated",
        )
        records.append(current)
    return records


def wos_to_record(rec: TaggedRecord, path: str, source: str) -> Record:
    names = rec.all("AF") or rec.all("AU")
    authors = parse_tagged_names(names)
    if not authors:
        authors = tuple(Name(last=c, corporate=True) for c in rec.all("CA"))
    bp, ep = rec.first("BP"), rec.first("EP")
    # Zoological Record, in this layout, gives the page span (or article id) as PS, never BP
    pages = normalize_pages(f"{bp}-{ep}" if bp and ep else bp or rec.first("AR") or rec.first("PS"))
    kw: list[str] = []
    for v in rec.all("DE") + rec.all("ID"):
        kw.extend(split_keywords(v))
    used = {
        "PT",
        "AU",
        "AF",
        "TI",
        "SO",
        "PY",
        "VL",
        "IS",
        "BP",
        "EP",
        "DI",
        "AB",
        "DE",
        "ID",
        "UT",
        "PM",
        "LA",
        "CA",
        "AR",
        "ER",
        "FN",
        "VR",
    }
    # multi-line fields such as C1 and CR repeat the tag per line; join them
    extra = _extra(
        rec,
        used,
        {"PU": "publisher", "SN": "issn", "DT": "document_type", "J9": "journal_abbreviation"},
        prefix="wos_",
    )
    oid = rec.first("UT") or None
    doi, unplaced = placed_doi(rec.first("DI"))
    if unplaced:
        extra["wos_di"] = unplaced
    return Record(
        key="",
        entry_type=_WOS_TYPES.get(rec.first("PT"), "article"),
        title=clean_text(" ".join(rec.all("TI"))),
        authors=authors,
        # an article online before its issue has no PY: its early access year (EY), or date
        # (EA, ``JUL 2021``; kept as wos_ea), is the year other databases give it
        year=parse_year(rec.first("PY")) or parse_year(rec.first("EY", "EA")),
        container=clean_text(" ".join(rec.all("SO"))),
        volume=rec.first("VL"),
        issue=rec.first("IS"),
        pages=pages,
        doi=doi,
        pmid=normalize_pmid(rec.first("PM")),
        abstract=clean_text(" ".join(rec.all("AB"))),
        keywords=tuple(dict.fromkeys(kw)),
        language=rec.first("LA"),
        provenance=(Provenance(source, path, rec.line, oid),),
        extra=tuple(sorted(extra.items())),
    )


# --- shared driver ----------------------------------------------------------------------------

Splitter = Callable[[str, ReadResult, int], list[TaggedRecord]]
Mapper = Callable[[TaggedRecord, str, str], Record]


def read_tagged(
    text: str, path: str, source: str, fmt: str, tick: Tick | None = None
) -> ReadResult:
    """``tick`` hears the line each record starts on.

    A large file is read in parts, one per core (see :mod:`litreview.workers`), each cut where a
    record starts and nothing read before it changes how it is read (after a RIS or Web of
    Science record's ``ER`` line, after a blank line in MEDLINE), so each part reads as it does
    within the whole file.
    """
    from litreview.workers import TEXT_PART_CHARS, split_map, worker_count

    parts = _parts(text, fmt, worker_count(len(text), min_per_worker=TEXT_PART_CHARS))
    if parts:
        read = split_map(
            lambda a, b: [
                _read_records(text[start:stop], path, source, fmt, None, line)
                for start, stop, line in parts[a:b]
            ],
            len(parts),
            workers=len(parts),
        )
        whole = ReadResult(path=path, format=fmt)
        rejected: list[Problem] = []
        for r in read:
            # a whole read reports what splitting noticed, then the records it rejected: each
            # part's problems end with one per reject
            noticed = len(r.problems) - len(r.rejects)
            whole.records.extend(r.records)
            whole.rejects.extend(r.rejects)
            whole.problems.extend(r.problems[:noticed])
            rejected.extend(r.problems[noticed:])
        whole.problems.extend(rejected)
        if tick is not None:
            tick(text.count("\n") + 1)
        return whole
    return _read_records(text, path, source, fmt, tick)


def _ris_cut(text: str, at: int) -> bool:
    # after ER nothing is carried over (tags between ER and the next TY are, so those cuts wait),
    # and the line at the cut must be a TY the reader takes as a tag ("TY  -JOUR" is not one)
    stop = text.find("\n", at + 1)
    starts = _RIS_LINE.match(text[at + 1 : stop if stop >= 0 else len(text)])
    ended = _RIS_LINE.match(_line_before(text, at))
    return (
        starts is not None
        and starts.group(1) == "TY"
        and ended is not None
        and ended.group(1) == "ER"
    )


def _medline_cut(text: str, at: int) -> bool:
    # a blank line closes the record before it, and nothing else is carried over
    return at > 0 and not text[text.rfind("\n", 0, at) + 1 : at].strip()


def _wos_cut(text: str, at: int) -> bool:
    # after ER nothing is carried over; untagged lines before the next PT are skipped
    ended = _WOS_LINE.match(_line_before(text, at))
    return ended is not None and ended.group(1) == "ER"


#: per format: a line that starts a record (found after a line break), and whether a record
#: starting on the line after ``text[at]`` (a line break) reads alone as it does in the whole
_CUTS: dict[str, tuple[re.Pattern[str], Callable[[str, int], bool]]] = {
    "ris": (re.compile(r"\nTY  ?-"), _ris_cut),
    "medline": (re.compile(r"\nPMID- "), _medline_cut),
    "wos": (re.compile(r"\nPT "), _wos_cut),
}


def _parts(text: str, fmt: str, count: int) -> list[tuple[int, int, int]]:
    """``(start, stop, first line)`` of ``count`` parts of ``text``, each cut where a record starts
    and nothing read before it changes how it is read (``_CUTS``); none when there is one part
    or no such cut is found."""
    if count < 2 or fmt not in _CUTS:
        return []
    starts, safe = _CUTS[fmt]
    cuts = [0]
    share = 0.9 / count  # the forked parts a little smaller: their records travel back pickled
    for i in range(1, count):
        at = max(int(len(text) * share * i), cuts[-1] + 1)
        limit = int(len(text) * share * (i + 1))  # no further than the next part's target
        while (m := starts.search(text, at, limit)) is not None:
            if safe(text, m.start()):
                cuts.append(m.start() + 1)
                break
            at = m.end()
        if len(cuts) == i:  # no cut found for this part: read the file whole
            return []
    if len(cuts) < 2:
        return []
    return text_parts(text, cuts)


def _line_before(text: str, end: int, blank: int = 100) -> str:
    """The last line with something on it that ends at or before ``end`` ("" when there is none
    within ``blank`` blank lines: a cut is then not tried there)."""
    for _ in range(blank + 1):
        if end <= 0:
            break
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line.strip():
            return line
        end = start - 1
    return ""


def _read_records(
    text: str, path: str, source: str, fmt: str, tick: Tick | None, first_line: int = 1
) -> ReadResult:
    splitter, mapper = _FORMATS[fmt]
    result = ReadResult(path=path, format=fmt)
    for rec in splitter(text, result, first_line):
        if tick is not None:
            tick(rec.line)
        record = mapper(rec, path, source)
        if not identifiable(record):
            result.reject(
                rec.line,
                "record has no title, author, DOI or PMID: nothing identifies the work",
                "\n".join(rec.raw),
            )
            continue
        for name, tag in _DOI_LINES.get(fmt, ()):
            kept = next((v for k, v in record.extra if k == name), "")
            if kept and not all(looks_like_doi(normalize_doi(v)) for v in kept.split("; ")):
                oid = record.provenance[0].original_id if record.provenance else None
                warn_not_a_doi(result, rec.line, oid, f"the {tag} line", kept, name)
        result.records.append(record)
    return result


#: per format: the field a DOI tag's values that are not the record's DOI are kept under
_DOI_LINES = {"ris": (("ris_do", "DO"), ("ris_di", "DI")), "wos": (("wos_di", "DI"),)}


_FORMATS: dict[str, tuple[Splitter, Mapper]] = {
    "ris": (split_ris, ris_to_record),
    "medline": (split_medline, medline_to_record),
    "wos": (split_wos, wos_to_record),
}
