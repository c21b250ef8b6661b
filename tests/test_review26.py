"""review26: attacks on this session's caches and data-carrying findings (status from the
derived-results cache, the conflict counts, ``decide`` reading through the per-file cache,
``Problem.missing``, the rules reading cache rows). Each test pins a behaviour one of them
could have broken; the fixtures are the shipped review with one thing changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from litreview.cli import cli

from .conftest import copy_of_shipped_review


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_of_shipped_review(tmp_path / "review")


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


# --- RowRecord: the rules read a cache row as they would read the record -----------------------


def test_a_row_answers_every_field_name_as_its_record_does() -> None:
    from litreview.corpus.store import RowRecord, _records_from_rows, _row
    from litreview.model import KNOWN_FIELDS, Name, Record

    odd = Record(
        key="Quill2019",
        entry_type="InCollection",
        title="Tides of a made-up shore",
        authors=(Name("Quill", "Ada"), Name("Ward", "Bo")),
        year=2019,
        container="Imagined Essays",
        issue="7",
        keywords=("tides", "shore"),
        extra=(("editor", "Reed, Cy"), ("note", "a note"), ("publisher", "Nowhere Press")),
    )
    bare = Record(key="Blank2000")
    names = [*sorted(KNOWN_FIELDS), "Title", "AUTHOR", "Number", "Keyword", "EDITOR", "extra"]
    names += ["provenance", "Journal", "BookTitle", "unheard-of", "issue", "container"]
    for record in (odd, bare):
        row = _row(record)
        (built,) = _records_from_rows((row,))
        rr = RowRecord(row)
        for name in names:
            assert rr.get(name) == record.get(name) == built.get(name), (record.key, name)
        assert (rr.year, rr.entry_type) == (record.year, record.entry_type)


# --- status from the cache: nothing it shows may come from outside its key ----------------------


def _status(root: Path) -> dict[str, Any]:
    from litreview.project import Project
    from litreview.workflow.status import review_status

    return review_status(Project(root))


def test_status_counts_a_rejects_file_rewritten_to_the_same_size_and_time_anew(
    repo: Path,
) -> None:
    import os

    folder = repo / "corpus" / "rejects" / "db"
    folder.mkdir(parents=True)
    path = folder / "export.bib.txt"
    two = (
        "# set aside by import\n\n# searches/export.bib:3 [NoTitle1]: no title\n@article{a,\n}\n"
        "\n# searches/export.bib:9 [NoTitle2]: no title\n@article{b,\n}\n"
    )
    # the same bytes but for one character: the second entry's blank line gone, one entry
    one = two.replace("}\n\n# searches/export.bib:9", "}\n.# searches/export.bib:9")
    assert len(one) == len(two)
    path.write_text(two, encoding="utf-8")
    assert _status(repo)["rejected"]["entries"] == 2
    st = path.stat()
    path.write_text(one, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as a copy that keeps times leaves it
    assert _status(repo)["rejected"]["entries"] == 1


def test_a_fulltext_item_on_an_absorbed_key_while_the_dedupe_log_is_broken_names_the_log(
    repo: Path,
) -> None:
    # the full-text item names a key a merge absorbed; with duplicates.yaml broken, `fulltext
    # status` says the log does not load rather than calling the key unknown ("did you mean")
    (repo / "corpus" / "fulltext.yaml").write_text(
        "version: 1\nitems:\n- key: Harvey2014x\n  status: retrieved\n", encoding="utf-8"
    )
    assert run(repo, "fulltext", "status").exit_code == 0
    (repo / "corpus" / "duplicates.yaml").write_text("version: 2\nmerges: [\n", encoding="utf-8")
    result = run(repo, "fulltext", "status")
    assert result.exit_code == 2, result.output
    assert "unknown record key" not in result.stderr, result.stderr
    assert (
        "corpus/fulltext.yaml:3 [Harvey2014x]: error: 'Harvey2014x' was absorbed by a dedupe "
        "merge, and corpus/duplicates.yaml does not load" in result.stderr
    ), result.stderr


# --- the rules read cache rows: a correction laid over a cached corpus still counts -------------


def test_a_correction_added_after_the_corpus_was_cached_changes_the_rules_verdict(
    repo: Path,
) -> None:
    assert run(repo, "screen").exit_code in (0, 1)  # the corpus is cached, rows and all
    (repo / "corpus" / "corrections.yaml").write_text(
        "version: 1\ncorrections:\n- key: Dwyer2010\n  set:\n    country: UK\n"
        "    design: interviews\n  why: the methods section says so\n",
        encoding="utf-8",
    )
    result = run(repo, "screen", "--explain", "Dwyer2010")
    assert 'design: "interviews"' in result.output, result.output
    assert "met      uk [not-uk]" in result.output, result.output


# --- decide reads the reviewer's own file through the cache ------------------------------------


def test_decide_through_the_cache_refuses_a_file_a_protocol_change_made_invalid(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.screen import reviewers

    monkeypatch.setattr(reviewers, "CACHED_BYTES", 0)  # every decisions file through the cache
    decide = ("screen", "decide", "--stage", "title-abstract", "--reviewer", "R5")
    assert run(repo, *decide, "Dwyer2010", "exclude", "--reason", "not-uk").exit_code == 0
    assert run(repo, *decide, "Ackroyd2007", "include").exit_code == 0
    assert run(repo, "screen").exit_code in (0, 1)  # R5's file as it is now, in the cache
    protocol = repo / "review.yaml"
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(
        text.replace("not-uk", "not-britain"), encoding="utf-8"
    )  # R5's first decision now gives a reason the protocol does not have
    result = run(repo, *decide, "Arndt2007", "include")
    assert result.exit_code == 2, result.output
    assert "not-uk" in result.stderr, result.stderr
    mine = (repo / "corpus" / "screening" / "R5.yaml").read_text(encoding="utf-8")
    assert "Arndt2007" not in mine and "Ackroyd2007" in mine and "Dwyer2010" in mine


def test_status_knows_check_ran_in_a_review_that_keeps_corrections(repo: Path) -> None:
    # check keys its findings by records.bib as it is; status looked them up by the corrected
    # corpus, so with a corrections.yaml it always said check had not run
    (repo / "corpus" / "corrections.yaml").write_text(
        "version: 1\ncorrections:\n- key: Dwyer2010\n  set:\n    year: 2010\n"
        "  why: the article's first page\n",
        encoding="utf-8",
    )
    assert run(repo, "check").exit_code == 0
    todo = [item["what"] for item in _status(repo)["todo"]]
    assert "litreview check has not run on the files as they are" not in todo, todo


def test_a_broken_dedupe_log_does_not_turn_the_narratives_citations_into_false_errors(
    repo: Path,
) -> None:
    # extraction.yaml names a key a merge absorbed; with duplicates.yaml unreadable that study is
    # "not checked". The narrative stays unchecked then (checking it without the study's
    # relevance called its survivor "cited as included but not included" at every citation):
    # the log is the one thing to mend
    extraction = repo / "corpus" / "extraction.yaml"
    text = extraction.read_text(encoding="utf-8")
    assert "- key: Harvey2014\n" in text
    extraction.write_text(text.replace("- key: Harvey2014\n", "- key: Harvey2014x\n"), "utf-8")
    assert run(repo, "check").exit_code == 0
    (repo / "corpus" / "duplicates.yaml").write_text("version: 2\nmerges: [\n", encoding="utf-8")
    result = run(repo, "check")
    assert "but is not included" not in result.output, result.output
    assert "corpus/extraction.yaml:" in result.output  # its study is "not checked"
    assert result.stdout.rstrip().endswith("1 errors, 2 warnings"), result.output


# --- left as found: check's findings are keyed by the exports under corpus/searches/ only ------

_EXPORT_A = """@article{one,
  title = {Rotas and rest breaks on a made-up surgical ward},
  author = {Penrose, Ida},
  journal = {Journal of Invented Findings},
  year = {2011},
}
"""
_EXPORT_B = """@article{two,
  title = {How invented clinics share their waiting lists},
  author = {Marlow, Tess},
  journal = {Journal of Invented Findings},
  year = {2012},
}
"""


def test_check_sees_an_export_outside_corpus_searches_that_now_repeats_another(
    repo: Path,
) -> None:
    exports = repo / "exports"
    exports.mkdir()
    (exports / "a.bib").write_text(_EXPORT_A, encoding="utf-8")
    (exports / "b.bib").write_text(_EXPORT_B, encoding="utf-8")
    for name in ("a.bib", "b.bib"):
        assert run(repo, "import", str(exports / name), "--source", "invented").exit_code in (0, 1)
    first = run(repo, "check")
    assert "same-export-twice" not in first.output and "holds the same bytes" not in first.output
    (exports / "b.bib").write_text(_EXPORT_A, encoding="utf-8")
    assert "holds the same bytes as" in run(repo, "check").output
