"""`litreview screen` and its subcommands on a small project; screening.yaml validation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from litreview.protocol import load_protocol
from litreview.screen.decisions import load_decisions

from .conftest import FIXTURES
from .conftest import invoke as run

PROJECT = FIXTURES / "screen" / "project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    dest = tmp_path / "review"
    shutil.copytree(PROJECT, dest)
    return dest


def test_screen_prints_counts_per_outcome_and_reason(project: Path) -> None:
    code, out, _ = run(project, "screen")
    assert code == 1  # three records wait for a person
    assert "screened 6 records: included 0, excluded 3, needs a person 3" in out
    assert "out-of-period 1, not-uk 1, not-empirical 1" in out


def test_screen_json_has_version_and_outcomes(project: Path) -> None:
    code, out, _ = run(project, "screen", "--json")
    data = json.loads(out)
    assert code == 1 and data["version"] == 2
    assert data["outcomes"] == {"included": 0, "excluded": 3, "needs-person": 3}
    assert data["reached"] == {"title-abstract": 6, "full-text": 1}  # not "screened": see prisma
    assert {r["key"]: r["reason"] for r in data["results"]}["Klopper2010"] == "not-uk"


def test_explain_shows_every_criterion_with_evidence(project: Path) -> None:
    code, out, _ = run(project, "screen", "--explain", "Klopper2010")
    assert code == 0
    assert out.splitlines()[0] == "Klopper2010: excluded at title-abstract (not-uk: Not UK)"
    assert 'NOT MET  uk [not-uk] UK: set in Netherlands, not UK — title: "Dutch"' in out
    assert "met      topic [off-topic]" in out and 'title: "physicians and managers"' in out
    assert "full-text: not reached" in out


def test_explain_json_and_unknown_key(project: Path) -> None:
    code, out, _ = run(project, "screen", "--explain", "Kuhlmann2013", "--json")
    data = json.loads(out)
    assert code == 0 and data["outcome"] == "needs-person"
    uk = next(c for c in data["criteria"] if c["criterion"] == "uk")
    assert uk["status"] == "unclear" and uk["evidence"] == [
        {"field": "country", "phrase": "UK; Germany; Portugal"}
    ]
    code, _, err = run(project, "screen", "--explain", "Harvy2014")
    assert code == 2 and "did you mean 'Harvey2014'" in err


def test_decide_writes_sorted_yaml_and_overrides(project: Path) -> None:
    assert (
        run(
            project,
            "screen",
            "decide",
            "Kuhlmann2013",
            "include",
            "--reviewer",
            "R2",
            "--date",
            "2026-11-20",
        )[0]
        == 0
    )
    assert (
        run(
            project,
            "screen",
            "decide",
            "Harvey2014",
            "include",
            "--stage",
            "full-text",
            "--reviewer",
            "R1",
            "--date",
            "2026-11-21",
            "--note",
            "core study",
        )[0]
        == 0
    )
    assert (
        run(
            project,
            "screen",
            "decide",
            "Degeling1999",
            "include",
            "--stage",
            "title-abstract",
            "--reviewer",
            "R1",
            "--date",
            "2026-11-22",
        )[0]
        == 0
    )
    assert not (project / "corpus" / "screening.yaml").exists()  # each reviewer's own file instead
    text = (project / "corpus" / "screening" / "R1.yaml").read_text(encoding="utf-8")
    keys = [line.split(": ")[1] for line in text.splitlines() if line.startswith("- key:")]
    assert keys == ["Degeling1999", "Harvey2014"]  # stage order, then key
    protocol = load_protocol(project / "review.yaml")
    decisions, problems = load_decisions(
        project / "corpus" / "screening" / "R1.yaml", None, protocol, reviewer="R1"
    )
    assert not problems and len(decisions) == 2
    decisions, problems = load_decisions(
        project / "corpus" / "screening" / "R2.yaml", None, protocol, reviewer="R2"
    )
    assert not problems and [d.key for d in decisions] == ["Kuhlmann2013"]
    _, out, _ = run(project, "screen", "--explain", "Degeling1999")
    assert "people overrode the rules: include by R1 2026-11-22" in out
    _, out, _ = run(project, "screen")
    assert "included 1" in out and "1 overrode the rules" in out


def test_decide_again_replaces_own_decision(project: Path) -> None:
    run(project, "screen", "decide", "Osbourne2010", "include", "--reviewer", "R1")
    code, out, _ = run(
        project,
        "screen",
        "decide",
        "Osbourne2010",
        "exclude",
        "--reason",
        "off-topic",
        "--reviewer",
        "R1",
    )
    assert code == 0 and "replaces" in out
    text = (project / "corpus" / "screening" / "R1.yaml").read_text(encoding="utf-8")
    assert text.count("Osbourne2010") == 1 and "off-topic" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nobody2010", "include"], "no record 'Nobody2010'"),
        (["Harvey2014", "exclude"], "needs a reason"),
        (["Harvey2014", "exclude", "--reason", "not-ukk"], "did you mean 'not-uk'"),
        (["Harvey2014", "include", "--stage", "full-txt"], "did you mean 'full-text'"),
        (["Harvey2014", "include", "--date", "2026-02-30"], "not a real YYYY-MM-DD date"),
    ],
)
def test_decide_rejects_bad_input_and_writes_nothing(
    project: Path, args: list[str], message: str
) -> None:
    code, _, err = run(project, "screen", "decide", *args, "--reviewer", "R1")
    assert code == 2 and message in err
    assert not (project / "corpus" / "screening.yaml").exists()
    assert not (project / "corpus" / "screening").exists()


BAD_DECISIONS = """version: 1
decisions:
- key: Harvey2014
  stage: title-abstract
  decision: include
  reviewer: R1
  reviwer: R1
