"""``corpus/duplicates.yaml``: every merge (with what it absorbed, verbatim), the unsure queue,
and people's pair decisions. Deterministic: the same content always gives the same bytes.

Layout (``version: 1``)::

    version: 1
    decisions:            # people's verdicts, sorted by pair; honoured on every run
    - a: Smith2019a
      b: Smith2019b
      decision: different # or same
      reviewer: ana
      date: '2026-01-31'
      note: conference abstract of the paper
    merges:               # in the order they were made (append-only, except by undo)
    - survivor: Jones2020
      reason: same DOI
      links:              # the scored pairs that joined the group
      - a: Jones2020
        b: Jones2020a
        score: 98.6
        reason: same DOI
        scores: {title: 100.0, authors: 100.0, ...}
      before: |           # the survivor's entry before the merge
        @article{Jones2020, ...}
      absorbed:           # each absorbed record's entry, exactly as it was
      - key: Jones2020a
        entry: |
          @article{Jones2020a, ...}
    unsure:               # derived on every run: pairs waiting for a person
    - a: ...
      b: ...
      score: 91.2
      reason: ...
      rule: ...
      scores: {...}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litreview.errors import ConfigError
from litreview.model import Location, Problem, Record, Severity
from litreview.yamlio import line_of, load_yaml, suggest

from .engine import DIFFERENT, SAME, Decision, Merge, Pair

FORMAT_VERSION = 1
_TOP = ("version", "decisions", "merges", "unsure")
_DECISION_KEYS = ("a", "b", "decision", "reviewer", "date", "note")
_MERGE_KEYS = ("survivor", "reason", "links", "before", "absorbed")
_HEADER = (
    "# litreview duplicates: merges (with the absorbed records, for `litreview dedupe undo`),\n"
    "# people's pair decisions (`litreview dedupe decide`), and the unsure pairs waiting for one.\n"
)


@dataclass(frozen=True)
class StoredMerge:
    survivor: str
    reason: str
    links: tuple[dict[str, Any], ...]
    before: str
    absorbed: tuple[tuple[str, str], ...]  # (key, BibTeX entry)

    @property
    def absorbed_keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.absorbed)

    @classmethod
    def from_merge(cls, merge: Merge) -> StoredMerge:
        from litreview.io.bibtex import format_entry

        return cls(
            survivor=merge.survivor,
            reason=merge.reason,
            links=tuple(_pair_dict(p) for p in merge.links),
            before=format_entry(merge.before),
            absorbed=tuple((r.key, format_entry(r)) for r in merge.absorbed),
        )

    def as_yaml(self) -> dict[str, Any]:
        return {"survivor": self.survivor, "reason": self.reason, "links": list(self.links),
                "before": self.before, "absorbed": [{"key": k, "entry": e} for k, e in self.absorbed]}


@dataclass(frozen=True)
class DuplicatesFile:
    decisions: tuple[Decision, ...] = ()
    merges: tuple[StoredMerge, ...] = ()
    unsure: tuple[dict[str, Any], ...] = ()
    #: pair -> the line of its decision in the file read (for messages); empty for a new file
    lines: dict[tuple[str, str], int | None] = field(default_factory=dict, compare=False, repr=False)

    def aliases(self) -> dict[str, str]:
        """Absorbed key -> the survivor that absorbed it."""
        return {k: m.survivor for m in self.merges for k in m.absorbed_keys}

    def with_decision(self, decision: Decision) -> DuplicatesFile:
        kept = [d for d in self.decisions if d.pair != decision.pair]
        unsure = tuple(u for u in self.unsure if tuple(sorted((u["a"], u["b"]))) != decision.pair)
        return DuplicatesFile((*kept, decision), self.merges, unsure)


def _pair_dict(p: Pair) -> dict[str, Any]:
    out: dict[str, Any] = {"a": p.a, "b": p.b, "score": p.score, "reason": p.reason}
    if p.rule:
        out["rule"] = p.rule
    scores = {k: v for k, v in p.scores.items() if v is not None}
    if scores:
        out["scores"] = scores
    return out


def unsure_entries(pairs: tuple[Pair, ...]) -> tuple[dict[str, Any], ...]:
    return tuple(_pair_dict(p) for p in pairs)


def format_duplicates(data: DuplicatesFile) -> str:
    decisions = []
    for d in sorted(data.decisions, key=lambda d: d.pair):
        a, b = d.pair
        item: dict[str, Any] = {"a": a, "b": b, "decision": d.decision}
        if d.reviewer:
            item["reviewer"] = d.reviewer
        if d.date:
            item["date"] = d.date
        if d.note:
            item["note"] = d.note
        decisions.append(item)
    doc = {
        "version": FORMAT_VERSION,
        "decisions": decisions,
        "merges": [m.as_yaml() for m in data.merges],
        "unsure": [dict(u) for u in sorted(data.unsure, key=lambda u: (u["a"], u["b"]))],
    }
    return _HEADER + emit_yaml(doc)


# --- a small deterministic YAML writer ---------------------------------------------------------
# yaml.dump takes ~1.3 ms per merge (12 s for the 9k merges of a 100k corpus, two minutes at
# 1M); this writer emits the same block layout for the few shapes the file holds (mappings
# with text keys, lists, text, numbers, booleans, null) in a fraction of that. Every value it
# writes reads back unchanged with yaml.safe_load (tests/test_dedupe.py checks the round trip).

#: Text that may stay unquoted: starts with a letter, no ``:``/``#``/quotes that YAML would
#: read specially, no trailing space; words YAML 1.1 reads as booleans or null are quoted.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.,;()/' -]*[A-Za-z0-9_.)']|[A-Za-z]")
_RESERVED = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null"})
#: Characters that YAML does not allow raw (non-printable) or reads as line breaks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
#: Characters that need a double-quoted scalar with escapes (anything but printable text on one line).
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
#: Text that may be written as a literal block (``|``): ends with exactly one line break, its
#: first line does not start with a space, no line ends with a space or tab, nothing unsafe.
_LITERAL_BAD = re.compile("[\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[ \t]\n")


def _text(text: str) -> str:
    """A text scalar on one line: plain when YAML reads it back as the same text, else quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    if _ESCAPE.search(text) is None:  # single quotes, as yaml.dump writes them: only ' is doubled
        return "'" + text.replace("'", "''") + "'"
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted) if _UNSAFE.search(quoted) else quoted


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}[repr(value)]
        text = repr(value)
        if "e" in text and "." not in text:  # YAML 1.1 reads 1e-05 as text: write 1.0e-05
            text = text.replace("e", ".0e", 1)
        return text
    return _text(str(value))


