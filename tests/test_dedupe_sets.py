"""The labelled-set benchmark's metric, on a tiny labelled set whose answer we work out by hand,
and its process mode's mapping of the corpus back to the input records."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from litreview.model import Name, Provenance, Record

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench_dedupe_sets import (
    LabelledSet,
    load_raw_exports,
    main,
    pairs_of,
    read_back,
    run_process,
    score,
)


def test_pairs_are_every_pair_inside_each_group() -> None:
    assert pairs_of([["c", "a", "b"], ["d"], ["e", "f"]]) == {
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
        ("e", "f"),
    }


def test_pair_recall_and_false_merges_are_counted_against_the_gold_clusters() -> None:
    keys = ["a1", "a2", "a3", "b1", "b2", "c", "d", "e"]
    gold = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}  # c, d, e: works of their own
    # we merge a1+a2 (a3 left out), b1+b2+c (c wrongly), and d+e (wrongly)
    found = score(keys, gold, [["a1", "a2"], ["b1", "b2", "c"], ["d", "e"]])
    # gold pairs: a1a2, a1a3, a2a3, b1b2 = 4; found: a1a2, b1b2 = 2
    # false merges: b1c, b2c, de = 3
    assert found == {"gold_pairs": 4, "found": 2, "false_merge_pairs": 3}


def test_a_perfect_answer_scores_full_recall_and_no_false_merge() -> None:
    keys = ["x", "y", "z"]
    gold = {"x": "G", "y": "G"}
    assert score(keys, gold, [["x", "y"]]) == {"gold_pairs": 1, "found": 1, "false_merge_pairs": 0}


# --- the process mode: records through `litreview import` and `litreview dedupe`, mapped back ----


def _article(key: str, source: str, title: str, authors: list[tuple[str, str]]) -> Record:
    return Record(
        key=key,
        entry_type="article",
        title=title,
        authors=tuple(Name(last, first) for last, first in authors),
        year=2012,
        container="BMJ",
        volume="344",
        pages="e100",
        provenance=(Provenance(source, f"{source}.ris"),),
    )


def test_corpus_records_map_back_to_the_input_records_they_hold() -> None:
    merged = Record(
        key="Smith2012",
        provenance=(
            Provenance("s", "exports/00-pubmed.ris", 1, "a1"),
            Provenance("s", "exports/01-scopus.ris", 9, "a2"),
        ),
    )
    alone = Record(key="Brown2009", provenance=(Provenance("s", "exports/01-scopus.ris", 20, "b"),))
    stray = Record(key="Other2001", provenance=(Provenance("s", "elsewhere.bib", 3, "zz"),))
    back = read_back([merged, alone, stray], ["a1", "a2", "b", "gone"])
    assert back.clusters == [["a1", "a2"], ["b"], []]
    assert back.missing == ["gone"]  # rejected by the import, or lost
    assert back.repeated == []
    assert back.unknown == ["Other2001"]  # holds an appearance that is no input record's


def test_an_input_record_in_two_corpus_records_is_reported() -> None:
    one = Record(key="A", provenance=(Provenance("s", "f.ris", 1, "x"),))
    two = Record(
        key="B", provenance=(Provenance("s", "f.ris", 1, "x"), Provenance("s", "f.ris", 5, "y"))
    )
    assert read_back([one, two], ["x", "y"]).repeated == ["x"]


def test_the_process_mode_scores_what_import_and_dedupe_leave_in_the_corpus() -> None:
    """One duplicate pair from two databases, a work of its own, and a record the import
    rejects (nothing identifies it): written as RIS, imported and deduplicated by the commands,
    read back by provenance and scored as the engine mode scores the matcher."""
    records = [
        _article(
            "a1",
            "pubmed",
            "Hospital doctors and managers: a study of their working relationship",
            [("Smith", "Jane"), ("Jones", "Peter")],
        ),
        _article(
            "a2",
            "scopus",
            "Hospital Doctors and Managers: A Study of Their Working Relationship.",
            [("Smith", "J."), ("Jones", "P.")],
        ),
        replace(
            _article(
                "b",
                "scopus",
                "Clinical directors in NHS trusts: a survey of roles",
                [("Brown", "Alan")],
            ),
            container="Health Services Management Research",
            volume="22",
            pages="15-21",
        ),
        Record(
            key="c", year=2010, container="BMJ", provenance=(Provenance("scopus", "scopus.ris"),)
        ),
    ]
    s = LabelledSet("tiny", "tune", records, {"a1": "A", "a2": "A"})
    got = run_process(s)
    assert {k: got[k] for k in ("gold_pairs", "found", "false_merge_pairs", "queue")} == {
        "gold_pairs": 1,
        "found": 1,
        "false_merge_pairs": 0,
        "queue": 0,
    }
    assert (got["imported"], got["rejected"], got["lost"]) == (3, 1, 0)
    assert got["missing_keys"] == ["c"]
    assert (got["repeated"], got["unknown"]) == (0, 0)


def test_the_json_says_which_mode_made_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--process", "--sets", "no-such-set", "--synthetic", "0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["mode"] == "process"


def test_a_linkage_set_converts_to_the_layout_the_benchmark_reads(tmp_path: Path) -> None:
    """scripts/convert_linkage_sets.py on a DBLP-ACM-shaped set of three records: the benchmark
    reads back each record with its database, and the gold links as clusters."""
    import runpy

    from bench_dedupe_sets import load_bib_dedupe_layout

    raw = tmp_path / "raw" / "dblp_acm"
    raw.mkdir(parents=True)
    (raw / "DBLP2.csv").write_text(
        '"id","title","authors","venue","year"\n'
        '"conf/x/Moss01","Whisker maps of barn cats","Ann Moss, Bo Reed","VLDB","2001"\n'
        '"journals/y/Hale02","Cats &amp; ladders","Cy Hale","SIGMOD Record","2002"\n',
        encoding="utf-8",
    )
    (raw / "ACM.csv").write_text(
        '"id","title","authors","venue","year"\n'
        '"9001","Whisker maps of barn cats","Ann Moss, Bo Reed",'
        '"Very Large Data Bases","2001"\n',
        encoding="utf-8",
    )
    (raw / "DBLP-ACM_perfectMapping.csv").write_text(
        '"idDBLP","idACM"\n"conf/x/Moss01","9001"\n', encoding="utf-8"
    )
    script = Path(__file__).resolve().parent.parent / "scripts" / "convert_linkage_sets.py"
    convert = runpy.run_path(str(script))["convert_dblp_acm"]
    convert(raw, tmp_path / "out" / "dblp_acm")
    labelled = load_bib_dedupe_layout(tmp_path / "out" / "dblp_acm", "other")
    assert labelled is not None
    by_key = {r.key: r for r in labelled.records}
    assert sorted(by_key) == ["acm_00001", "dblp_00001", "dblp_00002"]
    assert by_key["dblp_00002"].title == "Cats & ladders"  # the source's HTML entity decoded
    assert by_key["dblp_00002"].entry_type == "article"
    assert by_key["dblp_00001"].entry_type == "inproceedings"
    assert [a.last for a in by_key["dblp_00001"].authors] == ["Moss", "Reed"]
    assert {k: r.provenance[0].source for k, r in by_key.items()} == {
        "acm_00001": "ACM",
        "dblp_00001": "DBLP",
        "dblp_00002": "DBLP",
    }
    assert labelled.gold == {
        "acm_00001": "gold0",
        "dblp_00001": "gold0",
        "dblp_00002": "dblp_00002",
    }


def test_the_sra_libraries_are_reported_as_tune_or_test_from_any_of_several_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tafenoquine's misses were read (tune), copper's never (test); a folder named nowhere
    stays "other", and LITREVIEW_DEDUPE_SETS may join two folders of libraries with ``:``."""
    from bench_dedupe_sets import find_sets

    header = "ID,ENTRYTYPE,title,author,year\n"
    rows = 'R1,article,Whisker maps of barn cats,"Moss, Ann",2001\n'
    for root, name in (
        ("one", "sra_tafenoquine"),
        ("one", "sra_tafenoquine_noid"),
        ("two", "sra_copper_noid"),
        ("two", "some_linkage_set"),
    ):
        folder = tmp_path / root / name
        folder.mkdir(parents=True)
        (folder / "records_pre_merged.csv").write_text(header + rows, encoding="utf-8")
        (folder / "merged_record_ids.csv").write_text("merged_ids\n", encoding="utf-8")
    roots = (tmp_path / "one", tmp_path / "two", tmp_path / "none")
    monkeypatch.setenv("LITREVIEW_DEDUPE_SETS", os.pathsep.join(map(str, roots)))
    found, _notes = find_sets({"sra_", "some_linkage"}, 0)
    assert {s.name: s.group for s in found} == {
        "sra_tafenoquine": "tune",
        "sra_tafenoquine_noid": "tune",
        "sra_copper_noid": "test",
        "some_linkage_set": "other",
    }


