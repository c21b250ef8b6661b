"""Reviewers as first-class: one decisions file each, dual screening, blind `next`, conflicts,
resolutions, agreement, undo, bulk decisions and imports from other screening tools."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.corpus.store import load_corpus
from litreview.files import derived
from litreview.project import Project
from litreview.protocol import load_protocol, parse_protocol
from litreview.screen.engine import Decision, resolve

from .conftest import FIXTURES
from .conftest import invoke as run

PROJECT = FIXTURES / "screen" / "project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    dest = tmp_path / "review"
    shutil.copytree(PROJECT, dest)
    return dest


def dual(project: Path) -> Path:
    """The same review with two independent reviewers at title-abstract."""
    path = project / "review.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "- id: title-abstract\n  label: Title and abstract\n",
            "- id: title-abstract\n  label: Title and abstract\n  reviewers: 2\n",
        ),
        encoding="utf-8",
    )
    return project


def outcomes(project: Path) -> dict[str, tuple[str, str]]:
    code, out, err = run(project, "screen", "--json")
    assert code in (0, 1), err  # 1: records wait for a person
    return {r["key"]: (r["outcome"], r["stage"]) for r in json.loads(out)["results"]}


def import_decisions(project: Path, *args: str) -> tuple[int, str, str]:
    """``litreview screen import-decisions ARGS`` in ``project``."""
    return run(project, "screen", "import-decisions", *args)


def own(project: Path, reviewer: str) -> Path:
    return project / "corpus" / "screening" / f"{reviewer}.yaml"


# --- the end-to-end walk -----------------------------------------------------------------------


def offered(out: str) -> str:
    """The key of the record ``screen next`` shows (its panel's title is ``KEY · STAGE``)."""
    import re

    found = re.search(r"(\S+) · [a-z-]+ ─", out)
    assert found, out
    return found.group(1)


def waiting_for(project: Path, reviewer: str) -> set[str]:
    """Every record ``screen next`` would offer ``reviewer``, in any order."""
    from litreview.project import Project
    from litreview.screen.queue import waiting_for
    from litreview.workflow.pipeline import load_state

    state = load_state(Project(project))
    return {
        r.key for r in waiting_for(state.screening, state.decisions, reviewer, None, False, set())
    }


def test_an_exported_note_names_who_voted_against_the_settled_outcome(project: Path) -> None:
    dual(project)
    ta = ("--stage", "title-abstract")
    assert (
        run(project, "screen", "decide", "Edwards2003", "include", "--reviewer", "R1", *ta)[0] == 0
    )
    for reviewer in ("R2", "R3"):
        code = run(
            project,
            "screen",
            "decide",
            "Edwards2003",
            "exclude",
            "--reason",
            "not-uk",
            "--reviewer",
            reviewer,
            *ta,
        )[0]
        assert code == 0
    code, out, err = run(project, "export", "--format", "ris", "--select", "excluded")
    assert code == 0, err
    entry = next(e for e in out.split("ER  -") if "Edwards" in e)
    # R1 included it: the note says so rather than "exclude by R1, R2, R3"
    assert "title-abstract: exclude by R2, R3 (voted otherwise: R1 include)" in entry
    assert "exclude by R1" not in entry


def test_two_reviewers_screen_blind_disagree_and_a_third_resolves(project: Path) -> None:
    dual(project)
    ta = ("--stage", "title-abstract")
    # R1 is offered a record waiting at title-abstract (the queue is ranked; here, Kuhlmann2013)
    code, out, _ = run(project, "screen", "next", "--reviewer", "R1", *ta)
    assert code == 0 and offered(out) == "Kuhlmann2013" and "screen decide Kuhlmann2013" in out
    assert (
        run(
            project,
            "screen",
            "decide",
            "Kuhlmann2013",
            "include",
            "--reviewer",
            "R1",
            *ta,
            "--note",
            "R1-private-note",
        )[0]
        == 0
    )
    # one reviewer is not enough at a stage that needs two: still waiting, and no conflict
    assert outcomes(project)["Kuhlmann2013"] == ("needs-person", "title-abstract")
    # R1 moves on; R2 is still offered Kuhlmann2013 (first: R1's call does not reorder R2's queue)
    # and sees nothing of R1's decision or note
    assert offered(run(project, "screen", "next", "--reviewer", "R1", *ta)[1]) != "Kuhlmann2013"
    code, out, _ = run(project, "screen", "next", "--reviewer", "R2", *ta)
    assert offered(out) == "Kuhlmann2013"
    assert "R1" not in out and "R1-private-note" not in out
    assert (
        run(
            project,
            "screen",
            "decide",
            "Kuhlmann2013",
            "exclude",
            "--reason",
            "off-topic",
            "--reviewer",
            "R2",
            *ta,
        )[0]
        == 0
    )
    # both decide more records, several in one call each
    for reviewer, include, exclude in (
        ("R1", ["Osbourne2010"], ["Degeling1999", "Edwards2003", "Klopper2010"]),
        ("R2", ["Osbourne2010", "Edwards2003"], ["Degeling1999", "Klopper2010"]),
    ):
        assert (
            run(project, "screen", "decide", *include, "include", "--reviewer", reviewer, *ta)[0]
            == 0
        )
        assert (
            run(
                project,
                "screen",
                "decide",
                *exclude,
                "exclude",
                "--reason",
                "not-uk",
                "--reviewer",
                reviewer,
                *ta,
            )[0]
            == 0
        )
    assert sorted(p.name for p in (project / "corpus" / "screening").iterdir()) == [
        "R1.yaml",
        "R2.yaml",
    ]
    # the disagreements show across the two files; unsettled ones exit 1
    code, out, _ = run(project, "screen", "conflicts")
    assert code == 1
    assert (
        "Kuhlmann2013 at title-abstract: R1 include, R2 exclude (off-topic) [decision, unsettled]"
        in out
    )
    assert (
        "Edwards2003 at title-abstract: R1 exclude (not-uk), R2 include [decision, unsettled]"
        in out
    )
    assert outcomes(project)["Kuhlmann2013"] == ("needs-person", "title-abstract")
    # a conflict is offered for resolution, with every decision and note shown
    code, out, _ = run(project, "screen", "next", "--reviewer", "R3", "--resolve")
    assert "Edwards2003 · title-abstract" in out and "screen resolve Edwards2003" in out
    code, out, _ = run(
        project, "screen", "next", "--reviewer", "R3", "--resolve", "--stage", "title-abstract"
    )
    assert "R1: exclude (not-uk)" in out and "R2: include" in out
    # nobody is offered a conflict to decide as a plain reviewer
    assert (
        "nothing left that needs you" in run(project, "screen", "next", "--reviewer", "R2", *ta)[1]
    )
    # R3 resolves both (the stage of the one open conflict is found without --stage)
    code, out, _ = run(project, "screen", "resolve", "Kuhlmann2013", "include", "--reviewer", "R3")
    assert code == 0 and "resolves the conflict" in out
    assert (
        run(
            project,
            "screen",
            "resolve",
            "Edwards2003",
            "exclude",
            "--reason",
            "not-empirical",
            "--reviewer",
            "R3",
        )[0]
        == 0
    )
    code, out, _ = run(project, "screen", "conflicts")
    assert code == 0 and "2 disagreements, 0 unsettled" in out and "[decision, resolved]" in out
    found = outcomes(project)
    assert found["Kuhlmann2013"] == ("needs-person", "full-text")  # included at title-abstract
    assert found["Edwards2003"] == ("excluded", "title-abstract")
    assert found["Osbourne2010"] == ("needs-person", "full-text")  # both included
    # agreement on the five records both decided, resolutions not counted:
    # pairs (R1, R2): Degeling e/e, Edwards e/i, Klopper e/e, Kuhlmann i/e, Osbourne i/i
    # p_o = 3/5 = 0.6; each used include 2x, exclude 3x: p_e = (2*2 + 3*3)/25 = 0.52
    # kappa = (0.6 - 0.52)/(1 - 0.52) = 1/6; PABAK = 2*0.6 - 1 = 0.2
    code, out, _ = run(project, "screen", "agreement", "--json")
    rows = json.loads(out)["agreement"]
    assert code == 0 and len(rows) == 1
    row = rows[0]
    assert (row["stage"], row["reviewers"], row["records"], row["agreed"]) == (
        "title-abstract",
        ["R1", "R2"],
        5,
        3,
    )
    assert row["kappa"] == round(1 / 6, 4) and row["pabak"] == 0.2
    assert row["table"] == {
        "exclude/exclude": 2,
        "exclude/include": 1,
        "include/exclude": 1,
        "include/include": 1,
    }
    code, out, _ = run(project, "screen", "agreement")
    assert code == 0 and "R1 v R2" in out and "0.167" in out and "0.200" in out and "60.0%" in out


def test_with_one_reviewer_per_stage_a_single_decision_settles_as_before(project: Path) -> None:
    assert run(project, "screen", "decide", "Kuhlmann2013", "include", "--reviewer", "R1")[0] == 0
    assert outcomes(project)["Kuhlmann2013"] == ("needs-person", "full-text")


# --- resolve() ---------------------------------------------------------------------------------


def _d(reviewer: str, decision: str, resolves: bool = False, reason: str | None = None) -> Decision:
    return Decision("K", "s", decision, reviewer, reason=reason, resolves=resolves)


def test_resolve_waits_for_enough_reviewers_then_needs_agreement() -> None:
    one = resolve([_d("R1", "include")], needed=2)
    assert one.decision is None and not one.conflict
    assert resolve([_d("R1", "include"), _d("R2", "include")], needed=2).decision == "include"
    split = resolve([_d("R1", "include"), _d("R2", "exclude", reason="x")], needed=2)
    assert split.decision is None and split.conflict
    # a third reviewer settles by majority; a resolution wins over any votes
    assert (
        resolve(
            [_d("R1", "include"), _d("R2", "exclude", reason="x"), _d("R3", "exclude", reason="x")],
            needed=2,
        ).decision
        == "exclude"
    )
    won = resolve(
        [_d("R1", "include"), _d("R2", "include"), _d("R9", "exclude", True, "x")], needed=2
    )
    assert (won.decision, won.reason) == ("exclude", "x")


def test_maybe_passes_a_record_on_but_cannot_settle_the_last_stage() -> None:
    assert resolve([_d("R1", "maybe")]).decision == "include"
    assert resolve([_d("R1", "maybe"), _d("R2", "include")], needed=2).decision == "include"
    assert resolve([_d("R1", "maybe"), _d("R2", "exclude", reason="x")], needed=2).conflict
    last = resolve([_d("R1", "maybe")], last=True)
    assert last.decision is None and last.conflict


def test_a_maybe_at_the_last_stage_is_a_conflict_until_resolved(project: Path) -> None:
    assert (
        run(
            project,
            "screen",
            "decide",
            "Harvey2014",
            "maybe",
            "--reviewer",
            "R1",
            "--stage",
            "full-text",
        )[0]
        == 0
    )
    assert outcomes(project)["Harvey2014"] == ("needs-person", "full-text")
    code, out, _ = run(project, "screen", "conflicts")
    assert code == 1 and "Harvey2014 at full-text: R1 maybe [decision, unsettled]" in out
    assert run(project, "screen", "resolve", "Harvey2014", "include", "--reviewer", "R2")[0] == 0
    assert outcomes(project)["Harvey2014"] == ("included", "full-text")


def test_reviewers_per_stage_is_validated_with_did_you_mean() -> None:
    base = {
        "version": 1,
        "title": "t",
        "question": "q",
        "sources": [{"id": "db", "name": "DB", "kind": "database"}],
        "reasons": {"off": "Off"},
        "criteria": [],
    }
    _, problems = parse_protocol({**base, "stages": [{"id": "ta", "reviewers": 0}]}, "review.yaml")
    assert any("'reviewers' must be a whole number from 1 to 9" in p.message for p in problems)
    _, problems = parse_protocol({**base, "stages": [{"id": "ta", "reviewer": 2}]}, "review.yaml")
    assert any(p.hint and "did you mean 'reviewers'" in p.hint for p in problems)
    protocol, problems = parse_protocol(
        {**base, "stages": [{"id": "ta", "reviewers": 2}]}, "review.yaml"
    )
    assert (
        not [p for p in problems if p.is_error]
        and protocol is not None
        and protocol.stages[0].reviewers == 2
    )


# --- files: migration, markers, the cache --------------------------------------------------------

LEGACY = """version: 1
decisions:
- key: Kuhlmann2013
  stage: title-abstract
  decision: include
  reviewer: R1
  date: '2026-11-01'
- key: Osbourne2010
  stage: title-abstract
  decision: exclude
  reason: off-topic
  reviewer: R2
  date: '2026-11-01'
- key: Harvey2014
  stage: full-text
  decision: include
  reviewer: R1
  date: '2026-11-02'
"""


def test_a_reviewer_migrates_out_of_screening_yaml_on_their_first_write(project: Path) -> None:
    legacy = project / "corpus" / "screening.yaml"
    legacy.write_text(LEGACY, encoding="utf-8")
    before = outcomes(project)
    assert before["Harvey2014"] == ("included", "full-text")
    code, _, err = run(
        project,
        "screen",
        "decide",
        "Klopper2010",
        "exclude",
        "--reason",
        "not-uk",
        "--reviewer",
        "R1",
    )
    assert (
        code == 0
        and "moved 2 of R1's decisions from corpus/screening.yaml to corpus/screening/R1.yaml"
        in err
    )
    mine = own(project, "R1").read_text(encoding="utf-8")
    assert mine.count("reviewer: R1") == 3 and "Kuhlmann2013" in mine and "Harvey2014" in mine
    rest = legacy.read_text(encoding="utf-8")
    assert "R1" not in rest and "Osbourne2010" in rest
    after = outcomes(project)
    assert after == {**before, "Klopper2010": ("excluded", "title-abstract")}
    # R2's first write empties screening.yaml, which goes
    assert (
        run(
            project,
            "screen",
            "decide",
            "Degeling1999",
            "exclude",
            "--reason",
            "out-of-period",
            "--reviewer",
            "R2",
        )[0]
        == 0
    )
    assert not legacy.exists() and "Osbourne2010" in own(project, "R2").read_text(encoding="utf-8")
    assert outcomes(project) == {**after, "Degeling1999": ("excluded", "title-abstract")}


def test_the_same_decision_in_two_files_is_an_error_at_the_second(project: Path) -> None:
    (project / "corpus" / "screening.yaml").write_text(LEGACY, encoding="utf-8")
    own(project, "R1").parent.mkdir()
    own(project, "R1").write_text(
        "version: 1\ndecisions:\n- key: Kuhlmann2013\n  stage: title-abstract\n"
        "  decision: include\n",
        encoding="utf-8",
    )
    code, _, err = run(project, "screen")
    assert code == 2
    assert (
        "corpus/screening/R1.yaml:3" in err
        and "R1 decided Kuhlmann2013 at title-abstract in two files" in err
    )
    assert "also at corpus/screening.yaml:3" in err


def test_an_item_naming_another_reviewer_in_a_reviewers_file_is_an_error(project: Path) -> None:
    own(project, "R1").parent.mkdir()
    own(project, "R1").write_text(
        "version: 1\ndecisions:\n- key: Kuhlmann2013\n  stage: title-abstract\n"
        "  decision: include\n  reviewer: R2\n",
        encoding="utf-8",
    )
    code, _, err = run(project, "screen")
    assert (
        code == 2
        and "corpus/screening/R1.yaml:6" in err
        and "a decision by 'R2' in R1's own file" in err
    )


CONFLICTED = """version: 1
decisions:
<<<<<<< HEAD
- key: Kuhlmann2013
  stage: title-abstract
  decision: include
=======
- key: Kuhlmann2013
  stage: title-abstract
  decision: exclude
  reason: off-topic
>>>>>>> theirs
"""


def test_check_reports_git_merge_conflict_markers_in_a_decisions_file(project: Path) -> None:
    own(project, "R1").parent.mkdir()
    own(project, "R1").write_text(CONFLICTED, encoding="utf-8")
    code, out, err = run(project, "check")
    assert code == 1, out + err
    lines = (out + err).splitlines()
    for n, marker in ((3, "<<<<<<<"), (7, "======="), (12, ">>>>>>>")):
        assert any(
            f"corpus/screening/R1.yaml:{n}" in line
            and f"git merge-conflict marker {marker}" in line
            for line in lines
        ), (n, out + err)
    code, _, err = run(project, "screen")
    assert (
        code == 2 and "corpus/screening/R1.yaml:3: error: git merge-conflict marker <<<<<<<" in err
    )


def test_a_bad_reviewer_id_is_refused_before_anything_is_written(project: Path) -> None:
    code, _, err = run(
        project, "screen", "decide", "Kuhlmann2013", "include", "--reviewer", "../R1"
    )
    assert code == 2 and "cannot name a decisions file" in err
    assert not (project / "corpus" / "screening").exists()


@pytest.mark.parametrize("reviewer", ["José", "R" * 65, "ana."])
def test_the_advice_for_a_refused_reviewer_id_names_what_refused_it(
    project: Path, reviewer: str
) -> None:
    # "use letters and digits" was the advice for José (letters only) and for 65 letters too
    code, _, err = run(
        project, "screen", "decide", "Kuhlmann2013", "include", "--reviewer", reviewer
    )
    assert code == 2 and f"reviewer id {reviewer!r} cannot name a decisions file" in err
    assert (
        "(up to 64 characters: unaccented letters (A-Z, a-z) and digits, then also . _ - "
        "(not a final .), e.g. R1 or jsmith)"
    ) in err


def test_editing_one_reviewers_file_recomputes_screening(project: Path) -> None:
    for reviewer in ("R1", "R2"):
        assert (
            run(project, "screen", "decide", "Kuhlmann2013", "include", "--reviewer", reviewer)[0]
            == 0
        )
    review = Project(project)
    protocol = load_protocol(review.protocol)

    def screened() -> derived.Screened:
        corpus = load_corpus(review.records, lazy=True)
        return derived.screened(review, corpus, protocol)

    screened()
    before = Counter(derived.COMPUTED)
    assert screened().result.by_key()["Kuhlmann2013"].outcome == "needs-person"  # a cache read
    assert before == derived.COMPUTED
    path = own(project, "R2")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "decision: include", "decision: exclude\n  reason: off-topic"
        ),
        encoding="utf-8",
    )
    after = screened()
    assert derived.COMPUTED - before == Counter({"screening": 1})
    assert after.result.by_key()["Kuhlmann2013"].outcome == "needs-person"
    assert any(d.reviewer == "R2" and d.decision == "exclude" for d in after.decisions)
    # a new reviewer's file is an input too
    assert run(project, "screen", "decide", "Osbourne2010", "include", "--reviewer", "R3")[0] == 0
    mid = Counter(derived.COMPUTED)
    screened()
    assert derived.COMPUTED - mid == Counter({"screening": 1})


