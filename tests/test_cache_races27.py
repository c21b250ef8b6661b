"""A derived result is never cached under a digest of bytes it was not computed from.

Each test rewrites an input file at the worst moment for the cache (just after its bytes are
hashed for the digest and before they are parsed, or just before they are hashed when they
were parsed first), as a `screen decide` in another terminal would during a `screen`, then
puts the file back (`screen undo`) where that matters, and shows that the next command serves
what a computation from scratch gives for the files as they are."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from litreview.files import derived, fsutil
from litreview.project import Project
from litreview.workflow.pipeline import ReviewState, load_state

from .conftest import copy_of_shipped_review, invoke


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_of_shipped_review(tmp_path / "reference")


def _fresh(root: Path) -> ReviewState:
    """The review computed from scratch, no cache file read (the cache is kept aside)."""
    cache = root / ".litreview-cache"
    aside = root.parent / "cache-aside"
    if cache.exists():
        shutil.move(cache, aside)
    try:
        return load_state(Project(root))
    finally:
        if aside.exists():
            shutil.rmtree(cache, ignore_errors=True)
            shutil.move(aside, cache)


def _rewrite_when_hashed(
    monkeypatch: pytest.MonkeyPatch,
    path: Path,
    new: bytes,
    *,
    before: bool = False,
    at_call: int = 1,
) -> list[int]:
    """Write ``new`` into ``path`` when the derived-results cache hashes it for the
    ``at_call``-th time: just after the hashing (a change between hashing and parsing) or,
    ``before``, just before it (a change between parsing and hashing)."""
    real: Callable[[Any], str] = fsutil.kept_sha256
    calls = [0]

    def hashing(fh: Any) -> str:  # the cache hashes each input through an open file
        if Path(fh.name).resolve() == path.resolve():
            calls[0] += 1
            if calls[0] == at_call and before:
                path.write_bytes(new)  # the same file, rewritten in place: fh reads the new bytes
            found = real(fh)
            if calls[0] == at_call and not before:
                path.write_bytes(new)
            return found
        return real(fh)

    monkeypatch.setattr(derived, "kept_sha256", hashing)
    return calls


def _as_a_new_process() -> None:
    """Forget what this process took each input file to hold, as the next command starts."""
    getattr(fsutil, "_TAKEN", {}).clear()


def _edited(path: Path, old: str, new: str) -> bytes:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    return text.replace(old, new, 1).encode("utf-8")


_DAVIES_EXCLUDED = (
    "- key: Davies2003a\n  stage: title-abstract\n  decision: exclude\n  reason: out-of-period\n"
)
_DAVIES_INCLUDED = "- key: Davies2003a\n  stage: full-text\n  decision: include\n"


def test_a_decision_written_between_hashing_and_reading_is_never_served_for_the_old_bytes(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screening = root / "corpus" / "screening.yaml"
    old = screening.read_bytes()
    new = _edited(screening, _DAVIES_EXCLUDED, _DAVIES_INCLUDED)
    with monkeypatch.context() as m:
        calls = _rewrite_when_hashed(m, screening, new)
        during = load_state(Project(root))  # hashed the old decisions, screened the new ones
    assert calls[0] >= 1
    screening.write_bytes(old)  # `screen undo`: the old bytes again
    after = load_state(Project(root))
    fresh = _fresh(root)
    assert during.screening != fresh.screening, "the rewrite must change the screening"
    assert after.screening == fresh.screening
    assert after.prisma == fresh.prisma


def test_a_reviewers_file_rewritten_between_hashing_and_reading_is_never_served_for_the_old_bytes(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-file cache of a large decisions file (``reviewers._load_one``)."""
    from litreview.review import Review
    from litreview.screen import reviewers

    screening = root / "corpus" / "screening.yaml"
    old = screening.read_bytes()
    new = _edited(screening, _DAVIES_EXCLUDED, _DAVIES_INCLUDED)
    monkeypatch.setattr(reviewers, "CACHED_BYTES", 0)

    def read() -> tuple[object, ...]:
        project = Project(root)
        review = Review.of(project)
        found, _problems = reviewers.load_all_decisions(
            project, list(review.sound_corpus().keys), review.protocol
        )
        return found

    with monkeypatch.context() as m:
        _rewrite_when_hashed(m, screening, new)
        during = read()
    screening.write_bytes(old)
    after = read()
    monkeypatch.setattr(reviewers, "CACHED_BYTES", 1 << 40)  # read, not cached
    fresh = read()
    assert during != fresh, "the rewrite must change the decisions read"
    assert after == fresh


