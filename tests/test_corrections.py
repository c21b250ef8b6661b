"""People's corrections to records: laid over the corpus when read, never written into it.

records.bib is the databases' word and is not edited by hand; a wrong year belongs in
corpus/corrections.yaml, with why. These tests pin that a correction reaches screening, the
appendix, ``--explain`` and ``check``, survives a re-import and a merge, and that removing it
restores the exported value.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import copy_of_shipped_review
from .conftest import invoke as run

CORRECTIONS = "corpus/corrections.yaml"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return copy_of_shipped_review(tmp_path / "review")


def _write(root: Path, body: str) -> None:
    (root / CORRECTIONS).write_text("version: 1\ncorrections:\n" + body, encoding="utf-8")


def test_a_corrected_year_changes_screening_and_the_appendix_but_not_records_bib(
    review: Path,
) -> None:
    bib_before = (review / "corpus" / "records.bib").read_bytes()
    _write(
        review,
        "- key: Brown2011\n  set: {year: 1999}\n  why: Test of a year outside the period.\n"
        "  reviewer: R1\n  date: '2026-12-05'\n",
    )
    _, out, _ = run(review, "screen", "--explain", "Brown2011", "--json")
    data = json.loads(out)
    period = next(c for c in data["criteria"] if c["criterion"] == "period")
    assert period["status"] == "not-met" and data["stages"][0]["rule_outcome"] == "exclude"
    assert data["corrections"] == [
        {
            "key": "Brown2011",
            "set": {"year": "1999"},
            "why": "Test of a year outside the period.",
            "reviewer": "R1",
            "date": "2026-12-05",
            "applies_to": "Brown2011",
        }
    ]
    _, text, _ = run(review, "screen", "--explain", "Brown2011")
    assert "corrected (R1, 2026-12-05): year = '1999' — Test of a year outside the period." in text
    assert (
        review / "corpus" / "records.bib"
    ).read_bytes() == bib_before  # never written into the corpus
    # removing the correction restores the record as exported (and the cached results follow)
    (review / CORRECTIONS).unlink()
    data = json.loads(run(review, "screen", "--explain", "Brown2011", "--json")[1])
    period = next(c for c in data["criteria"] if c["criterion"] == "period")
    assert period["status"] == "met" and data["corrections"] == []


def test_a_corrected_author_settles_checks_missing_author_warning(review: Path) -> None:
    bib = review / "corpus" / "records.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index("@article{Brown2011,")
    line = text.index("  author = {Brown, P.", start)
    bib.write_text(text[:line] + text[text.index("\n", line) + 1 :], encoding="utf-8")
    assert "@article is missing author" in run(review, "check")[1]
    _write(
        review,
        "- key: Brown2011\n  set:\n    author: Brown, Patrick and Calnan, Michael\n"
        "  why: The export lost the author list; the article's first page gives it.\n",
    )
    code, out, _ = run(review, "check")
    assert code == 0 and "missing author" not in out
    _, out, _ = run(review, "render", "--format", "md")
    assert "Brown P and Calnan M (2011)" in (review / "build" / "appendix.md").read_text(
        encoding="utf-8"
    ) or "Brown and Calnan, 2011" in (review / "build" / "appendix.md").read_text(encoding="utf-8")


def test_a_correction_on_an_absorbed_key_applies_to_the_survivor(review: Path) -> None:
    import yaml

    merge = yaml.safe_load((review / "corpus" / "duplicates.yaml").read_text(encoding="utf-8"))[
        "merges"
    ][0]
    absorbed, survivor = merge["absorbed"][0], merge["survivor"]
    _write(
        review,
        f"- key: {absorbed}\n  set: {{note: corrected through a merge}}\n  why: Pins alias handling.\n",
    )
    data = json.loads(run(review, "screen", "--explain", survivor, "--json")[1])
    assert [c["applies_to"] for c in data["corrections"]] == [survivor]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "- key: Nobody1999\n  set: {year: 2001}\n  why: x\n",
            "corpus/corrections.yaml:3 [Nobody1999]: error: "
            "'Nobody1999' is not a record in the corpus",
        ),
        (
            "- key: Brown2011\n  set: {yaer: 2001}\n  why: x\n",
            "corpus/corrections.yaml:4 [Brown2011]: error: "
            "unknown field 'yaer' (did you mean 'year'?)",
        ),
        (
            "- key: Brown2011\n  set: {year: 2001}\n",
            "corpus/corrections.yaml:3 [Brown2011]: error: "
            "a correction says why it was made ('why')",
        ),
        (
            "- key: Brown2011\n  set: {year: 20011}\n  why: x\n",
            "corpus/corrections.yaml:4 [Brown2011]: error: year must be four digits, not '20011'",
        ),
        (
            "- key: Brown2011\n  set: {year: 2001}\n  why: x\n- key: Brown2011\n  set: {volume: '3'}\n  why: y\n",
            "corpus/corrections.yaml:6 [Brown2011]: error: a second correction for Brown2011 (first at line 3)",
        ),
        (
            "- key: Brown2011\n  sett: {year: 2001}\n  why: x\n",
            "corpus/corrections.yaml:4: error: unknown key 'sett' (did you mean 'set'?)",
        ),
    ],
)
def test_check_reports_each_broken_correction_at_its_line(
    review: Path, body: str, message: str
) -> None:
    _write(review, body)
    code, out, err = run(review, "check")
    assert code == 1
    assert message in out + err
    # the commands that read the corpus refuse it too, with the same message (exit 2)
    code, _, err = run(review, "screen")
    assert code == 2 and message.split(": error: ")[1].split(" (")[0] in err


def test_a_correction_survives_a_re_import(review: Path) -> None:
    _write(review, "- key: Brown2011\n  set: {year: 1999}\n  why: Kept across imports.\n")
    export = str(review / "corpus" / "searches" / "database-search.bib")
    assert run(review, "import", export, "--source", "database-search")[0] in (0, 1)
    data = json.loads(run(review, "screen", "--explain", "Brown2011", "--json")[1])
    period = next(c for c in data["criteria"] if c["criterion"] == "period")
    assert period["status"] == "not-met" and data["corrections"][0]["set"] == {"year": "1999"}
