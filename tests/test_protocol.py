"""review.yaml: the shipped protocol loads; every kind of mistake is reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.errors import ConfigError
from litreview.protocol import load_protocol, load_protocol_text

from .conftest import FIXTURES, ROOT

GOOD = (FIXTURES / "screen" / "project" / "review.yaml").read_text(encoding="utf-8")


def _errors(text: str) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        load_protocol_text(text)
    return [str(p) for p in exc.value.problems]


def test_shipped_review_yaml_holds_the_reference_protocol() -> None:
    p = load_protocol(ROOT / "review.yaml")
    assert p.stage_ids == ("title-abstract", "full-text")
    assert [s.id for s in p.sources] == ["database-search", "citation-tracing", "policy-websites"]
    assert p.sources[0].files == ("corpus/searches/database-search.bib",)
    assert list(p.reasons) == [
        "out-of-period",
        "not-uk",
        "not-secondary-care",
        "not-empirical",
        "off-topic",
    ]
    assert [c.reason for c in p.criteria] == list(p.reasons)
    assert [f.name for f in p.extraction_fields] == [
        "relevance",
        "design",
        "participants",
        "setting",
        "country",
        "methods",
        "key_findings",
        "appraisal",
        "level",
        "sample",
        "data_period",
    ]
    assert p.extraction_fields[0].values == ("direct", "related")
    assert p.criteria[0].params["min"] == 2002 and p.criteria[0].params["max"] == 2015


def test_fixture_protocol_loads() -> None:
    p = load_protocol_text(GOOD)
    assert p.title == "A small test review"
    assert p.stage("full-text").requires_person


def test_misspelt_key_gets_did_you_mean_with_its_line() -> None:
    text = GOOD.replace("question:", "questoin:")
    errors = _errors(text)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("questoin"))
    assert any(f"review.yaml:{line}" in e and "did you mean 'question'" in e for e in errors)


def test_impossible_year_range_is_an_error_at_its_line() -> None:
    text = GOOD.replace("min: 2002", "min: 2016")
    errors = _errors(text)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "min: 2016" in s)
    assert any(f"review.yaml:{line}" in e and "impossible year range" in e for e in errors)


def test_unknown_criterion_kind_is_an_error_with_suggestion() -> None:
    errors = _errors(GOOD.replace("kind: year-range", "kind: year-rang"))
    assert any(
        "unknown criterion kind 'year-rang'" in e and "did you mean 'year-range'" in e
        for e in errors
    )


def test_unknown_reason_and_stage_are_reported_together() -> None:
    text = GOOD.replace("reason: not-uk\n  countries", "reason: not-ukk\n  countries").replace(
        "stage: title-abstract\n  reason: off-topic", "stage: full-txt\n  reason: off-topic"
    )
    errors = _errors(text)
    assert any("unknown reason code 'not-ukk'" in e for e in errors)
    assert any("unknown stage 'full-txt'" in e for e in errors)


def test_unknown_parameter_of_a_kind_is_rejected() -> None:
    errors = _errors(GOOD.replace("  countries: [UK]", "  countries: [UK]\n  include_terms: [x]"))
    assert any("unknown key 'include_terms' in criterion 'uk'" in e for e in errors)


def test_bad_term_and_duplicate_criterion_id() -> None:
    text = GOOD.replace(
        "include_terms: [doctor and manager,", "include_terms: ['*', doctor and manager,"
    )
    text = text.replace("- id: topic", "- id: uk")
    errors = _errors(text)
    assert any("lone '*'" in e for e in errors)
    assert any("criterion id 'uk' is used twice" in e for e in errors)


def test_not_a_mapping_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_protocol(path)


def test_extraction_field_evidence_is_required_or_optional() -> None:
    p = load_protocol(ROOT / "review.yaml")
    assert [f.name for f in p.extraction_fields if f.evidence] == [
        "design",
        "participants",
        "setting",
        "key_findings",
    ]
    text = GOOD.replace(
        "required: true, values: [direct, related]}", "required: true, evidence: always}", 1
    )
    assert "evidence: always" in text
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "evidence: always" in s)
    assert any(
        f"review.yaml:{line}" in e and "'evidence' must be required or optional" in e
        for e in _errors(text)
    )


def test_one_export_listed_under_two_sources_or_twice_is_an_error_at_the_second_listing() -> None:
    # `run` imports each listing: the export's records would count twice as identified
    text = GOOD.replace(
        "  files: [corpus/searches/citation-tracing.bib]",
        "  files: [corpus/searches/citation-tracing.bib, ./corpus/searches/database-search.bib]",
    )
    assert _errors(text) == [
        "review.yaml:13 [files]: error: file './corpus/searches/database-search.bib' is listed under "
        "source 'database-search' too: `litreview run` would import it once per listing, "
        "counting its records twice (list it once, under the source it came from (first at "
        "line 9))"
    ]
    twice = GOOD.replace(
        "  files: [corpus/searches/database-search.bib]",
        "  files: [corpus/searches/database-search.bib, corpus/searches/database-search.bib]",
    )
    assert [e for e in _errors(twice) if "listed twice under this source" in e]
