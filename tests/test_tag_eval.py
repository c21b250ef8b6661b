"""scripts/eval_tags.py: precision and recall of tags (before overrides) against the review's placement."""

from __future__ import annotations

import json
import runpy
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURES, ROOT

FIXTURE_PROJECT = FIXTURES / "tag" / "project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    # a copy, so that the corpus cache is written there and not into the fixtures
    root = tmp_path / "review"
    shutil.copytree(FIXTURE_PROJECT, root)
    return root


def _script() -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "scripts" / "eval_tags.py"))


def test_precision_and_recall_per_theme_count_only_included_studies_and_ignore_overrides(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Alpha2010's bridging tag is removed by an override; the evaluation must still count it.
    code = _script()["main"](
        [
            "--project",
            str(project),
            "--judgements",
            str(FIXTURES / "tag" / "judgements.yaml"),
            "--json",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    rows = {r["theme"]: r for r in report["themes"]}
    assert report["studies"] == 2  # Gamma2014 is excluded, so not evaluated
    assert (rows["bridging"]["tp"], rows["bridging"]["fp"], rows["bridging"]["fn"]) == (1, 0, 1)
    assert (rows["bridging"]["precision"], rows["bridging"]["recall"]) == (1.0, 0.5)
    assert (rows["context"]["tp"], rows["context"]["fp"], rows["context"]["precision"]) == (
        0,
        1,
        0.0,
    )
    assert rows["frictions"]["recall"] is None  # placed nowhere among the included studies
    assert report["overall"] == {"tp": 1, "fp": 2, "fn": 1, "precision": 0.333, "recall": 0.5}


def test_markdown_table_has_a_row_per_theme_and_a_total(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _script()["main"](
        ["--project", str(project), "--judgements", str(FIXTURES / "tag" / "judgements.yaml")]
    )
    out = capsys.readouterr().out
    assert "| bridging | 2 | 1 | 1 | 1.00 | 0.50 |" in out
    assert "| **all themes** | 2 | 3 | 1 | 0.33 | 0.50 |" in out


def test_missing_judgements_file_exits_2(project: Path, tmp_path: Path) -> None:
    assert (
        _script()["main"](["--project", str(project), "--judgements", str(tmp_path / "none.yaml")])
        == 2
    )
