"""Deduplication, the eighth round's red-team check: different works that the eighth round's
recall rules (a title cut inside a word, a Greek letter lost to ``?``, a year two apart with
the issue left out) joined.

Every record here is invented. Each class of two works sits next to the one work exported
twice that the round's rule was written for, which must still merge (or, where the evidence
is one-sided, wait for a person).
"""

from __future__ import annotations

from litreview.dedupe import DUPLICATE
from litreview.model import Name, Record

from .dedupe_helpers import groups, queued, record, verdict

PEOPLE = (Name("Okonkwo", "Adaeze"), Name("Lindqvist", "Maja"), Name("Tanaka", "Hiro"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Rotating night shifts and vigilant attention in hospital nurses",
    authors=PEOPLE,
    year=2019,
    container="Invented Journal of Occupational Sleep",
    volume="12",
    issue="4",
    pages="211-219",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- a title ending in a whole word that the other title goes on from ------------------------------

SHORT = "The effect of rotating night shift work on hospital nurses' sleep"
CUT = (
    "The effect of rotating night shift work on hospital nurses' sleepiness, vigilant attention"
    " and medication errors"
)


def test_a_title_ending_in_a_word_another_title_only_ends_differently_is_its_own() -> None:
    # a team's two papers in one journal and year: "... nurses' sleep" and "... nurses'
    # sleepiness, vigilant attention and ...". The shorter title ends in a whole word, which
    # the longer goes on from with an ending (-iness, -ren, -ing); read as the longer title
    # cut at a length inside its word, the pair merged when one record had no pages
    for one, two in (
        (SHORT, CUT),
        (
            "Asthma control and school absence in a cohort of urban primary school child",
            "Asthma control and school absence in a cohort of urban primary school children"
            " with obesity: a secondary analysis",
        ),
        (
            "A randomised trial of a group programme for first-time mothers on parent",
            "A randomised trial of a group programme for first-time mothers on parenting"
            " stress, infant sleep and maternal mood",
        ),
    ):
        for a, b in (
            (art("A", title=one, pages=""), art("B", title=two, pages="301-309")),
            (art("A", title=one, volume="", issue="", pages=""), art("B", title=two)),
        ):
            assert verdict(a, b) != DUPLICATE, one
            assert groups([a, b]) == set(), one


def test_a_title_cut_inside_a_word_that_is_no_word_still_merges() -> None:
    # the cut the eighth round read as a truncation: the letters before the cut are no word
    whole = art("A", title=CUT)
    for n in (64, 78):
        assert CUT[n - 1].isalpha() and CUT[n].isalpha(), n
        cut = art("B", title=CUT[:n], pages="")
        assert verdict(whole, cut) == DUPLICATE, CUT[:n]
        assert groups([whole, cut]) == {frozenset({"A", "B"})}, CUT[:n]


# --- a Greek letter lost to ``?``: which letter is one-sided -----------------------------------------

SECRETASE = "Inhibition of {}-secretase reduces amyloid plaque load in aged transgenic mice"


def test_a_letter_lost_to_a_question_mark_may_be_another_letter_and_waits() -> None:
    # ``?-secretase`` may have been γ-secretase as well as β-secretase: a team's two papers
    # in one issue of one journal. With a page on one record only, nothing but the title
    # tells the two apart, and the title lost the one letter that would: a person decides
    # (the eighth round merged them)
    for lost in ("?", " "):
        written = SECRETASE.format(lost).replace("  ", " ")
        a = art("A", title=written, pages="")
        for letter in ("β", "γ"):
            b = art("B", title=SECRETASE.format(letter))
            assert verdict(a, b) != DUPLICATE, (written, letter)
            assert groups([a, b]) == set(), (written, letter)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (written, letter)


def test_a_letter_lost_to_a_question_mark_in_the_same_place_merges() -> None:
    # the same year, volume and first page on both records place the two as one article
    a = art("A", title=SECRETASE.format("?"))
    b = art("B", title=SECRETASE.format("β"))
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}


# --- a year two apart with the issue on one record only ---------------------------------------------

GUIDE = "Interventions for preventing falls in older people living in the community"


def test_a_year_two_apart_without_an_issue_in_another_or_unnamed_journal_stays_apart() -> None:
    # the same volume and page range two years apart in two journals (a statement each
    # journal printed), or on a record that names no journal: only the same issue on both
    # records outweighed the year before the eighth round, and one journal must now
    printed = art("P", title=GUIDE, container="Invented Age and Ageing", year=2016, volume="45")
    for other in (
        art(
            "E", title=GUIDE, container="Invented Ageing Research", year=2014, volume="45", issue=""
        ),
        art("E", title=GUIDE, container="", year=2014, volume="45", issue=""),
    ):
        assert verdict(printed, other) != DUPLICATE, other.container
        assert groups([printed, other]) == set(), other.container


def test_a_year_two_apart_without_an_issue_in_the_same_journal_merges() -> None:
    printed = art("P", title=GUIDE, container="Invented Age and Ageing", year=2016, volume="45")
    early = art("E", title=GUIDE, container="Invented Age Ageing", year=2014, volume="45", issue="")
    assert verdict(printed, early) == DUPLICATE
    assert groups([printed, early]) == {frozenset({"P", "E"})}


# --- a series' number joined to its word at a title's end -------------------------------------------

SERIES = "Nurse staffing and missed care in acute medical wards across five hospitals: part{}"


def test_a_series_number_joined_to_its_word_is_no_footnote() -> None:
    # ``part1``, ``phase2``, ``wave3``: an export that joins a series' number to its word
    # writes the number of one paper of the series, not a footnote's mark. Read as a footnote,
    # part 1 against part 2 went to a person, and part 1 against the series' title without
    # its number merged
    for word in ("part", "phase", "wave"):
        title = SERIES.replace("part", word)
        one = art("A", title=title.format(1), pages="")
        two = art("B", title=title.format(2))
        assert verdict(one, two) != DUPLICATE, word
        assert groups([one, two]) == set(), word
        assert queued([one, two]) == set(), word
        bare = art("B", title=title.format(""))
        assert verdict(one, bare) != DUPLICATE, word
        assert groups([one, bare]) == set(), word


def test_a_footnote_digit_after_a_plain_word_is_still_no_number() -> None:
    title = "Nurse staffing and missed care in acute medical wards across five hospitals"
    a = art("A", title=title)
    b = art("B", title=f"{title}1", pages="")
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}


# --- a journal's section numbered I ------------------------------------------------------------------

MEETING = "Hypoxic preconditioning of cultured cardiomyocytes and mitochondrial calcium uptake"


def test_a_journals_section_i_is_not_the_journal_without_it() -> None:
    # another language's "i" (and) is a little word an abbreviation leaves out (``Neurologia i
    # Neurochirurgia Polska``), but an ``I`` at a name's end numbers a section: the meeting's
    # record in section I joined the abstract printed in the other journal's supplement
    meeting = art(
        "E",
        title=MEETING,
        entry_type="inproceedings",
        container="Invented Archives of Physiology I",
        volume="",
        issue="",
        pages="",
    )
    printed = art(
        "W", title=MEETING, container="Invented Archives of Physiology", volume="37", pages="S210"
    )
    assert verdict(meeting, printed) != DUPLICATE
    assert groups([meeting, printed]) == set()
    # the same journal's name with the section on both still names it
    same = art("W", title=MEETING, container="Invented Arch Physiol I", volume="37", pages="S210")
    assert verdict(meeting, same) == DUPLICATE
    assert groups([meeting, same]) == {frozenset({"E", "W"})}