# --- many keys, undo -----------------------------------------------------------------------------


def test_decide_many_keys_in_one_call_writes_once(project: Path) -> None:
    code, out, _ = run(
        project,
        "screen",
        "decide",
        "Kuhlmann2013",
        "Osbourne2010",
        "Edwards2003",
        "exclude",
        "--reason",
        "off-topic",
        "--reviewer",
        "R1",
        "--stage",
        "title-abstract",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert [d["key"] for d in data["decisions"]] == ["Kuhlmann2013", "Osbourne2010", "Edwards2003"]
    text = own(project, "R1").read_text(encoding="utf-8")
    assert [line.split(": ")[1] for line in text.splitlines() if line.startswith("- key:")] == [
        "Edwards2003",
        "Kuhlmann2013",
        "Osbourne2010",
    ]


def test_many_keys_with_unknown_ones_lists_them_all_and_writes_nothing(project: Path) -> None:
    code, _, err = run(
        project,
        "screen",
        "decide",
        "Kuhlmann2013",
        "Nobody2010",
        "Osbourn2010",
        "include",
        "--reviewer",
        "R1",
    )
    assert code == 2 and "no record 'Nobody2010'" in err and "no record 'Osbourn2010'" in err
    assert "did you mean 'Osbourne2010'" in err
    assert not (project / "corpus" / "screening").exists()


def test_decide_without_a_decision_word_is_a_usage_error(project: Path) -> None:
    code, _, err = run(
        project, "screen", "decide", "Kuhlmann2013", "Osbourne2010", "--reviewer", "R1"
    )
    assert code == 2 and "then the decision (include, exclude, maybe)" in err


def test_undo_removes_only_that_reviewers_decision(project: Path) -> None:
    dual(project)
    for reviewer in ("R1", "R2"):
        assert (
            run(project, "screen", "decide", "Kuhlmann2013", "include", "--reviewer", reviewer)[0]
            == 0
        )
    assert outcomes(project)["Kuhlmann2013"] == ("needs-person", "full-text")
    code, out, _ = run(project, "screen", "undo", "Kuhlmann2013", "--reviewer", "R2")
    assert code == 0 and "R2: removed Kuhlmann2013 include at title-abstract" in out
    assert not own(project, "R2").exists() and own(project, "R1").exists()
    assert outcomes(project)["Kuhlmann2013"] == ("needs-person", "title-abstract")
    code, _, err = run(project, "screen", "undo", "Kuhlmann2013", "--reviewer", "R2")
    assert code == 2 and "R2 has no decision on Kuhlmann2013" in err


def test_undo_of_a_key_not_in_the_corpus_names_it_with_a_did_you_mean(project: Path) -> None:
    assert run(project, "screen", "decide", "Kuhlmann2013", "include", "--reviewer", "R1")[0] == 0
    code, _, err = run(project, "screen", "undo", "Kuhlman2013", "--reviewer", "R1")
    assert code == 2 and "no record 'Kuhlman2013' in the corpus" in err
    assert "did you mean 'Kuhlmann2013'" in err and "has no decision" not in err
    assert own(project, "R1").exists()  # nothing removed


def test_undo_at_a_mistyped_stage_names_the_stage_not_a_missing_decision(project: Path) -> None:
    assert run(project, "screen", "decide", "Kuhlmann2013", "include", "--reviewer", "R1")[0] == 0
    code, _, err = run(
        project, "screen", "undo", "Kuhlmann2013", "--reviewer", "R1", "--stage", "title-abstact"
    )
    assert code == 2 and "unknown stage 'title-abstact'" in err
    assert "did you mean 'title-abstract'" in err and "has no decision" not in err
    assert own(project, "R1").exists()  # nothing removed


# --- import-decisions ----------------------------------------------------------------------------


def _records_with_a_doi(project: Path) -> None:
    path = project / "corpus" / "records.bib"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  journal = {BMJ},\n", "  journal = {BMJ},\n  doi = {10.9999/invented.e1},\n"
        ),
        encoding="utf-8",
    )


