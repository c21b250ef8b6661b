"""People's screening decisions across files: ``corpus/screening.yaml`` and one file per reviewer.

Each reviewer writes ``corpus/screening/<ID>.yaml`` (the item schema of ``screening.yaml``; an
item may leave ``reviewer`` out, and one naming somebody else is an error), so two people
screening on their own branches never edit the same file and their merges never conflict.

``corpus/screening.yaml`` is still read: a review started before per-reviewer files keeps
working. It migrates a reviewer at a time: the first decision a reviewer writes moves all of
that reviewer's items out of ``screening.yaml`` into their own file, in the same all-or-nothing
change (:class:`litreview.files.journal.Change`) as the new decision; a ``screening.yaml`` left empty is
deleted. Nothing else ever writes ``screening.yaml``. A write reads only the reviewer's own file
(and ``screening.yaml`` while it may still hold their items): a problem in somebody else's file
does not stop it (``screen`` and ``check`` report it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from litreview.errors import ConfigError, InputError
from litreview.model import LazyMapping, Location, Problem, Severity
from litreview.review import Review

if TYPE_CHECKING:
    from litreview.project import Project
    from litreview.protocol import Protocol
    from litreview.screen.engine import Decision

#: a reviewer id is a file name: letters, digits, then also ``.``, ``_`` and ``-``
REVIEWER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

Ident = tuple[str, str, str, bool]


def ident(d: Decision) -> Ident:
    """What makes a decision one reviewer's: the record, the stage, who, and whether it resolves."""
    return (d.key, d.stage, d.reviewer, d.resolves)


def check_reviewer(reviewer: str, where: str = "--reviewer") -> None:
    """A reviewer id that can name a file, or an input error (exit 2)."""
    if not REVIEWER_ID.match(reviewer) or reviewer.endswith("."):
        raise InputError.at(
            Location(where),
            f"reviewer id {reviewer!r} cannot name a decisions file",
            code="bad-reviewer",
            hint="up to 64 characters: unaccented letters (A-Z, a-z) and digits, then also "
            ". _ - (not a final .), e.g. R1 or jsmith",
        )


def load_all_decisions(
    project: Project,
    known_keys: Iterable[str] | None,
    protocol: Protocol,
    aliases: Mapping[str, str] | None = None,
) -> tuple[tuple[Decision, ...], list[Problem]]:
    """Every decision of every decisions file (:meth:`Project.decision_files`) and every problem.

    The same reviewer deciding the same record at the same stage in two files is an error at
    the second (a hand copy, or a migration undone by a merge): which one counts is unclear.
    """
    known = None if known_keys is None else frozenset(known_keys)
    if aliases is None and known is not None and any(p.exists() for p in project.decision_files()):
        # no decisions file, no decision to follow through a merge: the dedupe log (~0.5 s at
        # 100k records after a dedupe) is not read for nothing
        aliases = Review.of(project).aliases
    given = None if aliases is None else dict(aliases)
    return Review.of(project).decisions(
        known, protocol, given, lambda: _load_all(project, known, protocol, aliases)
    )


def _load_all(
    project: Project,
    known: frozenset[str] | None,
    protocol: Protocol,
    aliases: Mapping[str, str] | None,
) -> tuple[tuple[Decision, ...], list[Problem]]:
    out: list[Decision] = []
    problems: list[Problem] = []
    seen: dict[Ident, Decision] = {}
    for path in project.decision_files():
        shown = project.rel(path)
        owner = None if path == project.screening else path.stem
        if owner is not None and (not REVIEWER_ID.match(owner) or owner.endswith(".")):
            problems.append(
                Problem(
                    Location(shown, None),
                    f"{path.name!r} does not name a reviewer",
                    Severity.ERROR,
                    "bad-reviewer-file",
                    "name each reviewer's file ID.yaml with letters and digits, e.g. R1.yaml",
                )
            )
            continue
        found, more = _load_one(project, path, known, protocol, shown, aliases, owner)
        problems.extend(more)
        for d in found:
            first = seen.get(ident(d))
            if first is not None and _same_through_a_merge(first, d):
                # one decision on a record and on the copy merged into it, alike: the one on
                # the record counts
                if first.alias and not d.alias:
                    out[out.index(first)] = seen[ident(d)] = d
                continue
            if first is not None:
                problems.append(
                    Problem(
                        Location(shown, d.line, d.alias or d.key),
                        f"{d.reviewer} decided {d.key} at {d.stage} in two files",
                        Severity.ERROR,
                        "duplicate-decision",
                        f"also at {first.path}:{first.line}; keep one",
                    )
                )
                continue
            seen[ident(d)] = d
            out.append(d)
    return tuple(out), problems


#: a decisions file larger than this is read through the derived-results cache
CACHED_BYTES = 256 * 1024


