"""Deduplication, the thirteenth red-team round: one article exported by two databases, in the
ways real exports differ, that the matcher kept apart or only queued (earlier rounds hunted
false merges; this one hunted missed duplicates).

Found missed, and fixed here (each test below; before -> after):

* a number written with its thousands apart in one export and together in another (``12,345``,
  ``12 345`` with a space, a thin or a no-break space / ``12345``): kept apart as different
  numbers in the title -> merged. So is a range of years cut to two digits (``2017-18``,
  ``2017/18`` / ``2017-2018``).
* a meeting abstract's number before its title with no break after it (``OP45 Title``,
  ``P-123 Title``, ``#412 Title``), against the journal supplement's record of it without the
  number, one of the two without its page: queued as a title that goes on in plain words ->
  merged, as ``P-123: Title`` already was.
* an abstract's DOI that is its supplement's DOI and a number (``10.1093/eurheartj/ehz745`` /
  ``...ehz745.0561``): kept apart as two DOIs -> merged on the other fields.
* a pinyin surname with ``ü`` written ``Lv`` or ``Lyu`` in one export and ``Lü`` in another,
  in a Chinese journal one export names in translation: queued (authors and journal differ) ->
  merged.
* a British spelling at the title's start in one export and the American in another
  (``Oesophageal`` / ``Esophageal``), one of them online first a year earlier: never compared
  (no block shared: neither the title's start, nor its first words in alphabetical order, nor
  the first author's year) -> merged.
* ``The X`` / ``X``, one of them online first a year earlier with no place: queued as a title
  that goes on in plain words -> merged.
* a record without a title (PubMed's ``[Not Available]``, an export that lost it) and one with
  it: kept apart (``[Not Available]`` read as a title; no title at all as too little
  information, even with the same DOI) -> merged on the same authors, journal, year and a
  shared DOI/PMID or the same volume and page range.
* a conference's proceedings MEDLINE indexes as a journal whose volume is the year
  (``Annu Int Conf IEEE Eng Med Biol Soc``, volume ``2019``) and the publisher's record under
  the proceedings' own title with no volume, the same year and page range: queued (the
  containers differ and no volume pins both) -> merged.
* a meeting abstract in a journal's supplement as Web of Science exports it, the supplement in
  a field of its own (``VL 14``, ``IS 3``, ``SU S``), against Embase's record of the abstract
  (typed a conference item, no volume, no page): the reader dropped ``SU``, so the abstract
  looked like an article of the regular issue and was kept apart as a conference record against
  a journal's -> the issue keeps it (``3 Suppl``), merged.
* Embase's meeting abstract exported as a journal article (``TY - JOUR``) with ``M3
  Conference Abstract``, no volume and no page, against the supplement's record of it: queued
  as an abstract against an article online first -> read as the meeting's record, merged.
  (Read as an article, the same record also merged with the full paper that followed the
  abstract in a regular issue of the journal that year: a false merge, now kept apart.)
* the same title by the same people in the same journal two years after its online-first
  record (no volume, no place): kept apart -> queued (nothing places the earlier record: it
  could be another work, so a person decides).

Probed and already merged on the code this round started from (invented records, read through
litreview's RIS, MEDLINE and Web of Science readers, among a few hundred background records):
British/American spellings inside a title (also several in one title), Greek letters as symbols,
spelt, in capitals or as the Latin letter, also inside codes (``Aβ42``, ``IL-1β``); ``vs.``,
``vs`` and ``versus``; numbers as words (``Two-year`` / ``2-year``); ``≥65`` / ``>=65``;
``10%`` / ``10 per cent``; Unicode hyphens and en dashes; compounds joined or apart
(``health-care``); all-capital titles; MEDLINE's bracketed translated title and Scopus's
``English [Original]``; a subtitle dropped; HTML and MathML subscripts and MEDLINE's ``CO(2)``,
``Ca(2+)``, ``HbA(1c)``; ``[see comments]``, ``[published erratum appears in ...]``, Ovid's
``[Review] [45 refs]``; authors with full names or initials, ``et al.``, a list cut at ten,
reordered, hyphenated, with particles (``van der Berg`` / ``Berg, AVD``), Spanish double
surnames, Asian names in either order or with ``X.-M.``, a group author, ``Jr``; journals as
ISO abbreviations, with ``The`` and MEDLINE's subtitle, Scopus's ``Journal of Bone and Joint
Surgery - Series A``, translated Chinese and Spanish journal names, ``Aerzteblatt``; online
first a year before print with no place; ``1234-45`` / ``1234-1245``; ``e0212345`` against a
page count or an article number; ``S12-9``; ``Suppl 1`` / ``S1`` / ``1 Suppl`` /
``Supplement_1``; a volume with its issue glued on; DOIs in capitals, with ``https://doi.org/``,
``doi:``, a trailing full stop or URL-encoded; a PMID in one record and a DOI in the other;
meeting abstracts in Embase and in the journal's supplement (Web of Science's ``SU``, Oxford's
``iii17`` pages, Stroke's ``ATP123``).

Probed and left (see the round's report): a record without authors, online first a year earlier
(queued: only the title and journal agree); two online-first records a year apart, neither
placed (queued); a meeting abstract whose record gives the meeting's year and the supplement's
record the next year (kept apart as a conference record against a journal's); ``A12345`` /
``12345`` as a meeting abstract's page; ``COVID-19`` / ``coronavirus disease 2019``.

Every record here is invented. Each class sits next to a near miss: two works that must still
not merge.
"""

