"""The corpus file: stable keys, stable layout, imports that never duplicate or lose records."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.corpus.store import SUFFIXES, assign_keys, base_key, import_files, load_corpus
from litreview.errors import InputError
from litreview.io.bibtex import format_entry, read_bibtex
from litreview.model import Name, Provenance, Record

from .conftest import FIXTURES

IMPORT = FIXTURES / "import"


def rec(last: str, year: int | None, title: str = "T", corporate: bool = False) -> Record:
    return Record(key="", title=title, authors=(Name(last=last, corporate=corporate),), year=year)


def test_base_key_is_surname_and_year_folded_to_ascii() -> None:
    assert base_key(rec("Güven-Uslu", 2006)) == "GuvenUslu2006"
    assert (
        base_key(Record(key="", authors=(Name(last="Knorring", von="von"),), year=2010))
        == "vonKnorring2010"
    )


def test_base_key_for_organisations_drops_small_words_and_truncates() -> None:
    assert base_key(rec("The King's Fund", 2014, corporate=True)) == "KingsFund2014"
    assert (
        base_key(rec("British Medical Association", 2012, corporate=True))
        == "BritishMedicalAssociatio2012"
    )


def test_base_key_without_author_or_year() -> None:
    assert base_key(Record(key="", title="The doctor–manager relationship")) == "Doctormanager-nd"


def test_same_base_in_one_batch_gets_a_and_b_in_input_order() -> None:
    keyed = assign_keys([rec("Davies", 2003, "one"), rec("Davies", 2003, "two")], [])
    assert [r.key for r in keyed] == ["Davies2003a", "Davies2003b"]


def test_existing_keys_are_never_reused_or_changed() -> None:
    keyed = assign_keys([rec("Davies", 2003)], ["Davies2003a", "Davies2003b"])
    assert keyed[0].key == "Davies2003c"
    keyed = assign_keys([rec("Snow", 2013)], ["Snow2013"])
    assert keyed[0].key == "Snow2013a"


def test_import_writes_corpus_and_reconciles(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "records.bib"
    report = import_files([IMPORT / "scopus.bib"], "scopus", corpus, root=tmp_path)
    assert (report.read, len(report.added), report.already, report.rejected) == (4, 3, 0, 1)
    keys = [r.key for r in load_corpus(corpus).records]
    assert keys == ["Eeckloo2007", "Forbes2006", "Hallier2004"]
    rejects = (tmp_path / "corpus" / "rejects" / "scopus" / "scopus.bib.txt").read_text()
    assert "Missing closing brace" in rejects and ":26 [broken]:" in rejects


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "records.bib"
    import_files([IMPORT / "pubmed.nbib"], "pubmed", corpus, root=tmp_path)
    before = corpus.read_bytes()
    report = import_files([IMPORT / "pubmed.nbib"], "pubmed", corpus, root=tmp_path)
    assert (len(report.added), report.already) == (0, 2)
    assert corpus.read_bytes() == before


def test_an_export_saved_twice_under_two_names_is_refused_and_nothing_written(
    tmp_path: Path,
) -> None:
    # the same bytes under another name (or another source) would count every record twice
    # in PRISMA's "identified"; the copy is refused, whether the original came in earlier or
    # earlier in the same command, and a changed copy (another export) is not
    first, copy = tmp_path / "pubmed.nbib", tmp_path / "pubmed (1).nbib"
    first.write_bytes((IMPORT / "pubmed.nbib").read_bytes())
    copy.write_bytes(first.read_bytes())
    corpus = tmp_path / "corpus" / "records.bib"
    import_files([first], "pubmed", corpus, root=tmp_path)
    before = corpus.read_bytes()
    for source in ("pubmed", "medline"):
        with pytest.raises(InputError) as err:
            import_files([copy], source, corpus, root=tmp_path)
        (problem,) = err.value.problems
        assert problem.code == "same-export-twice"
        assert problem.location.path == "pubmed (1).nbib"
        assert "pubmed.nbib" in problem.message and "2 records" in problem.message
        assert corpus.read_bytes() == before

    other = tmp_path / "other"
    with pytest.raises(InputError) as err:
        import_files([first, copy], "pubmed", other / "corpus" / "records.bib", root=other)
    assert [p.location.path for p in err.value.problems] == [copy.as_posix()]
    assert not (other / "corpus" / "records.bib").exists()

    copy.write_bytes(first.read_bytes().replace(b"DP  - 2003", b"DP  - 2004", 1))
    report = import_files([copy], "pubmed", corpus, root=tmp_path)
    assert len(report.added) == 2


# --- a copy, a link or a moved file of an export already imported ---------------------------------


def _records(corpus: Path) -> int:
    from litreview.corpus.store import load_corpus

    return len(load_corpus(corpus, "corpus/records.bib").records)


def test_an_export_named_twice_in_one_command_is_refused(tmp_path: Path) -> None:
    import pytest

    from litreview.corpus.store import import_files
    from litreview.errors import InputError

    export = tmp_path / "pubmed.nbib"
    export.write_bytes((IMPORT / "pubmed.nbib").read_bytes())
    corpus = tmp_path / "corpus" / "records.bib"
    with pytest.raises(InputError):  # both copies were added (4 records for 2)
        import_files([export, export], "pubmed", corpus, root=tmp_path)
    assert not corpus.exists()


def test_a_link_to_an_export_already_imported_is_refused(tmp_path: Path) -> None:
    import os

    import pytest

    from litreview.corpus.store import import_files
    from litreview.errors import InputError

    export = tmp_path / "pubmed.nbib"
    export.write_bytes((IMPORT / "pubmed.nbib").read_bytes())
    corpus = tmp_path / "corpus" / "records.bib"
    import_files([export], "pubmed", corpus, root=tmp_path)
    linked = tmp_path / "pubmed (1).nbib"
    os.link(export, linked)  # a hard link; a symlink outside the project behaves the same
    with pytest.raises(
        InputError
    ):  # the link was taken for the file itself, and 2 records added again
        import_files([linked], "pubmed", corpus, root=tmp_path)
    assert _records(corpus) == 2


def test_an_export_moved_and_imported_under_a_renamed_source_is_refused(tmp_path: Path) -> None:
    import pytest

    from litreview.corpus.store import import_files
    from litreview.errors import InputError

    (tmp_path / "exports" / "medline").mkdir(parents=True)
    export = tmp_path / "exports" / "pubmed.nbib"
    export.write_bytes((IMPORT / "pubmed.nbib").read_bytes())
    corpus = tmp_path / "corpus" / "records.bib"
    import_files([export], "pubmed", corpus, root=tmp_path)
    moved = export.rename(tmp_path / "exports" / "medline" / "pubmed.nbib")
    with pytest.raises(InputError):  # its records were added again (4)
        import_files([moved], "medline", corpus, root=tmp_path)
    assert _records(corpus) == 2


_TWO_WITH_ONE_ACCESSION = """TY  - JOUR
AN  - 7001
TI  - Ward rounds led by nurses: a cohort study
AU  - Okafor, Chidi
PY  - 2018
ER  -

