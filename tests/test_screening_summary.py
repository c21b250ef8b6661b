"""Plain `screen` and `tag` answer from the screening's summary, kept beside the whole result
under the same digest: the same bytes as the whole result gives, never a summary of other inputs."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.files import derived
from litreview.project import Project
from litreview.review import Review

from .conftest import copy_of_shipped_review

#: a reviewer of their own whose decision keeps the title it was made on (the made-on check reads
#: the decisions when its cached answer is missing)
_R7 = (
    "version: 1\ndecisions:\n- key: Dwyer2010\n"
    "  title: 'Medical managers in contemporary healthcare organisations: a consideration of…'\n"
    "  stage: title-abstract\n  decision: include\n  reviewer: R7\n"
)


@pytest.fixture
def review(tmp_path: Path) -> Project:
    project = Project(copy_of_shipped_review(tmp_path / "reference"))
    own = project.root / "corpus" / "screening"
    own.mkdir()
    (own / "R7.yaml").write_text(_R7, encoding="utf-8")
    return project


def _run(project: Project, *args: str) -> tuple[str, str, int]:
    result = CliRunner().invoke(cli, ["-C", str(project.root), *args])
    return result.stdout, result.stderr, result.exit_code


def _fresh(project: Project, *args: str) -> tuple[str, str, int]:
    """The command on the files alone: no cached result of any kind."""
    shutil.rmtree(project.root / ".litreview-cache", ignore_errors=True)
    return _run(project, *args)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _year_1990(project: Project) -> None:
    """Atkinson 2011, an included study, dated 1990: out of the review's period."""
    text = project.records.read_text(encoding="utf-8")
    start = text.index("{Atkinson2011,")
    end = text.index("\n}", start)
    entry = re.sub(r"year = \{\d{4}\}", "year = {1990}", text[start:end])
    project.records.write_text(text[:start] + entry + text[end:], encoding="utf-8")


def _unmerged(project: Project) -> None:
    """A decision on a key a merge absorbed, then the merges gone: the key is unknown (exit 2)."""
    _edit(
        project.screening,
        "decisions:\n",
        "decisions:\n- key: Harvey2014x\n  stage: full-text\n  decision: include\n"
        "  reviewer: R9\n  date: '2026-12-01'\n",
    )
    _run(project, "screen")  # the summary of the review with the merge, kept
    text = project.duplicates.read_text(encoding="utf-8")
    project.duplicates.write_text(text[: text.index("merges:")] + "merges: []\n", encoding="utf-8")


#: one change per file screening reads, each visible in what plain `screen` says
_SCREEN_EDITS: dict[str, Callable[[Project], None]] = {
    "records.bib": _year_1990,
    "review.yaml": lambda r: _edit(r.protocol, "max: 2015", "max: 2010"),
    "screening.yaml": lambda r: _edit(
        r.screening,
        "- key: Atkinson2011\n  stage: full-text\n  decision: include\n",
        "- key: Atkinson2011\n  stage: full-text\n  decision: exclude\n  reason: off-topic\n",
    ),
    "a reviewer's file": lambda r: _edit(
        r.root / "corpus" / "screening" / "R7.yaml",
        "title: 'Medical managers in contemporary healthcare organisations: a consideration of…'",
        "title: 'Nurses in primary care: a survey of rural practices'",
    ),
    "duplicates.yaml": _unmerged,
    "fulltext.yaml": lambda r: (r.root / "corpus" / "fulltext.yaml").write_text(
        "version: 1\nitems:\n- key: Harvy2014\n  status: retrieved\n", encoding="utf-8"
    ),
}


def _kept_summary(project: Project) -> derived.ScreenedSummary | None:
    """The summary the cache holds for the review's files as they are now, or None."""
    project = Project(project.root)
    review = Review.of(project)
    digest = derived._screening_digest(project, review.sound_corpus(), review.protocol)
    found = derived.peek(project, "screening-summary", digest)
    return found if isinstance(found, derived.ScreenedSummary) else None


def _summary_of_whole(project: Project) -> derived.ScreenedSummary:
    project = Project(project.root)
    review = Review.of(project)
    done = derived.screened(project, review.sound_corpus(), review.protocol)
    return derived.ScreenedSummary.of(done)


