"""The extraction file: declared fields only, required ones present, keys from the corpus, once each."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.extract.extraction import (
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
    result = load_extraction(
        write(tmp_path, GOOD), known_keys={"Harvey2014"}, display="corpus/extraction.yaml"
    )
    assert result.problems == ()
    study = result.studies["Harvey2014"]
    assert (study.relevance, study.get("design"), study.get("country"), study.line) == (
        "direct",
        "Qualitative",
        "UK",
        3,
    )


def test_unknown_field_is_an_error_with_line_and_suggestion(tmp_path: Path) -> None:
    text = GOOD + "  contry: UK\n"
    result = load_extraction(write(tmp_path, text), display="x.yaml")
    [p] = result.problems
    assert (
        str(p) == "x.yaml:8 [Harvey2014]: error: unknown field 'contry' (did you mean 'country'?)"
    )


def test_missing_required_field_is_an_error(tmp_path: Path) -> None:
    fields = [
        *DEFAULT_FIELDS[:-1],
        FieldSpec("key_findings", "Key findings", required=True),
        FieldSpec("sample_size", "Sample size", required=True),
    ]
    result = load_extraction(write(tmp_path, GOOD), fields=fields, display="x.yaml")
    assert [str(p) for p in result.problems] == [
        "x.yaml:3 [Harvey2014]: error: required field 'sample_size' (Sample size) is missing"
    ]


def test_key_not_in_the_corpus_is_an_error_with_suggestion(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, GOOD), known_keys={"Harvey2015"}, display="x.yaml")
    [p] = result.problems
    assert (p.code, p.location.line, p.hint) == ("unknown-study", 3, "did you mean 'Harvey2015'?")


def test_duplicate_key_is_an_error_naming_the_first_line(tmp_path: Path) -> None:
    text = GOOD + "- key: Harvey2014\n  design: Survey\n"
    result = load_extraction(write(tmp_path, text), display="x.yaml")
    [p] = result.problems
    assert (
        str(p) == "x.yaml:8 [Harvey2014]: error: study 'Harvey2014' appears twice (first at line 3)"
    )
    assert result.studies["Harvey2014"].get("design") == "Qualitative"


def test_relevance_must_be_direct_or_related(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, GOOD.replace("direct", "drect")), display="x.yaml")
    [p] = result.problems
    assert (p.code, p.location.line, p.hint) == ("relevance", 4, "did you mean 'direct'?")


def test_wrong_version_and_unknown_top_level_key(tmp_path: Path) -> None:
    result = load_extraction(
        write(tmp_path, GOOD.replace("version: 1", "version: 2\nstudy: []")), display="x.yaml"
    )
    assert sorted(p.code for p in result.problems) == ["unknown-key", "version"]


def test_a_missing_version_means_the_current_one_as_in_every_stored_file(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, GOOD.replace("version: 1\n", "")), display="x.yaml")
    assert result.problems == () and "Harvey2014" in result.studies


def test_a_list_at_the_top_is_a_located_problem_not_an_exception(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, "- key: a\n"), display="x.yaml")
    [p] = result.problems
    assert (str(p), p.code) == (
        "x.yaml:1: error: the extraction file must be a mapping with 'version' and 'studies'",
        "type",
    )


def test_included_studies_without_an_entry_are_warnings(tmp_path: Path) -> None:
    result = load_extraction(write(tmp_path, GOOD))
    [p] = missing_extraction(result, {"Harvey2014", "Snow2013"}, "x.yaml")
    assert (p.is_error, p.location.key) == (False, "Snow2013")


# --- evidence: the source line(s) and a short quote each value rests on ---------------------

EVIDENCED = [
    FieldSpec("design", "Design", evidence=True),
    FieldSpec("key_findings", "Key findings", evidence=True),
    FieldSpec("country", "Country"),
]


def test_evidence_is_read_per_field_with_line_and_quote(tmp_path: Path) -> None:
    text = GOOD + (
        "  evidence:\n    design:\n    - {line: 12, quote: 'a   small qualitative study'}\n"
        "    key_findings:\n    - {line: 40, quote: felt their identity threatened}\n"
        "    - {line: 41, quote: by the manager label}\n"
    )
    result = load_extraction(write(tmp_path, text), fields=EVIDENCED, display="x.yaml")
    assert result.problems == ()
    ev = result.studies["Harvey2014"].evidence
    assert [(e.line, e.quote) for e in ev["design"]] == [(12, "a small qualitative study")]
    assert [e.line for e in ev["key_findings"]] == [40, 41]


def test_a_file_without_evidence_still_loads_when_the_protocol_does_not_require_it(
    tmp_path: Path,
) -> None:
    result = load_extraction(write(tmp_path, GOOD), display="x.yaml")
    assert result.problems == ()
    assert result.studies["Harvey2014"].evidence == {}


def test_a_finding_without_evidence_is_an_error_at_its_line_when_required(tmp_path: Path) -> None:
    text = GOOD + "  evidence:\n    design: [{line: 12, quote: a small study}]\n"
    result = load_extraction(write(tmp_path, text), fields=EVIDENCED, display="x.yaml")
    [p] = result.problems
    assert str(p).startswith(
        "x.yaml:7 [Harvey2014]: error: field 'key_findings' (Key findings) has no evidence"
    )
    assert p.code == "missing-evidence"


def test_a_value_saying_the_source_is_silent_needs_no_evidence(tmp_path: Path) -> None:
    text = (
        GOOD.replace("design: Qualitative", "design: not reported in the review")
        + "  evidence:\n    key_findings: [{line: 3, quote: identity}]\n"
    )
    result = load_extraction(write(tmp_path, text), fields=EVIDENCED, display="x.yaml")
    assert result.problems == ()


def test_an_evidence_quote_longer_than_twelve_words_is_an_error(tmp_path: Path) -> None:
    long = " ".join(["word"] * 13)
    text = (
        GOOD
        + f"  evidence:\n    design: [{{line: 12, quote: {long}}}]\n    key_findings: [{{line: 3, quote: x}}]\n"
    )
    result = load_extraction(write(tmp_path, text), fields=EVIDENCED, display="x.yaml")
    [p] = result.problems
    assert str(p).startswith(
        "x.yaml:9 [Harvey2014]: error: evidence quote for 'design' has 13 words; at most 12"
    )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("{line: 0, quote: x}", "evidence for 'design' needs a 'line'"),
        ("{line: twelve, quote: x}", "evidence for 'design' needs a 'line'"),
        ("{line: 12}", "evidence for 'design' needs a 'quote'"),
        (
            "{line: 12, quote: x, page: 3}",
            "each evidence item for 'design' is a mapping with 'line' and 'quote' only",
        ),
    ],
)
def test_malformed_evidence_items_are_errors_with_their_line(
    tmp_path: Path, item: str, message: str
) -> None:
    text = (
        GOOD
        + f"  evidence:\n    design:\n    - {item}\n    key_findings: [{{line: 3, quote: x}}]\n"
    )
    result = load_extraction(write(tmp_path, text), fields=EVIDENCED, display="x.yaml")
    [p] = result.problems
    assert str(p).startswith(f"x.yaml:10 [Harvey2014]: error: {message}")


def test_evidence_for_an_undeclared_field_is_an_error(tmp_path: Path) -> None:
    text = GOOD + "  evidence:\n    desing: [{line: 12, quote: x}]\n"
    result = load_extraction(write(tmp_path, text), display="x.yaml")
    [p] = result.problems
    assert (
        str(p)
        == "x.yaml:9 [Harvey2014]: error: evidence for unknown field 'desing' (did you mean 'design'?)"
    )


def test_an_entry_for_a_record_a_merge_absorbed_is_the_survivors(tmp_path: Path) -> None:
    # screening decisions and theme overrides follow merges; extraction used to report the key
    # as "not a record in the corpus" once dedupe had absorbed it
    aliases = {"Harvey2014a": "Harvey2014b", "Harvey2014b": "Harvey2014"}  # a chain of two merges
    text = GOOD.replace("key: Harvey2014", "key: Harvey2014a")
    result = load_extraction(
        write(tmp_path, text), known_keys={"Harvey2014"}, display="x.yaml", aliases=aliases
    )
    assert result.problems == () and result.studies["Harvey2014"].get("design") == "Qualitative"
    # the survivor and a record it absorbed cannot both have an entry
    both = GOOD + "- key: Harvey2014a\n  design: Survey\n"
    [p] = load_extraction(
        write(tmp_path, both), known_keys={"Harvey2014"}, display="x.yaml", aliases=aliases
    ).problems
    assert str(p) == (
        "x.yaml:8 [Harvey2014]: error: study 'Harvey2014' appears twice (as 'Harvey2014a', which a "
        "merge absorbed into it) (first at line 3)"
    )


def test_the_merge_map_follows_chains_stops_at_the_corpus_and_never_loops() -> None:
    from litreview.corpus.mergemap import MergeMap

    links = MergeMap({"A": "B", "B": "C", "X": "Y", "Y": "X"})
    assert links.final("A") == "C" and links.final("Q") == "Q"
    assert links.survivor("A", {"B", "C"}) == "B"  # the first record of the corpus on the way
    assert (
        links.survivor("A", {"Z"}) is None and links.survivor("X", {"Z"}) is None
    )  # left the corpus; a loop
    assert links.resolve("C", {"C"}) == "C" and links.resolve("A", {"C"}) == "C"
    assert links.absorbed_into({"B"}) == {
        "A": "B",
        "B": "C",
        "X": "X",
        "Y": "Y",
    }  # a loop ends where it began


def test_a_linked_report_names_its_studys_main_report_and_is_checked(tmp_path: Path) -> None:
    text = GOOD + "- key: Harvey2014b\n  report_of: Harvey2014\n"
    result = load_extraction(
        write(tmp_path, text), known_keys={"Harvey2014", "Harvey2014b"}, display="x.yaml"
    )
    assert result.problems == () and result.studies["Harvey2014b"].report_of == "Harvey2014"
    bad = (
        GOOD
        + "- key: Harvey2014b\n  report_of: Harvy2014\n- key: Harvey2014c\n  report_of: Harvey2014c\n"
    )
    found = [
        (p.location.line, p.code, p.hint)
        for p in load_extraction(write(tmp_path, bad), display="x.yaml").problems
    ]
    assert (9, "report-of", "did you mean 'Harvey2014'?") in found
    assert (11, "report-of", None) in found
    # a chain of links: point at the main report
    chain = text + "- key: Harvey2014c\n  report_of: Harvey2014b\n"
    [p] = load_extraction(write(tmp_path, chain), display="x.yaml").problems
    assert (
        p.code == "report-of"
        and p.hint == "point at the study's main report: report_of: Harvey2014"
    )


def test_an_entry_for_a_study_the_screening_now_excludes_is_a_warning(tmp_path: Path) -> None:
    # extracted, then excluded by a later decision: the outputs show included studies only,
    # so the entry would be left out without a word; a study still waiting is not warned of
    import shutil

    from litreview.project import Project
    from litreview.workflow.pipeline import load_state

    from .conftest import FIXTURES

    root = tmp_path / "review"
    shutil.copytree(FIXTURES / "screen" / "project", root)
    (root / "corpus" / "extraction.yaml").write_text(
        GOOD.replace("Harvey2014", "Klopper2010")
        + "- key: Kuhlmann2013\n  relevance: direct\n  design: Survey\n  country: UK\n"
        "  key_findings: Hybrid roles.\n",
        encoding="utf-8",
    )
    state = load_state(Project(root))
    outcome = {r.key: r.outcome for r in state.screening.records}
    assert outcome["Klopper2010"] == "excluded" and outcome["Kuhlmann2013"] == "needs-person"
    [p] = [p for p in state.problems if p.code == "extraction-of-excluded"]
    assert (p.is_error, p.location.key, p.location.line) == (False, "Klopper2010", 3)
    assert "excluded (at title-abstract" in p.message


def test_check_warns_of_an_extraction_entry_for_an_excluded_study(tmp_path: Path) -> None:
    import shutil

    from .conftest import FIXTURES
    from .conftest import invoke as run

    root = tmp_path / "review"
    shutil.copytree(FIXTURES / "screen" / "project", root)
    (root / "corpus" / "extraction.yaml").write_text(
        GOOD.replace("Harvey2014", "Klopper2010"), encoding="utf-8"
    )
    code, out, _err = run(root, "check")
    assert code == 0  # a warning (exit 1 with --strict)
    assert "extraction.yaml:3 [Klopper2010]: warning: extraction entry for 'Klopper2010'" in out


def test_a_linked_report_marked_with_another_relevance_than_its_study_is_a_warning(
    tmp_path: Path,
) -> None:
    # the tables group a linked report under its study's relevance, the CSV and the narrative
    # under its own: the two disagreed on the shipped review's Greener 2007 and Moore 2013
    text = (
        GOOD + "- key: Snow2013\n  relevance: related\n  report_of: Harvey2014\n  design: Survey\n"
        "  country: UK\n  key_findings: Same study.\n"
    )
    result = load_extraction(write(tmp_path, text), known_keys={"Harvey2014", "Snow2013"})
    [p] = result.problems
    assert (p.is_error, p.code, p.location.key, p.location.line) == (
        False,
        "report-of-relevance",
        "Snow2013",
        10,
    )
    assert "relevance: direct" in (p.hint or "")