ASREVIEW = """record_id,title,abstract,doi,included,asreview_ranking,litreview_key
0,Anything at all,,,1,1,Kuhlmann2013
h1,A title that matches nothing,,,1,2,
7,Another title,,https://doi.org/10.9999/INVENTED.E1,0,3,
9,What motivates NHS managers?,,,0,4,
11,Medicine management and modernisation,,,,5,
"""


def test_import_asreview_matches_by_key_id_doi_and_title(project: Path) -> None:
    _records_with_a_doi(project)
    path = project / "asreview.csv"
    path.write_text(ASREVIEW, encoding="utf-8")
    code, out, err = import_decisions(
        project,
        str(path),
        "--reviewer",
        "R1",
        "--reason",
        "off-topic",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["format"], data["imported"], data["skipped"]) == ("asreview", 4, 1)
    text = own(project, "R1").read_text(encoding="utf-8")
    got = {(line.split(": ")[1]) for line in text.splitlines() if line.startswith("- key:")}
    assert got == {"Kuhlmann2013", "Harvey2014", "Edwards2003", "Osbourne2010"}
    assert outcomes(project)["Osbourne2010"] == ("excluded", "title-abstract")


# ASReview 2 and later: the dataset's columns (here with a label column of its own, `included`,
# that the screening did not write), the row index without a name, and the project's labels,
# times and notes as asreview_label, asreview_time and asreview_note
ASREVIEW_LABEL = """,title,doi,included,asreview_label,asreview_time,asreview_note,asreview_user_name
3,Doctors and managers: a problem without a solution?,,0,1,2025-03-04 10:00:01,"editorial, kept",Ann
5,What motivates NHS managers?,,1,0,2025-03-04 10:02:40,,Ann
8,Medicine management and modernisation,,1,,,,
"""

