"""`litreview tag`, `litreview themes`, `litreview themes check` through CliRunner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import FIXTURES
from .conftest import invoke as _run

PROJECT = FIXTURES / "tag" / "project"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    shutil.copytree(PROJECT, root)
    return root


def test_tag_without_screening_tags_every_record_and_says_so(tmp_path: Path) -> None:
    code, out, err = _run(_project(tmp_path), "tag")
    assert code == 0
    assert "no review.yaml: tagging every record (pass --all to say so)" in err
    assert "Beta2012: context, frictions\n" in out
    assert "Gamma2014: frictions (override)\n" in out
    assert "  bridging removed by R2 (override; rule score 6): about nurses, not doctors\n" in out


def test_tag_json_carries_sources_evidence_and_version(tmp_path: Path) -> None:
    code, out, _ = _run(_project(tmp_path), "tag", "--all", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["version"] == 1 and data["scope"] == "every record"
    records = {r["key"]: r for r in data["records"]}
    assert [t["source"] for t in records["Gamma2014"]["themes"]] == ["override"]
    assert records["Alpha2010"]["removed"][0]["source"] == "override"
    ev = records["Beta2012"]["themes"][0]["evidence"][0]
    assert ev["field"] == "title" and ev["phrase"] in ("Reorganisation", "reform")


def test_tag_key_shows_one_record(tmp_path: Path) -> None:
    code, out, err = _run(_project(tmp_path), "tag", "--all", "--key", "Beta2012")
    assert code == 0 and out.startswith("Beta2012:") and "Alpha2010" not in out + err


def test_tag_with_invalid_overrides_exits_2_with_file_and_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "corpus" / "theme-overrides.yaml").write_text(
        "version: 1\noverrides:\n- key: Beta2012\n  add: [contxt]\n", encoding="utf-8"
    )
    code, out, err = _run(root, "tag", "--all")
    assert code == 2 and out == ""
    assert err == (
        "corpus/theme-overrides.yaml:4 [Beta2012]: error: unknown theme 'contxt'"
        " (did you mean 'context'?)\n"
    )


def test_tag_with_invalid_themes_exits_2(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "themes.yaml").write_text(
        "themes:\n- id: a\n  label: A\n  terms: []\n", encoding="utf-8"
    )
    code, _, err = _run(root, "tag", "--all")
    assert code == 2 and err.startswith("themes.yaml:4 [a]: error: theme has an empty term list")


def test_themes_prints_matrix_counts_and_untagged(tmp_path: Path) -> None:
    code, out, _ = _run(_project(tmp_path), "themes")
    assert code == 0
    assert (
        "Beta2012" in out and "frictions: 2 studies (1 by terms, 1 by override) — Frictions" in out
    )
    assert "studies with no theme (1): Alpha2010" in out
    assert "themes with fewer than 2 studies: bridging, context" in out


def test_themes_csv_is_the_matrix(tmp_path: Path) -> None:
    code, out, _ = _run(_project(tmp_path), "themes", "--csv")
    assert code == 0
    assert out == (
        "key,bridging,context,frictions\nAlpha2010,removed,,\nBeta2012,,rule,rule\n"
        "Gamma2014,,,override\n"
    )


def test_tag_explain_shows_every_theme_with_threshold_and_overrides(tmp_path: Path) -> None:
    root = _project(tmp_path)
    code, out, _ = _run(root, "tag", "--explain", "Alpha2010")
    assert code == 0
    assert out.splitlines()[:2] == [
        "Alpha2010: no theme",
        "  bridging [Doctor–managers] score 6 / threshold 2: assigned by the terms; removed by R2 (override):"
        " about nurses, not doctors",
    ]
    assert "  context [Policy context] score 0 / threshold 2: below the threshold\n" in out
    code, out, _ = _run(root, "tag", "--explain", "Gamma2014", "--json")
    frictions = json.loads(out)["themes"][2]
    assert code == 0 and (frictions["override"], frictions["assigned"], frictions["by_rule"]) == (
        "added",
        True,
        False,
    )
    code, _, err = _run(root, "tag", "--explain", "Beta2013")
    assert code == 2 and "no record 'Beta2013' in the corpus" in err


def test_tag_explain_on_a_key_a_merge_absorbed_explains_its_survivor(tmp_path: Path) -> None:
    # it used to say "no record 'Alpha2010x' in the corpus" and exit 2, and its "did you mean"
    # may name another record than the one that absorbed it
    root = _project(tmp_path)
    (root / "corpus" / "duplicates.yaml").write_text(
        "version: 1\nmerges:\n- survivor: Alpha2010\n  reason: same DOI\n  before: |\n"
        "    @article{Alpha2010, title = {A}}\n  absorbed:\n  - key: Alpha2010x\n"
        "    entry: |\n      @article{Alpha2010x, title = {A}}\n",
        encoding="utf-8",
    )
    code, out, err = _run(root, "tag", "--explain", "Alpha2010x")
    assert code == 0, err
    assert "Alpha2010x was merged into Alpha2010 by dedupe: explaining Alpha2010" in err
    assert out.splitlines()[0] == "Alpha2010: no theme"
    code, out, _ = _run(root, "tag", "--explain", "Alpha2010x", "--json")
    assert code == 0 and json.loads(out)["key"] == "Alpha2010"
    # the key asked for, as `screen --explain --json` gives it: the info line is not on stdout
    assert json.loads(out)["merged_from"] == "Alpha2010x"
    code, out, _ = _run(root, "tag", "--explain", "Alpha2010", "--json")
    assert code == 0 and "merged_from" not in json.loads(out)


def test_themes_matrix_shows_removals_as_overrides(tmp_path: Path) -> None:
    code, out, _ = _run(_project(tmp_path), "themes")
    assert code == 0
    assert "Alpha2010     x         .         .    \n" in out
    assert "bridging: 0 studies (0 by terms, 0 by override; removed from 1 by override) — " in out


def test_an_override_naming_a_merged_record_applies_to_the_survivor(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "corpus" / "duplicates.yaml").write_text(
        "version: 1\nmerges:\n- survivor: Beta2012\n  reason: same DOI\n  before: '@article{Beta2012}'\n"
        "  absorbed:\n  - key: Beta2012x\n    entry: '@article{Beta2012x}'\n",
        encoding="utf-8",
    )
    (root / "corpus" / "theme-overrides.yaml").write_text(
        "version: 1\noverrides:\n- key: Beta2012x\n  remove: [context]\n  reviewer: R3\n",
        encoding="utf-8",
    )
    code, out, err = _run(root, "tag", "--all", "--key", "Beta2012")
    assert code == 0
    assert (
        "corpus/theme-overrides.yaml:3: info: the override for Beta2012x applies to Beta2012, "
        "which absorbed it in a dedupe merge"
    ) in err
    assert (
        out.startswith("Beta2012: frictions\n")
        and "  context removed by R3 (override; rule score" in out
    )


def test_themes_json_has_counts_and_version(tmp_path: Path) -> None:
    code, out, _ = _run(_project(tmp_path), "themes", "--json")
    data = json.loads(out)
    assert code == 0 and data["version"] == 1
    assert {t["id"]: t["studies"] for t in data["themes"]} == {
        "bridging": 0,
        "context": 1,
        "frictions": 2,
    }
    assert data["untagged"] == ["Alpha2010"]


def test_themes_check_valid_file_reports_unmatched_terms_as_warnings(tmp_path: Path) -> None:
    code, out, err = _run(_project(tmp_path), "themes", "check")
    assert code == 0
    assert (
        "themes.yaml:16 [bridging]: warning: term 'doctor manager' matches nothing in the corpus"
        in err
    )
    assert out.startswith("themes.yaml: 3 themes, 0 errors, ")


def test_themes_check_strict_exits_1_on_warnings(tmp_path: Path) -> None:
    code, _, _ = _run(_project(tmp_path), "themes", "check", "--strict")
    assert code == 1


def test_themes_check_errors_exit_1_with_file_line_and_did_you_mean(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "themes.yaml").write_text(
        "themes:\n- id: a\n  label: A\n  trems: [x]\n  terms: [x]\n- id: a\n  label: B\n  terms: []\n",
        encoding="utf-8",
    )
    code, out, err = _run(root, "themes", "check")
    assert code == 1
    assert err.splitlines() == [
        "themes.yaml:4 [a]: error: unknown key 'trems' (did you mean 'terms'?)",
        "themes.yaml:8 [a]: error: theme has an empty term list (list the phrases that signal this theme under 'terms')",
    ]
    assert "2 errors" in out


def test_themes_check_duplicate_id_json(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "themes.yaml").write_text(
        "themes:\n- id: a\n  label: A\n  terms: [x]\n- id: a\n  label: B\n  terms: [y]\n",
        encoding="utf-8",
    )
    code, out, _ = _run(root, "themes", "check", "--json")
    data = json.loads(out)
    assert code == 1 and data["version"] == 1 and data["errors"] == 1
    assert (data["problems"][0]["line"], data["problems"][0]["code"]) == (5, "theme-duplicate")


def test_themes_check_yaml_syntax_error_exits_2(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "themes.yaml").write_text("themes: [\n", encoding="utf-8")
    code, _, err = _run(root, "themes", "check")
    assert code == 2 and err.startswith("themes.yaml:")


def test_tag_key_of_a_record_that_is_not_included_says_so_instead_of_showing_nothing(
    tmp_path: Path,
) -> None:
    from .conftest import copy_of_shipped_review

    root = copy_of_shipped_review(tmp_path / "shipped")
    _, out, _ = _run(root, "screen", "--json")
    results = json.loads(out)["results"]
    excluded = next(r["key"] for r in results if r["outcome"] == "excluded")
    included = next(r["key"] for r in results if r["outcome"] == "included")
    code, out, err = _run(root, "tag", "--key", excluded, "--key", included)
    assert code == 0 and out.startswith(f"{included}:") and excluded not in out
    assert (
        f"{excluded} is not among the included studies, so it is not tagged "
        f"(`litreview tag --all --key {excluded}` tags it)"
    ) in err
    # a key the corpus does not have gets a did-you-mean, as --explain gives
    code, _, err = _run(root, "tag", "--key", included + "x")
    assert (
        code == 2 and f"no record '{included}x' in the corpus (did you mean '{included}'?)" in err
    )
