"""What a review team meets when it keeps the review in git: merges of people's files on
branches (conflict markers, decisions on records another branch merged away)."""

from __future__ import annotations

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