# ASReview 1: the labels written into the dataset's own label column, the notes in exported_notes_N
ASREVIEW_V1 = """record_id,title,label_included,exported_notes_1,exported_notes_2,asreview_prior,asreview_ranking
3,Doctors and managers: a problem without a solution?,1,an earlier screening's note,editorial,1,1
5,What motivates NHS managers?,0,,,0,2
8,Medicine management and modernisation,,,,0,3
"""


@pytest.mark.parametrize("fmt", ["auto", "asreview"])
def test_import_asreview_2_and_later_reads_asreview_label_and_its_note(
    project: Path, fmt: str
) -> None:
    path = project / "asreview.csv"
    path.write_text(ASREVIEW_LABEL, encoding="utf-8")
    code, out, err = import_decisions(
        project,
        str(path),
        "--reviewer",
        "R1",
        "--format",
        fmt,
        "--reason",
        "off-topic",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["format"], data["imported"], data["skipped"]) == ("asreview", 2, 1)
    found = outcomes(project)
    # asreview_label wins over the dataset's own `included`, which says the opposite
    assert found["Edwards2003"] == ("needs-person", "full-text")
    assert found["Osbourne2010"] == ("excluded", "title-abstract")
    text = own(project, "R1").read_text(encoding="utf-8")
    assert "note: editorial, kept" in text
    # each decision is dated the day ASReview says it was made, not the day of the import
    assert text.count("date: '2025-03-04'") + text.count("date: 2025-03-04") == 2


def test_an_asreview_time_in_seconds_dates_the_decision_and_date_overrides_it(
    project: Path,
) -> None:
    path = project / "asreview.csv"
    path.write_text(
        "record_id,title,asreview_label,asreview_time\n"
        "3,Doctors and managers: a problem without a solution?,1,1700000000.5\n"
        "5,What motivates NHS managers?,1,not a time\n",
        encoding="utf-8",
    )
    assert import_decisions(project, str(path), "--reviewer", "R1")[0] == 0
    text = own(project, "R1").read_text(encoding="utf-8")
    assert "2023-11-14" in text  # 1,700,000,000 s after 1970 is 14 November 2023 (UTC)
    assert (
        import_decisions(
            project,
            str(path),
            "--reviewer",
            "R2",
            "--date",
            "2026-01-02",
        )[0]
        == 0
    )
    assert "2023-11-14" not in own(project, "R2").read_text(encoding="utf-8")


def test_import_asreview_1_reads_its_label_column_and_last_exported_notes(project: Path) -> None:
    path = project / "asreview.csv"
    path.write_text(ASREVIEW_V1, encoding="utf-8")
    code, out, err = import_decisions(
        project,
        str(path),
        "--reviewer",
        "R1",
        "--reason",
        "off-topic",
    )
    assert code == 0, err
    assert "imported 2 decisions (asreview)" in out and "1 rows without a decision" in out
    text = own(project, "R1").read_text(encoding="utf-8")
    assert "note: editorial" in text and "earlier screening" not in text


def test_an_asreview_export_without_a_label_column_names_the_ones_read(project: Path) -> None:
    path = project / "asreview.csv"
    path.write_text("title,asreview_time\nWhat motivates NHS managers?,\n", encoding="utf-8")
    code, _, err = run(
        project, "screen", "import-decisions", str(path), "--reviewer", "R1", "--format", "asreview"
    )
    assert code == 2
    assert "needs a label column: asreview_label (ASReview 2 and later) or included" in err
    assert "asreview.csv:1:" in err  # the file and line a person opens to see the columns


def test_import_refuses_exclusions_without_a_reason_code(project: Path) -> None:
    path = project / "asreview.csv"
    path.write_text(ASREVIEW, encoding="utf-8")
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2 and "no reason code" in err and "--reason" in err
    assert not (project / "corpus" / "screening").exists()


def test_unmatched_rows_are_input_errors_listed_with_their_lines_and_nothing_is_written(
    project: Path,
) -> None:
    path = project / "decisions.csv"
    path.write_text(
        "key,decision,reason\nKuhlmann2013,include,\nNobody2010,exclude,not-uk\n"
        "Osbourne2010,perhaps,\n",
        encoding="utf-8",
    )
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2  # unreadable input, as for `screen decide` and `screen simulate`
    assert f"{path.as_posix()}:3: error: row matches no record: key or id 'Nobody2010'" in err
    assert f"{path.as_posix()}:4: error: decision 'perhaps' is not include, exclude or maybe" in err
    assert "nothing was written" in err
    assert not (project / "corpus" / "screening").exists()