- key: Nobody2010
  stage: title-abstract
  decision: include
  reviewer: R1
- key: Harvey2014
  stage: abstract
  decision: include
  reviewer: R1
- key: Klopper2010
  stage: title-abstract
  decision: exclude
  reason: not-dutch
  reviewer: R1
- key: Edwards2003
  stage: title-abstract
  decision: exclude
  reviewer: R1
- key: Osbourne2010
  stage: title-abstract
  decision: include
  reviewer: R1
- key: Osbourne2010
  stage: title-abstract
  decision: exclude
  reason: off-topic
  reviewer: R1
"""


def test_every_problem_of_the_decisions_file_is_reported_with_its_line(project: Path) -> None:
    path = project / "corpus" / "screening.yaml"
    path.write_text(BAD_DECISIONS, encoding="utf-8")
    before = path.read_bytes()
    code, _, err = run(project, "screen")
    assert code == 2
    lines = BAD_DECISIONS.splitlines()

    def at(text: str, nth: int = 0) -> str:
        return f"corpus/screening.yaml:{[i for i, s in enumerate(lines, 1) if text in s][nth]}"

    expected = [
        (at("reviwer"), "unknown key 'reviwer'", "did you mean 'reviewer'"),
        (at("Nobody2010"), "'Nobody2010', which is not in the corpus", ""),
        (at("stage: abstract"), "unknown stage 'abstract'", ""),
        (at("not-dutch"), "unknown reason code 'not-dutch'", ""),
        (at("Edwards2003"), "needs a reason", ""),
        (
            at("Osbourne2010", 1),
            "R1 decided Osbourne2010 at title-abstract twice",
            f"first at line {at('Osbourne2010').split(':')[1]}",
        ),
    ]
    for where, what, hint in expected:
        assert any(
            line.startswith(where) and what in line and hint in line for line in err.splitlines()
        ), (where, err)
    # decide refuses to migrate R1's items out of a broken file; R3, who has none there, is not stopped
    assert run(project, "screen", "decide", "Harvey2014", "include", "--reviewer", "R1")[0] == 2
    assert path.read_bytes() == before and not (project / "corpus" / "screening").exists()
    assert run(project, "screen", "decide", "Harvey2014", "include", "--reviewer", "R3")[0] == 0
    assert path.read_bytes() == before


DUPLICATES = """version: 1
merges:
- survivor: Harvey2014
  reason: same DOI
  before: |
    @article{Harvey2014, title = {Mobilising identities}}
  absorbed:
  - key: Harvey2014x
    entry: |
      @article{Harvey2014x, title = {Mobilising identities}}
