"""Deduplication, guard round 16: different works that still merged after guard15, each beside
the one work exported twice that must still merge.

* ``Journal club: X`` whose authors are the paper's own (as an export may list them) beside X.
* A Cochrane review's update that only added authors, in the same year or the next.
* Two meetings whose names are alike but for a word (``X Congress`` / ``Nordic X Congress``).
* Meeting abstracts typed ``misc`` (RIS ``GEN``) whose containers name two meetings without a
  conference word; two names that shared nothing scored 0 and were read as no name at all.
* ``1.000`` / ``1000``: a lone European thousand was two numbers (a recall cost).
* Found by a red-team of invented pairs: a record typed as a data set or software, an
  ``X: addendum``, a lay summary, ``Expert commentary: X``, and a series' instalments (``X I``
  / ``X II``, ``X, part A`` / ``X``).

Every record here is invented.
"""

from __future__ import annotations

from litreview.model import Name, Record

from .dedupe_helpers import for_a_person, merged, not_merged, record, rule

PEOPLE = (Name("Brennan", "Aoife"), Name("Takahashi", "Ren"), Name("Osei", "Kwame"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Home-based balance training for older adults with peripheral neuropathy",
    authors=PEOPLE,
    year=2021,
    container="Invented Journal of Balance Research",
    volume="9",
    issue="2",
    pages="55-64",
)

SPARSE: dict[str, object] = dict(volume="", issue="", pages="")
TITLE = str(BASE["title"])


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- 1. a journal club's piece under the paper's title, with the paper's authors -------------


def test_a_journal_club_piece_with_the_papers_own_authors_goes_to_a_person() -> None:
    # ``Journal club: X`` listing X's authors, without a place: merged with the paper X
    for heading in ("Journal club", "Research highlight", "Paper of the month"):
        for place in (SPARSE, dict(pages="70"), dict(issue="4", pages="201-202")):
            piece = art("J", title=f"{heading}: {TITLE}", **place)
            for_a_person(art("P"), piece)
            assert rule(art("P"), piece) == "piece-on-paper", heading


def test_an_expert_commentary_under_the_papers_title_is_a_comment() -> None:
    for place in (SPARSE, dict(pages="70")):
        not_merged(art("P"), art("C", title=f"Expert commentary: {TITLE}", **place))


def test_a_journal_club_piece_with_authors_exported_twice_still_merges() -> None:
    title = f"Journal club: {TITLE}"
    merged(art("A", title=title), art("B", title=title.upper(), **SPARSE))
    # one printed item (year, volume and page range) whose heading one export left out
    merged(art("A", title=title), art("B", issue=""))


# --- 2. a Cochrane review's update that only added authors ------------------------------------

COCHRANE: dict[str, object] = dict(
    entry_type="article",
    title="Balance training for people with peripheral neuropathy",
    authors=PEOPLE,
    year=2021,
    container="Cochrane Database of Systematic Reviews",
    volume="",
    issue="3",
    pages="CD014321",
)
ADDED = (*PEOPLE, Name("Nakamura", "Aiko"))


def test_a_cochrane_update_that_only_added_authors_goes_to_a_person() -> None:
    first = record("A", COCHRANE)
    # the same year, the update's record without its issue (or neither with one)
    for_a_person(first, record("B", COCHRANE, authors=ADDED, issue=""))
    for_a_person(record("A", COCHRANE, issue=""), record("B", COCHRANE, authors=ADDED, issue=""))
    # the next year: a record without its issue is not an article online before its issue
    early = record("A", COCHRANE, issue="")
    for team in (PEOPLE, ADDED):
        for volume in ("", "5"):
            later = record("B", COCHRANE, authors=team, year=2022, volume=volume, issue="5")
            for_a_person(early, later)


def test_one_cochrane_version_exported_twice_still_merges() -> None:
    first = record("A", COCHRANE)
    merged(first, record("B", COCHRANE, issue="", container="Cochrane Database Syst Rev"))
    merged(first, record("B", COCHRANE, authors=ADDED))  # one issue: a list cut short


# --- 3. and 4. two meetings' names alike but for a word; meetings typed misc -----------------

MEETING: dict[str, object] = dict(entry_type="inproceedings", **SPARSE)
MISC: dict[str, object] = dict(entry_type="misc", **SPARSE)


def test_two_meetings_whose_names_differ_by_a_word_go_to_a_person() -> None:
    for one, other in (
        ("Invented Neuropathy Congress", "Nordic Invented Neuropathy Congress"),
        ("European Invented Neuropathy Meeting", "Asian Invented Neuropathy Meeting"),
        (
            "Annual Meeting of the Invented Neuropathy Society",
            "Annual Meeting of the Canadian Invented Neuropathy Society",
        ),
    ):
        # typed as a meeting's, or as an article in a container named as a meeting's
        for typed in (MEETING, SPARSE):
            a = art("A", **typed, container=one)
            b = art("B", **typed, container=other)
            for_a_person(a, b)
            assert rule(a, b) == "two-meetings", (one, other)


def test_meeting_abstracts_typed_misc_at_two_meetings_go_to_a_person() -> None:
    for one, other in (
        ("Invented Neuropathy Society 2021", "Invented Balance Forum 2021"),
        ("INS 2021", "IBF 2021"),  # names that share nothing scored 0, read as "no name"
        ("Invented Neuropathy Society", "Nordic Invented Neuropathy Society"),
    ):
        a = art("A", **MISC, container=one)
        b = art("B", **MISC, container=other)
        for_a_person(a, b)
        assert rule(a, b) == "two-meetings", (one, other)


def test_one_meeting_abstract_exported_twice_still_merges() -> None:
    name = "Annual Meeting of the Invented Neuropathy Society"
    for typed in (MEETING, MISC):
        for other in (name.upper(), "Annu Meet Invented Neuropathy Soc", f"{name} 2021"):
            merged(art("A", **typed, container=name), art("B", **typed, container=other))
    # the meeting's place and date after its name, its acronym for its name
    for one, other in (
        (name, f"{name}, Berlin, June 2021"),
        ("INS Annual Meeting", "Invented Neuropathy Society Annual Meeting"),
    ):
        merged(art("A", **MEETING, container=one), art("B", **MEETING, container=other))
    merged(art("A", **MISC, container="INS 2021"), art("B", **MISC, container="INS 2021"))
    # one record without its meeting's name
    merged(art("A", **MISC, container="INS 2021"), art("B", **MISC, container=""))


# --- 5. a lone European thousand ----------------------------------------------------------------

SCREEN = "Falls among {} older adults with peripheral neuropathy in one region"


def test_a_lone_european_thousand_is_the_number_written_without_its_full_stop() -> None:
    for one, other in (("1.000", "1000"), ("1.000", "1,000"), ("12.500", "12 500")):
        merged(art("A", title=SCREEN.format(one)), art("B", title=SCREEN.format(other), **SPARSE))


def test_other_numbers_with_a_full_stop_stay_apart() -> None:
    for one, other in (("1.000", "2.000"), ("1.000", "1.000.000"), ("1.5", "15"), ("1.000", "1")):
        a = art("A", title=SCREEN.format(one))
        b = art("B", title=SCREEN.format(other), **SPARSE)
        not_merged(a, b)
        assert rule(a, b) == "different-numbers-in-title", (one, other)


# --- red-team: a data set or software typed so ---------------------------------------------------


def test_a_record_typed_as_a_data_set_or_software_is_not_the_paper() -> None:
    for kind in ("dataset", "software"):
        for container in ("", "Invented Data Repository"):
            deposit = art("D", entry_type=kind, container=container, **SPARSE)
            not_merged(art("P"), deposit)
            assert rule(art("P"), deposit).startswith("deposit-vs-work"), (kind, container)


def test_a_data_set_exported_twice_still_merges() -> None:
    one = art("A", entry_type="dataset", container="Invented Data Repository", **SPARSE)
    merged(one, art("B", entry_type="dataset", container="", **SPARSE))
    noted = art("B", entry_type="misc", title=f"{TITLE} [Data set]", container="", **SPARSE)
    merged(one, noted)


# --- red-team: an addendum and a lay summary under the article's title ------------------------


def test_an_addendum_or_a_lay_summary_under_the_articles_title_is_not_the_article() -> None:
    for title in (
        f"{TITLE}: addendum",
        f"{TITLE} - Addendum",
        f"Lay summary: {TITLE}",
        f"Plain English summary: {TITLE}",
        f"{TITLE}: a lay summary",
        f"Summary of: {TITLE}",
    ):
        not_merged(art("P"), art("N", title=title, **SPARSE))


def test_an_addendum_or_a_lay_summary_exported_twice_still_merges() -> None:
    for title in (f"{TITLE}: addendum", f"Lay summary: {TITLE}"):
        merged(art("A", title=title), art("B", title=title.lower(), **SPARSE))
    plain = "Lay summary writing by nurses for older adults with peripheral neuropathy"
    merged(art("A", title=plain), art("B", title=plain, **SPARSE))


# --- red-team: a series' instalments --------------------------------------------------------


def test_two_instalments_of_a_series_are_two_works() -> None:
    for one, other in (("I", "II"), ("(1)", "(2)"), ("1", "2"), ("part A", "part B")):
        a = art("A", title=f"{TITLE}, {one}")
        b = art("B", title=f"{TITLE}, {other}", **SPARSE)
        not_merged(a, b)
        assert rule(a, b) == "different-part", (one, other)


def test_an_instalment_beside_the_series_title_alone_goes_to_a_person() -> None:
    # ``X, 1`` beside ``X``: the number was read as a subtitle an export's cut had lost
    for one in ("I", "(1)", "1", "part A"):
        a = art("A", title=f"{TITLE}, {one}")
        b = art("B", **SPARSE)
        for_a_person(a, b)
        assert rule(a, b) == "different-part", one


def test_one_instalment_exported_twice_still_merges() -> None:
    for one, other in (("I", "1"), ("(1)", "1"), ("part A", "Part A"), ("II", "2")):
        merged(art("A", title=f"{TITLE}, {one}"), art("B", title=f"{TITLE} {other}", **SPARSE))
    # a place in one issue makes the two one item whatever an export did to the number
    merged(art("A", title=f"{TITLE}, 1"), art("B", issue=""))


# --- red-team: a video, podcast or slides under the article's title, as APA notes them --------


def test_a_media_item_noted_at_the_titles_end_is_not_the_article() -> None:
    for note in (" [Video]", " [Audio podcast]", " (PowerPoint slides)", " [Press release]"):
        not_merged(art("P"), art("M", title=f"{TITLE}{note}", **SPARSE))
    for ending in (": infographic", " - video abstract", ". A visual abstract"):
        not_merged(art("P"), art("M", title=f"{TITLE}{ending}", **SPARSE))


def test_a_record_typed_as_a_recording_is_not_the_article() -> None:
    for kind in ("video", "audio", "movie"):
        not_merged(art("P"), art("M", entry_type=kind, container="", **SPARSE))
    one = art("A", entry_type="video", container="", **SPARSE)
    merged(one, art("B", entry_type="video", container="", **SPARSE))


def test_a_media_item_exported_twice_still_merges() -> None:
    merged(art("A", title=f"{TITLE} [Video]"), art("B", title=f"{TITLE} [video]", **SPARSE))
    # the word inside a title is no note
    plain = "Video feedback in home-based balance training for older adults with neuropathy"
    merged(art("A", title=plain), art("B", title=plain, **SPARSE))


# --- red-team: a commentary's or a piece's heading, an editorial, an appendix ------------------


def test_a_commentary_appraisal_or_editorial_under_the_articles_title_is_not_it() -> None:
    for title in (
        f"Clinical commentary: {TITLE}",
        f"Evidence-based commentary: {TITLE}",
        f"{TITLE}. Editorial",
        f"{TITLE}: an editorial",
    ):
        not_merged(art("P"), art("C", title=title, **SPARSE))
    # by the article's own authors (as an export may list them): for a person
    for heading in ("Book review", "Critical appraisal of", "Synopsis", "Abstracted from"):
        piece = art("C", title=f"{heading}: {TITLE}", **SPARSE)
        for_a_person(art("P"), piece)


def test_an_appendix_under_the_articles_title_is_not_the_article() -> None:
    for ending in (": online appendix", ": technical appendix", " [Appendix]", ". Appendices"):
        deposit = art("D", title=f"{TITLE}{ending}", **SPARSE)
        not_merged(art("P"), deposit)
        assert rule(art("P"), deposit) == "deposit-vs-work:work/supplement", ending


def test_a_title_about_the_appendix_or_a_commentary_still_merges() -> None:
    for title in (
        "Mucinous tumours of the appendix in older adults with peripheral neuropathy",
        "Sports commentary and balance in older adults with peripheral neuropathy",
        "Editorial decisions on balance training trials in peripheral neuropathy",
    ):
        merged(art("A", title=title), art("B", title=title, **SPARSE))


def test_a_columns_heading_alone_is_no_piece_on_a_paper() -> None:
    # ``Book reviews.`` is the column's whole title, not a heading over a paper's: two records
    # of it, one with its full stop, are not a piece beside a paper
    for title in ("Book reviews", "Journal club", "Synopsis"):
        one = art("A", title=f"{title}.", authors=())
        assert rule(one, art("B", title=title, authors=(), issue="")) == "", title
