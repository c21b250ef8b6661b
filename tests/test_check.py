"""`litreview check`: each check with a broken fixture, its exact message and the exit code.

Every fixture is a copy of the shipped review (which passes) with one thing broken, so a
failure names exactly what that one change should have triggered. Exit codes: 0 clean,
1 findings, 2 cannot run.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.cli.check import github_annotation
from litreview.model import Location, Problem, Severity

from .conftest import ROOT, copy_of_shipped_review


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_of_shipped_review(tmp_path / "review")


def run(root: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["-C", str(root), "check", *args])


def lines_of(result: Any) -> list[str]:
    return [line.strip() for line in result.stdout.splitlines()]


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def _edit_entry(repo: Path, key: str, old: str, new: str) -> None:
    path = repo / "corpus" / "records.bib"
    text = path.read_text(encoding="utf-8")
    start = text.index("{" + key + ",")
    end = text.index("\n}\n", start)
    assert old in text[start:end]
    path.write_text(
        text[:start] + text[start:end].replace(old, new, 1) + text[end:], encoding="utf-8"
    )


def _append_entry(repo: Path, entry: str) -> None:
    path = repo / "corpus" / "records.bib"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")


BIB = "corpus/records.bib"


# --- the shipped review ----------------------------------------------------------------------------


def test_shipped_review_passes_with_no_findings(repo: Path) -> None:
    result = run(repo)
    assert result.exit_code == 0, result.output
    assert lines_of(result) == ["checked 12 files: 0 errors, 0 warnings"]


def test_shipped_review_passes_strict(repo: Path) -> None:
    assert run(repo, "--strict").exit_code == 0


def test_a_new_review_from_init_passes_with_a_warning(tmp_path: Path) -> None:
    init = CliRunner().invoke(cli, ["init", str(tmp_path / "new")])
    assert init.exit_code == 0, init.output
    result = run(tmp_path / "new")
    assert result.exit_code == 0, result.output
    assert (
        "corpus/records.bib: warning: no records yet (import an export: litreview import FILE --source NAME)"
        in lines_of(result)
    )
    assert run(tmp_path / "new", "--strict").exit_code == 1


def test_a_missing_search_export_is_named_with_advice_about_the_export(repo: Path) -> None:
    (repo / "corpus" / "searches" / "policy-websites.bib").unlink()
    result = run(repo)
    assert result.exit_code == 0, result.output  # a warning
    found = [line for line in lines_of(result) if "policy-websites.bib" in line]
    assert found == [
        f"review.yaml:{line_of(repo / 'review.yaml', '- id: policy-websites')} [policy-websites]: "
        "warning: search export corpus/searches/policy-websites.bib of source 'policy-websites' "
        "is missing (put the export there, or correct its path under the source's `files:`)"
    ]
    # not the advice for a missing review.yaml, which is there
    assert "litreview init" not in result.output


# --- the corpus on its own ---------------------------------------------------------------------------


def test_malformed_entry_is_an_error_at_its_line(repo: Path) -> None:
    bib = repo / BIB
    at = line_of(bib, "@article{Brown2011,")
    replace_in(bib, "@article{Brown2011,", "@article{Brown2011")
    result = run(repo)
    assert result.exit_code == 1
    assert (
        f"{BIB}:{at} [Brown2011]: error: malformed BibTeX entry: missing citation key or the "
        f"comma after it (near line {at})"
    ) in lines_of(result)


def test_an_entry_left_open_is_named_and_the_files_that_cite_it_are_not_told_it_is_missing(
    repo: Path,
) -> None:
    # a hand edit drops a closing brace: the entry's key is still plain to read, and the
    # decisions and narrative that name it name a record the corpus holds, not a typo (the
    # "did you mean 'Arndt2007'?" it used to give would have had a person rename them)
    bib = repo / BIB
    at = line_of(bib, "@article{Ackroyd2007,")
    _edit_entry(repo, "Ackroyd2007", "a comparative analysis},", "a comparative analysis,")
    result = run(repo)
    assert result.exit_code == 1, result.output
    lines = lines_of(result)
    assert any(
        line.startswith(f"{BIB}:{at} [Ackroyd2007]: error: malformed BibTeX entry:")
        for line in lines
    ), lines
    assert "Arndt2007" not in result.output
    assert "not in the corpus" not in result.output
    decisions = repo / "corpus" / "screening.yaml"
    assert (
        f"corpus/screening.yaml:{line_of(decisions, 'key: Ackroyd2007')} [Ackroyd2007]: warning: not "
        f"checked: 'Ackroyd2007' is an entry of {BIB} that does not parse (mend it at {BIB}:{at} "
        "first)"
    ) in lines
    assert result.stdout.rstrip().endswith("1 errors, 2 warnings")


def test_every_file_naming_an_entry_left_open_gets_not_checked_rather_than_a_missing_key(
    repo: Path,
) -> None:
    # the "not in the corpus" findings carry the key they say is missing as data, so each stored
    # file that names a record records.bib cannot read now is told so, whatever its wording
    (repo / "corpus" / "corrections.yaml").write_text(
        "version: 1\ncorrections:\n- key: Ackroyd2007\n  set:\n    year: 2007\n"
        "  why: the first page gives the year\n  reviewer: R1\n  date: '2026-12-07'\n",
        encoding="utf-8",
    )
    replace_in(
        repo / "corpus" / "duplicates.yaml",
        "decisions:\n",
        "decisions:\n- a: Ackroyd2007\n  b: Arndt2007\n  decision: different\n  reviewer: R1\n"
        "  date: '2026-12-07'\n",
    )
    extraction = repo / "corpus" / "extraction.yaml"
    text = extraction.read_text(encoding="utf-8")
    start = text.index("- key: Atkinson2011\n")
    study = text[start : text.index("\n- key:", start) + 1]
    extraction.write_text(
        text.replace(study, study + study.replace("Atkinson2011", "Ackroyd2007")), encoding="utf-8"
    )
    _edit_entry(repo, "Ackroyd2007", "a comparative analysis},", "a comparative analysis,")
    result = run(repo)
    assert result.exit_code == 1, result.output
    assert "not in the corpus" not in result.output
    told = {
        line.split(":", 1)[0]
        for line in lines_of(result)
        if "warning: not checked: 'Ackroyd2007' is an entry of" in line
    }
    for name in ("screening", "narrative", "corrections", "duplicates", "extraction"):
        assert f"corpus/{name}.yaml" in told, result.output


def test_a_decision_on_an_absorbed_key_is_not_called_a_typo_while_the_dedupe_log_is_broken(
    repo: Path,
) -> None:
    # with duplicates.yaml unreadable nothing said Harvey2014x was merged: the decision was
    # reported as a key "not in the corpus (did you mean ...?)", an error beside the log's own
    (repo / "corpus" / "screening").mkdir()
    (repo / "corpus" / "screening" / "R9.yaml").write_text(
        "version: 1\ndecisions:\n- key: Harvey2014x\n  stage: title-abstract\n"
        "  decision: include\n",
        encoding="utf-8",
    )
    assert run(repo).exit_code == 0
    (repo / "corpus" / "duplicates.yaml").write_text("version: 2\nmerges: [\n", encoding="utf-8")
    result = run(repo)
    assert result.exit_code == 1, result.output
    lines = lines_of(result)
    assert (
        "corpus/screening/R9.yaml:3 [Harvey2014x]: warning: not checked: 'Harvey2014x' was absorbed by a "
        "dedupe merge, and corpus/duplicates.yaml does not load (mend corpus/duplicates.yaml first)"
    ) in lines
    assert "not in the corpus" not in result.output
    assert result.stdout.rstrip().endswith("1 errors, 1 warnings")


def test_a_misspelt_entry_type_is_named_with_the_type_it_is_near(repo: Path) -> None:
    # `@artcle` was read without a word: the record became a type nothing knows, its required
    # fields unchecked
    at = line_of(repo / BIB, "@article{Brown2011,")
    replace_in(repo / BIB, "@article{Brown2011,", "@artcle{Brown2011,")
    result = run(repo)
    assert result.exit_code == 0, result.output  # a warning, as every finding on records.bib
    assert (
        f"{BIB}:{at} [Brown2011]: warning: entry type @artcle is not a BibTeX type "
        "(did you mean @article?)"
    ) in lines_of(result)
    assert run(repo, "--strict").exit_code == 1


def test_a_key_with_its_comma_missing_is_still_named(repo: Path) -> None:
    bib = repo / BIB
    at = line_of(bib, "@article{Ackroyd2007,")
    replace_in(bib, "@article{Ackroyd2007,", "@article{Ackroyd2007")
    result = run(repo)
    assert result.exit_code == 1
    assert (
        f"{BIB}:{at} [Ackroyd2007]: error: malformed BibTeX entry: missing citation key or the "
        f"comma after it (near line {at})"
    ) in lines_of(result)
    assert "not in the corpus" not in result.output


def _use_a_key_twice(repo: Path) -> tuple[int, str]:
    """Break the corpus the way only a hand edit can (an error, unlike what an export gives):
    the line reported and the message as annotations show it."""
    first = line_of(repo / BIB, "@article{Davies2003a,")
    _append_entry(
        repo,
        "@misc{Davies2003a,\n  title = {A second entry under a taken key},\n  year = {2003},\n}\n",
    )
    second = line_of(repo / BIB, "@misc{Davies2003a,")
    return second, (
        f"citation key 'Davies2003a' is used twice (also line {first}) [Davies2003a] "
        "(give one of them its own key)"
    )


def test_duplicate_key_is_an_error_at_the_second_entry_naming_the_first(repo: Path) -> None:
    bib = repo / BIB
    first = line_of(bib, "@article{Davies2003a,")
    second = line_of(bib, "@article{Brown2011,")
    replace_in(bib, "@article{Brown2011,", "@article{Davies2003a,")
    result = run(repo)
    assert result.exit_code == 1
    assert (
        f"{BIB}:{max(first, second)} [Davies2003a]: error: citation key 'Davies2003a' is used twice "
        f"(also line {min(first, second)}) (give one of them its own key)"
    ) in lines_of(result)


def test_badly_shaped_key_warns_and_fails_only_strict(repo: Path) -> None:
    _append_entry(
        repo,
        "@misc{brown_2011,\n  title = {Notes on nothing in particular},\n  year = {2020},\n}\n",
    )
    at = line_of(repo / BIB, "@misc{brown_2011,")
    result = run(repo)
    assert result.exit_code == 0, result.output
    assert (
        f"{BIB}:{at} [brown_2011]: warning: citation key 'brown_2011' is not of the form Surname2003a"
        in lines_of(result)
    )
    assert run(repo, "--strict").exit_code == 1


@pytest.mark.parametrize(
    ("field", "pattern"),
    [
        ("title", r"\n  title = \{[^}]*\},"),
        ("author", r"\n  author = \{[^}]*\},"),
        ("year", r"\n  year = \{[^}]*\},"),
        ("journal", r"\n  journal = \{[^}]*\},"),
    ],
)
def test_article_missing_a_required_field(repo: Path, field: str, pattern: str) -> None:
    bib = repo / BIB
    at = line_of(bib, "@article{Brown2011,")
    text = bib.read_text(encoding="utf-8")
    start = text.index("@article{Brown2011,")
    end = text.index("\n}\n", start)
    block, n = re.subn(pattern, "", text[start:end])
    assert n == 1
    bib.write_text(text[:start] + block + text[end:], encoding="utf-8")
    result = run(repo, "--format", "json")
    assert (
        result.exit_code == 0
    )  # as the database exported it: a warning, the team's CI stays green
    problems = json.loads(result.stdout)["problems"]
    assert {
        "path": BIB,
        "line": at,
        "key": "Brown2011",
        "severity": "warning",
        "code": "missing-field",
        "message": f"@article is missing {field}",
        "hint": None,
    } in problems
    assert run(repo, "--strict").exit_code == 1


def test_a_required_field_whose_name_was_misspelt_by_hand_is_named_in_the_hint(
    repo: Path,
) -> None:
    """A hand edit of records.bib that turns `title` into `titel` leaves the title in an extra
    field nothing reads: screening then finds no term and the record silently waits again."""
    _edit_entry(repo, "Brown2011", "  title = {", "  titel = {")
    result = run(repo, "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    (missing,) = [p for p in problems if p["key"] == "Brown2011" and p["code"] == "missing-field"]
    assert missing["message"] == "@article is missing title"
    assert missing["hint"] == "the entry has a field 'titel': did you mean 'title'?"


def test_misc_needs_only_a_title(repo: Path) -> None:
    _append_entry(repo, "@misc{Nobody2020,\n  author = {Nobody, A.},\n  year = {2020},\n}\n")
    _append_entry(repo, "@misc{Somebody2020,\n  title = {A note},\n}\n")
    result = run(repo)
    at = line_of(repo / BIB, "@misc{Nobody2020,")
    assert result.exit_code == 0
    assert f"{BIB}:{at} [Nobody2020]: warning: @misc is missing title" in lines_of(result)
    assert "Somebody2020" not in result.stdout


def test_two_records_sharing_a_doi_and_a_pmid(repo: Path) -> None:
    for key in ("Brown2011", "Buchanan2013"):
        _edit_entry(
            repo, key, "  year = {", "  doi = {10.1000/shared.1},\n  pmid = {123456},\n  year = {"
        )
    at = line_of(repo / BIB, "@article{Buchanan2013,")
    result = run(repo)
    hint = (
        "(`litreview dedupe --explain` the pair; if they are different works, say so with "
        "`litreview dedupe decide A B different`)"
    )
    out = lines_of(result)
    assert (
        f"{BIB}:{at} [Buchanan2013]: warning: shares DOI 10.1000/shared.1 with Brown2011 {hint}"
        in out
    )
    assert f"{BIB}:{at} [Buchanan2013]: warning: shares PMID 123456 with Brown2011 {hint}" in out


def test_a_shared_doi_decided_different_is_not_reported_again(repo: Path) -> None:
    for key in ("Brown2011", "Buchanan2013"):
        _edit_entry(repo, key, "  year = {", "  doi = {10.1000/shared.1},\n  year = {")
    assert "shares DOI" in run(repo).stdout
    decided = CliRunner().invoke(
        cli,
        [
            "-C",
            str(repo),
            "dedupe",
            "decide",
            "Brown2011",
            "Buchanan2013",
            "different",
            "--reviewer",
            "R1",
        ],
    )
    assert decided.exit_code == 0, decided.output
    assert "shares DOI" not in run(repo).stdout


def test_implausible_year_and_malformed_doi(repo: Path) -> None:
    at = line_of(repo / BIB, "@article{Brown2011,")
    _edit_entry(repo, "Brown2011", "  year = {2011},", "  year = {1750},\n  doi = {not-a-doi},")
    result = run(repo)
    assert result.exit_code == 0
    out = lines_of(result)
    assert f"{BIB}:{at} [Brown2011]: warning: year 1750 is not plausible" in out
    assert f"{BIB}:{at} [Brown2011]: warning: DOI 'not-a-doi' is not of the form 10.NNNN/…" in out


def test_a_year_far_in_the_future_is_implausible(repo: Path) -> None:
    _edit_entry(repo, "Brown2011", "  year = {2011},", "  year = {2050},")
    result = run(repo, "--strict")
    assert result.exit_code == 1
    assert "warning: year 2050 is not plausible" in result.stdout


# --- duplicates ------------------------------------------------------------------------------------


def _copy_of_brown(repo: Path, key: str, year: str, journal: str | None = None) -> None:
    text = (repo / BIB).read_text(encoding="utf-8")
    start = text.index("@article{Brown2011,")
    block = text[start : text.index("\n}\n", start) + 3]
    block = block.replace("Brown2011,", f"{key},").replace("|99|Brown2011}", f"|9{year}|{key}}}")
    block = block.replace("year = {2011}", f"year = {{{year}}}")
    if journal:
        block = re.sub(r"journal = \{[^}]*\}", f"journal = {{{journal}}}", block)
    _append_entry(repo, block)


def test_sure_duplicates_not_merged_are_an_error(repo: Path) -> None:
    _copy_of_brown(repo, "Brown2011z", "2011")
    at = line_of(repo / BIB, "@article{Brown2011,")
    result = run(repo)
    assert result.exit_code == 1
    assert (
        f"{BIB}:{at} [Brown2011]: error: sure duplicates not merged: Brown2011z (run `litreview dedupe`)"
        in lines_of(result)
    )


def test_unsure_duplicates_warn_and_fail_only_strict(repo: Path) -> None:
    _copy_of_brown(repo, "Brown2012z", "2012", journal="Another Journal")
    at = line_of(repo / BIB, "@article{Brown2011,")
    result = run(repo)
    assert result.exit_code == 0, result.output
    assert (
        f"{BIB}:{at} [Brown2011]: warning: possible duplicate of Brown2012z waits for a person "
        "(litreview dedupe review)"
    ) in lines_of(result)
    assert run(repo, "--strict").exit_code == 1


def test_a_pair_decided_different_is_not_reported(repo: Path) -> None:
    _copy_of_brown(repo, "Brown2012z", "2012", journal="Another Journal")
    replace_in(
        repo / "corpus" / "duplicates.yaml",
        "decisions:\n",
        "decisions:\n- a: Brown2011\n  b: Brown2012z\n  decision: different\n  reviewer: R1\n",
    )
    result = run(repo)
    assert result.exit_code == 0, result.output
    assert "Brown2012z" not in result.stdout


# --- people's decisions ------------------------------------------------------------------------------

SCREENING = "corpus/screening.yaml"


def test_screening_decision_for_a_missing_record(repo: Path) -> None:
    path = repo / SCREENING
    at = line_of(path, "- key: Atkinson2011")
    replace_in(path, "- key: Atkinson2011", "- key: Atkinson2111")
    result = run(repo)
    assert result.exit_code == 1
    assert (
        f"{SCREENING}:{at} [Atkinson2111]: error: decision for 'Atkinson2111', which is not in the corpus "
        "(did you mean 'Atkinson2011'?)"
    ) in lines_of(result)


def _record_at(path: Path, line: int) -> str:
    """The key of the decision item that holds ``line`` of a decisions file."""
    above = path.read_text(encoding="utf-8").splitlines()[:line]
    return next(t.split("key:")[1].strip() for t in reversed(above) if t.startswith("- key:"))


def test_screening_decision_with_an_unknown_stage_reason_and_decision(repo: Path) -> None:
    """Each problem is at its field's line and names the decision's record, as every stored
    file's problems do (it named the field: ``[stage]``, ``[reason]``)."""
    path = repo / SCREENING
    replace_in(
        path,
        "  stage: title-abstract\n  decision: exclude\n  reason: not-empirical",
        "  stage: title-abstrct\n  decision: exclude\n  reason: not-empirical",
    )
    replace_in(path, "reason: not-uk\n", "reason: not-ukk\n")
    replace_in(path, "decision: include\n", "decision: includ\n")
    stage, reason = line_of(path, "title-abstrct"), line_of(path, "not-ukk")
    decision = next(
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.endswith("decision: includ")
    )
    result = run(repo)
    assert result.exit_code == 1
    out = lines_of(result)
    assert (
        f"{SCREENING}:{stage} [{_record_at(path, stage)}]: error: unknown stage 'title-abstrct' (did you mean 'title-abstract'?)"
        in out
    )
    assert (
        f"{SCREENING}:{reason} [{_record_at(path, reason)}]: error: unknown reason code 'not-ukk' (did you mean 'not-uk'?)"
        in out
    )
    assert (
        f"{SCREENING}:{decision} [{_record_at(path, decision)}]: error: decision must be include, exclude or maybe, not 'includ' "
        "(did you mean 'include'?)"
    ) in out


