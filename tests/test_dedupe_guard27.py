"""Deduplication, guard round 27: different works that still merged after guard16, each beside
the one work exported twice that must still merge.

* ``X: summary`` / ``X: full report`` beside ``X``: a report's short and full versions.
* ``X (news)``, ``Highlights: X``, ``Pro: X`` / ``Con: X``: a news item, a digest's highlight
  or one side of a debate under the title it is about.
* ``Reprint of: X`` beside ``X``: another printing, arguably one work, for a person.
* A record typed as a patent, a report or a manual beside the journal's article of its title.
* ``Generation X``, ``factor V``: a lone ``X``, ``V`` or ``I`` after a plain word was read as a
  series' number, and one database's record without the subtitle waited for a person (a recall
  cost): only a numeral set apart (``X, I``) is an instalment.
* Found by a red-team of invented pairs: a trial's report named by what it reports (``X:
  primary outcomes``, ``Trial in progress: X``, ``X: study design``, ``X: a replication
  study``, ``X: a sub-study``, ``X: results at 2 years``) beside ``X``; two abstracts of one
  supplement whose titles are their session's heading (``Poster session 3: ...``).

Every record here is invented.
"""

from __future__ import annotations

import pytest

from litreview.dedupe.rules import dedupe_title_key, report_kinds
from litreview.model import Name, Record

from .dedupe_helpers import for_a_person, merged, not_merged, record, rule

PEOPLE = (Name("Lindqvist", "Maja"), Name("Obi", "Chinedu"), Name("Paredes", "Rosa"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Telephone coaching by pharmacists after discharge for heart failure",
    authors=PEOPLE,
    year=2022,
    container="Invented Journal of Pharmacy Practice",
    volume="31",
    issue="4",
    pages="210-219",
)

SPARSE: dict[str, object] = dict(volume="", issue="", pages="")
TITLE = str(BASE["title"])


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


def _one_work_exported_twice(title: str) -> None:
    """The cost side: capitals, punctuation, a translated title in brackets, and one database's
    record without its subtitle in the same printed place, all still one work."""
    merged(art("A", title=title), art("B", title=title.upper(), **SPARSE))
    merged(art("A", title=title), art("B", title=f"{title}.", **SPARSE))
    bracketed = f"{title} [Telefonisches Coaching durch Apotheker nach Entlassung]"
    merged(art("A", title=title), art("B", title=bracketed, **SPARSE))
    merged(art("A", title=f"{title}: a randomised trial"), art("B", title=title))


# --- 1. a report's summary or full version --------------------------------------------------


@pytest.mark.parametrize(
    "other",
    [
        f"{TITLE}: summary",
        f"Summary: {TITLE}",
        f"{TITLE}: full report",
        f"{TITLE} (full version)",
        f"{TITLE} [abridged]",
    ],
)
def test_a_reports_summary_or_full_version_goes_to_a_person(other: str) -> None:
    a, b = art("A"), art("B", title=other, **SPARSE)
    for_a_person(a, b)
    assert rule(a, b) == "other-report-of-the-study", other


def test_a_summary_or_a_full_report_exported_twice_still_merges() -> None:
    for title in (f"{TITLE}: summary", f"{TITLE}: full report"):
        _one_work_exported_twice(title)
    # a panel's summary is the panel's own report, and a title about summaries is no summary
    merged(art("A", title=f"{TITLE} (panel summary)"), art("B", title=TITLE, **SPARSE))
    panel = f"Panel: {TITLE}"
    merged(art("A", title=f"{panel} (summary)"), art("B", title=panel, **SPARSE))
    plain = "Summary statistics of telephone coaching by pharmacists for heart failure"
    merged(art("A", title=plain), art("B", title=plain, **SPARSE))


# --- 2. a news item, a highlight, one side of a debate ----------------------------------------

PIECES = (
    f"{TITLE} (news)",
    f"{TITLE} [News item]",
    f"{TITLE}: highlights",
    f"News: {TITLE}",
    f"In the news: {TITLE}",
    f"Highlights: {TITLE}",
    f"Spotlight: {TITLE}",
    f"Debate: {TITLE}",
    f"Pro: {TITLE}",
    f"Con: {TITLE}",
    f"Point: {TITLE}",
    f"Counterpoint: {TITLE}",
)


@pytest.mark.parametrize("piece", PIECES)
def test_a_news_item_a_highlight_or_a_debate_piece_is_not_the_article(piece: str) -> None:
    # with authors (the piece's, or the paper's as an export may list them): for a person
    for place in (SPARSE, dict(pages="44")):
        a, b = art("P"), art("N", title=piece, **place)
        for_a_person(a, b)
        assert rule(a, b) == "piece-on-paper", piece
    # without authors: a comment on the paper, kept apart
    not_merged(art("P"), art("N", title=piece, authors=(), **SPARSE))


def test_the_two_sides_of_a_debate_are_not_merged() -> None:
    not_merged(art("A", title=f"Pro: {TITLE}"), art("B", title=f"Con: {TITLE}", pages="220-221"))
    not_merged(
        art("A", title=f"Point: {TITLE}"), art("B", title=f"Counterpoint: {TITLE}", **SPARSE)
    )


def test_a_news_item_or_a_debate_piece_exported_twice_still_merges() -> None:
    for title in (f"{TITLE} (news)", f"Highlights: {TITLE}", f"Pro: {TITLE}"):
        merged(art("A", title=title), art("B", title=title.upper(), **SPARSE))
        merged(art("A", title=title), art("B", title=f"{title}.", **SPARSE))
    # one printed item whose heading one export left out
    merged(art("A", title=f"Highlights: {TITLE}"), art("B", issue=""))
    # the words opening an ordinary title, without a colon, are no heading
    for title in (
        "Pro-inflammatory markers after discharge for heart failure",
        "Point-of-care testing by pharmacists after discharge for heart failure",
        "News media coverage of heart failure care by pharmacists",
        "Highlights and shadows of telephone coaching for heart failure",
    ):
        merged(art("A", title=title), art("B", title=title, **SPARSE))


# --- 3. a reprint ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reprint", [f"Reprint of: {TITLE}", f"{TITLE} [reprint]", f"{TITLE} (Reprinted)"]
)
def test_a_reprint_beside_the_article_goes_to_a_person(reprint: str) -> None:
    # the work printed again (often in another journal, or the same journal's anthology): one
    # work, arguably, for a review, but two records only a person can call one
    a, b = art("A"), art("B", title=reprint, **SPARSE)
    for_a_person(a, b)
    assert rule(a, b) == "other-report-of-the-study", reprint


