"""Deduplication, the fourteenth recall round: misses read in a real health-science library
(the SRA tafenoquine library, tuned on since this round; docs/benchmarks.md).

One class is fixed in the matcher: an article that one database filed under a provisional
volume and issue (indexed online before its issue, then again once printed), whose records agree
on the journal, year, whole page range, title and authors and differ only in volume and issue.
Each record here is invented; the red-team pairs beside it are two works that look like it and
must stay apart.
"""

from __future__ import annotations

from dataclasses import replace

from litreview.dedupe import DUPLICATE, find_duplicates
from litreview.model import Name, Record

from .dedupe_helpers import groups, record, verdict

TEAM = (
    Name("Quispe", "Rosa A."),
    Name("Lindqvist", "Maja"),
    Name("Adeyemi", "Tunde O."),
    Name("Forsyth", "Callum"),
    Name("Nakashima", "Ren"),
)

PRINTED: dict[str, object] = dict(
    entry_type="article",
    title="Relapse after a single dose of an invented antiparasitic in three river communities",
    authors=TEAM,
    year=2016,
    container="Invented Journal of Tropical Infections",
    volume="213",
    issue="5",
    pages="794-799",
)

#: the same article as one database first filed it: another volume and issue, the same pages
PROVISIONAL: dict[str, object] = dict(volume="212", issue="11")


def art(key: str, **kw: object) -> Record:
    return record(key, PRINTED, **kw)


def _not_merged(a: Record, b: Record) -> None:
    assert verdict(a, b) != DUPLICATE, (a, b)
    assert verdict(b, a) != DUPLICATE, (a, b)
    assert not find_duplicates([a, b]).merges, (a, b)


# --- the class fixed ---------------------------------------------------------------------------


def test_an_article_filed_under_a_provisional_volume_and_issue_merges_with_its_printed_record() -> (
    None
):
    printed = art("A")
    provisional = art(
        "B",
        title="Relapse after a single dose of an invented antiparasitic in three river communities".lower(),
        container="Invented J Trop Infect",
        **PROVISIONAL,
    )
    assert verdict(printed, provisional) == DUPLICATE
    assert groups([printed, provisional]) == {frozenset({"A", "B"})}
    # with the DOI both exports give, as well
    doi = {"doi": "10.5555/invented.jti.2015.508"}
    assert verdict(art("A", **doi), replace(provisional, doi=doi["doi"])) == DUPLICATE


def test_the_records_of_one_article_under_two_volumes_end_in_one_record() -> None:
    # three databases' records of the printed issue, two of the provisional one (one a copy
    # that cuts the author list with "et al."): every pair across the two is this class, so
    # neither group holds the other back
    cut = (*TEAM[:3], Name("al.", "et"))
    records = [
        art("P1"),
        art("P2", container="Invented J Trop Infect"),
        art("P3", authors=cut),
        art("Q1", **PROVISIONAL),
        art("Q2", authors=cut, **PROVISIONAL),
    ]
    assert groups(records) == {frozenset({"P1", "P2", "P3", "Q1", "Q2"})}


# --- red team: two works that look like it -----------------------------------------------------


def test_two_volumes_do_not_merge_on_a_short_range_or_at_the_front_of_an_issue() -> None:
    # a page or two (a column's), or the front pages where a journal numbering each issue from
    # 1 prints its editor's column every issue, place nothing across volumes
    for pages in ("794-796", "3-9", "12-20"):
        _not_merged(art("A", pages=pages), art("B", pages=pages, **PROVISIONAL))


def test_two_volumes_do_not_merge_on_pages_counted_from_one() -> None:
    # every article of an article-numbered journal runs from page 1
    _not_merged(art("A", pages="1-12"), art("B", pages="1-12", **PROVISIONAL))


def test_two_volumes_of_two_years_do_not_merge() -> None:
    _not_merged(art("A"), art("B", year=2015, **PROVISIONAL))
    _not_merged(art("A"), art("B", year=2012, **PROVISIONAL))


def test_two_volumes_do_not_merge_titles_one_word_apart() -> None:
    other = "Relapse after a single dose of an invented antiparasitic in three lake communities"
    _not_merged(art("A"), art("B", title=other, **PROVISIONAL))


