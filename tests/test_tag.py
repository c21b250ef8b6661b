"""Tagging: matching variants, scoring and threshold, evidence, overrides, coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.files.yamlio import load_yaml_text
from litreview.model import Record
from litreview.tag.engine import (
    Matcher,
    Override,
    coverage,
    load_overrides,
    parse_overrides,
    tag_records,
    unmatched_terms,
)
from litreview.tag.themes import Themes, load_themes, load_themes_text
from litreview.text.termmatch import fold_mapped

from .conftest import FIXTURES

PROJECT = FIXTURES / "tag" / "project"


def _themes(terms: str, threshold: float = 1.0, fields: str = "{title: 1, abstract: 1}") -> Themes:
    return load_themes_text(
        f"settings:\n  threshold: {threshold}\n  fields: {fields}\nthemes:\n"
        f"- id: t\n  label: T\n  terms: {terms}\n"
    )


def _tags(text: str, terms: str, **kw: object) -> tuple[str, ...]:
    result = tag_records([Record(key="K2020", title=text)], _themes(terms, **kw))  # type: ignore[arg-type]
    return result.themes_of("K2020")


# --- matching variants ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The manager said",
        "Two managers",
        "managerial work",
        "MANAGERIAL WORK",
        "the Manager's view",
    ],
)
def test_wildcard_matches_manager_managers_managerial(text: str) -> None:
    assert _tags(text, "['manag*']") == ("t",)


@pytest.mark.parametrize("text", ["organisation", "organization", "organisations", "Organizations"])
def test_ise_and_ize_spellings_and_plurals_match_each_other(text: str) -> None:
    assert _tags(f"A study of the {text}", "[organisation]") == ("t",)


@pytest.mark.parametrize(
    "text",
    [
        "doctor-manager relations",
        "doctor–manager relations",
        "doctor—manager relations",
        "doctor manager relations",
        "Doctor - Manager relations",
        "doctor‐managers",
        "doctors-managers",
    ],
)
def test_phrase_words_may_be_joined_by_any_dash_or_space(text: str) -> None:
    assert _tags(text, "[doctor manager]") == ("t",)


@pytest.mark.parametrize(
    "text", ["Médecins gestionnaires", "MEDECINS GESTIONNAIRES", "me\u0301decins gestionnaires"]
)
def test_matching_ignores_case_and_accents(text: str) -> None:
    assert _tags(text, "[médecin gestionnaire]") == ("t",)


@pytest.mark.parametrize(
    "text", ["the trustee board", "entrust the work", "distrustful", "doctor, manager"]
)
def test_terms_match_whole_words_only_and_not_across_punctuation(text: str) -> None:
    assert _tags(text, "[trust, doctor manager]") == ()


def test_singular_term_matches_plural_and_plural_term_matches_singular() -> None:
    assert _tags("stereotype of managers", "[stereotypes]") == ("t",)
    assert _tags("two policies", "[policy]") == ("t",)
    assert _tags("one policy", "[policies]") == ("t",)


def test_explicit_variants_count_as_the_term() -> None:
    result = tag_records(
        [Record(key="K", title="A mistrust of managers")],
        _themes("[{term: trust, variants: [mistrust, distrust]}]"),
    )
    (tag,) = result.records["K"].themes
    assert [(e.term, e.phrase) for e in tag.evidence] == [("trust", "mistrust")]


def test_the_longest_phrase_wins_over_a_word_inside_it() -> None:
    themes = load_themes_text(
        "settings: {threshold: 1, fields: [title]}\nthemes:\n"
        "- {id: a, label: A, terms: [clinical director]}\n- {id: b, label: B, terms: [director]}\n"
    )
    result = tag_records([Record(key="K", title="The clinical director role")], themes)
    assert result.themes_of("K") == ("a",)


def test_all_terms_are_compiled_into_one_pattern() -> None:
    matcher = Matcher(load_themes(PROJECT / "themes.yaml"))
    assert matcher.pattern is not None
    assert "clinical" in matcher.pattern.pattern and "eorgani[sz]ation" in matcher.pattern.pattern
    found = matcher.find("A clinical director under new public management")
    assert [(s, e) for _, s, e in found] == [(2, 19), (26, 47)]


@given(st.text(alphabet="aeéoœßæ -–—.ÀÉ,xyz", max_size=40))
def test_folding_keeps_a_position_map_back_to_the_original(text: str) -> None:
    folded, offsets = fold_mapped(text)
    if offsets is None:
        assert len(folded) == len(text)
    else:
        assert len(offsets) == len(folded) + 1
        assert offsets == sorted(offsets) and offsets[-1] == len(text)


def test_evidence_phrase_and_snippet_come_from_the_original_text_with_accents() -> None:
    rec = Record(key="K", title="Straße und Ärzte: die Gestionnaires de l'hôpital")
    result = tag_records([rec], _themes("[gestionnaire, hopital]"))
    phrases = sorted(e.phrase for e in result.records["K"].themes[0].evidence)
    assert phrases == ["Gestionnaires", "hôpital"]


# --- scoring and threshold -----------------------------------------------------------------------


def test_score_is_the_sum_of_distinct_term_weights_times_field_weight() -> None:
    themes = _themes(
        "[{term: reform, weight: 2}, reorganisation]", threshold=3, fields="{title: 2, abstract: 1}"
    )
    rec = Record(key="K", title="Reform and more reform", abstract="reorganisation, reorganisation")
    (tag,) = tag_records([rec], themes).records["K"].themes
    assert tag.score == 2 * 2 + 1 * 1  # reform once (in the title), reorganisation once
    assert [(e.term, e.field, e.weight) for e in tag.evidence] == [
        ("reform", "title", 4.0),
        ("reorganisation", "abstract", 1.0),
    ]


def test_below_threshold_no_theme_at_threshold_theme() -> None:
    assert _tags("reform", "[reform]", threshold=1.5) == ()
    assert _tags("reform", "[reform]", threshold=1.0) == ("t",)


def test_a_theme_threshold_overrides_the_file_threshold() -> None:
    themes = load_themes(PROJECT / "themes.yaml")
    # 'tension' in a note scores 1: enough for frictions (threshold 1), not for context (2)
    rec = Record(key="K", extra=(("note", "tension; a reform"),))
    assert tag_records([rec], themes).themes_of("K") == ("frictions",)


def test_negative_terms_count_against_the_theme() -> None:
    themes = load_themes(PROJECT / "themes.yaml")
    plain = Record(key="A", title="New public management")
    against = Record(key="B", title="New public management and screening policy")
    result = tag_records([plain, against], themes)
    assert result.themes_of("A") == ("context",) and result.themes_of("B") == ()


def test_fields_not_listed_in_settings_are_not_read() -> None:
    rec = Record(key="K", container="Reform Quarterly")
    assert tag_records([rec], _themes("[reform]")).themes_of("K") == ()


def test_annotation_fields_in_extra_are_read_when_listed() -> None:
    rec = Record(key="K", extra=(("design", "interviews about reform"),))
    assert tag_records([rec], _themes("[reform]", fields="[design]")).themes_of("K") == ("t",)


def test_keys_limit_which_records_are_tagged() -> None:
    recs = [Record(key="A", title="reform"), Record(key="B", title="reform")]
    assert list(tag_records(recs, _themes("[reform]"), keys=["B"]).records) == ["B"]


# --- overrides -----------------------------------------------------------------------------------


def _fixture_result() -> tuple[Themes, list[Record]]:
    from litreview.corpus.store import load_corpus

    themes = load_themes(PROJECT / "themes.yaml")
    return themes, list(load_corpus(PROJECT / "corpus" / "records.bib", use_cache=False).records)


def test_overrides_add_and_remove_themes_and_are_shown_as_overrides() -> None:
    themes, records = _fixture_result()
    overrides, problems = load_overrides(
        PROJECT / "corpus" / "theme-overrides.yaml", [r.key for r in records], themes
    )
    assert problems == []
    result = tag_records(records, themes, overrides)
    gamma = result.records["Gamma2014"]
    assert [(t.theme, t.source, t.reviewer) for t in gamma.themes] == [
        ("frictions", "override", "R1")
    ]
    assert gamma.rule_ids == ()
    alpha = result.records["Alpha2010"]
    assert alpha.ids == ()
    (removal,) = alpha.removed
    assert (removal.theme, removal.by_rule, removal.reviewer, removal.note) == (
        "bridging",
        True,
        "R2",
        "about nurses, not doctors",
    )
    assert removal.score == 6.0 and removal.evidence  # the rule's score and evidence are kept
    assert alpha.rule_ids == ("bridging",)
    beta = result.records["Beta2012"]
    assert [(t.theme, t.source) for t in beta.themes] == [
        ("context", "rule"),
        ("frictions", "rule"),
    ]


def test_adding_a_theme_the_rule_already_gave_keeps_source_rule_and_records_the_person() -> None:
    themes, records = _fixture_result()
    result = tag_records(
        records, themes, [Override("Beta2012", add=("context",), reviewer="R3", note="yes")]
    )
    (context, _) = result.records["Beta2012"].themes
    assert (context.source, context.reviewer, context.note) == ("rule", "R3", "yes")


def test_an_override_for_a_record_not_tagged_is_a_warning() -> None:
    themes, records = _fixture_result()
    result = tag_records(
        records,
        themes,
        [Override("Gamma2014", add=("context",), path="o.yaml", line=3)],
        keys=["Alpha2010"],
    )
    assert [str(p) for p in result.problems] == [
        "o.yaml:3 [Gamma2014]: warning: override for Gamma2014, which is not among the records tagged"
        " (it applies once the record is included, or with --all)"
    ]


def _override_errors(text: str) -> list[str]:
    themes = load_themes(PROJECT / "themes.yaml")
    _, problems = parse_overrides(
        load_yaml_text(text, "o.yaml"), "o.yaml", ["Alpha2010", "Beta2012"], themes
    )
    return [str(p) for p in problems]


def test_override_with_unknown_theme_is_an_error_with_did_you_mean() -> None:
    errors = _override_errors("version: 1\noverrides:\n- key: Alpha2010\n  add: [contxt]\n")
    assert errors == [
        "o.yaml:4 [Alpha2010]: error: unknown theme 'contxt' (did you mean 'context'?)"
    ]


def test_override_for_a_key_not_in_the_corpus_is_an_error() -> None:
    errors = _override_errors("version: 1\noverrides:\n- key: Alpha2011\n  add: [context]\n")
    assert errors == [
        "o.yaml:3 [Alpha2011]: error: no record 'Alpha2011' in the corpus (did you mean 'Alpha2010'?)"
    ]


def test_override_with_unknown_item_key_is_an_error() -> None:
    errors = _override_errors(
        "version: 1\noverrides:\n- key: Alpha2010\n  add: [context]\n  reviwer: R1\n"
    )
    assert errors == [
        "o.yaml:5 [Alpha2010]: error: unknown key 'reviwer' (did you mean 'reviewer'?)"
    ]


def test_override_adding_and_removing_one_theme_is_an_error() -> None:
    errors = _override_errors(
        "overrides:\n- key: Alpha2010\n  add: [context]\n- key: Alpha2010\n  remove: [context]\n"
    )
    assert errors == [
        "o.yaml:5 [Alpha2010]: error: theme 'context' is both added and removed for Alpha2010"
        " (other entry on line 3)"
    ]


def test_removing_an_unknown_theme_is_an_error_with_did_you_mean() -> None:
    errors = _override_errors(
        "version: 1\noverrides:\n- key: Beta2012\n  remove: [frictons]\n  note: x\n"
    )
    assert errors == [
        "o.yaml:4 [Beta2012]: error: unknown theme 'frictons' (did you mean 'frictions'?)"
    ]


def test_adding_and_removing_one_theme_in_one_entry_is_an_error() -> None:
    errors = _override_errors(
        "overrides:\n- key: Beta2012\n  add: [context]\n  remove: [context]\n"
    )
    assert errors == [
        "o.yaml:4 [Beta2012]: error: theme 'context' is both added and removed for Beta2012"
        " (other entry on line 3)"
    ]


def test_an_override_for_a_merged_record_applies_to_the_survivor() -> None:
    themes = load_themes(PROJECT / "themes.yaml")
    data = load_yaml_text(
        "overrides:\n- key: Beta2012x\n  remove: [frictions]\n  reviewer: R1\n"
        "- key: Beta2013\n  add: [context]\n",
        "o.yaml",
    )
    overrides, problems = parse_overrides(
        data, "o.yaml", ["Alpha2010", "Beta2012"], themes, {"Beta2012x": "Beta2012"}
    )
    (o,) = overrides
    assert (o.key, o.alias, o.remove) == ("Beta2012", "Beta2012x", ("frictions",))
    # a key no merge leads to stays an error with its line
    assert [str(p) for p in problems] == [
        "o.yaml:5 [Beta2013]: error: no record 'Beta2013' in the corpus (did you mean 'Beta2012'?)"
    ]
    _, records = _fixture_result()
    beta = tag_records(records, themes, overrides).records["Beta2012"]
    assert beta.ids == ("context",) and [r.theme for r in beta.removed] == ["frictions"]


def test_override_that_does_nothing_is_a_warning() -> None:
    assert _override_errors("overrides:\n- key: Alpha2010\n  reviewer: R1\n") == [
        "o.yaml:2 [Alpha2010]: warning: override adds and removes nothing"
    ]


def test_missing_overrides_file_is_no_overrides(tmp_path: Path) -> None:
    themes = load_themes(PROJECT / "themes.yaml")
    assert load_overrides(tmp_path / "none.yaml", [], themes) == ((), [])


# --- coverage and checks -------------------------------------------------------------------------


def test_coverage_matrix_counts_untagged_and_sparse_themes() -> None:
    themes, records = _fixture_result()
    overrides, _ = load_overrides(
        PROJECT / "corpus" / "theme-overrides.yaml", [r.key for r in records], themes
    )
    cov = coverage(tag_records(records, themes, overrides))
    assert cov.keys == ("Alpha2010", "Beta2012", "Gamma2014")
    assert [cov.count(t) for t in cov.themes] == [0, 1, 2]
    assert cov.count_by("frictions", "override") == 1 and cov.count_by("frictions", "rule") == 1
    assert cov.untagged == ("Alpha2010",)
    assert cov.sparse == ("bridging", "context")
    # a theme a person removed is shown as such, and never counted as carried
    assert cov.rows() == [
        ["key", "bridging", "context", "frictions"],
        ["Alpha2010", "removed", "", ""],
        ["Beta2012", "", "rule", "rule"],
        ["Gamma2014", "", "", "override"],
    ]
    assert cov.count_removed("bridging") == 1 and cov.count("bridging") == 0
    data = cov.as_dict()
    assert data["version"] == 1 and data["untagged"] == ["Alpha2010"]
    assert data["removed"] == {"Alpha2010": ["bridging"]}
    assert [t["removed_by_override"] for t in data["themes"]] == [1, 0, 0]


def test_coverage_of_chosen_keys_only() -> None:
    themes, records = _fixture_result()
    cov = coverage(tag_records(records, themes), keys=["Beta2012"])
    assert cov.keys == ("Beta2012",) and cov.untagged == ()


def test_result_as_dict_has_a_version_and_sources() -> None:
    themes, records = _fixture_result()
    data = tag_records(records, themes).as_dict()
    assert data["version"] == 1
    beta = next(r for r in data["records"] if r["key"] == "Beta2012")
    assert {t["theme"]: t["source"] for t in beta["themes"]} == {
        "context": "rule",
        "frictions": "rule",
    }
    assert beta["themes"][0]["evidence"][0].keys() >= {"term", "phrase", "field", "snippet"}


def test_terms_matching_nothing_are_warnings_with_their_line() -> None:
    themes, records = _fixture_result()
    found = {(p.location.line, p.location.key, p.message) for p in unmatched_terms(themes, records)}
    assert (16, "bridging", "term 'doctor manager' matches nothing in the corpus") in found
    assert all("reorganisation" not in m for _, _, m in found)


def test_tagging_is_independent_of_record_order() -> None:
    themes, records = _fixture_result()
    assert tag_records(records, themes).as_dict() == tag_records(records[::-1], themes).as_dict()
