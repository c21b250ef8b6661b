"""People's corrections to records: ``corpus/corrections.yaml``, laid over the corpus when read.

records.bib holds the records as the databases exported them and is not edited by hand, so a
wrong year or a missing author has no other home. A correction is a person's decision like any
other: which record, which fields, the new values, why, who and when. It is applied whenever
the review reads its corpus for screening, tagging, checks and outputs, never written into
records.bib, so removing it restores the exported value and a re-import cannot undo it. A
correction on a record a dedupe merge absorbed applies to the record that absorbed it.
Deduplication matches the records as exported.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from litreview.files.fsutil import taken
from litreview.files.schema import FileSchema, listed_items
from litreview.files.yamlio import MISSING, dump_yaml, line_of, load_optional_yaml, suggest
from litreview.model import KNOWN_FIELDS, Location, Problem, Record, Severity

CORRECTIONS_VERSION = 1
_SCHEMA = FileSchema(
    "the corrections file",
    ("version", "corrections"),
    CORRECTIONS_VERSION,
    "the corrections file must be a mapping with 'version' and 'corrections'",
)
_ITEM_KEYS = ("key", "set", "why", "reviewer", "date")
#: fields a correction may set that the record models itself; any other name goes to ``extra``
_MODELLED = {
    "title",
    "author",
    "year",
    "container",
    "journal",
    "booktitle",
    "volume",
    "issue",
    "number",
    "pages",
    "doi",
    "pmid",
    "url",
    "abstract",
    "keywords",
    "language",
    "type",
}
_CONTAINERS = {"container", "journal", "booktitle"}


@dataclass(frozen=True)
class Correction:
    key: str  # the record as the file names it (an absorbed key is applied to its survivor)
    values: tuple[tuple[str, str], ...]  # field -> new value, in file order
    why: str
    reviewer: str = ""
    date: str = ""
    line: int | None = None
    applies_to: str = ""  # the record it applies to (the key, or the survivor of a merge)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "set": dict(self.values),
            "why": self.why,
            "reviewer": self.reviewer,
            "date": self.date,
            "applies_to": self.applies_to or self.key,
        }


def _field_ok(name: str) -> bool:
    return bool(name) and name.replace("-", "").replace("_", "").isalnum() and name == name.lower()


def parse_corrections(
    data: Any, path: str, known: Iterable[str] | None, aliases: Mapping[str, str] | None = None
) -> tuple[tuple[Correction, ...], list[Problem]]:
    """The corrections in a loaded file and every problem found (nothing raises)."""
    problems: list[Problem] = []

    def err(
        node: Any,
        key: str | None,
        message: str,
        code: str,
        hint: str | None = None,
        record: str | None = None,
        missing: str | None = None,
    ) -> None:
        problems.append(
            Problem(
                Location(path, line_of(node, key), record),
                message,
                Severity.ERROR,
                code,
                hint,
                missing,
            )
        )

    if data is None:
        return (), problems
    items, shape = listed_items(data, path, _SCHEMA, "corrections")
    problems.extend(shape)
    if items is None:
        return (), problems
    present = None if known is None else set(known)
    aliases = aliases or {}
    seen: dict[str, int | None] = {}
    out: list[Correction] = []
    for item in items:
        if not isinstance(item, Mapping):
            err(item, None, "each correction must be a mapping with key, set and why", "type")
            continue
        bad = False
        for k in item:
            if k not in _ITEM_KEYS:
                err(
                    item,
                    str(k),
                    f"unknown key {k!r}",
                    "unknown-key",
                    suggest(str(k), list(_ITEM_KEYS)),
                )
                bad = True
        key = item.get("key")
        if not isinstance(key, str) or not key:
            err(item, "key", "'key' must name a record", "corrections-key")
            continue
        target = key
        if present is not None and key not in present:
            from litreview.screen.decisions import resolve_alias

            survivor = resolve_alias(key, present, aliases)
            if survivor is None:
                err(
                    item,
                    "key",
                    f"{key!r} is not a record in the corpus",
                    "unknown-record",
                    suggest(key, sorted(present)) if len(present) < 5000 else None,
                    key,
                    missing=key,
                )
                continue
            target = survivor
        values = item.get("set")
        if not isinstance(values, Mapping) or not values:
            err(
                item,
                "set",
                "'set' must map field names to their corrected values",
                "corrections-set",
                record=key,
            )
            continue
        pairs: list[tuple[str, str]] = []
        for name, value in values.items():
            name = str(name)
            if not _field_ok(name):
                err(values, name, f"{name!r} is not a field name", "corrections-field", record=key)
                bad = True
                continue
            if name not in _MODELLED and name not in KNOWN_FIELDS:
                hint = suggest(name, sorted(_MODELLED | KNOWN_FIELDS))
                if hint:  # close to a known field: a typo that would set a field nothing reads
                    err(values, name, f"unknown field {name!r}", "corrections-field", hint, key)
                    bad = True
                    continue
            if isinstance(value, (Mapping, list)) or value is None:
                err(
                    values,
                    name,
                    f"the value of {name!r} must be text or a number",
                    "corrections-value",
                    record=key,
                )
                bad = True
                continue
            text = str(value).strip()
            if name == "year" and not (text.isdigit() and len(text) == 4):
                err(
                    values,
                    name,
                    f"year must be four digits, not {text!r}",
                    "corrections-value",
                    record=key,
                )
                bad = True
                continue
            pairs.append((name, text))
        why = item.get("why")
        if not isinstance(why, str) or not why.strip():
            err(
                item,
                "why" if "why" in item else None,
                "a correction says why it was made ('why')",
                "corrections-why",
                record=key,
            )
            bad = True
        if target in seen:
            first = seen[target]
            err(
                item,
                "key",
                f"a second correction for {target}"
                + (f" (first at line {first})" if first else ""),
                "corrections-twice",
                "put every field of one record in one correction",
                key,
            )
            bad = True
        if bad:
            continue
        seen[target] = line_of(item)
        out.append(
            Correction(
                key,
                tuple(pairs),
                str(why).strip(),
                str(item.get("reviewer") or ""),
                str(item.get("date") or ""),
                line_of(item),
                target,
            )
        )
    return tuple(out), problems


def load_corrections(
    path: Path, display: str, known: Iterable[str] | None, aliases: Mapping[str, str] | None = None
) -> tuple[tuple[Correction, ...], list[Problem]]:
    data, problems = load_optional_yaml(path, display)
    if data is MISSING:
        return (), problems
    found, more = parse_corrections(data, display, known, aliases)
    return found, problems + more


def apply(record: Record, correction: Correction) -> Record:
    """The record with the correction's values in place of its own."""
    from litreview.text.names import parse_bibtex_names
    from litreview.text.normalize import (
        normalize_doi,
        normalize_pages,
        normalize_pmid,
        split_keywords,
    )

    changes: dict[str, Any] = {}
    extra = dict(record.extra)
    for name, value in correction.values:
        if name == "author":
            changes["authors"] = parse_bibtex_names(value)
        elif name == "year":
            changes["year"] = int(value)
        elif name in _CONTAINERS:
            changes["container"] = value
        elif name in ("issue", "number"):
            changes["issue"] = value
        elif name == "pages":
            changes["pages"] = normalize_pages(value)
        elif name == "doi":
            changes["doi"] = normalize_doi(value)
        elif name == "pmid":
            changes["pmid"] = normalize_pmid(value)
        elif name == "keywords":
            changes["keywords"] = split_keywords(value)
        elif name == "type":
            changes["entry_type"] = value.lower()
        elif name in ("title", "volume", "url", "abstract", "language"):
            changes[name] = value
        else:
            extra[name] = value
    if extra != dict(record.extra):
        changes["extra"] = tuple(sorted((k, v) for k, v in extra.items() if v))
    return replace(record, **changes)