EXTRACTION = "corpus/extraction.yaml"


def test_extraction_for_a_missing_record_and_an_unknown_field(repo: Path) -> None:
    path = repo / EXTRACTION
    replace_in(path, "- key: Brown2011", "- key: Brwn2011")
    replace_in(
        path, "  methods: not reported in the review", "  method: not reported in the review"
    )  # Atkinson2011's
    key_at, field_at = (
        line_of(path, "- key: Brwn2011"),
        line_of(path, "  method: not reported in the review"),
    )
    result = run(repo)
    assert result.exit_code == 1
    out = lines_of(result)
    assert (
        f"{EXTRACTION}:{key_at} [Brwn2011]: error: 'Brwn2011' is not a record in the corpus (did you mean 'Brown2011'?)"
        in out
    )
    assert (
        f"{EXTRACTION}:{field_at} [Atkinson2011]: error: unknown field 'method' (did you mean 'methods'?)"
        in out
    )


def test_a_finding_without_evidence_fails_check_when_the_protocol_requires_evidence(
    repo: Path,
) -> None:
    path = repo / EXTRACTION
    text = path.read_text(encoding="utf-8")
    start = text.index("    key_findings:\n", text.index("- key: Atkinson2011"))
    path.write_text(
        text[:start] + text[text.index("- key: BritishMedicalAssociatio2005") :], encoding="utf-8"
    )
    at = line_of(path, "  key_findings: 'The seven high-engagement trusts")
    result = run(repo)
    assert result.exit_code == 1
    [line] = [x for x in lines_of(result) if "has no evidence" in x]
    assert line.startswith(
        f"{EXTRACTION}:{at} [Atkinson2011]: error: field 'key_findings' (Key findings) has no "
        "evidence (the protocol requires it: under 'evidence', list key_findings:"
    )