from __future__ import annotations

from dataclasses import replace

from litreview.dedupe import DUPLICATE, compare, features, find_duplicates
from litreview.dedupe.model import Model, default_model
from litreview.io import read_text
from litreview.model import Name, Record

from .dedupe_helpers import groups, record, verdict

PEOPLE = (Name("Okonkwo", "Adaeze"), Name("Strand", "Henrik Olav"), Name("Villalobos", "Marta"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Mortality among 12,345 adults with type 2 diabetes in a national registry",
    authors=PEOPLE,
    year=2019,
    container="Journal of Renal Nursing Practice",
    volume="14",
    issue="3",
    pages="215-223",
)

#: an article online first: the year before its issue's, and no place in the issue yet
ONLINE_FIRST: dict[str, object] = dict(year=2018, volume="", issue="", pages="")


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


def _merged(a: Record, b: Record, *others: Record) -> None:
    assert frozenset({a.key, b.key}) in groups([a, b, *others]), (a.title, b.title)


def _not_merged(a: Record, b: Record, *others: Record) -> None:
    assert verdict(a, b) != DUPLICATE, (a.title, b.title)
    assert not any({a.key, b.key} <= g for g in groups([a, b, *others])), (a.title, b.title)


def _queued(records: list[Record]) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for p in find_duplicates(records).unsure}


#: titles that sort between ``E...`` and ``O...``, so that no sorted neighbourhood of title keys
#: brings two records starting with those letters together
FILLERS = [
    art(
        f"F{n:02d}",
        title=f"{word} rehabilitation pathway {n} for frail adults after hip fracture",
        authors=(Name(f"Writer{n}", "Q."),),
        year=2000 + n,
        container=f"Journal of Orthogeriatric Care {n}",
        volume=str(n),
        issue="1",
        pages=f"{10 * n + 1}-{10 * n + 8}",
    )
    for n, word in enumerate(
        ["Fast", "Guided", "Home", "Inpatient", "Joint", "Kinetic", "Long", "Multimodal", "Nurse"]
    )
]


# --- 1. a number's thousands written apart ------------------------------------------------------


def test_a_number_with_its_thousands_apart_is_the_number_written_together() -> None:
    a = art("A")
    for written in ("12345", "12 345", "12\u2009345", "12\u00a0345"):
        b = art(
            "B",
            title=f"Mortality among {written} adults with type 2 diabetes in a national registry",
        )
        assert verdict(a, b) == DUPLICATE, written
        _merged(a, b)


def test_two_numbers_with_their_thousands_apart_still_differ() -> None:
    a = art("A")
    b = art("B", title="Mortality among 2,345 adults with type 2 diabetes in a national registry")
    _not_merged(a, b)
    # a code's number and the next number are no thousands: ``COVID-19 100 days`` is not 19100
    c = art("C", title="COVID-19 100 days on: care home staffing in a national registry")
    d = art("D", title="COVID-19 1100 days on: care home staffing in a national registry")
    _not_merged(c, d)


SEASON = "Influenza vaccine effectiveness against hospitalisation in older adults, {} season"


def test_a_range_of_years_cut_to_two_digits_is_the_range_written_out() -> None:
    a = art("A", title=SEASON.format("2017-2018"))
    for written in ("2017-18", "2017/18", "2017\u201318"):
        b = art("B", title=SEASON.format(written))
        assert verdict(a, b) == DUPLICATE, written
        _merged(a, b)