def _load_one(
    project: Project,
    path: Path,
    known: Collection[str] | None,
    protocol: Protocol,
    shown: str,
    aliases: Mapping[str, str] | None,
    owner: str | None,
    shadowed: list[Decision] | None = None,
    folded: list[Decision] | None = None,
) -> tuple[tuple[Decision, ...], list[Problem]]:
    """One decisions file, read as :func:`~litreview.screen.decisions.load_decisions` reads it;
    a large one through the derived-results cache, keyed by its bytes and all else its reading
    depends on. A decision changes one reviewer's file: the others' (~15 MB each in a screened
    100k review, ~3 s to read) come back from the cache, and so does the file `decide` rewrites
    when a command has read it since it was written (``shadowed`` and ``folded`` with it)."""
    from litreview.screen.decisions import load_decisions

    def read() -> tuple[
        tuple[Decision, ...], list[Problem], tuple[Decision, ...], tuple[Decision, ...]
    ]:
        sh: list[Decision] = []
        fo: list[Decision] = []
        found, problems = load_decisions(path, known, protocol, shown, aliases, owner, sh, fo)
        return found, problems, tuple(sh), tuple(fo)

    try:
        large = path.stat().st_size > CACHED_BYTES
    except OSError:
        large = False
    if large:
        from litreview.files.derived import cached, files_digest

        given = hashlib.sha256()
        given.update(repr(protocol).encode())
        for part in (
            sorted(known) if known is not None else ["-no-keys-"],
            sorted((aliases or {}).items()),
        ):
            given.update(repr(part).encode())
        digest = files_digest(project, (path,), "decisions", shown, owner or "", given.hexdigest())
        found, problems, sh, fo = cached(project, f"decisions-{path.stem}", digest, read)
    else:
        found, problems, sh, fo = read()
    if shadowed is not None:
        shadowed.extend(sh)
    if folded is not None:
        folded.extend(fo)
    return found, list(problems)


def _same_through_a_merge(first: Decision, other: Decision) -> bool:
    """Two decisions of one reviewer at one stage that are one: made on a record and on a copy
    a dedupe merge absorbed into it, alike (as :func:`load_decisions` counts them in one file)."""
    return bool(first.alias or other.alias) and (first.decision, first.reason) == (
        other.decision,
        other.reason,
    )


@dataclass(frozen=True)
class Written:
    """What one write of a reviewer's decisions did."""

    made: tuple[Decision, ...]
    replaced: tuple[Decision, ...]
    removed: tuple[Decision, ...]
    path: str
    #: items moved out of ``corpus/screening.yaml`` into the reviewer's own file
    migrated: int
    warnings: tuple[Problem, ...] = ()


def check_decisions(
    made: Sequence[Decision],
    known_keys: Iterable[str],
    protocol: Protocol,
    aliases: Mapping[str, str] | None = None,
    where: Callable[[int], Location] | None = None,
) -> tuple[list[Decision], list[Problem]]:
    """Validate decisions made in code (the command line, an import): the valid ones and every
    problem, located by ``where(i)`` (default: the command line and the key)."""
    from litreview.screen.decisions import validate_decision

    known = set(known_keys) if not isinstance(known_keys, (set, frozenset)) else known_keys
    ok: list[Decision] = []
    problems: list[Problem] = []
    for i, d in enumerate(made):
        item: dict[str, object] = dict(d.as_dict())
        if d.resolves:
            item["resolves"] = True
        checked, found = validate_decision(
            item, "command line", known, protocol, line=None, aliases=aliases
        )
        loc = where(i) if where is not None else None
        problems.extend(
            replace(
                p,
                location=loc if loc is not None else Location("command line", None, p.location.key),
            )
            for p in found
        )
        if checked is not None:
            ok.append(replace(checked, line=None, path=""))
    return ok, problems