def test_a_reprint_exported_twice_still_merges() -> None:
    _one_work_exported_twice(f"Reprint of: {TITLE}")
    # the article and a record of it that notes the reprint, in one printed place
    merged(art("A"), art("B", title=f"{TITLE} [reprint]"))


# --- 4. a patent, a report or a manual typed so ------------------------------------------------


def test_a_patent_is_not_the_article_of_its_title() -> None:
    for container in ("", "Invented Patent Office"):
        patent = art("T", entry_type="patent", container=container, **SPARSE)
        not_merged(art("P"), patent)
        assert rule(art("P"), patent) == "typed-patent-vs-article", container
    # beside an article that nothing places yet: perhaps one record typed wrongly, a person
    for_a_person(art("P", **SPARSE), art("T", entry_type="patent", container="", **SPARSE))


@pytest.mark.parametrize("kind", ["techreport", "report", "manual"])
def test_a_report_or_a_manual_beside_the_article_goes_to_a_person(kind: str) -> None:
    # an institution's report often comes before the paper of its title, by its authors, in
    # its year: the earlier version, as a preprint is, for a person
    for container in ("", "Invented Institute of Pharmacy Practice"):
        report = art("R", entry_type=kind, container=container, **SPARSE)
        for_a_person(art("P"), report)
        assert rule(art("P"), report) == "typed-report-vs-article", (kind, container)


def test_a_standard_a_chapter_without_its_book_or_a_whole_collection_is_not_merged() -> None:
    # red-team: a standard typed so, the authors' chapter whose book's title an export lost, and
    # an edited collection under the article's title merged with the article
    for typed, expected in (
        (dict(entry_type="standard", container=""), "typed-report-vs-article"),
        (dict(entry_type="incollection", container=""), "typed-chapter-vs-article"),
        (dict(entry_type="inbook", container=""), "typed-chapter-vs-article"),
        (dict(entry_type="collection", container=""), "book-vs-journal-article"),
        (dict(entry_type="mvbook", container=""), "book-vs-journal-article"),
    ):
        other = art("O", **typed, **SPARSE)
        for_a_person(art("P"), other)
        assert rule(art("P"), other) == expected, typed


