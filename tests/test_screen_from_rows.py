"""Screening reads the cache's rows as they are, and skips the matching where no term can occur.

``screen`` after ``dedupe`` screens 100k records that the cache holds as rows; the rules read
each row through :class:`~litreview.corpus.store.RowRecord` instead of building a record with
its names and provenances, and a field where the protocol's scanner finds no term is not matched
again by each criterion. These tests pin that the answers are the records' own.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.corpus.store import RowRecord, _row
from litreview.model import KNOWN_FIELDS, Record
from litreview.protocol import load_protocol_text
from litreview.screen.criteria import compile_criteria, evaluate
from litreview.screen.engine import rule_results, rule_results_known

from .test_canonical_reader import records
from .test_screen_rules import PROTOCOL_TEXT, _with

#: every name a review.yaml may give a rule to read, in the cases people write them
_NAMES = sorted(KNOWN_FIELDS | {"setting", "country", "design", "Title", "ABSTRACT", "Keywords"})


@settings(max_examples=150)
@given(records(), st.lists(st.sampled_from(["setting", "country", "journal", "note"]), max_size=3))
def test_a_cache_row_reads_as_its_record_for_every_field_a_rule_may_ask(
    record: Record, more: list[str]
) -> None:
    extra = dict(record.extra)
    for i, name in enumerate(more):
        extra.setdefault(name, f"value {i}")
    record = replace(record, extra=tuple(sorted(extra.items())))
    view = RowRecord(_row(record))
    assert (view.year, view.entry_type) == (record.year, record.entry_type)
    for name in [*_NAMES, *extra]:
        assert view.get(name) == record.get(name), name
    assert view.record() == record


def _screened_records() -> list[Record]:
    return [
        Record("a", title="Clinical directors in NHS hospitals", year=2008, abstract="Interviews."),
        Record("b", title="Managers in Dutch hospitals", year=2010, keywords=("survey",)),
        Record("c", title="A commentary", year=1999, extra=(("design", "commentary"),)),
        Record("d", title="Care in US clinics", year=2012, extra=(("country", "UK"),)),
        Record("e", doi="10.1000/x", year=2005),
    ]


def test_screening_from_cache_rows_builds_no_record_and_gives_the_records_verdicts() -> None:
    protocol = load_protocol_text(PROTOCOL_TEXT)
    recs = _screened_records()
    rows = [_row(r) for r in recs]

    def no_records(start: int, stop: int) -> list[Record]:
        raise AssertionError("the records were built from their rows")

    for known in (None, {}):
        got, _prints = rule_results_known(
            len(rows), no_records, protocol, known, lambda a, b: rows[a:b]
        )
        assert got == rule_results(recs, protocol)


def test_a_us_setting_is_found_in_a_field_where_the_scanner_finds_no_term() -> None:
    """The capitals "US" are matched on the original text, apart from the gazetteer's scanner: a field with
    no other place name is still read for it."""
    p = _with("""- id: uk
  kind: country
  stage: title-abstract
  reason: not-uk
  countries: [UK]
""")
    (r,) = evaluate(Record("a", title="Staff in US clinics", abstract="Data from U.S. sites."), p)
    assert r.status == "not-met"
    assert [(e.field, e.phrase) for e in r.evidence] == [("title", "US"), ("abstract", "U.S.")]


def test_a_terms_verdict_names_the_fields_with_text_of_each_record_screened_by_one_rule() -> None:
    """The words of a verdict with no term found are made once per set of fields with text:
    each record still gets its own."""
    p = _with("""- id: t
  kind: terms
  stage: title-abstract
  reason: off-topic
  fields: [title, abstract, keywords]
  include_terms: [clinical director]
  no_match: not-met-if-abstract
""")
    compiled = compile_criteria(p)
    seen = [
        (r.status, r.detail)
        for rec in (
            Record("a", title="Nurses"),
            Record("b", abstract="About nurses"),
            Record("c", title="Nurses", keywords=("staffing",)),
            Record("d", doi="10.1000/x"),
            Record("e", title="Nurses"),
        )
        for r in evaluate(rec, compiled)
    ]
    assert seen == [
        ("unclear", "no term found in title"),
        ("not-met", "no included term in abstract"),
        ("unclear", "no term found in title, keywords"),
        ("unclear", "no term found: title, abstract, keywords have no text"),
        ("unclear", "no term found in title"),
    ]
