"""A part of an export read by a forked worker travels back to the importing process pickled:
its records as the corpus cache's rows (tuples), which pickle and load faster than the objects,
and arrive as records equal to those read."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.io.base import ReadResult
from litreview.model import Record

from .test_canonical_reader import records


@settings(max_examples=60)
@given(st.lists(records(), max_size=6))
def test_a_read_result_travels_as_cache_rows_and_arrives_with_equal_records(
    recs: list[Record],
) -> None:
    result = ReadResult(path="exports/x.bib", format="bibtex", records=list(recs))
    result.warn(3, "a repeated field", "k1", "repeated-field")
    result.reject(9, "malformed BibTeX entry", "@article{", "k2")
    result.lines["k1"] = 3
    result.made = [("body", True, "base")] * len(recs)
    state = result.__getstate__()
    assert all(isinstance(row, tuple) for row in state["records"])
    back = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == result
    assert [type(r) for r in back.records] == [Record] * len(recs)