"""


def test_a_decision_on_a_key_a_merge_absorbed_applies_to_the_survivor(project: Path) -> None:
    (project / "corpus" / "duplicates.yaml").write_text(DUPLICATES, encoding="utf-8")
    path = project / "corpus" / "screening.yaml"
    path.write_text(
        "version: 1\ndecisions:\n- key: Harvey2014x\n  stage: title-abstract\n  decision: exclude\n"
        "  reason: not-uk\n  reviewer: R1\n",
        encoding="utf-8",
    )
    code, out, err = run(project, "screen", "--explain", "Harvey2014")
    assert code == 0
    assert (
        "corpus/screening.yaml:3: info: R1's decision on Harvey2014x applies to Harvey2014, "
        "which absorbed it in a dedupe merge"
    ) in err
    assert out.splitlines()[0] == "Harvey2014: excluded at title-abstract (not-uk: Not UK)"
    # writing another decision moves R1's into R1's own file and keeps the key as the person wrote it
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
            "R1",
        )[0]
        == 0
    )
    own = project / "corpus" / "screening" / "R1.yaml"
    assert "key: Harvey2014x" in own.read_text(encoding="utf-8") and not path.exists()
    _, out, _ = run(project, "screen", "--explain", "Harvey2014")
    assert out.splitlines()[0] == "Harvey2014: excluded at title-abstract (not-uk: Not UK)"
    # a key that exists nowhere is still an error with its line, in a reviewer's file too
    with own.open("a", encoding="utf-8") as f:
        f.write("- key: Harvey2015\n  stage: title-abstract\n  decision: include\n")
    code, _, err = run(project, "screen")
    assert (
        code == 2
        and "corpus/screening/R1.yaml:" in err
        and "'Harvey2015', which is not in the corpus" in err
    )


def test_explain_on_a_key_a_merge_absorbed_explains_its_survivor(project: Path) -> None:
    # the decision files take an absorbed key; --explain took it for a typo ("no record
    # 'Harvey2014x' in the corpus") and exited 2
    (project / "corpus" / "duplicates.yaml").write_text(DUPLICATES, encoding="utf-8")
    code, out, err = run(project, "screen", "--explain", "Harvey2014x")
    assert code == 0, err
    assert "Harvey2014x was merged into Harvey2014 by dedupe: explaining Harvey2014" in err
    assert out.splitlines()[0].startswith("Harvey2014: ")
    code, out, err = run(project, "screen", "--explain", "Harvey2014x", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["key"] == "Harvey2014" and data["merged_from"] == "Harvey2014x"
    # a key that is nowhere is still an input error
    assert run(project, "screen", "--explain", "Harvey2099")[0] == 2


def test_decide_on_a_key_a_merge_absorbed_names_the_key_written_and_its_survivor(
    project: Path,
) -> None:
    # it said "R1: Harvey2014 include ..." while R1.yaml got "key: Harvey2014x"
    (project / "corpus" / "duplicates.yaml").write_text(DUPLICATES, encoding="utf-8")
    code, out, err = run(project, "screen", "decide", "Harvey2014x", "include", "--reviewer", "R1")
    assert code == 0, err
    assert out.startswith("R1: Harvey2014x (merged into Harvey2014) include at full-text")
    own = (project / "corpus" / "screening" / "R1.yaml").read_text(encoding="utf-8")
    assert "key: Harvey2014x" in own


def test_conflicts_exit_1_and_agreement_reports_kappa(project: Path) -> None:
    run(project, "screen", "decide", "Kuhlmann2013", "include", "--reviewer", "R1")
    run(
        project,
        "screen",
        "decide",
        "Kuhlmann2013",
        "exclude",
        "--reason",
        "not-uk",
        "--reviewer",
        "R2",
    )
    run(project, "screen", "decide", "Osbourne2010", "include", "--reviewer", "R1")
    run(project, "screen", "decide", "Osbourne2010", "include", "--reviewer", "R2")
    code, out, _ = run(project, "screen", "conflicts")
    assert code == 1 and "Kuhlmann2013 at title-abstract: R1 include, R2 exclude (not-uk)" in out
    code, out, _ = run(project, "screen", "agreement", "--json")
    [row] = json.loads(out)["agreement"]
    assert code == 0 and row["records"] == 2 and row["agreed"] == 1 and row["percent"] == 50.0
    # R1 includes 2/2, R2 includes 1/2: p_o = .5, p_e = 1*.5 + 0*.5 = .5 → kappa 0
    assert row["kappa"] == 0.0


def test_conflicts_exit_0_when_none(project: Path) -> None:
    code, out, _ = run(project, "screen", "conflicts")
    assert code == 0 and "0 disagreements" in out


def test_prisma_json(project: Path) -> None:
    code, out, _ = run(project, "screen", "prisma", "--json")
    data = json.loads(out)
    assert code == 0 and data["version"] == 2
    assert (
        data["identified_total"] == 7 and data["duplicates_removed"] == 1 and data["records"] == 6
    )
    # the three the rules exclude unseen are marked ineligible by automation tools, not screened
    assert data["automation_ineligible_total"] == 3 and data["screened"] == 3
    assert data["balanced"] is True


def test_next_without_a_terminal_shows_the_record_and_returns(project: Path) -> None:
    code, out, _ = run(project, "screen", "next", "--reviewer", "R1")
    assert code == 0 and "not a terminal" in out and "Degeling1999" not in out


def test_broken_protocol_exits_2_with_its_line(project: Path) -> None:
    path = project / "review.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("max: 2015", "max: 1990"), encoding="utf-8"
    )
    code, _, err = run(project, "screen")
    assert code == 2 and "review.yaml:" in err and "impossible year range" in err


def test_help_and_docs_say_decisions_go_to_each_reviewers_own_file(project: Path) -> None:
    from .conftest import ROOT

    code, out, _ = run(project, "screen", "--help")
    assert (
        code == 0
        and "corpus/screening/ID.yaml" in out
        and "screening.yaml" not in out.replace("screening/ID.yaml", "")
    )
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    (row,) = [
        line for line in usage.splitlines() if line.startswith("|") and "screen decide" in line
    ]
    assert row.startswith("| `corpus/screening/ID.yaml`")
    # what `screen decide` prints, as the tutorial shows it
    _, out, _ = run(project, "screen", "decide", "Kuhlmann2013", "include", "--reviewer", "R1")
    assert out.rstrip().endswith("→ corpus/screening/R1.yaml")
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    assert "→ corpus/screening/R1.yaml" in tutorial and "→ corpus/screening.yaml" not in tutorial