def test_two_seasons_written_short_still_differ() -> None:
    _not_merged(art("A", title=SEASON.format("2017-18")), art("B", title=SEASON.format("2018-19")))
    _not_merged(
        art("A", title=SEASON.format("2017-18")), art("B", title=SEASON.format("2017-2019"))
    )


# --- 2. a meeting abstract's number before its title --------------------------------------------

ABSTRACT_TITLE = "Machine learning prediction of acute kidney injury after cardiac surgery"
MEETING: dict[str, object] = dict(
    title=ABSTRACT_TITLE,
    container="Critical Care Medicine",
    volume="47",
    issue="1 Suppl 1",
    pages="412",
)


def test_a_meeting_abstracts_number_before_its_title_is_cut_off_like_a_break() -> None:
    journal = art("A", **MEETING)
    for code in ("OP45", "P-123", "#412", "MON-123", "SAT-LB45", "PS1-23", "[P123]"):
        # Embase's record of the meeting abstract, typed so, without its page
        embase = record(
            "B",
            {**BASE, **MEETING},
            entry_type="inproceedings",
            title=f"{code} {ABSTRACT_TITLE}",
            pages="",
        )
        _merged(journal, embase)


def test_a_title_opening_with_a_symbol_is_no_abstract_number() -> None:
    # a gene's or a cell's symbol that opens a title is one of its words: the title without it
    # is no cut of it, and waits for a person at most
    for symbol in ("TH17", "P53", "CD40", "IL-10"):
        a = art(
            "A", **{**MEETING, "title": f"{symbol} cells and airway inflammation in severe asthma"}
        )
        b = art(
            "B",
            **{**MEETING, "title": "Cells and airway inflammation in severe asthma", "pages": ""},
        )
        _not_merged(a, b)


# --- 3. a supplement's DOI and its abstract's ---------------------------------------------------

HEART: dict[str, object] = dict(
    title="Sacubitril-valsartan and exercise capacity in heart failure: an observational study",
    container="European Heart Journal",
    volume="40",
    issue="Suppl 1",
)


def test_a_supplements_doi_and_its_abstracts_doi_are_no_two_dois() -> None:
    embase = art("A", **HEART, pages="", doi="10.1093/eurheartj/ehz745")
    wos = art("B", **HEART, pages="2187", doi="10.1093/eurheartj/ehz745.0561")
    assert verdict(embase, wos) == DUPLICATE
    _merged(embase, wos)


def test_two_abstracts_own_dois_and_a_versions_doi_still_differ() -> None:
    a = art("A", **HEART, pages="2187", doi="10.1093/eurheartj/ehz745.0561")
    b = art("B", **HEART, pages="2187", doi="10.1093/eurheartj/ehz745.0562")
    _not_merged(a, b)
    # a version's or a supplementary file's suffix names another item
    for other in ("10.1093/eurheartj/ehz745.pub2", "10.1093/eurheartj/ehz745.s001"):
        _not_merged(art("A", **HEART, doi="10.1093/eurheartj/ehz745"), art("B", **HEART, doi=other))


# --- 4. pinyin ü --------------------------------------------------------------------------------

CHINESE: dict[str, object] = dict(
    title="Risk factors for postpartum depression in an urban cohort",
    authors=(Name("Lü", "Hong"), Name("Zhang", "Yu-Qing")),
    container="Zhonghua fu chan ke za zhi",
)


def test_a_pinyin_u_umlaut_written_v_or_yu_is_the_same_surname() -> None:
    medline = art("A", **CHINESE)
    for surname in ("Lv", "Lyu"):
        embase = art(
            "B",
            **{
                **CHINESE,
                "container": "Chinese Journal of Obstetrics and Gynecology",
                "authors": (Name(surname, "H."), Name("Zhang", "Y. Q.")),
            },
        )
        assert verdict(medline, embase) == DUPLICATE, surname
        _merged(medline, embase)


def test_another_surname_in_a_translated_journal_still_waits() -> None:
    medline = art("A", **CHINESE)
    embase = art(
        "B",
        **{
            **CHINESE,
            "container": "Chinese Journal of Obstetrics and Gynecology",
            "authors": (Name("Li", "H."), Name("Zhang", "Y. Q.")),
        },
    )
    _not_merged(medline, embase)


# --- 5. a British spelling at the title's start -------------------------------------------------

ATRESIA = "Oesophageal atresia: long-term behaviour and quality of life"


def test_a_british_spelling_at_the_start_meets_the_american_in_one_block() -> None:
    print_ = art("A", title=ATRESIA)
    online = art(
        "B", title="Esophageal atresia: long-term behavior and quality of life", **ONLINE_FIRST
    )
    _merged(print_, online, *FILLERS)


