"""What a review team meets when it keeps the review in git: merges of people's files on
branches (conflict markers, decisions on records another branch merged away)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import copy_of_shipped_review
from .conftest import invoke as run

QUOTED = (
    "  key_findings: 'The seven high-engagement trusts had mixed histories of doctor–manager "
    "relations: in\n"
    "    some the relationship had worked well, in others it had been dysfunctional.'\n"
)
# both sides changed a line inside one quoted value: every marker line is inside the quotes,
# so the file still parses and the markers would read as words of the value
QUOTED_CONFLICT = (
    "  key_findings: 'The seven high-engagement trusts had mixed histories of doctor–manager "
    "relations: in\n"
    "<<<<<<< HEAD\n"
    "    some the relationship had worked well,\n"
    "=======\n"
    "    some the relationship had worked very well,\n"
    ">>>>>>> extraction-r2\n"
    "    in others it had been dysfunctional.'\n"
)


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return copy_of_shipped_review(tmp_path / "review")


@pytest.fixture(params=["read", "cached"])
def decisions_read(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each reviewer file read afresh, or (``cached``) through the derived-results cache as a
    large file is, where a write finds the decisions a merge left twice as the last read did."""
    if request.param == "cached":
        from litreview.screen import reviewers

        monkeypatch.setattr(reviewers, "CACHED_BYTES", 0)
    return str(request.param)


def _conflict_inside_a_quoted_value(review: Path) -> int:
    path = review / "corpus" / "extraction.yaml"
    text = path.read_text(encoding="utf-8")
    assert QUOTED in text
    path.write_text(text.replace(QUOTED, QUOTED_CONFLICT), encoding="utf-8")
    return text[: text.index(QUOTED)].count("\n") + 2  # the line of <<<<<<<


def test_conflict_markers_inside_a_quoted_yaml_value_are_errors_at_their_lines(
    review: Path,
) -> None:
    first = _conflict_inside_a_quoted_value(review)
    code, out, err = run(review, "check")
    assert code == 1, out + err
    wanted = [
        f"corpus/extraction.yaml:{first + n}: error: git merge-conflict marker {m}"
        for n, m in ((0, "<<<<<<<"), (2, "======="), (4, ">>>>>>>"))
    ]
    for line in wanted:
        assert (out + err).count(line) == 1, (line, out + err)
    code, out, err = run(review, "render")
    assert code == 2, out + err
    for line in wanted:
        assert line in err, (line, err)
    assert not (review / "build").exists() or "<<<<<<<" not in "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (review / "build").rglob("*")
        if p.is_file()
    )


DUPLICATES_DECISION = "  decision: same\n  reviewer: R1\n  date: '2026-11-23'\n"
DUPLICATES_CONFLICT = (
    "<<<<<<< HEAD\n"
    "  decision: same\n"
    "  reviewer: R1\n"
    "=======\n"
    "  decision: different\n"
    "  reviewer: R2\n"
    ">>>>>>> dedupe-r2\n"
    "  date: '2026-11-23'\n"
)


def test_a_decision_on_an_absorbed_key_while_the_dedupe_log_is_mid_merge_names_the_log(
    review: Path,
) -> None:
    """R2 screened Harvey2014x on a branch; the dedupe log came out of another merge with
    conflict markers. The decision is not for a record "not in the corpus (did you mean
    Harvey2014?)": the log that says where it went does not load, and that is what to mend."""
    (review / "corpus" / "screening").mkdir()
    (review / "corpus" / "screening" / "R2.yaml").write_text(
        "version: 1\ndecisions:\n- key: Harvey2014x\n  stage: title-abstract\n"
        "  decision: include\n  date: '2026-12-07'\n",
        encoding="utf-8",
    )
    assert run(review, "screen")[0] in (0, 1)
    log = review / "corpus" / "duplicates.yaml"
    text = log.read_text(encoding="utf-8")
    at = text.index(DUPLICATES_DECISION)
    log.write_text(text.replace(DUPLICATES_DECISION, DUPLICATES_CONFLICT, 1), encoding="utf-8")
    marker = text[:at].count("\n") + 1
    for command in (("screen",), ("tag",), ("screen", "conflicts")):
        code, _, err = run(review, *command)
        assert code == 2, (command, err)
        assert "did you mean" not in err and "not in the corpus" not in err, (command, err)
        assert re.search(
            r"corpus/screening/R2\.yaml:3( \[\w+\])?: error: 'Harvey2014x' was absorbed by a "
            r"dedupe merge, and corpus/duplicates\.yaml does not load \(mend "
            r"corpus/duplicates\.yaml first\)",
            err,
        ), (command, err)
        assert (
            f"corpus/duplicates.yaml:{marker}: error: git merge-conflict marker <<<<<<<" in err
        ), (command, err)


