"""An export imported by a version of litreview whose reader found no id in it keeps its records
by line; a later version that reads the export's ids (Embase's PUI) must still know those records
when the same file is imported again, or every one is added a second time and counted twice in
PRISMA's "identified". The export is invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.io import _csvfile

from .conftest import import_one_export, invoke

EXPORT = (
    "Title,Medline PMID,PUI\n"
    '"Shorter antibiotic courses for invented ward infections",99000601,L2099000601\n'
    '"Longer antibiotic courses for invented ward infections",99000602,L2099000602\n'
)


def test_an_export_imported_before_its_ids_were_read_adds_nothing_when_imported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_reader:
        old_reader.delitem(_csvfile._LOOKUP, "pui")  # the reader as it was: no original id
        output, corpus = import_one_export(tmp_path, "embase.csv", EXPORT)
    assert "added 2" in output and "provenance = {database-search|embase.csv|2|}" in corpus
    code, out, err = invoke(tmp_path, "import", "embase.csv", "--source", "database-search")
    assert code == 0, err
    assert "read 2 = added 0 + already in corpus 2 + rejected 0" in out + err


def test_a_new_record_at_a_line_the_corpus_does_not_hold_is_still_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as old_reader:
        old_reader.delitem(_csvfile._LOOKUP, "pui")
        import_one_export(tmp_path, "embase.csv", EXPORT)
    grown = EXPORT + '"A third invented trial of courses",99000603,L2099000603\n'
    (tmp_path / "embase.csv").write_text(grown, encoding="utf-8")
    code, out, err = invoke(tmp_path, "import", "embase.csv", "--source", "database-search")
    assert code == 0, err
    assert "read 3 = added 1 + already in corpus 2 + rejected 0" in out + err


def _rows(titles: list[str]) -> str:
    return "Title,Year\n" + "".join(f'"{t}",2020\n' for t in titles)


OLD = [f"Invented study number {n} of noise on the ward" for n in ("one", "two", "three")]


def test_an_export_saved_again_with_a_new_row_first_loses_nothing_and_adds_it_once(
    tmp_path: Path,
) -> None:
    """Rows without ids are known by their lines: saved again under the same name with a new
    row on top, the new record sits at an old record's line. It must be added, and the old
    records, each a line further down, known."""
    import_one_export(tmp_path, "search.csv", _rows(OLD))
    (tmp_path / "search.csv").write_text(
        _rows(["A new invented study of quiet hours", *OLD]), encoding="utf-8"
    )
    code, out, err = invoke(tmp_path, "import", "search.csv", "--source", "database-search")
    assert code == 0, err
    assert "read 4 = added 1 + already in corpus 3 + rejected 0" in out + err
    corpus = (tmp_path / "corpus" / "records.bib").read_text(encoding="utf-8")
    assert "A new invented study of quiet hours" in corpus
    assert all(corpus.count(t) == 1 for t in OLD)


def test_a_title_a_person_corrected_in_the_corpus_still_knows_its_row(tmp_path: Path) -> None:
    _output, corpus = import_one_export(tmp_path, "search.csv", _rows(OLD))
    records = tmp_path / "corpus" / "records.bib"
    records.write_text(corpus.replace("number two of noise", "number two of the noise"))
    code, out, err = invoke(tmp_path, "import", "search.csv", "--source", "database-search")
    assert code == 0, err
    assert "read 3 = added 0 + already in corpus 3 + rejected 0" in out + err