def test_the_american_spelling_of_a_longer_title_still_does_not_merge() -> None:
    print_ = art("A", title=ATRESIA)
    online = art(
        "B",
        title="Esophageal atresia: long-term behavior and quality of life in adults born preterm",
        **ONLINE_FIRST,
    )
    _not_merged(print_, online, *FILLERS)


# --- 6. ``The X`` / ``X`` ----------------------------------------------------------------------

PHARMACISTS = "The role of community pharmacists in managing hypertension in rural areas"


def test_a_leading_article_left_off_is_one_title_whatever_the_year() -> None:
    print_ = art("A", title=PHARMACISTS)
    online = art(
        "B",
        title="Role of community pharmacists in managing hypertension in rural areas",
        **ONLINE_FIRST,
    )
    _merged(print_, online)


def test_words_before_a_title_still_make_another_title() -> None:
    print_ = art(
        "A", title="Remote role of community pharmacists in managing hypertension in rural areas"
    )
    online = art(
        "B",
        title="Role of community pharmacists in managing hypertension in rural areas",
        **ONLINE_FIRST,
    )
    _not_merged(print_, online)


# --- 7. a record without a title ----------------------------------------------------------------


def test_a_record_without_a_title_joins_its_article_in_one_place() -> None:
    titled = art("A", title="Quality of life after hip arthroscopy in young athletes")
    for missing in ("[Not Available].", "[Not Available]", ""):
        untitled = art("B", title=missing)
        assert verdict(titled, untitled) == DUPLICATE, missing
        _merged(titled, untitled)
    # with a shared DOI, placed nowhere yet
    a = art("A", title="Quality of life after hip arthroscopy in young athletes", doi="10.9998/q.1")
    b = art("B", title="", doi="10.9998/q.1", volume="", issue="", pages="")
    assert verdict(a, b) == DUPLICATE
    _merged(a, b)


def test_a_record_without_a_title_elsewhere_or_by_others_stays_apart() -> None:
    titled = art("A", title="Quality of life after hip arthroscopy in young athletes")
    # other authors on the same pages; another page range; a supplement's page, which holds
    # several abstracts by one team
    for untitled in (
        art("B", title="", authors=(Name("Brennan", "Margaret"),)),
        art("B", title="", pages="224-231"),
        art("B", title="", pages="S12-S13", issue="Suppl 1"),
    ):
        _not_merged(titled, untitled)
    supplement = art(
        "A", title="Quality of life after hip arthroscopy", pages="S12-S13", issue="Suppl 1"
    )
    _not_merged(supplement, art("B", title="", pages="S12-S13", issue="Suppl 1"))


# --- 8. online first two years before its issue -------------------------------------------------

SEPSIS = "Long-term cognitive outcomes after sepsis in older adults: a cohort study"


def test_online_first_two_years_before_its_issue_waits_for_a_person() -> None:
    print_ = art("A", title=SEPSIS, year=2019)
    online = art("B", title=SEPSIS, year=2017, volume="", issue="", pages="", doi="10.9998/s.1")
    assert verdict(print_, online) != DUPLICATE
    assert _queued([print_, online]) == {frozenset({"A", "B"})}


def test_the_same_title_by_others_two_years_before_stays_apart() -> None:
    print_ = art("A", title=SEPSIS, year=2019)
    other = art(
        "B",
        title=SEPSIS,
        year=2017,
        volume="",
        issue="",
        pages="",
        authors=(Name("Brennan", "Margaret"), Name("Holt", "William")),
    )
    assert _queued([print_, other]) == set()
    assert groups([print_, other]) == set()


# --- 9. proceedings MEDLINE indexes as a journal ------------------------------------------------

EMBC: dict[str, object] = dict(
    title="Wearable sensor detection of freezing of gait in Parkinson disease",
    container=(
        "Annual International Conference of the IEEE Engineering in Medicine and Biology "
        "Society. IEEE Engineering in Medicine and Biology Society. Annual International Conference"
    ),
    volume="2019",
    issue="",
    pages="4512-4515",
)
PROCEEDINGS: dict[str, object] = dict(
    entry_type="inproceedings",
    container=(
        "Proceedings of the Annual International Conference of the IEEE Engineering in "
        "Medicine and Biology Society, EMBS"
    ),
    volume="",
)


