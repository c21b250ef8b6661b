"""Pieces of a new file copied from an old one as it is written (``fsutil.FileSpan``).

A dedupe of 1M records rewrites a 1.5 GB corpus in which most entries are unchanged: those are
given to the writer as places in the old file, read as the new file is written, rather than
held in memory. These tests pin that the bytes come out right wherever a read block ends, and
that a span of a file replaced or rewritten since it was found is refused, never read from the
new file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.files import fsutil
from litreview.files.fsutil import FileSpan, file_stamp, holds, iter_bytes, read_span


def _span(path: Path, start: int, stop: int) -> FileSpan:
    with path.open("rb") as fh:
        stamp = file_stamp(fh)
    data = path.read_bytes()[start:stop]
    return FileSpan(path, start, stop, data.count(b"\n"), stamp)


@settings(max_examples=150, deadline=None)
@given(
    st.binary(min_size=1, max_size=200),
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200), st.binary(max_size=5))),
    st.sampled_from([1, 3, 16, 1 << 22]),
)
def test_spans_and_bytes_read_as_their_concatenation_whatever_the_block_size(
    old: bytes, cuts: list[tuple[int, int, bytes]], block: int
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "old.bib"
        path.write_bytes(old)
        parts: list[fsutil.Part] = []
        expected = b""
        for a, b, extra in cuts:
            start, stop = sorted((min(a, len(old)), min(b, len(old))))
            parts += [_span(path, start, stop), extra]
            expected += old[start:stop] + extra
        saved, fsutil._BLOCK = fsutil._BLOCK, block
        try:
            assert b"".join(iter_bytes(parts)) == expected
            assert fsutil.parts_digest(parts) == hashlib.sha256(expected).hexdigest()
            target = Path(tmp) / "new.bib"
            fsutil.atomic_write(target, parts)
            assert target.read_bytes() == expected
            assert holds(target, parts)
        finally:
            fsutil._BLOCK = saved


def test_a_change_writes_spans_of_the_file_it_replaces(tmp_path: Path) -> None:
    from litreview.files.journal import Change

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = corpus / "records.bib"
    path.write_bytes(b"% head\n@misc{a,\n}\n\n@misc{b,\n}\n")
    keep = _span(path, 7, 18)  # @misc{a,\n}\n
    with Change(corpus) as change:
        change.write(path, [b"% head\n", keep, b"\n", b"@misc{c,\n}\n"])
    assert path.read_bytes() == b"% head\n@misc{a,\n}\n\n@misc{c,\n}\n"


def test_a_span_of_a_file_replaced_since_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "records.bib"
    path.write_bytes(b"@misc{a,\n}\n@misc{b,\n}\n")
    span = _span(path, 0, 11)
    fresh = tmp_path / "new.bib"
    fresh.write_bytes(b"@misc{x,\n}\n@misc{y,\n}\n")  # as long as the old one
    os.replace(fresh, path)
    with pytest.raises(OSError, match="changed after it was read"):
        read_span(span)
    with pytest.raises(OSError, match="changed after it was read"):
        b"".join(iter_bytes([span]))


def test_a_change_with_a_span_of_a_vanished_file_changes_nothing(tmp_path: Path) -> None:
    from litreview.files.journal import Change, WriteError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = corpus / "old.bib"
    source.write_bytes(b"@misc{a,\n}\n")
    span = _span(source, 0, 11)
    (corpus / "records.bib").write_bytes(b"before\n")
    source.unlink()
    with pytest.raises(WriteError), Change(corpus) as change:
        change.write(corpus / "records.bib", [span])
        change.write(corpus / "duplicates.yaml", "merges: []\n")
    assert (corpus / "records.bib").read_bytes() == b"before\n"
    assert sorted(p.name for p in corpus.iterdir()) == ["records.bib"]
