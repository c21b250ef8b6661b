"""Deduplication and people's screening decisions: a machine never merges two records one
reviewer screened differently at one stage.

The merged record would carry two decisions of that reviewer at that stage, which every
screening command refuses ("decided twice"): a dedupe that exited 0 used to leave a review
where every later command exited 2 and `screen decide` could not repair it. The pair waits for
a person instead; once the reviewer's decisions agree, the next dedupe merges it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from litreview.dedupe import find_duplicates
from litreview.model import Name, Record

from .conftest import invoke as run
from .dedupe_helpers import record

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Nurse-led discharge planning on acute medical wards: a stepped-wedge trial",
    authors=(Name("Okafor", "Chidi"), Name("Lindqvist", "Maja")),
    year=2012,
    container="Invented Journal of Hospital Care",
    volume="4",
    pages="11-19",
    doi="10.9999/ijhc.2012.011",
)


Screened = dict[str, dict[tuple[str, str], str]]


def groups(records: list[Record], screened: Screened) -> set[frozenset[str]]:
    result = find_duplicates(records, screened=screened)
    return {frozenset([m.survivor, *(r.key for r in m.absorbed)]) for m in result.merges}


def _twins() -> list[Record]:
    return [record("A", BASE), record("B", BASE, title=str(BASE["title"]).upper())]


def test_two_copies_one_reviewer_screened_differently_wait_for_a_person() -> None:
    screened = {
        "A": {("R1", "title-abstract"): "include"},
        "B": {("R1", "title-abstract"): "exclude: off-topic"},
    }
    result = find_duplicates(_twins(), screened=screened)
    assert not result.merges
    (pair,) = result.unsure
    assert {pair.a, pair.b} == {"A", "B"}
    assert "R1 screened A (include) and B (exclude: off-topic) differently at title-abstract" in (
        pair.reason
    )


def test_copies_screened_alike_or_by_two_reviewers_still_merge() -> None:
    cases: list[Screened] = [
        {"A": {("R1", "title-abstract"): "include"}, "B": {("R1", "title-abstract"): "include"}},
        # two people disagreeing is a screening conflict the review settles, not a reason to
        # keep one work as two records
        {"A": {("R1", "title-abstract"): "include"}, "B": {("R2", "title-abstract"): "exclude"}},
        # one reviewer at two stages
        {"A": {("R1", "title-abstract"): "include"}, "B": {("R1", "full-text"): "exclude"}},
        {},
    ]
    for screened in cases:
        result = find_duplicates(_twins(), screened=screened)
        assert groups(_twins(), screened) == {frozenset({"A", "B"})}, screened
        assert not result.unsure


def _review(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    code, _out, err = run(tmp_path, "init", str(root))
    assert code == 0, err
    for name, extra in (("a.ris", ""), ("b.ris", "mixed-methods ")):
        (tmp_path / name).write_text(
            "TY  - JOUR\n"
            f"TI  - Nurse-led discharge planning in NHS acute hospitals: a {extra}study\n"
            "AU  - Okafor, Chidi\nPY  - 2012\nJO  - Invented Journal of Hospital Care\n"
            "VL  - 4\nSP  - 11-19\nDO  - 10.9999/ijhc.2012.011\nER  - \n",
            encoding="utf-8",
        )
        code, _out, err = run(root, "import", str(tmp_path / name), "--source", "scopus")
        assert code == 0, err
    return root


def _matches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Calls of the matcher from now on (a settled dedupe reused makes none)."""
    from litreview.dedupe import project as module

    calls: list[int] = []
    real = module.find_duplicates

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "find_duplicates", counted)
    return calls


def _decide(root: Path, key: str, decision: str) -> None:
    args = ["screen", "decide", key, decision, "--reviewer", "R1", "--stage", "title-abstract"]
    if decision == "exclude":
        args += ["--reason", "out-of-period"]
    code, _out, err = run(root, *args)
    assert code == 0, err


def test_dedupe_queues_copies_a_reviewer_screened_differently_and_merges_once_they_agree(
    tmp_path: Path,
) -> None:
    root = _review(tmp_path)
    _decide(root, "Okafor2012", "include")
    _decide(root, "Okafor2012a", "exclude")
    code, out, err = run(root, "dedupe")
    assert code == 1, err  # a pair waits for a person
    assert "R1 screened Okafor2012 (include) and Okafor2012a (exclude: out-of-period)" in out
    assert "@article{Okafor2012a," in (root / "corpus" / "records.bib").read_text()
    for command in (("status",), ("screen",), ("check",)):
        assert run(root, *command)[0] in (0, 1), command  # no "decided twice": the review reads
    # the reviewer looks again and agrees with themself: the settled run's answer is not
    # reused, the pair merges, and every command still reads the review
    _decide(root, "Okafor2012a", "include")
    code, out, err = run(root, "dedupe")
    assert code == 0, err
    assert "merged Okafor2012a into Okafor2012" in out
    assert run(root, "status")[0] in (0, 1)