def _journal_trusted() -> Model:
    """Weights of a library whose duplicates seldom name their journal two ways: a journal
    that differs, or is only similar, weighs against a pair (a trustworthy field)."""
    base = default_model()
    same, similar, other = base.weights["container"]
    return replace(
        base, weights={**base.weights, "container": (same, min(similar, -3.0), min(other, -3.0))}
    )


def _merged_trusting_journals(a: Record, b: Record) -> bool:
    model = _journal_trusted()
    result = find_duplicates([a, b], model=model)
    return compare(features(a), features(b), model=model).outcome == DUPLICATE and any(
        {a.key, b.key} == {m.survivor, *(r.key for r in m.absorbed)} for m in result.merges
    )


def test_proceedings_indexed_as_a_journal_join_the_publishers_record_on_year_and_pages() -> None:
    medline = art("A", **EMBC)
    ieee = art("B", **{**EMBC, **PROCEEDINGS})
    assert _merged_trusting_journals(medline, ieee)


def test_the_proceedings_paper_and_a_journal_version_on_other_pages_stay_apart() -> None:
    ieee = art("A", **{**EMBC, **PROCEEDINGS})
    journal = art(
        "B",
        **{
            **EMBC,
            "container": "Journal of Neuroengineering and Gait",
            "volume": "7",
            "issue": "2",
            "pages": "112-120",
        },
    )
    _not_merged(ieee, journal)
    assert not _merged_trusting_journals(ieee, journal)
    # the same pages under another title: another paper of the proceedings
    other = art("B", **{**EMBC, **PROCEEDINGS, "title": "Gait speed in Parkinson disease"})
    _not_merged(art("A", **EMBC), other)
    assert not _merged_trusting_journals(art("A", **EMBC), other)
    # the same title and year on other pages without a volume: another paper (or its abstract)
    elsewhere = art("B", **{**EMBC, **PROCEEDINGS, "pages": "4601-4604"})
    assert not _merged_trusting_journals(art("A", **EMBC), elsewhere)


# --- 10. a meeting abstract in a supplement, as Web of Science and Embase export it -------------

STROKE_ABSTRACT = "Cerebral microbleeds and cognitive decline after lacunar stroke"
WOS_ABSTRACT = f"""FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Okonkwo, A
   Strand, HO
AF Okonkwo, Adaeze
   Strand, Henrik Olav
TI {STROKE_ABSTRACT.upper()}
SO INTERNATIONAL JOURNAL OF STROKE
PY 2019
VL 14
IS 3
SU S
BP 45
EP 45
ER

EF
"""
#: Embase's record of a meeting abstract: the journal, the year, nothing of the place
EMBASE_ABSTRACT: dict[str, object] = dict(
    title=STROKE_ABSTRACT,
    authors=(Name("Okonkwo", "A."), Name("Strand", "H. O.")),
    container="International Journal of Stroke",
    year=2019,
    volume="",
    issue="",
    pages="",
)


def _read_wos() -> Record:
    (wos,) = read_text(WOS_ABSTRACT, "wos.ciw", "wos").records
    return replace(wos, key="W")


def test_web_of_sciences_supplement_field_stays_in_the_issue() -> None:
    wos = _read_wos()
    assert wos.issue == "3 Suppl"
    embase = art("E", **EMBASE_ABSTRACT, entry_type="inproceedings")
    _merged(wos, embase)


def test_a_meeting_abstract_and_the_regular_issues_paper_stay_apart() -> None:
    # the full paper that followed the abstract, in a regular issue of the same journal and year
    paper = art("W", **{**EMBASE_ABSTRACT, "volume": "14", "issue": "5", "pages": "512-520"})
    _not_merged(paper, art("E", **EMBASE_ABSTRACT, entry_type="inproceedings"))


def test_embases_conference_abstract_typed_a_journal_article_is_no_paper_online_first() -> None:
    # a false merge the round found on its way: typed a journal article with no place, the
    # abstract looked like the paper online first
    paper = art("W", **{**EMBASE_ABSTRACT, "volume": "14", "issue": "5", "pages": "512-520"})
    _not_merged(paper, art("E", **EMBASE_ABSTRACT, extra=(("ris_m3", "Conference Abstract"),)))


def test_embases_conference_abstract_typed_a_journal_article_is_the_meetings_record() -> None:
    supplement = art("S", **{**EMBASE_ABSTRACT, "volume": "14", "issue": "3 Suppl", "pages": "45"})
    embase = art("E", **EMBASE_ABSTRACT, extra=(("ris_m3", "Conference Abstract"),))
    _merged(supplement, embase)
