"""`litreview check`: each check with a broken fixture, exact messages and exit codes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.cli.check import github_annotation
from litreview.model import Location, Problem, Severity

from .conftest import ROOT


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    root.mkdir()
    for name in ("review.yaml", "themes.yaml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "corpus", root / "corpus")
    return root


def run(root: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["-C", str(root), "check", *args])


def test_shipped_corpus_passes(repo: Path) -> None:
    result = run(repo)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "0 errors" in result.stdout  # type: ignore[attr-defined]


def _break_corpus(repo: Path, old: str, new: str) -> None:
    path = repo / "corpus" / "records.bib"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_duplicate_key_is_an_error_with_line(repo: Path) -> None:
    _break_corpus(repo, "@article{Brown2011,", "@article{Davies2003a,")
    result = run(repo)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert re.search(r"corpus/records.bib:\d+ \[Davies2003a\]: error: citation key 'Davies2003a' is used twice", result.stdout)  # type: ignore[attr-defined]


def test_malformed_entry_is_reported_with_line(repo: Path) -> None:
    _break_corpus(repo, "@article{Brown2011,", "@article{Brown2011")
    result = run(repo)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "corpus/records.bib:" in result.stdout and "malformed BibTeX entry" in result.stdout  # type: ignore[attr-defined]


def test_missing_required_field(repo: Path) -> None:
    path = repo / "corpus" / "records.bib"
    text = path.read_text()
    start = text.index("@article{Brown2011,")
    block_end = text.index("\n}\n", start)
    block = text[start:block_end]
    path.write_text(text[:start] + re.sub(r"\n  journal = \{[^}]*\},", "", block) + text[block_end:])
    result = run(repo, "--format", "json")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert '"message": "@article is missing journal"' in result.stdout  # type: ignore[attr-defined]


def _edit_entry(repo: Path, key: str, old: str, new: str) -> None:
    path = repo / "corpus" / "records.bib"
    text = path.read_text()
    start = text.index("{" + key + ",")
    end = text.index("\n}\n", start)
    assert old in text[start:end]
    path.write_text(text[:start] + text[start:end].replace(old, new, 1) + text[end:])


def test_bad_doi_and_implausible_year(repo: Path) -> None:
    _edit_entry(repo, "Brown2011", "  year = {2011},", "  year = {1750},\n  doi = {not-a-doi},")
    out = run(repo).stdout  # type: ignore[attr-defined]
    assert "error: year 1750 is not plausible" in out
    assert "error: DOI 'not-a-doi' is not of the form 10.NNNN/…" in out


def test_decision_for_a_missing_record_names_file_and_line(repo: Path) -> None:
    path = repo / "corpus" / "screening.yaml"
    path.write_text(path.read_text().replace("- key: Atkinson2011", "- key: Nobody1999", 1))
    result = run(repo)
    assert result.exit_code in (1, 2)  # type: ignore[attr-defined]
    assert "corpus/screening.yaml:" in result.output and "Nobody1999" in result.output  # type: ignore[attr-defined]


def test_unknown_theme_in_overrides(repo: Path) -> None:
    path = repo / "corpus" / "theme-overrides.yaml"
    text = path.read_text()
    path.write_text(re.sub(r"add:\n  - [a-z-]+", "add:\n  - policy-contxt", text, count=1))
    result = run(repo)
    assert result.exit_code in (1, 2)  # type: ignore[attr-defined]
    assert "policy-contxt" in result.output and "did you mean 'policy-context'" in result.output  # type: ignore[attr-defined]


def test_strict_turns_warnings_into_failure(repo: Path) -> None:
    assert run(repo).exit_code == 0  # type: ignore[attr-defined]
    assert run(repo, "--strict").exit_code == 1  # type: ignore[attr-defined]  # the corpus has unmatched-term warnings


def test_github_format_emits_annotations(repo: Path) -> None:
    _edit_entry(repo, "Brown2011", "  year = {2011},", "  year = {1750},")
    out = run(repo, "--format", "github").stdout  # type: ignore[attr-defined]
    assert re.search(r"^::error file=corpus/records\.bib,line=\d+,title=litreview year::year 1750 is not plausible \[Brown2011\]$", out, re.M)


def test_github_annotation_escapes_newlines_and_commas() -> None:
    p = Problem(Location("a,b.bib", 3), "one\ntwo 100%", Severity.WARNING, "x")
    assert github_annotation(p) == "::warning file=a%2Cb.bib,line=3,title=litreview x::one%0Atwo 100%25"


def test_fix_normalises_dois_and_field_order_and_reports_it(repo: Path) -> None:
    _edit_entry(repo, "Brown2011", "  year = {2011},", "  doi = {https://doi.org/10.1080/ABC.123},\n  year = {2011},")
    result = run(repo, "--fix")
    assert "fixed: corpus/records.bib: rewritten in the canonical field order" in result.stderr  # type: ignore[attr-defined]
    assert "doi = {10.1080/abc.123}" in (repo / "corpus" / "records.bib").read_text()


def test_no_corpus_cannot_run(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "corpus file not found" in result.stdout  # type: ignore[attr-defined]