def test_the_process_mode_finds_records_whose_pmid_the_import_keeps_as_their_id() -> None:
    """A record with a PMID is exported with it as ``AN``, which import keeps as the original id
    in place of the key in ``ID``: it is found by its file and line instead of being lost."""
    records = [
        replace(
            _article(
                "p1",
                "pubmed",
                "Ward rounds led by consultants: a before and after study",
                [("Okoro", "Ada")],
            ),
            pmid="31000001",
        ),
        replace(
            _article(
                "p2",
                "embase",
                "Ward rounds led by consultants: a before-and-after study",
                [("Okoro", "A.")],
            ),
            pmid="31000001",
        ),
        replace(
            _article("q", "embase", "Handover between shifts in acute medicine", [("Lee", "Min")]),
            pmid="31000002",
            pages="e200",
        ),
    ]
    got = run_process(LabelledSet("pmids", "tune", records, {"p1": "P", "p2": "P"}))
    assert (got["found"], got["false_merge_pairs"], got["lost"], got["unknown"]) == (1, 0, 0, 0)


def test_the_sets_of_2026_12_07_are_split_into_tune_and_test_as_decided() -> None:
    from bench_dedupe_sets import group_of

    assert {n: group_of(n) for n in ("psilocybin_ovid_noid", "snhl_phenotyping")} == {
        "psilocybin_ovid_noid": "tune",
        "snhl_phenotyping": "tune",
    }
    assert {group_of(n) for n in ("qol_cardiac_arrest", "cat_queries_noid", "msm_syndemic")} == {
        "test"
    }
    assert group_of("cardiac") == "held back"