def test_two_volumes_do_not_merge_other_teams_or_other_journals() -> None:
    others = (Name("Okonkwo", "Ifeoma"), Name("Petrov", "Dmitri"), Name("Salas", "Lucia"))
    _not_merged(art("A"), art("B", authors=others, **PROVISIONAL))
    _not_merged(
        art("A"), art("B", container="Invented Journal of Veterinary Parasitology", **PROVISIONAL)
    )


def test_a_column_on_the_same_pages_of_two_volumes_is_not_one_item() -> None:
    # a column the library holds in two places of one volume (its title comes back), printed
    # on the same pages of two volumes of one year: each instalment stays its own
    column = dict(
        title="Round-up of the quarter in tropical infections: what the clinics reported",
        authors=(Name("Fairweather", "Iona"),),
    )
    records = [
        art("A", pages="402-407", **column),
        art("B", pages="402-407", **column, **PROVISIONAL),
        art("C", pages="611-616", **column),
    ]
    assert find_duplicates(records).merges == ()


def test_two_volumes_do_not_merge_a_standing_item_or_a_comparison_turned_round() -> None:
    # the same year and first page are one place only within one volume: they do not excuse
    # a generic title, nor two things a title sets against each other named the other way round
    editor = (Name("Fairweather", "Iona"),)
    _not_merged(
        art("A", title="Editorial", authors=editor),
        art("B", title="Editorial", authors=editor, **PROVISIONAL),
    )
    one = "Weekly versus monthly dosing of an invented antiparasitic in three river communities"
    two = "Monthly versus weekly dosing of an invented antiparasitic in three river communities"
    _not_merged(art("A", title=one), art("B", title=two, **PROVISIONAL))


def test_two_volumes_do_not_merge_two_parts_of_a_series() -> None:
    base = "Relapse after a single dose of an invented antiparasitic in river communities"
    _not_merged(
        art("A", title=f"{base}, part 1: the wet season"),
        art("B", title=f"{base}, part 2: the wet season", **PROVISIONAL),
    )


# --- a page count read as the pages (EndNote's record of a Web of Science article) ---------------

#: one invented article of an article-numbered journal, as three exports give it: PubMed's
#: article number as its page; EndNote's record from Web of Science, with the article number
#: in C7 and the page count in SP; Embase's, without pages
_ARTICLE = """TY  - JOUR
TI  - Sleep of night-shift nurses before and after a change of rota: a review
AU  - Halvorsen, Ingrid
AU  - Mbeki, Thandiwe
AU  - Sorensen, Karl
PY  - 2020
JO  - {journal}
VL  - 19
IS  - 1
{pages}ER  -
"""


def _read(text: str, path: str) -> Record:
    from litreview.io import read_text

    return read_text(text, path, "database-search").records[0]


def _exports() -> list[Record]:
    pubmed = _ARTICLE.format(journal="Invented Nurs J", pages="SP  - 111\n")
    endnote = _ARTICLE.format(
        journal="Invented Nursing Journal", pages="SP  - 18\nC7  - 111\nM3  - Review\n"
    )
    embase = _ARTICLE.format(journal="Invented Nursing Journal", pages="")
    return [
        replace(_read(text, f"{name}.ris"), key=name)
        for name, text in (("pubmed", pubmed), ("endnote", endnote), ("embase", embase))
    ]


def test_endnotes_page_count_beside_an_article_number_is_read_as_the_article_number() -> None:
    endnote = _exports()[1]
    assert endnote.pages == "111"
    assert endnote.get("ris_sp") == "18"  # the page count is kept


def test_three_exports_of_an_article_numbered_article_end_in_one_record() -> None:
    # with the page count as its pages, the Web of Science record conflicted with PubMed's,
    # and Embase's record, without pages, could have been either: all three waited apart
    assert groups(_exports()) == {frozenset({"pubmed", "endnote", "embase"})}


