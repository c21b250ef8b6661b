"""The labelled-set benchmark's metric, on a tiny labelled set whose answer we work out by hand."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench_dedupe_sets import pairs_of, score


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