@pytest.mark.parametrize("changed", sorted(_SCREEN_EDITS))
def test_plain_screen_after_any_input_changes_says_what_the_files_alone_give(
    review: Project, changed: str
) -> None:
    first = _run(review, "screen")
    assert _run(review, "screen") == first
    _SCREEN_EDITS[changed](review)
    before = Counter(derived.COMPUTED)
    after = _run(review, "screen")
    assert derived.COMPUTED["screening"] == before["screening"] + 1, changed
    assert after != first, f"the change to {changed} is not seen"
    assert _run(review, "screen") == after
    assert _fresh(review, "screen") == after


@pytest.mark.parametrize("changed", sorted(_SCREEN_EDITS))
def test_the_kept_summary_is_the_summary_of_the_kept_whole_screening(
    review: Project, changed: str
) -> None:
    _run(review, "screen")
    _SCREEN_EDITS[changed](review)
    _run(review, "status")  # the whole screening computed for status keeps its summary too
    kept = _kept_summary(review)
    assert kept is not None
    assert kept == _summary_of_whole(review)
    shutil.rmtree(review.root / ".litreview-cache")
    assert kept == _summary_of_whole(review)


def test_a_warm_plain_screen_and_tag_never_read_the_whole_screening(
    review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen, tag = _run(review, "screen"), _run(review, "tag")
    monkeypatch.setattr(
        derived, "screened", lambda *a, **k: pytest.fail("the whole screening was read")
    )
    assert _run(review, "screen") == screen
    assert _run(review, "tag") == tag


def test_the_decisions_are_read_when_a_cached_answer_keyed_by_their_files_is_missing(
    review: Project,
) -> None:
    _edit(
        review.root / "corpus" / "screening" / "R7.yaml",
        "title: 'Medical managers",
        "title: 'Nurses in primary care: a survey of rural practices' # was 'Medical managers",
    )
    first = _run(review, "screen")
    assert "Dwyer2010" in first[1] and first[2] == 1, first  # the made-on check found it
    for name in ("made-on", "conflicts"):
        for path in (review.root / ".litreview-cache").glob(f"{name}-*"):
            path.unlink()
    before = Counter(derived.COMPUTED)
    assert _run(review, "screen") == first
    assert derived.COMPUTED["screening"] == before["screening"]  # read, not computed


def test_a_missing_summary_is_made_from_the_kept_whole_screening(review: Project) -> None:
    first = _run(review, "screen")
    for path in (review.root / ".litreview-cache").glob("screening-summary-*"):
        path.unlink()
    before = Counter(derived.COMPUTED)
    assert _run(review, "screen") == first
    assert derived.COMPUTED["screening"] == before["screening"]
    assert _kept_summary(review) == _summary_of_whole(review)


@pytest.mark.parametrize(
    "changed",
    ["themes.yaml", "screening.yaml", "records.bib", "duplicates.yaml"],
)
def test_tag_after_a_change_to_what_it_scopes_or_tags_by_says_what_the_files_alone_give(
    review: Project, changed: str
) -> None:
    edits: dict[str, Callable[[Project], None]] = {
        **_SCREEN_EDITS,
        "themes.yaml": lambda r: _edit(r.themes, "threshold: 2.0", "threshold: 200.0"),
        "records.bib": lambda r: _edit(
            r.records, "trusts with high levels of medical engagement", "trusts"
        ),
    }
    first = _run(review, "tag")
    assert _run(review, "tag") == first
    edits[changed](review)
    after = _run(review, "tag")
    assert after != first, f"the change to {changed} is not seen"
    assert _fresh(review, "tag") == after


def test_a_review_nobody_screened_yet_never_reads_the_whole_screening_when_warm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(copy_of_shipped_review(tmp_path / "reference"))
    project.screening.write_text("version: 1\ndecisions: []\n", encoding="utf-8")
    first = _run(project, "screen")
    assert "needs a person" in first[0] and first[2] == 1, first
    monkeypatch.setattr(
        derived, "screened", lambda *a, **k: pytest.fail("the whole screening was read")
    )
    assert _run(project, "screen") == first
