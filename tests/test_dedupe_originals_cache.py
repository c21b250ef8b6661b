"""What each survivor was made of, kept in the cache by the dedupe that wrote it.

Every dedupe after one that merged counts the records a survivor was made of (container DOIs,
common titles), which meant parsing every entry in absorbed.bib again: ~25,000 entries and
~3.5 s at 100k records, on every run after an update search. The dedupe that writes the log
now keeps those records in the cache, keyed by the log and absorbed.bib; the records it keeps
must be exactly what parsing the files gives, whatever the entries look like. (Its last test
pins the same saving for the log itself: earlier merges' links are written back as read.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.dedupe import project as dedupe_project
from litreview.dedupe.store import absorbed_path, load_duplicates
from litreview.files import derived
from litreview.project import Project

from .conftest import imported_review
from .conftest import invoke as run

ENTRIES = """
@article{a1,
  title = {Ward-level staffing and missed care in NHS acute trusts},
  author = {Okafor, Chidi and Lindqvist, Maja},
  journal = {Invented Journal of Hospital Care},
  year = {2012}, volume = {4}, pages = {11--19},
  doi = {10.9999/ijhc.2012.011},
  abstract = {We counted missed care on forty wards.}
}
@article{a2,
  title = {Ward-level staffing and missed care in {NHS} acute trusts},
  author = {Okafor, C. and Lindqvist, M.},
  journal = {Invented Journal of Hospital Care},
  year = {2012}, volume = {4}, pages = {11-19},
  doi = {10.9999/ijhc.2012.011}
}
@article{b1,
  title = {Discharge lounges and bed occupancy: an interrupted time series},
  author = {Mwangi, Joseph},
  journal = {Invented Health Services Review},
  year = {2014}, volume = {9}, number = {2}, pages = {201--210},
  doi = {10.9999/ihsr.2014.201}
}
@article{b2,
  title = {Discharge lounges and bed occupancy: an interrupted time series.},
  author = {Mwangi, J.},
  journal = {Invented Health Services Review},
  year = {2014}, volume = {9}, number = {2}, pages = {201-10},
  doi = {10.9999/IHSR.2014.201}
}
"""


def _review(tmp_path: Path) -> Project:
    return Project(imported_review(tmp_path, ENTRIES))


def _dedupe(project: Project) -> None:
    code, _out, err = run(project.root, "dedupe")
    assert code in (0, 1), err


def _kept(project: Project) -> object:
    return derived.peek(project, "dedupe-originals", dedupe_project.originals_digest(project))


def _parsed(project: Project) -> dict[str, tuple[object, ...]]:
    return dedupe_project.Originals(project, load_duplicates(project.duplicates)).parse()


def _append_to_corpus(project: Project, text: str) -> None:
    with project.records.open("a", encoding="utf-8") as fh:
        fh.write(text)


def test_the_records_a_merging_dedupe_keeps_are_those_its_log_reads_back_as(
    tmp_path: Path,
) -> None:
    project = _review(tmp_path)
    _dedupe(project)
    parsed = _parsed(project)
    assert len(parsed) == 2, "two pairs merged"
    assert _kept(project) == parsed


def test_an_entry_typed_into_the_corpus_without_provenance_is_kept_as_it_reads_back(
    tmp_path: Path,
) -> None:
    # its provenance is made from its place in records.bib, so absorbed.bib's copy of it reads
    # back with another: the kept record must be that one, not the one dedupe held
    project = _review(tmp_path)
    _append_to_corpus(
        project,
        "\n@article{typed,\n  title = {Ward-level staffing and missed care in NHS acute trusts},\n"
        "  author = {Okafor, Chidi},\n  journal = {Invented Journal of Hospital Care},\n"
        "  year = {2012},\n  doi = {10.9999/ijhc.2012.011}\n}\n",
    )
    _dedupe(project)
    assert "typed" in absorbed_path(project.duplicates).read_text(encoding="utf-8")
    assert _kept(project) == _parsed(project)


def test_an_entry_using_a_macro_of_the_corpus_is_kept_as_it_reads_back_alone(
    tmp_path: Path,
) -> None:
    # a macro defined in records.bib is unknown to the entry read alone from absorbed.bib (a
    # file with one is never reused as read: its entries are formatted anew)
    project = _review(tmp_path)
    _append_to_corpus(
        project,
        "\n@string{ihsr = {Invented Health Services Review}}\n"
        "@article{withmacro,\n  title = {Discharge lounges and bed occupancy: an interrupted"
        " time series},\n  author = {Mwangi, Joseph},\n  journal = ihsr,\n  year = {2014},\n"
        "  volume = {9},\n  pages = {201--210},\n  doi = {10.9999/ihsr.2014.201},\n"
        "  provenance = {scopus|typed.bib|1|withmacro}\n}\n",
    )
    _dedupe(project)
    assert "withmacro" in absorbed_path(project.duplicates).read_text(encoding="utf-8")
    assert _kept(project) == _parsed(project)


def test_a_dedupe_after_a_merging_one_reads_the_survivors_records_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _review(tmp_path)
    _dedupe(project)
    # a new search: the matcher runs again and counts what each survivor was made of
    update = tmp_path / "update.bib"
    update.write_text(
        "@article{c1,\n  title = {Outreach teams for frail older people after discharge},\n"
        "  author = {Silva, Renata},\n  journal = {Invented Geriatric Practice},\n"
        "  year = {2011}, volume = {3}, pages = {5--12}\n}\n",
        encoding="utf-8",
    )
    code, _out, err = run(project.root, "import", str(update), "--source", "update")
    assert code == 0, err
    monkeypatch.setattr(
        dedupe_project, "parse_entry", lambda *a: pytest.fail("absorbed.bib parsed again")
    )
    _dedupe(project)
    # absorbed.bib edited by hand: its entries are read again
    monkeypatch.undo()
    calls: list[str] = []
    real = dedupe_project.parse_entry

    def counted(text: str, where: str) -> object:
        calls.append(where)
        return real(text, where)

    monkeypatch.setattr(dedupe_project, "parse_entry", counted)
    extra = absorbed_path(project.duplicates)
    extra.write_text(extra.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, _out, err = run(project.root, "dedupe", "--dry-run")
    assert code in (0, 1), err
    assert len(calls) == 4, calls


def test_a_survivor_merged_again_keeps_what_it_was_first_made_of(tmp_path: Path) -> None:
    # the log reads a survivor merged in two runs as its entry before the first merge and
    # everything it absorbed since, not its entry before the second
    project = _review(tmp_path)
    _dedupe(project)
    third = tmp_path / "third.bib"
    third.write_text(ENTRIES.split("@article{a2,")[0].replace("{a1,", "{a3,"), encoding="utf-8")
    code, _out, err = run(project.root, "import", str(third), "--source", "update")
    assert code == 0, err
    _dedupe(project)
    parsed = _parsed(project)
    assert sorted(len(v) for v in parsed.values()) == [2, 3], parsed.keys()
    assert _kept(project) == parsed


def test_the_merges_links_read_from_the_log_are_written_back_as_read_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the links are most of the log; a write after a dedupe at 100k records spent ~1.5 s
    # building and formatting every earlier merge's links again
    from litreview.dedupe import store

    project = _review(tmp_path)
    _dedupe(project)
    text = project.duplicates.read_text(encoding="utf-8")
    assert text.count("links:") == 2
    monkeypatch.setattr(
        store._LazyLinks, "parsed", lambda self: pytest.fail("the links were parsed")
    )
    assert store.format_duplicates(store.load_duplicates(project.duplicates)) == text


def test_a_reader_whose_log_changed_under_it_keeps_nothing_in_the_cache(tmp_path: Path) -> None:
    # `check` reads the log without the corpus lock: a dedupe elsewhere (or a `git pull` of a
    # teammate's merges) may change duplicates.yaml and absorbed.bib after it read the log and
    # before it reads absorbed.bib. What it parses then is the old log's; kept under the new
    # files' digest, the next dedupe would read it as theirs and miss the new merge
    project = _review(tmp_path)
    _dedupe(project)
    read_before = load_duplicates(project.duplicates)
    third = tmp_path / "third.bib"
    third.write_text(ENTRIES.split("@article{a2,")[0].replace("{a1,", "{a3,"), encoding="utf-8")
    code, _out, err = run(project.root, "import", str(third), "--source", "update")
    assert code == 0, err
    _dedupe(project)
    for kept in (project.root / ".litreview-cache").glob("dedupe-originals-*"):
        kept.unlink()  # as if the merge came from another machine: nothing kept for it here
    stale = dedupe_project.Originals(project, read_before)
    assert [len(stale[s]) for s in stale] == [2, 2]  # the old log, as that reader read it
    assert _kept(project) in (None, _parsed(project))


def test_a_dry_run_and_check_keep_nothing_in_the_cache(tmp_path: Path) -> None:
    # only a dedupe that holds the corpus lock keeps what each survivor was made of: a reader
    # without it cannot know the files stayed the log it read
    project = _review(tmp_path)
    _dedupe(project)
    for kept in (project.root / ".litreview-cache").glob("dedupe-originals-*"):
        kept.unlink()
    code, _out, err = run(project.root, "dedupe", "--dry-run")
    assert code in (0, 1), err
    code, _out, err = run(project.root, "check")
    assert code in (0, 1), err
    assert _kept(project) is None
    _dedupe(project)
    assert _kept(project) == _parsed(project)


def test_a_reader_whose_log_an_undo_replaced_is_not_given_the_new_logs_records(
    tmp_path: Path,
) -> None:
    # a `check` read the log, then a teammate's undo and dedupe replaced it and kept the new
    # files' records: the old log's survivor is not among them (it raised a KeyError)
    from litreview.errors import LitreviewError

    project = _review(tmp_path)
    _dedupe(project)
    read_before = load_duplicates(project.duplicates)
    survivor = sorted(m.survivor for m in read_before.merges)[0]
    code, _out, err = run(project.root, "dedupe", "undo", survivor)
    assert code == 0, err
    _dedupe(project)
    assert survivor not in (_kept(project) or {})
    stale = dedupe_project.Originals(project, read_before)
    try:
        made_of = stale[survivor]
    except LitreviewError as exc:  # its entries are gone from absorbed.bib: said so, no traceback
        assert "no stored entries" in str(exc.problems[0].message)
    else:
        assert made_of


def _third_copy(tmp_path: Path, project: Project) -> None:
    third = tmp_path / "third.bib"
    third.write_text(ENTRIES.split("@article{a2,")[0].replace("{a1,", "{a3,"), encoding="utf-8")
    code, _out, err = run(project.root, "import", str(third), "--source", "update")
    assert code == 0, err


def test_a_merging_dedupe_appends_to_absorbed_bib_the_bytes_a_rebuild_would_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # absorbed.bib's earlier blocks are written again as the file holds them, not read back
    # into entries and formatted (~1 s at 100k records); the bytes are a rebuild's
    import shutil

    from litreview.dedupe import store

    project = _review(tmp_path)
    _dedupe(project)
    _third_copy(tmp_path, project)
    twin = Project(shutil.copytree(project.root, tmp_path / "twin"))
    monkeypatch.setattr(
        store, "_read_absorbed", lambda *a: pytest.fail("absorbed.bib read into entries")
    )
    _dedupe(project)
    monkeypatch.undo()
    monkeypatch.setattr(store, "_kept_blocks", lambda *a: None)  # the rebuild, as before
    _dedupe(twin)
    extra, rebuilt = absorbed_path(project.duplicates), absorbed_path(twin.duplicates)
    assert extra.read_bytes() == rebuilt.read_bytes()
    assert extra.read_text(encoding="utf-8").count("% merge ") == 3


def test_an_absorbed_bib_whose_blocks_are_not_the_logs_is_rebuilt_or_refused_as_before(
    tmp_path: Path,
) -> None:
    # a block a hand edit removed: the kept file is not reused; the merge without its entries
    # is named, as it was before the file could be reused
    project = _review(tmp_path)
    _dedupe(project)
    extra = absorbed_path(project.duplicates)
    text = extra.read_text(encoding="utf-8")
    second = text.index("\n% merge ", text.index("% merge ") + 1)
    extra.write_text(text[:second] + "\n", encoding="utf-8")
    _third_copy(tmp_path, project)
    code, _out, err = run(project.root, "dedupe")
    assert code == 2 and "no stored entries for the merge" in err, err