def test_two_rows_for_one_record_count_once_when_they_agree_and_stop_the_import_when_not(
    project: Path,
) -> None:
    # a screening tool that saw both copies of a work the dedupe then merged lists each: alike,
    # they are one decision (said so); unlike, a person must say which stands
    path = project / "decisions.csv"
    path.write_text(
        "key,decision,reason\nKuhlmann2013,exclude,not-uk\nOsbourne2010,include,\n"
        "Kuhlmann2013,exclude,not-uk\n",
        encoding="utf-8",
    )
    code, out, err = import_decisions(project, str(path), "--reviewer", "R1", "--json")
    assert code == 0, err
    assert json.loads(out)["imported"] == 2
    assert f"{path.as_posix()}:4 [Kuhlmann2013]: warning: decides Kuhlmann2013 as line 2" in err
    assert own(project, "R1").read_text(encoding="utf-8").count("key: Kuhlmann2013") == 1
    # each row's note is kept, the second beside the first
    path.write_text(
        "key,decision,reason,note\nHarvey2014,exclude,not-uk,seen in Rayyan\n"
        "Harvey2014,exclude,not-uk,the copy from Embase\n",
        encoding="utf-8",
    )
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 0, err
    assert "note: seen in Rayyan | the copy from Embase" in own(project, "R1").read_text(
        encoding="utf-8"
    )
    path.write_text(
        "key,decision,reason\nEdwards2003,exclude,not-uk\nEdwards2003,include,\n",
        encoding="utf-8",
    )
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2 and "Edwards2003 is decided again in this file" in err


def test_a_missing_reason_is_reported_beside_the_rows_other_problems(project: Path) -> None:
    # without the DOI that row 4 names, row 4 matches no record; row 5 excludes without a reason
    path = project / "asreview.csv"
    path.write_text(ASREVIEW, encoding="utf-8")
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2
    assert "--reason: error: 1 exclusion in" in err and "gives no reason code" in err
    assert f"{path.as_posix()}:4: error: row matches no record" in err
    assert "2 problems in" in err and "nothing was written" in err


def test_a_problem_repeated_on_many_rows_is_reported_once_with_their_lines(project: Path) -> None:
    path = project / "decisions.csv"
    path.write_text(
        "key,decision\nKuhlmann2013,perhaps\nOsbourne2010,perhaps\nHarvey2014,perhaps\n"
        "Edwards2003,yes\n",
        encoding="utf-8",
    )
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2
    assert err.count("decision 'perhaps' is not") == 1
    assert (
        f"{path.as_posix()}:2: error: decision 'perhaps' is not include, exclude or maybe "
        "(and 2 more rows: lines 3, 4)" in err
    )
    assert f"{path.as_posix()}:5: error: decision 'yes'" in err
    assert "4 problems in" in err


def test_a_quote_never_closed_is_an_input_error_at_the_line_it_opened(project: Path) -> None:
    # the csv module would read Harvey2014's row into Kuhlmann2013's note and import one decision
    path = project / "decisions.csv"
    path.write_text(
        'key,decision,reason,note\nKuhlmann2013,exclude,not-uk,"three countries\n'
        "Harvey2014,include,,\nOsbourne2010,maybe,,\n",
        encoding="utf-8",
    )
    code, out, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2 and not out
    assert f"{path.as_posix()}:2: error: a quote opened on this line is never closed" in err
    assert "nothing was written" in err
    assert not (project / "corpus" / "screening").exists()


def test_a_row_with_more_cells_than_the_header_is_an_input_error_at_its_line(
    project: Path,
) -> None:
    path = project / "decisions.csv"
    path.write_text(
        "key,decision,reason\nKuhlmann2013,exclude,not-uk,three countries\n"
        "Harvey2014,include,,,\n",  # empty cells past the header carry nothing: no problem
        encoding="utf-8",
    )
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2
    assert (
        f"{path.as_posix()}:2: error: row has 4 cells but the header has 3: "
        "'three countries' has no column" in err
    )
    assert "1 problem in" in err
    assert not (project / "corpus" / "screening").exists()


def test_a_plain_csv_row_without_a_decision_is_an_input_error(project: Path) -> None:
    path = project / "decisions.csv"
    path.write_text(
        "key,decision,reason,note\nKuhlmann2013,include,,\nHarvey2014\nOsbourne2010,,,\n",
        encoding="utf-8",
    )
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2
    assert (
        f"{path.as_posix()}:3: error: the row gives no decision (include, exclude or maybe) "
        "(and 1 more row: line 4)" in err
    )
    assert not (project / "corpus" / "screening").exists()


def test_a_quoted_note_running_over_rows_of_a_plain_file_is_an_error_at_its_line(
    project: Path,
) -> None:
    # the quote opened on line 2 closes only on line 3, taking Harvey2014's row into the note:
    # a plain decisions file holds no text that runs over lines, so nothing is written
    path = project / "decisions.csv"
    path.write_text(
        'key,decision,reason,note\nKuhlmann2013,include,,"seen\nHarvey2014,include,,x"\n',
        encoding="utf-8",
    )
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2
    assert f"{path.as_posix()}:2: error: a quoted cell here runs over lines" in err
    assert not (project / "corpus" / "screening").exists()


def test_a_maybe_before_the_last_stage_agrees_with_an_include_in_the_export_note(
    project: Path,
) -> None:
    dual(project)
    ta = ("--stage", "title-abstract")
    for reviewer, decision in (("R1", "include"), ("R2", "maybe")):
        code = run(
            project, "screen", "decide", "Edwards2003", decision, "--reviewer", reviewer, *ta
        )
        assert code[0] == 0
    code, out, err = run(project, "export", "--format", "ris")
    assert code == 0, err
    entry = next(e for e in out.split("ER  -") if "Edwards" in e)
    # the screening counts a maybe at title-abstract as an include, and so does the note
    assert "title-abstract: include by R1, R2" in entry and "voted otherwise" not in entry


def test_import_plain_csv_with_reasons_by_code_or_label_and_notes(project: Path) -> None:
    path = project / "decisions.csv"
    path.write_text(
        "key,decision,reason,note\nKuhlmann2013,exclude,Not UK,three countries\n"
        "Osbourne2010,maybe,,\nHarvey2014,include,,\n",
        encoding="utf-8",
    )
    code, out, err = import_decisions(project, str(path), "--reviewer", "R2")
    assert code == 0, err
    assert "imported 3 decisions (csv) → corpus/screening/R2.yaml" in out
    text = own(project, "R2").read_text(encoding="utf-8")
    assert (
        "reason: not-uk" in text and "note: three countries" in text and "decision: maybe" in text
    )
    found = outcomes(project)
    assert found["Kuhlmann2013"] == ("excluded", "title-abstract")
    assert found["Osbourne2010"] == ("needs-person", "full-text")  # maybe passes it on


def test_import_of_a_file_with_no_decisions_does_not_name_a_file_it_never_wrote(
    project: Path,
) -> None:
    path = project / "decisions.csv"
    path.write_text("key,decision,reason,note\n", encoding="utf-8")
    code, out, err = import_decisions(project, str(path), "--reviewer", "R2")
    assert code == 0, err
    assert out == f"imported 0 decisions (csv): {path.as_posix()} holds none; nothing written\n"
    assert not own(project, "R2").exists()