def test_a_patent_or_a_report_exported_twice_still_merges() -> None:
    for kind in ("patent", "techreport", "manual", "standard", "incollection", "collection"):
        one = art("A", entry_type=kind, container="", **SPARSE)
        merged(one, art("B", entry_type=kind, container="", title=TITLE.upper(), **SPARSE))
    # a report a journal prints (a weekly report typed as a report by one export) is the
    # journal's item: the same journal beside the article of its title
    merged(art("A"), art("B", entry_type="techreport", issue=""))
    # a chapter of a book series that another database types as a journal's article: one
    # page range in one year is one printed item, whatever the types say
    chapter = art("B", entry_type="incollection", container="", volume="", issue="")
    assert rule(art("A"), chapter) != "typed-chapter-vs-article"


# --- 5. a lone I, V or X after a plain word is no instalment --------------------------------------

LETTERED = (
    "Career plans of pharmacists from Generation X",
    "Telephone coaching for carriers of factor V",
    "Anticoagulant dosing by pharmacists and factor X",
)


@pytest.mark.parametrize("title", LETTERED)
def test_a_title_ending_in_a_words_letter_merges_without_its_subtitle(title: str) -> None:
    # ``Generation X: a national survey`` and one database's record without the subtitle, in
    # one printed place: the ``X`` was read as a series' tenth part, and the pair waited
    merged(art("A", title=f"{title}: a national survey"), art("B", title=title))
    merged(art("A", title=title), art("B", title=f"{title} [Karrierepläne von Apothekern]"))
    _one_work_exported_twice(title)


def test_a_series_numbered_with_a_lone_numeral_still_keeps_its_parts_apart() -> None:
    for one, other in (
        (", I", ", II"),
        (": I", ": V"),
        (" (I)", " (X)"),
        (", part I", ", part V"),
        (" I", " II"),  # a series numbered without a break: the other title numbers the words
    ):
        a = art("A", title=f"{TITLE}{one}")
        b = art("B", title=f"{TITLE}{other}", **SPARSE)
        not_merged(a, b)
        assert rule(a, b) == "different-part", (one, other)
    # and an instalment set apart beside the series' title alone waits for a person
    for_a_person(art("A", title=f"{TITLE}, I"), art("B", **SPARSE))


# --- 6. red-team: a trial's other reports named by what they report -----------------------------

REPORTS = (
    f"{TITLE}: primary outcomes",
    f"{TITLE}: main results of a randomised trial",
    f"Trial in progress: {TITLE}",
    f"{TITLE}: study design",
    f"{TITLE}: trial methods",
    f"{TITLE}: rationale",
    f"{TITLE}: a replication study",
    f"{TITLE}: a sub-study of the PHARM-CALL trial",
    f"{TITLE}: a reanalysis",
    f"{TITLE}: results at 2 years",
    f"{TITLE}: ten years on",
    f"{TITLE}: an economic analysis",
    f"{TITLE}: a companion paper",
    f"{TITLE} (second of two papers)",
)


@pytest.mark.parametrize("report", REPORTS)
def test_a_trials_other_report_named_by_what_it_reports_goes_to_a_person(report: str) -> None:
    a, b = art("A"), art("B", title=report, **SPARSE)
    for_a_person(a, b)
    assert rule(a, b) == "other-report-of-the-study", report


def test_a_protocols_amendment_goes_to_a_person() -> None:
    protocol = f"{TITLE}: study protocol"
    a, b = art("A", title=protocol), art("B", title=f"{protocol} amendment", **SPARSE)
    for_a_person(a, b)
    assert rule(a, b) == "other-report-of-the-study"


def test_a_trials_other_report_exported_twice_still_merges() -> None:
    for title in (
        f"{TITLE}: primary outcomes",
        f"Trial in progress: {TITLE}",
        f"{TITLE}: study design",
        f"{TITLE}: a replication study",
    ):
        merged(art("A", title=title), art("B", title=title.upper(), **SPARSE))
        merged(art("A", title=title), art("B", title=f"{title}.", **SPARSE))
    # one printed place holds the subtitle and a record without it
    merged(art("A", title=f"{TITLE}: primary outcomes"), art("B", title=TITLE))
    # the words inside a title of its own are no report's name, nor is a title's last word
    # ``design`` or ``methods`` (``... database design``, ``... N-body methods``)
    for title in ("Automated physical database design", "Load balancing in N-body methods"):
        assert not report_kinds(dedupe_title_key(title)), title
    for title in (
        "Primary outcomes that matter to people after discharge for heart failure",
        "Study design choices in pharmacist-led telephone coaching trials",
        "Replication of viral vectors in cardiac myocytes after heart failure",
    ):
        merged(art("A", title=title), art("B", title=title, **SPARSE))