TY  - JOUR
AN  - 7001
TI  - Ward rounds led by nurses: a cohort study
AU  - Okafor, C.
PY  - 2018
ER  -

TY  - JOUR
AN  - 7002
TI  - Discharge letters by junior doctors
AU  - Lindqvist, Maja
PY  - 2017
ER  -
"""


def test_two_records_of_one_export_with_one_accession_number_are_both_kept(tmp_path: Path) -> None:
    export = tmp_path / "ovid.ris"
    export.write_text(_TWO_WITH_ONE_ACCESSION)
    corpus = tmp_path / "corpus" / "records.bib"
    report = import_files([export], "embase", corpus, root=tmp_path)
    assert (report.read, len(report.added), report.already, report.rejected) == (3, 3, 0, 0)
    records = load_corpus(corpus).records
    assert len(records) == 3  # the second 7001 is in the corpus, for dedupe to count as a duplicate
    before = corpus.read_bytes()
    again = import_files([export], "embase", corpus, root=tmp_path)
    assert (len(again.added), again.already) == (0, 3)
    assert corpus.read_bytes() == before


def test_a_corpus_that_lost_the_second_record_gets_it_back_on_the_next_import(
    tmp_path: Path,
) -> None:
    # an earlier litreview kept only the first of two records sharing an accession number
    export = tmp_path / "ovid.ris"
    export.write_text(_TWO_WITH_ONE_ACCESSION)
    corpus = tmp_path / "corpus" / "records.bib"
    import_files([export], "embase", corpus, root=tmp_path)
    from litreview.corpus.store import save_corpus

    first_only = [
        r
        for r in load_corpus(corpus).records
        if not (r.provenance[0].original_id == "7001" and r.authors[0].first == "C.")
    ]
    save_corpus(corpus, first_only)
    assert len(load_corpus(corpus).records) == 2
    report = import_files([export], "embase", corpus, root=tmp_path)
    assert (len(report.added), report.already) == (1, 2)
    assert len(load_corpus(corpus).records) == 3


def test_corpus_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    outs = []
    for name in ("a", "b"):
        corpus = tmp_path / name / "corpus" / "records.bib"
        import_files(
            [IMPORT / "wos.ciw", IMPORT / "table.csv"], "mixed", corpus, root=tmp_path / name
        )
        outs.append(corpus.read_text().replace(f"/{name}/", "/"))
    assert outs[0] == outs[1]


def test_provenance_is_kept_in_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "records.bib"
    import_files([IMPORT / "wos.ciw"], "wos", corpus, root=tmp_path)
    rec0 = load_corpus(corpus, use_cache=False).by_key()["Currie2006"]
    assert rec0.provenance[0].source == "wos"
    assert rec0.provenance[0].original_id == "WOS:000235960300001"
    assert rec0.provenance[0].line == 3


def test_cache_gives_the_same_records_as_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import litreview.io.bibtex as bibtex

    corpus = tmp_path / "corpus" / "records.bib"
    import_files([IMPORT / "scopus.bib", IMPORT / "pubmed.nbib"], "s", corpus, root=tmp_path)
    fresh = load_corpus(corpus, use_cache=False)
    load_corpus(corpus)  # fills the cache
    monkeypatch.setattr(
        bibtex, "read_bibtex", lambda *a, **k: pytest.fail("parsed although the cache was valid")
    )
    cached = load_corpus(corpus)
    assert cached.records == fresh.records and cached.lines == fresh.lines


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(
    lambda s: " ".join(s.split())
)
_word = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=12)


@st.composite
def records(draw: st.DrawFn) -> Record:
    authors = tuple(
        Name(last=draw(_word), first=draw(st.sampled_from(["", "A.", "Huw T. O.", "Jörg"])))
        for _ in range(draw(st.integers(0, 3)))
    )
    if draw(st.booleans()):
        authors += (Name(last=draw(_word) + " " + draw(_word), corporate=True),)
    return Record(
        key="K" + draw(st.text(alphabet="abcdefghij0123456789", min_size=1, max_size=8)),
        entry_type=draw(st.sampled_from(["article", "book", "techreport", "misc", "incollection"])),
        title=draw(_text.filter(bool)),
        authors=authors,
        year=draw(st.none() | st.integers(1900, 2030)),
        container=draw(_text),
        volume=draw(st.sampled_from(["", "12", "3A"])),
        pages=draw(st.sampled_from(["", "1-10", "e1234", "626-628"])),
        doi=draw(st.sampled_from(["", "10.1136/bmj.326.7390.626"])),
        abstract=draw(_text),
        keywords=tuple(dict.fromkeys(k for k in draw(st.lists(_word, max_size=3)))),
        provenance=(
            Provenance(
                "db",
                "searches/x.bib",
                draw(st.integers(1, 999)),
                draw(st.sampled_from([None, "id1"])),
            ),
        ),
        extra=tuple(sorted({"country": draw(_text), "note": draw(_text)}.items())),
    )


@given(records())
def test_write_then_read_gives_the_same_record(record: Record) -> None:
    record = record.__class__(
        **{**record.__dict__, "extra": tuple((k, v) for k, v in record.extra if v)}
    )
    text = format_entry(record)
    result = read_bibtex(text, "corpus/records.bib", "corpus")
    assert not result.rejects, text
    assert result.records[0] == record, text


def test_an_exports_own_key_of_our_shape_is_kept_when_free() -> None:
    mine = Record(
        key="",
        title="x",
        authors=(Name(last="Clark"),),
        year=2012,
        provenance=(Provenance("db", "a.bib", 1, "Clark2012b"),),
    )
    other = Record(
        key="",
        title="y",
        authors=(Name(last="Clark"),),
        year=2012,
        provenance=(Provenance("db", "a.bib", 9, "clark-2012"),),
    )
    keyed = assign_keys([mine, other], [])
    assert [r.key for r in keyed] == ["Clark2012b", "Clark2012a"]


def test_an_exports_own_key_is_not_kept_when_it_names_another_work() -> None:
    rec = Record(
        key="",
        title="x",
        authors=(Name(last="Snow"),),
        year=2013,
        provenance=(Provenance("db", "a.bib", 1, "Davies2003a"),),
    )
    assert assign_keys([rec], [])[0].key == "Snow2013"


def _bib(key: str, title: str, doi: str) -> str:
    return (
        f"@article{{{key},\n  author = {{Davies, Huw T. O. and Harrison, Stephen}},\n"
        f"  title = {{{title}}},\n  journal = {{BMJ}},\n  year = {{2003}},\n"
        f"  volume = {{327}},\n  pages = {{626--628}},\n  doi = {{{doi}}},\n}}\n"
    )


def test_a_key_absorbed_by_a_merge_is_never_given_to_a_later_record(tmp_path: Path) -> None:
    from litreview.dedupe import dedupe_project
    from litreview.project import Project

    corpus = tmp_path / "corpus" / "records.bib"
    title = "Trends in doctor-manager relationships"
    (tmp_path / "a.bib").write_text(_bib("x1", title, "10.1136/bmj.327.7415.626"))
    (tmp_path / "b.bib").write_text(_bib("y1", title.upper(), "10.1136/bmj.327.7415.626"))
    import_files([tmp_path / "a.bib"], "medline", corpus, root=tmp_path)
    import_files([tmp_path / "b.bib"], "scopus", corpus, root=tmp_path)
    assert [r.key for r in load_corpus(corpus).records] == ["Davies2003", "Davies2003a"]
    result = dedupe_project(Project(tmp_path))
    assert len(result.merges) == 1
    survivor = [r.key for r in load_corpus(corpus).records]
    assert len(survivor) == 1
    (absorbed,) = {"Davies2003", "Davies2003a"} - set(survivor)

    (tmp_path / "c.bib").write_text(_bib("z1", "Another paper entirely", "10.1136/bmj.999"))
    report = import_files([tmp_path / "c.bib"], "cinahl", corpus, root=tmp_path)
    assert [r.key for r in report.added] == ["Davies2003b"]
    assert absorbed not in {r.key for r in report.added}


def test_suffixes_run_on_to_three_letters_after_zz() -> None:
    taken = [f"Anon2001{s}" for s in SUFFIXES[:702]]
    keyed = assign_keys([rec("Anon", 2001, "late"), rec("Anon", 2001, "later")], taken)
    assert [r.key for r in keyed] == ["Anon2001aaa", "Anon2001aab"]


def test_suffix_search_fills_gaps_in_input_order() -> None:
    keyed = assign_keys(
        [rec("Snow", 2013, "x"), rec("Snow", 2013, "y"), rec("Snow", 2013, "z")],
        ["Snow2013a", "Snow2013c"],
    )
    assert [r.key for r in keyed] == ["Snow2013b", "Snow2013d", "Snow2013e"]


def _ris_with_one_reject(title: str) -> str:
    return f"TY  - JOUR\nTI  - {title}\nPY  - 2004\nER  - \nTY  - JOUR\nPY  - 2001\nER  - \n"


def test_a_second_export_of_a_source_keeps_the_first_exports_rejects(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "records.bib"
    (tmp_path / "one.ris").write_text(
        _ris_with_one_reject("First export's paper"), encoding="utf-8"
    )
    (tmp_path / "two.ris").write_text(
        _ris_with_one_reject("Second export's paper"), encoding="utf-8"
    )
    first = import_files([tmp_path / "one.ris"], "scopus", corpus, root=tmp_path)
    second = import_files([tmp_path / "two.ris"], "scopus", corpus, root=tmp_path)
    assert first.rejects_paths == ["corpus/rejects/scopus/one.ris.txt"]
    assert second.rejects_paths == ["corpus/rejects/scopus/two.ris.txt"]
    for name in ("one.ris", "two.ris"):
        text = (tmp_path / "corpus" / "rejects" / "scopus" / f"{name}.txt").read_text(
            encoding="utf-8"
        )
        assert f"{name}:5:" in text and "PY  - 2001" in text


def test_a_rejects_file_goes_once_its_export_reads_cleanly(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "records.bib"
    export = tmp_path / "one.ris"
    export.write_text(_ris_with_one_reject("A paper"), encoding="utf-8")
    import_files([export], "scopus", corpus, root=tmp_path)
    assert (tmp_path / "corpus" / "rejects" / "scopus" / "one.ris.txt").exists()
    export.write_text("TY  - JOUR\nTI  - A paper\nPY  - 2004\nER  - \n", encoding="utf-8")
    report = import_files([export], "scopus", corpus, root=tmp_path)
    assert report.rejects_paths == [] and report.rejected == 0
    assert not (tmp_path / "corpus" / "rejects" / "scopus" / "one.ris.txt").exists()


def test_names_that_lose_characters_when_made_safe_never_share_a_rejects_file(
    tmp_path: Path,
) -> None:
    from litreview.corpus.store import rejects_file

    export = tmp_path / "x.ris"
    paths = {rejects_file(tmp_path, s, export) for s in ("Москва", "北京", "source", "..")}
    assert len(paths) == 4
    assert all(p.parent.parent == tmp_path / "rejects" for p in paths)


def test_the_command_after_a_write_reads_the_cache_and_gets_what_a_fresh_read_gives(
    tmp_path: Path,
) -> None:
    from litreview.corpus import store as corpus_module
    from litreview.corpus.store import save_corpus

    path = tmp_path / "corpus" / "records.bib"
    path.parent.mkdir()
    # a title with a run of spaces does not read back as given (the reader collapses it): the
    # cache must hold what the file reads as, not the records handed to the writer
    book = Record(
        key="Snow2013",
        entry_type="book",
        title="A  book",
        authors=(Name("Snow", "J."),),
        year=2013,
        container="Some Journal",
        extra=(("publisher", "A Press"),),
        provenance=(Provenance("db", "searches/a.bib", 3, None),),
    )
    paper = Record(
        key="Clark2012",
        entry_type="article",
        title="A paper",
        authors=(Name("Clark", "A."),),
        year=2012,
        container="BMJ",
        provenance=(Provenance("db", "searches/a.bib", 9, None),),
    )
    save_corpus(path, [book, paper])
    parses = corpus_module.PARSES
    cached = load_corpus(path, "corpus/records.bib")
    assert parses == corpus_module.PARSES, "the corpus just written was parsed again"
    fresh = load_corpus(path, "corpus/records.bib", use_cache=False)
    assert (
        cached.records == fresh.records
        and cached.lines == fresh.lines
        and cached.problems == fresh.problems
    )
    assert cached.digest == fresh.digest
    assert cached.by_key()["Snow2013"] != book  # what was read back, not what was given


def test_a_bad_byte_in_the_corpus_is_an_error_at_its_line_never_a_silent_cp1252_read(
    tmp_path: Path,
) -> None:
    from litreview.errors import InputError

    corpus = tmp_path / "corpus" / "records.bib"
    import_files([IMPORT / "scopus.bib"], "scopus", corpus, root=tmp_path)
    lines = corpus.read_bytes().split(b"\n")
    at = next(i for i, line in enumerate(lines) if b"title" in line)
    lines[at] = lines[at].replace(b"title = {", b"title = {G\xfcven ")  # one Latin-1 byte
    corpus.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as err:
        load_corpus(corpus, "corpus/records.bib")
    text = str(err.value)
    assert f"corpus/records.bib:{at + 1}" in text and "not valid UTF-8 (byte 0xfc)" in text


def test_a_real_replacement_character_in_a_utf8_export_is_text_not_a_warning() -> None:
    from litreview.io.text import decode_bytes

    clean = decode_bytes(b"\xef\xbb\xbfTI  - A \xef\xbf\xbd in the title\n")
    assert clean.warnings == () and "\ufffd" in clean.text
    damaged = decode_bytes(b"\xef\xbb\xbfTI  - line one\nTI  - bad \xff byte\n")
    assert damaged.warnings == (
        "invalid UTF-8 byte sequences were replaced with U+FFFD (the first on line 2)",
    )


def test_keys_without_author_or_year_read_as_a_word_and_nd_and_never_start_with_a_digit() -> None:
    from litreview.corpus.store import KEY_SHAPE

    def untitled(key: str, title: str) -> Record:
        return Record(key, title=title, provenance=(Provenance("s", "f.ris", 1, None),))

    keyed = assign_keys(
        [
            untitled("x", "Bridging the gap"),
            untitled("y", "100 years of nursing"),
            untitled("z", "2020 2021"),
        ],
        [],
    )
    assert [r.key for r in keyed] == ["Bridging-nd", "Years-nd", "Anon-nd"]
    assert all(KEY_SHAPE.match(r.key) for r in keyed)
    # a key given by an earlier version keeps its shape and stays valid
    assert KEY_SHAPE.match("Bridgingnda")


def _shipped_corpus(tmp_path: Path) -> Path:
    """A copy of the shipped corpus file, for a test that reads it lazily."""
    import shutil

    path = tmp_path / "corpus" / "records.bib"
    path.parent.mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "corpus" / "records.bib", path)
    return path


def test_one_record_read_from_a_lazy_corpus_equals_the_same_record_read_with_all_others(
    tmp_path: Path,
) -> None:
    from litreview.corpus.store import load_corpus

    path = _shipped_corpus(tmp_path)
    load_corpus(path)  # fills the cache, so the next read is lazy
    lazy = load_corpus(path, lazy=True)
    keys = list(lazy.keys)
    one_by_one = [lazy.record(k) for k in keys]
    assert lazy._records is None, "reading records one by one must not load them all"
    assert one_by_one == list(load_corpus(path, use_cache=False).records)
    with pytest.raises(KeyError):
        lazy.record("NoSuchKey1999")


def test_a_lazy_corpus_whose_file_changed_under_it_says_so_rather_than_mixing_two_files(
    tmp_path: Path,
) -> None:
    # a lazy corpus keeps the keys and lines of the file it hashed, not the file's bytes: when
    # its records must be parsed (no cache) from a file that has changed since, it stops
    from litreview.corpus.store import _cache_path, load_corpus
    from litreview.errors import InputError

    path = _shipped_corpus(tmp_path)
    first = load_corpus(path)
    lazy = load_corpus(path, lazy=True)
    assert lazy._records is None
    _cache_path(path, first.digest).unlink()  # the records must now come from the file
    path.write_text(path.read_text(encoding="utf-8").replace("@", "\n@", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        lazy.records  # noqa: B018 - reading it is the test
    assert caught.value.problems[0].code == "corpus-changed"
    assert "changed while this command was reading it" in str(caught.value.problems[0])
    # read afresh, the changed file is parsed under its own digest
    again = load_corpus(path)
    assert again.digest != first.digest and again.records == first.records


def test_a_rekeyed_record_equals_the_dataclass_replacement() -> None:
    # assign_keys copies a record with its new key instead of calling replace(); the copy must be
    # the very record replace() builds, hash and all, and leave the original untouched
    from dataclasses import replace

    from litreview.corpus.store import _rekeyed

    rec = Record(
        key="x1",
        entry_type="article",
        title="A title",
        authors=(Name(last="Doe", first="J"),),
        year=2001,
        keywords=("a", "b"),
        provenance=(Provenance("db", "f.bib", 3, "x1"),),
        extra=(("note", "n"),),
    )
    new = _rekeyed(rec, "Doe2001")
    assert new == replace(rec, key="Doe2001")
    assert hash(new) == hash(replace(rec, key="Doe2001"))
    assert vars(new) == vars(replace(rec, key="Doe2001"))
    assert rec.key == "x1"


def _conflicted_corpus(tmp_path: Path) -> tuple[Path, list[int]]:
    """A corpus in which a git merge left both sides of one entry, the second under a new key
    (so no key is used twice), with the marker lines' numbers."""
    corpus = tmp_path / "corpus" / "records.bib"
    import_files([IMPORT / "pubmed.nbib"], "pubmed", corpus, root=tmp_path)
    lines = corpus.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("@"))
    end = lines.index("}", start)
    ours = lines[start : end + 1]
    theirs = [ours[0].replace(",", "x,", 1), *ours[1:]]
    lines[start : end + 1] = ["<<<<<<< HEAD", *ours, "=======", *theirs, ">>>>>>> theirs"]
    corpus.write_text("\n".join(lines), encoding="utf-8")
    at = start + 1
    return corpus, [at, at + len(ours) + 1, at + 2 * len(ours) + 2]


