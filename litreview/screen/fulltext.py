"""Full texts (``corpus/fulltext.yaml``): which reports were retrieved, where they are, and why
the others could not be.

PRISMA 2020 counts "reports sought for retrieval" (every record that reached the full-text stage)
and "reports not retrieved"; only the rest can be assessed for eligibility. The file is people's
record of that, kept beside their screening decisions::

    version: 1
    items:
    - {key: Ham2003, status: retrieved, path: fulltexts/ham2003.pdf, date: '2016-03-02'}
    - {key: Kirkpatrick2009, status: not-retrieved, reason: out of print; the library could not lend it}

A key a dedupe merge absorbed applies to its survivor, as in people's screening decisions. A report
marked not retrieved cannot be included: a person's decision that includes it at full text is an
error (the decision or the mark is wrong), and one that excludes it is a warning (it was never
assessed, so PRISMA counts it as not retrieved, not among the reports excluded).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from litreview.errors import ConfigError
from litreview.files.schema import FileSchema, listed_items
from litreview.files.yamlio import MISSING, dump_yaml, line_of, load_optional_yaml, suggest
from litreview.model import Location, Problem, Severity
from litreview.protocol import Protocol

FULLTEXT_VERSION = 1
RETRIEVED, NOT_RETRIEVED = "retrieved", "not-retrieved"
STATUSES = (RETRIEVED, NOT_RETRIEVED)
_TOP_KEYS = ("version", "items")
_SCHEMA = FileSchema(
    "the full-text file",
    _TOP_KEYS,
    FULLTEXT_VERSION,
    "the full-text file must be a mapping with 'version' and 'items'",
)
_ITEM_KEYS = ("key", "title", "status", "path", "url", "reason", "date", "note")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_URL = re.compile(r"^https?://\S+$")
_HEADER = (
    "# Full texts: one item per record that reached the full-text stage (see docs/fulltext.md).\n"
    "# status: retrieved (with path or url) or not-retrieved (with reason).\n"
)


@dataclass(frozen=True)
class Entry:
    key: str  # the record it applies to (a survivor when the written key was absorbed)
    status: str
    path: str = ""
    url: str = ""
    reason: str = ""
    date: str = ""
    note: str = ""
    line: int | None = None
    alias: str = ""  # the key as written, when a merge absorbed it
    #: the record's title when the item was written (:mod:`litreview.corpus.madeon`); "" before
    title: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.alias or self.key}
        if self.title:
            out["title"] = self.title
        out["status"] = self.status
        for name in ("path", "url", "reason", "date", "note"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        return out


@dataclass(frozen=True)
class FulltextFile:
    """The file as read: its usable entries by record key, and every problem found."""

    entries: Mapping[str, Entry]
    problems: tuple[Problem, ...] = ()
    #: (record, line) of each item left out as a second item for a record (the error's line)
    repeated: tuple[tuple[str, int | None], ...] = ()

    @property
    def not_retrieved(self) -> frozenset[str]:
        return frozenset(k for k, e in self.entries.items() if e.status == NOT_RETRIEVED)


def fulltext_stage(protocol: Protocol) -> str | None:
    """The stage whose records are reports sought: the last one, when there are two or more."""
    return protocol.stages[-1].id if len(protocol.stages) > 1 else None


def load_fulltext(
    path: Path, display: str, keys: Collection[str], aliases: Mapping[str, str] | None = None
) -> FulltextFile:
    """Read and validate ``path``; a missing file is an empty one. Items with errors are left out."""
    from litreview.screen.decisions import resolve_alias

    data, problems = load_optional_yaml(path, display)
    if data is MISSING or data is None or problems:  # absent, empty or unreadable
        return FulltextFile({}, tuple(problems))
    known = keys if isinstance(keys, (set, frozenset, dict)) else set(keys)

    def err(
        node: Any,
        key: str | None,
        message: str,
        code: str,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
        missing: str | None = None,
    ) -> None:
        # at the field's line, naming the item's record (the field is in the message)
        record = node.get("key") if isinstance(node, Mapping) else None
        record = str(record).strip() if isinstance(record, (str, int)) and record != "" else None
        problems.append(
            Problem(
                Location(display, line_of(node, key), record),
                message,
                severity,
                code,
                hint,
                missing,
            )
        )

    items, problems = listed_items(data, display, _SCHEMA, "items")
    if items is None:
        return FulltextFile({}, tuple(problems))
    entries: dict[str, Entry] = {}
    repeated: list[tuple[str, int | None]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            err(items, None, f"item {i + 1} of 'items' must be a mapping", "type")
            continue
        entry = _entry(item, known, aliases or {}, err, resolve_alias)
        if entry is None:
            continue
        if entry.key in entries:
            first = entries[entry.key]
            err(
                item,
                "key",
                f"{entry.key} is listed twice" + (f" (as {entry.alias})" if entry.alias else ""),
                "duplicate-key",
                f"first at line {first.line}; keep one item per record, or "
                f"`litreview fulltext set {entry.key} ...` replaces both",
            )
            repeated.append((entry.key, line_of(item, "key")))
            continue
        entries[entry.key] = entry
    return FulltextFile(dict(sorted(entries.items())), tuple(problems), tuple(repeated))


def _entry(
    item: Mapping[str, Any],
    known: Collection[str],
    aliases: Mapping[str, str],
    err: Any,
    resolve_alias: Any,
) -> Entry | None:
    ok = True
    for k in item:
        if k not in _ITEM_KEYS:
            err(
                item,
                k,
                f"unknown key {k!r} in a full-text item",
                "unknown-key",
                suggest(str(k), _ITEM_KEYS) or f"known keys: {', '.join(_ITEM_KEYS)}",
            )
            ok = False

    def text(name: str) -> str:
        value = item.get(name)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            err(item, name, f"{name!r} must be text", "type")
            return ""
        return str(value).strip()

    key, status = text("key"), text("status")
    if not key:
        err(item, None, "a full-text item needs 'key'", "missing-key")
        return None
    record, alias = key, ""
    if key not in known:
        survivor = resolve_alias(key, known, aliases)
        if survivor is None:
            err(
                item,
                "key",
                f"unknown record key {key!r}",
                "unknown-record",
                suggest(key, sorted(known)) or "the key must be a record of corpus/records.bib",
                missing=key,
            )
            return None
        record, alias = survivor, key
    if status not in STATUSES:
        err(
            item,
            "status" if "status" in item else None,
            f"status of {key} must be retrieved or not-retrieved"
            + (f", not {status!r}" if status else ""),
            "bad-status",
            suggest(status, STATUSES) if status else None,
        )
        ok = False
    reason, path, url, date = text("reason"), text("path"), text("url"), text("date")
    for name, message, code, hint in value_problems(key, status, reason, path, url, date):
        err(item, name if name in item else None, message, code, hint)
        ok = False
    if not ok:
        return None
    return Entry(
        record, status, path, url, reason, date, text("note"), line_of(item), alias, text("title")
    )


def value_problems(
    key: str, status: str, reason: str, path: str, url: str, date: str
) -> list[tuple[str, str, str, str | None]]:
    """What is wrong with one item's values, as (field, message, code, hint): one rule for the file
    and for ``litreview fulltext set``."""
    out: list[tuple[str, str, str, str | None]] = []
    if status == NOT_RETRIEVED and not reason:
        out.append(
            (
                "reason",
                f"{key} is not-retrieved without a 'reason'",
                "missing-reason",
                "say why (e.g. not held by any library we could reach; author did not reply)",
            )
        )
    if path and (path.startswith("/") or ".." in Path(path).parts):
        out.append(
            (
                "path",
                f"path {path!r} of {key} must be inside the review repository",
                "bad-path",
                "a path relative to the repository root, or a url",
            )
        )
    if url and not _URL.match(url):
        out.append(
            ("url", f"url {url!r} of {key} must start with http:// or https://", "bad-url", None)
        )
    if date and not _DATE.match(date):
        out.append(
            ("date", f"date {date!r} of {key} is not YYYY, YYYY-MM or YYYY-MM-DD", "bad-date", None)
        )
    return out


def format_fulltext(entries: Sequence[Entry]) -> str:
    """The file's text: items sorted by key, keys in a fixed order (same entries, same bytes)."""
    items = [e.as_dict() for e in sorted(entries, key=lambda e: e.alias or e.key)]
    return _HEADER + dump_yaml({"version": FULLTEXT_VERSION, "items": items})