def test_themes_changed_between_reading_and_hashing_never_key_the_old_tags_to_the_new_bytes(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    themes = root / "themes.yaml"
    new = _edited(themes, "  threshold: 2.0\n", "  threshold: 0.5\n")
    with monkeypatch.context() as m:
        _rewrite_when_hashed(m, themes, new, before=True)
        during = load_state(Project(root))  # read the old themes, hashed the new ones
    after = load_state(Project(root))  # the file holds the new themes, as it does from now on
    fresh = _fresh(root)
    assert after.tags is not None and fresh.tags is not None and during.tags is not None
    assert {k: r.ids for k, r in during.tags.records.items()} != {
        k: r.ids for k, r in fresh.tags.records.items()
    }, "the new themes must change the tags"
    assert {k: r.ids for k, r in after.tags.records.items()} == {
        k: r.ids for k, r in fresh.tags.records.items()
    }


def test_a_protocol_changed_between_reading_and_hashing_never_keys_the_old_screening_to_it(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    protocol = root / "review.yaml"
    text = protocol.read_text(encoding="utf-8")
    # a protocol that changes the screening: the period's first year moves on by six
    import re

    found = re.search(r"(\n\s*min: )(\d{4})", text)
    assert found, "the shipped protocol's year criterion"
    new = (text[: found.start(2)] + str(int(found[2]) + 6) + text[found.end(2) :]).encode()
    with monkeypatch.context() as m:
        _rewrite_when_hashed(m, protocol, new, before=True)
        during = load_state(Project(root))  # read the old protocol, hashed the new one
    after = load_state(Project(root))
    fresh = _fresh(root)
    assert during.screening != fresh.screening, "the new protocol must change the screening"
    assert after.screening == fresh.screening
    assert after.prisma == fresh.prisma


def test_check_findings_never_key_a_file_parsed_before_a_change_to_the_bytes_after_it(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check` hashes its inputs again after checking, to keep its findings: a file that changed
    after it was checked must not have the findings of its old content kept for its new."""
    extraction = root / "corpus" / "extraction.yaml"
    broken = extraction.read_bytes() + b"\nstudies: [not closed\n"
    # the first hash is the cache look-up before checking, the second the one after it
    with monkeypatch.context() as m:
        _rewrite_when_hashed(m, extraction, broken, before=True, at_call=2)
        invoke(root, "check")
    code, out, err = invoke(root, "check")
    assert code == 1, out + err
    assert "corpus/extraction.yaml:" in out and "invalid YAML" in out


def test_conflict_counts_from_decisions_served_by_the_cache_never_key_a_later_change(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new process: the screening (the decisions with it) comes from the cache, untouched by
    any parse; a second reviewer's decision lands before the conflict counts hash the file.
    Those counts are of the decisions as served, not of the file as hashed."""
    import traceback

    screening = root / "corpus" / "screening.yaml"
    text = screening.read_text(encoding="utf-8")
    assert "- key: Ackroyd2007\n  stage: title-abstract\n  decision: exclude\n" in text
    disagreeing = (
        text + "- key: Ackroyd2007\n  stage: title-abstract\n  decision: include\n"
        "  reviewer: R2\n  date: '2026-12-01'\n"
    ).encode()
    invoke(root, "screen")  # everything cached
    _as_a_new_process()
    real = fsutil.kept_sha256

    def hashing(fh: Any) -> str:
        counting = any(f.name == "conflict_counts" for f in traceback.extract_stack())
        if Path(fh.name) == screening and counting and screening.read_bytes() != disagreeing:
            screening.write_bytes(disagreeing)  # in place: the open file reads the new bytes
        return real(fh)

    with monkeypatch.context() as m:
        m.setattr(derived, "kept_sha256", hashing)
        invoke(root, "screen")
    _as_a_new_process()
    _code, after, _err = invoke(root, "screen")
    shutil.rmtree(root / ".litreview-cache")
    _as_a_new_process()
    _code, fresh, _err = invoke(root, "screen")
    assert "unsettled: 1 conflict" in fresh, fresh
    assert after == fresh


def test_status_is_never_kept_for_bytes_it_did_not_read(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`status` keys its answer by the check's digest (file bytes) and every corpus file's size and
    time. A decision written just after the bytes were hashed, and later the old bytes put back
    with the new file's time (a copy that keeps times), must not bring back the new answer."""
    import os
    import traceback

    screening = root / "corpus" / "screening.yaml"
    old = screening.read_bytes()
    new = _edited(screening, _DAVIES_EXCLUDED, _DAVIES_INCLUDED)
    new += b"#" * (len(old) - len(new) - 1) + b"\n"  # the same size as the old bytes
    assert len(new) == len(old)
    real = fsutil.kept_sha256
    fired = []

    def hashing(fh: Any) -> str:
        found = real(fh)
        if (
            Path(fh.name) == screening
            and not fired
            and any(f.name == "review_status" for f in traceback.extract_stack())
        ):
            fired.append(True)
            screening.write_bytes(new)
        return found

    with monkeypatch.context() as m:
        m.setattr(derived, "kept_sha256", hashing)
        invoke(root, "status", "--json")
    assert fired
    st = screening.stat()
    screening.write_bytes(old)
    os.utime(screening, ns=(st.st_atime_ns, st.st_mtime_ns))
    _as_a_new_process()
    _code, after, _err = invoke(root, "status", "--json")
    shutil.rmtree(root / ".litreview-cache")
    _as_a_new_process()
    _code, fresh, _err = invoke(root, "status", "--json")
    assert after == fresh
