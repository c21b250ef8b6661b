"""The extraction file: declared fields only, required ones present, keys from the corpus, once each."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.errors import ConfigError
from litreview.extraction import (
    DEFAULT_FIELDS,
    FieldSpec,
    load_extraction,
    missing_extraction,
)

GOOD = """\
version: 1
studies:
- key: Harvey2014
  relevance: direct
  design: Qualitative
  country: UK
  key_findings: Identity threat.
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "extraction.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_valid_file_loads_every_declared_field(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, GOOD), known_keys={"Harvey2014"}, display="corpus/extraction.yaml")
    assert result.problems == ()
    study = result.studies["Harvey2014"]
    assert (study.relevance, study.get("design"), study.get("country"), study.line) == ("direct", "Qualitative", "UK", 3)


def test_unknown_field_is_an_error_with_line_and_suggestion(tmp_path: Path) -> None:
    text = GOOD + "  contry: UK\n"
    result = load_extraction(write(tmp_path, text), display="x.yaml")
    [p] = result.problems
    assert str(p) == "x.yaml:8 [Harvey2014]: error: unknown field 'contry' (did you mean 'country'?)"


def test_missing_required_field_is_an_error(tmp_path: Path) -> None:
    fields = [*DEFAULT_FIELDS[:-1], FieldSpec("key_findings", "Key findings", required=True),
              FieldSpec("sample_size", "Sample size", required=True)]
    result = load_extraction(write(tmp_path, GOOD), fields=fields, display="x.yaml")
    assert [str(p) for p in result.problems] == [
        "x.yaml:3 [Harvey2014]: error: required field 'sample_size' (Sample size) is missing"]


def test_key_not_in_the_corpus_is_an_error_with_suggestion(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, GOOD), known_keys={"Harvey2015"}, display="x.yaml")
    [p] = result.problems
    assert (p.code, p.location.line, p.hint) == ("unknown-study", 3, "did you mean 'Harvey2015'?")


def test_duplicate_key_is_an_error_naming_the_first_line(tmp_path: Path) -> None:
    text = GOOD + "- key: Harvey2014\n  design: Survey\n"
    result = load_extraction(write(tmp_path, text), display="x.yaml")
    [p] = result.problems
    assert str(p) == "x.yaml:8 [Harvey2014]: error: study 'Harvey2014' appears twice (first at line 3)"
    assert result.studies["Harvey2014"].get("design") == "Qualitative"


def test_relevance_must_be_direct_or_related(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, GOOD.replace("direct", "drect")), display="x.yaml")
    [p] = result.problems
    assert (p.code, p.location.line, p.hint) == ("relevance", 4, "did you mean 'direct'?")


def test_wrong_version_and_unknown_top_level_key(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, GOOD.replace("version: 1", "version: 2\nstudy: []")), display="x.yaml")
    assert sorted(p.code for p in result.problems) == ["extraction-version", "unknown-key"]


def test_a_list_at_the_top_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_extraction(write(tmp_path, "- key: a\n"))


def test_included_studies_without_an_entry_are_warnings(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, GOOD))
    [p] = missing_extraction(result, {"Harvey2014", "Snow2013"}, "x.yaml")
    assert (p.is_error, p.location.key) == (False, "Snow2013")