def set_entry(
    path: Path, display: str, keys: Collection[str], aliases: Mapping[str, str], entry: Entry
) -> Entry:
    """Add or replace ``entry``'s item under the corpus lock, in one atomic write; raise
    :class:`ConfigError` (writing nothing) when the file has errors or the key is unknown."""
    from litreview.files.fsutil import corpus_lock
    from litreview.files.journal import Change
    from litreview.screen.decisions import resolve_alias

    with corpus_lock(path.parent):
        current = load_fulltext(path, display, keys, aliases)
        known = keys if isinstance(keys, (set, frozenset, dict)) else set(keys)
        record = entry.key if entry.key in known else resolve_alias(entry.key, known, aliases)
        # a second item for the record set now goes with the first (both copies of a work that
        # branches recorded, one merged into the other): this write mends it
        mended = {(display, line) for k, line in current.repeated if k == record}
        errors = [
            p
            for p in current.problems
            if p.is_error
            and not (p.code == "duplicate-key" and (p.location.path, p.location.line) in mended)
        ]
        if errors:
            raise ConfigError(errors)
        if entry.key not in known:
            survivor = record
            if survivor is None:
                raise ConfigError(
                    [
                        Problem(
                            Location("KEY"),
                            f"unknown record key {entry.key!r}",
                            Severity.ERROR,
                            "unknown-record",
                            suggest(entry.key, sorted(known)),
                        )
                    ]
                )
            entry = replace(entry, key=survivor, alias=entry.key)
        kept = [e for k, e in current.entries.items() if k != entry.key]
        with Change(path.parent) as change:
            change.write(path, format_fulltext([*kept, entry]))
    return entry


