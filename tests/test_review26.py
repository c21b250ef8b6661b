"""review26: attacks on this session's caches and data-carrying findings (status from the
derived-results cache, the conflict counts, ``decide`` reading through the per-file cache,
``Problem.missing``, the rules reading cache rows). Each test pins a behaviour one of them
could have broken; the fixtures are the shipped review with one thing changed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from litreview.cli import cli

from .conftest import ROOT


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    root.mkdir()
    for name in ("review.yaml", "themes.yaml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "corpus", root / "corpus")
    return root


def run(root: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["-C", str(root), *args])


def _open_entry(repo: Path, key: str) -> None:
    """Leave ``key``'s entry of records.bib without its closing brace on the title line, so the
    entry does not parse (the record is held, but unreadable now)."""
    path = repo / "corpus" / "records.bib"
    text = path.read_text(encoding="utf-8")
    start = text.index("{" + key + ",")
    end = text.index("\n}\n", start)
    entry = text[start:end]
    title = entry.index("title")
    close = entry.index("},", title)
    path.write_text(
        text[:start] + entry[:close] + entry[close + 1 :] + text[end:], encoding="utf-8"
    )


# --- Problem.missing: "not checked" for an entry held but unreadable now -----------------------


def test_a_theme_override_on_an_entry_left_open_is_not_checked_rather_than_missing(
    repo: Path,
) -> None:
    overrides = repo / "corpus" / "theme-overrides.yaml"
    text = overrides.read_text(encoding="utf-8")
    overrides.write_text(
        text.replace(
            "overrides:\n",
            "overrides:\n- key: Ackroyd2007\n  add:\n  - shared-perspectives\n  remove: []\n"
            "  reviewer: R1\n  note: discussed under this theme.\n",
            1,
        ),
        encoding="utf-8",
    )
    _open_entry(repo, "Ackroyd2007")
    result = run(repo, "check")
    assert "no record 'Ackroyd2007' in the corpus" not in result.output, result.output
    assert (
        "corpus/theme-overrides.yaml:6 [Ackroyd2007]: warning: not checked: 'Ackroyd2007'"
        in result.output
    ), result.output


def test_a_fulltext_item_on_an_entry_left_open_is_not_checked_rather_than_an_unknown_key(
    repo: Path,
) -> None:
    (repo / "corpus" / "fulltext.yaml").write_text(
        "version: 1\nitems:\n- key: Ackroyd2007\n  status: retrieved\n", encoding="utf-8"
    )
    _open_entry(repo, "Ackroyd2007")
    result = run(repo, "check")
    assert "unknown record key 'Ackroyd2007'" not in result.output, result.output
    assert (
        "corpus/fulltext.yaml:3 [Ackroyd2007]: warning: not checked: 'Ackroyd2007'" in result.output
    ), result.output
