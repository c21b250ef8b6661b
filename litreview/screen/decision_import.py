"""Screening decisions exported by other tools, read as rows matched to the corpus's records.

Formats (``docs/formats.md`` describes each): ASReview LAB's export (``asreview_label`` from
version 2, ``included`` or the dataset's own label column before: 1 or 0, empty while
unlabelled), Rayyan's ``articles.csv`` (everybody's votes inside the ``notes`` column,
``RAYYAN-INCLUSION: {"name"=>"Included", …}``), Covidence's CSV (one list per export, so the
decision is given on the command line) and our plain ``key,decision,reason[,note]``.

A row is matched to a record by citation key, else by the ``id`` a record was imported with
(its provenance), else DOI, else normalised title. Nothing here writes: the caller writes every
matched decision in one change, or nothing when a row is unmatched.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from litreview.model import Location, Problem, Severity
from litreview.outcomes import Choice
from litreview.text.wording import counted

if TYPE_CHECKING:
    from litreview.corpus.store import Corpus

FORMATS = ("asreview", "rayyan", "covidence", "csv")

_KEY_COLUMNS = ("key", "litreview_key", "citation_key", "citationkey")
_ID_COLUMNS = ("id", "record_id", "recordid")
#: ASReview's label columns, in the order they are looked for: from version 2 an export adds the
#: project's labels as ``asreview_label`` beside the dataset's own columns, which may hold an
#: older ``included`` that the screening did not write; version 1 wrote them into the dataset's
#: label column
_ASREVIEW_LABELS = ("asreview_label", "included", "label_included", "final_included")
#: ASReview's note: ``asreview_note`` from version 2; version 1 added ``exported_notes_N``, N one
#: more than any such column already in the dataset (the last is this export's)
_ASREVIEW_NOTE = re.compile(r"asreview_note|exported_notes(_\d+)?")
_RAYYAN_MAP = re.compile(r'"([^"]*)"\s*=>\s*"([^"]*)"')
_RAYYAN_DECISIONS = {"included": Choice.INCLUDE, "excluded": Choice.EXCLUDE, "maybe": Choice.MAYBE}
_PLAIN_DECISIONS = {str(c): c for c in Choice}


@dataclass(frozen=True)
class Row:
    """One decision read from the export and the record it matched."""

    key: str
    decision: str
    reason: str | None
    note: str
    line: int
    #: the day the export says the decision was made (``YYYY-MM-DD``), "" when it does not
    date: str = ""


@dataclass
class Imported:
    format: str
    matched: list[Row] = field(default_factory=list)
    #: every reason the file cannot be imported as it is: the file as a whole, or a row that
    #: matches no record or carries an unreadable decision (input errors: nothing is written)
    errors: list[Problem] = field(default_factory=list)
    #: what a person should know that does not stop the import
    warnings: list[Problem] = field(default_factory=list)
    #: rows without a decision (unlabelled in ASReview; in Rayyan, no vote by the person chosen)
    skipped: int = 0


def collapse_repeats(problems: list[Problem]) -> list[Problem]:
    """One problem for each that recurs word for word on many rows, with their lines.

    An export of a thousand rows with one systematic slip would otherwise bury every other
    problem under a thousand identical lines.
    """
    groups: dict[tuple[str, str, str, str | None, Severity], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.location.path, p.code, p.message, p.hint, p.severity), []).append(p)
    out = []
    for same in groups.values():
        first = same[0]
        if len(same) > 1:
            lines = [str(p.location.line) for p in same[1:] if p.location.line is not None]
            shown = ", ".join(lines[:10]) + (", …" if len(lines) > 10 else "")
            more = len(same) - 1
            first = replace(
                first,
                message=f"{first.message} (and {counted(more, 'more row')}"
                + (f": {'line' if len(lines) == 1 else 'lines'} {shown})" if lines else ")"),
            )
        out.append(first)
    return out


def _column(name: str) -> str:
    return re.sub(r"[\s_#-]+", "_", name.strip().lower()).strip("_")


def detect(columns: list[str], first_rows: list[dict[str, str]]) -> str | None:
    """The format from the header (and, for Rayyan, the notes' contents); None when unknown."""
    cols = set(columns)
    if cols & set(_ASREVIEW_LABELS):
        return "asreview"
    notes = "notes" if "notes" in cols else "note" if "note" in cols else None
    if notes and any("RAYYAN-INCLUSION" in r.get(notes, "") for r in first_rows):
        return "rayyan"
    if "covidence" in cols or any(c.startswith("covidence") for c in cols):
        return "covidence"
    if "decision" in cols:
        return "csv"
    return None


class _Matcher:
    """Row -> record key: citation key, import id, DOI, normalised title (indexes built on first use)."""

    def __init__(self, corpus: Corpus, aliases: Mapping[str, str]) -> None:
        self.corpus = corpus
        self.keys = frozenset(corpus.keys)
        self.aliases = aliases
        self._index: dict[str, dict[str, set[str]]] | None = None

    def index(self) -> dict[str, dict[str, set[str]]]:
        if self._index is None:
            from litreview.text.normalize import normalize_doi, title_key

            idx: dict[str, dict[str, set[str]]] = {
                "id": defaultdict(set),
                "doi": defaultdict(set),
                "title": defaultdict(set),
            }
            for r in self.corpus.records:
                for p in r.provenance:
                    if p.original_id:
                        idx["id"][p.original_id.strip()].add(r.key)
                if r.doi:
                    idx["doi"][normalize_doi(r.doi)].add(r.key)
                if r.title:
                    idx["title"][title_key(r.title)].add(r.key)
            self._index = idx
        return self._index

    def match(self, row: Mapping[str, str]) -> tuple[str | None, str]:
        """The record's key, or None and why."""
        from litreview.text.normalize import normalize_doi, title_key

        for c in _KEY_COLUMNS:
            k = row.get(c, "").strip()
            if k and (k in self.keys or k in self.aliases):
                return k, ""
        tried = []
        # a key column that names no record may be the exporting tool's own id (Rayyan's ``key``)
        for what, cols, norm in (
            ("id", _ID_COLUMNS + _KEY_COLUMNS, str.strip),
            ("doi", ("doi",), normalize_doi),
            ("title", ("title", "primary_title"), title_key),
        ):
            for c in cols:
                value = row.get(c, "").strip()
                if not value:
                    continue
                found = self.index()[what].get(norm(value))
                if found and len(found) == 1:
                    return next(iter(found)), ""
                label = "key or id" if c in _KEY_COLUMNS else what
                tried.append(
                    f"{label} {value[:60]!r}"
                    + (f" (matches {len(found)} records)" if found else "")
                )
        return None, "; ".join(tried) or "the row has no key, id, DOI or title"


def _reason_code(text: str, reasons: Mapping[str, str]) -> str | None:
    """A reason code of the protocol named by code or by label (case and spacing ignored)."""
    want = _column(text)
    for code, label in reasons.items():
        if want in (_column(code), _column(label)):
            return code
    return None


def read_decisions(
    path: Path,
    shown: str,
    fmt: str,
    reviewer: str,
    corpus: Corpus,
    reasons: Mapping[str, str],
    aliases: Mapping[str, str],
    decision: str | None = None,
    rayyan_name: str | None = None,
) -> Imported:
    """Every decision row of the export, matched to records (see the module's docstring).

    ``decision`` is used for rows that carry none (a Covidence export is one list). Rayyan's
    notes hold everybody's votes: ``rayyan_name`` (else ``reviewer``, else the export's only
    name) says whose to take, compared ignoring case and spacing.
    """
    from litreview.io.csvrows import read_table, sniff_delimiter
    from litreview.io.text import decode_bytes

    try:
        data = path.read_bytes()
    except OSError as exc:
        return Imported(
            fmt,
            errors=[
                Problem(
                    Location(shown),
                    f"cannot read: {exc.strerror or exc}",
                    Severity.ERROR,
                    "unreadable",
                )
            ],
        )
    decoded = decode_bytes(data)
    table = read_table(decoded.text, shown, sniff_delimiter(decoded.text))
    warnings = [
        Problem(Location(shown), w, Severity.WARNING, "encoding") for w in decoded.warnings
    ] + table.warnings
    if not table.header:
        return Imported(fmt, errors=table.errors, warnings=warnings)
    columns = [_column(c) for c in table.header]
    rows = [(line, dict(zip(columns, values, strict=False))) for line, values in table.rows]
    if fmt == "auto":
        found = detect(columns, [r for _, r in rows[:200]])
        if found is None:
            return Imported(
                fmt,
                warnings=warnings,
                errors=[
                    *table.errors,
                    Problem(
                        Location(shown, 1),
                        "cannot tell the export's format from its columns",
                        Severity.ERROR,
                        "format",
                        "name it with --format asreview|rayyan|covidence|csv (plain CSV needs a 'decision' column)",
                    ),
                ],
            )
        fmt = found
    # a row the reader could not take is an error of its own; the rows it did take are still
    # looked at, so that every problem of the file is reported at once
    out = Imported(fmt, errors=list(table.errors), warnings=warnings)
    if fmt == "csv":
        # a plain decisions file has no long text that may run over lines: rows inside a quoted
        # cell are decisions that would vanish into a note, so nothing is written
        swallowed = [w for w in warnings if w.code == "csv-swallowed-rows"]
        out.warnings = [w for w in warnings if w.code != "csv-swallowed-rows"]
        out.errors += [replace(w, severity=Severity.ERROR) for w in swallowed]
    label = next((c for c in _ASREVIEW_LABELS if c in columns), "")
    # the one column a format cannot do without: ASReview's label goes by several names, so a
    # file without any is refused just below with them all named (``label`` is one of the
    # columns whenever it is not ""); a Covidence list needs none
    need = {
        "asreview": "",
        "rayyan": "notes" if "notes" in columns else "note",
        "covidence": "",
        "csv": "decision",
    }[fmt]
    if fmt == "asreview" and not label:
        out.errors.append(
            Problem(
                Location(shown, 1),
                "an ASReview export needs a label column: asreview_label (ASReview 2 and later) "
                "or included, label_included or final_included (earlier)",
                Severity.ERROR,
                "missing-column",
                f"its columns: {', '.join(columns)}",
            )
        )
        return out
    if need and need not in columns:
        out.errors.append(
            Problem(
                Location(shown, 1),
                f"a {fmt} export needs a {need!r} column",
                Severity.ERROR,
                "missing-column",
                f"its columns: {', '.join(columns)}",
            )
        )
        return out
    notes = [c for c in columns if _ASREVIEW_NOTE.fullmatch(c)]
    if fmt == "asreview" and notes:
        # asreview_note, else the exported_notes column with the highest number
        note_column = "asreview_note" if "asreview_note" in notes else max(notes, key=_note_number)
    else:
        note_column = ""
    if rayyan_name is not None and fmt != "rayyan":
        out.errors.append(
            Problem(
                Location("--rayyan-name"),
                f"--rayyan-name picks a person's votes from a Rayyan export; {shown} is read "
                f"as {fmt}",
                Severity.ERROR,
                "rayyan-name",
                "leave it out, or say --format rayyan if the file is Rayyan's",
            )
        )
        return out
    person = ""
    # each Rayyan row's votes, read from its notes once: they say whose votes to take, then
    # that person's decision on the row
    votes: list[list[tuple[str, str]]] = []
    if fmt == "rayyan":
        votes = [_rayyan_votes(row.get(need, "")) for _, row in rows]
        chosen = _rayyan_person(rows, votes, rayyan_name, reviewer, shown)
        if isinstance(chosen, Problem):
            out.errors.append(chosen)
            return out
        person = chosen
    if fmt == "covidence" and decision is None and "decision" not in columns:
        out.errors.append(
            Problem(
                Location(shown, 1),
                "a Covidence export is one list and says no decision per row",
                Severity.ERROR,
                "missing-decision",
                "say which list it is with --decision include|exclude",
            )
        )
        return out
    matcher = _Matcher(corpus, aliases)
    first_line: dict[str, int] = {}
    first_row: dict[str, Row] = {}
    for i, (line, row) in enumerate(rows):
        if fmt == "asreview":
            value, reason, note, problem = _asreview_decision(row, label, note_column)
        elif fmt == "rayyan":
            value, reason, note, problem = _rayyan_decision(
                row.get(need, ""), votes[i], person, reasons
            )
        else:
            value, reason, note, problem = _decision_of(fmt, row, reasons, decision)
        if problem:
            out.errors.append(Problem(Location(shown, line), problem, Severity.ERROR, "bad-row"))
            continue
        if value is None:
            out.skipped += 1
            continue
        key, why = matcher.match(row)
        if key is None:
            out.errors.append(
                Problem(
                    Location(shown, line),
                    f"row matches no record: {why}",
                    Severity.ERROR,
                    "unmatched-row",
                    "correct the row, or import the record first",
                )
            )
            continue
        if key in first_line:
            earlier = first_row[key]
            if (earlier.decision, earlier.reason) == (value, reason):
                # both copies of a work the dedupe merged (a tool screening the records
                # before the merge lists each), decided alike: one decision, said so
                out.warnings.append(
                    Problem(
                        Location(shown, line, key),
                        f"decides {key} as line {first_line[key]} does: counted once",
                        Severity.WARNING,
                        "repeated-row",
                        "two rows for one record (often two copies a dedupe merged)",
                    )
                )
                if note and note not in earlier.note.split(" | "):
                    # the second row's note is the person's words too: kept beside the first's
                    joined = replace(
                        earlier, note=f"{earlier.note} | {note}" if earlier.note else note
                    )
                    out.matched[out.matched.index(earlier)] = first_row[key] = joined
                continue
            out.errors.append(
                Problem(
                    Location(shown, line, key),
                    f"{key} is decided again in this file",
                    Severity.ERROR,
                    "duplicate-row",
                    f"first at line {first_line[key]}; keep one",
                )
            )
            continue
        first_line[key] = line
        made = _asreview_day(row.get("asreview_time", "")) if fmt == "asreview" else ""
        out.matched.append(first_row.setdefault(key, Row(key, value, reason, note, line, made)))
    out.errors.sort(key=lambda p: p.location.line or 0)  # in the order a person reads the file
    return out


def _asreview_day(value: str) -> str:
    """The day in ASReview's ``asreview_time``, so an imported decision keeps the day it was
    made: its export writes ``YYYY-MM-DD HH:MM:SS`` (UTC); its project database keeps seconds
    since 1970, also read. "" when the cell holds neither."""
    import datetime
    import math

    value = value.strip()
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    try:
        seconds = float(value)
    except ValueError:
        return ""
    if not math.isfinite(seconds) or seconds <= 0:
        return ""
    try:
        moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return ""
    return moment.date().isoformat()


def _note_number(column: str) -> int:
    return int(column.rsplit("_", 1)[1]) if column[-1].isdigit() else 0


def _asreview_decision(
    row: Mapping[str, str], label_column: str, note_column: str
) -> tuple[str | None, str | None, str, str]:
    """As :func:`_decision_of`, from the label column the file was found to have."""
    label = row.get(label_column, "").strip()
    if label in ("", "-1"):
        return None, None, "", ""
    if label not in ("0", "1"):
        return None, None, "", f"ASReview label {label!r} is not 1, 0 or empty"
    note = row.get(note_column, "").strip() if note_column else ""
    return (Choice.INCLUDE if label == "1" else Choice.EXCLUDE), None, note, ""


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _rayyan_votes(notes: str) -> list[tuple[str, str]]:
    """Rayyan's votes in a row's notes: (name as written, vote)."""
    m = re.search(r"RAYYAN-INCLUSION:\s*\{([^}]*)\}", notes)
    return _RAYYAN_MAP.findall(m.group(1)) if m else []


def _rayyan_person(
    rows: list[tuple[int, dict[str, str]]],
    votes: list[list[tuple[str, str]]],
    rayyan_name: str | None,
    reviewer: str,
    shown: str,
) -> str | Problem:
    """Whose votes to take, folded, or the one problem that no name of the export is meant.

    Decided once for the whole file: a row that lacks that person's vote was not screened by
    them (it is skipped), never another person's vote taken in its place. ``votes`` are each
    row's, in the order of ``rows``.
    """
    names: dict[str, str] = {}
    first = 0
    for (line, _), row_votes in zip(rows, votes, strict=True):
        for name, _ in row_votes:
            names.setdefault(_fold(name), " ".join(name.split()))
            first = first or line
    wanted = rayyan_name if rayyan_name is not None else reviewer
    if not names or _fold(wanted) in names:
        return _fold(wanted)
    if rayyan_name is None and len(names) == 1:
        return next(iter(names))
    listed = ", ".join(sorted(names.values(), key=str.casefold))
    example = sorted(names.values(), key=str.casefold)[0]
    return Problem(
        Location(shown, first),
        f"no Rayyan decisions by {wanted!r} in this export; its reviewers: {listed}",
        Severity.ERROR,
        "rayyan-name",
        "check the spelling (case and spacing do not matter)"
        if rayyan_name is not None
        else f'say whose decisions to take with --rayyan-name, e.g. --rayyan-name "{example}"',
    )


def _rayyan_decision(
    notes: str, votes: list[tuple[str, str]], person: str, reasons: Mapping[str, str]
) -> tuple[str | None, str | None, str, str]:
    """As :func:`_decision_of`, from a Rayyan row's notes and the votes already read from them;
    ``person`` is whose votes to take, folded."""
    mine = next((v for n, v in votes if _fold(n) == person), None)
    if mine is None:  # nobody's vote, or not this person's: not screened by them
        return None, None, "", ""
    value = _RAYYAN_DECISIONS.get(mine.strip().lower())
    if value is None:
        return None, None, "", f"Rayyan decision {mine!r} is not Included, Excluded or Maybe"
    reason, note = None, ""
    r = re.search(r"RAYYAN-EXCLUSION-REASONS:\s*([^|]*)", notes)
    if value == Choice.EXCLUDE and r:
        given = [x.strip() for x in r.group(1).split(",") if x.strip()]
        coded = [(g, _reason_code(g, reasons)) for g in given]
        # the first that names a protocol reason becomes the code; every other reason given
        # (one the protocol does not know, or a second one) is kept in the note, not dropped
        first = next((i for i, (_, c) in enumerate(coded) if c), None)
        reason = coded[first][1] if first is not None else None
        rest = [g for i, (g, _) in enumerate(coded) if i != first]
        if rest:
            note = f"Rayyan reason{'s' if len(rest) > 1 else ''}: {', '.join(rest)}"
    return value, reason, note, ""


def _decision_of(
    fmt: str, row: Mapping[str, str], reasons: Mapping[str, str], default: str | None
) -> tuple[str | None, str | None, str, str]:
    """(decision or None when the row is undecided, reason code, note, problem) of a Covidence
    or plain CSV row."""
    raw = row.get("decision", "").strip()
    if not raw:
        if fmt == "covidence" and default is not None:
            raw = default
        elif fmt == "csv":
            # a plain file is written by hand or a script, one row per decision made: a row
            # without one is a slip, not a record left unscreened
            return None, None, "", "the row gives no decision (include, exclude or maybe)"
        else:
            return None, None, "", ""
    value = _PLAIN_DECISIONS.get(raw.lower())
    if value is None:
        return None, None, "", f"decision {raw!r} is not include, exclude or maybe"
    why = (row.get("reason") or row.get("exclusion_reason") or "").strip()
    reason = (_reason_code(why, reasons) or why) if why and value == Choice.EXCLUDE else None
    return value, reason, (row.get("note") or row.get("notes") or "").strip(), ""
