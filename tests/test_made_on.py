"""A decision keeps the title of the record it was made on, so that a key that comes to name
another work (two branches each imported a work as ``Zeta2010``; a key used again) is seen and
not silently applied to the wrong work. Found in a user trial; the team's branches are built
here state by state with the CLI, without git."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from litreview.corpus.madeon import LIMIT, same_work, shorten

from .conftest import copy_of_shipped_review
from .conftest import invoke as run

# invented records, our own words
BUDGETS = """@article{Zeta2010,
  author = {Zeta, Anna and Quill, Robert},
  title = {Doctors and managers sharing budgets in three district hospitals},
  journal = {Journal of Invented Health Studies},
  year = {2010},
  volume = {4},
  pages = {11--19},
  doi = {10.5555/invented.2010.11},
}
"""
DIRECTORS = """@article{Zeta2010,
  author = {Zeta, Anna and Marsh, Helen},
  title = {Why clinical directors leave: interviews in teaching trusts},
  journal = {Invented Review of Hospital Management},
  year = {2010},
  volume = {12},
  pages = {201--210},
}
"""
# the budgets paper as another database exported it: same DOI, another wording of its title
BUDGETS_AGAIN = """@article{Zeta2010b,
  author = {Zeta, A. and Quill, R.},
  title = {Budget holding by clinicians: a joint venture with hospital managers},
  journal = {J Invented Health Stud},
  year = {2010},
  volume = {4},
  pages = {11-19},
  doi = {10.5555/invented.2010.11},
}
"""


def _review(root: Path, *exports: tuple[str, str]) -> Path:
    """A new review (``litreview init``) with ``exports`` (file name, BibTeX) imported in order."""
    code, out, err = run(root.parent, "init", str(root))
    assert code == 0, out + err
    for name, text in exports:
        path = root / "corpus" / "searches" / name
        path.write_text(text, encoding="utf-8")
        code, out, err = run(root, "import", str(path), "--source", "scopus")
        assert code == 0, out + err
    return root


def _ok(root: Path, *args: str) -> str:
    code, out, err = run(root, *args)
    assert code == 0, out + err
    return out + err


def _merged_branches(tmp_path: Path) -> Path:
    """The trial: branch one imports the budgets paper as Zeta2010 and R1 includes it; branch
    two imports the directors paper, also Zeta2010, and R2 excludes it. The merge keeps branch
    one's records.bib and R2's decisions file; the directors paper, imported again, is Zeta2010a."""
    one = _review(tmp_path / "one", ("one.bib", BUDGETS))
    _ok(one, "screen", "decide", "Zeta2010", "include", "--reviewer", "R1")
    two = _review(tmp_path / "two", ("two.bib", DIRECTORS))
    _ok(two, "screen", "decide", "Zeta2010", "exclude", "--reason", "off-topic", "--reviewer", "R2")
    merged = tmp_path / "merged"
    shutil.copytree(one, merged)
    shutil.copy(two / "corpus/screening/R2.yaml", merged / "corpus/screening/R2.yaml")
    shutil.copy(two / "corpus/searches/two.bib", merged / "corpus/searches/two.bib")
    _ok(merged, "import", str(merged / "corpus/searches/two.bib"), "--source", "scopus")
    assert "@article{Zeta2010a," in (merged / "corpus/records.bib").read_text(encoding="utf-8")
    return merged


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_a_decision_whose_key_another_branch_gave_to_another_work_is_an_error_at_its_line(
    tmp_path: Path,
) -> None:
    merged = _merged_branches(tmp_path)
    r2 = merged / "corpus/screening/R2.yaml"
    line = _line_of(r2, "- key: Zeta2010")
    code, out, err = run(merged, "check")
    assert code == 1, out + err
    found = [x for x in (out + err).splitlines() if "record-changed" in x or "made on" in x]
    assert len(found) == 1, out + err
    said = found[0]
    assert f"corpus/screening/R2.yaml:{line} [Zeta2010]: error:" in said
    assert "Why clinical directors leave: interviews in teaching trusts" in said  # as decided
    assert "Doctors and managers sharing budgets in three district hospitals" in said  # now
    assert "is Zeta2010a" in said  # where the work it was made on is now
    # how to mend it: move it, or decide again (the command as it would be typed)
    assert "change Zeta2010 to Zeta2010a" in said
    assert (
        "litreview screen decide Zeta2010 exclude --reason off-topic --stage title-abstract "
        "--reviewer R2" in said
    )
    # R1's decision, made on the record Zeta2010 still is, is not reported
    assert "R1.yaml" not in out + err


def test_commands_that_apply_decisions_say_so_too(tmp_path: Path) -> None:
    merged = _merged_branches(tmp_path)
    for command in ("screen", "status", "render"):
        code, out, err = run(merged, command)
        assert code == 1, (command, out + err)
        assert "corpus/screening/R2.yaml:5 [Zeta2010]" in out + err, (command, out + err)
        assert "was made on “Why clinical directors leave" in out + err, (command, out + err)


def test_status_after_check_lists_a_changed_decision_once(tmp_path: Path) -> None:
    merged = _merged_branches(tmp_path)
    run(merged, "check")
    code, out, err = run(merged, "status")
    assert code == 1, out + err
    assert "decisions whose key now names another work than they were made on: 1" in out
    assert "errors litreview check found" not in out, out


def test_moving_the_decision_to_the_key_of_its_work_mends_it(tmp_path: Path) -> None:
    merged = _merged_branches(tmp_path)
    r2 = merged / "corpus/screening/R2.yaml"
    r2.write_text(
        r2.read_text(encoding="utf-8").replace("key: Zeta2010\n", "key: Zeta2010a\n"),
        encoding="utf-8",
    )
    assert _ok(merged, "check").strip().endswith("0 errors, 0 warnings")


def test_deciding_again_confirms_the_decision_for_the_record_as_it_is_now(
    tmp_path: Path,
) -> None:
    merged = _merged_branches(tmp_path)
    r2 = merged / "corpus/screening/R2.yaml"
    _ok(
        merged,
        *[
            "screen",
            "decide",
            "Zeta2010",
            "exclude",
            "--reason",
            "off-topic",
            "--stage",
            "title-abstract",
            "--reviewer",
            "R2",
        ],
    )
    text = r2.read_text(encoding="utf-8")
    assert "title: Doctors and managers sharing budgets in three district hospitals" in text
    assert "Why clinical directors" not in text
    assert _ok(merged, "check").strip().endswith("0 errors, 0 warnings")


def test_a_key_deleted_and_imported_again_for_another_work_is_caught(tmp_path: Path) -> None:
    root = _review(tmp_path / "review", ("one.bib", BUDGETS))
    _ok(root, "screen", "decide", "Zeta2010", "include", "--reviewer", "R1")
    # records.bib rebuilt from another export: the key now names the directors paper
    (root / "corpus/records.bib").unlink()
    (root / "corpus/searches/one.bib").unlink()
    (root / "corpus/searches/two.bib").write_text(DIRECTORS, encoding="utf-8")
    _ok(root, "import", str(root / "corpus/searches/two.bib"), "--source", "scopus")
    code, out, err = run(root, "check")
    assert code == 1, out + err
    assert "R1's decision on Zeta2010 was made on “Doctors and managers sharing" in out + err


def test_every_command_that_writes_a_decision_keeps_the_title(tmp_path: Path) -> None:
    root = _review(tmp_path / "review", ("one.bib", BUDGETS), ("two.bib", DIRECTORS))
    title = "Doctors and managers sharing budgets in three district hospitals"
    _ok(root, "screen", "decide", "Zeta2010", "include", "--reviewer", "R1")
    _ok(
        root, "screen", "decide", "Zeta2010", "exclude", "--reason", "off-topic", "--reviewer", "R2"
    )
    _ok(root, "screen", "resolve", "Zeta2010", "include", "--reviewer", "R3")
    _ok(root, "fulltext", "set", "Zeta2010", "retrieved", "--url", "https://example.org/z")
    _ok(root, "dedupe", "decide", "Zeta2010", "Zeta2010a", "different", "--reviewer", "R1")
    with (root / "review.yaml").open("a", encoding="utf-8") as f:
        f.write("appraisal: {tool: mmat, reviewers: 2}\n")
    run(root, "appraise", "resolve", "Zeta2010", "s1", "yes", "--reviewer", "R3")
    csv = root / "decisions.csv"
    csv.write_text("key,decision,reason\nZeta2010,include,\n", encoding="utf-8")
    _ok(root, "screen", "import-decisions", str(csv), "--reviewer", "R4", "--stage", "full-text")
    for name in (
        "screening/R1.yaml",
        "screening/R2.yaml",
        "screening/R3.yaml",
        "screening/R4.yaml",
        "fulltext.yaml",
        "appraisal-consensus.yaml",
    ):
        text = (root / "corpus" / name).read_text(encoding="utf-8")
        assert f"- key: Zeta2010\n  title: {title}\n" in text, (name, text)
    dup = (root / "corpus/duplicates.yaml").read_text(encoding="utf-8")
    assert (
        f"- a: Zeta2010\n  a_title: {title}\n  b: Zeta2010a\n"
        "  b_title: 'Why clinical directors leave: interviews in teaching trusts'\n"
    ) in dup
    # a file written again for another decision keeps every title as it was, byte for byte
    before = (root / "corpus/screening/R1.yaml").read_text(encoding="utf-8")
    _ok(root, "screen", "decide", "Zeta2010a", "include", "--reviewer", "R1")
    after = (root / "corpus/screening/R1.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.split("- key: Zeta2010\n")[0])
    assert before.split("decisions:\n")[1] in after
    code, out, err = run(root, "check")
    assert code == 0 and "made on" not in out + err, out + err
    # the key comes to name another work: every one of those files says so, at its line
    records = root / "corpus/records.bib"
    records.write_text(
        records.read_text(encoding="utf-8").replace(
            title, "An invented survey of hospital catering contracts"
        ),
        encoding="utf-8",
    )
    code, out, err = run(root, "check")
    assert code == 1, out + err
    said = [x.strip() for x in (out + err).splitlines() if "was made on" in x]
    shown = sorted(x.split(" [")[0].rsplit(":", 1)[0] for x in said)
    assert shown == [
        "corpus/appraisal-consensus.yaml",
        "corpus/duplicates.yaml",
        "corpus/fulltext.yaml",
        "corpus/screening/R1.yaml",  # its decision on Zeta2010; the one on Zeta2010a stands
        "corpus/screening/R2.yaml",
        "corpus/screening/R3.yaml",
        "corpus/screening/R4.yaml",
    ], out + err


def test_a_decision_on_a_record_merged_as_a_duplicate_is_no_false_alarm(tmp_path: Path) -> None:
    root = _review(tmp_path / "review", ("one.bib", BUDGETS), ("again.bib", BUDGETS_AGAIN))
    _ok(root, "screen", "decide", "Zeta2010b", "include", "--reviewer", "R1")
    _ok(root, "screen", "decide", "Zeta2010", "include", "--reviewer", "R2")
    _ok(root, "dedupe", "decide", "Zeta2010", "Zeta2010b", "same", "--reviewer", "R1")
    run(root, "dedupe")
    records = (root / "corpus/records.bib").read_text(encoding="utf-8")
    assert "@article{Zeta2010b," not in records  # merged into Zeta2010
    # the merge gave the survivor the other export's title: R2's decision was made on the
    # survivor's old title, R1's on the absorbed record's; both are the same work
    assert "title = {Budget holding by clinicians" in records
    code, out, err = run(root, "check")
    assert "made on" not in out + err, out + err
    assert code == 0, out + err


def test_a_decisions_file_written_before_titles_were_kept_is_not_flagged(tmp_path: Path) -> None:
    root = _review(tmp_path / "review", ("two.bib", DIRECTORS))
    (root / "corpus/screening").mkdir(exist_ok=True)
    (root / "corpus/screening/R1.yaml").write_text(
        "version: 1\ndecisions:\n- key: Zeta2010\n  stage: title-abstract\n  decision: include\n"
        "  reviewer: R1\n  date: '2026-01-02'\n",
        encoding="utf-8",
    )
    assert "0 errors" in _ok(root, "check")


def test_the_shipped_review_passes_check_without_titles(tmp_path: Path) -> None:
    review = copy_of_shipped_review(tmp_path / "review")
    code, out, err = run(review, "check")
    assert code == 0, out + err
    assert "made on" not in out + err


def test_a_corrected_typo_in_the_title_and_a_changed_year_keep_the_decision(
    tmp_path: Path,
) -> None:
    typo = BUDGETS.replace("managers sharing", "managres sharing")
    root = _review(tmp_path / "review", ("one.bib", typo))
    _ok(root, "screen", "decide", "Zeta2010", "include", "--reviewer", "R1")
    records = root / "corpus/records.bib"
    text = records.read_text(encoding="utf-8")
    assert "managres sharing" in text
    fixed = (
        text.replace("managres sharing", "Managers Sharing")
        .replace("{2010}", "{2011}")
        .replace("11--19", "11--21")
    )
    records.write_text(fixed, encoding="utf-8")
    code, out, err = run(root, "check")
    assert code == 0 and "made on" not in out + err, out + err


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("made_on", "now"),
    [
        ("Doctors and managers sharing budgets", "Doctors and managres sharing budgets"),  # typo
        ("Doctors and managres sharing budgets", "Doctors and managers sharing budgets"),  # fixed
        ("Doctors and managers sharing budgets", "DOCTORS AND MANAGERS SHARING BUDGETS."),
        ("Médecins et gestionnaires à l'hôpital", "Medecins et gestionnaires a l hopital"),
        ("Doctors and managers sharing budgets", "Doctors and managers sharing the budgets"),
        ("Doctors and managers sharing budgets", "Doctors and managers sharing budgets: a survey"),
        ("Ward rounds", "Ward round"),
        ("", "Anything at all"),  # nothing kept: nothing to compare
    ],
)
def test_one_work_through_harmless_edits_of_its_title_is_the_same(made_on: str, now: str) -> None:
    assert same_work(made_on, now)


@pytest.mark.parametrize(
    ("made_on", "now"),
    [
        (
            "Doctors and managers sharing budgets in three district hospitals",
            "Why clinical directors leave: interviews in teaching trusts",
        ),
        (
            "Doctors and managers in the NHS: a survey",
            "Doctors and managers in the NHS: interviews",
        ),
        ("Hospital leadership, part 1", "Hospital leadership, part 2"),
        ("Ward rounds", "Budget holding"),
    ],
)
def test_another_work_under_the_same_key_is_not_the_same(made_on: str, now: str) -> None:
    assert not same_work(made_on, now)


def test_a_long_title_is_kept_short_and_still_compared() -> None:
    long = (
        "How medical managers and general managers in invented acute hospital trusts negotiate "
        "their budgets over a decade of reform"
    )
    kept = shorten(long)
    assert len(kept) <= LIMIT and kept.endswith("…")
    assert same_work(kept, long)
    assert same_work(kept, long.replace("general managers", "general managres"))
    assert not same_work(kept, "Why clinical directors leave: interviews in teaching trusts")


def test_a_title_a_person_keeps_in_a_theme_override_or_an_appraisal_is_held_against_the_record(
    tmp_path: Path,
) -> None:
    root = _review(tmp_path / "review", ("one.bib", BUDGETS), ("two.bib", DIRECTORS))
    with (root / "review.yaml").open("a", encoding="utf-8") as f:
        f.write("appraisal: {tool: mmat, reviewers: 2}\n")
    (root / "corpus/appraisal").mkdir()
    (root / "corpus/appraisal/R1.yaml").write_text(
        "version: 1\nappraisals:\n- key: Zeta2010\n"
        "  title: Doctors and managers sharing budgets in three district hospitals\n"
        "  answers: {category: qualitative}\n",
        encoding="utf-8",
    )
    overrides = root / "corpus/theme-overrides.yaml"
    overrides.write_text(
        "version: 1\noverrides:\n- key: Zeta2010a\n"
        "  title: Doctors and managers sharing budgets in three district hospitals\n"
        "  add: []\n  reviewer: R1\n",
        encoding="utf-8",
    )
    code, out, err = run(root, "check")
    said = [x for x in (out + err).splitlines() if "was made on" in x]
    assert len(said) == 1, out + err  # the appraisal's title is its record's
    assert said[0].strip().startswith("corpus/theme-overrides.yaml:3 [Zeta2010a]: error: the theme")
    assert "is Zeta2010 (if it was meant for Zeta2010, change Zeta2010a to Zeta2010" in said[0]
    assert code == 1


def test_one_reviewer_on_both_branches_is_told_which_of_the_two_decisions_moved(
    tmp_path: Path,
) -> None:
    one = _review(tmp_path / "one", ("one.bib", BUDGETS))
    _ok(one, "screen", "decide", "Zeta2010", "include", "--reviewer", "R1")
    two = _review(tmp_path / "two", ("two.bib", DIRECTORS))
    _ok(two, "screen", "decide", "Zeta2010", "exclude", "--reason", "off-topic", "--reviewer", "R1")
    merged = tmp_path / "merged"
    shutil.copytree(one, merged)
    # git's merge of R1.yaml, finished by keeping both items
    theirs = (two / "corpus/screening/R1.yaml").read_text(encoding="utf-8")
    with (merged / "corpus/screening/R1.yaml").open("a", encoding="utf-8") as f:
        f.write(theirs.split("decisions:\n", 1)[1])
    shutil.copy(two / "corpus/searches/two.bib", merged / "corpus/searches/two.bib")
    _ok(merged, "import", str(merged / "corpus/searches/two.bib"), "--source", "scopus")
    code, out, err = run(merged, "check")
    assert code == 1, out + err
    assert "R1 decided Zeta2010 at title-abstract twice" in out + err
    said = [x.strip() for x in (out + err).splitlines() if "was made on" in x]
    assert len(said) == 1, out + err
    assert said[0].startswith("corpus/screening/R1.yaml:11 [Zeta2010]: error:"), said
    assert "change Zeta2010 to Zeta2010a" in said[0]