@pytest.mark.parametrize(
    ("name", "sep"), [("semicolons.csv", ";"), ("tabs.tsv", "\t")], ids=["semicolon", "tab"]
)
def test_import_reads_decisions_separated_by_semicolons_or_tabs(
    project: Path, name: str, sep: str
) -> None:
    # a spreadsheet saved where the decimal mark is a comma separates cells with ';' (with a BOM
    # and CRLF line ends, as Excel writes it); a tab-separated file is the other common shape
    rows = [
        ["key", "decision", "reason", "note"],
        ["Kuhlmann2013", "exclude", "Not UK", "three countries, all outside the UK"],
        ["Harvey2014", "include", "", ""],
    ]
    path = project / name
    path.write_bytes(b"\xef\xbb\xbf" + "".join(sep.join(r) + "\r\n" for r in rows).encode("utf-8"))
    code, out, err = import_decisions(project, str(path), "--reviewer", "R2")
    assert code == 0, err
    assert "imported 2 decisions (csv)" in out
    text = own(project, "R2").read_text(encoding="utf-8")
    assert "reason: not-uk" in text and "note: three countries, all outside the UK" in text
    assert outcomes(project)["Kuhlmann2013"] == ("excluded", "title-abstract")


RAYYAN = """key,title,authors,journal,year,notes
k2,"A title Rayyan's user edited",Kuhlmann,BMC,2013,"RAYYAN-INCLUSION: {""Ann""=>""Included"", ""Ben""=>""Excluded""} | RAYYAN-EXCLUSION-REASONS: not uk"
2,What motivates NHS managers?,Osbourne,,2010,"RAYYAN-INCLUSION: {""Ann""=>""Maybe"", ""Ben""=>""Excluded""} | RAYYAN-EXCLUSION-REASONS: wrong design"
3,Medicine management and modernisation,Degeling,,1999,
"""


def test_import_rayyan_takes_the_named_reviewers_decisions_from_the_notes(project: Path) -> None:
    # row 1 matches by Rayyan's key, the id Kuhlmann2013 was imported with; row 2 by title
    path = project / "articles.csv"
    path.write_text(RAYYAN, encoding="utf-8")
    code, out, err = import_decisions(
        project,
        str(path),
        "--reviewer",
        "Ben",
        "--reason",
        "off-topic",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["format"], data["imported"], data["skipped"]) == ("rayyan", 2, 1)
    text = own(project, "Ben").read_text(encoding="utf-8")
    # a reason named by its protocol label maps to its code; an unknown one is kept as a note
    assert "reason: not-uk" in text and "note: 'Rayyan reason: wrong design'" in text


def test_import_rayyan_keeps_every_exclusion_reason_besides_the_one_that_became_the_code(
    project: Path,
) -> None:
    path = project / "articles.csv"
    path.write_text(
        "key,title,authors,year,notes\n"
        'k2,A title,Kuhlmann,2013,"RAYYAN-INCLUSION: {""Ben""=>""Excluded""} | '
        'RAYYAN-EXCLUSION-REASONS: not uk,wrong design,off topic"\n',
        encoding="utf-8",
    )
    code, _, err = import_decisions(project, str(path), "--reviewer", "Ben")
    assert code == 0, err
    text = own(project, "Ben").read_text(encoding="utf-8")
    # the first reason the protocol knows is the code; the unknown one and the second known
    # one were dropped without a word before
    assert "reason: not-uk" in text
    assert "note: 'Rayyan reasons: wrong design, off topic'" in text


RAYYAN_NAMES = """key,title,authors,year,notes
k2,A title Rayyan's user edited,Kuhlmann,2013,"RAYYAN-INCLUSION: {""Alice  Smith""=>""Excluded"", ""Bob""=>""Included""} | RAYYAN-EXCLUSION-REASONS: not uk"
2,What motivates NHS managers?,Osbourne,2010,"RAYYAN-INCLUSION: {""Bob""=>""Excluded""}"
3,Medicine management and modernisation,Degeling,1999,"RAYYAN-INCLUSION: {""Alice Smith""=>""Maybe"", ""Bob""=>""Excluded""}"
"""