TWICE_THROUGH_A_MERGE = """version: 1
decisions:
- key: Harvey2014
  stage: title-abstract
  decision: include
  date: '2026-12-07'
- key: Harvey2014x
  stage: title-abstract
  decision: exclude
  reason: not-empirical
  date: '2026-12-07'
"""


def _decided_both_copies(review: Path) -> Path:
    """R2 screened both copies of one work on a branch; dedupe on another branch merged
    Harvey2014x into Harvey2014 (the shipped log holds that merge): after git merges the two,
    R2 has decided Harvey2014 twice, differently."""
    own = review / "corpus" / "screening" / "R2.yaml"
    own.parent.mkdir()
    own.write_text(TWICE_THROUGH_A_MERGE, encoding="utf-8")
    code, _, err = run(review, "screen")
    assert code == 2 and "R2 decided Harvey2014 at title-abstract twice" in err, err
    return own


def test_undo_of_the_absorbed_copy_mends_a_reviewer_who_decided_both_copies(
    review: Path, decisions_read: str
) -> None:
    own = _decided_both_copies(review)
    code, out, err = run(
        review, "screen", "undo", "Harvey2014x", "--reviewer", "R2", "--stage", "title-abstract"
    )
    assert code == 0, out + err
    assert "R2: removed Harvey2014x (merged into Harvey2014) exclude at title-abstract" in out, out
    text = own.read_text(encoding="utf-8")
    assert "Harvey2014x" not in text and "key: Harvey2014\n" in text, text
    code, _, err = run(review, "screen")
    assert code in (0, 1) and "twice" not in err, err


def test_deciding_again_replaces_both_decisions_of_a_reviewer_who_decided_both_copies(
    review: Path,
    decisions_read: str,
) -> None:
    own = _decided_both_copies(review)
    code, out, err = run(
        review,
        "screen",
        "decide",
        "Harvey2014",
        "include",
        "--reviewer",
        "R2",
        "--stage",
        "title-abstract",
        "--date",
        "2026-12-08",
    )
    assert code == 0, out + err
    text = own.read_text(encoding="utf-8")
    assert text.count("- key:") == 1 and "Harvey2014x" not in text, text
    assert "date: '2026-12-08'" in text, text
    code, _, err = run(review, "screen")
    assert code in (0, 1) and "twice" not in err, err


def test_a_write_on_another_record_still_refuses_a_reviewer_file_that_decides_one_twice(
    review: Path,
    decisions_read: str,
) -> None:
    own = _decided_both_copies(review)
    before = own.read_bytes()
    code, _, err = run(
        review, "screen", "decide", "Ham2011", "include", "--reviewer", "R2",
        "--stage", "title-abstract",
    )  # fmt: skip
    assert code == 2 and "R2 decided Harvey2014 at title-abstract twice" in err, err
    assert "litreview screen undo Harvey2014x --reviewer R2 --stage title-abstract" in err, err
    assert own.read_bytes() == before