def test_a_decision_does_not_make_a_settled_dedupe_match_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a run that merged nothing and kept no pair apart for a decision: a person's screening
    # cannot change what it found, so the next run reuses it
    root = _review(tmp_path)
    assert run(root, "dedupe")[0] == 0
    assert run(root, "dedupe")[0] == 0  # merges nothing: settled
    calls = _matches(monkeypatch)
    _decide(root, "Okafor2012", "include")
    assert run(root, "dedupe")[0] == 0
    assert calls == []


def test_a_persons_same_on_copies_a_reviewer_screened_differently_waits_for_the_screening(
    tmp_path: Path,
) -> None:
    # 'same' is kept in the log but not applied while the reviewer's decisions differ: applied,
    # it would leave a review no screening command reads
    root = _review(tmp_path)
    _decide(root, "Okafor2012", "include")
    _decide(root, "Okafor2012a", "exclude")
    code, _out, err = run(root, "dedupe", "decide", "Okafor2012", "Okafor2012a", "same")
    assert code == 0, err
    code, out, err = run(root, "dedupe")
    assert "decision 'same' ignored: it would join records that R1 screened Okafor2012" in err
    assert "@article{Okafor2012a," in (root / "corpus" / "records.bib").read_text()
    assert run(root, "status")[0] in (0, 1)
    _decide(root, "Okafor2012a", "include")
    code, out, err = run(root, "dedupe")
    assert code == 0 and "merged Okafor2012a into Okafor2012" in out, err


def _screen(root: Path, *args: str) -> None:
    code, _out, err = run(root, "screen", *args, "--stage", "title-abstract")
    assert code == 0, err


def test_dedupe_does_not_merge_copies_one_person_resolved_differently(tmp_path: Path) -> None:
    root = _review(tmp_path)
    for key in ("Okafor2012", "Okafor2012a"):
        _screen(root, "decide", key, "include", "--reviewer", "R1")
        _screen(root, "decide", key, "exclude", "--reason", "out-of-period", "--reviewer", "R2")
    _screen(root, "resolve", "Okafor2012", "include", "--reviewer", "R3")
    _screen(
        root, "resolve", "Okafor2012a", "exclude", "--reason", "out-of-period", "--reviewer", "R3"
    )
    assert run(root, "status")[0] in (0, 1)
    code, out, err = run(root, "dedupe")
    # the review must still read after dedupe: no 'resolved twice'
    for command in (("status",), ("screen",), ("check",)):
        code, out, err = run(root, *command)
        assert code in (0, 1), (command, out, err)


PHARMACIST = "Community pharmacist follow-up after hospital discharge in chronic kidney disease"