def test_import_rayyan_takes_the_votes_of_the_person_named_with_rayyan_name(
    project: Path,
) -> None:
    path = project / "articles.csv"
    path.write_text(RAYYAN_NAMES, encoding="utf-8")
    code, out, err = import_decisions(
        project,
        str(path),
        "--reviewer",
        "AS",
        "--rayyan-name",
        "alice smith",  # case and spacing ignored
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    # row 3 holds only Bob's vote: Alice did not screen it, and it is not given to her
    assert (data["format"], data["imported"], data["skipped"]) == ("rayyan", 2, 1)
    text = own(project, "AS").read_text(encoding="utf-8")
    assert "reason: not-uk" in text and "decision: maybe" in text
    assert "Osbourne2010" not in text


def test_a_name_in_reviewer_says_to_use_rayyan_name(project: Path) -> None:
    path = project / "articles.csv"
    path.write_text(RAYYAN_NAMES, encoding="utf-8")
    code, _, err = run(
        project, "screen", "import-decisions", str(path), "--reviewer", "Alice Smith"
    )
    assert code == 2 and '--rayyan-name "Alice Smith"' in err


def test_a_rayyan_name_the_export_lacks_is_one_error_listing_its_reviewers(project: Path) -> None:
    path = project / "articles.csv"
    path.write_text(RAYYAN_NAMES, encoding="utf-8")
    for option, hint in (
        ([], 'say whose decisions to take with --rayyan-name, e.g. --rayyan-name "Alice Smith"'),
        (["--rayyan-name", "Carol"], "check the spelling"),
    ):
        code, _, err = run(
            project, "screen", "import-decisions", str(path), "--reviewer", "Carol", *option
        )
        assert code == 2
        assert err.count("no Rayyan decisions by 'Carol'") == 1  # once, not once per row
        assert (
            f"{path.as_posix()}:2: error: no Rayyan decisions by 'Carol' in this export; "
            "its reviewers: Alice Smith, Bob" in err
        )
        assert hint in err
    assert not (project / "corpus" / "screening").exists()


def test_rayyan_name_on_an_export_of_another_format_is_an_error(project: Path) -> None:
    path = project / "asreview.csv"
    path.write_text(ASREVIEW, encoding="utf-8")
    code, _, err = import_decisions(
        project,
        str(path),
        "--reviewer",
        "R1",
        "--rayyan-name",
        "Ann",
        "--reason",
        "off-topic",
    )
    assert code == 2 and "--rayyan-name: error:" in err and "is read as asreview" in err


COVIDENCE = """Title,Authors,Abstract,Published Year,Journal,DOI,Covidence #,Study,Notes,Tags
What motivates NHS managers?,"Osbourne, J.",,2010,,,#12,Osbourne 2010,,
"Doctors and managers: a problem without a solution?","Edwards, N.",,2003,BMJ,,#13,Edwards 2003,,
"""


def test_import_covidence_needs_the_list_it_was_exported_from(project: Path) -> None:
    path = project / "covidence.csv"
    path.write_text(COVIDENCE, encoding="utf-8")
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2 and "--decision include|exclude" in err
    code, out, err = import_decisions(
        project,
        str(path),
        "--reviewer",
        "R1",
        "--decision",
        "exclude",
        "--reason",
        "not-empirical",
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["format"] == "covidence" and json.loads(out)["imported"] == 2
    assert outcomes(project)["Osbourne2010"] == ("excluded", "title-abstract")


def test_an_export_of_unknown_shape_is_an_input_error(project: Path) -> None:
    path = project / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = import_decisions(project, str(path), "--reviewer", "R1")
    assert code == 2 and f"{path.as_posix()}:1: error: cannot tell the export's format" in err


def test_next_at_a_terminal_takes_maybe_and_resolutions_by_key(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import litreview.cli.screen as screen_cli

    dual(project)
    monkeypatch.setattr(screen_cli, "_interactive", lambda: True)
    ta = ["--stage", "title-abstract"]

    def keys(reviewer: str, typed: str, *extra: str) -> str:
        result = CliRunner().invoke(
            cli,
            ["-C", str(project), "screen", "next", "--reviewer", reviewer, *ta, *extra],
            input=typed,
        )
        assert result.exit_code == 0, result.output
        return result.stdout

    first = offered(keys("R1", "mq"))  # maybe on the first record offered, then quit
    assert offered(keys("R2", "e5\nq")) == first  # exclude it with the fifth reason (off-topic)
    text = own(project, "R1").read_text(encoding="utf-8")
    assert f"key: {first}" in text and "decision: maybe" in text
    assert "reason: off-topic" in own(project, "R2").read_text(encoding="utf-8")
    # maybe v exclude at a stage that needs two is a conflict; R3 resolves it from the queue
    out = keys("R3", "iq", "--resolve")
    assert "R1: maybe" in out and "R2: exclude (off-topic)" in out
    assert "resolves: true" in own(project, "R3").read_text(encoding="utf-8")
    assert outcomes(project)[first] == ("needs-person", "full-text")


def test_one_reviewer_agreeing_with_the_rules_does_not_unsettle_a_dual_stage(project: Path) -> None:
    dual(project)
    assert outcomes(project)["Degeling1999"] == (
        "excluded",
        "title-abstract",
    )  # the rules: out of period
    assert (
        run(
            project,
            "screen",
            "decide",
            "Degeling1999",
            "exclude",
            "--reason",
            "not-uk",
            "--reviewer",
            "R1",
            "--stage",
            "title-abstract",
        )[0]
        == 0
    )
    assert outcomes(project)["Degeling1999"] == ("excluded", "title-abstract")
    # one reviewer contradicting the rules waits for the second
    assert (
        run(
            project,
            "screen",
            "decide",
            "Degeling1999",
            "include",
            "--reviewer",
            "R1",
            "--stage",
            "title-abstract",
        )[0]
        == 0
    )
    assert outcomes(project)["Degeling1999"] == ("needs-person", "title-abstract")
    assert "Degeling1999" in waiting_for(project, "R2")


def test_explain_shows_each_reviewers_own_decision_and_how_it_was_settled(project: Path) -> None:
    dual(project)
    ta = ("--stage", "title-abstract")

    def decide(key: str, decision: str, reviewer: str, *more: str) -> None:
        assert (
            run(project, "screen", "decide", key, decision, "--reviewer", reviewer, *ta, *more)[0]
            == 0
        )

    # a conflict a third reviewer resolves
    decide("Kuhlmann2013", "include", "R1")
    decide("Kuhlmann2013", "exclude", "R2", "--reason", "off-topic", "--note", "not about managers")
    _, out, _ = run(project, "screen", "--explain", "Kuhlmann2013")
    assert "reviewers disagree; nobody has settled it" in out
    assert "      R1: include," in out and "      R2: exclude (off-topic)," in out
    assert run(project, "screen", "resolve", "Kuhlmann2013", "include", "--reviewer", "R3")[0] == 0
    _, out, _ = run(project, "screen", "--explain", "Kuhlmann2013")
    assert "    people decided: include; settled by R3's resolution\n" in out
    assert "      R2: exclude (off-topic)," in out and "— not about managers" in out
    assert "      R3 (resolution): include," in out
    assert "by R1" not in out  # nobody is credited with the outcome as a group
    # a maybe outvoted: R1 is shown with their maybe, not with the exclusion
    decide("Osbourne2010", "maybe", "R1")
    decide("Osbourne2010", "exclude", "R2", "--reason", "not-empirical")
    decide("Osbourne2010", "exclude", "R3", "--reason", "not-empirical")
    _, out, _ = run(project, "screen", "--explain", "Osbourne2010")
    assert "people decided: exclude (not-empirical); settled by majority, 2 of 3" in out
    assert "      R1: maybe," in out
    _, out, _ = run(project, "screen", "--explain", "Osbourne2010", "--json")
    (ov,) = json.loads(out)["overrides"]
    assert ov["settled_by"] == "majority"
    assert [(v["reviewer"], v["decision"]) for v in ov["votes"]] == [
        ("R1", "maybe"),
        ("R2", "exclude"),
        ("R3", "exclude"),
    ]
    # both exclude for different reasons: each reason shown, and which one counts
    decide("Edwards2003", "exclude", "R1", "--reason", "not-empirical")
    decide("Edwards2003", "exclude", "R2", "--reason", "off-topic")
    _, out, _ = run(project, "screen", "--explain", "Edwards2003")
    assert "people decided: exclude (not-empirical); all 2 exclude, for different reasons" in out
    assert "      R1: exclude (not-empirical)," in out and "      R2: exclude (off-topic)," in out
    # one reviewer of the two: who decided is said, not what (deciding is blind)
    decide("Harvey2014", "exclude", "R1", "--reason", "off-topic")
    _, out, _ = run(project, "screen", "--explain", "Harvey2014")
    assert (
        "1 of the 2 reviewers this stage needs decided (R1); it waits until another reviewer decides"
        in out
    )
    assert "off-topic)," not in out


def test_status_and_screen_conflicts_count_conflicts_and_reason_only_disagreements_alike(
    project: Path,
) -> None:
    dual(project)
    ta = ("--stage", "title-abstract")
    for key, r1, r2 in (
        ("Kuhlmann2013", ("include",), ("exclude", "--reason", "off-topic")),  # a conflict
        (
            "Edwards2003",
            ("exclude", "--reason", "not-empirical"),
            ("exclude", "--reason", "not-uk"),
        ),
        ("Osbourne2010", ("exclude", "--reason", "off-topic"), ("exclude", "--reason", "not-uk")),
    ):
        assert run(project, "screen", "decide", key, *r1, "--reviewer", "R1", *ta)[0] == 0
        assert run(project, "screen", "decide", key, *r2, "--reviewer", "R2", *ta)[0] == 0
    code, out, _ = run(project, "screen", "conflicts")
    assert code == 1 and "3 disagreements, 3 unsettled: 1 conflict, 2 reason-only" in out
    unsettled = json.loads(run(project, "screen", "conflicts", "--json")[1])["unsettled"]
    assert unsettled == {"conflicts": 1, "reason_only": 2}
    status = json.loads(run(project, "status", "--json")[1])
    todo = {t["what"]: (t["count"], t["waits"]) for t in status["todo"]}
    assert todo["reviewer conflicts"] == (1, True)
    # the record is excluded either way: shown, but nothing waits for it
    assert todo["reason-only disagreements (all exclude, for different reasons)"] == (2, False)
    _, out, _ = run(project, "status")
    assert "- reviewer conflicts: 1  ->" in out
    _, out, _ = run(project, "screen")
    assert "unsettled: 1 conflict, 2 reason-only (litreview screen conflicts)" in out
    # a resolution settles a reason-only disagreement in both
    assert (
        run(
            project,
            "screen",
            "resolve",
            "Edwards2003",
            "exclude",
            "--reason",
            "not-uk",
            "--reviewer",
            "R3",
        )[0]
        == 0
    )
    assert "2 unsettled: 1 conflict, 1 reason-only" in run(project, "screen", "conflicts")[1]
    todo = {t["what"]: t["count"] for t in json.loads(run(project, "status", "--json")[1])["todo"]}
    assert todo["reason-only disagreements (all exclude, for different reasons)"] == 1


def test_a_lone_maybe_at_a_last_stage_needing_two_waits_for_the_second_reviewer(
    project: Path,
) -> None:
    path = project / "review.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  requires_person: true\n", "  requires_person: true\n  reviewers: 2\n"
        ),
        encoding="utf-8",
    )
    ft = ("--stage", "full-text")
    assert run(project, "screen", "decide", "Harvey2014", "maybe", "--reviewer", "R1", *ft)[0] == 0
    # the screening has it waiting for R2, not in conflict; so do conflicts and status
    assert outcomes(project)["Harvey2014"] == ("needs-person", "full-text")
    code, out, _ = run(project, "screen", "conflicts")
    assert code == 0 and "0 disagreements" in out
    todo = {t["what"] for t in json.loads(run(project, "status", "--json")[1])["todo"]}
    assert "reviewer conflicts" not in todo
    assert run(project, "screen", "decide", "Harvey2014", "maybe", "--reviewer", "R2", *ft)[0] == 0
    code, out, _ = run(project, "screen", "conflicts")
    assert code == 1 and "Harvey2014 at full-text: R1 maybe, R2 maybe [decision, unsettled]" in out


def test_the_queue_panel_says_what_its_count_and_the_models_count_cover(project: Path) -> None:
    assert run(project, "screen", "decide", "Osbourne2010", "include", "--reviewer", "R2")[0] == 0
    assert (
        run(
            project,
            "screen",
            "decide",
            "Klopper2010",
            "exclude",
            "--reason",
            "not-uk",
            "--reviewer",
            "R2",
            "--stage",
            "title-abstract",
        )[0]
        == 0
    )
    _, out, _ = run(project, "screen", "next", "--reviewer", "R1")
    text = " ".join(line.strip("│ ") for line in out.splitlines())
    # the panel counts every record waiting for R1, the model's estimate the first stage's only
    assert "3 waiting for you (1 at title-abstract, 2 at full-text)" in text
    assert "among the 1 waiting at title-abstract" in text
    assert "trained on 1 include and 1 exclude at title-abstract" in text
    assert "1 excludes" not in text and "1 includes" not in text


def test_import_decisions_offers_every_format_the_reader_knows() -> None:
    from litreview.cli import screen as cli_screen
    from litreview.screen import decision_import

    assert ("auto", *decision_import.FORMATS) == cli_screen.DECISION_FORMATS


def test_explain_names_a_decision_at_a_stage_the_record_has_not_reached(project: Path) -> None:
    # screen and status warned that it does not count; --explain showed the stage as "not
    # reached" and nothing of the decision. Klopper2010 is excluded at title and abstract
    code, _, _ = run(
        project,
        "screen",
        "decide",
        "Klopper2010",
        "include",
        "--stage",
        "full-text",
        "--reviewer",
        "R1",
    )
    assert code == 0
    _, out, _ = run(project, "screen", "--explain", "Klopper2010")
    assert out.startswith("Klopper2010: excluded at title-abstract")
    assert out.endswith(
        "  full-text: not reached\n    R1 decided here, which does not count: the record has"
        " not reached this stage\n"
    )
    assert "include" not in out.split("full-text: not reached", 1)[1]  # who, not what


def test_a_large_decisions_file_unchanged_is_read_from_the_cache_and_alike(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decision changes one reviewer's file; the others come back from the derived-results
    cache (for files over ``CACHED_BYTES``), exactly as a fresh read gives them."""
    from litreview.project import find_project
    from litreview.review import Review
    from litreview.screen import reviewers

    keys = sorted(load_corpus(project / "corpus" / "records.bib").keys)
    assert run(project, "screen", "decide", keys[0], "include", "--reviewer", "ana")[0] == 0
    assert run(project, "screen", "decide", keys[1], "include", "--reviewer", "bob")[0] == 0

    def read() -> tuple[tuple[Decision, ...], list[str]]:
        fresh = find_project(project)  # a new Project: no decisions kept in memory
        found, problems = reviewers.load_all_decisions(fresh, keys, Review.of(fresh).protocol)
        return found, [str(p) for p in problems]

    uncached = read()
    monkeypatch.setattr(reviewers, "CACHED_BYTES", 0)
    before = dict(derived.COMPUTED)
    assert read() == uncached  # computed and cached
    assert read() == uncached  # from the cache
    assert derived.COMPUTED["decisions-bob"] - before.get("decisions-bob", 0) == 1
    assert (
        run(
            project,
            "screen",
            "decide",
            keys[2],
            "exclude",
            "--reason",
            "off-topic",
            "--reviewer",
            "ana",
        )[0]
        == 0
    )
    again = read()
    assert derived.COMPUTED["decisions-bob"] - before.get("decisions-bob", 0) == 1
    assert derived.COMPUTED["decisions-ana"] - before.get("decisions-ana", 0) == 2
    assert len(again[0]) == len(uncached[0]) + 1


def test_decisions_of_a_review_with_no_decisions_file_are_read_without_the_dedupe_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``screen`` right after ``dedupe`` has no decision to follow through a merge: reading every
    decisions file (none) does not read the dedupe log (~0.5 s at 100k records)."""
    from litreview.project import find_project
    from litreview.review import Review
    from litreview.screen import reviewers

    shutil.copytree(FIXTURES / "screen" / "project", tmp_path / "r")
    fresh = find_project(tmp_path / "r")
    keys = sorted(load_corpus(fresh.records).keys)

    def no_log(self: Review) -> dict[str, str]:
        raise AssertionError("the dedupe log was read")

    monkeypatch.setattr(Review, "aliases", property(no_log))
    assert reviewers.load_all_decisions(fresh, keys, Review.of(fresh).protocol) == ((), [])


def test_screen_of_a_review_with_no_decision_yet_does_not_read_the_dedupe_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``screen`` right after ``dedupe``: no decision keeps a title to compare with its record,
    so the dedupe log's aliases (~0.5 s at 100k records) are not read."""
    from litreview.review import Review

    shutil.copytree(FIXTURES / "screen" / "project", tmp_path / "r")

    def no_log(self: Review) -> dict[str, str]:
        raise AssertionError("the dedupe log was read")

    monkeypatch.setattr(Review, "aliases", property(no_log))
    code, out, _ = run(tmp_path / "r", "screen")
    assert code in (0, 1)
    assert out.startswith("screened ")
