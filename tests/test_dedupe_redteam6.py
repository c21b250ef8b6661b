"""Deduplication, the sixth red-team round: field trust in a library with few identifiers, long
column titles, and comments titled after the work they answer.

Every record here is invented. Each class that must stay apart sits next to the look-alike
records of one work, which must still merge.
"""

from __future__ import annotations

from dataclasses import replace

from litreview.dedupe import DUPLICATE, find_duplicates
from litreview.dedupe.model import ANCHOR, FIELDS, UNKNOWN, estimate
from litreview.model import Name, Provenance, Record

from .dedupe_helpers import groups, record, verdict

EDITOR = (Name("Brannigan", "Oksana"),)

BASE: dict[str, object] = dict(
    entry_type="article",
    title="",
    authors=(Name("Quispe", "Rosa"), Name("Halloran", "Dermot")),
    year=2022,
    container="Invented Quarterly of Rural Health Services",
    volume="",
    issue="",
    pages="",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


def _bits(records: list[Record], field: str, level: str) -> float:
    result = find_duplicates(records)
    assert result.model is not None
    return result.model.weights[field][dict(FIELDS)[field].index(level)]


# --- 1. field trust where few records carry an identifier ------------------------------------------

COLUMN = "Remarks from the editor of the Invented Quarterly: notes on this issue"


def _works(n: int, dois: bool) -> list[Record]:
    """``n`` articles, each exported by two databases (one file each) that agree on its place."""
    out: list[Record] = []
    for i in range(n):
        base = art(
            f"W{i:02d}",
            title=f"Nurse-led clinic number {i} for chronic wound care in district {i * 7 + 3}",
            authors=(Name(f"Author{i}", "Q."), Name(f"Second{i}", "R.")),
            year=2010 + i % 12,
            volume=str(20 + i % 12),
            issue=str(1 + i % 4),
            pages=f"{100 + 10 * i}-{108 + 10 * i}",
            doi=f"10.5555/rural.{i}" if dois else "",
            provenance=(Provenance("embase", "embase.ris", i, f"e{i}"),),
        )
        out += [
            base,
            replace(
                base,
                key=f"W{i:02d}x",
                provenance=(Provenance("medline", "medline.nbib", i, f"m{i}"),),
            ),
        ]
    return out


def _column(years: int) -> list[Record]:
    """The editor's column in each of the four issues of ``years`` volumes: one title, one
    author, one journal, one volume a year; only the issue tells them apart (no pages)."""
    return [
        art(
            f"C{y}{q}",
            title=COLUMN,
            authors=EDITOR,
            year=2010 + y,
            volume=str(20 + y),
            issue=str(q),
            provenance=(Provenance("scopus", "scopus.ris", 4 * y + q, f"s{y}{q}"),),
        )
        for y in range(years)
        for q in range(1, 5)
    ]


def test_a_column_in_every_issue_does_not_teach_the_model_that_the_issue_is_noise() -> None:
    # no identifiers at all: EM saw the column's pairs (same title, author, journal, year and
    # volume; another issue) as duplicates that disagree on the issue, and the weight of a
    # different issue fell to about -1 bit, so the column's issues merged into one record
    # (here: -0.03 bits, and 20 of the column's records merged)
    records = _works(10, dois=False) + _column(20)
    assert _bits(records, "issue", "different") <= -2.0
    merged = groups(records)
    assert not any(k.startswith("C") for g in merged for k in g)
    assert merged == {frozenset({f"W{i:02d}", f"W{i:02d}x"}) for i in range(10)}


def test_pairs_sharing_an_identifier_measure_how_often_one_work_disagrees_on_a_field() -> None:
    # pattern counts as EM sees them: 60 pairs that share a DOI all agree on the issue; 500
    # unknown pairs look alike on everything but disagree on the issue
    pattern_same = (0, 0, 0, 0, 0, 0, -1, 0, ANCHOR)
    unknown_differ = (1, 0, 0, 0, 0, 1, -1, -1, UNKNOWN)
    counts = {name: [0.0] * len(levels) for name, levels in FIELDS}
    counts["issue"] = [150.0, 850.0]
    anchored = estimate({pattern_same: 60, unknown_differ: 500}, counts, 1000, 5000)
    free = estimate({(*pattern_same[:-1], UNKNOWN): 60, unknown_differ: 500}, counts, 1000, 5000)
    issue = dict(FIELDS)["issue"].index("different")
    assert anchored.weights["issue"][issue] <= -2.0  # measured on the DOI pairs
    assert free.weights["issue"][issue] > -2.0  # learnt from the look-alikes: noise
    # a floor: pairs sharing an identifier that agree less often than EM infers do not lower
    # the trust EM found (60 DOI pairs, half of them disagreeing on the issue, beside 500
    # unknown pairs that all agree on it)
    unknown_same = (0, 0, 0, 0, 0, 0, -1, -1, UNKNOWN)
    pattern_differ = (0, 0, 0, 0, 0, 1, -1, 0, ANCHOR)
    mixed = {pattern_same: 30, pattern_differ: 30, unknown_same: 500}
    floor = estimate(mixed, counts, 1000, 5000)
    plain = estimate(
        {(*k[:-1], UNKNOWN if k[-1] == ANCHOR else k[-1]): v for k, v in mixed.items()},
        counts,
        1000,
        5000,
    )
    assert floor.m["issue"][0] >= plain.m["issue"][0] - 1e-9
    # too few identifier-sharing pairs: EM decides, as for any pair known to be one work
    few = estimate({pattern_same: 10, unknown_differ: 500}, counts, 1000, 5000)
    known = estimate({(*pattern_same[:-1], 1): 10, unknown_differ: 500}, counts, 1000, 5000)
    assert few.weights == known.weights


def test_a_noisy_issue_column_still_weighs_nothing_when_the_identifier_pairs_show_it() -> None:
    # every work exported twice with its DOI, and each export's "issue" an accession number of
    # its own: the pairs that share a DOI disagree on the issue, so it is noise here
    records = [
        replace(r, issue=str(41000 + 2 * k) if r.key.endswith("x") else str(52000 + 2 * k))
        for k, r in enumerate(_works(60, dois=True))
    ]
    assert _bits(records, "issue", "different") > -2.0
    assert len(groups(records)) == 60


# --- 2. a long column title, and a record of it that nothing places --------------------------------

HIGHLIGHTS = "Highlights from the current literature in paediatric kidney care"


def _highlights() -> list[Record]:
    placed = [
        art(
            f"H{q}",
            title=HIGHLIGHTS,
            authors=(),
            volume="12",
            issue=str(q),
            pages=f"{40 * q}-{40 * q + 2}",
        )
        for q in (1, 2, 3)
    ]
    return [*placed, art("HX", title=HIGHLIGHTS, authors=(), volume="12")]


def test_a_long_column_title_without_its_issue_is_merged_with_none_of_its_issues() -> None:
    records = _highlights()
    assert groups(records) == set()
    result = find_duplicates(records)
    assert {frozenset((p.a, p.b)) for p in result.unsure} >= {
        frozenset(("HX", f"H{q}")) for q in (1, 2, 3)
    }
    # the same with one export per record and an author on each: the library shows the title
    # in three issues of one volume, whoever exported them
    signed = [replace(r, authors=EDITOR) for r in records]
    assert groups(signed) == set()


def test_a_newsletter_column_without_volumes_is_a_column_too() -> None:
    # a bulletin numbered by issue within the year, with no volume
    title = "Research news from member associations around the region"
    placed = [art(f"N{q}", title=title, authors=(), issue=str(q)) for q in (3, 4, 5)]
    bare = art("NX", title=title, authors=())
    assert groups([*placed, bare]) == set()


def test_a_record_of_the_column_that_names_its_issue_still_merges_with_that_issue() -> None:
    records = _highlights()
    again = art("H2b", title=HIGHLIGHTS, authors=(), volume="12", issue="2")
    assert frozenset({"H2", "H2b"}) in groups([*records, again])


def test_one_article_in_three_exports_one_without_its_place_still_merges() -> None:
    # three records of one title in one place (not a column): the one without the issue and
    # pages is that article
    title = "Travel distance to dialysis and missed sessions in remote communities"
    placed = dict(volume="12", issue="3", pages="201-209")
    records = [
        art("A1", title=title, **placed),
        art("A2", title=title, **placed),
        art("A3", title=title, volume="12"),
    ]
    assert groups(records) == {frozenset({"A1", "A2", "A3"})}


# --- 3. comments and replies titled after the work they answer --------------------------------------

DISCUSSION = "Comment on egusphere-2023-1234"


def test_two_comments_on_one_discussion_paper_are_not_merged_on_their_title() -> None:
    referee = art(
        "R1", title=DISCUSSION, authors=(Name("Vasquez", "Elena"),), container="EGUsphere"
    )
    for other in (
        art("R2", title=DISCUSSION, authors=(), container="EGUsphere"),  # an anonymous referee
        art("R2", title=DISCUSSION, authors=(Name("Lindahl", "Per"),), container="EGUsphere"),
    ):
        assert verdict(referee, other) != DUPLICATE
        assert verdict(other, referee) != DUPLICATE
        assert groups([referee, other]) == set()
    both_anonymous = [
        art("R3", title=DISCUSSION, authors=(), container="EGUsphere"),
        art("R4", title=DISCUSSION, authors=(), container="EGUsphere"),
    ]
    assert verdict(*both_anonymous) != DUPLICATE
    assert groups(both_anonymous) == set()


def test_comments_titled_after_one_article_by_other_authors_are_not_merged() -> None:
    title = "Comment on 'Night-time light exposure and glucose tolerance in shift workers'"
    first = art("K1", title=title, authors=(Name("Vasquez", "Elena"),), year=2019)
    for later in (
        art("K2", title=title, authors=(), year=2019),
        art("K2", title=title, authors=(), year=2020),
        art("K2", title=title, authors=(Name("Lindahl", "Per"),), year=2020),
    ):
        assert verdict(first, later) != DUPLICATE
        assert groups([first, later]) == set()
    reply = "Reply to the comment on 'Night-time light exposure and glucose tolerance'"
    assert groups([art("P1", title=reply, authors=EDITOR), art("P2", title=reply)]) == set()


def test_other_notices_titled_after_one_work_need_more_than_their_title() -> None:
    article = "Night-time light exposure and glucose tolerance in shift workers"
    # two corrections of one article in one year; a database lists errata without authors
    errata = [
        art("E1", title=f"Correction to: {article}", authors=EDITOR),
        art("E2", title=f"Correction to: {article}", authors=()),
    ]
    assert verdict(*errata) != DUPLICATE
    assert groups(errata) == set()
    # two referees' reports on one paper
    reports = [
        art("P1", title=f"Review of: {article}", authors=(Name("Vasquez", "Elena"),)),
        art("P2", title=f"Review of: {article}", authors=()),
    ]
    assert groups(reports) == set()
    # one correction in two exports, placed in one issue: merged
    place = dict(volume="7", issue="4", pages="512")
    placed = [replace(e, **place) for e in errata]  # type: ignore[arg-type]
    assert verdict(*placed) == DUPLICATE
    assert groups(placed) == {frozenset({"E1", "E2"})}


def test_one_comment_in_two_exports_still_merges() -> None:
    title = "Comment on 'Night-time light exposure and glucose tolerance in shift workers'"
    people = (Name("Vasquez", "Elena"), Name("Lindahl", "Per"))
    # the same authors
    pair = [art("K1", title=title, authors=people), art("K2", title=title, authors=people)]
    assert verdict(*pair) == DUPLICATE
    assert groups(pair) == {frozenset({"K1", "K2"})}
    # one export without the authors, but both in one place of one issue
    place = dict(volume="7", issue="2", pages="311-312")
    pair = [
        art("K1", title=title, authors=people, **place),
        art("K2", title=title, authors=(), **place),
    ]
    assert verdict(*pair) == DUPLICATE
    assert groups(pair) == {frozenset({"K1", "K2"})}


# --- 4. a book, and a review of it that a database indexes under the book's title ------------------

BOOK = "Caring for older relatives at home: a practical guide for families"


def test_a_book_and_a_journal_article_under_its_title_are_not_merged() -> None:
    book = art("B", entry_type="book", title=BOOK, container="Invented University Press")
    for review in (
        art("V", title=BOOK, volume="12", issue="3", pages="410-411"),  # under the authors
        art("V", title=BOOK, authors=(), volume="12", issue="3", pages="410-411"),  # none
    ):
        assert verdict(book, review) != DUPLICATE
        assert groups([book, review]) == set()
    # without the publisher, too
    bare = replace(book, container="")
    assert groups([bare, art("V", title=BOOK, volume="12", issue="3", pages="410-411")]) == set()


def test_one_book_in_two_exports_and_a_chapter_typed_as_a_book_still_merge() -> None:
    book = art("B", entry_type="book", title=BOOK, container="Invented University Press")
    again = art("B2", entry_type="book", title=BOOK, container="Invented Univ. Press")
    assert groups([book, again]) == {frozenset({"B", "B2"})}
    # a chapter some export types as a book (it has the chapter's pages) and the same chapter
    # as an article without a journal
    chapter = "Respite care and the family carer: what the evidence says"
    typed_book = art(
        "H1", entry_type="book", title=chapter, container=BOOK, pages="193-214", issue=""
    )
    as_article = art("H2", title=chapter, container="", pages="193-214")
    assert groups([typed_book, as_article]) == {frozenset({"H1", "H2"})}


# --- 5. a series title on several topics, and a record with the series title alone -----------------

SERIES = "Regional drought preparedness plan completion report for the upland counties"


def test_a_series_title_alone_is_merged_with_none_of_its_topics() -> None:
    # one report series on several topics, each its own report in one year by one team; a
    # database that cut the third topic's title at the dash left the series title alone
    people = (Name("Adeyemi", "Tunde"), Name("Solberg", "Ingvild"))
    topics = [
        art(f"T{k}", title=f"{SERIES} \u2014 {topic}", authors=people, container="Open-File Report")
        for k, topic in enumerate(("Water supply topic", "Wildfire topic", "Grazing topic"))
    ]
    bare = art("TX", title=SERIES, authors=people, container="Open-File Report")
    assert groups([*topics, bare]) == set()


def test_a_title_cut_at_its_colon_still_merges_when_the_library_holds_one_subtitle() -> None:
    title = "Travel distance to dialysis and missed sessions in remote communities"
    records = [
        art("S1", title=f"{title}: a retrospective cohort study", volume="12", pages="201-209"),
        art("S2", title=f"{title}: a retrospective cohort-study", volume="12"),
        art("S3", title=title),
    ]
    assert groups(records) == {frozenset({"S1", "S2", "S3"})}


# --- 6. a record that names no place, and two records placed apart that it matches as well ----------

STATEMENT = "The FIELDWORK 2021 statement: updated guidance for reporting invented field trials"
SIGNATORIES = (Name("Marchetti", "Lucia"), Name("Obuya", "Kevin"), Name("Thorsen", "Ane"))


def _copublished() -> list[Record]:
    """One statement printed in three journals the same year: three records, three places."""
    return [
        art(
            "J1",
            title=STATEMENT,
            authors=SIGNATORIES,
            container="Invented Medical Journal",
            volume="372",
            pages="71-79",
        ),
        art(
            "J2",
            title=STATEMENT,
            authors=SIGNATORIES,
            container="Journal of Invented Epidemiology",
            volume="134",
            pages="178-189",
        ),
        art(
            "J3",
            title=STATEMENT,
            authors=SIGNATORIES,
            container="Invented Trials Review",
            volume="10",
            issue="1",
            pages="89-97",
        ),
    ]


def test_a_record_that_names_no_place_joins_none_of_several_it_matches_as_well() -> None:
    # a fourth record names no journal, volume or pages: it is one of the three, but which?
    bare = art("JX", title=STATEMENT, authors=SIGNATORIES, container="")
    result = find_duplicates([*_copublished(), bare])
    assert not result.merges
    assert {frozenset((p.a, p.b)) for p in result.unsure} >= {
        frozenset(("JX", k)) for k in ("J1", "J2", "J3")
    }


def test_a_record_that_names_one_of_the_places_joins_that_one() -> None:
    # the same record with the second journal's name: it matches that one better
    named = art(
        "JX", title=STATEMENT, authors=SIGNATORIES, container="Journal of Invented Epidemiology"
    )
    assert groups([*_copublished(), named]) == {frozenset({"J2", "JX"})}
