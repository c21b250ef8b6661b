"""Deduplication: another report of one study (protocol, secondary analysis, follow-up, ...), a
journal's standing items under a generic title, and one author under two initials."""

from __future__ import annotations

import pytest

from litreview.dedupe import (
    DISTINCT,
    DUPLICATE,
    UNSURE,
    compare,
    features,
    find_duplicates,
)
from litreview.dedupe.rules import author_overlap
from litreview.model import Name, Record

from .dedupe_helpers import groups, record, rule, verdict

TEAM = (Name("Okafor", "Chidi"), Name("Lindgren", "Maja"), Name("Ferraz", "Paulo"))


#: a sparse record as Embase or CINAHL export it: title, authors, journal and year only
BASE: dict[str, object] = dict(
    entry_type="article",
    title="Early walking after hip fracture surgery in frail older people",
    authors=TEAM,
    year=2021,
    container="Journal of Orthopaedic Rehabilitation",
    volume="",
    issue="",
    pages="",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- another report of the same study -----------------------------------------------------------

MAIN = "Early walking after hip fracture surgery in frail older people"

#: (one title, the other): two reports of one study, told apart only by a report kind
OTHER_REPORTS = [
    (MAIN, f"{MAIN}: a secondary analysis of a randomised trial"),
    (f"{MAIN}: a randomised trial", f"{MAIN}: protocol for a randomised trial"),
    (MAIN, f"{MAIN}: study protocol"),
    (MAIN, f"{MAIN}: rationale and design"),
    (MAIN, f"{MAIN}: design and methods of a multicentre trial"),
    (MAIN, f"{MAIN}: baseline characteristics of the trial cohort"),
    (MAIN, f"{MAIN}: long-term follow-up"),
    (MAIN, f"{MAIN}: an open-label extension study"),
    (MAIN, f"{MAIN}: a post hoc analysis"),
    (MAIN, f"{MAIN}: an exploratory analysis"),
    (MAIN, f"{MAIN}: subgroup analyses of a randomised trial"),
    (f"{MAIN}: a randomised trial", f"{MAIN}: a pilot randomised trial"),
    (f"{MAIN}: a randomised trial", f"{MAIN}: a feasibility randomised trial"),
    (f"{MAIN}: a randomised trial", f"{MAIN}: process evaluation of a randomised trial"),
    (f"{MAIN}: a randomised trial", f"{MAIN}: cost-effectiveness of a randomised trial"),
    (f"{MAIN}: a randomised trial", f"{MAIN}: economic evaluation of a randomised trial"),
    (
        f"{MAIN}: a systematic review and meta-analysis",
        f"{MAIN}: protocol for a systematic review and meta-analysis",
    ),
]


@pytest.mark.parametrize(("one", "other"), OTHER_REPORTS)
def test_a_report_kind_on_one_side_only_is_another_report(one: str, other: str) -> None:
    a, b = art("A", title=one), art("B", title=other)
    assert rule(a, b) == "other-report-of-the-study"
    assert verdict(a, b) == UNSURE
    assert groups([a, b]) == set()


def test_a_protocol_without_a_journal_is_not_merged_with_the_results() -> None:
    # a protocol found as grey literature, the results in a journal, in one year
    protocol = art("P", title=f"{MAIN}: protocol for a randomised trial", container="")
    results = art("R", title=f"{MAIN}: a randomised trial", container="The Lancet")
    assert verdict(protocol, results) != DUPLICATE
    assert groups([protocol, results]) == set()


def test_another_report_is_not_joined_through_a_record_of_the_main_report() -> None:
    # the main report in two exports, the protocol in a third: the protocol joins neither
    main_a = art("M1", volume="9", pages="101-110")
    main_b = art("M2")
    protocol = art("P", title=f"{MAIN}: study protocol")
    assert groups([main_a, main_b, protocol]) == {frozenset({"M1", "M2"})}


#: (one title, the other): one report, one database dropped or reworded its subtitle
SAME_REPORT = [
    (MAIN, f"{MAIN}: a randomised controlled trial"),
    (MAIN, f"{MAIN}: a cohort study"),
    (MAIN, f"{MAIN}: a systematic review"),
    (MAIN, f"{MAIN}: a meta-analysis"),
    (MAIN, f"{MAIN}: a qualitative study"),
    # the same report kind on both sides, in other words or other spelling
    (f"{MAIN}: study protocol", f"{MAIN}: study protocol"),
    (f"{MAIN}: protocol for a randomised trial", f"{MAIN}: protocol for a randomized trial"),
    (f"{MAIN}: long-term follow-up", f"{MAIN}: long term follow up"),
    (f"{MAIN}: 5-year follow-up", f"{MAIN}: 5-year followup"),
    (f"{MAIN}: a pilot study", f"{MAIN}: a pilot study."),
    (f"Cost-effectiveness of {MAIN.lower()}", f"Cost effectiveness of {MAIN.lower()}"),
]


@pytest.mark.parametrize(("one", "other"), SAME_REPORT)
def test_a_design_label_or_the_same_report_kind_still_merges(one: str, other: str) -> None:
    a, b = art("A", title=one), art("B", title=other)
    assert rule(a, b) == ""
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}


