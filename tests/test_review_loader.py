"""One review, loaded once: every step of a command shares what the others read."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview import review as review_module
from litreview.errors import ConfigError
from litreview.project import Project
from litreview.review import Review
from litreview.workflow.pipeline import load_state, run_pipeline
from tests.conftest import copy_of_shipped_review


def _reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts: dict[str, int] = {}
    monkeypatch.setattr(review_module, "READS", counts)
    return counts


def test_run_reads_review_yaml_and_the_dedupe_log_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_of_shipped_review(tmp_path / "review")
    run_pipeline(Project(root), formats=("md",))  # the first run may import, merge and write
    counts = _reads(monkeypatch)
    run_pipeline(Project(root), formats=("md",), force=True)
    assert counts["protocol"] == 1
    assert counts.get("aliases", 0) <= 1
    assert counts.get("themes", 0) == 1


def test_a_file_rewritten_during_a_command_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_of_shipped_review(tmp_path / "review")
    project = Project(root)
    counts = _reads(monkeypatch)
    first = Review.of(project).protocol
    assert Review.of(project).protocol is first and counts == {"protocol": 1}
    text = project.protocol.read_text(encoding="utf-8")
    tmp = project.protocol.with_suffix(".tmp")
    tmp.write_text(text.replace("title:", "title: Changed", 1), encoding="utf-8")
    tmp.replace(project.protocol)  # how every stored file is written: a rename
    second = Review.of(project).protocol
    assert counts == {"protocol": 2} and second.title != first.title
    # a new Project value (a new command) starts with nothing read
    assert Review.of(Project(root)) is not Review.of(project)


def test_load_state_and_a_step_of_the_same_command_share_the_protocol(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_of_shipped_review(tmp_path / "review")
    project = Project(root)
    counts = _reads(monkeypatch)
    state = load_state(project)
    assert state.protocol is Review.of(project).protocol
    assert counts["protocol"] == 1


def test_check_validates_review_yaml_with_the_same_single_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.check.checks import check_project

    root = copy_of_shipped_review(tmp_path / "review")
    counts = _reads(monkeypatch)
    check_project(Project(root))
    assert counts["protocol"] == 1 and counts["themes"] == 1


def test_check_sees_every_problem_the_loader_kept_and_a_step_stops_at_the_error(
    tmp_path: Path,
) -> None:
    root = copy_of_shipped_review(tmp_path / "review")
    project = Project(root)
    protocol_file = project.protocol
    protocol_file.write_text(
        protocol_file.read_text(encoding="utf-8") + "\nmystery: 1\n", encoding="utf-8"
    )
    value, problems = Review.of(project).parsed("protocol")
    [problem] = [p for p in problems if p.code == "unknown-key"]
    assert value is not None and problem.is_error and problem.location.key == "mystery"
    with pytest.raises(ConfigError) as exc:
        _ = Review.of(project).protocol
    assert [p.location.key for p in exc.value.problems] == ["mystery"]
