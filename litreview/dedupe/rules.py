"""What a record is, for deduplication: its comparable features and the never-merge rules.

Everything here derives from the shared normalisers in :mod:`litreview.normalize` and
:mod:`litreview.names`; nothing normalises text a second way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from litreview.model import Record
from litreview.names import initials, name_key
from litreview.normalize import first_page, fold, title_key

# --- record features ---------------------------------------------------------------------------

_CONFERENCE_TYPES = frozenset({"inproceedings", "conference", "proceedings", "mvproceedings"})
_PREPRINT_TYPES = frozenset({"unpublished", "preprint"})
_CONFERENCE_WORDS = re.compile(r"\b(?:proc|proceedings|conference|conf|symposium|workshop|congress|colloquium)\b")
_CONFERENCE_WORDS_IN_ARTICLE = re.compile(r"\b(?:conference|conf|symposium|workshop|congress|colloquium)\b")
_PREPRINT_WORDS = re.compile(
    r"\b(?:arxiv|biorxiv|medrxiv|psyarxiv|socarxiv|chemrxiv|ssrn|preprints?|research square|osf preprints|techrxiv|eartharxiv)\b"
)
_PREPRINT_DOI = re.compile(r"^10\.(?:48550|2139|21203|20944|31219|31234|31235|36227|22541|26434)/|^10\.1101/\d{4}\.\d\d\.\d\d")

#: Title openings that make a record a notice about another work rather than the work itself.
_NOTICE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("retraction", re.compile(r"^(?:retraction|retracted|notice of retraction|retraction note|expression of concern)\b")),
    ("erratum", re.compile(r"^(?:errat(?:um|a)|corrigend(?:um|a)|correction|corrections|addendum|publisher s note)\b")),
    ("reply", re.compile(r"^(?:reply|replies|response|responses|in reply|rejoinder|authors? s? reply|author reply)\b")),
    ("comment", re.compile(r"^(?:comment|comments|commentary|letter to the editor)\b")),
)
# "in response to" is ordinary wording ("... in response to humanitarian events"), not a reply
_NOTICE_INSIDE = re.compile(
    r"\b(?:erratum to|correction to|corrigendum to|retraction of|reply to|(?<!\bin )response to|comment on|comments on|commentary on)\b"
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
}
_ROMAN = re.compile(r"^[ivxlc]+$")
_PART = re.compile(
    r"\b(?:part|pt|teil|partie|parte|volume|vol|chapter|paper|study|phase|wave|round|series)\s+"
    r"([0-9]+|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|fourth|fifth)\b"
)
_TRAILING_ROMAN = re.compile(r"\s(ii|iii|iv|vi|vii|viii|ix|x)$")
_DIGITS = re.compile(r"\b\d+\b")
_NUMBER = re.compile(r"\d+")
#: A bracketed part of a title: an original-language title (``English [Original]``) or a
#: section label left by an export (``The all-seeing employer - [careers]``).
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
_PAGE_SPAN = re.compile(r"^\s*(\d+)\s*-+\s*(\d+)\s*$")
_PLACEHOLDERS = frozenset({"unknown", "n/a", "na", "n.a.", "-"})


def roman_to_int(text: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    if not text or not _ROMAN.match(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        v = values[ch]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total


def _part_number(word: str) -> int:
    if word.isdigit():
        return int(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    return roman_to_int(word) or 0


def title_variants(title: str, tkey: str) -> tuple[str, ...]:
    """Other readings of a title with a bracketed part: without it, and the part alone.

    ``Crowdwork: applying ... [Arbeiten in der Crowd: ...]`` is compared as its English title
    and as its original title; ``The all-seeing employer - [careers]`` also without the label.
    """
    if "[" not in title:
        return ()
    out: list[str] = []
    outside = title_key(_BRACKETED.sub(" ", title))
    if outside and outside != tkey:
        out.append(outside)
    for m in _BRACKETED.finditer(title):
        inside = title_key(m.group(1))
        if len(inside.split()) >= 3 and inside != tkey and inside not in out:
            out.append(inside)
    return tuple(out)


def volume_key(value: str, year: int | None) -> str:
    """The volume's first number (``174 AISC`` and ``174`` agree); blank for a placeholder or
    when the value is just the year (an export that puts the year in the volume field)."""
    text = fold(value).strip()
    if not text or text in _PLACEHOLDERS:
        return ""
    m = _NUMBER.search(text)
    if m is None:
        return text
    number = m.group(0).lstrip("0") or "0"
    return "" if year is not None and number == str(year) else number


def issue_numbers(value: str) -> frozenset[str]:
    """The numbers in an issue: ``2/3`` and ``2-3`` agree; ``SI`` or ``May`` give none."""
    if not value or value.strip().lower() in _PLACEHOLDERS:
        return frozenset()
    return frozenset(n.lstrip("0") or "0" for n in _NUMBER.findall(value))


def page_span(pages: str) -> str:
    """``start-end`` when the pages are a real range (end after start), else blank."""
    m = _PAGE_SPAN.match(pages)
    if m is None:
        return ""
    start, end = int(m.group(1)), int(m.group(2))
    return f"{start}-{end}" if end > start else ""


@dataclass(frozen=True)
class Features:
    """What scoring needs of one record, computed once per record that has a candidate pair."""

    key: str
    tkey: str
    alt_tkeys: tuple[str, ...]  # other readings of a title with a bracketed part
    words: int
    doi: str
    pmid: str
    year: int | None
    surnames: tuple[str, ...]
    firsts: tuple[str, ...]  # each author's given names as exported, aligned with surnames
    first_initial: str
    container: str
    volume: str
    issue: frozenset[str]
    page: str
    span: str  # the page range when it is one
    venue: str  # "conference", "journal" or ""
    preprint: bool
    notice: str  # "", "erratum", "retraction", "comment" or "reply"
    parts: frozenset[int]
    numbers: frozenset[str]
    little_info: bool


def features(record: Record, tkey: str | None = None) -> Features:
    tk = title_key(record.title) if tkey is None else tkey
    ckey = title_key(record.container)
    named = [(k, a) for k, a in ((name_key(a), a) for a in record.authors) if k]
    surnames = tuple(k for k, _ in named)
    firsts = tuple(a.first if not a.corporate else "" for _, a in named)
    first_initial = ""
    if record.authors and not record.authors[0].corporate:
        first_initial = initials(record.authors[0])[:1]
    et = record.entry_type.lower()
    if et in _CONFERENCE_TYPES or (et not in ("article", "book") and _CONFERENCE_WORDS.search(ckey)):
        venue = "conference"
    elif et == "article":
        venue = "conference" if _CONFERENCE_WORDS_IN_ARTICLE.search(ckey) else "journal"
    else:
        venue = ""
    url = fold(record.url)
    preprint = (
        et in _PREPRINT_TYPES
        or bool(_PREPRINT_DOI.match(record.doi))
        or bool(_PREPRINT_WORDS.search(ckey))
        or any(s in url for s in ("arxiv.org", "biorxiv.org", "medrxiv.org", "ssrn.com", "researchsquare.com"))
    )
    notice = ""
    for kind, rx in _NOTICE_KINDS:
        if rx.match(tk):
            notice = kind
            break
    if not notice:
        m = _NOTICE_INSIDE.search(tk)
        if m:
            word = m.group(0).split()[0]
            notice = {"erratum": "erratum", "correction": "erratum", "corrigendum": "erratum",
                      "retraction": "retraction", "reply": "reply", "response": "reply"}.get(word, "comment")
    parts = {_part_number(m.group(1)) for m in _PART.finditer(tk)}
    tr = _TRAILING_ROMAN.search(tk)
    if tr:
        parts.add(roman_to_int(tr.group(1)) or 0)
    has_other = bool(record.authors or record.year is not None or record.container or record.doi or record.pmid)
    return Features(
        key=record.key,
        tkey=tk,
        alt_tkeys=title_variants(record.title, tk),
        words=len(tk.split()),
        doi=record.doi,
        pmid=record.pmid,
        year=record.year,
        surnames=surnames,
        firsts=firsts,
        first_initial=first_initial,
        container=ckey,
        volume=volume_key(record.volume, record.year),
        issue=issue_numbers(record.issue),
        page=first_page(record.pages),
        span=page_span(record.pages),
        venue=venue,
        preprint=preprint,
        notice=notice,
        parts=frozenset(parts),
        numbers=frozenset(_DIGITS.findall(tk)),
        little_info=not tk or not has_other,
    )


_LETTERS = re.compile(r"[a-z]+")


def _given_word(first: str) -> str:
    m = _LETTERS.search(fold(first)) if first else None
    return m.group(0) if m else ""


# --- comparing two records ---------------------------------------------------------------------

DUPLICATE, UNSURE, DISTINCT = "duplicate", "unsure", "distinct"


@dataclass(frozen=True)
class Verdict:
    outcome: str
    reason: str
    score: float
    scores: dict[str, float | None]
    #: the never-merge rule that applied, if any: such a pair is never merged automatically,
    #: not even through a third record.
    rule: str = ""


def title_similarity(a: str, b: str) -> tuple[float, bool]:
    """Similarity of two title keys (0–100), and whether one is a truncation of the other.

    A truncation keeps the start (subtitle cut off) or the end (a column heading such as
    ``How did it ...`` put before the title); the shorter must keep four words and 25 letters.
    """
    if not a or not b:
        return 0.0, False
    if a == b:
        return 100.0, False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 25 and len(short.split()) >= 4 and (
            long_.startswith(short + " ") or long_.endswith(" " + short)):
        return 96.0, True
    return float(fuzz.ratio(a, b)), False


def best_title_similarity(a: Features, b: Features) -> tuple[float, bool]:
    """:func:`title_similarity` of the titles, or of their other readings when those agree more."""
    best = title_similarity(a.tkey, b.tkey)
    if (a.alt_tkeys or b.alt_tkeys) and best[0] < 100:
        for x in (a.tkey, *a.alt_tkeys):
            for y in (b.tkey, *b.alt_tkeys):
                if x and y:
                    best = max(best, title_similarity(x, y))
    return best


def _swapped(sa: str, ga: str, sb: str, gb: str) -> bool:
    """One export put the given name in the family-name field: ``Andrea, C.`` is
    ``Carignani, Andrea``; ``Xiaoguang, Wang`` is ``Wang, X.``."""
    return (len(ga) >= 2 and sb == ga and bool(gb) and sa[:1] == gb[:1]) or (
        len(gb) >= 2 and sa == gb and bool(ga) and sb[:1] == ga[:1])


def _givens(f: Features) -> tuple[str, ...]:
    return tuple(_given_word(x) for x in f.firsts)


def author_similarity(a: Features, b: Features) -> float | None:
    """Share of the shorter author list found in the other (0–100); None when one list is empty.

    Surnames match exactly or closely (rapidfuzz ratio ≥ 85), or as given and family names
    swapped by one export. The first authors must match (and their first initials agree),
    or the score is at most 50.
    """
    if not a.surnames or not b.surnames:
        return None
    sa, sb = a.surnames, b.surnames
    first_same = sa[0] == sb[0] or fuzz.ratio(sa[0], sb[0]) >= 85
    if first_same and a.first_initial and b.first_initial and a.first_initial != b.first_initial:
        first_same = False
    ga: tuple[str, ...] = ()
    gb: tuple[str, ...] = ()
    if not first_same:
        ga, gb = _givens(a), _givens(b)
        first_same = _swapped(sa[0], ga[0], sb[0], gb[0])
    setb = set(sb)
    found = 0
    for x, s in enumerate(sa):
        if s in setb or any(fuzz.ratio(s, t) >= 85 for t in sb):
            found += 1
            continue
        if not ga:  # given names are only needed for an author not matched by surname
            ga, gb = _givens(a), _givens(b)
        if (ga[x] in setb or s in gb) and any(_swapped(s, ga[x], t, gb[y]) for y, t in enumerate(sb)):
            found += 1
    overlap = 100.0 * found / min(len(sa), len(sb))
    return overlap if first_same else min(overlap, 50.0)


_ABBREV_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "a", "an", "de", "la", "und", "fur", "der"})


def container_similarity(a: str, b: str) -> float | None:
    """Journal names; an abbreviation (``J Strateg Inf Syst``) matches its full form."""
    if not a or not b:
        return None
    if a == b:
        return 100.0
    wa = [w for w in a.split() if w not in _ABBREV_WORDS]
    wb = [w for w in b.split() if w not in _ABBREV_WORDS]
    short, long_ = (wa, wb) if len(" ".join(wa)) <= len(" ".join(wb)) else (wb, wa)
    if short and len(short) == len(long_) and all(lw.startswith(sw) for sw, lw in zip(short, long_, strict=True)):
        return 95.0
    if "".join(wa) == "".join(wb):
        return 100.0
    # one name is the other with a subtitle or conference theme added (``Pacific Asia
    # Conference on Information Systems - Opportunities and Challenges ...``): a weak match
    if len(short) >= 3 and f" {' '.join(short)} " in f" {' '.join(long_)} ":
        return max(80.0, float(fuzz.ratio(a, b)))
    return float(fuzz.ratio(a, b))


def _same(a: str, b: str) -> float | None:
    if not a or not b:
        return None
    return 100.0 if a == b else 0.0


def never_merge(a: Features, b: Features) -> tuple[str, str] | None:
    """The never-merge rule that separates two records, as ``(rule, outcome)``, or None.

    The outcome is ``distinct`` for known different works and ``unsure`` where a person should
    look (the records may describe one work but the data disagree).
    """
    if a.notice != b.notice:
        return f"notice-vs-article:{a.notice or 'article'}/{b.notice or 'article'}", DISTINCT
    if a.preprint != b.preprint:
        return "preprint-vs-published", UNSURE
    if a.doi and b.doi and a.doi != b.doi:
        return "different-doi", DISTINCT
    if {a.venue, b.venue} == {"conference", "journal"}:
        return "conference-vs-journal", DISTINCT
    if a.parts != b.parts:
        return "different-part", DISTINCT if (a.parts and b.parts) else UNSURE
    if a.numbers and b.numbers and a.numbers != b.numbers:
        return "different-numbers-in-title", DISTINCT
    if a.year is not None and b.year is not None and a.year != b.year:
        same_id = (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid)
        if not same_id:
            if abs(a.year - b.year) > 1:
                return "same-title-different-years", DISTINCT
            corroborated = a.volume and a.volume == b.volume and a.page and a.page == b.page
            if not corroborated:
                if (a.volume and b.volume and a.volume != b.volume) or (a.page and b.page and a.page != b.page):
                    return "same-title-different-years", DISTINCT
                return "same-title-different-years", UNSURE
    return None


#: Weights for the overall score shown to people (the outcome follows the rules in :func:`compare`).
_WEIGHTS = {"title": 4.0, "authors": 2.0, "year": 1.0, "container": 1.0, "volume": 0.5, "pages": 0.5, "doi": 2.0}


def compare(a: Features, b: Features, title_score: float | None = None) -> Verdict:
    """Duplicate, unsure or distinct, with the per-field scores and the reason."""
    if title_score is not None and title_score >= 100:
        title, truncated = title_score, False
    else:
        title, truncated = best_title_similarity(a, b)
    authors = author_similarity(a, b)
    year: float | None = None
    if a.year is not None and b.year is not None:
        year = 100.0 if a.year == b.year else (50.0 if abs(a.year - b.year) == 1 else 0.0)
    container = container_similarity(a.container, b.container)
    volume = _same(a.volume, b.volume)
    pages = _same(a.page, b.page)
    doi = _same(a.doi, b.doi)
    scores: dict[str, float | None] = {
        "title": round(title, 1) if (a.tkey and b.tkey) else None, "authors": authors, "year": year,
        "container": None if container is None else round(container, 1), "volume": volume,
        "pages": pages, "doi": doi,
    }
    total = sum(_WEIGHTS[k] * v for k, v in scores.items() if v is not None)
    weight = sum(_WEIGHTS[k] for k, v in scores.items() if v is not None)
    score = round(total / weight, 1) if weight else 0.0

    def verdict(outcome: str, reason: str, rule: str = "") -> Verdict:
        return Verdict(outcome, reason, score, scores, rule)

    same_id = bool((a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid))
    authors_conflict = authors is not None and authors < 50
    blocked = never_merge(a, b)
    if blocked is not None:
        rule, outcome = blocked
        if outcome == UNSURE and (title >= 90 or same_id) and not authors_conflict:
            return verdict(UNSURE, f"looks alike but never merged automatically: {rule}", rule)
        return verdict(DISTINCT, rule, rule)
    if same_id:
        ident = "DOI" if (a.doi and a.doi == b.doi) else "PMID"
        if title >= 95 or ((title >= 70 or not a.tkey or not b.tkey) and not authors_conflict):
            return verdict(DUPLICATE, f"same {ident}")
        return verdict(UNSURE, f"same {ident} but titles or authors differ")
    if a.little_info or b.little_info:
        if title >= 90:
            return verdict(UNSURE, "too little information to decide (title only)", "too-little-information")
        return verdict(DISTINCT, "too little information", "too-little-information")
    if title < 85:
        # a translated title: the same journal, year, volume, issue (journals that number the
        # pages of each issue from 1 reuse page ranges) and page range, by the same authors
        if (a.span and a.span == b.span and year == 100 and volume == 100 and a.issue & b.issue and container is not None
                and container >= 90 and authors is not None and authors >= 80 and min(a.words, b.words) >= 3):
            return verdict(DUPLICATE, "same journal, year, volume, page range and authors; titles differ (a translation)")
        return verdict(DISTINCT, "titles differ")
    conflicts = []
    if a.volume and b.volume and a.volume != b.volume:
        conflicts.append("volume")
    if a.page and b.page and a.page != b.page:
        conflicts.append("pages")
    if a.issue and b.issue and not (a.issue & b.issue):
        conflicts.append("issue")
        if a.words <= 4:
            return verdict(DISTINCT, "recurring short title in different issues")
    # the same title, year, volume and first page: authors exported in another order or form
    # (given and family names swapped) do not make two works
    pinned = year == 100 and volume == 100 and pages == 100
    # the same year, volume and first page (or issue, when one side has no pages) with the
    # same title and authors: a container under another name (a series title instead of the
    # proceedings title, a translated journal name) does not make two works
    located = year == 100 and volume == 100 and (
        pages == 100 or (pages is None and bool(a.issue & b.issue)))
    if container is not None and container < 60 and not (
            located and title >= 95 and authors is not None and authors >= 80):
        conflicts.append("container")
    if authors_conflict and not (pinned and title >= 95):
        conflicts.append("authors")
    if year is not None and year < 100 and not (volume == 100 and pages == 100):
        conflicts.append("year")
    strong_title = title >= 95 and (a.words >= 3 or (container is not None and container >= 90 and year == 100))
    if strong_title and not conflicts:
        if (authors is not None and authors >= 50) or (authors is not None and pinned):
            why = "same title (truncated)" if truncated else "same title"
            return verdict(DUPLICATE, f"{why}, authors and year")
        corroboration = sum(1 for v in (year, container, volume, pages) if v is not None and v >= 90)
        if authors is None and corroboration >= 3 and a.words >= 5:
            return verdict(DUPLICATE, "same title, year, venue; authors missing on one side")
    if title >= 90 or (title >= 85 and authors is not None and authors >= 80):
        detail = ("conflicting " + ", ".join(conflicts)) if conflicts else "similar but not certain"
        if len(conflicts) >= 2 and title < 97:
            return verdict(DISTINCT, detail)
        return verdict(UNSURE, detail)
    return verdict(DISTINCT, "not similar enough")
