"""``litreview render``: options, exit codes, files written; the pipeline adapter is stubbed."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.project import Project
from tests.render_helpers import load_case


@pytest.fixture
def pipeline(monkeypatch: pytest.MonkeyPatch) -> list[Project]:
    """A stand-in for litreview.workflow.pipeline.build_render_input, so these tests pin the command alone."""
    seen: list[Project] = []
    module = types.ModuleType("litreview.workflow.pipeline")

    def load_state(project: Project) -> object:
        return types.SimpleNamespace(problems=[])

    def build_render_input(project: Project, state: object = None) -> object:
        seen.append(project)
        return load_case("powell-davies")

    module.load_state = load_state  # type: ignore[attr-defined]
    module.build_render_input = build_render_input  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "litreview.workflow.pipeline", module)
    return seen


def test_render_writes_every_output_into_build(tmp_path: Path, pipeline: list[Project]) -> None:
    (tmp_path / "review.yaml").write_text("title: x\n")
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "render"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == sorted(
        [
            "appendix.html",
            "appendix.md",
            "evidence-map-country.svg",
            "evidence-map.svg",
            "evidence-table.csv",
            "evidence-table.html",
            "evidence-table.md",
            "evidence-table.tex",
            "narrative.md",
            "prisma-s.md",
            "prisma.json",
            "prisma.svg",
            "references.bib",
            "references.json",
            "studies-by-year.svg",
        ]
    )
    assert pipeline[0].root == tmp_path.resolve()
    assert "rendered 7 included studies into 15 files" in result.stderr


def test_render_json_lists_the_files(tmp_path: Path, pipeline: list[Project]) -> None:
    result = CliRunner().invoke(
        cli, ["-C", str(tmp_path), "render", "--format", "csv", "--out", "out", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["studies"] == 7
    assert [Path(f).name for f in data["files"]] == ["evidence-table.csv"]


def test_format_svg_json_writes_the_pictures_and_the_counts(
    tmp_path: Path, pipeline: list[Project]
) -> None:
    result = CliRunner().invoke(
        cli, ["-C", str(tmp_path), "render", "--format", "svg,json", "--out", "out"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "evidence-map-country.svg",
        "evidence-map.svg",
        "prisma.json",
        "prisma.svg",
        "studies-by-year.svg",
    ]


def test_unknown_format_is_a_usage_error(tmp_path: Path, pipeline: list[Project]) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "render", "--format", "md,docx"])
    assert result.exit_code == 2
    assert "unknown format 'docx'; choose from md, html, csv, tex, svg, json" in result.stderr


def test_missing_templates_folder_is_a_usage_error(tmp_path: Path, pipeline: list[Project]) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "render", "--templates", "nope"])
    assert result.exit_code == 2
    assert "nope: error: templates folder not found" in result.stderr


def test_a_broken_user_template_exits_2_with_file_and_line(
    tmp_path: Path, pipeline: list[Project]
) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "narrative.md.j2").write_text("{{ oops }}\n")
    result = CliRunner().invoke(
        cli, ["-C", str(tmp_path), "render", "--templates", str(tmp_path / "tpl")]
    )
    assert result.exit_code == 2
    assert (
        "narrative.md.j2: error: template uses an undefined value: 'oops' is undefined"
        in result.stderr
    )


def test_the_reviews_own_templates_folder_is_used_without_naming_it(
    tmp_path: Path, pipeline: list[Project]
) -> None:
    (tmp_path / "review.yaml").write_text("title: x\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "narrative.md.j2").write_text(
        "our own narrative for {{ data.studies | length }} studies\n"
    )
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "render", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "narrative.md").read_text() == "our own narrative for 7 studies\n"


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["render", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_render_says_what_a_stored_file_gets_wrong_and_exits_1(tmp_path: Path) -> None:
    from tests.conftest import copy_of_shipped_review

    review = copy_of_shipped_review(tmp_path / "review")
    extraction = review / "corpus" / "extraction.yaml"
    text = extraction.read_text(encoding="utf-8")
    assert "  relevance: direct\n" in text
    # a capital letter typed by hand: the study drops out of the directly relevant group
    extraction.write_text(text.replace("  relevance: direct\n", "  relevance: Direct\n", 1))
    line = text[: text.index("  relevance: direct\n")].count("\n") + 1
    result = CliRunner().invoke(cli, ["-C", str(review), "render", "--format", "md"])
    assert result.exit_code == 1, result.output
    assert (
        f"corpus/extraction.yaml:{line} [" in result.stderr
        and "error: relevance must be one of direct, related, not 'Direct'" in result.stderr
    )
    assert (review / "build" / "appendix.md").exists()  # written from what could be read


def test_render_summary_counts_one_file_in_the_singular(
    tmp_path: Path, pipeline: list[Project]
) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "render", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "rendered 7 included studies into 1 file in " in result.stderr
