"""What a review team meets when it keeps the review in git: merges of people's files on
branches (conflict markers, decisions on records another branch merged away)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import copy_of_shipped_review
from .conftest import invoke as run

QUOTED = (
    "  key_findings: 'The seven high-engagement trusts had mixed histories of doctor–manager "
    "relations: in\n"
    "    some the relationship had worked well, in others it had been dysfunctional.'\n"
)
# both sides changed a line inside one quoted value: every marker line is inside the quotes,
# so the file still parses and the markers would read as words of the value
QUOTED_CONFLICT = (
    "  key_findings: 'The seven high-engagement trusts had mixed histories of doctor–manager "
    "relations: in\n"
    "<<<<<<< HEAD\n"
    "    some the relationship had worked well,\n"
    "=======\n"
    "    some the relationship had worked very well,\n"
    ">>>>>>> extraction-r2\n"
    "    in others it had been dysfunctional.'\n"
)


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return copy_of_shipped_review(tmp_path / "review")


def _conflict_inside_a_quoted_value(review: Path) -> int:
    path = review / "corpus" / "extraction.yaml"
    text = path.read_text(encoding="utf-8")
    assert QUOTED in text
    path.write_text(text.replace(QUOTED, QUOTED_CONFLICT), encoding="utf-8")
    return text[: text.index(QUOTED)].count("\n") + 2  # the line of <<<<<<<


def test_conflict_markers_inside_a_quoted_yaml_value_are_errors_at_their_lines(
    review: Path,
) -> None:
    first = _conflict_inside_a_quoted_value(review)
    code, out, err = run(review, "check")
    assert code == 1, out + err
    wanted = [
        f"corpus/extraction.yaml:{first + n}: error: git merge-conflict marker {m}"
        for n, m in ((0, "<<<<<<<"), (2, "======="), (4, ">>>>>>>"))
    ]
    for line in wanted:
        assert (out + err).count(line) == 1, (line, out + err)
    code, out, err = run(review, "render")
    assert code == 2, out + err
    for line in wanted:
        assert line in err, (line, err)
    assert not (review / "build").exists() or "<<<<<<<" not in "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (review / "build").rglob("*")
        if p.is_file()
    )


DUPLICATES_DECISION = "  decision: same\n  reviewer: R1\n  date: '2026-11-23'\n"
DUPLICATES_CONFLICT = (
    "<<<<<<< HEAD\n"
    "  decision: same\n"
    "  reviewer: R1\n"
    "=======\n"
    "  decision: different\n"
    "  reviewer: R2\n"
    ">>>>>>> dedupe-r2\n"
    "  date: '2026-11-23'\n"
)


def test_a_decision_on_an_absorbed_key_while_the_dedupe_log_is_mid_merge_names_the_log(
    review: Path,
) -> None:
    """R2 screened Harvey2014x on a branch; the dedupe log came out of another merge with
    conflict markers. The decision is not for a record "not in the corpus (did you mean
    Harvey2014?)": the log that says where it went does not load, and that is what to mend."""
    (review / "corpus" / "screening").mkdir()
    (review / "corpus" / "screening" / "R2.yaml").write_text(
        "version: 1\ndecisions:\n- key: Harvey2014x\n  stage: title-abstract\n"
        "  decision: include\n  date: '2026-12-07'\n",
        encoding="utf-8",
    )
    assert run(review, "screen")[0] in (0, 1)
    log = review / "corpus" / "duplicates.yaml"
    text = log.read_text(encoding="utf-8")
    at = text.index(DUPLICATES_DECISION)
    log.write_text(text.replace(DUPLICATES_DECISION, DUPLICATES_CONFLICT, 1), encoding="utf-8")
    marker = text[:at].count("\n") + 1
    for command in (("screen",), ("tag",), ("screen", "conflicts")):
        code, _, err = run(review, *command)
        assert code == 2, (command, err)
        assert "did you mean" not in err and "not in the corpus" not in err, (command, err)
        assert re.search(
            r"corpus/screening/R2\.yaml:3( \[\w+\])?: error: 'Harvey2014x' was absorbed by a "
            r"dedupe merge, and corpus/duplicates\.yaml does not load \(mend "
            r"corpus/duplicates\.yaml first\)",
            err,
        ), (command, err)
        assert (
            f"corpus/duplicates.yaml:{marker}: error: git merge-conflict marker <<<<<<<" in err
        ), (command, err)
