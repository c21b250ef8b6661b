"""EBSCOhost's CSV export (CINAHL and the other EBSCO databases): its JSON record flattened, a
row a record, each column named by a JSON path (``jinfo/jtl``, ``pubinfo/dt/_year``,
``artinfo/tig/atl``, ``artinfo/aug/au/0``, ``artinfo/ui/1/__text``, ...).

Read as an ordinary table, no column was known by name: a 168-record CINAHL export gave no
record and 168 rejects ("nothing identifies the work").

What the paths hold: ``artinfo/tig/atl`` the title, ``artinfo/aug/au/N`` the authors (in the
order of N), ``jinfo/jtl`` the journal, ``pubinfo/dt/_year`` the year, ``pubinfo/vid`` and
``pubinfo/iid`` the volume and issue, ``artinfo/ab/N`` the abstracts, ``artinfo/ui/N/_type``
and ``__text`` the identifiers (``doi``, ``pmid`` as ``NLM31530099``),
``artinfo/sug/subj/N/__text`` the subject headings (``_type`` ``major``, ``minor``, ``age``,
``gender``) and ``header/_uiTerm`` the accession number. ``artinfo/ppf`` is the first page and
``artinfo/ppct`` a page count, not a last page (a supplement's ``S51`` has a count of 1 where
another database gives ``S51-S62``): the pages are the first page alone and the count is kept
as ``page_count``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from litreview.text.normalize import clean_text

#: a column named by a JSON path: words apart by ``/``, no spaces
_PATH = re.compile(r"[A-Za-z_]\w*(?:/\w+)+")
#: paths whose value fills a record's own field
_FIELDS = {
    "artinfo/tig/atl": "title",
    "jinfo/jtl": "container",
    "pubinfo/dt/_year": "year",
    "pubinfo/vid": "volume",
    "pubinfo/iid": "issue",
    "artinfo/ppf": "pages",
    "language": "language",
    "header/_uiterm": "id",
}
#: paths kept in ``extra`` under a name of their own; any other path is kept under its
#: segments joined by ``_`` (``artinfo/formats`` as ``artinfo_formats``)
_NAMES = {
    "jinfo/issn": "issn",
    "pubinfo/dt/_month": "month",
    "pubinfo/dt/_day": "day",
    "pubinfo/dt/__text": "date_of_publication",
    "artinfo/ppct": "page_count",
    "artinfo/aug/affil": "affiliation",
    "artinfo/pubtype": "publication_type",
    "pubinfo/place": "address",
    "header/displayinfo/plink/url": "ebsco_link",
    "header/_shortdbname": "database",
    "header/_longdbname": "database_name",
    "_resultid": "result_number",
}
#: the numbered paths: an author, an abstract, a document type, an identifier's or a subject
#: heading's type or text
_NUMBERED = re.compile(
    r"artinfo/(?:(?P<list>aug/au|ab|doctype)/(?P<n>\d+)"
    r"|(?P<pair>ui|sug/subj)/(?P<m>\d+)/(?P<part>_type|__text))"
)


def is_ebsco_paths(header: list[str]) -> bool:
    """Whether a header names its columns by EBSCO's JSON paths: three or more paths, one of
    them an article's or a journal's (a table with a ``notes/comments`` column is a table)."""
    paths = [h.strip().lower() for h in header if _PATH.fullmatch(h.strip())]
    return len(paths) >= 3 and any(p.startswith(("artinfo/", "jinfo/")) for p in paths)


@dataclass
class EbscoRow:
    """One row's values, as the CSV reader's record maker takes them."""

    values: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


def _name(path: str) -> str:
    return _NAMES.get(path) or re.sub(r"[^a-z0-9]+", "_", path).strip("_") or "column"


def _keep(extra: dict[str, str], name: str, value: str) -> None:
    """``value`` kept under ``name``, or ``name_2``, ``name_3``, ... when that is taken."""
    key, n = name, 1
    while key in extra:
        n += 1
        key = f"{name}_{n}"
    extra[key] = clean_text(value)


def read_ebsco_row(header: list[str], row: list[str]) -> EbscoRow:
    """A row's fields: the numbered paths taken in the order of their numbers (not of their
    columns, which the export adds as later records need them), every other non-empty cell
    kept under a name."""
    out = EbscoRow()
    lists: dict[str, dict[int, str]] = {"aug/au": {}, "ab": {}, "doctype": {}}
    pairs: dict[str, dict[int, dict[str, str]]] = {"ui": {}, "sug/subj": {}}
    for head, cell in zip(header, row, strict=False):
        cell = cell.strip()
        if not cell:
            continue
        path = head.strip().lower()
        numbered = _NUMBERED.fullmatch(path)
        if numbered and numbered["list"]:
            lists[numbered["list"]][int(numbered["n"])] = cell
        elif numbered:
            pairs[numbered["pair"]].setdefault(int(numbered["m"]), {})[numbered["part"]] = cell
        elif path in _FIELDS and _FIELDS[path] not in out.values:
            out.values[_FIELDS[path]] = cell
        else:
            _keep(out.extra, _name(path), cell)
    out.authors = [lists["aug/au"][n] for n in sorted(lists["aug/au"])]
    abstracts = [lists["ab"][n] for n in sorted(lists["ab"])]
    if abstracts:  # a second language's abstract kept as abstract_2
        out.values["abstract"] = abstracts[0]
        for n, text in enumerate(abstracts[1:], 2):
            out.extra[f"abstract_{n}"] = clean_text(text)
    doctypes = [lists["doctype"][n] for n in sorted(lists["doctype"])]
    if doctypes:
        out.extra["document_type"] = clean_text("; ".join(dict.fromkeys(doctypes)))
    for n in sorted(pairs["ui"]):
        kind = pairs["ui"][n].get("_type", "").lower()
        text = pairs["ui"][n].get("__text", "")
        if kind in ("doi", "pmid") and text and kind not in out.values:
            out.values[kind] = text
        elif text:
            _keep(out.extra, re.sub(r"[^a-z0-9]+", "_", kind).strip("_") or "identifier", text)
        else:
            _keep(out.extra, "identifier_type", kind)
    # the subject headings are the keywords; which kind each is (major, minor, age, gender)
    # is kept as the headings of each kind, ``subjects_major``, ``subjects_minor``, ...
    kinds: dict[str, list[str]] = {}
    for n in sorted(pairs["sug/subj"]):
        kind = pairs["sug/subj"][n].get("_type", "").lower()
        text = clean_text(pairs["sug/subj"][n].get("__text", ""))
        if text:
            out.keywords.append(text)
            if kind:
                kinds.setdefault(kind, []).append(text)
        elif kind:
            _keep(out.extra, "subject_type", kind)
    for kind, texts in kinds.items():
        name = re.sub(r"[^a-z0-9]+", "_", kind).strip("_") or "other"
        _keep(out.extra, f"subjects_{name}", "; ".join(dict.fromkeys(texts)))
    # no ``_year``: the year read from the date's text (``Jul/Aug2016``)
    if "year" not in out.values and out.extra.get("date_of_publication"):
        out.values["year"] = out.extra["date_of_publication"]
    return out