def test_a_page_range_or_a_publisher_id_in_c7_leaves_the_pages_as_they_are() -> None:
    ranged = _read(_ARTICLE.format(journal="J", pages="SP  - 154\nEP  - 163\nC7  - 12\n"), "a.ris")
    assert ranged.pages == "154-163"
    pii = _read(
        _ARTICLE.format(journal="J", pages="SP  - 15\nC7  - PII S0000-0000(20)30001-2\n"), "b.ris"
    )
    assert pii.pages == "15"
    # nor for a chapter, whose C7 EndNote does not give its article number
    chapter = _read(
        _ARTICLE.replace("TY  - JOUR", "TY  - CHAP").format(
            journal="J", pages="SP  - 15\nC7  - 111\n"
        ),
        "c.ris",
    )
    assert chapter.pages == "15"


def test_two_articles_of_one_length_in_an_article_numbered_volume_are_not_one_article() -> None:
    # the red team's pair: two instalments of one team's column, both from EndNote's Web of
    # Science records, each four pages long; read as their pages, the page counts agreed and
    # made a place the two shared. Their article numbers tell them apart
    column = """TY  - JOUR
TI  - Notes from the ward: what the night shift taught us about sleep and rota planning
AU  - Halvorsen, Ingrid
AU  - Mbeki, Thandiwe
PY  - 2020
JO  - Invented Nursing Journal
VL  - 19
IS  - 1
SP  - 4
C7  - {number}
ER  -
"""
    one = replace(_read(column.format(number="45"), "a.ris"), key="a")
    two = replace(_read(column.format(number="301"), "b.ris"), key="b")
    assert (one.pages, two.pages) == ("45", "301")
    assert verdict(one, two) != DUPLICATE
    assert not find_duplicates([one, two]).merges


#: Web of Science's tab-delimited export (its columns named by its tags), two invented rows: an
#: article-numbered article (BP, EP empty; AR its number) and one with a page range; PG is each
#: article's page count
_WOS_TAB = (
    "PT\tAU\tTI\tSO\tPY\tVL\tIS\tBP\tEP\tAR\tDI\tPG\tUT\n"
    "J\tHalvorsen, I; Mbeki, T; Sorensen, K\tSleep of night-shift nurses before and after a "
    "change of rota: a review\tINVENTED NURSING JOURNAL\t2020\t19\t1\t\t\t111\t\t18\t"
    "WOS:000000000000111\n"
    "J\tQuispe, RA; Lindqvist, M\tRelapse after a single dose of an invented antiparasitic in "
    "three river communities\tINVENTED JOURNAL OF TROPICAL INFECTIONS\t2016\t213\t5\t794\t799"
    "\t\t\t6\tWOS:000000000000794\n"
)


def test_web_of_science_tab_delimited_pages_are_its_range_or_article_number_not_its_count() -> None:
    from litreview.io import read_text

    numbered, ranged = read_text(_WOS_TAB, "savedrecs.txt", "database-search").records
    assert (numbered.pages, numbered.get("pg")) == ("111", "18")
    assert (ranged.pages, ranged.get("pg")) == ("794-799", "6")
    # and the article-numbered one is PubMed's record of the article
    pubmed = _exports()[0]
    assert groups([pubmed, replace(numbered, key="wos")]) == {frozenset({"pubmed", "wos"})}


def test_a_csv_whose_pg_column_is_its_pages_keeps_reading_it_so() -> None:
    # only Web of Science's layout (BP and EP beside it) says PG is a count
    from litreview.io import read_text

    (row,) = read_text("Title,Year,PG\nA walk round the ward,2020,12-19\n", "x.csv", "s").records
    assert row.pages == "12-19"


def test_a_short_title_on_the_same_pages_of_two_volumes_is_not_one_item() -> None:
    # a column of a journal that pages each issue from 1, of one length at one place in each
    # issue, by its editor: the library holds only these two instalments, so nothing says the
    # title comes back, but a title of a few words says too little to excuse two volumes
    editor = (Name("Fairweather", "Iona"),)
    for short in (
        "Ward rounds in tropical medicine",
        "Highlights of the month in tropical medicine",
    ):
        _not_merged(
            art("A", title=short, authors=editor, pages="20-27"),
            art("B", title=short, authors=editor, pages="20-27", **PROVISIONAL),
        )