def _literal(value: str) -> bool:
    return (value.endswith("\n") and not value.endswith("\n\n") and not value.startswith((" ", "\n"))
            and _LITERAL_BAD.search(value) is None)


class _Emitter:
    """Block-style YAML into a list of strings; short texts (keys, reasons) are quoted once."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.cache: dict[str, str] = {}

    def text(self, value: str) -> str:
        done = self.cache.get(value)
        if done is None:
            done = _text(value)
            if len(value) <= 64:
                self.cache[value] = done
        return done

    def value(self, value: Any, indent: str) -> None:
        """Append ``value`` after a ``key:`` or ``-`` already written without its line break."""
        out = self.out
        if isinstance(value, str):
            if "\n" in value and _literal(value):
                out.append(" |\n")
                out.extend(f"{indent}{line}\n" if line else "\n" for line in value.split("\n")[:-1])
            else:
                out.append(f" {self.text(value)}\n")
        elif isinstance(value, dict):
            if value:
                out.append("\n")
                self.mapping(value, indent, indent)
            else:
                out.append(" {}\n")
        elif isinstance(value, (list, tuple)):
            if value:
                out.append("\n")
                self.items(value, indent[:-2])
            else:
                out.append(" []\n")
        else:
            out.append(f" {_scalar(value)}\n")

    def mapping(self, mapping: dict[str, Any], first: str, indent: str) -> None:
        prefix, inner = first, indent + "  "
        for key, value in mapping.items():
            self.out.append(f"{prefix}{self.text(key) if isinstance(key, str) else _scalar(key)}:")
            self.value(value, inner)
            prefix = indent

    def items(self, items: Any, indent: str) -> None:
        # a list under a mapping key sits at the key's indentation (``key:\n- item``)
        inner = indent + "  "
        for item in items:
            if isinstance(item, dict) and item:
                self.mapping(item, f"{indent}- ", inner)
            elif isinstance(item, (list, tuple)) and item:
                self.out.append(f"{indent}-\n")
                self.items(item, inner)
            else:
                self.out.append(f"{indent}-")
                self.value(item, inner)


def emit_yaml(doc: dict[str, Any]) -> str:
    """``doc`` as block-style YAML: keys in the order given, the same bytes for the same data."""
    emitter = _Emitter()
    emitter.mapping(doc, "", "")
    return "".join(emitter.out)


def save_duplicates(path: Path, data: DuplicatesFile) -> bool:
    """Write the file atomically when its content changes; True when it was written."""
    from litreview.fsutil import atomic_write

    text = format_duplicates(data)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    atomic_write(path, text)
    return True


def load_duplicates(path: Path, display: str | None = None) -> DuplicatesFile:
    """Read and validate the file; a missing file is an empty one. Errors name file and line."""
    shown = display or path.as_posix()
    if not path.exists():
        return DuplicatesFile()
    doc = load_yaml(path, shown)
    if doc is None:
        return DuplicatesFile()
    errors: list[Problem] = []

    def err(node: Any, message: str, key: str | None = None, hint: str | None = None) -> None:
        errors.append(Problem(Location(shown, line_of(node, key)), message, Severity.ERROR, "duplicates-file", hint))

    if not isinstance(doc, dict):
        raise ConfigError.at(Location(shown, line_of(doc)), "expected a mapping with version, decisions, merges, unsure",
                             code="duplicates-file")
    for k in doc:
        if k not in _TOP:
            err(doc, f"unknown key {k!r}", k, suggest(k, _TOP))
    if doc.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        err(doc, f"unsupported version {doc.get('version')!r}", "version", f"this litreview reads version {FORMAT_VERSION}")
    decisions: list[Decision] = []
    lines: dict[tuple[str, str], int | None] = {}
    for item in _list(doc, "decisions", err):
        if not _mapping(item, _DECISION_KEYS, err):
            continue
        a, b, dec = item.get("a"), item.get("b"), item.get("decision")
        if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
            bad = "a" if not isinstance(a, str) or not a else "b"
            value = item.get(bad)
            shown_value = "missing" if bad not in item else "null" if value is None else f"{value!r}, not a key"
            err(item, f"a decision needs two citation keys, a and b; {bad} is {shown_value}", bad,
                "write each record's citation key as in corpus/records.bib, e.g. Smith2019a")
            continue
        if a == b:
            err(item, f"a decision pairs {a!r} with itself")
            continue
        if dec not in (SAME, DIFFERENT):
            err(item, f"decision must be 'same' or 'different', not {dec!r}", "decision",
                suggest(str(dec), (SAME, DIFFERENT)))
            continue
        decision = Decision(a, b, str(dec), str(item.get("reviewer") or ""), str(item.get("date") or ""),
                            str(item.get("note") or ""))
        earlier = next((d for d in decisions if d.pair == decision.pair), None)
        if earlier is not None and earlier.decision != decision.decision:
            err(item, f"decision {dec!r} on {a} and {b} contradicts {earlier.decision!r} on line "
                f"{lines.get(decision.pair)}", "decision", "keep one verdict for a pair: delete the other")
            continue
        lines.setdefault(decision.pair, line_of(item))
        decisions.append(decision)
    merges: list[StoredMerge] = []
    for item in _list(doc, "merges", err):
        if not _mapping(item, _MERGE_KEYS, err):
            continue
        survivor, before = item.get("survivor"), item.get("before")
        absorbed_raw = item.get("absorbed")
        if not isinstance(survivor, str) or not isinstance(before, str) or not isinstance(absorbed_raw, list):
            err(item, "a merge needs survivor, before (an entry) and absorbed (a list)")
            continue
        absorbed: list[tuple[str, str]] = []
        for ab in absorbed_raw:
            if not isinstance(ab, dict) or not isinstance(ab.get("key"), str) or not isinstance(ab.get("entry"), str):
                err(ab if isinstance(ab, dict) else item, "an absorbed record needs key and entry")
                continue
            absorbed.append((ab["key"], ab["entry"]))
        links = item.get("links") or []
        merges.append(StoredMerge(survivor, str(item.get("reason") or ""),
                                  tuple(dict(x) for x in links if isinstance(x, dict)), before, tuple(absorbed)))
    unsure: list[dict[str, Any]] = []
    for item in _list(doc, "unsure", err):
        if isinstance(item, dict) and isinstance(item.get("a"), str) and isinstance(item.get("b"), str):
            unsure.append(dict(item))
        else:
            err(item if isinstance(item, dict) else doc, "an unsure pair needs keys a and b")
    if errors:
        raise ConfigError(errors)
    return DuplicatesFile(tuple(decisions), tuple(merges), tuple(unsure), lines)


def unknown_decision_keys(data: DuplicatesFile, keys: set[str], shown: str) -> list[Problem]:
    """Decisions naming a key that is neither in the corpus nor absorbed: a typo the engine
    would pass over silently, so the verdict a person gave would never apply."""
    known = keys | set(data.aliases())
    return [Problem(Location(shown, data.lines.get(d.pair)), f"decision names {k!r}, which is not in the corpus",
                    Severity.ERROR, "duplicates-file", suggest(k, sorted(known)) or "check the key's spelling")
            for d in data.decisions for k in (d.a, d.b) if k not in known]


def _list(doc: dict[str, Any], key: str, err: Any) -> list[Any]:
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        err(doc, f"{key} must be a list", key)
        return []
    return value


def _mapping(item: Any, allowed: tuple[str, ...], err: Any) -> bool:
    if not isinstance(item, dict):
        err(item, "expected a mapping")
        return False
    ok = True
    for k in item:
        if k not in allowed:
            err(item, f"unknown key {k!r}", k, suggest(k, allowed))
            ok = False
    return ok


def parse_entry(text: str, where: str) -> Record:
    """A stored BibTeX entry back into a record, exactly as it was."""
    from litreview.io.bibtex import read_bibtex

    result = read_bibtex(text, where, source="corpus")
    if len(result.records) != 1:
        raise ConfigError.at(Location(where), "a stored entry in the duplicates file cannot be read back",
                             code="duplicates-file")
    return result.records[0]