def test_the_same_finding_without_evidence_passes_when_the_protocol_does_not_ask_for_it(
    repo: Path,
) -> None:
    path = repo / EXTRACTION
    text = path.read_text(encoding="utf-8")
    start = text.index("    key_findings:\n", text.index("- key: Atkinson2011"))
    path.write_text(
        text[:start] + text[text.index("- key: BritishMedicalAssociatio2005") :], encoding="utf-8"
    )
    replace_in(repo / "review.yaml", "    evidence: required\n", "", count=4)
    assert run(repo).exit_code == 0


OVERRIDES = "corpus/theme-overrides.yaml"


def test_theme_override_for_a_missing_record(repo: Path) -> None:
    path = repo / OVERRIDES
    replace_in(path, "- key: Crilly2004", "- key: Crilly2040")
    at = line_of(path, "- key: Crilly2040")
    result = run(repo)
    assert result.exit_code == 1
    assert (
        f"{OVERRIDES}:{at} [Crilly2040]: error: no record 'Crilly2040' in the corpus (did you mean 'Crilly2004'?)"
        in lines_of(result)
    )


def test_theme_override_naming_an_unknown_theme(repo: Path) -> None:
    path = repo / OVERRIDES
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"add:\n  - [a-z-]+", "add:\n  - policy-contxt", text, count=1), encoding="utf-8"
    )
    result = run(repo)
    assert result.exit_code == 1
    assert re.search(
        rf"^{OVERRIDES}:\d+ .*: error: .*'policy-contxt'.*\(did you mean 'policy-context'\?\)$",
        "\n".join(lines_of(result)),
        re.M,
    ), result.stdout