# --- against the screening ----------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One record that reached the full-text stage, with its retrieval state."""

    key: str
    outcome: str  # the record's screening outcome
    state: str  # retrieved | not-retrieved | unknown
    entry: Entry | None
    waiting: bool  # a person's full-text decision is still to come

    @property
    def missing(self) -> bool:
        """Needs assessment, yet neither retrieved nor marked not retrieved."""
        return self.waiting and self.entry is None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "outcome": self.outcome,
            "state": self.state,
            "needs_assessment": self.waiting,
        }
        if self.entry is not None:
            out.update(
                {
                    k: v
                    for k, v in self.entry.as_dict().items()
                    if k not in ("key", "status", "title")
                }
            )
        return out


def reports(result: Any, protocol: Protocol, file: FulltextFile) -> list[Report]:
    """Every record that reached the full-text stage (PRISMA's reports sought), by key."""
    from litreview.screen.engine import NEEDS_PERSON

    stage = fulltext_stage(protocol)
    if stage is None:
        return []
    out = []
    for r in result.records:
        if not any(s.stage == stage for s in r.stages):
            continue
        entry = file.entries.get(r.key)
        out.append(
            Report(
                r.key,
                r.outcome,
                entry.status if entry else "unknown",
                entry,
                r.outcome == NEEDS_PERSON and r.stage == stage,
            )
        )
    return sorted(out, key=lambda rep: rep.key)


def conflicts(result: Any, protocol: Protocol, file: FulltextFile, display: str) -> list[Problem]:
    """A report marked not retrieved that a person included (error) or excluded (warning) at full
    text, or that never reached full text (warning: the mark is not counted)."""
    from litreview.screen.engine import EXCLUDED, INCLUDED

    stage = fulltext_stage(protocol)
    by_key = result.by_key()
    out = []
    for key in sorted(file.not_retrieved):
        e = file.entries[key]
        r = by_key.get(key)
        where = Location(display, e.line, e.alias or key)
        if r is None or stage is None or not any(s.stage == stage for s in r.stages):
            out.append(
                Problem(
                    where,
                    f"{key} is marked not retrieved but did not reach the full-text stage; "
                    "the mark is not counted",
                    Severity.WARNING,
                    "fulltext-not-sought",
                    "remove the item, or check the record's screening",
                )
            )
        elif r.outcome == INCLUDED:
            out.append(
                Problem(
                    where,
                    f"{key} is marked not retrieved but is included at full text: a report "
                    "that was not retrieved cannot be assessed",
                    Severity.ERROR,
                    "fulltext-included",
                    "mark it retrieved (with its path or url), or change the full-text decision",
                )
            )
        elif (
            r.outcome == EXCLUDED
            and r.stage == stage
            and any(o.stage == stage for o in r.overrides)
        ):
            out.append(
                Problem(
                    where,
                    f"{key} is marked not retrieved but a person excluded it at full text; "
                    "PRISMA counts it as not retrieved, not among the reports excluded",
                    Severity.WARNING,
                    "fulltext-excluded",
                    "remove the full-text decision, or mark it retrieved if it was read",
                )
            )
    return out
