"""Deduplication, guard round 15: false merges the guard14 round left open, each two different
works that merged, beside the one work exported twice that must still merge.

* ``T2`` and ``T2*`` in titles: a key dropped the asterisk, and two MRI measures were one.
* European thousands, ``1.000`` / ``1.000.000``: the full stop was read as a decimal's mark and
  both titles held the numbers ``1`` and ``000``.
* ``Kim, Ji Hoon`` (a space) against ``Kim, Ji-Won``: the spaced given name was read as ``Ji``.
* ``X: 1-year results`` against the paper ``X``: a follow-up report named by its time.

Every record here is invented.
"""

from __future__ import annotations

from litreview.dedupe import find_duplicates
from litreview.model import Name, Record

from .dedupe_helpers import merged, not_merged, record, rule

PEOPLE = (Name("Varga", "Eszter"), Name("Okonkwo", "Ifeanyi"), Name("Lindahl", "Sofia"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Supervised walking after hip fracture surgery in people over eighty",
    authors=PEOPLE,
    year=2023,
    container="Invented Journal of Geriatric Rehabilitation",
    volume="12",
    issue="3",
    pages="140-149",
)

SPARSE: dict[str, object] = dict(volume="", issue="", pages="")


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- T2 and T2* -----------------------------------------------------------------------------------

MRI = "{} relaxation times of the femoral head cartilage after hip fracture surgery"


def test_t2_star_is_another_measure_than_t2() -> None:
    # the key dropped the asterisk: a T2 study and a T2* study of one team merged
    for star in ("T2*", "T2 *", "T2(*)", "T2-star"):
        a = art("A", title=MRI.format("T2"))
        b = art("B", title=MRI.format(star), **SPARSE)
        not_merged(a, b)
    not_merged(art("A", title=MRI.format("R2")), art("B", title=MRI.format("R2*"), **SPARSE))


def test_t2_star_written_two_ways_is_one_title() -> None:
    forms = ("T2*", "T2 *", "T2(*)", "T2-star", "T2star")
    for n, one in enumerate(forms):
        for other in forms[n + 1 :]:
            merged(art("A", title=MRI.format(one)), art("B", title=MRI.format(other), **SPARSE))
    merged(art("A", title=MRI.format("T2")), art("B", title=MRI.format("T2"), **SPARSE))


# --- European thousands -------------------------------------------------------------------------

SCREEN = "Falls after hip fracture surgery among {} older adults in one region"


def test_a_number_grouped_by_full_stops_is_one_number() -> None:
    # ``1.000.000`` cannot be a decimal: two works, a thousand and a million people, merged
    for one, other in (("1.000", "1.000.000"), ("2.500", "2.500.000"), ("1000", "1.000.000")):
        a = art("A", title=SCREEN.format(one))
        b = art("B", title=SCREEN.format(other), **SPARSE)
        not_merged(a, b)
        assert rule(a, b) == "different-numbers-in-title", (one, other)


def test_a_million_written_with_full_stops_spaces_or_commas_still_merges() -> None:
    forms = ("1.000.000", "1 000 000", "1,000,000", "1000000")
    for n, one in enumerate(forms):
        for other in forms[n + 1 :]:
            merged(
                art("A", title=SCREEN.format(one)), art("B", title=SCREEN.format(other), **SPARSE)
            )
    # a decimal and a version number are not joined
    for title in ("Dosing at 1.250 mg in 300 adults", "Version 2.1.3 of a falls screening tool"):
        merged(art("A", title=title), art("B", title=title, **SPARSE))


# --- Kim, Ji Hoon and Kim, Ji-Won ---------------------------------------------------------------

KOREAN: dict[str, object] = dict(
    entry_type="article",
    title="Clinical effect of early walking on pain after hip fracture surgery",
    year=2021,
    container="Invented Korean Journal of Orthopaedics",
    volume="41",
    issue="2",
    pages="",
)


def test_a_spaced_korean_given_name_is_read_whole() -> None:
    # ``Ji Hoon`` was read as ``Ji``, which ``Ji-Won`` begins with: one person, and two teams'
    # papers under one generic title merged
    for given, other in (("Ji Hoon", "Ji-Won"), ("Ji Hoon", "Ji Won"), ("Ji-Hoon", "Ji Won")):
        one = record("A", KOREAN, authors=(Name("Kim", given), Name("Lee", "Sung Min")))
        two = record("B", KOREAN, authors=(Name("Kim", other), Name("Choi", "Yong Su")), issue="")
        not_merged(one, two)


def test_one_korean_name_written_spaced_hyphenated_or_as_initials_still_merges() -> None:
    one = record("A", KOREAN, authors=(Name("Kim", "Ji Hoon"), Name("Lee", "Sung Min")))
    for given, lee in (
        ("Ji-Hoon", "Sung-Min"),
        ("Jihoon", "Sungmin"),
        ("J.H.", "S.M."),
        ("JH", "SM"),
        ("Ji H", "Sung M"),
        ("Ji", "Sung"),
    ):
        same = record("B", KOREAN, authors=(Name("Kim", given), Name("Lee", lee)), issue="")
        merged(one, same)


# --- a follow-up report named by its time -------------------------------------------------------


def test_a_follow_up_report_named_by_its_time_is_another_report() -> None:
    # ``X: 1-year results`` without its place, beside the placed paper ``X``: merged
    title = str(BASE["title"])
    for ending in (": 1-year results", ": 5-year follow-up", ". 12-month outcomes"):
        paper = art("P")
        later = art("L", title=f"{title}{ending}", **SPARSE)
        not_merged(paper, later)
        queued = {frozenset((p.a, p.b)) for p in find_duplicates([paper, later]).unsure}
        assert queued == {frozenset({"P", "L"})}, ending


def test_a_follow_up_report_exported_twice_still_merges() -> None:
    title = f"{BASE['title']}: 1-year results"
    merged(art("A", title=title), art("B", title=title.replace("1-year", "1 year"), **SPARSE))
    merged(art("A", title=title), art("B", title=title.upper(), **SPARSE))
    # the time in words in one export, in digits in the other
    merged(
        art("A", title=title.replace("1-year", "One-year")),
        art("B", title=title, **SPARSE),
    )


# --- a commentary by the article's own authors --------------------------------------------------


def test_a_commentary_under_the_articles_title_after_a_full_stop_is_another_item() -> None:
    # ``X. Commentary`` by the article's authors, in its issue or without a place: merged with X
    title = str(BASE["title"])
    for ending in (". Commentary", ". Invited commentary", ". An expert commentary"):
        for place in ({}, SPARSE, dict(pages="150-151")):
            not_merged(art("P"), art("C", title=f"{title}{ending}", **place))


def test_an_article_whose_title_ends_on_commentary_exported_twice_still_merges() -> None:
    title = f"{BASE['title']}. Commentary"
    merged(art("A", title=title), art("B", title=title.lower(), **SPARSE))
    # a word that ends in a commentary's letters inside the title is no note
    plain = "Sports commentary and falls after hip fracture surgery in people over eighty"
    merged(art("A", title=plain), art("B", title=plain, **SPARSE))


# --- a column's heading over another writer's piece, no authors, in a small library ------------


def test_a_journal_club_piece_without_authors_is_not_the_paper() -> None:
    # ``Journal club: X`` with no authors, the heading cut off as a section's: in a library of
    # the two records the piece merged with the paper X
    title = str(BASE["title"])
    for heading in ("Journal club", "Research highlight", "Paper of the month"):
        for place in (SPARSE, dict(pages="160")):
            piece = art("J", title=f"{heading}: {title}", authors=(), **place)
            not_merged(art("P"), piece)


def test_a_journal_club_piece_exported_twice_still_merges() -> None:
    title = f"Journal club: {BASE['title']}"
    for place in (dict(pages=""), dict(issue=""), dict(pages="140-9")):
        merged(art("A", title=title, authors=()), art("B", title=title, authors=(), **place))
    # a section's heading of other words is still cut
    merged(art("A", title=f"Original research: {BASE['title']}"), art("B", **SPARSE))


# --- one abstract presented at two meetings in one year -----------------------------------------

MEETING: dict[str, object] = dict(entry_type="inproceedings", volume="", issue="", pages="")


def test_one_abstract_at_two_meetings_is_two_reports_a_person_decides() -> None:
    # both records typed as a meeting's, the meetings' names alike only in the formula every
    # meeting's name has (``Annual Meeting of the ...``): they merged silently
    for kind in ("inproceedings", "conference"):
        for one, other in (
            (
                "Annual Meeting of the Invented Geriatrics Society",
                "Annual Meeting of the Invented Falls Network",
            ),
            (
                "Proceedings of the Invented Geriatrics Congress",
                "Proceedings of the Invented Falls Prevention Congress",
            ),
            (
                "Proceedings of the Invented Geriatrics Congress",
                "Abstracts of the Invented Falls Meeting",
            ),
        ):
            a = art("A", **{**MEETING, "entry_type": kind}, container=one)
            b = art("B", **{**MEETING, "entry_type": kind}, container=other)
            not_merged(a, b)
            queued = {frozenset((p.a, p.b)) for p in find_duplicates([a, b]).unsure}
            assert queued == {frozenset({"A", "B"})}, (one, other)
            assert rule(a, b) == "two-meetings", (one, other)


def test_one_meeting_abstract_exported_twice_still_merges() -> None:
    # one meeting named in full, in capitals, abbreviated, or with its year
    name = "Proceedings of the Invented Geriatrics Congress"
    for other in (
        name.upper(),
        "Proc Invented Geriatrics Congr",
        f"{name} 2023",
    ):
        merged(art("A", **MEETING, container=name), art("B", **MEETING, container=other))


# --- a Cochrane review's update in one year, one record without its issue ----------------------

COCHRANE: dict[str, object] = dict(
    entry_type="article",
    title="Supervised walking programmes for people after hip fracture surgery",
    authors=PEOPLE,
    year=2023,
    container="Cochrane Database of Systematic Reviews",
    volume="",
    issue="2",
    pages="CD019876",
)


def test_a_cochrane_update_in_the_same_year_without_its_issue_goes_to_a_person() -> None:
    # the update's team changed, its record gave no issue: it merged with the first version
    first = record("A", COCHRANE)
    # (an author of the first version gone from it: one only added is what an export that cut
    # the list short gives too, and still merges)
    for team in (
        (PEOPLE[0], PEOPLE[2], Name("Nakamura", "Aiko")),
        (Name("Nakamura", "Aiko"), *PEOPLE[1:]),
    ):
        update = record("B", COCHRANE, authors=team, issue="")
        not_merged(first, update)
        queued = {frozenset((p.a, p.b)) for p in find_duplicates([first, update]).unsure}
        assert queued == {frozenset({"A", "B"})}, team


def test_one_cochrane_version_exported_with_and_without_its_issue_still_merges() -> None:
    first = record("A", COCHRANE)
    for team in (
        PEOPLE,
        (Name("Varga", "E"), Name("Okonkwo", "I"), Name("Lindahl", "S")),
    ):
        merged(
            first,
            record("B", COCHRANE, authors=team, issue="", container="Cochrane Database Syst Rev"),
        )
