"""Exports whose oddities an import read without a word, or read wrongly (leftovers24)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litreview.io import read_text
from tests.conftest import invoke

_TWO_SMITHS = (
    "@article{smith2020,\n  title = {Porters at night},\n  author = {Smith, John},\n"
    "  year = {2020},\n  journal = {BMJ}\n}\n\n"
    "@article{Smith2020,\n  title = {Cleaners by day},\n  author = {Smith, Jane},\n"
    "  year = {2021},\n  journal = {Lancet}\n}\n"
)


def test_bibtex_key_used_twice_is_warned_at_each_entry_and_both_are_kept(
    tmp_path: Path,
) -> None:
    """Two entries of one export with the same citation key (BibTeX ignores case) were both
    imported without a word about the key; each entry now gets a warning naming the other's
    line, and both records are still imported."""
    (tmp_path / "corpus").mkdir()
    export = tmp_path / "two.bib"
    export.write_text(_TWO_SMITHS, encoding="utf-8")
    code, out, err = invoke(tmp_path, "import", str(export), "--source", "db", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["added"] == 2
    repeated = [p for p in data["problems"] if p["code"] == "repeated-key"]
    assert [(p["line"], p["key"], p["severity"]) for p in repeated] == [
        (1, "smith2020", "warning"),
        (8, "Smith2020", "warning"),
    ]
    assert "also line 8" in repeated[0]["message"] and "also line 1" in repeated[1]["message"]
    assert all(p["path"].endswith("two.bib") for p in repeated)
    text = (tmp_path / "corpus" / "records.bib").read_text(encoding="utf-8")
    assert "Porters at night" in text and "Cleaners by day" in text


def test_bibtex_key_used_twice_is_warned_when_the_file_is_read_in_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large export is read in parts, one per core: a key repeated across two parts is
    warned of as it is when the file is read whole."""
    from litreview import workers

    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    monkeypatch.setattr(workers, "TEXT_PART_CHARS", 2_000)
    filler = "".join(
        f"@article{{k{i},\n  title = {{Study number {i}}},\n  author = {{Ode, K.}},\n"
        f"  year = {{2001}}\n}}\n\n"
        for i in range(60)
    )
    text = (
        "@article{twice,\n  title = {First}\n}\n\n"
        + filler
        + "@article{twice,\n  title = {Last}\n}\n"
    )
    result = read_text(text, "x.bib", "s")
    assert len(result.records) == 62
    assert [(p.location.line, p.code) for p in result.problems if p.code == "repeated-key"] == [
        (1, "repeated-key"),
        (text.count("\n", 0, text.rindex("@article{twice")) + 1, "repeated-key"),
    ]


def test_bibtex_distinct_keys_give_no_repeated_key_warning() -> None:
    result = read_text(_TWO_SMITHS.replace("{Smith2020", "{smith2021"), "x.bib", "s")
    assert not [p for p in result.problems if p.code == "repeated-key"]