# --- the protocol and themes ---------------------------------------------------------------------------


def test_protocol_unknown_key_with_did_you_mean_and_dependants_skipped(repo: Path) -> None:
    replace_in(repo / "review.yaml", "\nquestion:", "\nquestoin:")
    at = line_of(repo / "review.yaml", "questoin:")
    result = run(repo)
    assert result.exit_code == 1
    out = lines_of(result)
    assert (
        f"review.yaml:{at} [questoin]: error: unknown key 'questoin' in the protocol (did you mean 'question'?)"
        in out
    )
    for skipped in (SCREENING, EXTRACTION):
        assert (
            f"{skipped}: warning: not checked: review.yaml does not validate (fix review.yaml first)"
            in out
        )


def test_protocol_that_is_not_yaml_is_an_error_at_its_line(repo: Path) -> None:
    (repo / "review.yaml").write_text("version: 1\ntitle: [unclosed\n", encoding="utf-8")
    result = run(repo)
    assert result.exit_code == 1
    assert (
        "review.yaml:3: error: invalid YAML: an unclosed list; the parser says: expected ',' or ']', "
        "but got '<stream end>' (close the [ ... ] on this line, or quote a value containing ',')"
    ) in lines_of(result)


def test_themes_unknown_key_with_did_you_mean_and_overrides_skipped(repo: Path) -> None:
    replace_in(repo / "themes.yaml", "  threshold:", "  treshold:")
    at = line_of(repo / "themes.yaml", "treshold:")
    result = run(repo)
    assert result.exit_code == 1
    out = lines_of(result)
    assert (
        f"themes.yaml:{at} [settings]: error: unknown key 'treshold' (did you mean 'threshold'?)"
        in out
    )
    assert (
        f"{OVERRIDES}: warning: not checked: themes.yaml does not validate (fix themes.yaml first)"
        in out
    )