def test_a_report_kind_one_export_dropped_merges_with_a_shared_identifier_or_page_range() -> None:
    # the words are the only difference, but a DOI or one printed page range says one item
    by_doi = (
        art("A", title=f"{MAIN}: study protocol", doi="10.1/hip.7"),
        art("B", title=MAIN, doi="10.1/hip.7"),
    )
    by_place = (
        art("A", title=f"{MAIN}: study protocol", volume="9", pages="101-110"),
        art("B", title=MAIN, volume="9", pages="101-110"),
    )
    for a, b in (by_doi, by_place):
        assert rule(a, b) == ""
        assert verdict(a, b) == DUPLICATE
        assert groups([a, b]) == {frozenset({"A", "B"})}


def test_a_title_cut_at_a_length_may_lose_a_report_kind() -> None:
    # a database that cuts long titles mid-phrase ("... and") drops whatever comes last
    long_title = f"{MAIN} and their carers at home: a pilot randomised trial"
    a = art("A", title=long_title)
    b = art("B", title=f"{MAIN} and")
    assert rule(a, b) == ""
    assert groups([a, b]) == {frozenset({"A", "B"})}


def test_one_printed_place_merges_across_an_online_year_despite_a_dropped_report_kind() -> None:
    # the same volume and first page: one item, indexed online a year before its issue
    a = art("A", title=f"{MAIN}: study protocol", year=2020, volume="9", pages="101-110")
    b = art("B", title=MAIN, year=2021, volume="9", pages="101-110")
    assert rule(a, b) == ""
    assert groups([a, b]) == {frozenset({"A", "B"})}


def test_a_report_kind_dropped_merges_within_one_issue_of_one_volume() -> None:
    # a pilot study's record with and without its subtitle, in one issue, pages on one side:
    # a protocol and its results are never printed in one issue
    a = art("A", title=f"{MAIN}: results of a pilot study", volume="9", issue="2", pages="101-110")
    b = art("B", title=MAIN, volume="9", issue="2")
    assert rule(a, b) == ""
    assert groups([a, b]) == {frozenset({"A", "B"})}
    # in another issue it stays another report
    c = art("C", title=MAIN, volume="9", issue="5")
    assert groups([a, c]) == set()


def test_another_report_the_model_rejects_stays_distinct() -> None:
    # the rule caps a pair at unsure; it does not queue what the fields already tell apart
    a = art("A", title=f"{MAIN}: a randomised trial", container="The Lancet")
    b = art(
        "B",
        title=f"{MAIN}: protocol for a randomised trial",
        authors=(Name("Barros", "Ines"), Name("Kowalski", "Piotr")),
        container="Trials",
        year=2017,
    )
    assert verdict(a, b) == DISTINCT
    assert find_duplicates([a, b]).unsure == ()


# --- short generic titles -----------------------------------------------------------------------

GENERIC = [
    "Editorial",
    "In this issue",
    "Introduction",
    "Letter to the editor",
    "Reply",
    "Response",
    "Foreword",
    "President's message",
    "Guest editorial",
]


def _item(key: str, title: str, **kw: object) -> Record:
    base: dict[str, object] = dict(title=title, authors=(Name("Moreau", "Claire"),))
    base.update(kw)
    return art(key, **base)