def test_git_merge_conflict_markers_in_the_corpus_are_errors_at_their_lines(
    tmp_path: Path,
) -> None:
    corpus, marks = _conflicted_corpus(tmp_path)
    loaded = load_corpus(corpus, "corpus/records.bib")
    assert [r.location.line for r in loaded.rejects] == marks
    found = [(p.location.line, p.message) for p in loaded.problems if p.code == "merge-conflict"]
    assert [line for line, _ in found] == marks
    assert all("git merge-conflict marker" in message for _, message in found)


def test_an_import_into_a_corpus_with_conflict_markers_stops_and_keeps_the_file(
    tmp_path: Path,
) -> None:
    """A write would drop the marker lines and keep both sides, so nothing would show that the
    merge was never finished."""
    from litreview.errors import InputError

    corpus, marks = _conflicted_corpus(tmp_path)
    before = corpus.read_bytes()
    with pytest.raises(InputError) as err:
        import_files([IMPORT / "wos.ciw"], "wos", corpus, root=tmp_path)
    assert f"corpus/records.bib:{marks[0]}" in str(err.value)
    assert corpus.read_bytes() == before


@pytest.mark.parametrize("name", ["provenance", "x-provenance"])
def test_an_extra_field_named_provenance_is_never_read_back_as_the_records_provenance(
    name: str,
) -> None:
    """A spreadsheet column 'provenance' (litreview's own CSV export has one) is kept as an extra
    field; written as it is, the next read took it for where the record came from, so the
    record lost its import and named files of another review."""
    record = Record(
        key="Ham2011",
        entry_type="misc",
        title="Doctors who become chief executives",
        provenance=(Provenance("scopus", "corpus/searches/export.csv", 9, "Ham2011"),),
        extra=((name, "pubmed|corpus/searches/pubmed.nbib|36|"),),
    )
    text = format_entry(record)
    result = read_bibtex(text, "corpus/records.bib", "corpus")
    assert not result.problems, (text, result.problems)
    assert result.records[0] == record, text