# --- templates -------------------------------------------------------------------------------------------


def test_template_with_an_undefined_variable(repo: Path) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "narrative.md.j2").write_text(
        "# {{ data.title }}\n\n{{ data.nonexistent }}\n", encoding="utf-8"
    )
    result = run(repo)
    assert result.exit_code == 1
    assert (
        "templates/narrative.md.j2: error: template uses an undefined value: 'litreview.report.render.RenderInput "
        "object' has no attribute 'nonexistent' (see docs/rendering.md for the variables each template gets)"
    ) in lines_of(result)


def test_template_syntax_error_at_its_line(repo: Path) -> None:
    (repo / "templates").mkdir()
    (repo / "templates" / "evidence-table.md.j2").write_text(
        "# Evidence\n\n{{ data.title }\n", encoding="utf-8"
    )
    result = run(repo)
    assert result.exit_code == 1
    assert "templates/evidence-table.md.j2:3: error: template error: unexpected '}'" in lines_of(
        result
    )


def test_undefined_variable_in_a_loop_the_review_never_enters_is_found(repo: Path) -> None:
    """The shipped review excludes no study at full text with a reason the template loops over
    here, yet the sample view model runs the loop body, so the misspelling is caught."""
    (repo / "templates").mkdir()
    (repo / "templates" / "appendix.md.j2").write_text(
        "{% for e in data.excluded_full_text %}{{ e.reasn }}{% endfor %}\n{% if not rows %}{{ no_such }}{% endif %}\n",
        encoding="utf-8",
    )
    result = run(repo)
    assert result.exit_code == 1
    out = "\n".join(lines_of(result))
    assert (
        "templates/appendix.md.j2: error: template uses an undefined value: 'litreview.report.render.ExcludedStudy object' has no attribute 'reasn'"
        in out
    )
    assert (
        "templates/appendix.md.j2: error: template uses an undefined value: 'no_such' is undefined"
        in out
    )