def test_undo_of_a_copy_keeps_the_other_decision_whichever_the_file_lists_first(
    review: Path,
    decisions_read: str,
) -> None:
    """The decision a file lists first counts and the later one repeats it; undoing the first
    leaves the other, written back, not lost with it. Undoing the record undoes both."""
    own = _decided_both_copies(review)
    code, out, err = run(
        review, "screen", "undo", "Harvey2014", "--reviewer", "R2", "--stage", "title-abstract"
    )
    assert code == 0, out + err
    assert "removed Harvey2014 include" in out, out
    assert "removed Harvey2014x (merged into Harvey2014) exclude" in out, out
    assert not own.exists()  # nothing left in R2's file
    own.write_text(
        "version: 1\ndecisions:\n"
        "- key: Harvey2014x\n  stage: title-abstract\n  decision: exclude\n"
        "  reason: not-empirical\n  date: '2026-12-07'\n"
        "- key: Harvey2014\n  stage: title-abstract\n  decision: include\n"
        "  date: '2026-12-07'\n",
        encoding="utf-8",
    )  # the absorbed copy's decision first
    assert run(review, "screen")[0] == 2
    code, out, err = run(
        review, "screen", "undo", "Harvey2014x", "--reviewer", "R2", "--stage", "title-abstract"
    )
    assert code == 0, out + err
    text = own.read_text(encoding="utf-8")
    assert "Harvey2014x" not in text and "key: Harvey2014\n" in text, text
    assert "decision: include" in text, text


def test_check_reports_a_narrative_citing_as_included_a_study_screening_excluded(
    review: Path,
) -> None:
    """A teammate excluded a study at full text on their branch; the narrative still cites it as
    directly relevant. ``status`` and ``render`` said "8 problems in stored files -> litreview
    check", and the check, the CI gate, passed with none of them."""
    code, out, err = run(
        review, "screen", "decide", "Harvey2014", "exclude", "--reason", "off-topic",
        "--stage", "full-text", "--reviewer", "R1",
    )  # fmt: skip
    assert code == 0, out + err
    cited = "'Harvey2014' is cited as an included study (direct) but is not included"
    code, out, err = run(review, "render")
    rendered = {line.split(": error: ")[0] for line in err.splitlines() if cited in line}
    assert code == 1 and len(rendered) == 8, err
    code, out, err = run(review, "check")
    assert code == 1, out + err
    checked = {line.strip().split(": error: ")[0] for line in out.splitlines() if cited in line}
    assert checked == rendered, out


def test_a_merge_of_a_pair_a_person_decided_different_on_another_branch_is_an_error(
    review: Path,
) -> None:
    """One branch's dedupe merged Harvey2014x into Harvey2014; on another branch a person
    decided the two are different works. git merges duplicates.yaml without a conflict (the
    decision and the merge are different lines), and the merge then stood against the person's
    verdict without a word from check or dedupe."""
    log = review / "corpus" / "duplicates.yaml"
    text = log.read_text(encoding="utf-8")
    decision = (
        "- a: Harvey2014\n  b: Harvey2014x\n  decision: different\n  reviewer: R2\n"
        "  date: '2026-12-07'\n  note: different editions\n"
    )
    log.write_text(text.replace("merges:\n", decision + "merges:\n", 1), encoding="utf-8")
    line = text[: text.index("merges:\n")].count("\n") + 1
    code, out, err = run(review, "check")
    assert code == 1, out + err
    assert (
        f"corpus/duplicates.yaml:{line}: error: Harvey2014 and Harvey2014x were decided "
        "different works, but a dedupe merge joined them into Harvey2014"
    ) in out, out
    assert "litreview dedupe undo Harvey2014x" in out, out
    code, out, err = run(review, "dedupe")
    assert code == 1, out + err
    assert (
        f"corpus/duplicates.yaml:{line}: warning: Harvey2014 and Harvey2014x were decided "
        "different works, but a dedupe merge joined them into Harvey2014"
    ) in err, err
    code, out, err = run(review, "dedupe", "undo", "Harvey2014x", "--reviewer", "R2")
    assert code == 0, out + err
    code, out, err = run(review, "check")
    assert "were decided different works" not in out, out