@pytest.mark.parametrize("title", GENERIC)
def test_two_generic_short_titles_without_a_place_are_not_merged(title: str) -> None:
    # only two records carry the title, so the recurring-title rule does not see it
    a, b = _item("A", title), _item("B", title)
    assert verdict(a, b) == UNSURE
    assert groups([a, b]) == set()
    # one record placed in an issue, the other not: still no place in common
    placed = _item("A", title, volume="12", issue="3", pages="201-202")
    assert verdict(placed, b) == UNSURE
    assert groups([placed, b]) == set()


@pytest.mark.parametrize("title", GENERIC)
def test_a_generic_short_title_in_one_issue_or_with_one_doi_merges(title: str) -> None:
    place = dict(volume="12", issue="3", pages="201-202")
    same_issue = (_item("A", title, **place), _item("B", title, **place))
    first_page = (
        _item("A", title, volume="12", pages="201"),
        _item("B", title, volume="12", pages="201-202"),
    )
    one_doi = (_item("A", title, doi="10.1/ed.1"), _item("B", title, doi="10.1/ed.1"))
    for a, b in (same_issue, first_page, one_doi):
        assert verdict(a, b) == DUPLICATE
        assert groups([a, b]) == {frozenset({"A", "B"})}


def test_a_short_title_with_a_content_word_is_not_generic() -> None:
    # a short title that names its subject is judged as any other title
    a = _item("A", "Sepsis in children")
    b = _item("B", "Sepsis in children")
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}


# --- one author under two first initials --------------------------------------------------------

TITLE = "Community pharmacists and deprescribing in care homes"


def _single(key: str, surname: str, given: str) -> Record:
    return art(key, title=TITLE, authors=(Name(surname, given),))


def test_one_author_each_with_conflicting_initials_does_not_agree() -> None:
    a, b = _single("A", "Moreau", "Claire"), _single("B", "Moreau", "J.")
    assert author_overlap(features(a), features(b)) == (0.0, False)
    assert verdict(a, b) != DUPLICATE
    assert groups([a, b]) == set()
    editorials = _item("A", "Editorial"), _item("B", "Editorial", authors=(Name("Moreau", "J."),))
    assert verdict(*editorials) != DUPLICATE
    assert groups(list(editorials)) == set()


@pytest.mark.parametrize(
    ("given_a", "given_b"),
    [("J.", "John"), ("J", "John"), ("John", "John A."), ("", "John"), ("J.", ""), ("JA", "J.")],
)
def test_one_author_each_with_compatible_initials_still_agrees(given_a: str, given_b: str) -> None:
    a, b = _single("A", "Smith", given_a), _single("B", "Smith", given_b)
    share, _ = author_overlap(features(a), features(b)) or (0.0, False)
    assert share == 100.0
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # a middle name used as the first: the initial is among the other's initials
        (Name("Smith", "J. Robert"), Name("Smith", "Robert")),
        # an export that wrote the name in the wrong order, the initial left as the surname
        (Name("Salum", "Layla A."), Name("A", "Salum Layla")),
    ],
)
def test_one_author_each_whose_initial_is_the_others_middle_one_still_agrees(
    one: Name, other: Name
) -> None:
    a, b = art("A", title=TITLE, authors=(one,)), art("B", title=TITLE, authors=(other,))
    share, _ = author_overlap(features(a), features(b)) or (0.0, False)
    assert share == 100.0


def test_a_conflicting_first_initial_in_longer_lists_leaves_the_coauthors_to_agree() -> None:
    # with co-authors to compare the lists still mostly agree: an export's slip in one initial.
    # The author whose initial conflicts is not counted as shared (``Zhang, Wei`` / ``Zhang,
    # Li`` are two people), the two co-authors are, and the pair still merges
    a = art("A", title=TITLE)
    b = art("B", title=TITLE, authors=(Name("Okafor", "P."), *TEAM[1:]))
    share, first_same = author_overlap(features(a), features(b)) or (0.0, True)
    assert (round(share, 1), first_same) == (66.7, False)
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}


def test_pinned_to_one_place_the_single_authors_initials_do_not_split_a_pair() -> None:
    # the same year, volume and first page: one item whatever the initials say
    a = art("A", title=TITLE, authors=(Name("Moreau", "Claire"),), volume="9", pages="55-60")
    b = art("B", title=TITLE, authors=(Name("Moreau", "J."),), volume="9", pages="55-60")
    assert verdict(a, b) == DUPLICATE
    assert compare(features(a), features(b)).outcome != DISTINCT