# --- output formats, --strict, --fix ---------------------------------------------------------------------

ANNOTATION = re.compile(
    r"^::(error|warning) file=[^,:]+(,line=\d+)?,title=litreview [a-z-]+::[^\r\n]*$"
)


def test_github_format_is_one_annotation_per_problem(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)  # annotation paths are from the working directory (the repository root)
    at, message = _use_a_key_twice(repo)
    _append_entry(
        repo,
        "@misc{brown_2011,\n  title = {Notes on nothing in particular},\n  year = {2020},\n}\n",
    )
    result = run(repo, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(ANNOTATION.match(line) for line in lines), lines
    assert f"::error file={BIB},line={at},title=litreview duplicate-key::{message}" in lines
    assert any(line.startswith("::warning ") and "brown_2011" in line for line in lines)


def test_github_annotation_escapes_newlines_percent_and_commas() -> None:
    p = Problem(Location("a,b:c.bib", 3), "one\ntwo 100%", Severity.WARNING, "x")
    assert (
        github_annotation(p)
        == "::warning file=a%2Cb%3Ac.bib,line=3,title=litreview x::one%0Atwo 100%25"
    )


def test_github_paths_are_from_the_working_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a workflow the working directory is the repository root; a review in a subfolder
    must still annotate the right file."""
    _use_a_key_twice(repo)
    monkeypatch.chdir(repo.parent)
    result = CliRunner().invoke(cli, ["-C", repo.name, "check", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"::error file={repo.name}/{BIB},line=")


def test_json_format_counts_and_lists_problems(repo: Path) -> None:
    _use_a_key_twice(repo)
    _edit_entry(repo, "Buchanan2013", "  year = {2013},", "  year = {1750},")
    result = run(repo, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (
        data["version"] == 1
        and data["errors"] == 1
        and data["warnings"] == 1
        and data["fixed"] == []
    )
    assert sorted(p["code"] for p in data["problems"]) == ["duplicate-key", "year"]
    assert data["checked"][0] == BIB


def test_output_is_the_same_bytes_every_time(repo: Path) -> None:
    _edit_entry(repo, "Brown2011", "  year = {2011},", "  year = {1750},")
    assert run(repo).stdout == run(repo).stdout


def test_fix_normalises_dois_and_field_order_and_reports_it(repo: Path) -> None:
    _edit_entry(
        repo,
        "Brown2011",
        "  year = {2011},",
        "  doi = {https://doi.org/10.1080/ABC.123},\n  year = {2011},",
    )
    result = run(repo, "--fix")
    assert result.exit_code == 0, result.output
    assert "fixed: corpus/records.bib: rewritten in the canonical field order" in result.stderr
    text = (repo / BIB).read_text(encoding="utf-8")
    assert "doi = {10.1080/abc.123}" in text
    assert text.index("year = {2011}") < text.index(
        "doi = {10.1080/abc.123}"
    )  # the canonical order
    again = run(repo, "--fix")
    assert again.exit_code == 0 and "fixed:" not in again.stderr  # nothing left to fix


def test_fix_leaves_a_corpus_with_unreadable_entries_alone(repo: Path) -> None:
    replace_in(repo / BIB, "@article{Brown2011,", "@article{Brown2011")
    before = (repo / BIB).read_bytes()
    result = run(repo, "--fix")
    assert result.exit_code == 1
    assert "fixed:" not in result.stderr
    assert (repo / BIB).read_bytes() == before


# --- cannot run (exit 2) ---------------------------------------------------------------------------------


def test_no_review_here_cannot_run(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(empty)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        f"{empty.as_posix()}: error: no review repository here (no review.yaml, no corpus/ folder) "
        "(run it inside a review repository, or point at one with -C DIR)"
    ) in result.stderr
    assert result.stderr.rstrip().endswith("litreview check: cannot run")


def test_missing_corpus_folder_cannot_run(repo: Path) -> None:
    shutil.rmtree(repo / "corpus")
    result = run(repo)
    assert result.exit_code == 2
    assert (
        "corpus/: error: corpus folder not found (import an export first: litreview import FILE --source NAME)"
        in result.stderr
    )


@pytest.mark.parametrize("name", ["review.yaml", "corpus/records.bib", "corpus/screening.yaml"])
def test_unreadable_file_cannot_run(repo: Path, name: str) -> None:
    path = repo / name
    path.unlink()
    path.mkdir()  # reading a folder fails for every user, root included
    result = run(repo)
    assert result.exit_code == 2, result.output
    assert (
        f"{name}: error: cannot use this file: Is a directory (a folder stands where litreview expects a file"
        in result.stderr
    )


def test_cannot_run_in_github_and_json_formats(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    shutil.rmtree(repo / "corpus")
    github = run(repo, "--format", "github")
    assert github.exit_code == 2
    assert github.stdout.splitlines() == [
        "::error file=corpus/,title=litreview cannot-run::corpus folder not found "
        "(import an export first: litreview import FILE --source NAME)"
    ]
    data = run(repo, "--format", "json")
    assert data.exit_code == 2
    parsed = json.loads(data.stdout)
    assert (
        parsed["cannot_run"] is True
        and parsed["problems"][0]["message"] == "corpus folder not found"
    )


def test_outside_any_review_json_and_github_formats_still_say_it_cannot_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no -C: the folder is searched upwards and none is a review (docs/ci.md: a JSON document
    # with cannot_run, exit 2); an -C naming no folder is the same
    outside = tmp_path / "not-a-review"
    outside.mkdir()
    monkeypatch.chdir(outside)
    for args in ([], ["-C", str(tmp_path / "missing")]):
        data = CliRunner().invoke(cli, [*args, "check", "--format", "json"])
        assert data.exit_code == 2
        parsed = json.loads(data.stdout)
        assert parsed["cannot_run"] is True and parsed["problems"][0]["severity"] == "error"
        github = CliRunner().invoke(cli, [*args, "check", "--format", "github"])
        assert github.exit_code == 2 and github.stdout.startswith("::error file=")


# --- the GitHub Action (action.yml) ----------------------------------------------------------------------

ACTION = ROOT / "action.yml"


def action() -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_action_is_a_composite_action_with_documented_inputs() -> None:
    data = action()
    assert data["name"] and data["description"]
    assert data["runs"]["using"] == "composite"
    inputs = data["inputs"]
    assert set(inputs) == {"path", "strict", "python-version"}
    for spec in inputs.values():
        assert spec["description"] and isinstance(spec["default"], str)
    steps = data["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    used: set[str] = set()
    for step in steps:
        text = json.dumps(step)
        used.update(re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", text))
        if "run" in step:
            assert step["shell"] == "bash"  # composite run steps must name their shell
            assert "${{" not in step["run"], "pass values through env:, never into the script text"
    assert used == set(inputs)


def test_action_installs_litreview_from_its_own_checkout() -> None:
    install = action()["runs"]["steps"][1]
    assert install["env"]["LITREVIEW_SOURCE"] == "${{ github.action_path }}"
    assert "pip install" in install["run"] and '"$LITREVIEW_SOURCE"' in install["run"]


def _action_check_step(review: Path, strict: str) -> Any:
    """The action's check step run as the runner would: bash, its env, from the workspace root."""
    import os
    import subprocess
    import sys

    step = action()["runs"]["steps"][-1]
    assert re.search(r"\blitreview -C \"\$REVIEW_PATH\" .*", step["run"])
    environ = dict(os.environ)
    environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}"
    environ.update(REVIEW_PATH=review.name, STRICT=strict)
    if shutil.which("litreview", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("litreview is not installed in this environment")
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=review.parent,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_action_check_step_passes_a_clean_review(repo: Path) -> None:
    result = _action_check_step(repo, "false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_action_check_step_annotates_and_fails_a_broken_review(repo: Path) -> None:
    at, message = _use_a_key_twice(repo)
    result = _action_check_step(repo, "false")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file={repo.name}/{BIB},line={at},title=litreview duplicate-key::{message}"
    ]


def test_action_strict_input_fails_on_warnings(repo: Path) -> None:
    _append_entry(
        repo,
        "@misc{brown_2011,\n  title = {Notes on nothing in particular},\n  year = {2020},\n}\n",
    )
    assert _action_check_step(repo, "false").returncode == 0
    strict = _action_check_step(repo, "true")
    assert strict.returncode == 1
    assert strict.stdout.startswith(f"::warning file={repo.name}/{BIB},")


def test_records_imported_under_a_source_the_protocol_does_not_list_are_an_error(
    repo: Path,
) -> None:
    bib = repo / BIB
    text = bib.read_text()
    at = line_of(bib, "@article{Brown2011,")
    start = text.index("@article{Brown2011,")
    end = text.index("\n}\n", start)
    block = text[start:end]
    import re as _re

    changed = _re.sub(
        r"provenance = \{([a-z-]+)\|", "provenance = {databse-search|", block, count=1
    )
    assert changed != block
    bib.write_text(text[:start] + changed + text[end:])
    result = run(repo)
    assert result.exit_code == 1
    assert any(
        line.startswith(
            f"{BIB}:{at} [Brown2011]: error: records imported under source 'databse-search', "
            "which review.yaml does not list (did you mean 'database-search'?)"
        )
        for line in lines_of(result)
    ), result.output


# --- status shows what the last check found ---------------------------------------------------------


def test_status_lists_the_last_checks_errors_first_without_running_a_check(repo: Path) -> None:
    status = CliRunner().invoke(cli, ["-C", str(repo), "status", "--json"])
    item = json.loads(status.stdout)["todo"][0]
    assert (
        item["what"] == "litreview check has not run on the files as they are" and not item["waits"]
    )
    assert status.exit_code == 0  # advice only
    # an error only check finds (a key used twice stops status itself: its counts would be wrong)
    replace_in(
        repo / BIB,
        "provenance = {database-search|corpus/searches/database-search.bib|12|Ackroyd2007}",
        "provenance = {database-serach|corpus/searches/database-search.bib|12|Ackroyd2007}",
    )
    at = line_of(repo / BIB, "@article{Ackroyd2007,")
    assert run(repo).exit_code == 1
    status = CliRunner().invoke(cli, ["-C", str(repo), "status", "--json"])
    first = json.loads(status.stdout)["todo"][0]
    assert (
        first["what"] == "errors litreview check found" and first["count"] == 1 and first["waits"]
    )
    assert first["problems"][0]["line"] == at and first["problems"][0]["code"] == "unknown-source"
    assert status.exit_code == 1
    # once the files change, the old findings are not shown as if they were current
    _append_entry(
        repo, "@misc{Later2020,\n  title = {Added after the check},\n  year = {2020},\n}\n"
    )
    status = CliRunner().invoke(cli, ["-C", str(repo), "status", "--json"])
    assert (
        json.loads(status.stdout)["todo"][0]["what"]
        == "litreview check has not run on the files as they are"
    )


def test_status_does_not_show_an_old_check_once_absorbed_records_or_exports_change(
    tmp_path: Path,
) -> None:
    from .conftest import copy_of_shipped_review

    review = copy_of_shipped_review(tmp_path / "reference")
    pending = "litreview check has not run on the files as they are"

    def first_todo() -> str:
        status = CliRunner().invoke(cli, ["-C", str(review), "status", "--json"])
        todo = json.loads(status.stdout)["todo"]
        return str(todo[0]["what"]) if todo else ""

    assert CliRunner().invoke(cli, ["-C", str(review), "check"]).exit_code in (0, 1)
    assert first_todo() != pending
    absorbed = review / "corpus" / "absorbed.bib"
    absorbed.write_text(absorbed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert first_todo() == pending, "absorbed.bib is one of the check's inputs"
    assert CliRunner().invoke(cli, ["-C", str(review), "check"]).exit_code in (0, 1)
    assert first_todo() != pending
    (review / "corpus" / "searches" / "policy-websites.bib").unlink()
    assert first_todo() == pending, "a search export the protocol names went missing"


def test_a_second_check_of_unchanged_files_reads_the_first_ones_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.check import checks

    from .conftest import copy_of_shipped_review

    review = copy_of_shipped_review(tmp_path / "reference")
    first = CliRunner().invoke(cli, ["-C", str(review), "check", "--format", "json"])
    assert first.exit_code in (0, 1), first.output
    real = checks.check_records
    monkeypatch.setattr(
        checks, "check_records", lambda *a, **k: pytest.fail("records checked again")
    )
    again = CliRunner().invoke(cli, ["-C", str(review), "check", "--format", "json"])
    assert again.exit_code == first.exit_code and again.stdout == first.stdout
    # a changed file is checked afresh, and what changed is found
    monkeypatch.setattr(checks, "check_records", real)
    screening = review / "corpus" / "screening.yaml"
    screening.write_text(
        screening.read_text(encoding="utf-8").replace("decisions:", "decisions:\n  - {}", 1),
        encoding="utf-8",
    )
    changed = CliRunner().invoke(cli, ["-C", str(review), "check", "--format", "json"])
    assert changed.stdout != first.stdout and changed.exit_code == 1, changed.output


def test_an_author_read_the_wrong_way_round_warns_until_corrected(repo: Path) -> None:
    # what an older import made of Embase's "Alaszewski A.": surname "A.", given name Alaszewski
    at = line_of(repo / BIB, "@article{Brown2011,")
    _edit_entry(repo, "Brown2011", "Alaszewski, A.", "{A.}, Alaszewski")
    result = run(repo)
    assert result.exit_code == 0
    said = (
        f"{BIB}:{at} [Brown2011]: warning: author 'A., Alaszewski' reads as surname 'A.': "
        "the export likely wrote 'Alaszewski A.'"
    )
    assert any(line.startswith(said) for line in lines_of(result))
    assert run(repo, "--strict").exit_code == 1
    (repo / "corpus" / "corrections.yaml").write_text(
        "version: 1\ncorrections:\n- key: Brown2011\n"
        "  set: {author: 'Brown, P. and Alaszewski, A. and Pilgrim, D. and Calnan, M. W.'}\n"
        "  why: The export's names were read the wrong way round.\n"
        "  reviewer: R1\n  date: '2026-12-06'\n",
        encoding="utf-8",
    )
    after = run(repo, "--format", "json")
    assert after.exit_code == 0, after.output  # the correction is read, not refused
    report = json.loads(after.stdout)
    assert report["checked"]  # the files were read
    assert "author-swapped" not in {p["code"] for p in report["problems"]}
