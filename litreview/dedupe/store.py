"""``corpus/duplicates.yaml``: every merge (survivor, absorbed keys, why), the unsure queue and
people's pair decisions; and ``corpus/absorbed.bib``: the BibTeX of what each merge took out of
the corpus, which only ``dedupe undo`` and ``export --select duplicates`` read. Keeping the
entries out of the YAML keeps the file people read and every command loads small (a 100k-record
review's log was 48 MB when it held them). Deterministic: the same content gives the same bytes.

Layout (``version: 2``)::

    version: 2
    decisions:            # people's verdicts, sorted by pair; honoured on every run
    - a: Smith2019a
      a_title: A title       # each record's title when decided (litreview.corpus.madeon)
      b: Smith2019b
      b_title: Another title
      decision: different # or same
      reviewer: ana
      date: '2026-01-31'
      note: conference abstract of the paper
    merges:               # in the order they were made (append-only, except by undo)
    - survivor: Jones2020
      reason: same DOI
      absorbed:           # keys whose entries are in absorbed.bib
      - Jones2020a
      links:              # the scored pairs that joined the group
      - a: Jones2020
        b: Jones2020a
        score: 98.6
        reason: same DOI
        scores: {title: 100.0, authors: 100.0, ...}
    unsure:               # derived on every run: pairs waiting for a person, most likely first
    - a: ...
      b: ...
      score: 91.2         # the model's probability that they are one work, in per cent
      reason: ...
      rule: ...
      scores: {...}
    model:                # the weights the last run fitted (see dedupe/model.py)
      fitted_on: keys-…   # digest of every key read: while it matches, later runs reuse the weights
      prior_bits: -13.6
      fields: {title: {m: [...], u: [...]}, ...}
      merge_at: 0.99      # thresholds a person may edit (or `dedupe --merge-at/--queue-at`)
      queue_at: 0.5

A ``same`` decision may name ``keep: KEY``, the record that survives the merge.

``absorbed.bib`` holds one block per merge, in the same order, each the survivor's entry before
the merge and each absorbed entry exactly as it was, after a comment line naming it::

    % merge Jones2020 <- Jones2020a
    % before Jones2020
    @article{Jones2020, ...}
    % absorbed Jones2020a
    @article{Jones2020a, ...}

Version 1 kept those entries inside each merge (``before:`` and ``absorbed: [{key, entry}]``); it
is still read, and the first write of a version 1 file writes both files of version 2.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litreview.errors import ConfigError
from litreview.files.fsutil import FileSpan, file_stamp, settle
from litreview.files.schema import FileSchema, check_header, list_at
from litreview.files.yamlio import line_of, load_yaml, suggest
from litreview.model import Location, Problem, Record, Severity

from .pairs import DIFFERENT, SAME, Decision, Merge, Pair

if TYPE_CHECKING:
    from litreview.files.journal import Change

FORMAT_VERSION = 2
_READS = (1, 2)
_TOP = ("version", "decisions", "merges", "unsure", "model")
_SCHEMA = FileSchema(
    "the dedupe log",
    _TOP,
    FORMAT_VERSION,
    "the dedupe log must be a mapping with version, decisions, merges and unsure",
    also_reads=tuple(v for v in _READS if v != FORMAT_VERSION),
)
_DECISION_KEYS = ("a", "a_title", "b", "b_title", "decision", "reviewer", "date", "note", "keep")
_MERGE_KEYS = ("survivor", "reason", "absorbed", "links", "before")  # before: version 1 only
_HEADER = (
    "# litreview duplicates: merges (the absorbed records themselves are in absorbed.bib, for\n"
    "# `litreview dedupe undo`), people's pair decisions (`litreview dedupe decide`), and the\n"
    "# unsure pairs waiting for one.\n"
)
ABSORBED_NAME = "absorbed.bib"
_ABSORBED_HEADER = (
    "% litreview absorbed records: for each merge in duplicates.yaml (same order), the survivor's\n"
    "% entry before the merge and every absorbed entry exactly as it was. Read only by\n"
    "% `litreview dedupe undo` and `litreview export --select duplicates`; written with duplicates.yaml.\n"
)


def absorbed_path(duplicates: Path) -> Path:
    """``corpus/absorbed.bib`` next to ``corpus/duplicates.yaml``."""
    return duplicates.with_name(ABSORBED_NAME)


@dataclass(frozen=True)
class MergeEntries:
    """What a merge took out of the corpus, as BibTeX text: the survivor before it, and each absorbed record."""

    before: str
    absorbed: tuple[tuple[str, str], ...]  # (key, BibTeX entry)


@dataclass(frozen=True)
class StoredMerge:
    survivor: str
    reason: str
    #: a tuple, or (read from the file) a sequence that builds its dicts on first use
    links: Sequence[dict[str, Any]]
    absorbed_keys: tuple[str, ...]
    #: None while the entries wait in absorbed.bib unread (see :func:`load_absorbed`)
    entries: MergeEntries | None = field(default=None, compare=False)

    @property
    def before(self) -> str:
        return self._entries().before

    @property
    def absorbed(self) -> tuple[tuple[str, str], ...]:
        return self._entries().absorbed

    def _entries(self) -> MergeEntries:
        if self.entries is None:
            raise RuntimeError(
                f"the entries of the merge into {self.survivor} were not read: call load_absorbed"
            )
        return self.entries

    @classmethod
    def from_merge(
        cls, merge: Merge, entry_of: Callable[[Record], str] | None = None
    ) -> StoredMerge:
        """``entry_of``: each record's BibTeX entry (default: formatted anew). ``dedupe`` passes
        the entries as the corpus file holds them, so a record absorbed unchanged is kept as
        the very text it was read from, and 25k entries of a 100k dedupe are not formatted."""
        if entry_of is None:
            from litreview.io.bibtex import format_entry

            entry_of = format_entry
        return cls(
            survivor=merge.survivor,
            reason=merge.reason,
            links=tuple(_pair_dict(p) for p in merge.links),
            absorbed_keys=tuple(r.key for r in merge.absorbed),
            entries=MergeEntries(
                entry_of(merge.before), tuple((r.key, entry_of(r)) for r in merge.absorbed)
            ),
        )

    def as_yaml(self) -> dict[str, Any]:
        return {
            "survivor": self.survivor,
            "reason": self.reason,
            "absorbed": list(self.absorbed_keys),
            # links read from the file go back as the text they were read from (see _LazyLinks)
            "links": self.links if isinstance(self.links, _LazyLinks) else list(self.links),
        }


@dataclass(frozen=True)
class DuplicatesFile:
    decisions: tuple[Decision, ...] = ()
    merges: tuple[StoredMerge, ...] = ()
    unsure: tuple[dict[str, Any], ...] = ()
    #: the weights the last run fitted, with the digest of the records they were fitted on
    model: dict[str, Any] | None = None
    #: read from a version 1 file (entries inline): the next save writes version 2 and absorbed.bib
    legacy: bool = field(default=False, compare=False)
    #: pair -> the line of its decision in the file read (for messages); empty for a new file
    lines: dict[tuple[str, str], int | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def aliases(self) -> dict[str, str]:
        """Absorbed key -> the survivor that absorbed it."""
        return {k: m.survivor for m in self.merges for k in m.absorbed_keys}

    def with_decision(self, decision: Decision) -> DuplicatesFile:
        kept = [d for d in self.decisions if d.pair != decision.pair]
        unsure = tuple(u for u in self.unsure if tuple(sorted((u["a"], u["b"]))) != decision.pair)
        return DuplicatesFile(
            (*kept, decision), self.merges, unsure, self.model, self.legacy, self.lines
        )


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
        titles = {d.a: d.a_title, d.b: d.b_title}
        item: dict[str, Any] = {"a": a}
        if titles[a]:
            item["a_title"] = titles[a]
        item["b"] = b
        if titles[b]:
            item["b_title"] = titles[b]
        item["decision"] = d.decision
        if d.reviewer:
            item["reviewer"] = d.reviewer
        if d.date:
            item["date"] = d.date
        if d.note:
            item["note"] = d.note
        if d.keep:
            item["keep"] = d.keep
        decisions.append(item)
    doc = {
        "version": FORMAT_VERSION,
        "decisions": decisions,
        "merges": [m.as_yaml() for m in data.merges],
        "unsure": [dict(u) for u in data.unsure],
    }
    if data.model is not None:
        doc["model"] = data.model
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
    return (
        _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)
        if _UNSAFE.search(quoted)
        else quoted
    )


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
    return (
        value.endswith("\n")
        and not value.endswith("\n\n")
        and not value.startswith((" ", "\n"))
        and _LITERAL_BAD.search(value) is None
    )


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
        elif isinstance(value, _LazyLinks) and indent == _LINKS_INDENT:
            out.append("\n")
            out.append(value.text)
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


def save_duplicates(path: Path, data: DuplicatesFile, change: Change | None = None) -> None:
    """Write duplicates.yaml, and absorbed.bib when its blocks change, as one change.

    With ``change`` the files join the caller's change (the corpus changes with them); without,
    they are committed here. A file whose content is unchanged is not written. absorbed.bib is
    rebuilt when a merge carries its entries (a new merge, or all of them after
    :func:`load_absorbed` or a version 1 file), or when no merge is left; otherwise it is not read.
    """
    from litreview.files.journal import Change

    if change is None:
        with Change(path.parent) as own:
            save_duplicates(path, data, own)
        return
    change.write(path, format_duplicates(data))
    extra = absorbed_path(path)
    if not data.merges:
        if extra.exists():
            change.delete(extra)
    elif data.legacy or any(m.entries is not None for m in data.merges):
        kept = None if data.legacy else _kept_blocks(extra, data.merges)
        if kept is not None:  # the file as it is, then the new merges' blocks
            span, count = kept
            change.write(extra, [span, *absorbed_parts(data.merges[count:])[1:]])
        else:
            change.write(extra, absorbed_parts(_with_entries(path, data, None).merges))


def _kept_blocks(extra: Path, merges: Sequence[StoredMerge]) -> tuple[FileSpan, int] | None:
    """absorbed.bib as it stands, as a span to write again, and how many of ``merges`` its blocks
    are: when the merges whose entries were not read (``entries`` None) come first, and the file
    is the header and exactly their blocks, in order, each mark followed by an entry. Rebuilding
    it would read those blocks back and write the same bytes (~1 s for the 40 MB of a 100k
    review's merges); anything else (a block missing, out of order, hand-edited marks) gives
    None, and the file is rebuilt from what _read_absorbed reads, with its checks."""
    count = 0
    while count < len(merges) and merges[count].entries is None:
        count += 1
    if count == 0 or any(m.entries is None for m in merges[count:]):
        return None
    try:
        with extra.open("rb") as fh:
            stamp = file_stamp(fh)
            data = fh.read()
    except OSError:
        return None
    header = _ABSORBED_HEADER.encode("utf-8")
    if not data.startswith(header + b"\n% merge "):
        return None
    expected: list[tuple[bytes, bytes]] = []
    for m in merges[:count]:
        survivor = m.survivor.encode("utf-8")
        keys = b" ".join(k.encode("utf-8") for k in m.absorbed_keys)
        expected.append((b"merge", survivor + b" <- " + keys))
        expected.append((b"before", survivor))
        expected.extend((b"absorbed", k.encode("utf-8")) for k in m.absorbed_keys)
    found = 0
    at = len(header) - 1  # the line break before the first mark
    while True:
        at = data.find(b"\n% ", at)
        if at < 0:
            break
        end = data.find(b"\n", at + 1)
        line = data[at + 3 : end if end >= 0 else len(data)]
        kind, _, rest = line.partition(b" ")
        if kind in (b"merge", b"before", b"absorbed"):
            if found == len(expected) or expected[found] != (kind, rest):
                return None
            if kind != b"merge" and data[end + 1 : end + 2] != b"@":
                return None  # a mark with no entry after it
            found += 1
        if end < 0:
            break
        at = end
    if found != len(expected):
        return None
    return FileSpan(extra, 0, len(data), stamp=stamp), count


def absorbed_parts(merges: Sequence[StoredMerge]) -> list[bytes]:
    """absorbed.bib's bytes, one block per merge in the merges' order, as pieces to write one
    after another: after a dedupe of 100k records the file is ~50 MB, and joining it as text and
    again as bytes held two more copies of it."""
    parts = [_ABSORBED_HEADER.encode("utf-8")]
    for m in merges:
        e = m._entries()
        head = f"\n% merge {m.survivor} <- {' '.join(m.absorbed_keys)}\n% before {m.survivor}\n"
        parts.append((head + e.before).encode("utf-8"))
        parts.extend(f"% absorbed {k}\n{entry}".encode() for k, entry in e.absorbed)
    return parts


_MARK = re.compile(r"^% (merge|before|absorbed) ([^\n]*)$", re.M)


def holds_a_mark(entry: str) -> bool:
    """Whether a line of ``entry`` would be taken for the start of one of absorbed.bib's blocks
    (a value running over several lines can hold ``% absorbed KEY``). The search runs only on
    an entry with a line that starts with ``%``: one substring test for the ~25,000 entries of
    a 100k dedupe, whose abstracts are full of per cents."""
    if not entry.startswith("%") and "\n%" not in entry:
        return False
    return _MARK.search(entry) is not None


def _read_absorbed(path: Path, shown: str) -> dict[tuple[str, tuple[str, ...]], MergeEntries]:
    """absorbed.bib's blocks by (survivor, absorbed keys); the entries stay text (no BibTeX parse)."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    markers = _merge_markers(text, shown)
    if markers:  # the blocks would be read with the marker lines in their entries
        raise ConfigError(markers)
    marks = list(_MARK.finditer(text))
    blocks: dict[tuple[str, tuple[str, ...]], MergeEntries] = {}

    def bad(pos: int, message: str) -> ConfigError:
        return ConfigError.at(
            Location(shown, text.count("\n", 0, pos) + 1),
            message,
            code="absorbed-file",
            hint="litreview writes this file; restore it from version control (`git diff` shows the edit)",
        )

    i = 0
    while i < len(marks):
        head = marks[i]
        if head.group(1) != "merge" or " <- " not in head.group(2):
            raise bad(head.start(), f"expected '% merge SURVIVOR <- KEYS', found {head.group(0)!r}")
        survivor, _, keys_text = head.group(2).partition(" <- ")
        keys = tuple(keys_text.split())
        entries: list[tuple[str, str, str]] = []  # (kind, key, entry)
        i += 1
        while i < len(marks) and marks[i].group(1) != "merge":
            m = marks[i]
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            entry = text[m.end() + 1 : end]
            if i + 1 < len(marks) and marks[i + 1].group(1) == "merge":
                entry = entry[:-1]  # the blank line between blocks
            if not entry.startswith("@"):
                raise bad(m.start(), f"no BibTeX entry after {m.group(0)!r}")
            entries.append((m.group(1), m.group(2), entry))
            i += 1
        if (
            not entries
            or entries[0][:2] != ("before", survivor)
            or tuple(k for kind, k, _ in entries[1:] if kind == "absorbed") != keys
            or any(kind != "absorbed" for kind, _, _ in entries[1:])
        ):
            raise bad(
                head.start(),
                f"the block of the merge into {survivor!r} does not hold its entry before the "
                f"merge and one entry for each of {', '.join(keys)}",
            )
        blocks[(survivor, keys)] = MergeEntries(
            entries[0][2], tuple((k, e) for _, k, e in entries[1:])
        )
    return blocks


def _with_entries(path: Path, data: DuplicatesFile, display: str | None) -> DuplicatesFile:
    missing = [m for m in data.merges if m.entries is None]
    if not missing:
        return data
    extra = absorbed_path(path)
    shown = _absorbed_shown(extra, display)
    blocks = _read_absorbed(extra, shown)
    out = []
    lost = []
    for m in data.merges:
        if m.entries is None:
            found = blocks.get((m.survivor, m.absorbed_keys))
            if found is None:
                lost.append(m)
            else:
                m = replace(m, entries=found)
        out.append(m)
    if lost:
        raise ConfigError(
            [
                Problem(
                    Location(shown, key=m.survivor),
                    f"no stored entries for the merge into {m.survivor!r} of "
                    f"{', '.join(m.absorbed_keys)}",
                    Severity.ERROR,
                    "absorbed-file",
                    "restore corpus/absorbed.bib from version control; it must change together "
                    "with duplicates.yaml",
                )
                for m in lost
            ]
        )
    return replace(data, merges=tuple(out))


_MERGE_LINE = re.compile(r"^% merge ([^\n]*?) <- ([^\n]*)$", re.M)


def _merge_markers(text: str, shown: str) -> list[Problem]:
    """git's conflict markers in absorbed.bib, each an error at its line (two branches' dedupe
    runs each appended a merge's block)."""
    from litreview.files.yamlio import merge_conflict_markers

    return [
        replace(
            p,
            hint="finish the merge: keep every merge's block (from `% merge` to the next), "
            "delete the marker lines",
        )
        for p in merge_conflict_markers(text, shown)
    ]


def absorbed_problems(
    path: Path, data: DuplicatesFile, display: str | None = None
) -> list[Problem]:
    """Merges whose entries absorbed.bib lacks, from its ``% merge`` lines alone (for ``check``:
    cheap, no entry is read), and git's conflict markers left in it. A version 1 file holds its
    entries itself."""
    extra = absorbed_path(path)
    shown = _absorbed_shown(extra, display)
    try:
        text = extra.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    markers = _merge_markers(text, shown)
    if markers or data.legacy or not data.merges:
        return markers
    found = {(m.group(1), tuple(m.group(2).split())) for m in _MERGE_LINE.finditer(text)}
    return [
        Problem(
            Location(shown, key=m.survivor),
            f"no stored entries for the merge into {m.survivor!r} of "
            f"{', '.join(m.absorbed_keys)}: `dedupe undo` could not restore them",
            Severity.ERROR,
            "absorbed-file",
            "restore corpus/absorbed.bib from version control; it changes together with "
            "duplicates.yaml",
        )
        for m in data.merges
        if (m.survivor, m.absorbed_keys) not in found
    ]


def absorbed_keys(path: Path) -> list[str]:
    """The keys merges absorbed, from the ``% merge`` lines of the absorbed.bib beside the dedupe
    log at ``path`` alone (no entry read): what ``check`` knows of them when that log does not
    load. Empty when there is no such file."""
    try:
        text = absorbed_path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [k for m in _MERGE_LINE.finditer(text) for k in m.group(2).split()]


def _absorbed_shown(extra: Path, display: str | None) -> str:
    if display is None:
        return extra.as_posix()
    return display.rsplit("/", 1)[0] + "/" + ABSORBED_NAME if "/" in display else ABSORBED_NAME


def load_absorbed(path: Path, data: DuplicatesFile, display: str | None = None) -> DuplicatesFile:
    """``data`` (read from duplicates.yaml at ``path``) with every merge's entries from absorbed.bib.

    Only undo and the export of duplicates need them; it reads text, never parses the BibTeX.
    """
    return _with_entries(path, data, display)


def load_duplicates(path: Path, display: str | None = None) -> DuplicatesFile:
    """Read and validate the file; a missing file is an empty one. Errors name file and line."""
    shown = display or path.as_posix()
    settle(path.parent)
    if not path.exists():
        return DuplicatesFile()
    doc = _load_doc(path, shown)
    if doc is None:
        return DuplicatesFile()
    errors: list[Problem] = []

    def err(node: Any, message: str, key: str | None = None, hint: str | None = None) -> None:
        errors.append(
            Problem(
                Location(shown, line_of(node, key)),
                message,
                Severity.ERROR,
                "duplicates-file",
                hint,
            )
        )

    top, header = check_header(doc, shown, _SCHEMA)
    if top is None:
        raise ConfigError(header)
    errors.extend(header)
    decisions: list[Decision] = []
    lines: dict[tuple[str, str], int | None] = {}
    for item in _list(doc, "decisions", errors, shown):
        if not _mapping(item, _DECISION_KEYS, err):
            continue
        a, b, dec = item.get("a"), item.get("b"), item.get("decision")
        if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
            bad = "a" if not isinstance(a, str) or not a else "b"
            value = item.get(bad)
            shown_value = (
                "missing"
                if bad not in item
                else "null"
                if value is None
                else f"{value!r}, not a key"
            )
            err(
                item,
                f"a decision needs two citation keys, a and b; {bad} is {shown_value}",
                bad,
                "write each record's citation key as in corpus/records.bib, e.g. Smith2019a",
            )
            continue
        if a == b:
            err(item, f"a decision pairs {a!r} with itself")
            continue
        if dec not in (SAME, DIFFERENT):
            err(
                item,
                f"decision must be 'same' or 'different', not {dec!r}",
                "decision",
                suggest(str(dec), (SAME, DIFFERENT)),
            )
            continue
        keep = str(item.get("keep") or "")
        if keep and keep not in (a, b):
            err(item, f"keep names {keep!r}, which is neither a nor b", "keep")
            continue
        decision = Decision(
            a,
            b,
            str(dec),
            str(item.get("reviewer") or ""),
            str(item.get("date") or ""),
            str(item.get("note") or ""),
            keep,
            str(item.get("a_title") or ""),
            str(item.get("b_title") or ""),
        )
        earlier = next((d for d in decisions if d.pair == decision.pair), None)
        if earlier is not None and earlier.decision != decision.decision:
            err(
                item,
                f"decision {dec!r} on {a} and {b} contradicts {earlier.decision!r} on line "
                f"{lines.get(decision.pair)}",
                "decision",
                "keep one verdict for a pair: delete the other",
            )
            continue
        lines.setdefault(decision.pair, line_of(item))
        decisions.append(decision)
    merges: list[StoredMerge] = []
    legacy = doc.get("version", FORMAT_VERSION) == 1
    for item in _list(doc, "merges", errors, shown):
        if not _mapping(item, _MERGE_KEYS, err):
            continue
        survivor, before = item.get("survivor"), item.get("before")
        absorbed_raw = item.get("absorbed")
        raw_links = item.get("links")
        links: Sequence[dict[str, Any]] = (
            raw_links
            if isinstance(raw_links, _LazyLinks)
            else tuple(dict(x) for x in raw_links or [] if isinstance(x, dict))
        )
        reason = str(item.get("reason") or "")
        if not legacy:
            if (
                not isinstance(survivor, str)
                or not isinstance(absorbed_raw, list)
                or before is not None
                or not all(isinstance(k, str) for k in absorbed_raw)
            ):
                err(
                    item,
                    "a merge needs survivor and absorbed (a list of keys); its entries are in absorbed.bib",
                )
                continue
            merges.append(StoredMerge(survivor, reason, links, tuple(absorbed_raw)))
            continue
        if (
            not isinstance(survivor, str)
            or not isinstance(before, str)
            or not isinstance(absorbed_raw, list)
        ):
            err(item, "a merge needs survivor, before (an entry) and absorbed (a list)")
            continue
        absorbed: list[tuple[str, str]] = []
        for ab in absorbed_raw:
            if (
                not isinstance(ab, dict)
                or not isinstance(ab.get("key"), str)
                or not isinstance(ab.get("entry"), str)
            ):
                err(ab if isinstance(ab, dict) else item, "an absorbed record needs key and entry")
                continue
            absorbed.append((ab["key"], ab["entry"]))
        merges.append(
            StoredMerge(
                survivor,
                reason,
                links,
                tuple(k for k, _ in absorbed),
                MergeEntries(before, tuple(absorbed)),
            )
        )
    unsure: list[dict[str, Any]] = []
    for item in _list(doc, "unsure", errors, shown):
        if (
            isinstance(item, dict)
            and isinstance(item.get("a"), str)
            and isinstance(item.get("b"), str)
        ):
            unsure.append(dict(item))
        else:
            err(item if isinstance(item, dict) else doc, "an unsure pair needs keys a and b")
    model = doc.get("model")
    if model is not None and not isinstance(model, dict):
        err(
            doc,
            "model must be a mapping (it is written by litreview dedupe; delete it to refit)",
            "model",
        )
        model = None
    if errors:
        raise ConfigError(errors)
    return DuplicatesFile(tuple(decisions), tuple(merges), tuple(unsure), model, legacy, lines)


def unknown_decision_keys(data: DuplicatesFile, keys: set[str], shown: str) -> list[Problem]:
    """Decisions naming a key that is neither in the corpus nor absorbed: a typo the engine
    would pass over silently, so the verdict a person gave would never apply."""
    known = keys | set(data.aliases())
    return [
        Problem(
            Location(shown, data.lines.get(d.pair)),
            f"decision names {k!r}, which is not in the corpus",
            Severity.ERROR,
            "duplicates-file",
            suggest(k, sorted(known)) or "check the key's spelling",
            k,
        )
        for d in data.decisions
        for k in (d.a, d.b)
        if k not in known
    ]


def merged_though_different(
    data: DuplicatesFile, shown: str, severity: Severity = Severity.ERROR
) -> list[Problem]:
    """A person's 'different' on two records that a merge has joined all the same: one branch's
    dedupe merged them while a person decided them apart on another, and git merged the two
    (different lines of the log, so no conflict). The merge would stand against the verdict
    without a word; ``dedupe undo`` honours it."""
    if not data.merges:
        return []
    from litreview.corpus.mergemap import MergeMap

    joined = MergeMap(data.aliases())
    out = []
    for d in data.decisions:
        if d.decision != DIFFERENT:
            continue
        into = joined.final(d.a)
        if into != joined.final(d.b):
            continue
        absorbed = [k for k in (d.a, d.b) if k != into] or [d.b]
        out.append(
            Problem(
                Location(shown, data.lines.get(d.pair)),
                f"{d.a} and {d.b} were decided different works, but a dedupe merge joined them "
                f"into {into}",
                severity,
                "merged-different",
                " or ".join(f"`litreview dedupe undo {k}`" for k in absorbed)
                + " honours the decision; or delete the decision if they are one work",
            )
        )
    return out


def _list(doc: dict[str, Any], key: str, errors: list[Problem], shown: str) -> list[Any]:
    value, problems = list_at(doc, key, shown)
    errors.extend(problems)
    return value or []


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
        raise ConfigError.at(
            Location(where),
            "a stored entry in the duplicates file cannot be read back",
            code="duplicates-file",
        )
    return result.records[0]


# --- a reader for the layout format_duplicates writes ------------------------------------------
# At 100k records the log holds ~9,000 merges with their scored links: some 300,000 YAML nodes,
# ~2.4 s through PyYAML even with libyaml. The file is nearly always exactly as emit_yaml wrote
# it, so it is first read line by line by the inverse of that writer (same values, same line
# numbers for messages); the first line it does not recognise (a hand edit in another style, a
# comment after a value, a literal block, a tab) hands the whole file to the YAML loader.
# tests/test_dedupe.py checks both readers agree on generated and on mutated files.

_FALLBACK = object()
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+(?:e[-+][0-9]+)?")  # YAML 1.1 reads 1.0e5 (no sign) as text
_SPECIAL = {
    "true": True,
    "false": False,
    "null": None,
    ".nan": float("nan"),
    ".inf": float("inf"),
    "-.inf": float("-inf"),
}


# A merge's links are most of the file (~25 of its ~30 lines) and no reader but the next write
# needs them. Their lines are checked at once, by one regular expression in the writer's exact
# layout (key order, indentation, scalar shapes YAML reads the same way), and built on first use.
_K = r"[A-Za-z_][A-Za-z0-9_-]*"
_S = (
    r"(?:[A-Za-z](?:[A-Za-z0-9_.,;()/' -]*[A-Za-z0-9_.)'])?"  # plain text
    r"|'(?:[^'\n]|'')*'"  # single-quoted
    r"|\"(?:[^\"\\\n]|\\[\"\\/bfnrt]|\\u[0-9a-fA-F]{4})*\""  # double-quoted, JSON's escapes only
    r"|-?(?:0|[1-9][0-9]*)|-?[0-9]+\.[0-9]+(?:e[-+][0-9]+)?|\.nan|-?\.inf)"
)  # numbers
_LINKS_KEY = re.compile(r"^  links:\n", re.M)
_LINKS_BLOCK = re.compile(
    rf"(?:  - a: {_S}\n    b: {_S}\n    score: {_S}\n    reason: {_S}\n(?:    rule: {_S}\n)?"
    rf"(?:    scores:\n(?:      {_K}: {_S}\n)+)?)+"
)


#: the indentation the writer gives a merge's ``links:`` value (what _LINKS_BLOCK reads)
_LINKS_INDENT = "    "


class _LazyLinks(Sequence[dict[str, Any]]):
    """A merge's links as written, turned into dicts when first used (see _LINKS_BLOCK).

    The next write puts back :attr:`text`, the lines they were read from, instead of building
    and formatting ~10,000 merges' links again (~1.5 s after a dedupe at 100k records): lines
    in the writer's layout that read back as the same values."""

    def __init__(self, text: str, first_line: int, shown: str) -> None:
        self._text, self._line, self._shown = text, first_line, shown
        self._items: list[Any] | None = None

    @property
    def text(self) -> str:
        """The links' lines as read, each ending in a line break."""
        return self._text

    def parsed(self) -> Any:
        """The links as the YAML loader gives them (LineDicts, with their lines)."""
        if self._items is None:
            try:
                reader = _FastReader(self._text, self._shown, self._line, lazy=False)
                items = reader.items(2)
                if reader.i != len(reader.lines):
                    raise _NotOurs
            except _NotOurs:  # a duplicated key, a word YAML reads as true/false: as YAML reads it
                from litreview.files.yamlio import load_yaml_text

                items = load_yaml_text(
                    "\n" * (self._line - 2) + "links:\n" + self._text, self._shown
                )["links"]
            self._items = items
        return self._items

    def __getitem__(self, index: Any) -> Any:
        return self.parsed()[index]

    def __len__(self) -> int:
        return len(self.parsed())

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.parsed())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"_LazyLinks({list(self)!r})"