# --- 7. red-team: abstracts titled by their session's heading -----------------------------------

SUPPLEMENT: dict[str, object] = dict(
    container="Invented Journal of Pharmacy Practice", volume="31", issue="Suppl 2", pages=""
)


@pytest.mark.parametrize(
    "heading",
    [
        "Poster session 3: heart failure and pharmacy",
        "Oral presentations",
        "Free papers 2 - cardiology",
        "Moderated poster session",
        "Session IV. Heart failure",
    ],
)
def test_two_abstracts_titled_by_their_sessions_heading_go_to_a_person(heading: str) -> None:
    # one supplement, one session, no page and no authors: every abstract of the session looks
    # like this, so the title, journal, volume and issue are no evidence of one abstract
    a = art("A", title=heading, authors=(), **SUPPLEMENT)
    b = art("B", title=heading, authors=(), **SUPPLEMENT)
    for_a_person(a, b)


def test_one_abstract_under_its_sessions_heading_exported_twice_still_merges() -> None:
    heading = "Poster session 3: heart failure and pharmacy"
    one = dict(SUPPLEMENT, pages="S45")
    merged(art("A", title=heading, authors=(), **one), art("B", title=heading.upper(), **one))
    # titles that open with such words but name a work of their own
    for title in (
        "Workshop-based training for hospital pharmacists in heart failure",
        "Symposium on pharmacist-led care in heart failure",
        "Poster presentation skills among pharmacy students",
    ):
        merged(
            art("A", title=title, authors=(), **SUPPLEMENT),
            art("B", title=title, authors=(), **SUPPLEMENT),
        )


# --- 8. red-team: a talk, its slides, a teaching case's notes under the paper's title -------------


@pytest.mark.parametrize(
    "talk",
    [
        f"{TITLE} (keynote)",
        f"{TITLE}: keynote address",
        f"{TITLE} [Invited talk]",
        f"{TITLE}: plenary lecture",
        f"{TITLE}: poster",
        f"Keynote: {TITLE}",
        f"Invited lecture: {TITLE}",
    ],
)
def test_a_talk_under_the_papers_title_goes_to_a_person(talk: str) -> None:
    # the talk's record (a meeting's item, by the paper's authors, in its year) beside the paper
    for_a_person(art("P"), art("T", title=talk, **SPARSE))


def test_slides_or_a_teaching_cases_notes_under_the_papers_title_are_not_the_paper() -> None:
    for title in (f"{TITLE}: slides", f"{TITLE} - lecture slides"):
        not_merged(art("P"), art("S", title=title, **SPARSE))
    for title in (f"{TITLE}: teaching notes", f"{TITLE}: instructor's manual"):
        notes = art("N", title=title, **SPARSE)
        not_merged(art("P"), notes)
        assert rule(art("P"), notes) == "deposit-vs-work:work/supplement", title


def test_a_talk_slides_or_notes_exported_twice_still_merge() -> None:
    for title in (f"{TITLE} (keynote)", f"Keynote: {TITLE}", f"{TITLE}: teaching notes"):
        merged(art("A", title=title), art("B", title=title.upper(), **SPARSE))
        merged(art("A", title=title), art("B", title=f"{title}.", **SPARSE))
    # the words in a title of its own
    for title in (
        "Keynote speakers at heart failure meetings: who is invited",
        "Teaching notes on telephone coaching by pharmacists",
        "Poster design for pharmacy conferences: a guide",
    ):
        merged(art("A", title=title), art("B", title=title, **SPARSE))


def test_a_report_word_standing_inside_a_title_is_still_a_word_the_other_lacks() -> None:
    # ``summary`` names a report only at a title's start or end: inside it, ``... automatic
    # summary tables`` / ``... automatic tables``, it is a word one title has and the other
    # lacks, as any other (a person decides), not left to the report rule that does not fire
    for word in ("summary", "rationale", "abridged"):
        a = art("A", title=f"Telephone coaching using automatic {word} tables for heart failure")
        b = art("B", title="Telephone coaching using automatic tables for heart failure", **SPARSE)
        not_merged(a, b)
        assert rule(a, b) == "different-words-in-titles", word
