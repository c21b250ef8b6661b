"""One review's stored files, each read once per command and shared by every step that needs it.

A command used to read review.yaml in each step it ran (``run`` read it five times, and the dedupe
log twice) through four different loaders. :meth:`Review.of` gives the one ``Review`` of a
:class:`~litreview.project.Project`; its parts are read on first use and kept while the file on
disk is the same. A command that rewrites a file (``import`` and ``dedupe`` rewrite records.bib)
needs no care: every stored file is replaced by a rename, so its inode, size or time changes and
the next use reads it again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from litreview.model import Problem
from litreview.project import Project

if TYPE_CHECKING:
    from litreview.corpus.mergemap import MergeMap
    from litreview.corpus.store import Corpus
    from litreview.dedupe.store import DuplicatesFile
    from litreview.protocol import Protocol
    from litreview.tag.themes import Themes

T = TypeVar("T")

#: how many times each part was read from disk (the tests that pin "read once" count them)
READS: dict[str, int] = {}


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class Review:
    """The protocol, themes, corpus and merge map of one review, read on first use."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._parts: dict[str, tuple[Any, Any, Any]] = {}

    @classmethod
    def of(cls, project: Project) -> Review:
        """The review of ``project``: one per ``Project`` value, so every step of a command that
        was handed the same project shares what the others read."""
        found = project.__dict__.get("_review")
        if found is None:
            found = cls(project)
            object.__setattr__(
                project, "_review", found
            )  # Project is frozen; the memo is not state
        return found

    def _part(
        self, name: str, paths: tuple[Path, ...], load: Callable[[], T], given: Any = None
    ) -> T:
        """``load()``, or what it gave last time when the files at ``paths`` are the same and
        so is ``given`` (what else the value depends on, compared by ``==``)."""
        stamp = tuple(_stamp(p) for p in paths)
        kept = self._parts.get(name)
        if kept is not None and kept[0] == stamp and kept[2] == given:
            return kept[1]  # type: ignore[no-any-return]
        value = load()
        READS[name] = READS.get(name, 0) + 1
        self._parts[name] = (stamp, value, given)
        return value

    def decisions(
        self,
        known: frozenset[str] | None,
        protocol: Protocol,
        aliases: dict[str, str] | None,
        load: Callable[[], tuple[Any, list[Problem]]],
    ) -> tuple[Any, list[Problem]]:
        """Every decisions file read (``load``, :func:`~litreview.screen.reviewers.load_all_decisions`)
        once for the same records, protocol and merges: ``check`` and ``dedupe`` each read them
        twice (~5 s for a 100k review's two reviewers), through screening and through the
        matcher's "screened apart"."""
        p = self.project
        paths = tuple(p.decision_files())
        found, problems = self._part("decisions", paths, load, (known, protocol, aliases))
        return found, list(problems)

    def parsed(
        self, name: Literal["protocol", "themes"], unreadable_raises: bool = False
    ) -> tuple[Any, list[Problem]]:
        """review.yaml or themes.yaml parsed with every problem kept, warnings too (``check``
        reports them all, the steps raise the errors): ``(None, [])`` when the file is absent.
        A file that is not YAML at all comes back as (None, its problems), or with
        ``unreadable_raises`` as the ConfigError reading it raised (an input error, exit 2)."""
        from litreview.errors import ConfigError
        from litreview.files.yamlio import load_yaml

        p = self.project
        path, parse = (
            (p.protocol, _parse_protocol) if name == "protocol" else (p.themes, _parse_themes)
        )

        def load() -> tuple[Any, list[Problem], bool]:
            if not path.exists():
                return None, [], False
            shown = p.rel(path)
            try:
                value, problems = parse(load_yaml(path, shown), shown)
            except ConfigError as exc:  # not YAML at all
                return None, list(exc.problems), True
            return value, problems, False

        value, problems, unreadable = self._part(name, (path,), load)
        if unreadable and unreadable_raises:
            raise ConfigError(problems)
        return value, problems

    @property
    def protocol(self) -> Protocol:
        """review.yaml; a missing or invalid file raises the located error it always did."""
        from litreview.protocol import load_protocol, protocol_or_raise

        p = self.project
        if not p.protocol.exists():
            return load_protocol(p.protocol, p.rel(p.protocol))  # raises: no protocol
        return protocol_or_raise(self.parsed("protocol"))

    @property
    def themes(self) -> Themes:
        """themes.yaml; a missing or invalid file raises the located error it always did (ask
        ``project.themes.exists()`` first where themes are optional)."""
        from litreview.tag.themes import load_themes, themes_or_raise

        p = self.project
        if not p.themes.exists():
            return load_themes(p.themes, p.rel(p.themes))  # raises: no themes file
        return themes_or_raise(self.parsed("themes"), p.rel(p.themes))

    def corpus(self) -> Corpus:
        """records.bib as read (lazily: records are unpickled on first use), before corrections."""
        from litreview.corpus.store import load_corpus

        p = self.project
        return self._part(
            "corpus", (p.records,), lambda: load_corpus(p.records, p.rel(p.records), lazy=True)
        )

    def sound_corpus(self) -> Corpus:
        """:meth:`corpus`, or the InputError of a damaged records.bib: its parse errors (each
        reject's reason when it has none), not the decisions that lost their records; or a
        citation key two entries share (a hand edit, or a git merge that kept both sides), which
        would count one work twice in every number and show only one of them by its key."""
        from litreview.errors import InputError
        from litreview.model import Location

        corpus = self.corpus()
        if corpus.rejects:
            raise InputError(
                [p for p in corpus.problems if p.is_error]
                or [
                    Problem(Location(r.location.path, r.location.line), r.reason)
                    for r in corpus.rejects
                ]
            )
        shared = shared_keys(corpus)
        if shared:
            raise InputError(shared)
        return corpus

    def duplicates(self) -> DuplicatesFile:
        """The dedupe log, read once through the derived-results cache; raises as
        :func:`~litreview.dedupe.store.load_duplicates` does for a file that does not validate."""
        from litreview.files.derived import duplicates

        p = self.project
        return self._part("duplicates", (p.duplicates,), lambda: duplicates(p))

    @property
    def aliases(self) -> dict[str, str]:
        """``{absorbed key: survivor key}`` from the dedupe log; empty without one or when it
        cannot be read (``dedupe`` and ``check`` report its own problems)."""
        p = self.project
        return self._part("aliases", (p.duplicates,), lambda: _aliases(self))

    @property
    def merge_map(self) -> MergeMap:
        from litreview.corpus.mergemap import MergeMap

        return MergeMap(self.aliases)


def _parse_protocol(data: Any, shown: str) -> tuple[Any, list[Problem]]:
    from litreview.protocol import parse_protocol

    return parse_protocol(data, shown)


def _parse_themes(data: Any, shown: str) -> tuple[Any, list[Problem]]:
    from litreview.tag.themes import parse_themes

    return parse_themes(data, shown)


def _aliases(review: Review) -> dict[str, str]:
    if not review.project.duplicates.is_file():
        return {}
    from litreview.files.derived import aliases

    return aliases(review.project, review.duplicates)


def shared_keys(corpus: Corpus) -> list[Problem]:
    """An error for each citation key two entries of the corpus share (a hand edit, or a git
    merge that kept both sides), at its line: it would count one work twice in every number."""
    keys = corpus.keys
    if len(set(keys)) == len(keys):
        return []
    from collections import Counter

    from litreview.model import Location

    return [
        Problem(
            Location(corpus.path, corpus.lines.get(key), key),
            f"citation key {key!r} is used by {n} entries",
            code="duplicate-key",
            hint="litreview writes this file: keep one of them, or undo the edit "
            "(`git diff` shows it); `litreview check` names each entry's line",
        )
        for key, n in sorted(Counter(keys).items())
        if n > 1
    ]