AGREEING_THROUGH_A_MERGE = """version: 1
decisions:
- key: Harvey2014
  stage: title-abstract
  decision: include
  date: '2026-12-07'
- key: Harvey2014x
  stage: title-abstract
  decision: include
  date: '2026-12-06'
  note: the journal version; the interviews are with 40 consultants
"""


def test_a_write_keeps_a_reviewers_agreeing_decision_on_the_absorbed_copy_and_its_note(
    review: Path,
    decisions_read: str,
) -> None:
    """R2 screened both copies alike on a branch, with a note on the absorbed one; the two count
    as one decision. R2's next decision on another record rewrote the file without the one on
    Harvey2014x, and its note, without a word."""
    own = review / "corpus" / "screening" / "R2.yaml"
    own.parent.mkdir()
    own.write_text(AGREEING_THROUGH_A_MERGE, encoding="utf-8")
    assert run(review, "screen")[0] in (0, 1)  # read (and, large, cached) before the write
    code, out, err = run(
        review, "screen", "decide", "Ham2011", "include", "--reviewer", "R2",
        "--stage", "title-abstract", "--date", "2026-12-08",
    )  # fmt: skip
    assert code == 0, out + err
    text = own.read_text(encoding="utf-8")
    assert "key: Harvey2014x" in text and "40 consultants" in text, text
    assert "key: Harvey2014\n" in text and "key: Ham2011" in text, text
    # written again unchanged: the same bytes
    code, out, err = run(
        review, "screen", "decide", "Ham2011", "include", "--reviewer", "R2",
        "--stage", "title-abstract", "--date", "2026-12-08",
    )  # fmt: skip
    assert code == 0 and own.read_text(encoding="utf-8") == text
    # deciding the record again replaces both, as with one decision
    code, out, err = run(
        review, "screen", "decide", "Harvey2014", "exclude", "--reason", "not-empirical",
        "--reviewer", "R2", "--stage", "title-abstract",
    )  # fmt: skip
    assert code == 0, out + err
    text = own.read_text(encoding="utf-8")
    assert "Harvey2014x" not in text and text.count("key: Harvey2014\n") == 1, text


def _conflict_at(path: Path, line: int) -> None:
    """Both sides of a merge kept around line ``line`` (1-based), as git leaves them."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = line - 1
    lines[i : i + 1] = ["<<<<<<< HEAD", lines[i], "=======", lines[i], ">>>>>>> other"]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("name", ["theme-overrides.yaml", "rule-audit.yaml", "fulltext.yaml"])
def test_status_and_render_stop_on_conflict_markers_in_any_file_people_write(
    review: Path, name: str
) -> None:
    """status said only "problems in stored files: 96", advised drawing a first rule audit (the
    draws were in the conflicted file), and render wrote the appendix without the people's
    theme overrides or audit, exit 1: outputs from half a review."""
    path = review / "corpus" / name
    if name == "fulltext.yaml":
        code, out, err = run(
            review, "fulltext", "set", "Harvey2014", "retrieved", "--path", "ft/harvey.pdf"
        )
        assert code == 0, out + err
    _conflict_at(path, 6)
    wanted = f"corpus/{name}:6: error: git merge-conflict marker <<<<<<<"
    for command in (("status",), ("render",), ("run",), ("export", "--format", "csv")):
        code, out, err = run(review, *command)
        assert code == 2, (command, out + err)
        assert wanted in err, (command, err)
    assert not (review / "build").exists()
    code, out, err = run(review, "check")
    assert code == 1 and wanted in out, out


def test_resolve_finds_the_conflict_through_the_absorbed_key_a_decision_was_written_with(
    review: Path,
) -> None:
    """R2 decided Harvey2014x on a branch before dedupe merged it into Harvey2014, which R1
    includes. Resolving by the key R2's file shows found "no open conflicts"."""
    own = review / "corpus" / "screening" / "R2.yaml"
    own.parent.mkdir()
    own.write_text(
        "version: 1\ndecisions:\n- key: Harvey2014x\n  stage: title-abstract\n"
        "  decision: exclude\n  reason: not-empirical\n  date: '2026-12-07'\n",
        encoding="utf-8",
    )
    code, out, err = run(review, "screen", "conflicts")
    assert code == 1 and "Harvey2014 at title-abstract" in out, out + err
    code, out, err = run(review, "screen", "resolve", "Harvey2014x", "include", "--reviewer", "R3")
    assert code == 0, out + err
    assert "resolves the conflict" in out, out
    code, out, err = run(review, "screen", "conflicts")
    line = next(x for x in out.splitlines() if x.startswith("Harvey2014 at title-abstract"))
    assert line.endswith("[decision, resolved]"), out


