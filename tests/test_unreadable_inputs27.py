"""A stored file a command reads that is not YAML at all (or a dedupe log that does not load)
stops the command with the file, the line and exit 2, as `check` names it: never a count
computed as if the file were empty, with exit 0 or 1 and not a word."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import copy_of_shipped_review, invoke

_BROKEN = "\nitems_after: [this list is never closed\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_of_shipped_review(tmp_path / "reference")


def _break(root: Path, name: str) -> int:
    """Append an unclosed YAML list to corpus/NAME (made as an empty file of its kind when the
    shipped review has none); the line the parser names."""
    path = root / "corpus" / name
    if not path.exists():
        path.write_text("version: 1\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + _BROKEN, encoding="utf-8")
    return text.count("\n") + 2


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("fulltext.yaml", "screen"),
        ("fulltext.yaml", "render"),
        ("fulltext.yaml", "status"),
        ("theme-overrides.yaml", "render"),
        ("theme-overrides.yaml", "status"),
        ("rule-audit.yaml", "render"),
        ("rule-audit.yaml", "status"),
    ],
)
def test_a_file_that_is_not_yaml_stops_the_command_that_reads_it_with_its_line(
    root: Path, name: str, command: str
) -> None:
    line = _break(root, name)
    code, out, err = invoke(root, command)
    assert code == 2, out + err
    assert f"corpus/{name}:" in err and "invalid YAML" in err, err
    assert f"corpus/{name}:{line}" in err or f"corpus/{name}:{line + 1}" in err, err


@pytest.mark.parametrize("command", ["screen", "tag", "render", "status"])
def test_a_dedupe_log_that_does_not_load_stops_what_reads_its_merges(
    root: Path, command: str
) -> None:
    """The shipped review's decisions name records its dedupe log absorbed; a log that does not
    parse would leave them unread, and a full-text item on an absorbed key unknown."""
    (root / "corpus" / "fulltext.yaml").write_text(
        "version: 1\nitems:\n- {key: Harvey2014x, status: not-retrieved, reason: lost}\n",
        encoding="utf-8",
    )
    _break(root, "duplicates.yaml")
    code, out, err = invoke(root, command)
    assert code == 2, out + err
    assert "corpus/duplicates.yaml:" in err and "invalid YAML" in err, err


def test_screen_says_a_full_text_item_on_a_key_no_record_has_and_exits_1(root: Path) -> None:
    (root / "corpus" / "fulltext.yaml").write_text(
        "version: 1\nitems:\n- {key: Nobody1999, status: not-retrieved, reason: lost}\n",
        encoding="utf-8",
    )
    code, out, err = invoke(root, "screen")
    assert code == 1, out + err
    assert "corpus/fulltext.yaml:3 [Nobody1999]: error: unknown record key" in err, err
