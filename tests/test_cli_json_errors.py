"""A command asked for JSON that stops on an input error prints JSON on stdout too.

A script that runs ``litreview status --json`` and parses stdout used to get an empty document
when the review could not be read (a decision for a record the corpus does not hold), and so
a parse error instead of the reason. Now stdout holds ``{"cannot_run": true, "problems": [...]}``
(the shape ``check --format json`` prints), each problem with its file and line, the messages go
to stderr as before, and the exit code is still 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import copy_of_shipped_review, invoke

MISSING = """- key: Nobody2099
  stage: title-abstract
  decision: include
  reviewer: R1
  date: '2026-12-01'
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = copy_of_shipped_review(tmp_path / "review")
    decisions = root / "corpus" / "screening.yaml"
    decisions.write_text(decisions.read_text(encoding="utf-8") + MISSING, encoding="utf-8")
    return root


@pytest.mark.parametrize("command", [("status",), ("screen",), ("tag",)])
def test_a_json_command_that_cannot_run_says_why_in_json(
    broken: Path, command: tuple[str, ...]
) -> None:
    code, out, err = invoke(broken, *command, "--json")
    assert code == 2, (out, err)
    data = json.loads(out)
    assert data["cannot_run"] is True and data["version"] == 1
    (problem,) = [p for p in data["problems"] if "Nobody2099" in p["message"]]
    assert problem["path"] == "corpus/screening.yaml" and problem["line"] > 1
    assert problem["severity"] == "error"
    assert "Nobody2099" in err


def test_without_json_an_input_error_prints_nothing_on_stdout(broken: Path) -> None:
    code, out, err = invoke(broken, "status")
    assert code == 2 and out == "" and "Nobody2099" in err