def write_decisions(
    project: Project,
    reviewer: str,
    protocol: Protocol,
    known_keys: Iterable[str],
    add: Sequence[Decision] = (),
    remove: Callable[[Decision], bool] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Written:
    """Add (replacing the same reviewer's decision on the same record and stage) and remove one
    reviewer's decisions in one atomic change under the corpus lock; migrates that reviewer's
    items out of ``corpus/screening.yaml`` (see the module's docstring).

    ``add`` must be validated already (:func:`check_decisions`) and be ``reviewer``'s; each is
    written with the present title of its record (:mod:`litreview.corpus.madeon`), the others
    keep theirs. Raises
    :class:`ConfigError` and writes nothing when a decisions file it rewrites is invalid, except
    for the reviewer's two decisions on one record and stage (both copies of a work that a
    dedupe merge on another branch made one) that this write replaces or removes: so `decide`
    again, or `undo` of the absorbed copy, mends what a merge of branches did.
    """
    from litreview.corpus.madeon import titles_now
    from litreview.files.fsutil import corpus_lock
    from litreview.files.journal import Change
    from litreview.screen.decisions import format_decisions, load_decisions

    check_reviewer(reviewer)
    assert all(d.reviewer == reviewer for d in add)
    known = set(known_keys)
    if aliases is None:
        aliases = lazy_aliases(project)
    # each decision written now keeps the title of the record it is made on: a later change of
    # the work behind its key (a merge of branches, a key reused) is then seen (check, screen)
    titles = titles_now(project, {d.key for d in add}, aliases)
    add = [replace(d, title=titles.get(d.key, "")) for d in add]
    own_path = project.reviewer_file(reviewer)
    with corpus_lock(project.corpus_dir):
        legacy: tuple[Decision, ...] = ()
        p1: list[Problem] = []
        if _may_hold(project.screening, reviewer):
            legacy, p1 = load_decisions(
                project.screening, known, protocol, project.rel(project.screening), aliases
            )
        shadowed: list[Decision] = []
        folded: list[Decision] = []  # alike through a merge: kept in the file as written
        own, p2 = _load_one(
            project,
            own_path,
            known,
            protocol,
            project.rel(own_path),
            aliases,
            reviewer,
            shadowed,
            folded,
        )
        adding = {ident(d) for d in add}
        kept = {ident(d): d for d in own}

        def mended(d: Decision) -> bool:
            """This write replaces ``d``, removes it, or removes the one it repeats."""
            return ident(d) in adding or (
                remove is not None and (remove(d) or remove(kept[ident(d)]))
            )

        settled = [d for d in shadowed if mended(d)]
        lines = {(d.path, d.line) for d in settled}
        errors = [
            p
            for p in p1 + p2
            if p.is_error
            and not (p.code == "duplicate-decision" and (p.location.path, p.location.line) in lines)
        ]
        if errors:
            raise ConfigError(errors)
        moving = [d for d in legacy if d.reviewer == reviewer]
        staying = [d for d in legacy if d.reviewer != reviewer]
        mine: dict[Ident, Decision] = {ident(d): d for d in own}
        for d in moving:
            if ident(d) in mine and _same_through_a_merge(mine[ident(d)], d):
                folded.append(d)  # migrated as the one decision it is, kept as written
                continue
            if ident(d) in mine:
                first = mine[ident(d)]
                raise ConfigError(
                    [
                        Problem(
                            Location(d.path, d.line, d.alias or d.key),
                            f"{reviewer} decided {d.key} at {d.stage} in two files",
                            Severity.ERROR,
                            "duplicate-decision",
                            f"also at {first.path}:{first.line}; keep one",
                        )
                    ]
                )
            mine[ident(d)] = d
        removed = tuple(d for d in mine.values() if remove is not None and remove(d))
        for d in removed:
            del mine[ident(d)]
        removed += tuple(d for d in settled if remove is not None and remove(d))
        for d in settled:  # the one it repeated is removed, and this one is not: it stays
            if ident(d) not in adding and not (remove is not None and remove(d)):
                mine[ident(d)] = d
        replaced = tuple(mine[ident(d)] for d in add if ident(d) in mine)
        replaced += tuple(d for d in settled if ident(d) in adding)
        alike: list[Decision] = []
        for d in folded:
            if ident(d) in adding:
                continue  # replaced with the one it repeats
            if remove is not None and remove(d):
                removed += (d,)
            elif ident(d) not in mine:  # the one it repeated is removed: it counts now
                mine[ident(d)] = d
            else:
                alike.append(d)
        for d in add:
            mine[ident(d)] = d
        project.screening_dir.mkdir(parents=True, exist_ok=True)
        with Change(project.corpus_dir, project.rel(project.corpus_dir)) as change:
            if mine:
                change.write(own_path, format_decisions([*mine.values(), *alike], protocol))
            else:
                change.delete(own_path)
            if moving:
                if staying:
                    change.write(project.screening, format_decisions(staying, protocol))
                else:
                    change.delete(project.screening)
    return Written(tuple(add), replaced, removed, project.rel(own_path), len(moving))


def _may_hold(path: Path, reviewer: str) -> bool:
    """Whether ``path`` may hold ``reviewer``'s decisions: their id occurs in its text. Once a
    reviewer has migrated, their writes skip parsing the shared file (the larger part of a
    decision's cost), and somebody else's broken items there do not stop them."""
    try:
        return reviewer.encode() in path.read_bytes()
    except FileNotFoundError:
        return False
    except OSError:
        return True  # let the loader report it


def lazy_aliases(project: Project) -> Mapping[str, str]:
    """The project's absorbed keys, read only if a key not in the corpus asks: a decision on a
    key in the corpus never needs them, and reading them (unpickling the dedupe log) is most of
    a small write's import time."""
    return LazyMapping(lambda: Review.of(project).aliases)