def corrected(records: Iterable[Record], corrections: Iterable[Correction]) -> tuple[Record, ...]:
    by_target = {c.applies_to or c.key: c for c in corrections}
    return tuple(apply(r, by_target[r.key]) if r.key in by_target else r for r in records)


def format_corrections(corrections: Iterable[Correction]) -> str:
    head = (
        "# People's corrections to records as exported (records.bib is never edited by hand).\n"
        "# Applied whenever litreview reads the corpus; `litreview check` validates them.\n"
    )
    items = [
        {
            "key": c.key,
            "set": dict(c.values),
            "why": c.why,
            **({"reviewer": c.reviewer} if c.reviewer else {}),
            **({"date": c.date} if c.date else {}),
        }
        for c in sorted(corrections, key=lambda c: c.key)
    ]
    return head + dump_yaml({"version": CORRECTIONS_VERSION, "corrections": items})


def with_corrections(
    corpus: Any,
    path: Path,
    display: str,
    aliases: Callable[[], Mapping[str, str]] | Mapping[str, str] | None = None,
) -> tuple[Any, list[Problem]]:
    """``corpus`` with the corrections in ``path`` laid over it, and the file's problems.

    The corrected corpus keeps the original's keys, lines and laziness (records are corrected
    when first read) and gets a digest of its own (the corpus's and the file's), so results
    cached for the uncorrected corpus are never taken for the corrected one. Without the file
    the corpus is returned as it is.
    """
    from litreview.corpus.store import Corpus

    if not path.exists():
        return corpus, []
    keys = corpus.keys
    known_aliases = aliases() if callable(aliases) else (aliases or {})
    found, problems = load_corrections(path, display, keys, known_aliases)
    if any(p.is_error for p in problems) or not found:
        return corpus, problems
    # the digest is of what was parsed: the SHA-256 of the bytes load_corrections read (noted as
    # it read them; none when they were not noted, and then nothing is cached for this corpus),
    # and the record each correction applies to (a key a dedupe merge absorbed goes to its
    # survivor, which the bytes alone do not say)
    parsed = taken(os.path.abspath(path))
    applies = repr([(c.key, c.applies_to) for c in found])
    digest = (
        hashlib.sha256(f"{corpus.digest}/corrections/{parsed}/{applies}".encode()).hexdigest()
        if corpus.digest and parsed
        else ""
    )
    return Corpus(
        path=corpus.path,
        records=None,
        problems=corpus.problems,
        rejects=corpus.rejects,
        lines=corpus.lines,
        digest=digest,
        keys=keys,
        loader=lambda: corrected(corpus.records, found),
    ), problems