def _tie_review(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    code, _out, err = run(tmp_path, "init", str(root))
    assert code == 0, err
    ris = (
        f"TY  - JOUR\nTI  - {PHARMACIST}\nAU  - Okafor, Chidi\nPY  - 2021\nJO  - Invented Journal of Renal Pharmacy\n"
        "VL  - 12\nIS  - 2\nSP  - 101-110\nDO  - 10.5555/irp.2021.001\nER  - \n"
        f"TY  - JOUR\nTI  - {PHARMACIST}\nAU  - Okafor, Chidi\nPY  - 2021\nJO  - Invented Reprints in Nephrology\n"
        "VL  - 3\nIS  - 1\nSP  - 5-14\nDO  - 10.9999/irn.2021.77\nER  - \n"
        f"TY  - JOUR\nTI  - {PHARMACIST}\nAU  - Okafor, Chidi\nPY  - 2021\nER  - \n"
        "TY  - JOUR\nTI  - Sleep of night-shift nurses: a cohort\nAU  - Lindqvist, Maja\nPY  - 2015\n"
        "JO  - Invented Journal of Hospital Care\nER  - \n"
    )
    (tmp_path / "a.ris").write_text(ris, encoding="utf-8")
    code, _out, err = run(root, "import", str(tmp_path / "a.ris"), "--source", "scopus")
    assert code == 0, err
    return root


def test_a_decision_on_an_unrelated_record_does_not_rematch_a_settled_dedupe_with_a_tie(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tie_review(tmp_path)
    code, out, err = run(root, "dedupe")
    assert "merged" not in out, out
    assert (
        "tie" in (root / "corpus" / "duplicates.yaml").read_text()
        or "could as well be" in out + err
    ), (out, err)
    run(root, "dedupe")
    calls = _matches(monkeypatch)
    run(root, "dedupe")
    assert calls == [], "settled run not reused even without a new decision"
    code, _o, err = run(
        root,
        "screen",
        "decide",
        "Lindqvist2015",
        "include",
        "--reviewer",
        "R1",
        "--stage",
        "title-abstract",
    )
    assert code == 0, err
    run(root, "dedupe")
    assert calls == []


def test_dedupe_does_not_merge_copies_one_reviewer_decided_alike_in_two_files(
    tmp_path: Path,
) -> None:
    # R1's decisions partly still in the shared corpus/screening.yaml (an old version's file, a
    # git merge): alike, so the matcher merged them, and the merged record was then 'decided in
    # two files'
    root = _review(tmp_path)
    item = "version: 1\ndecisions:\n- key: {}\n  stage: title-abstract\n  decision: include\n  reviewer: R1\n"
    (root / "corpus" / "screening.yaml").write_text(item.format("Okafor2012"), encoding="utf-8")
    (root / "corpus" / "screening").mkdir(exist_ok=True)
    (root / "corpus" / "screening" / "R1.yaml").write_text(
        item.format("Okafor2012a"), encoding="utf-8"
    )
    assert run(root, "status")[0] in (0, 1)
    run(root, "dedupe")
    code, _out, err = run(root, "status")
    assert code in (0, 1), err


def test_check_sees_a_pair_the_screening_held_apart_become_a_sure_duplicate(
    tmp_path: Path,
) -> None:
    # check runs the matcher too, and kept its answer for an unchanged corpus and dedupe log:
    # a reviewer's decision is one of its inputs now
    root = _review(tmp_path)
    _decide(root, "Okafor2012", "include")
    _decide(root, "Okafor2012a", "exclude")
    assert run(root, "dedupe")[0] == 1
    code, out, _err = run(root, "check")
    assert "possible duplicate of Okafor2012a waits for a person" in out
    assert "sure duplicates not merged" not in out
    _decide(root, "Okafor2012a", "include")
    code, out, _err = run(root, "check")
    assert code == 1 and "sure duplicates not merged: Okafor2012a" in out


def test_check_after_a_dedupe_that_merged_nothing_does_not_match_again(tmp_path: Path) -> None:
    from litreview.dedupe import project as module

    root = _review(tmp_path)
    assert run(root, "dedupe")[0] == 0
    assert run(root, "dedupe")[0] == 0  # merges nothing: settled
    real = module.match

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("matched again")

    module.match = refused  # type: ignore[assignment]
    try:
        code, out, err = run(root, "check")
    finally:
        module.match = real  # type: ignore[assignment]
    assert code == 0, out + err


def test_a_same_decision_held_back_by_the_screening_is_something_a_person_must_do(
    tmp_path: Path,
) -> None:
    # the 'same' leaves the unsure queue, so nothing else says the two records are still two:
    # `dedupe` exits 1 (a person must act) and `status` names the decision and what clears it
    root = _review(tmp_path)
    _decide(root, "Okafor2012", "include")
    _decide(root, "Okafor2012a", "exclude")
    code, _out, err = run(root, "dedupe", "decide", "Okafor2012", "Okafor2012a", "same")
    assert code == 0, err  # recorded, and the person is told at once that it waits
    assert (
        "warning: R1 screened Okafor2012 (include) and Okafor2012a (exclude: out-of-period) "
        "differently at title-abstract: `litreview dedupe` merges them once those decisions agree"
    ) in err
    assert "run `litreview dedupe` to merge them" not in err
    code, _out, err = run(root, "dedupe")
    assert code == 1, err
    code, out, err = run(root, "dedupe", "--json")
    assert code == 1, err
    code, out, err = run(root, "status", "--json")
    import json

    (item,) = [t for t in json.loads(out)["todo"] if "'same'" in t["what"]]
    assert item["count"] == 1 and item["waits"] is True
    assert item["pairs"] == [["Okafor2012", "Okafor2012a"]]
    code, out, _err = run(root, "status")
    assert "'same' decisions not applied: 1  ->  litreview dedupe" in out
    # `run`, which many teams use alone, says so too (it showed nothing of the dedupe's warning)
    code, _out, err = run(root, "run")
    assert code == 1
    assert "warning: decision 'same' ignored: it would join records that R1 screened" in err
    # and its JSON counts it among what waits for a person, as status does
    code, out, _err = run(root, "run", "--json")
    assert code == 1
    assert json.loads(out)["same_held_back"] == 1
    from litreview.workflow.pipeline import RunSummary

    assert RunSummary(same_held_back=1).waits_for_person
    # once the reviewer agrees with themself the decision applies and nothing is left to do
    _decide(root, "Okafor2012a", "include")
    assert run(root, "dedupe")[0] == 0
    code, out, err = run(root, "status", "--json")
    assert not [t for t in json.loads(out)["todo"] if "'same'" in t["what"]]
