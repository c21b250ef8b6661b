"""People's screening decisions as stored: one decisions file (``corpus/screening.yaml`` or a
reviewer's ``corpus/screening/ID.yaml``) read, validated and written; :mod:`litreview.screen.reviewers`
reads them all together."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Container, Iterable, Mapping
from pathlib import Path
from typing import Any

from litreview.files.schema import FileSchema, listed_items
from litreview.files.yamlio import (
    MISSING,
    dump_yaml,
    line_of,
    load_optional_yaml,
    merge_conflict_markers,
    suggest,
)
from litreview.model import Location, Problem, Severity
from litreview.project import Project
from litreview.protocol import Protocol
from litreview.review import Review
from litreview.screen.engine import (
    DECISION_VALUES,
    EXCLUDE,
    INCLUDE,
    MAYBE,
    Decision,
)

DECISIONS_VERSION = 1
_DECISIONS_SCHEMA = FileSchema(
    "the decisions file",
    ("version", "decisions"),
    DECISIONS_VERSION,
    "the decisions file must be a mapping with 'version' and 'decisions'",
)
_ITEM_KEYS = (
    "key",
    "title",
    "stage",
    "decision",
    "reason",
    "reviewer",
    "date",
    "note",
    "resolves",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADER = (
    "# People's screening decisions. One item per reviewer, record and stage; written by\n"
    "# `litreview screen decide`, hand edits welcome (`litreview check` validates them).\n"
)


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip()


def resolve_alias(key: str, known: Container[str], aliases: Mapping[str, str]) -> str | None:
    """The record in ``known`` that absorbed ``key`` (through one merge or a chain), or None."""
    from litreview.corpus.mergemap import MergeMap

    return MergeMap(aliases).survivor(key, known)


def project_aliases(path: Path) -> dict[str, str]:
    """``{absorbed key: survivor key}`` from the dedupe log of the project whose corpus folder holds
    ``path`` (a decisions or overrides file); empty when there is none or it cannot be read (the
    dedupe log's own problems are reported by ``litreview dedupe`` and ``litreview check``)."""
    folder = path.parent.resolve()
    project = Project(path.parent.parent)
    if project.corpus_dir.resolve() != folder:
        project = Project(
            path.parent.parent.parent
        )  # a reviewer's own file, corpus/screening/ID.yaml
        if project.screening_dir.resolve() != folder:
            return {}
    return Review.of(project).aliases


def validate_decision(
    item: Mapping[str, Any],
    path: str,
    known_keys: Iterable[str] | None,
    protocol: Protocol,
    line: int | None = None,
    aliases: Mapping[str, str] | None = None,
    reviewer: str | None = None,
) -> tuple[Decision | None, list[Problem]]:
    """One decision item checked against the protocol and the corpus; None when it is unusable.

    A key that a dedupe merge absorbed (``aliases``: absorbed key -> survivor) is not an error:
    the decision applies to the survivor, and keeps the written key as :attr:`Decision.alias`.
    ``reviewer`` is the owner of a reviewer's own file: an item may leave its reviewer out, and
    one naming somebody else is an error.
    """
    problems: list[Problem] = []
    known = (
        known_keys
        if known_keys is None or isinstance(known_keys, (set, frozenset, dict))
        else set(known_keys)
    )

    # a problem is at its field's line, and names the record (the key as written), as every
    # other stored file's problems do: the field is in the message
    record = _scalar(item.get("key")) or None
    bad: set[str] = set()  # the fields a problem was found in

    def err(
        name: str | None,
        message: str,
        code: str,
        hint: str | None = None,
        missing: str | None = None,
    ) -> None:
        where = line_of(item, name) if line is None else line
        if name is not None:
            bad.add(name)
        problems.append(
            Problem(Location(path, where, record), message, Severity.ERROR, code, hint, missing)
        )

    for k in item:
        if k not in _ITEM_KEYS:
            err(
                k,
                f"unknown key {k!r} in a decision",
                "unknown-key",
                suggest(k, _ITEM_KEYS) or f"known keys: {', '.join(_ITEM_KEYS)}",
            )
    values: dict[str, str] = {}
    resolves = item.get("resolves", False)
    if not isinstance(resolves, bool):
        err("resolves", "'resolves' of a decision must be true or false", "type")
        resolves = False
    for k in _ITEM_KEYS:
        if k in item and k != "resolves":
            v = _scalar(item[k])
            if v is None:
                err(k, f"{k!r} of a decision must be text", "type")
            else:
                values[k] = v
    if reviewer is not None and "reviewer" not in item:
        values["reviewer"] = reviewer
    for k in ("key", "stage", "decision", "reviewer"):
        if k not in item and k not in values:
            err(None, f"a decision needs {k!r}", "missing-key")
        elif values.get(k) == "":
            err(k, f"a decision needs a non-empty {k!r}", "missing-key")
    if reviewer is not None and values.get("reviewer", reviewer) != reviewer:
        err(
            "reviewer",
            f"a decision by {values['reviewer']!r} in {reviewer}'s own file",
            "reviewer-mismatch",
            f"move it to the file of {values['reviewer']}, or correct the reviewer",
        )
    key, stage, decision = (
        values.get("key", ""),
        values.get("stage", ""),
        values.get("decision", ""),
    )
    reason = values.get("reason") or None
    alias = None
    if key and known is not None and key not in known:
        survivor = resolve_alias(key, known, aliases) if aliases else None
        if survivor is not None:
            alias, key = key, survivor
        else:
            err(
                "key",
                f"decision for {key!r}, which is not in the corpus",
                "unknown-record",
                (suggest(key, tuple(known)) if len(known) < 50000 else None)
                or "correct the key or delete this decision; the keys are in corpus/records.bib",
                key,
            )
    if stage and stage not in protocol.stage_ids:
        err(
            "stage",
            f"unknown stage {stage!r}",
            "unknown-stage",
            suggest(stage, protocol.stage_ids) or f"stages: {', '.join(protocol.stage_ids)}",
        )
    if decision and decision not in DECISION_VALUES:
        err(
            "decision",
            f"decision must be include, exclude or maybe, not {decision!r}",
            "bad-decision",
            suggest(decision, DECISION_VALUES),
        )
    if resolves and decision == MAYBE:
        err("decision", "a resolution must include or exclude, not maybe", "bad-decision")
    if reason is not None and reason not in protocol.reasons:
        err(
            "reason",
            f"unknown reason code {reason!r}",
            "unknown-reason",
            suggest(reason, tuple(protocol.reasons)) or f"reasons: {', '.join(protocol.reasons)}",
        )
    if decision == EXCLUDE and reason is None and "reason" not in bad:
        err(
            None,
            f"exclusion of {key or 'a record'} needs a reason",
            "missing-reason",
            f"one of: {', '.join(protocol.reasons)}",
        )
    if decision in (INCLUDE, MAYBE) and reason is not None:
        problems.append(
            Problem(
                Location(path, line_of(item, "reason") if line is None else line, record),
                f"{'inclusion' if decision == INCLUDE else 'a maybe'} of {key} gives a reason; "
                "it is ignored",
                Severity.WARNING,
                "reason-ignored",
            )
        )
        reason = None
    date = values.get("date", "")
    if date:
        ok = bool(_DATE.match(date))
        if ok:
            try:
                _dt.date.fromisoformat(date)
            except ValueError:
                ok = False
        if not ok:
            err("date", f"date {date!r} is not a real YYYY-MM-DD date", "bad-date")
    if any(p.is_error for p in problems):
        return None, problems
    return Decision(
        key=key,
        stage=stage,
        decision=decision,
        reviewer=values["reviewer"],
        date=date,
        reason=reason,
        note=values.get("note", ""),
        line=line if line is not None else line_of(item),
        path=path,
        alias=alias,
        resolves=resolves,
        title=values.get("title", ""),
    ), problems


def parse_decisions(
    data: Any,
    path: str,
    known_keys: Iterable[str] | None,
    protocol: Protocol,
    aliases: Mapping[str, str] | None = None,
    reviewer: str | None = None,
    shadowed: list[Decision] | None = None,
    folded: list[Decision] | None = None,
) -> tuple[tuple[Decision, ...], list[Problem]]:
    """Validate the parsed YAML of a decisions file; every problem is collected.

    ``aliases`` (absorbed key -> survivor, from the dedupe log) lets a decision on a record that
    a merge absorbed apply to the survivor. When the same reviewer also decided the survivor at
    that stage, the two must agree (then the survivor's own decision is kept); otherwise it is a
    duplicate decision. ``reviewer``: the file is that reviewer's own (see :func:`validate_decision`).
    ``shadowed`` receives each decision left out as such a duplicate (at the error's line), so a
    write that replaces or removes it can mend the file. ``folded`` receives each decision left
    out as repeating the one that counts (alike, through a merge), so a write keeps it, note and
    all, in the file.
    """
    problems: list[Problem] = []
    if data is MISSING:
        return (), problems
    items, problems = listed_items(data, path, _DECISIONS_SCHEMA, "decisions")
    if items is None:
        return (), problems
    known = None if known_keys is None else set(known_keys)
    out: list[Decision] = []
    seen: dict[tuple[str, str, str, bool], Decision] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(
                Problem(
                    Location(path, line_of(items)),
                    f"decision {i + 1} must be a mapping",
                    Severity.ERROR,
                    "type",
                )
            )
            continue
        decision, found = validate_decision(
            item, path, known, protocol, aliases=aliases, reviewer=reviewer
        )
        problems.extend(found)
        if decision is None:
            continue
        ident = (decision.key, decision.stage, decision.reviewer, decision.resolves)
        first = seen.get(ident)
        if first is None:
            seen[ident] = decision
            out.append(decision)
        elif (first.alias or decision.alias) and (first.decision, first.reason) == (
            decision.decision,
            decision.reason,
        ):
            # the same decision on a record and on the duplicate merged into it: one counts
            if first.alias and not decision.alias:
                out[out.index(first)] = seen[ident] = decision
                first, decision = decision, first
            if folded is not None:
                folded.append(decision)
        else:
            merged = (
                f" ({first.alias or decision.alias} was merged into {decision.key})"
                if first.alias or decision.alias
                else ""
            )
            if shadowed is not None:
                shadowed.append(decision)
            problems.append(
                Problem(
                    Location(path, decision.line, decision.alias or decision.key),
                    f"{decision.reviewer} {'resolved' if decision.resolves else 'decided'} {decision.key} at "
                    f"{decision.stage} twice{merged}",
                    Severity.ERROR,
                    "duplicate-decision",
                    f"first at line {first.line}; keep one" + _mend_twice(first, decision),
                )
            )
    return tuple(out), problems


def _mend_twice(first: Decision, second: Decision) -> str:
    """The commands that mend one reviewer's two decisions on one record and stage."""
    command = "resolve" if second.resolves else "decide"
    again = (
        f": `litreview screen {command} {second.key} ... --reviewer {second.reviewer} "
        f"--stage {second.stage}` replaces both"
    )
    copy = first.alias or second.alias
    if copy is None or first.alias == second.alias:
        return again
    return (
        f", `litreview screen undo {copy} --reviewer {second.reviewer} --stage {second.stage}` "
        f"removes the one on {copy}, or `litreview screen {command} {second.key} ... --reviewer "
        f"{second.reviewer} --stage {second.stage}` replaces both"
    )


def merge_markers(path: Path, display: str) -> list[Problem]:
    """An error for each line of a git merge-conflict marker (``<<<<<<<``, ``=======``, ``>>>>>>>``).

    Checked before YAML parsing: a conflicted file may even parse (a marker can read as text),
    and then two versions of a decision would silently count.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return []  # absent or unreadable: the YAML loader says so
    if b"<<<<<<<" not in data or b">>>>>>>" not in data:
        return []
    return merge_conflict_markers(
        data.decode("utf-8", "replace"),
        display,
        "finish the merge: keep the decisions you want between the markers, delete the marker lines",
    )


def load_decisions(
    path: Path,
    known_keys: Iterable[str] | None,
    protocol: Protocol,
    display: str | None = None,
    aliases: Mapping[str, str] | None = None,
    reviewer: str | None = None,
    shadowed: list[Decision] | None = None,
    folded: list[Decision] | None = None,
) -> tuple[tuple[Decision, ...], list[Problem]]:
    """Read one decisions file (``Project.screening`` or a reviewer's own): the valid decisions and
    every problem (a missing file is empty). ``aliases`` default to the merges logged in the same
    project's duplicates file (:func:`project_aliases`). A file with merge-conflict markers gives
    only those errors. ``shadowed``, ``folded``: see :func:`parse_decisions`."""
    shown = display or path.as_posix()
    markers = merge_markers(path, shown)
    if markers:
        return (), markers
    data, problems = load_optional_yaml(path, shown, fast=True)  # read by every decide
    if data is MISSING:
        return (), problems
    if aliases is None and known_keys is not None:
        aliases = project_aliases(path)
    found, more = parse_decisions(
        data, shown, known_keys, protocol, aliases, reviewer, shadowed, folded
    )
    return found, problems + more


def format_decisions(decisions: Iterable[Decision], protocol: Protocol) -> str:
    """The decisions file's text: stage order, then key, reviewer and date; always the same bytes."""
    order = {s: i for i, s in enumerate(protocol.stage_ids)}
    ordered = sorted(
        decisions,
        key=lambda d: (
            order.get(d.stage, 99),
            d.key,
            d.reviewer,
            d.resolves,
            d.alias or "",  # a reviewer's decision on a record, then one alike on its merged copy
            d.date,
        ),
    )
    body = dump_yaml({"version": DECISIONS_VERSION, "decisions": [d.as_item() for d in ordered]})
    return _HEADER + body


def today() -> str:
    return _dt.date.today().isoformat()
