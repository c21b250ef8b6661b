"""Deduplication, the seventh red-team round: an article's own page 1 taken for a place, numbers
in another order, replies titled after the work they answer, and the other look-alike classes
of issue 15 that earlier rounds left.

Every record here is invented. Each class that must stay apart sits next to the look-alike
records of one work, which must still merge.
"""

from __future__ import annotations

from dataclasses import replace

from litreview.dedupe import DUPLICATE
from litreview.model import Name, Record

from .dedupe_helpers import groups, queued, record, verdict

PEOPLE = (Name("Okonkwo", "Adaeze"), Name("Lindqvist", "Mats"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="",
    authors=PEOPLE,
    year=2021,
    container="Invented Open Medicine",
    volume="",
    issue="",
    pages="",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- 1. an article-numbered journal: every article's own pages start at 1 -------------------------

WOMEN = "Telephone coaching for medication adherence in older women with heart failure"
MEN = "Telephone coaching for medication adherence in older men with heart failure"


def test_own_page_one_does_not_place_two_articles_of_an_e_journal_together() -> None:
    # two articles of one volume of a journal that numbers each article's pages from 1: the
    # "same first page" made them one place, and the word only one title has (women / men)
    # or a number only one has (ACE2 / ACE) was no longer asked
    for one, two in (
        (WOMEN, MEN),
        (
            "Serum ACE2 activity after kidney transplantation in adults",
            "Serum ACE activity after kidney transplantation in adults",
        ),
    ):
        a = art("A", title=one, volume="16", issue="3", pages="1-12")
        b = art("B", title=two, volume="16", issue="3", pages="1-14")
        assert verdict(a, b) != DUPLICATE, (one, two)
        assert groups([a, b]) == set()
        assert frozenset(("A", "B")) in queued([a, b])


def test_one_article_of_an_e_journal_in_two_exports_still_merges() -> None:
    a = art("A", title=WOMEN, volume="16", issue="3", pages="1-12")
    for b in (
        art("B", title=WOMEN, volume="16", issue="3", pages="1-12"),
        art("B", title=WOMEN, volume="16", pages="e0245"),  # its article number instead
        art("B", title=WOMEN.upper(), volume="16"),
    ):
        assert verdict(a, b) == DUPLICATE
        assert groups([a, b]) == {frozenset({"A", "B"})}
    # the first article of an issue, on pages 1-21 in print: page 1 no longer places it, so
    # its titles' words are compared, and a British and an American spelling are one word
    print_a = art("P", title="Evaluating participatory extension programmes in pastoral areas")
    print_b = art("Q", title="Evaluating Participatory Extension Programs in Pastoral Areas")
    place = dict(volume="14", issue="1", pages="1-21")
    assert groups([replace(print_a, **place), replace(print_b, **place)]) == {  # type: ignore[arg-type]
        frozenset({"P", "Q"})
    }


# --- 8. numbers in a title: a decimal is not its digits in any order ----------------------------


def test_a_decimal_and_its_digits_reversed_are_different_numbers() -> None:
    # a key splits 0.5 into "0 5" and 5.0 into "5 0": as sets of numbers the two were one
    for one, two in (
        (
            "Ropivacaine 0.5% versus bupivacaine for knee arthroplasty",
            "Ropivacaine 5.0% versus bupivacaine for knee arthroplasty",
        ),
        (
            "A 1.5 tesla protocol for cardiac imaging in children",
            "A 5.1 tesla protocol for cardiac imaging in children",
        ),
    ):
        a, b = art("A", title=one), art("B", title=two)
        assert verdict(a, b) != DUPLICATE, (one, two)
        assert groups([a, b]) == set()


def test_a_translated_title_may_give_its_numbers_in_another_order() -> None:
    # the English title and the original's (another language orders its words its own way):
    # one article by journal, year, volume, issue, pages and authors
    place = dict(container="Invented Medizinische Wochenschrift", volume="12", issue="3")
    english = art("EN", title="Two doses of vitamin D in 10 older patients over 2 winters", **place)
    german = art(
        "DE",
        title="Zehn ältere Patienten: über 2 Winter mit 2 Dosen Vitamin D bei 10 Patienten",
        **place,
    )
    paged = [replace(r, pages="101-109") for r in (english, german)]
    assert groups(paged) == {frozenset({"EN", "DE"})}


def test_a_decimal_written_with_another_separator_is_the_same_number() -> None:
    # the Lancet's middle dot, a bullet, the dot spelt out by an export, a full stop
    title = "Wildfire smoke PM{}5 and emergency visits for asthma in children"
    written = [title.format(sep) for sep in ("\u00b7", "\u2022", "<middle dot>", ".")]
    records = [
        art(f"P{k}", title=t, volume="7", issue="2", pages="e110-e119")
        for k, t in enumerate(written)
    ]
    assert groups(records) == {frozenset(r.key for r in records)}


# --- 5. a reply by the authors of the work it answers ------------------------------------------

KETAMINE = "Ketamine infusion for refractory depression in older adults"


def test_reply_by_the_authors_of_the_work_it_answers_never_merges() -> None:
    # the reply's title is the article's with a reply's ending, by the article's own authors
    # and often with no place of its own yet: ". Reply", ": the authors reply", ". Response
    # from the authors" were read as the article's title with a subtitle cut off
    article = art("X", title=KETAMINE, volume="30", issue="2", pages="100-108")
    for title in (
        f"{KETAMINE}. Reply",
        f"{KETAMINE}: the authors reply",
        f"{KETAMINE}. Response from the authors",
        f"{KETAMINE}. Reply from the authors",
        # already kept apart before this round: openings and other endings
        f"Reply: {KETAMINE}",
        f"Reply to {KETAMINE}",
        f"In reply: {KETAMINE}",
        f"{KETAMINE} - Reply",
        f"{KETAMINE}: authors' reply",
        f"{KETAMINE} [reply]",
    ):
        reply = art("R", title=title)
        assert verdict(article, reply) != DUPLICATE, title
        assert verdict(reply, article) != DUPLICATE, title
        assert groups([article, reply]) == set(), title


def test_one_reply_in_two_exports_still_merges() -> None:
    place = dict(volume="30", issue="6", pages="600-601")
    one = art("R1", title=f"{KETAMINE}. Reply", **place)
    two = art("R2", title=f"{KETAMINE}: reply", **place)
    assert groups([one, two]) == {frozenset({"R1", "R2"})}


# --- 6. a note on the record after a title is no topic of a series -------------------------------

JOINS = "Efficient evaluation of spatial joins over streaming data"
CODERS = (Name("Tanaka", "Hiroshi"), Name("Berg", "Anna"))


def test_notes_on_a_record_after_its_title_do_not_make_the_title_a_series_head() -> None:
    # a search engine's citations of one paper: "(to appear)", "(extended abstract)" after the
    # title. Two such tails made the bare title the head of a series on two topics, and the
    # paper's own record merged with none of them
    def misc(key: str, title: str) -> Record:
        return art(key, entry_type="misc", title=title, container="", year=2003, authors=CODERS)

    paper = art(
        "A",
        entry_type="inproceedings",
        title=JOINS,
        container="Invented Database Conference",
        year=2003,
        authors=CODERS,
    )
    records = [
        paper,
        misc("B", f"{JOINS} (to appear)"),
        misc("C", f"{JOINS} (extended abstract)"),
        misc("D", JOINS),
    ]
    # the paper joins the citation that gives only its state (the one that says "extended
    # abstract" is another word apart from "to appear", and waits for a person)
    assert any({"A", "B", "D"} <= g for g in groups(records))
    # two real topics still make a series head: a record of the bare title joins neither
    topics = [
        misc("T1", f"{JOINS}: the sliding window case"),
        misc("T2", f"{JOINS}: the landmark window case"),
        misc("T3", JOINS),
    ]
    assert groups(topics) == set()


# --- 2. a record that names no place, against two records of one title under two DOIs ------------

PHARMACIST = "Community pharmacist follow-up after hospital discharge in chronic kidney disease"


def test_a_record_without_a_place_joins_neither_of_two_placed_apart_under_two_dois() -> None:
    # one title under two DOIs in two journals (a copublication, or a reprint): a record that
    # names no journal, volume or pages matches both as well. The DOIs kept the two apart by a
    # rule, which the tie did not look behind, so the bare record joined the first by key
    first = art(
        "A",
        title=PHARMACIST,
        container="Invented Journal of Renal Pharmacy",
        volume="12",
        issue="2",
        pages="101-110",
        doi="10.5555/irp.2021.001",
    )
    second = art(
        "B",
        title=PHARMACIST,
        container="Invented Reprints in Nephrology",
        volume="3",
        issue="1",
        pages="5-14",
        doi="10.9999/irn.2021.77",
    )
    bare = art("C", title=PHARMACIST, container="")
    records = [first, second, bare]
    assert groups(records) == set()
    assert queued(records) >= {frozenset(("A", "C")), frozenset(("B", "C"))}
    # the bare record that names the first journal is that one's
    named = art("C", title=PHARMACIST, container="Invented Journal of Renal Pharmacy")
    assert groups([first, second, named]) == {frozenset({"A", "C"})}


# --- 4. a meeting's abstract typed as a journal article, and the full paper of its title ---------

TITRATION = "Nurse-led titration of beta blockers in heart failure with reduced ejection fraction"


def _abstract(key: str, **kw: object) -> Record:
    """A meeting abstract printed in the journal's supplement, typed as an article."""
    fields: dict[str, object] = dict(
        title=TITRATION,
        container="Invented Heart Journal",
        volume="40",
        issue="Suppl 2",
        pages="S210",
        year=2020,
    )
    fields.update(kw)
    return art(key, **fields)


def test_an_abstract_in_a_supplement_and_its_paper_placed_elsewhere_are_not_merged() -> None:
    # the paper a year later, or placed in a regular issue of the same volume. (An unplaced
    # record of the title in the same journal and year still merges with the abstract: it may
    # as well be the abstract's other export, and queueing it cost 23-92 found pairs of the
    # tune sets corrupted as Embase exports them)
    later = art(
        "P",
        title=TITRATION,
        container="Invented Heart Journal",
        volume="41",
        issue="4",
        pages="301-310",
        year=2021,
    )
    placed = art(
        "P",
        title=TITRATION,
        container="Invented Heart Journal",
        volume="40",
        issue="6",
        pages="501-510",
        year=2020,
    )
    for paper in (later, placed):
        assert verdict(_abstract("A"), paper) != DUPLICATE
        assert groups([_abstract("A"), paper]) == set()


def test_one_abstract_in_two_exports_still_merges() -> None:
    abstract = _abstract("A")
    for again in (
        _abstract("B", issue="SUPPL. 2", pages="210"),  # the supplement's issue, a bare page
        _abstract("B", issue="", pages="S210"),  # its S page, no issue
        _abstract("B", entry_type="inproceedings", issue="", pages=""),  # typed as the meeting's
    ):
        assert groups([abstract, again]) == {frozenset({"A", "B"})}


# --- 3. two versions of a Cochrane review in one year ----------------------------------------------

REHAB = "Exercise-based rehabilitation for adults with long COVID"
CDSR: dict[str, object] = dict(
    container="Cochrane Database of Systematic Reviews", volume="2023", year=2023, pages="CD012345"
)


def test_two_versions_of_a_cochrane_review_in_one_year_never_merge() -> None:
    # a review and its update share title, authors, journal, year and the review's number (as
    # pages); only the DOI's version tells them apart, and one record lacks the issue
    for first, second in (
        ("10.1002/14651858.CD012345.pub2", "10.1002/14651858.CD012345.pub3"),
        ("10.1002/14651858.CD012345", "10.1002/14651858.CD012345.pub2"),
    ):
        a = art("A", title=REHAB, **CDSR, issue="5", doi=first)
        b = art("B", title=REHAB, **CDSR, doi=second)
        assert verdict(a, b) != DUPLICATE
        assert groups([a, b]) == set()


def test_a_version_without_its_doi_joins_neither_of_two_versions() -> None:
    # a third record with neither DOI nor issue matches both versions as well: a person decides
    a = art("A", title=REHAB, **CDSR, issue="5", doi="10.1002/14651858.CD012345.pub2")
    b = art("B", title=REHAB, **CDSR, issue="11", doi="10.1002/14651858.CD012345.pub3")
    bare = art("C", title=REHAB, **CDSR)
    records = [a, b, bare]
    assert groups(records) == set()
    assert queued(records) >= {frozenset(("A", "C")), frozenset(("B", "C"))}
    # one version in two exports (one without its issue) is one record
    again = art("A2", title=REHAB, **CDSR, doi="10.1002/14651858.CD012345.pub2")
    assert groups([a, again]) == {frozenset({"A", "A2"})}


# --- 7. errata exported without authors or place ---------------------------------------------------

SODIUM = "Erratum: Sodium intake and blood pressure in adolescents"


def test_errata_of_one_title_merge_on_one_doi_and_stay_apart_on_two() -> None:
    # one erratum in two exports that give neither authors nor place: its DOI (or PMID) makes
    # them one; two errata of one article carry two DOIs; without any identifier, a person
    same = [art(k, title=SODIUM, authors=(), doi="10.5555/err.1") for k in ("E1", "E2")]
    assert groups(same) == {frozenset({"E1", "E2"})}
    by_pmid = [art(k, title=SODIUM, authors=(), pmid="30000001") for k in ("E1", "E2")]
    assert groups(by_pmid) == {frozenset({"E1", "E2"})}
    two = [
        art("E1", title=SODIUM, authors=(), doi="10.5555/err.1"),
        art("E2", title=SODIUM, authors=(), doi="10.5555/err.2"),
    ]
    assert groups(two) == set()
    third = art("E3", title=SODIUM, authors=(), doi="10.5555/err.2")
    assert groups([*same, third]) == {frozenset({"E1", "E2"})}
    bare = [art(k, title=SODIUM, authors=()) for k in ("E1", "E2")]
    assert groups(bare) == set()
    assert frozenset(("E1", "E2")) in queued(bare)


# --- new: Web of Science's corrections and its marks on retracted articles ------------------------

SALT = "Sodium intake and blood pressure in adolescents with obesity"
SALT_PLACE: dict[str, object] = dict(
    container="Invented Pediatric Journal", volume="30", issue="2", pages="100-108"
)


def test_a_correction_titled_after_the_article_and_its_place_is_a_notice() -> None:
    # Web of Science titles a correction with the corrected article's title and where it was
    # printed; read as the article with a volume "part", the pair went to the queue
    article = art("X", title=SALT, **SALT_PLACE)
    for correction in (
        art("R", title=f"{SALT} (vol 30, pg 100, 2021)", volume="30", issue="6", pages="600"),
        art("R", title=f"{SALT.upper()} (VOL 30, PG 100, 2021)", year=2022),
        art("R", title=f"{SALT} (vol 30, art no e100, 2021)"),
    ):
        assert verdict(article, correction) != DUPLICATE
        assert groups([article, correction]) == set()
        assert not queued([article, correction])
    # the correction in two exports is one record
    place = dict(volume="30", issue="6", pages="600")
    twice = [art(k, title=f"{SALT} (vol 30, pg 100, 2021)", **place) for k in ("R1", "R2")]
    assert groups(twice) == {frozenset({"R1", "R2"})}


def test_a_retracted_articles_own_record_is_still_the_article() -> None:
    # Web of Science marks the retracted article's record (not the retraction notice): it is
    # the article, which the other databases list under its plain title
    article = art("X", title=SALT, **SALT_PLACE)
    marked = art("W", title=f"{SALT} (Retracted article. See vol. 32, pg. 50, 2023)", **SALT_PLACE)
    assert groups([article, marked]) == {frozenset({"X", "W"})}
    # the retraction notice itself stays apart
    notice = art("N", title=f"Retraction notice: {SALT}", volume="32", pages="50")
    assert groups([article, notice]) == set()