def test_conflict_markers_in_absorbed_bib_are_errors_at_their_lines(review: Path) -> None:
    """Two branches' dedupe runs each appended a merge's block to absorbed.bib; git left both
    blocks between markers. check passed (it reads only the '% merge' lines), and `dedupe undo`
    read the blocks with the marker lines in them and rewrote the file without them."""
    path = review / "corpus" / "absorbed.bib"
    text = path.read_text(encoding="utf-8")
    starts = [i for i in range(len(text)) if text.startswith("\n% merge ", i)]
    a, b = starts[-2], starts[-1]
    path.write_text(
        text[:a] + "\n<<<<<<< HEAD" + text[a:b] + "\n=======" + text[b:] + ">>>>>>> other\n",
        encoding="utf-8",
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    at = {m: lines.index(m) + 1 for m in ("<<<<<<< HEAD", "=======", ">>>>>>> other")}
    survivor = text[b:].split()[2]
    code, out, err = run(review, "check")
    assert code == 1, out + err
    for marker, line in at.items():
        assert (
            f"corpus/absorbed.bib:{line}: error: git merge-conflict marker {marker[:7]}" in out
        ), out
    before = path.read_bytes()
    code, out, err = run(review, "dedupe", "undo", survivor)
    assert code == 2, out + err
    assert f"corpus/absorbed.bib:{at['<<<<<<< HEAD']}: error: git merge-conflict marker" in err
    assert path.read_bytes() == before


def test_conflict_markers_in_the_reviews_own_template_are_an_error_at_their_line(
    review: Path,
) -> None:
    """Two people edited the review's own appendix template on their branches; git left both
    headings between markers. check passed and render wrote the markers into the appendix."""
    from litreview.report.render import TEMPLATES_DIR

    (review / "templates").mkdir()
    own = review / "templates" / "appendix.md.j2"
    own.write_text((TEMPLATES_DIR / "appendix.md.j2").read_text(encoding="utf-8"), "utf-8")
    _conflict_at(own, 4)
    wanted = "templates/appendix.md.j2:4: error: template error: git merge-conflict marker"
    code, out, err = run(review, "check")
    assert code == 1 and wanted in out, out + err
    code, out, err = run(review, "render", "--templates", str(review / "templates"))
    assert code == 2 and wanted in err, out + err
    appendix = review / "build" / "appendix.md"
    assert not appendix.exists() or "<<<<<<<" not in appendix.read_text(encoding="utf-8")


def test_status_does_not_advise_a_first_rule_audit_while_the_audit_file_does_not_load(
    review: Path,
) -> None:
    """The draws are in corpus/rule-audit.yaml, which a bad edit left unreadable: "none drawn
    for an audit yet -> screen audit --sample 30" would have a person draw again. A file that is
    not YAML stops `status` with its line (exit 2), as an unreadable extraction.yaml does."""
    path = review / "corpus" / "rule-audit.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  seed: 1\n" in text
    path.write_text(text.replace("  seed: 1\n", "  seed: [1\n", 1), encoding="utf-8")
    code, out, err = run(review, "status")
    assert code == 2, out + err
    assert "none drawn" not in out, out
    assert "corpus/rule-audit.yaml:" in err and "invalid YAML" in err, err


def test_fulltext_set_mends_a_record_listed_twice_through_a_dedupe_merge(review: Path) -> None:
    """Full texts were recorded for both copies of one work on two branches; after dedupe's
    merge the file lists Harvey2014 twice, and `fulltext set`, which replaces a record's item,
    refused with that very error."""
    code, out, err = run(
        review, "fulltext", "set", "Harvey2014", "retrieved", "--url", "https://x.org/h"
    )
    assert code == 0, out + err
    path = review / "corpus" / "fulltext.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("- key: Harvey2014x\n  status: not-retrieved\n  reason: no library had it\n")
    code, out, err = run(
        review, "fulltext", "set", "Ham2011", "retrieved", "--url", "https://x.org/a"
    )
    assert code == 2 and "Harvey2014 is listed twice (as Harvey2014x)" in err, out + err
    assert "`litreview fulltext set Harvey2014 ...` replaces both" in err, err
    code, out, err = run(
        review, "fulltext", "set", "Harvey2014", "not-retrieved", "--reason", "withdrawn"
    )
    assert code == 0, out + err
    text = path.read_text(encoding="utf-8")
    assert "Harvey2014x" not in text and text.count("key: Harvey2014\n") == 1, text
    assert "reason: withdrawn" in text, text


EXPORT = (
    "TY  - JOUR\nAU  - Zeta, Anna\n"
    "TI  - Clinical directors and general managers in two NHS trusts\nPY  - 2010\n"
    "JO  - Journal of Health Organization and Management\nER  - \n"
)


def test_check_reports_one_export_imported_twice_under_two_names_on_two_branches(
    review: Path,
) -> None:
    """Each branch imported the same export, saved under another name; `import` refuses a copy
    of an export the corpus holds, but each branch held only its own. git's merge joined the
    records' provenance, and PRISMA counted the export's records twice as identified."""
    searches = review / "corpus" / "searches"
    (searches / "scopus.ris").write_text(EXPORT, encoding="utf-8")
    code, out, err = run(
        review, "import", str(searches / "scopus.ris"), "--source", "database-search"
    )
    assert code == 0, out + err
    code, _, _ = run(review, "check")
    assert code == 0
    records = review / "corpus" / "records.bib"
    text = records.read_text(encoding="utf-8")
    one = "  provenance = {database-search|corpus/searches/scopus.ris|1|},\n"
    assert one in text
    (searches / "scopus-2.ris").write_text(EXPORT, encoding="utf-8")  # the other branch's copy
    records.write_text(
        text.replace(
            one,
            "  provenance = {database-search|corpus/searches/scopus-2.ris|1|;\n"
            "                database-search|corpus/searches/scopus.ris|1|},\n",
        ),
        encoding="utf-8",
    )
    code, out, err = run(review, "check")
    assert code == 1, out + err
    assert (
        "corpus/searches/scopus-2.ris: error: holds the same bytes as corpus/searches/scopus.ris, "
        "and the corpus holds records of both: its 1 record is counted twice in PRISMA's "
        "identified records"
    ) in out, out


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("name", ["screening.yaml", "screening/R2.yaml", "extraction.yaml"])
def test_every_marker_of_a_diff3_merge_is_an_error_in_any_file_with_either_line_end(
    review: Path, name: str, newline: str
) -> None:
    """git's diff3 style adds a ``|||||||`` line over the base; a file saved on Windows ends
    each line in CRLF; a marker may carry no label. Every people's file finds each marker line
    by the one rule records.bib and the templates use."""
    path = review / "corpus" / name
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(
            "version: 1\ndecisions:\n- key: Ham2011\n  stage: title-abstract\n"
            "  decision: include\n",
            encoding="utf-8",
        )
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("- key:"))
    lines[i:i] = ["<<<<<<<", "|||||||", "=======", ">>>>>>>"]
    path.write_bytes(newline.join(lines).encode("utf-8"))
    code, out, err = run(review, "check")
    assert code in (1, 2), out + err
    for n, marker in enumerate(("<<<<<<<", "|||||||", "=======", ">>>>>>>")):
        wanted = f"corpus/{name}:{i + 1 + n}: error: git merge-conflict marker {marker}"
        assert wanted in out + err, (wanted, out + err)