def test_the_four_libraries_of_session_29_are_split_as_decided_before_any_run() -> None:
    from bench_dedupe_sets import group_of

    assert {group_of(n) for n in ("abx_duration", "abx_duration_noid")} == {"tune"}
    assert {
        group_of(n)
        for n in (
            "upstate_pubs",
            "upstate_pubs_noid",
            "rossi_meta",
            "rossi_meta_noid",
            "vr_eeg_interiors",
            "vr_eeg_interiors_noid",
        )
    } == {"test"}
    # a folder nobody split is still reported on its own
    assert group_of("abx_duration_copy") == "other"


#: one review's own exports, invented: PubMed's CSV and a RIS file. The trial is in both (one
#: PMID; the RIS copy also has the DOI), two abstracts share a supplement's DOI under different
#: titles, and a letter has no id at all
_PUBMED_CSV = (
    "PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,PMCID,"
    "NIHMS ID,DOI\n"
    '99000301,Shorter antibiotic courses for ward pneumonia,"Okafor N, Lund P.",'
    '"Invented Chest J. 2020 Jan;12(1):10-18.",Okafor N,Invented Chest J,2020,2020/01/02,,,\n'
)
_RIS = """TY  - JOUR
TI  - Shorter antibiotic courses for ward pneumonia
AU  - Okafor, Nkechi
AU  - Lund, Petra
PY  - 2020
T2  - Invented Chest Journal
VL  - 12
IS  - 1
SP  - 10
EP  - 18
AN  - 99000301
DB  - PubMed
DO  - 10.5555/icj.2020.10
ER  -

TY  - JOUR
TI  - Abstract one: sleep on the ward
AU  - Berg, Pia
PY  - 2021
T2  - Invented Chest Journal
DO  - 10.5555/icj.supplement
ER  -

TY  - JOUR
TI  - Abstract two: noise in theatres
AU  - Moreau, Claire
PY  - 2021
T2  - Invented Chest Journal
DO  - 10.5555/icj.supplement
ER  -

TY  - JOUR
TI  - A letter about courses
AU  - Lund, Petra
PY  - 2021
T2  - Invented Chest Journal
ER  -
"""


def test_a_reviews_own_exports_are_judged_by_the_ids_their_records_share(tmp_path: Path) -> None:
    folder = tmp_path / "abx_duration"
    folder.mkdir()
    (folder / "pubmed.csv").write_text(_PUBMED_CSV, encoding="utf-8")
    (folder / "scopus.ris").write_text(_RIS, encoding="utf-8")
    (folder / "README.md").write_text("where the files came from", encoding="utf-8")
    s = load_raw_exports(folder, "tune")
    assert s is not None and (s.name, s.group) == ("abx_duration_exports", "tune")
    assert [p.name for p in s.exports or []] == ["pubmed.csv", "scopus.ris"]
    by_title = {r.title: s.gold[r.key] for r in s.records}
    trial = [s.gold[r.key] for r in s.records if r.title.startswith("Shorter")]
    assert len(trial) == 2 and trial[0] == trial[1] is not None
    # a supplement's DOI under two titles links neither abstract to the other
    assert (
        by_title["Abstract one: sleep on the ward"] != by_title["Abstract two: noise in theatres"]
    )
    assert by_title["A letter about courses"] is None  # no id: unjudged
    got = run_process(s)  # the files themselves imported, then deduplicated
    assert {k: got[k] for k in ("gold_pairs", "found", "false_merge_pairs")} == {
        "gold_pairs": 1,
        "found": 1,
        "false_merge_pairs": 0,
    }
    assert (got["imported"], got["rejected"], got["lost"], got["unknown"]) == (5, 0, 0, 0)


def test_records_that_share_a_line_keep_keys_of_their_own_and_map_back(tmp_path: Path) -> None:
    """EndNote's XML export is one line: its records are keyed by line and order, and found
    again after the import by their ids."""
    folder = tmp_path / "one_line_review"
    folder.mkdir()
    source = Path(__file__).resolve().parent / "fixtures" / "import" / "endnote.xml"
    (folder / "library.xml").write_bytes(source.read_bytes())
    s = load_raw_exports(folder, "other")
    assert s is not None
    keys = [r.key for r in s.records]
    assert len(keys) == len(set(keys)) == 3
    got = run_process(s)
    assert (got["imported"], got["lost"], got["repeated"], got["unknown"]) == (3, 0, 0, 0)