def test_an_imported_bibtex_files_provenance_field_does_not_replace_the_import(
    tmp_path: Path,
) -> None:
    """Another review's records.bib imported as an export: its records are this import's, under
    its --source (PRISMA counts them there), and the field is kept as an extra."""
    export = tmp_path / "earlier.bib"
    export.write_text(
        "@article{Ham2011,\n  title = {Doctors who become chief executives},\n"
        "  author = {Ham, C.},\n  journal = {J R Soc Med},\n  year = {2011},\n"
        "  provenance = {pubmed|corpus/searches/pubmed.nbib|36|},\n}\n",
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus" / "records.bib"
    import_files([export], "earlier", corpus, root=tmp_path)
    (record,) = load_corpus(corpus, use_cache=False).records
    assert [(p.source, p.path, p.line) for p in record.provenance] == [
        ("earlier", "earlier.bib", 1)
    ]
    assert dict(record.extra)["provenance"] == "pubmed|corpus/searches/pubmed.nbib|36|"
    again = import_files([export], "earlier", corpus, root=tmp_path)
    assert (len(again.added), again.already) == (0, 1)


def test_an_import_into_a_corpus_whose_key_two_entries_share_stops_at_their_line(
    tmp_path: Path,
) -> None:
    from litreview.errors import InputError

    corpus = tmp_path / "corpus" / "records.bib"
    import_files([IMPORT / "pubmed.nbib"], "pubmed", corpus, root=tmp_path)
    text = corpus.read_text(encoding="utf-8")
    start = text.index("\n@") + 1
    entry = text[start : text.index("\n}\n", start) + 3]
    corpus.write_text(text + entry, encoding="utf-8")
    before = corpus.read_bytes()
    with pytest.raises(InputError) as err:
        import_files([IMPORT / "wos.ciw"], "wos", corpus, root=tmp_path)
    assert "corpus/records.bib:" in str(err.value) and "is used by 2 entries" in str(err.value)
    assert corpus.read_bytes() == before


def test_a_file_imported_under_one_source_is_not_imported_again_under_another(
    tmp_path: Path,
) -> None:
    """A source renamed in review.yaml mid-review: `run` imported its export again under the new
    id, dedupe merged every record with itself, and PRISMA counted the export twice."""
    from litreview.errors import InputError

    corpus = tmp_path / "corpus" / "records.bib"
    export = tmp_path / "corpus" / "searches" / "pubmed.nbib"
    export.parent.mkdir(parents=True)
    export.write_bytes((IMPORT / "pubmed.nbib").read_bytes())
    first = import_files([export], "pubmed", corpus, root=tmp_path)
    before = corpus.read_bytes()
    with pytest.raises(InputError) as err:
        import_files([export], "medline", corpus, root=tmp_path)
    text = str(err.value)
    assert "corpus/searches/pubmed.nbib" in text and "under source 'pubmed'" in text, text
    assert f"({len(first.added)} records)" in text, text
    assert corpus.read_bytes() == before
    again = import_files([export], "pubmed", corpus, root=tmp_path)
    assert (len(again.added), again.already) == (0, len(first.added))
    assert "another export saved under the same name" not in text  # it is the same export


def test_another_databases_export_saved_under_an_imported_files_name_is_refused_with_a_rename(
    tmp_path: Path,
) -> None:
    """Databases save exports under one default name: the Embase export written over the
    MEDLINE one's export.ris was refused as 'import it under medline', advice that would file
    Embase's records as MEDLINE's."""
    from litreview.errors import InputError

    corpus = tmp_path / "corpus" / "records.bib"
    export = tmp_path / "corpus" / "searches" / "export.ris"
    export.parent.mkdir(parents=True)
    ris = "TY  - JOUR\nTI  - {}\nAU  - {}\nPY  - 2010\nJO  - BMJ\nER  - \n"
    export.write_text(ris.format("Ward rounds in Leeds", "Okafor, C."), encoding="utf-8")
    import_files([export], "medline", corpus, root=tmp_path)
    before = corpus.read_bytes()
    export.write_text(ris.format("Clinical directors in Hull", "Lund, S."), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_files([export], "embase", corpus, root=tmp_path)
    text = str(err.value)
    assert "another export saved under the same name" in text, text
    assert "embase.ris" in text and "import it under 'medline'" not in text, text
    assert corpus.read_bytes() == before
