"""themes.yaml: the validated model, and every validation error with its file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.errors import ConfigError
from litreview.files.yamlio import load_yaml_text
from litreview.model import Problem
from litreview.tag.themes import DEFAULT_THRESHOLD, load_themes, load_themes_text, parse_themes

from .conftest import FIXTURES, ROOT

#: the screening fixture's protocol with a criterion's term list replaced by one term, TERM
PROTOCOL_WITH_TERM = (
    (FIXTURES / "screen" / "project" / "review.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "include_terms: [doctor and manager, doctor-manager, clinical director]",
        "include_terms: [TERM]",
    )
)

GOOD = """\
version: 1
settings:
  threshold: 1.5
  fields: {title: 2, note: 1}
themes:
- id: bridging
  label: Doctor–managers
  terms: [clinical director, {term: hybrid, weight: 2, variants: [hybridity]}]
- id: context
  label: Policy
  terms: [reform]
  negative: [screening policy]
  threshold: 3
"""


def _problems(text: str) -> list[Problem]:
    _, problems = parse_themes(load_yaml_text(text, "themes.yaml"), "themes.yaml")
    return problems


def _errors(text: str) -> list[str]:
    return [str(p) for p in _problems(text) if p.is_error]


def test_valid_file_gives_themes_terms_weights_and_settings() -> None:
    themes = load_themes_text(GOOD)
    assert themes.ids == ("bridging", "context")
    bridging, context = themes.themes
    assert [t.text for t in bridging.terms] == ["clinical director", "hybrid"]
    assert bridging.terms[1].weight == 2.0 and bridging.terms[1].variants == ("hybridity",)
    assert [t.text for t in context.negative] == ["screening policy"]
    assert themes.settings.fields == (("title", 2.0), ("note", 1.0))
    assert themes.threshold_of(bridging) == 1.5 and themes.threshold_of(context) == 3.0


def test_settings_default_when_absent() -> None:
    themes = load_themes_text("themes:\n- id: a\n  label: A\n  terms: [x y]\n")
    assert themes.settings.threshold == DEFAULT_THRESHOLD
    assert ("title", 2.0) in themes.settings.fields


def test_unknown_theme_key_is_an_error_with_line_and_did_you_mean() -> None:
    text = "themes:\n- id: a\n  label: A\n  trems: [x]\n  terms: [x]\n"
    assert _errors(text) == [
        "themes.yaml:4 [a]: error: unknown key 'trems' (did you mean 'terms'?)"
    ]


def test_unknown_top_level_and_settings_keys_are_errors() -> None:
    text = "themse: 1\nsettings:\n  treshold: 2\nthemes:\n- id: a\n  label: A\n  terms: [x]\n"
    errors = _errors(text)
    assert (
        "themes.yaml:1 [themse]: error: unknown key 'themse' in the themes file (did you mean 'themes'?)"
        in errors
    )
    assert (
        "themes.yaml:3 [settings]: error: unknown key 'treshold' (did you mean 'threshold'?)"
        in errors
    )


def test_unknown_term_key_is_an_error() -> None:
    text = "themes:\n- id: a\n  label: A\n  terms:\n  - {term: x, wieght: 2}\n"
    assert _errors(text) == [
        "themes.yaml:5 [a]: error: unknown key 'wieght' (did you mean 'weight'?)"
    ]


def test_duplicate_theme_id_is_an_error_pointing_at_both_lines() -> None:
    text = "themes:\n- id: a\n  label: A\n  terms: [x]\n- id: a\n  label: B\n  terms: [y]\n"
    assert _errors(text) == [
        "themes.yaml:5 [a]: error: duplicate theme id 'a' (first defined on line 2)"
    ]


@pytest.mark.parametrize("terms", ["  terms: []\n", "", "  terms:\n"])
def test_theme_without_terms_is_an_error(terms: str) -> None:
    text = "themes:\n- id: a\n  label: A\n" + terms
    errors = _errors(text)
    assert len(errors) == 1 and "[a]: error: theme has" in errors[0] and "terms" in errors[0]


def test_all_errors_of_a_file_are_reported_together() -> None:
    text = (
        "themes:\n- id: a\n  label: A\n  terms: []\n- id: Bad Id\n  label: B\n  terms: [x]\n"
        "- id: c\n  terms: [x]\n  threshold: -1\n"
    )
    with pytest.raises(ConfigError) as exc:
        load_themes_text(text)
    codes = sorted(p.code for p in exc.value.problems)
    assert codes == ["bad-threshold", "theme-id", "theme-label", "theme-no-terms"]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("{term: x, weight: 0}", "term weight must be a number above 0"),
        ("{term: x, weight: yes}", "term weight must be a number above 0"),
        ("'--'", "has no letters or digits"),
        ("'ma*nager'", "'*' may only end a word"),
        ("'ab*'", "needs at least 3 letters"),
        ("{weight: 2}", "term mapping has no 'term' phrase"),
    ],
)
def test_bad_terms_are_errors(item: str, message: str) -> None:
    errors = _errors(f"themes:\n- id: a\n  label: A\n  terms:\n  - {item}\n")
    assert len(errors) == 1 and message in errors[0] and errors[0].startswith("themes.yaml:5 [a]")


def test_bad_field_weight_and_unknown_version_are_errors() -> None:
    text = (
        "version: 2\nsettings:\n  fields: {title: 0}\nthemes:\n- id: a\n  label: A\n  terms: [x]\n"
    )
    errors = _errors(text)
    assert (
        "themes.yaml:1 [version]: error: unsupported version 2 of the themes file (this litreview reads version 1)"
        in errors
    )
    assert any("weight of field 'title' must be a number above 0" in e for e in errors)


def test_a_term_listed_twice_is_a_warning_not_an_error() -> None:
    problems = _problems("themes:\n- id: a\n  label: A\n  terms: [Reform, reform]\n")
    assert [(p.severity.value, p.code) for p in problems] == [("warning", "term-duplicate")]


@pytest.mark.parametrize(
    ("a", "b", "twice"),
    [
        ("doctor/manager", "doctor manager", True),  # the engine matches both the same way
        ("doctor–manager", "Doctor-Manager", True),
        ("manager", "managers", False),  # different words, though both find "managers": not flagged
    ],
)
def test_a_duplicate_term_is_one_the_engine_would_match_the_same_way(
    a: str, b: str, twice: bool
) -> None:
    problems = _problems(f"themes:\n- id: a\n  label: A\n  terms: ['{a}', '{b}']\n")
    assert [p.code for p in problems] == (["term-duplicate"] if twice else [])


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n- id: a\n  label: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_themes(path, "themes.yaml")
    assert exc.value.problems[0].location.path == "themes.yaml"
    assert exc.value.problems[0].location.line is not None


def test_shipped_themes_file_has_the_six_reference_themes() -> None:
    themes = load_themes(ROOT / "themes.yaml")
    assert themes.ids == (
        "improving-worsening",
        "shared-perspectives",
        "managing-doctors",
        "doctors-response",
        "doctor-managers",
        "policy-context",
    )
    assert all(t.question and t.description and t.terms for t in themes.themes)


def test_fixture_themes_file_is_valid() -> None:
    themes = load_themes(FIXTURES / "tag" / "project" / "themes.yaml")
    assert themes.ids == ("bridging", "context", "frictions")


def test_one_threshold_says_which_themes_are_gaps_and_the_review_sets_it(tmp_path: Path) -> None:
    from litreview.tag.themes import DEFAULT_MIN_STUDIES, few_studies
    from litreview.workflow import status

    from .conftest import copy_of_shipped_review, invoke

    assert DEFAULT_MIN_STUDIES == 3
    assert [few_studies(n) for n in (0, 1, 2, 3)] == [True, True, True, False]
    assert [few_studies(n, 2) for n in (0, 1, 2)] == [True, True, False]
    assert status.few_studies is few_studies
    # the narrative, `status` and `litreview themes` all read themes.yaml's min_studies
    root = copy_of_shipped_review(tmp_path / "review")
    themes = root / "themes.yaml"
    themes.write_text(
        themes.read_text(encoding="utf-8").replace("min_studies: 3", "min_studies: 17"),
        encoding="utf-8",
    )
    assert invoke(root, "render", "--format", "md")[0] == 0
    narrative = (root / "build" / "narrative.md").read_text(encoding="utf-8")
    assert "> **Gap:** only 15 studies address this theme." in narrative
    _, out, _ = invoke(root, "status")
    assert "themes with fewer than 17 studies (" in out and "improving-worsening" in out
    _, out, _ = invoke(root, "themes")
    assert "themes with fewer than 17 studies:" in out and "improving-worsening" in out


@pytest.mark.parametrize("term", ["ab*", "ma*nager", "*", "--", " ".join(["w"] * 40)])
def test_a_term_refused_by_themes_yaml_is_refused_by_review_yaml_with_the_same_reason(
    term: str,
) -> None:
    from litreview.protocol import load_protocol_text
    from litreview.text.termmatch import term_problem

    reason = term_problem(term)
    assert reason is not None
    themed = _errors(f"themes:\n- id: a\n  label: A\n  terms:\n  - {term!r}\n")
    assert len(themed) == 1 and reason in themed[0]
    with pytest.raises(ConfigError) as exc:
        load_protocol_text(PROTOCOL_WITH_TERM.replace("TERM", repr(term)))
    assert any(reason in p.message for p in exc.value.problems)


def test_screening_and_tagging_find_the_same_words_for_the_same_term() -> None:
    """One engine: plurals, -ise/-ize, wildcards in any word and slashes between words match
    alike in review.yaml's criteria and in themes.yaml's themes."""
    from litreview.tag.engine import Matcher
    from litreview.text.termmatch import TermMatcher, prepare

    terms = ["organisation", "clinical lead*", "doctor manager", "policy"]
    text = "Organizations and clinical leadership; a doctor/manager role; two policies."
    themes = load_themes_text("themes:\n- id: a\n  label: A\n  terms: [" + ", ".join(terms) + "]\n")
    tagged = sorted(text[s:e].lower() for _, s, e in Matcher(themes).find(text))
    screened = sorted(m.group(0) for m in TermMatcher(terms).finditer(prepare(text)))
    assert (
        tagged == screened == ["clinical leadership", "doctor/manager", "organizations", "policies"]
    )
