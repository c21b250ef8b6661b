"""The weighted matcher: one fixture per failure class seen on libraries it was never tuned on.

Every record here is made up for the test; the shapes (supplement DOIs, placeholders, noisy
issue columns, names run together, chains, preprints, markup) are the ones real exports have.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from litreview.dedupe import DUPLICATE, Decision, compare, features, find_duplicates
from litreview.dedupe.model import FIELDS, MISSING, Model, from_yaml, to_yaml
from litreview.dedupe.rules import (
    author_keys,
    author_overlap,
    clean_pages,
    first_author_key,
    is_placeholder,
)
from litreview.io.bibtex import read_bibtex
from litreview.model import Name, Provenance, Record


def rec(key: str, **kw: object) -> Record:
    base: dict[str, object] = dict(
        entry_type="article",
        title="Handover quality on acute medical wards: a mixed methods study",
        authors=(Name("Okafor", "Chidi"), Name("Lindqvist", "Maja")),
        year=2018,
        container="Journal of Hospital Practice",
        volume="14",
        issue="2",
        pages="101-112",
        provenance=(Provenance("src", f"{key}.ris", 1, key),),
    )
    base.update(kw)
    return Record(key=key, **base)  # type: ignore[arg-type]


def groups(records: list[Record], **kw: object) -> set[frozenset[str]]:
    result = find_duplicates(records, **kw)  # type: ignore[arg-type]
    return {frozenset([m.survivor, *(r.key for r in m.absorbed)]) for m in result.merges}


# --- 1. a DOI that names a container, not a work ---------------------------------------------------

_TOPICS = [
    "sepsis bundles in rural emergency departments",
    "falls after hip fracture surgery in older adults",
    "antibiotic stewardship on paediatric wards",
    "discharge letters written by junior doctors",
]


def test_a_supplement_doi_shared_by_several_abstracts_merges_none_of_them() -> None:
    supplement = "10.9999/suppl.2019.55"
    abstracts = [
        rec(
            f"Abs{i}",
            title=f"Audit of {t}",
            doi=supplement,
            authors=(Name(f"Author{i}", "A."),),
            pages=f"S{10 + i}",
            issue="Suppl 1",
        )
        for i, t in enumerate(_TOPICS)
    ]
    # two abstracts of one series a year apart, alike in title: the shared DOI proves nothing
    sequel = rec(
        "Abs9",
        title="Audit of sepsis bundles in rural emergency departments: year two",
        doi=supplement,
        year=2019,
        authors=(Name("Author0", "A."),),
        pages="S40",
        issue="Suppl 1",
    )
    found = groups([*abstracts, sequel])
    assert found == set()


def test_a_shared_doi_still_merges_two_exports_of_one_article() -> None:
    a = rec("A", doi="10.9999/jhp.2018.101")
    b = rec(
        "B",
        doi="10.9999/jhp.2018.101",
        title="Handover quality on acute medical wards - a mixed-methods study.",
    )
    assert groups([a, b]) == {frozenset({"A", "B"})}


# --- 2. placeholders are missing data ------------------------------------------------------------


def test_placeholders_are_recognised() -> None:
    for value in ("NA", "N/A", "[Epub ahead of print]", "Epub ahead of print", "unknown", "n.a."):
        assert is_placeholder(value), value
    assert clean_pages("01-Oct") == "" and clean_pages("Oct-01") == ""
    assert clean_pages("1-10") == "1-10"
    assert author_keys(
        (Name("[Anonymous]", corporate=True), Name("al.", von="et"), Name("Okafor", "C."))
    ) == (("okafor", "C."),)


def test_placeholder_pages_volume_and_doi_neither_agree_nor_conflict() -> None:
    a = rec("A", pages="01-Oct", volume="NA", doi="NA")
    b = rec("B", pages="1-10", volume="14")
    fa, fb = features(a), features(b)
    assert (fa.page, fa.volume, fa.doi) == ("", "", "")
    v = compare(fa, fb)
    assert v.scores["pages"] is None and v.scores["volume"] is None
    assert v.outcome == DUPLICATE
    # two anonymous records with one title are not the same work because both lack authors
    x = rec(
        "X",
        authors=(Name("[Anonymous]", corporate=True),),
        title="Editorial",
        volume="3",
        pages="1",
    )
    y = rec(
        "Y", authors=(Name("Anonymous", corporate=True),), title="Editorial", volume="4", pages="9"
    )
    assert compare(features(x), features(y)).outcome != DUPLICATE


# --- 3. a field that is noise in this library stops counting ---------------------------------------


def _library_with_accession_numbers_in_issue() -> list[Record]:
    out: list[Record] = []
    for i in range(40):
        title = (
            f"Outcome study number {i} of community nursing teams in region {chr(65 + i % 26)}{i}"
        )
        authors = (Name(f"Surname{i}", "K."), Name(f"Coauthor{i}", "L."))
        base = rec(
            f"W{i:02d}",
            title=title,
            authors=authors,
            volume=str(10 + i),
            pages=f"{100 + i}-{110 + i}",
            issue=str(41000 + 2 * i),  # five digits: an issue could have them
            container=f"Journal of Topic {i % 7}",
            year=2000 + i % 15,
        )
        out.append(base)
        if i < 25:  # a second export of the same work: its "issue" is another accession number
            out.append(
                replace(
                    base,
                    key=f"W{i:02d}x",
                    issue=str(52000 + 2 * i),
                    provenance=(Provenance("other", "o.ris", i, f"o{i}"),),
                )
            )
    return out


def test_an_issue_column_of_accession_numbers_weighs_nothing_and_the_pairs_merge() -> None:
    records = _library_with_accession_numbers_in_issue()
    result = find_duplicates(records)
    assert result.model is not None
    issue_levels = dict(FIELDS)["issue"]
    different = result.model.weights["issue"][issue_levels.index("different")]
    assert different > -2.0  # no longer a conflict here
    assert {m.survivor for m in result.merges} == {f"W{i:02d}" for i in range(25)}
    assert len(result.unsure) <= 0.02 * len(records)


def test_a_volume_of_six_digits_or_more_is_read_as_no_volume() -> None:
    from litreview.dedupe.rules import volume_key

    assert volume_key("1944266", 2008) == ""  # volume 194 and issue 4266 run together
    assert volume_key("38290936", 2020) == ""  # an accession number in the volume column
    assert volume_key("12345", 2020) == "12345"  # a series' volume (SPIE, LNCS) has five
    assert volume_key("194", 2008) == "194"


def test_online_and_print_years_with_accession_numbers_for_volumes_go_to_a_person() -> None:
    # one article a year apart in two exports whose volume column holds each database's
    # accession number: the numbers differ, but they say nothing about the volume
    early = rec("A", year=2020, volume="37230636", issue="2", pages="583-598")
    late = rec("B", year=2021, volume="72924865", issue="2", pages="583-598")
    verdict = compare(features(early), features(late))
    assert verdict.outcome == "unsure" and verdict.rule == "same-title-different-years"
    # real volumes that differ still keep the two apart
    other = compare(features(replace(early, volume="7")), features(replace(late, volume="8")))
    assert other.outcome == "distinct"


def test_the_same_issue_conflict_counts_where_the_column_is_trustworthy() -> None:
    a = rec("A", issue="2", pages="101-112")
    b = rec("B", issue="5", pages="201-212")
    assert compare(features(a), features(b)).outcome != DUPLICATE


# --- 4. author lists as exports write them ----------------------------------------------------------


def test_names_run_together_are_split() -> None:
    run_together = (
        Name("J.", "Okafor C.Lindqvist M.Brandt"),
    )  # how a BibTeX reader splits the run
    assert [k for k, _ in author_keys(run_together)] == ["okafor", "lindqvist", "brandt"]
    a = rec("A", authors=run_together)
    b = rec("B", authors=(Name("Okafor", "Chidi"), Name("Lindqvist", "Maja"), Name("Brandt", "J.")))
    assert compare(features(a), features(b)).outcome == DUPLICATE


def test_a_transliterated_digraph_initial_in_a_bibtex_name_is_no_author_of_its_own() -> None:
    # Scopus writes Russian initials as A.Yu., A.Kh.; BibTeX's rules read the names as written
    # (run together, ``Surname I.``, ``Surname, I.``), and A.Yu. is still Ivanov's initials
    bib = (
        "@article{run,\n  author = {Petrov B.Ivanov A.Yu.},\n  title = {T},\n  year = {2019}\n}\n"
        "@article{digraph_first,\n  author = {Ivanov A.Yu.Shcherbakov A.Kh.},\n  title = {T},\n"
        "  year = {2019}\n}\n"
        "@article{apart,\n  author = {Ivanov, A.Yu. and Shcherbakov A.Kh.},\n  title = {T},\n"
        "  year = {2019}\n}\n"
    )
    read = {r.key: r.authors for r in read_bibtex(bib, "searches/scopus.bib", "scopus").records}
    keys = {key: [k for k, _ in author_keys(authors)] for key, authors in read.items()}
    assert keys == {
        "run": ["petrov", "ivanov"],
        "digraph_first": ["ivanov", "shcherbakov"],
        "apart": ["ivanov", "shcherbakov"],
    }
    # the first-author block reads the first author as the comparison does
    assert {key: first_author_key(authors) for key, authors in read.items()} == {
        "run": "petrov",
        "digraph_first": "ivanov",
        "apart": "ivanov",
    }
    spaced = (Name("Ivanov", "A. Yu."), Name("Shcherbakov", "A. Kh."))
    assert (
        compare(
            features(rec("A", authors=read["digraph_first"])), features(rec("B", authors=spaced))
        ).outcome
        == DUPLICATE
    )


def test_surname_initials_in_the_wrong_order_and_et_al() -> None:
    medline_style = (Name("C", "Okafor"), Name("M", "Lindqvist"), Name("al.", von="et"))
    assert [k for k, _ in author_keys(medline_style)] == ["okafor", "lindqvist"]
    assert (
        compare(features(rec("A", authors=medline_style)), features(rec("B"))).outcome == DUPLICATE
    )


def test_a_compound_surname_cut_short_still_matches() -> None:
    a = rec("A", authors=(Name("Tamer Koroglu", "Ayse"),), doi="10.9999/x1")
    b = rec("B", authors=(Name("Koroglu", "A."),), doi="10.9999/x1")
    assert compare(features(a), features(b)).outcome == DUPLICATE


# --- 5. chains -------------------------------------------------------------------------------------


def test_a_chain_never_joins_two_records_that_differ_on_their_own() -> None:
    # A and C differ in volume and pages (two papers); B lacks both and looks like either one
    a = rec("A", volume="14", pages="101-112", issue="")
    b = rec("B", volume="", pages="", issue="")
    c = rec("C", volume="15", pages="201-215", issue="")
    assert compare(features(a), features(c)).outcome != DUPLICATE
    assert not any({"A", "C"} <= g for g in groups([a, b, c]))


def test_a_record_that_could_join_either_of_two_records_kept_apart_joins_the_closer_one() -> None:
    # a letter and its correction share a title; one export of the letter lacks its article
    # number, one of the correction lacks its authors: the bare letter looks like both, and
    # which one it joined used to depend on how the citation keys happened to sort
    letter = rec("Z1", pages="m2613", issue="")
    bare = rec("M1", pages="", issue="", authors=(Name("Okafor", "C"), Name("Lindqvist", "M")))
    correction = rec("C1", pages="m2832", issue="", authors=())
    assert compare(features(letter), features(correction)).keeps_apart
    result = find_duplicates([letter, bare, correction])
    assert groups([letter, bare, correction]) == {frozenset({"Z1", "M1"})}
    assert [(p.a, p.b) for p in result.unsure] == [("C1", "M1")]


def test_a_second_run_does_not_let_in_what_the_parts_kept_out() -> None:
    a = rec("A", volume="14", pages="101-112", issue="")
    b = rec("B", volume="", pages="", issue="", abstract="A longer abstract that the merge keeps.")
    c = rec("C", volume="15", pages="201-215", issue="")
    once = find_duplicates([a, b, c])
    twice = find_duplicates(once.records, model=once.model, originals=once.originals())
    assert not twice.merges
    assert twice.records == once.records


# --- 7. the published version survives a merge with its preprint -----------------------------------


def test_a_published_version_survives_and_keeps_its_doi_the_preprint_doi_is_kept_as_related() -> (
    None
):
    preprint = rec(
        "Aaa2018",
        doi="10.1101/2018.01.01.123456",
        container="medRxiv",
        year=2018,
        volume="",
        issue="",
        pages="",
        entry_type="article",
        url="https://www.medrxiv.org/content/x",
    )
    article = rec("Okafor2018", doi="10.9999/jhp.2018.101", year=2019, volume="14", pages="101-112")
    result = find_duplicates(
        [preprint, article], decisions=[Decision("Aaa2018", "Okafor2018", "same")]
    )
    (merge,) = result.merges
    assert merge.survivor == "Okafor2018"
    (merged,) = result.records
    assert (merged.doi, merged.container, merged.year, merged.volume) == (
        "10.9999/jhp.2018.101",
        "Journal of Hospital Practice",
        2019,
        "14",
    )
    assert dict(merged.extra)["relateddoi"] == "10.1101/2018.01.01.123456"


def test_a_published_version_merged_with_its_preprint_does_not_take_the_preprint_url() -> None:
    # the published record had no URL of its own: taking the preprint server's made the merged
    # record read as a preprint (by its URL), and every export of it point at the preprint
    from litreview.dedupe.rules import is_preprint

    preprint = rec(
        "Aaa2018",
        doi="10.48550/arXiv.1801.01234",
        container="arXiv",
        year=2018,
        volume="",
        issue="",
        pages="",
        entry_type="misc",
        url="https://arxiv.org/abs/1801.01234",
    )
    article = rec("Okafor2018", doi="10.9999/jhp.2018.101", year=2019, volume="14", pages="101-112")
    assert not article.url and not is_preprint(article)
    result = find_duplicates(
        [preprint, article], decisions=[Decision("Aaa2018", "Okafor2018", "same")]
    )
    (merged,) = result.records
    assert merged.key == "Okafor2018"
    assert merged.url == ""
    assert not is_preprint(merged)
    extra = dict(merged.extra)
    assert extra["relateddoi"] == "10.48550/arXiv.1801.01234"
    assert extra["relatedurl"] == "https://arxiv.org/abs/1801.01234"


def test_a_person_chooses_the_survivor_with_keep() -> None:
    preprint = rec(
        "Aaa2018",
        doi="10.1101/2018.01.01.123456",
        container="medRxiv",
        url="https://www.medrxiv.org/x",
    )
    article = rec("Okafor2018", doi="10.9999/jhp.2018.101")
    result = find_duplicates(
        [preprint, article], decisions=[Decision("Aaa2018", "Okafor2018", "same", keep="Aaa2018")]
    )
    assert result.merges[0].survivor == "Aaa2018"


# --- 8. markup -------------------------------------------------------------------------------------


def test_titles_that_differ_only_by_markup_merge_on_a_shared_doi() -> None:
    a = rec(
        "A",
        doi="10.9999/m1",
        title="Vitamin D<middle dot>and <i>in vitro</i> bone growth in m<sup>2</sup> plates",
    )
    b = rec(
        "B",
        doi="10.9999/m1",
        title="Vitamin D·and <jats:italic>in vitro</jats:italic> bone growth in m2 plates",
    )
    assert features(a).tkey == features(b).tkey
    assert groups([a, b]) == {frozenset({"A", "B"})}


# --- the model ------------------------------------------------------------------------------------


def test_the_model_round_trips_through_the_dedupe_log_unchanged() -> None:
    result = find_duplicates(_library_with_accession_numbers_in_issue())
    assert isinstance(result.model, Model)
    again = from_yaml(to_yaml(result.model, "keys-x"))
    assert again == result.model


def test_the_queue_is_ordered_by_how_likely_a_pair_is_one_work() -> None:
    base = rec("A", volume="", pages="", issue="", doi="")
    records = [
        base,
        replace(base, key="B", year=2019, container="Other journal"),
        replace(
            base,
            key="C",
            title="Handover quality on acute medical wards: a mixed methods stud",
            container="Other journal",
            authors=(Name("Okafor", "C."),),
            year=2019,
        ),
    ]
    result = find_duplicates(records)
    bits = [p.bits for p in result.unsure]
    assert bits == sorted(bits, reverse=True)


# --- notices named after the article ------------------------------------------------------------


def test_a_correction_named_after_its_article_is_never_merged_with_it() -> None:
    article = rec("A")
    for title in (
        '"Handover quality on acute medical wards: a mixed methods study": corrigendum',
        "Handover quality on acute medical wards: a mixed methods study [Erratum]",
        "Handover quality on acute medical wards: a mixed methods study - author reply",
    ):
        notice = rec("B", title=title)
        assert features(notice).notice, title
        assert compare(features(article), features(notice)).outcome != DUPLICATE, title
    # a title that merely ends with the word is an article
    assert features(rec("C", title="Forward error correction")).notice == ""


# --- a meeting abstract as two databases export it ------------------------------------------------


def test_a_meeting_abstract_in_a_journal_supplement_merges_across_exports() -> None:
    embase = rec(
        "A",
        container="Journal of Hospital Practice Conference: 12th Annual Meeting",
        pages="S101",
        issue="Suppl 1",
        entry_type="inproceedings",
    )
    medline = rec("B", container="Journal of Hospital Practice", pages="101", issue="Suppl 1")
    assert compare(features(embase), features(medline)).outcome == DUPLICATE
    # another journal whose name merely starts the same way is not the same journal
    other = rec(
        "C", container="Journal of Hospital Practice Management", pages="101", issue="Suppl 1"
    )
    assert compare(features(other), features(medline)).scores["container"] != 90.0


def test_the_jama_is_not_a_jama_family_journal_under_any_of_its_names() -> None:
    from litreview.dedupe.rules import container_key, container_similarity

    def sim(one: str, other: str) -> float:
        return container_similarity(container_key(one), container_key(other)) or 0.0

    names = (
        "JAMA",
        "Journal of the American Medical Association",
        # the acronym and the name it spells, as MEDLINE and Scopus have written it
        "JAMA: the journal of the American Medical Association",
        "JAMA - Journal of the American Medical Association",
    )
    for jama in names:
        for same in names:
            assert sim(jama, same) >= 90, (jama, same)
        for family in (
            "JAMA Netw Open",
            "JAMA Network Open",
            "JAMA Intern Med",
            "JAMA Internal Medicine",
            "JAMA Pediatr",
            "JAMA Pediatrics",
        ):
            assert sim(jama, family) < 60, (jama, family)


def test_a_venue_under_its_acronym_is_the_same_venue() -> None:
    from litreview.dedupe.rules import container_similarity

    assert (
        container_similarity("amcis 2017 proceedings", "americas conference on information systems")
        == 90.0
    )
    assert container_similarity("jama", "journal of the american medical association") == 90.0
    assert (container_similarity("ecis", "americas conference on information systems") or 0) < 60
    a = rec(
        "A",
        entry_type="inproceedings",
        container="Americas Conference on Information Systems",
        volume="",
        pages="",
        issue="",
    )
    b = rec(
        "B",
        entry_type="inproceedings",
        container="AMCIS 2017 Proceedings",
        volume="",
        pages="",
        issue="",
    )
    assert compare(features(a), features(b)).outcome == DUPLICATE


# --- a second run changes nothing, at a realistic size ---------------------------------------------


def test_a_second_run_over_a_few_thousand_varied_records_merges_nothing_more() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from bench_dedupe import synthetic

    records, _gold = synthetic(3000, seed=11, dup_rate=0.2, lookalike_rate=0.05)
    once = find_duplicates(records)
    assert once.merges
    twice = find_duplicates(once.records, model=once.model, originals=once.originals())
    assert not twice.merges
    assert twice.records == once.records
    assert [(p.a, p.b, p.reason) for p in twice.unsure] == [
        (p.a, p.b, p.reason) for p in once.unsure
    ]


def test_a_container_doi_stays_one_after_its_duplicates_merge() -> None:
    # three records carry one DOI: two exports of one abstract and another abstract. Once the
    # two merge, only two records carry the DOI; the next run must still count the three read,
    # or the shared DOI would start to prove the other abstract the same work
    doi = "10.9999/conf.2020.1"
    a = rec(
        "A1",
        title="Audit of sepsis bundles in rural emergency departments",
        doi=doi,
        pages="",
        volume="",
        issue="",
    )
    a2 = replace(a, key="A2", title=a.title + ".")
    other = replace(a, key="B1", title="Audit of sepsis care bundles in remote emergency units")
    once = find_duplicates([a, a2, other])
    assert [(m.survivor, [r.key for r in m.absorbed]) for m in once.merges] == [("A1", ["A2"])]
    twice = find_duplicates(once.records, model=once.model, originals=once.originals())
    assert not twice.merges


# --- 9. how databases index one article before and after its issue --------------------------------
# Seen in real exports of one search from several databases (tuned on three of them, judged on
# three others). Every record below is made up.


def test_ebsco_no_pagination_is_missing_data() -> None:
    assert (
        clean_pages("N.PAG-N.PAG") == ""
        and clean_pages("N.PAG") == ""
        and clean_pages("n. pag.") == ""
    )
    assert clean_pages("101-112") == "101-112"


def test_medline_journal_qualifiers_name_the_same_journal() -> None:
    a = rec(
        "A", container="Clinical Audit Review (Leeds, England)", volume="14", issue="", pages=""
    )
    b = rec("B", container="The Clinical Audit Review", volume="14", issue="", pages="")
    c = rec(
        "C",
        container="Clinical audit review / the journal of the Society for Ward Audit",
        volume="14",
        issue="",
        pages="",
    )
    assert (
        features(a).container
        == features(b).container
        == features(c).container
        == "clinical audit review"
    )
    assert groups([a, b, c]) == {frozenset({"A", "B", "C"})}


def test_an_articles_own_page_numbers_do_not_conflict_with_its_place_in_the_issue() -> None:
    early = rec("A", pages="1-12")  # the PDF's pages, as indexed before the issue
    issue = rec("B", pages="101-112")
    number = rec("C", pages="e0101")  # an article number
    assert groups([early, issue, number]) == {frozenset({"A", "B", "C"})}
    # two real places in one issue still disagree
    elsewhere = rec("D", pages="301-312")
    assert compare(features(issue), features(elsewhere)).outcome != DUPLICATE


def test_an_article_online_a_year_before_its_issue_is_merged_with_it() -> None:
    online = rec("A", year=2017, volume="", issue="", pages="1-12")
    printed = rec("B", year=2018)
    assert groups([online, printed]) == {frozenset({"A", "B"})}
    # the same volume, a year apart, with no page to disagree: the print year and the online year
    assert groups(
        [rec("C", year=2017, pages="e0101"), rec("D", year=2018, pages="", issue="")]
    ) == {frozenset({"C", "D"})}


def test_a_preprint_or_a_conference_paper_a_year_earlier_is_not_an_online_first_article() -> None:
    preprint = rec("A", entry_type="misc", container="", year=2017, volume="", issue="", pages="")
    printed = rec("B", year=2018)
    assert compare(features(preprint), features(printed)).outcome != DUPLICATE
    talk = rec(
        "C",
        entry_type="inproceedings",
        container="Annual Conference on Ward Practice",
        year=2017,
        volume="",
        issue="",
        pages="",
    )
    again = rec(
        "D",
        entry_type="inproceedings",
        container="Annual Conference on Ward Practice",
        year=2018,
        volume="3",
        issue="",
        pages="",
    )
    assert compare(features(talk), features(again)).outcome != DUPLICATE


def test_a_year_slip_in_one_export_is_outweighed_by_the_same_volume_issue_and_page_range() -> None:
    slipped = rec("A", year=2011)
    right = rec("B", year=2018)
    assert groups([slipped, right]) == {frozenset({"A", "B"})}
    # without the page range the years keep them apart
    assert (
        compare(features(replace(slipped, pages="")), features(replace(right, pages=""))).outcome
        != DUPLICATE
    )


def test_a_commentary_subtitle_kept_by_one_export_only_does_not_separate_one_printed_item() -> None:
    long_ = rec(
        "A",
        title="Handover quality on acute medical wards: commentary on: a national audit of handover",
    )
    short = rec("B", title="Handover quality on acute medical wards")
    assert features(long_).notice == "comment" and features(short).notice == ""
    assert groups([long_, short]) == {frozenset({"A", "B"})}
    # printed elsewhere, the commentary stays apart from the article
    assert compare(features(replace(long_, pages="201-203")), features(short)).outcome != DUPLICATE


def test_a_chapter_is_never_merged_with_the_book_it_is_printed_in() -> None:
    book = rec(
        "A",
        entry_type="book",
        title="Ward Handover in Practice",
        container="",
        volume="",
        issue="",
        pages="1-352",
        doi="",
    )
    chapter = rec(
        "B",
        entry_type="incollection",
        title="Ward Handover in Practice: Conclusion",
        container="Ward Handover in Practice",
        volume="",
        issue="",
        pages="",
    )
    assert compare(features(book), features(chapter)).outcome != DUPLICATE
    assert groups([book, chapter]) == set()


def test_an_old_doi_with_a_double_slash_is_the_same_doi() -> None:
    a = rec("A", doi="10.9999//jhp.2018.101")
    b = rec("B", doi="10.9999/jhp.2018.101")
    assert features(a).doi == features(b).doi
    assert groups([a, b]) == {frozenset({"A", "B"})}


def test_three_exports_of_one_title_cut_short_or_misspelt_keep_their_doi() -> None:
    doi = "10.9999/jhp.2018.101"
    full = rec(
        "A",
        doi=doi,
        title="Handover quality on acute medical wards: a mixed methods study of nurses",
    )
    cut = rec("B", doi=doi, title="Handover quality on acute medical wards", pages="")
    typo = rec(
        "C",
        doi=doi,
        title="Handover qaulity on acute medical wards: a mixed methods study of nurses",
    )
    assert groups([full, cut, typo]) == {frozenset({"A", "B", "C"})}
    # chapters of one book under the book's DOI are still told apart
    chapters = [
        rec(
            f"K{i}",
            doi="10.9999/book.2018",
            entry_type="incollection",
            container="Ward Practice",
            title=t,
            authors=(Name(f"Writer{i}", "W."),),
            pages=f"{10 * i + 1}-{10 * i + 9}",
        )
        for i, t in enumerate(
            ["Handover at night", "Falls in the elderly ward", "Sepsis screening tools"]
        )
    ]
    assert groups(chapters) == set()


def test_a_catalogue_number_in_the_issue_field_is_not_an_issue_number() -> None:
    from litreview.dedupe.rules import issue_numbers

    # NLM's journal ids as some MEDLINE exports write them where the issue belongs
    assert issue_numbers("101676033") == frozenset()
    assert issue_numbers("6dr, 2985151r") == frozenset()
    # a weekly's five-digit issue is an issue
    assert issue_numbers("10245") == frozenset({"10245"})
    # so the id is no disagreement with the issue another export gives
    a = rec("A", issue="101676033")
    b = rec("B", issue="4")
    issue_field = [name for name, _ in FIELDS].index("issue")
    assert compare(features(a), features(b)).levels[issue_field] == MISSING


def test_a_special_issues_name_in_the_issue_field_is_not_an_issue_number() -> None:
    from litreview.dedupe.rules import issue_numbers

    assert issue_numbers("12th Symposium on Ward Practice (SWP)") == frozenset()
    assert issue_numbers("Suppl 1") == frozenset({"1"}) and issue_numbers("2/3") == frozenset(
        {"2", "3"}
    )
    a = rec("A", volume="75", issue="sp1")
    b = rec("B", volume="", issue="12th Symposium on Ward Practice (SWP)")
    assert groups([a, b]) == {frozenset({"A", "B"})}


def test_one_series_title_on_two_topics_is_never_merged_automatically() -> None:
    base = dict(
        entry_type="techreport",
        container="Ward Audit Series",
        volume="",
        issue="",
        pages="",
        year=2021,
        authors=(Name("Okafor", "Chidi"), Name("Lindqvist", "Maja"), Name("Brandt", "Ola")),
    )
    topics = ["falls prevention", "sepsis screening", "medicines reconciliation"]
    reports = [
        rec(
            f"R{i}",
            title=f"National ward audit programme completion assessment: {t} topic, 2015-2020",
            **base,
        )
        for i, t in enumerate(topics)
    ]
    assert groups(reports) == set()
    verdict = compare(features(reports[0]), features(reports[1]))
    assert verdict.outcome != DUPLICATE and "a word the other lacks" in verdict.reason
    # one article whose title lost or changed a word in one export still merges when the year and
    # the first page put both records in one place
    a = rec("A", title="Handover quality on acute medical wards: a mixed methods study of nurses")
    b = rec("B", title="Handover quality on busy medical wards: a mixed methods study of nurses")
    assert groups([a, b]) == {frozenset({"A", "B"})}


def test_a_meeting_abstract_typed_conference_by_one_database_without_a_page_is_the_journals_abstract() -> (
    None
):
    title = "Outcomes of a nurse-led anticoagulation clinic: a two-centre cohort"
    authors = (Name("Okafor", "Chidi"), Name("Lindqvist", "Maja"), Name("Brandt", "Ola"))
    conference = rec(
        "A",
        entry_type="inproceedings",
        title=title,
        authors=authors,
        year=2019,
        volume="134",
        issue="Supplement 1",
        pages="",
        container="Journal of Hospital Practice. Conference: 61st Annual Meeting of the Ward Society",
    )
    article = rec(
        "B",
        entry_type="article",
        title=title,
        authors=authors,
        year=2019,
        volume="134",
        issue="",
        pages="2231",
        container="Journal of Hospital Practice",
    )
    assert groups([conference, article]) == {frozenset({"A", "B"})}
    # the journal version a year later, or in another volume, is still another work
    later = replace(article, key="C", year=2020, volume="135", pages="101-112")
    assert compare(features(conference), features(later)).outcome != DUPLICATE


def test_initials_written_onto_a_surname_leave_the_surname_to_match() -> None:
    glued = rec("A", authors=(Name("J.Frankel"), Name("L.E.Alvarez")))
    spaced = rec("B", authors=(Name("Frankel", "J."), Name("Alvarez", "L. E.")))
    assert [k for k, _ in author_keys(glued.authors)] == ["frankel", "alvarez"]
    assert first_author_key(glued.authors) == "frankel"
    assert author_overlap(features(glued), features(spaced)) == (100.0, True)
    # a given name written onto initials is one person, the surname still last
    assert [k for k, _ in author_keys((Name("Candan", "K.Selçuk"),))] == ["candan"]
    # a surname with a capital inside (McDonald) starts the next name of a run too
    run_mc = (Name("J.", "Akiyama E.McDonald S.Matsubara"),)
    assert [k for k, _ in author_keys(run_mc)] == ["akiyama", "mcdonald", "matsubara"]
    # names run together, one of them spaced: each is an author
    run = (Name("J.", "Okafor C.Lindqvist M. Brandt"),)
    assert [k for k, _ in author_keys(run)] == ["okafor", "lindqvist", "brandt"]


def test_a_last_initial_put_in_the_surnames_place_leaves_the_surname_first() -> None:
    # an export that wrote ``Osei, Kwabena T.`` as ``T, Osei Kwabena``
    garbled = rec("A", authors=(Name("T", "Osei Kwabena"), Name("R", "Haraldsdottir Gudrun")))
    plain = rec("B", authors=(Name("Osei", "K. T."), Name("Haraldsdottir", "G. R.")))
    # every word before the initials is the surname, which matches its first half
    assert [k for k, _ in author_keys(garbled.authors)] == ["oseikwabena", "haraldsdottirgudrun"]
    # every author found; the first initials (T, K) cannot be told from a compound surname's
    assert author_overlap(features(garbled), features(plain)) == (100.0, False)
    # a particle or a compound surname before the initials is part of the surname
    assert [k for k, _ in author_keys((Name("M.", "De Souza"), Name("A.", "Van Dijk")))] == [
        "desouza",
        "vandijk",
    ]
    other = rec("F", authors=(Name("M.", "De Luca"), Name("A.", "Van Berg")))
    souza = rec("G", authors=(Name("M.", "De Souza"), Name("A.", "Van Dijk")))
    assert author_overlap(features(other), features(souza)) == (0.0, False)
    spaced = rec("H", authors=(Name("Souza", "M.", von="de"), Name("Dijk", "A.", von="van")))
    assert author_overlap(features(souza), features(spaced)) == (100.0, True)
    # initials first, the surname last, a suffix in the surname's place (``JA Wagner III``)
    assert [k for k, _ in author_keys((Name("III", "JA Wagner"), Name("JR", "GE SEIDEL")))] == [
        "wagner",
        "seidel",
    ]
    # a compound surname before its initials keeps them as the given names
    compound = rec("D", authors=(Name("G", "Garcia Marquez"),))
    full = rec("E", authors=(Name("García Márquez", "Gabriela"),))
    assert author_overlap(features(compound), features(full)) == (100.0, True)
    # other people with those initials are not these authors
    other = rec("C", authors=(Name("T", "Mensah Kofi"), Name("R", "Quist Ama")))
    assert author_overlap(features(other), features(plain)) == (0.0, False)


def test_bibtex_names_with_hyphens_apostrophes_and_particles_keep_their_surnames() -> None:
    bib = (
        "@article{a,\n  author = {Smith-Jones A and O'Brien P and Van der Berg A. and de Wit S."
        " and Le Roux JP},\n  title = {T},\n  year = {2019}\n}\n"
    )
    (record,) = read_bibtex(bib, "searches/x.bib", "x").records
    assert [k for k, _ in author_keys(record.authors)] == [
        "smithjones",
        "obrien",
        "vanderberg",
        "dewit",
        "leroux",
    ]
    assert first_author_key(record.authors) == "smithjones"
    spaced = (
        Name("Smith-Jones", "A."),
        Name("O'Brien", "P."),
        Name("Berg", "A.", von="van der"),
        Name("Wit", "S.", von="de"),
        Name("Roux", "J. P.", von="le"),
    )
    assert author_overlap(features(record), features(rec("B", authors=spaced))) == (100.0, True)
    # capitals after given names end the surname, they are no initials
    assert [k for k, _ in author_keys((Name("GARCIA RUIZ", "J"), Name("GARCIA DIAZ", "J")))] == [
        "garciaruiz",
        "garciadiaz",
    ]
    assert author_keys((Name("Health UK", "Department of"),))[0][0] == "healthuk"
    # a hyphenated given name before a surname in capitals (BibTeX: ``Hee-Jung KIM``)
    assert [k for k, _ in author_keys((Name("KIM", "Hee-Jung"), Name("LEE", "Hee-Jung")))] == [
        "kim",
        "lee",
    ]
    # two capitals that spell a surname before given names are the surname (Li)
    li = rec("C", authors=(Name("LI", "Xiao Ming"),))
    assert author_overlap(features(li), features(rec("D", authors=(Name("Li", "X. M."),)))) == (
        100.0,
        True,
    )


def test_an_all_capitals_name_with_two_given_names_is_read_in_its_usual_order() -> None:
    caps = rec("A", authors=(Name("KIM", "JONG HO"), Name("LEE", "SU MIN")))
    mixed = rec("B", authors=(Name("Kim", "Jong Ho"), Name("Lee", "Su Min")))
    assert [k for k, _ in author_keys(caps.authors)] == ["kim", "lee"]
    assert author_overlap(features(caps), features(mixed)) == (100.0, True)
    # one given name after capitals is still read as initials in the surname's place
    assert author_keys((Name("JA", "Smith"),))[0][0] == "smith"
    # a surname in capitals before given names in mixed case (a Brazilian or French reference)
    assert [k for k, _ in author_keys((Name("LIMA", "Ana Paula"), Name("CRUZ", "Maria José")))] == [
        "lima",
        "cruz",
    ]
    assert first_author_key((Name("LIMA", "Ana Paula"),)) == "lima"
    # a placeholder of several words is no first author for the block either
    assert first_author_key((Name("listed]", "[No authors"), Name("Smith", "J."))) == "smith"


def test_a_two_letter_surname_before_given_names_stays_the_surname() -> None:
    li, hu = (Name("LI", "Wei Dong"),), (Name("HU", "Wei Dong"),)
    assert author_keys(li)[0][0] == "li"
    assert first_author_key(hu) == "hu"
    # two people with one given name are not one author (both were ``Weidong`` before)
    assert author_overlap(features(rec("A", authors=li)), features(rec("B", authors=hu))) == (
        0.0,
        False,
    )
    plain = rec("C", authors=(Name("Li", "W. D."),))
    assert author_overlap(features(rec("A", authors=li)), features(plain)) == (100.0, True)
    # capitals that are no surname stay initials (``Le Roux JP`` by BibTeX's rules)
    assert author_keys((Name("JP", "Le Roux"),))[0][0] == "leroux"
    # nor after a particle: ``Van Dijk MA`` written without its comma is a Van Dijk
    assert author_keys((Name("MA", "Van Dijk"),))[0][0] == "vandijk"
    assert first_author_key((Name("LI", "de Souza"),)) == "desouza"


_NAME_PARTS = [
    "KIM",
    "Kim",
    "T",
    "JA",
    "E.",
    "A.Yu.",
    "Å.",
    "Osei",
    "JONG HO",
    "Jong Ho",
    "Osei Kwabena",
    "Smith",
    "E.Sugiyama S.",
    "de",
    "[Anonymous]",
    "",
]


@given(
    st.lists(
        st.builds(
            Name,
            st.sampled_from(_NAME_PARTS),
            st.sampled_from(_NAME_PARTS),
            st.sampled_from(["", "de", "van der"]),
            st.sampled_from(["", "Jr"]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_the_first_author_block_names_the_author_the_comparison_reads_first(
    authors: list[Name],
) -> None:
    names = tuple(authors)
    # the block looks at the first three names; the comparison's first key from them
    keys = author_keys(names[:3])
    assert first_author_key(names) == (keys[0][0] if keys else "")