class _NotOurs(Exception):
    """The text is not in the writer's own layout: read it with the YAML loader instead."""


def _fast_scalar(text: str) -> Any:
    if text.startswith("'"):
        inner = text[1:-1]
        if len(text) < 2 or not text.endswith("'") or "'" in inner.replace("''", ""):
            raise _NotOurs
        return inner.replace("''", "'")
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            raise _NotOurs from None
        if not isinstance(value, str):
            raise _NotOurs
        return value
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    if text in _SPECIAL:
        return _SPECIAL[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    raise _NotOurs


class _FastReader:
    def __init__(self, text: str, shown: str, first_line: int = 1, lazy: bool = True) -> None:
        from litreview.files.yamlio import LineDict, LineList

        self.shown = shown
        self.dict, self.list = LineDict, LineList
        self.lines: list[
            tuple[int, int, bool, str]
        ] = []  # (line number, indent, list item?, content)
        #: line of a merge's ``links:`` key -> its list's text, checked by _LINKS_BLOCK, built on use
        self.lazy: dict[int, str] = {}
        pos, line = 0, first_line
        if lazy:
            for m in _LINKS_KEY.finditer(text):
                if m.start() < pos:
                    continue
                block = _LINKS_BLOCK.match(text, m.end())
                if block is None or block.end() == m.end():
                    continue
                head = text[pos : m.end() - 1]
                self._tokens(head, line)
                key_line = line + head.count("\n")
                self.lazy[key_line] = block.group(0)
                line = key_line + 1 + block.group(0).count("\n")
                pos = block.end()
        self._tokens(text[pos:], line)
        self.i = 0

    def _tokens(self, text: str, first: int) -> None:
        append = self.lines.append
        for number, raw in enumerate(text.split("\n"), first):
            content = raw.lstrip(" ")
            if not content or raw[0] == "#":
                continue
            if "\t" in raw or content[0] == "#" or raw[-1] == " " or "\r" in raw:
                raise _NotOurs
            indent = len(raw) - len(content)
            if content[0] == "-" and (content[1:2] in (" ", "")):
                if len(content) == 1:
                    raise _NotOurs  # a nested list: never written
                append((number, indent, True, content[2:]))
            else:
                append((number, indent, False, content))

    def document(self) -> Any:
        if not self.lines or self.lines[0][1] != 0 or self.lines[0][2]:
            raise _NotOurs
        doc = self.mapping(0, None)
        if self.i != len(self.lines):
            raise _NotOurs
        return doc

    def mapping(self, indent: int, first: tuple[int, str] | None) -> Any:
        out = self.dict()
        out.key_lines = {}
        if first is not None:
            out.line = first[0]
            self.entry(out, first[0], first[1], indent)
        while self.i < len(self.lines):
            number, ind, dash, content = self.lines[self.i]
            if ind != indent or dash:
                if ind > indent and not (dash and ind == indent):
                    raise _NotOurs
                break
            if not out.line:
                out.line = number
            self.i += 1
            self.entry(out, number, content, indent)
        return out

    def entry(self, out: Any, number: int, content: str, indent: int) -> None:
        m = _KEY.fullmatch(content)
        if m is None or m.group(1) in out:
            raise _NotOurs
        key, rest = m.group(1), m.group(2)
        out.key_lines[key] = number
        if rest is None and number in self.lazy:
            out[key] = _LazyLinks(self.lazy[number], number + 1, self.shown)
        elif rest is None:
            if self.i >= len(self.lines):
                raise _NotOurs
            _n, ind, dash, _c = self.lines[self.i]
            if dash and ind == indent:
                out[key] = self.items(indent)
            elif ind > indent and not dash:
                out[key] = self.mapping(ind, None)
            else:
                raise _NotOurs
        elif rest == "[]":
            out[key] = self.list()
            out[key].line = number
        elif rest == "{}":
            out[key] = self.dict()
            out[key].key_lines = {}
            out[key].line = number
        else:
            out[key] = _fast_scalar(rest)

    def items(self, indent: int) -> Any:
        out = self.list()
        out.line = self.lines[self.i][0]
        while self.i < len(self.lines):
            number, ind, dash, content = self.lines[self.i]
            if ind != indent or not dash:
                break
            self.i += 1
            if _KEY.fullmatch(content):
                out.append(self.mapping(indent + 2, (number, content)))
            else:
                out.append(_fast_scalar(content))
        return out


def _read_own_layout(text: str, shown: str = "duplicates.yaml") -> Any:
    """The document, read as format_duplicates writes it; ``_FALLBACK`` when it is written otherwise."""
    try:
        return _FastReader(text, shown).document()
    except (_NotOurs, RecursionError):
        return _FALLBACK


def _load_doc(path: Path, shown: str) -> Any:
    from litreview.files.yamlio import load_yaml_text, read_input_text

    try:
        text = read_input_text(path)  # noted: a cached result is keyed to the bytes it parsed
    except (OSError, UnicodeDecodeError):
        return load_yaml(path, shown)  # which says what is wrong
    doc = _read_own_layout(text, shown)
    return load_yaml_text(text, shown) if doc is _FALLBACK else doc
