"""A write leaves the cache holding exactly what reading the file gives, parsing only what changed.

``save_corpus(..., previous=corpus)`` reuses each unchanged record of the corpus it was loaded
from instead of parsing 100k entries back; these tests compare the seeded cache with a fresh,
full parse of the written file, on generated corpora and through real commands.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.corpus import store as corpus_mod
from litreview.corpus.store import CORPUS_HEADER, load_corpus, save_corpus
from litreview.io.bibtex import format_corpus
from litreview.model import Provenance, Record

from .test_canonical_reader import records


def _fresh(path: Path) -> tuple[object, ...]:
    c = load_corpus(path, "corpus/records.bib", use_cache=False)
    return c.records, c.problems, c.rejects, dict(c.lines), c.digest


def _cached(path: Path) -> tuple[object, ...]:
    before = corpus_mod.PARSES
    c = load_corpus(path, "corpus/records.bib")
    assert before == corpus_mod.PARSES, "the write should have left the cache holding this file"
    return c.records, c.problems, c.rejects, dict(c.lines), c.digest


def _unique(recs: list[Record]) -> list[Record]:
    return list({r.key: r for r in recs}.values())


@settings(max_examples=40)
@given(st.lists(records(), min_size=1, max_size=8), st.lists(records(), max_size=4), st.data())
def test_a_seeded_cache_equals_a_full_parse_after_any_change(
    first: list[Record], added: list[Record], data: st.DataObject
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus" / "records.bib"
        path.parent.mkdir()
        save_corpus(path, _unique(first), display="corpus/records.bib")
        loaded = load_corpus(path, "corpus/records.bib")
        kept = list(loaded.records)
        # drop some, change the title of some (new objects), add new records under new keys
        kept = [r for r in kept if not data.draw(st.booleans(), label=f"drop {r.key}")] or kept[:1]
        kept = [
            replace(r, title=r.title + " (revised)")
            if data.draw(st.booleans(), label=f"edit {r.key}")
            else r
            for r in kept
        ]
        taken = {r.key for r in kept}
        new = [r for r in _unique(added) if r.key not in taken]
        save_corpus(path, kept + new, display="corpus/records.bib", previous=loaded)
        assert _cached(path) == _fresh(path)
        # a file litreview wrote reads back to records that format to the same text: the kept
        # entries' old text is what formatting them afresh would write
        assert path.read_text(encoding="utf-8") == format_corpus(kept + new, CORPUS_HEADER)


def test_an_unchanged_record_is_not_parsed_again(tmp_path: Path, monkeypatch: object) -> None:
    from litreview.io import bibtex

    path = tmp_path / "corpus" / "records.bib"
    path.parent.mkdir()
    recs = [
        Record(
            key=f"Smith20{i:02d}",
            entry_type="misc",
            title=f"Study number {i}",
            year=2000 + i,
            provenance=(Provenance("db", "corpus/searches/db.ris", i + 1, None),),
        )
        for i in range(30)
    ]
    save_corpus(path, recs, display="corpus/records.bib")
    loaded = load_corpus(path, "corpus/records.bib")
    seen: list[int] = []
    real = bibtex.read_bibtex

    def counting(text: str, *args: object, **kwargs: object) -> object:
        seen.append(text.count("\n@") + text.startswith("@"))
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    import pytest

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(bibtex, "read_bibtex", counting)
        # a title with LaTeX in it: a record reads_back_unchanged cannot vouch for, so it is parsed
        changed = [
            replace(r, title="A new title with $\\alpha$") if r.key == "Smith2007" else r
            for r in loaded.records
        ]
        save_corpus(path, changed, display="corpus/records.bib", previous=loaded)
    assert seen == [1]  # one entry parsed back, not thirty
    assert _cached(path) == _fresh(path)


def test_a_hand_edited_file_is_parsed_whole(tmp_path: Path) -> None:
    path = tmp_path / "corpus" / "records.bib"
    path.parent.mkdir()
    path.write_text(
        "@misc{Hand2001,\n    title={Written   by hand},\n  year = 2001}\n\n"
        "@misc{Hand2002, title = {Another}, year = {2002}}\n",
        encoding="utf-8",
    )
    loaded = load_corpus(path, "corpus/records.bib")
    save_corpus(path, loaded.records, display="corpus/records.bib", previous=loaded)
    assert _cached(path) == _fresh(path)


@settings(max_examples=30)
@given(
    recs=st.lists(records(), max_size=6),
    line_end=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
)
def test_parsing_the_text_just_written_equals_decoding_its_bytes(
    recs: list[Record], line_end: str, bom: bool
) -> None:
    # save_corpus hands the parser the text it encoded; that must read exactly as the bytes do,
    # also when the text is not what decoding gives (CR line ends, a BOM)
    text = ("\ufeff" if bom else "") + format_corpus(_unique(recs), CORPUS_HEADER).replace(
        "\n", line_end
    )
    data = text.encode("utf-8")

    def parsed(given_text: str | None) -> tuple[object, ...]:
        c = corpus_mod._parse(data, "d", "corpus/records.bib", given_text)
        return c.records, c.problems, c.rejects, dict(c.lines), c.digest

    assert parsed(text) == parsed(None)


@settings(max_examples=40)
@given(st.lists(records(), min_size=1, max_size=8), st.lists(records(), max_size=4), st.data())
def test_a_cache_built_from_the_loaded_rows_equals_a_full_parse(
    first: list[Record], added: list[Record], data: st.DataObject
) -> None:
    # dedupe and undo load with keep_rows: the new cache takes each unchanged record's row from
    # the old cache, and must still hold exactly what a fresh read of the new file gives
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus" / "records.bib"
        path.parent.mkdir()
        save_corpus(path, _unique(first), display="corpus/records.bib")
        loaded = load_corpus(path, "corpus/records.bib", keep_rows=True)
        assert loaded.rows is not None
        kept = [
            r for r in loaded.records if not data.draw(st.booleans(), label=f"drop {r.key}")
        ] or list(loaded.records[:1])
        kept = [
            replace(r, title=r.title + " (revised)")
            if data.draw(st.booleans(), label=f"edit {r.key}")
            else r
            for r in kept
        ]
        taken = {r.key for r in kept}
        new = [r for r in _unique(added) if r.key not in taken]
        save_corpus(path, kept + new, display="corpus/records.bib", previous=loaded)
        assert _cached(path) == _fresh(path)
        assert path.read_text(encoding="utf-8") == format_corpus(kept + new, CORPUS_HEADER)


@given(st.lists(records(), max_size=6))
def test_rows_made_as_they_are_pickled_unpickle_as_the_list_of_rows(recs: list[Record]) -> None:
    # the cache's rows are made while the pickler writes them (never all in memory at 1M)
    import pickle

    for fast in (True, False):
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = fast
        pickler.dump((1, corpus_mod._Rows(recs), 2))
        assert pickle.loads(buffer.getvalue()) == (1, [corpus_mod._row(r) for r in recs], 2)


def _thirty(path: Path) -> list[Record]:
    path.parent.mkdir()
    recs = [
        Record(
            key=f"Smith20{i:02d}",
            entry_type="misc",
            title=f"Study number {i}",
            year=2000 + i,
            provenance=(Provenance("db", "corpus/searches/db.ris", i + 1, None),),
        )
        for i in range(30)
    ]
    save_corpus(path, recs, display="corpus/records.bib")
    return recs


def test_only_changed_records_are_taken_apart_for_the_cache(tmp_path: Path) -> None:
    import pytest

    path = tmp_path / "corpus" / "records.bib"
    _thirty(path)
    loaded = load_corpus(path, "corpus/records.bib", keep_rows=True)
    seen: list[str] = []
    real = corpus_mod._row

    def counting(r: Record) -> tuple[object, ...]:
        seen.append(r.key)
        return real(r)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(corpus_mod, "_row", counting)
        changed = [
            replace(r, title="A new title") if r.key == "Smith2007" else r for r in loaded.records
        ]
        save_corpus(path, changed, display="corpus/records.bib", previous=loaded)
    assert seen == ["Smith2007"]  # one record taken apart, twenty-nine rows reused
    assert _cached(path) == _fresh(path)


def test_a_corpus_loaded_for_a_rewrite_is_not_read_from_disk_again(tmp_path: Path) -> None:
    import pytest

    path = tmp_path / "corpus" / "records.bib"
    _thirty(path)
    loaded = load_corpus(path, "corpus/records.bib", keep_rows=True)
    reads: list[Path] = []
    real = Path.read_text

    def counting(self: Path, *args: object, **kwargs: object) -> str:
        reads.append(self)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "read_text", counting)
        changed = [
            replace(r, title="A new title") if r.key == "Smith2007" else r for r in loaded.records
        ]
        save_corpus(path, changed, display="corpus/records.bib", previous=loaded)
    assert path not in reads  # the entries' old text came from the bytes read at load
    assert _cached(path) == _fresh(path)
    assert path.read_text(encoding="utf-8") == format_corpus(changed, CORPUS_HEADER)


def test_a_corpus_loaded_without_keep_rows_holds_no_rows(tmp_path: Path) -> None:
    # screen, tag and status load the corpus too: they must not carry its 170 MB of bytes around
    path = tmp_path / "corpus" / "records.bib"
    _thirty(path)
    loaded = load_corpus(path, "corpus/records.bib")
    assert loaded.rows is None


def _entries_by_splitting(text: str, keys: tuple[str, ...]) -> dict[str, str] | None:
    """The way _old_entries cut the file before it sliced it: split at each line break + "@"."""
    chunks = text.split("\n@")
    if chunks[0] != CORPUS_HEADER.rstrip("\n") + "\n" and chunks[0] != CORPUS_HEADER:
        return None
    out: dict[str, str] = {}
    for chunk in chunks[1:]:
        brace, comma = chunk.find("{"), chunk.find(",")
        key = chunk[brace + 1 : comma]
        if chunk.endswith("}\n") and brace >= 0 and comma > brace and key not in out:
            out[key] = "@" + chunk
            continue
        if brace < 0 or comma < brace or key in out or not chunk.rstrip().endswith("}"):
            return None
        out[key] = "@" + chunk.rstrip("\n") + "\n"
    if len(out) != len(keys) or not all(k in out for k in keys):
        return None
    return out


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(
            [
                "@misc{A1,\n  year = {1}\n}\n",
                "@misc{B2, title = {x}}",
                "\n",
                "@",
                "{",
                ",",
                "}",
                "% note\n",
                "@misc{A1,\n}\n\n",
                "x\n@y{C3,\n}\n",
                "\n\n",
            ]
        ),
        max_size=8,
    ),
    st.booleans(),
    st.sampled_from([1 << 22, 1, 2, 3, 7, 64]),
)
def test_cutting_the_old_file_into_entries_gives_what_splitting_gave(
    pieces: list[str], header: bool, block: int
) -> None:
    # the file is read in blocks of ``block`` bytes: an entry, a "\n@" or the header cut
    # anywhere between two reads must give the same entries
    import hashlib
    import tempfile

    text = (CORPUS_HEADER + "\n" if header else "") + "\n".join(pieces)
    keys = tuple(dict.fromkeys(k for k in ("A1", "B2", "C3") if k in text))

    class Previous:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()

    Previous.keys = keys  # type: ignore[attr-defined]
    split = _entries_by_splitting(text, keys)
    expected = None if split is None else {k: v.encode("utf-8") for k, v in split.items()}
    from litreview.files.fsutil import FileSpan, read_span

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.bib"
        path.write_bytes(text.encode("utf-8"))
        saved, corpus_mod._SCAN_BLOCK = corpus_mod._SCAN_BLOCK, block
        try:
            found = corpus_mod._old_entries(path, Previous())  # type: ignore[arg-type]
        finally:
            corpus_mod._SCAN_BLOCK = saved
        got = (
            None
            if found is None
            else {k: read_span(v) if isinstance(v, FileSpan) else v for k, v in found.items()}
        )
        assert got == expected
        spans = [] if found is None else [v for v in found.values() if isinstance(v, FileSpan)]
        assert all(v.newlines == read_span(v).count(b"\n") for v in spans)


@settings(max_examples=40, deadline=None)
@given(st.lists(records(), max_size=8), st.lists(records(), max_size=4), st.sampled_from([1, 2, 3]))
def test_a_corpus_written_in_batches_is_the_corpus_written_at_once(
    first: list[Record], added: list[Record], batch: int
) -> None:
    # save_corpus formats and writes a batch of entries at a time (100,000 by default): the
    # file, its cache and a later rewrite that reuses unchanged entries come out the same
    # wherever the batches are cut
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus" / "records.bib"
        path.parent.mkdir()
        saved, corpus_mod._WRITE_BATCH = corpus_mod._WRITE_BATCH, batch
        try:
            save_corpus(path, _unique(first), display="corpus/records.bib")
            assert path.read_text(encoding="utf-8") == format_corpus(_unique(first), CORPUS_HEADER)
            assert _cached(path) == _fresh(path)
            loaded = load_corpus(path, "corpus/records.bib", keep_rows=True)
            _places_cut_as_the_scan_does(path, loaded)
            taken = {r.key for r in loaded.records}
            new = [r for r in _unique(added) if r.key not in taken]
            save_corpus(
                path, [*loaded.records, *new], display="corpus/records.bib", previous=loaded
            )
        finally:
            corpus_mod._WRITE_BATCH = saved
        everything = [*_unique(first), *new]
        assert path.read_text(encoding="utf-8") == format_corpus(everything, CORPUS_HEADER)
        assert _cached(path) == _fresh(path)
        _places_cut_as_the_scan_does(path, load_corpus(path, "corpus/records.bib"))


def _places_cut_as_the_scan_does(path: Path, loaded: corpus_mod.Corpus) -> None:
    """The entries a write takes from the places the cache kept are the ones scanning the file
    finds: the same bytes of the same file, under the same keys."""
    from litreview.files.fsutil import FileSpan, read_span

    scanned = corpus_mod._old_entries(path, loaded)
    placed = corpus_mod._placed_entries(path, loaded)
    if (
        loaded.records
        and scanned is not None
        and all(isinstance(v, FileSpan) for v in scanned.values())
    ):
        # every entry litreview writes stands alone, so every written file keeps its places
        assert placed is not None
    if placed is not None:
        assert scanned is not None
        assert placed == scanned
        assert {k: read_span(v) for k, v in placed.items()} == {  # type: ignore[arg-type]
            k: read_span(v)
            for k, v in scanned.items()  # type: ignore[arg-type]
        }


def test_old_entries_are_places_in_the_file_not_its_bytes(tmp_path: Path) -> None:
    # holding the file's bytes (or a copy of every entry) was one more corpus-sized block of
    # memory, 1.5 GB at 1M records: the unchanged entries are copied from the file as it is
    # written, and the new file is the old one's bytes where nothing changed
    from litreview.files.fsutil import FileSpan, read_span
    from litreview.io.bibtex import join_entries

    path = tmp_path / "corpus" / "records.bib"
    _thirty(path)
    loaded = load_corpus(path, "corpus/records.bib", keep_rows=True)
    old = corpus_mod.entries_as_read(path, loaded)
    assert old is not None and len(old) == 30
    assert all(isinstance(v, FileSpan) and v.path == path for v in old.values())
    data = path.read_bytes()
    header = CORPUS_HEADER.encode("utf-8")
    entries = [old[k] for k in sorted(old)]
    assert join_entries([read_span(v) for v in entries], header) == data  # type: ignore[arg-type]


def test_a_file_changed_since_it_was_loaded_lends_no_entries(tmp_path: Path) -> None:
    # the entries written back unchanged must be the text the records were read from: a file
    # an editor saved meanwhile is not cut up and passed off as theirs
    path = tmp_path / "corpus" / "records.bib"
    recs = _thirty(path)
    loaded = load_corpus(path, "corpus/records.bib", keep_rows=True)
    assert corpus_mod.entries_as_read(path, loaded) is not None
    path.write_text(path.read_text(encoding="utf-8").replace("Study number 3", "Study number 33"))
    assert corpus_mod.entries_as_read(path, loaded) is None
    save_corpus(path, loaded.records[1:], display="corpus/records.bib", previous=loaded)
    assert path.read_text(encoding="utf-8") == format_corpus(recs[1:], CORPUS_HEADER)


def test_a_corpus_written_by_litreview_is_not_scanned_to_find_its_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the cache keeps where each entry was written: scanning the 1.7 GB file of 1M records for
    # them took ~9 s of every dedupe and import after the first
    path = tmp_path / "corpus" / "records.bib"
    _thirty(path)
    loaded = load_corpus(path, "corpus/records.bib", keep_rows=True)
    expected = corpus_mod._old_entries(path, loaded)

    def no_scan(*_: object) -> None:
        raise AssertionError("the file was scanned")

    monkeypatch.setattr(corpus_mod, "_old_entries", no_scan)
    assert corpus_mod.entries_as_read(path, loaded) == expected


def test_a_file_touched_since_it_was_loaded_lends_no_entries_from_its_places(
    tmp_path: Path,
) -> None:
    # an edit that keeps the file's size (one letter for another) still moves its modification
    # time: the places the cache kept are not trusted for it, and the scan finds the change
    path = tmp_path / "corpus" / "records.bib"
    _thirty(path)
    loaded = load_corpus(path, "corpus/records.bib", keep_rows=True)
    assert corpus_mod._placed_entries(path, loaded) is not None
    st_before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Study number 3", "Study number X"))
    os.utime(path, ns=(st_before.st_atime_ns, st_before.st_mtime_ns + 1_000_000))
    assert path.stat().st_size == st_before.st_size
    assert corpus_mod._placed_entries(path, loaded) is None
    assert corpus_mod.entries_as_read(path, loaded) is None


def test_an_empty_corpus_is_its_header_and_a_line_break(tmp_path: Path) -> None:
    from litreview.io.bibtex import join_entries

    path = tmp_path / "corpus" / "records.bib"
    path.parent.mkdir(parents=True)
    save_corpus(path, [])
    assert path.read_text(encoding="utf-8") == CORPUS_HEADER + "\n"
    assert join_entries([], CORPUS_HEADER) == CORPUS_HEADER + "\n"
    assert join_entries(["@misc{A,\n}\n"], CORPUS_HEADER) == CORPUS_HEADER + "\n@misc{A,\n}\n"
