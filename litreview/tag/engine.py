"""Tagging records with the review's themes: terms first, then people's overrides on top.

All terms of all themes are compiled once into one :class:`~litreview.text.termmatch.TermIndex`,
the term engine screening uses too (one rule for words, plurals, wildcards and separators); each
match names its terms, and snippets are cut from the original text through an offset map, so
evidence reads as the record does.

:func:`tag_records` is pure (commands reach it through the cache of derived results,
:mod:`litreview.files.derived`), and overrides live in ``corpus/theme-overrides.yaml``, written by people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from litreview.files.bulk import paused_gc
from litreview.files.schema import FileSchema, listed_items
from litreview.files.yamlio import MISSING, line_of, load_optional_yaml, suggest
from litreview.model import Location, Problem, Record, Severity
from litreview.progress import Progress, track
from litreview.tag.themes import Term, Themes
from litreview.text.termmatch import TermIndex

TAGS_VERSION = 1
OVERRIDES_VERSION = 1

Source = Literal["rule", "override"]


# --- matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermRef:
    """One term of one theme: ``negative`` terms count against the theme."""

    theme: int
    term: int
    negative: bool
    weight: float
    text: str


class Matcher:
    """Every term of every theme in one :class:`~litreview.text.termmatch.TermIndex`; ``find``
    returns what matched where, naming terms by their index in :attr:`refs`."""

    def __init__(self, themes: Themes) -> None:
        self.themes = themes
        #: every term of every theme; matches name them by their index here
        self.refs: list[TermRef] = []
        forms: list[tuple[int, str]] = []
        for ti, theme in enumerate(themes.themes):
            for negative, terms in ((False, theme.terms), (True, theme.negative)):
                for xi, term in enumerate(terms):
                    rid = len(self.refs)
                    self.refs.append(TermRef(ti, xi, negative, term.weight, term.text))
                    forms.extend((rid, form) for form in term.forms)
        self.index = TermIndex(forms)
        self.pattern = self.index.pattern
        self.find = self.index.find


_matchers: dict[int, tuple[Themes, Matcher]] = {}


def matcher_for(themes: Themes) -> Matcher:
    """The compiled matcher of a themes model, built once per model."""
    cached = _matchers.get(id(themes))
    if cached is not None and cached[0] is themes:
        return cached[1]
    m = Matcher(themes)
    if len(_matchers) > 8:
        _matchers.clear()
    _matchers[id(themes)] = (themes, m)
    return m


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One matched phrase: the theme's term, the words as the record has them, where, in context."""

    term: str
    phrase: str
    field: str
    snippet: str
    weight: float
    negative: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "phrase": self.phrase,
            "field": self.field,
            "snippet": self.snippet,
            "weight": self.weight,
            "negative": self.negative,
        }


@dataclass(frozen=True)
class ThemeTag:
    """A theme assigned to a record: by the terms (``rule``) or by a person (``override``).

    ``reviewer`` and ``note`` are set when a person's override added or confirmed the theme.
    """

    theme: str
    score: float
    source: Source
    evidence: tuple[Evidence, ...] = ()
    reviewer: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "score": self.score,
            "source": self.source,
            "evidence": [e.as_dict() for e in self.evidence],
            "reviewer": self.reviewer,
            "note": self.note,
        }


@dataclass(frozen=True)
class Removal:
    """A theme a person removed; ``by_rule`` says whether the terms had assigned it."""

    theme: str
    score: float
    by_rule: bool
    evidence: tuple[Evidence, ...]
    reviewer: str | None
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "score": self.score,
            "by_rule": self.by_rule,
            "evidence": [e.as_dict() for e in self.evidence],
            "source": "override",
            "reviewer": self.reviewer,
            "note": self.note,
        }


@dataclass(frozen=True)
class RecordTags:
    key: str
    themes: tuple[ThemeTag, ...]
    removed: tuple[Removal, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        """The themes after overrides."""
        return tuple(t.theme for t in self.themes)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The themes the terms assigned, before any override."""
        out = [t.theme for t in self.themes if t.source == "rule"]
        out += [r.theme for r in self.removed if r.by_rule]
        return tuple(sorted(out))

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "themes": [t.as_dict() for t in self.themes],
            "removed": [r.as_dict() for r in self.removed],
            "rule_themes": list(self.rule_ids),
        }


@dataclass(frozen=True)
class TagResult:
    themes: Themes
    records: Mapping[str, RecordTags]
    problems: tuple[Problem, ...] = ()

    def themes_of(self, key: str) -> tuple[str, ...]:
        rec = self.records.get(key)
        return rec.ids if rec else ()

    def studies(self, theme: str) -> list[str]:
        """Keys of the records carrying ``theme`` after overrides."""
        return [k for k, r in self.records.items() if theme in r.ids]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": TAGS_VERSION,
            "themes": [{"id": t.id, "label": t.label} for t in self.themes.themes],
            "records": [r.as_dict() for r in self.records.values()],
            "problems": [p.as_dict() for p in self.problems],
        }


# --- overrides ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    key: str
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    reviewer: str | None = None
    note: str | None = None
    line: int | None = None
    path: str = ""
    #: the key as written, when a dedupe merge absorbed that record: ``key`` is then the survivor
    alias: str | None = None


_OVERRIDE_TOP = ("version", "overrides")
_OVERRIDES_SCHEMA = FileSchema(
    "the overrides file",
    _OVERRIDE_TOP,
    OVERRIDES_VERSION,
    "an overrides file is a mapping with 'version' and 'overrides'",
)
#: ``title``: the record's title, as a person may keep it (see litreview.corpus.madeon)
_OVERRIDE_KEYS = ("key", "title", "add", "remove", "reviewer", "note", "date")


def load_overrides(
    path: Path,
    known_keys: Iterable[str],
    themes: Themes,
    display: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> tuple[tuple[Override, ...], list[Problem]]:
    """People's theme overrides, and every problem in the file (with file:line).

    A missing file is no overrides. Entries with errors are left out of the result; the caller
    decides whether errors stop it (the CLI exits 2). ``aliases`` (absorbed key -> survivor)
    default to the merges logged in the same project's duplicates file.
    """
    shown = display or path.as_posix()
    data, problems = load_optional_yaml(path, shown)
    if data is MISSING:
        return (), problems
    if aliases is None:
        from litreview.screen.decisions import project_aliases

        aliases = project_aliases(path)
    return parse_overrides(data, shown, known_keys, themes, aliases)


def parse_overrides(
    data: Any,
    path: str,
    known_keys: Iterable[str],
    themes: Themes,
    aliases: Mapping[str, str] | None = None,
) -> tuple[tuple[Override, ...], list[Problem]]:
    """Validate the parsed overrides file. An entry for a record that a dedupe merge absorbed
    (``aliases``: absorbed key -> survivor) applies to the survivor, keeping the written key as
    :attr:`Override.alias`; a key found nowhere is an error."""
    problems: list[Problem] = []
    keys = set(known_keys)
    theme_ids = themes.ids

    def err(
        node: Any,
        key: str | None,
        message: str,
        code: str,
        hint: str | None = None,
        where: str | None = None,
        severity: Severity = Severity.ERROR,
        missing: str | None = None,
    ) -> None:
        problems.append(
            Problem(
                Location(path, line_of(node, key), where), message, severity, code, hint, missing
            )
        )

    if data is None:
        return (), []
    items, problems = listed_items(data, path, _OVERRIDES_SCHEMA, "overrides")
    if items is None:
        return (), problems
    out: list[Override] = []
    decided: dict[tuple[str, str], tuple[str, int | None]] = {}
    for item in items:
        if not isinstance(item, dict):
            err(
                item if line_of(item) else items,
                None,
                "an override is a mapping with key, add, remove, reviewer, note",
                "type",
            )
            continue
        before = len(problems)
        key = item.get("key")
        alias: str | None = None
        where = key if isinstance(key, str) else None
        for k in item:
            if k not in _OVERRIDE_KEYS:
                err(
                    item,
                    k,
                    f"unknown key {k!r}",
                    "unknown-key",
                    suggest(k, _OVERRIDE_KEYS) or f"known keys: {', '.join(_OVERRIDE_KEYS)}",
                    where,
                )
        if not isinstance(key, str) or not key:
            err(
                item,
                "key" if "key" in item else None,
                "override has no record key",
                "override-no-key",
            )
        elif key not in keys:
            from litreview.screen.decisions import resolve_alias

            survivor = resolve_alias(key, keys, aliases) if aliases else None
            if survivor is None:
                err(
                    item,
                    "key",
                    f"no record {key!r} in the corpus",
                    "unknown-record",
                    suggest(key, keys),
                    where,
                    missing=key,
                )
            else:
                alias, key = key, survivor
        lists: dict[str, tuple[str, ...]] = {}
        for name in ("add", "remove"):
            value = item.get(name) or []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                err(item, name, f"'{name}' must be a list of theme ids", "type", where=where)
                value = []
            for tid in value:
                if tid not in theme_ids:
                    err(
                        item,
                        name,
                        f"unknown theme {tid!r}",
                        "unknown-theme",
                        suggest(tid, theme_ids) or f"themes: {', '.join(theme_ids)}",
                        where,
                    )
            lists[name] = tuple(value)
        for name in ("reviewer", "note", "date"):
            if name in item and item[name] is not None and not isinstance(item[name], (str, int)):
                err(item, name, f"{name} must be text", "type", where=where)
        if not lists["add"] and not lists["remove"] and len(problems) == before:
            err(
                item,
                None,
                "override adds and removes nothing",
                "override-empty",
                where=where,
                severity=Severity.WARNING,
            )
        if isinstance(key, str):
            for action in ("add", "remove"):
                for tid in lists[action]:
                    other = decided.get((key, tid))
                    if other is not None and other[0] != action:
                        err(
                            item,
                            action,
                            f"theme {tid!r} is both added and removed for {key}",
                            "override-conflict",
                            f"other entry on line {other[1]}",
                            where,
                        )
                    decided.setdefault((key, tid), (action, line_of(item, action)))
        if any(p.is_error for p in problems[before:]):
            continue
        reviewer = item.get("reviewer")
        note = item.get("note")
        out.append(
            Override(
                key=str(key),
                add=lists["add"],
                remove=lists["remove"],
                reviewer=None if reviewer is None else str(reviewer),
                note=None if note is None else str(note).strip(),
                line=line_of(item),
                path=path,
                alias=alias,
            )
        )
    return tuple(out), problems


# --- tagging -----------------------------------------------------------------------------------


def _snippet(text: str, start: int, end: int, width: int) -> str:
    half = max(0, (width - (end - start)) // 2)
    a, b = max(0, start - half), min(len(text), end + half)
    if a > 0:
        sp = text.find(" ", a, start)
        a = sp + 1 if sp != -1 else a
    if b < len(text):
        sp = text.rfind(" ", end, b)
        b = sp if sp != -1 else b
    out = " ".join(text[a:b].split())
    return ("…" if a > 0 else "") + out + ("…" if b < len(text) else "")


@dataclass(frozen=True)
class ThemeScore:
    """What the terms found for one theme in one record, whether or not it reached the threshold."""

    theme: str
    score: float
    assigned: bool
    evidence: tuple[Evidence, ...]


def score_record(
    record: Record, themes: Themes, matcher: Matcher | None = None, evidence_for: Iterable[str] = ()
) -> dict[str, ThemeScore]:
    """Per theme that any term matched: the score, whether it reaches the threshold, evidence.

    Each distinct term counts once, with the best weight it reached (term weight × field
    weight); terms under ``negative`` subtract the same way. Evidence (with snippets) is built
    for the themes assigned and for those in ``evidence_for``; the rest get scores only.
    """
    matcher = matcher or matcher_for(themes)
    refs = matcher.refs
    best: dict[int, tuple[float, str, int, int, str]] = {}
    for fname, fweight in themes.settings.fields:
        text = record.get(fname)
        if not text:
            continue
        for rids, start, end in matcher.find(text):
            for rid in rids:
                w = refs[rid].weight * fweight
                held = best.get(rid)
                if held is None or w > held[0]:
                    best[rid] = (w, fname, start, end, text)
    if not best:
        return {}
    totals: dict[int, float] = {}
    for rid, held in best.items():
        ref = refs[rid]
        totals[ref.theme] = totals.get(ref.theme, 0.0) + (-held[0] if ref.negative else held[0])
    wanted = set(evidence_for)
    width = themes.settings.snippet
    out: dict[str, ThemeScore] = {}
    for ti, total in totals.items():
        theme = themes.themes[ti]
        score = round(total, 3)
        assigned = score >= themes.threshold_of(theme)
        evidence: tuple[Evidence, ...] = ()
        if assigned or theme.id in wanted:
            evs = []
            for rid, (w, fname, start, end, text) in best.items():
                ref = refs[rid]
                if ref.theme == ti:
                    evs.append(
                        Evidence(
                            term=ref.text,
                            phrase=text[start:end],
                            field=fname,
                            snippet=_snippet(text, start, end, width),
                            weight=-w if ref.negative else w,
                            negative=ref.negative,
                        )
                    )
            evs.sort(key=lambda e: (-e.weight, e.term))
            evidence = tuple(evs)
        out[theme.id] = ThemeScore(theme.id, score, assigned, evidence)
    return out


def tag_records(
    records: Iterable[Record],
    themes: Themes,
    overrides: Sequence[Override] | None = None,
    keys: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> TagResult:
    """Tag each record (or only those in ``keys``) with its themes; overrides go on top.

    Pure: reads nothing and writes nothing. A theme is assigned by the terms when its score
    reaches the threshold (the theme's own, or the file's). An override adds or removes themes
    for one record and is shown as such; removals keep the rule's score and evidence.
    """
    # the results are plain acyclic values: pausing the cyclic collector saves a quarter of the time
    with paused_gc():
        return _tag_records(records, themes, overrides, keys, progress)


def _tag_records(
    records: Iterable[Record],
    themes: Themes,
    overrides: Sequence[Override] | None,
    keys: Iterable[str] | None,
    progress: Progress | None = None,
) -> TagResult:
    wanted = None if keys is None else set(keys)
    matcher = matcher_for(themes)
    order = {tid: i for i, tid in enumerate(themes.ids)}
    by_key: dict[str, list[Override]] = {}
    for o in overrides or ():
        by_key.setdefault(o.key, []).append(o)
    problems: list[Problem] = []
    out: dict[str, RecordTags] = {}
    ordered = sorted(records, key=lambda r: r.key)
    for record in track(
        ordered if wanted is None else [r for r in ordered if r.key in wanted], progress, "tag"
    ):
        if wanted is not None and record.key not in wanted:
            continue
        mine = by_key.get(record.key, ())
        touched = {t for o in mine for t in (*o.add, *o.remove)}
        scores = score_record(record, themes, matcher, touched)
        assigned = {
            s.theme: ThemeTag(s.theme, s.score, "rule", s.evidence)
            for s in scores.values()
            if s.assigned
        }
        removed: dict[str, Removal] = {}
        for o in mine:
            for tid in o.add:
                removed.pop(tid, None)
                held = assigned.get(tid)
                if held is not None and held.source == "rule":
                    assigned[tid] = ThemeTag(
                        tid, held.score, "rule", held.evidence, o.reviewer, o.note
                    )
                else:
                    s = scores.get(tid)
                    assigned[tid] = ThemeTag(
                        tid,
                        s.score if s else 0.0,
                        "override",
                        s.evidence if s else (),
                        o.reviewer,
                        o.note,
                    )
            for tid in o.remove:
                held = assigned.pop(tid, None)
                if held is not None:
                    removed[tid] = Removal(
                        tid, held.score, held.source == "rule", held.evidence, o.reviewer, o.note
                    )
                else:
                    s = scores.get(tid)
                    removed[tid] = Removal(
                        tid,
                        s.score if s else 0.0,
                        False,
                        s.evidence if s else (),
                        o.reviewer,
                        o.note,
                    )
        out[record.key] = RecordTags(
            key=record.key,
            themes=tuple(sorted(assigned.values(), key=lambda t: order[t.theme])),
            removed=tuple(sorted(removed.values(), key=lambda t: order[t.theme])),
        )
    for key, items in by_key.items():
        if key not in out:
            for o in items:
                problems.append(
                    Problem(
                        Location(o.path, o.line, key),
                        f"override for {key}, which is not among the records tagged",
                        Severity.WARNING,
                        "override-not-tagged",
                        "it applies once the record is included, or with --all",
                    )
                )
    return TagResult(themes=themes, records=out, problems=tuple(problems))


# --- explaining one record ---------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeExplanation:
    """Why one record has (or has not) one theme: the terms' score against the threshold, the
    evidence, and a person's override (``added``, ``removed`` or ``confirmed``) on top."""

    theme: str
    label: str
    score: float
    threshold: float
    by_rule: bool
    assigned: bool
    evidence: tuple[Evidence, ...] = ()
    override: str | None = None
    reviewer: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "label": self.label,
            "score": self.score,
            "threshold": self.threshold,
            "by_rule": self.by_rule,
            "assigned": self.assigned,
            "override": self.override,
            "reviewer": self.reviewer,
            "note": self.note,
            "evidence": [e.as_dict() for e in self.evidence],
        }


def explain(
    record: Record, themes: Themes, overrides: Iterable[Override] = ()
) -> tuple[ThemeExplanation, ...]:
    """Every theme of ``themes`` for one record, in file order, with scores below the threshold too."""
    mine = [o for o in overrides if o.key == record.key]
    scores = score_record(record, themes, evidence_for=themes.ids)
    tags = tag_records([record], themes, mine).records[record.key]
    assigned = {t.theme: t for t in tags.themes}
    removed = {r.theme: r for r in tags.removed}
    out = []
    for theme in themes.themes:
        s = scores.get(theme.id)
        tag = assigned.get(theme.id)
        gone = removed.get(theme.id)
        override = reviewer = note = None
        if gone is not None:
            override, reviewer, note = "removed", gone.reviewer, gone.note
        elif tag is not None and tag.source == "override":
            override, reviewer, note = "added", tag.reviewer, tag.note
        elif tag is not None and (tag.reviewer or tag.note):
            override, reviewer, note = "confirmed", tag.reviewer, tag.note
        out.append(
            ThemeExplanation(
                theme.id,
                theme.label,
                s.score if s else 0.0,
                themes.threshold_of(theme),
                bool(s and s.assigned),
                tag is not None,
                s.evidence if s else (),
                override,
                reviewer,
                note,
            )
        )
    return tuple(out)


# --- coverage and checks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Themes × studies: which study carries which theme, and how (``rule`` or ``override``)."""

    themes: tuple[str, ...]
    labels: tuple[str, ...]
    keys: tuple[str, ...]
    cells: Mapping[str, Mapping[str, Source]]
    min_studies: int
    #: study -> the themes a person removed from it (shown as overrides, never counted)
    removed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def count(self, theme: str) -> int:
        return sum(1 for k in self.keys if theme in self.cells.get(k, {}))

    def count_by(self, theme: str, source: Source) -> int:
        return sum(1 for k in self.keys if self.cells.get(k, {}).get(theme) == source)

    def count_removed(self, theme: str) -> int:
        """Studies a person removed ``theme`` from."""
        return sum(1 for k in self.keys if theme in self.removed.get(k, ()))

    def cell(self, key: str, theme: str) -> str:
        """``rule``, ``override`` (added by a person), ``removed`` (removed by a person) or empty."""
        held = self.cells.get(key, {}).get(theme)
        if held is not None:
            return held
        return "removed" if theme in self.removed.get(key, ()) else ""

    @property
    def untagged(self) -> tuple[str, ...]:
        return tuple(k for k in self.keys if not self.cells.get(k))

    @property
    def sparse(self) -> tuple[str, ...]:
        """Themes carried by fewer studies than ``settings.min_studies``."""
        return tuple(t for t in self.themes if self.count(t) < self.min_studies)

    def rows(self) -> list[list[str]]:
        """The matrix as CSV rows: a header, then one row per study (cells: rule, override,
        removed, or empty)."""
        out = [["key", *self.themes]]
        for k in self.keys:
            out.append([k, *(self.cell(k, t) for t in self.themes)])
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": TAGS_VERSION,
            "themes": [
                {
                    "id": t,
                    "label": label,
                    "studies": self.count(t),
                    "by_rule": self.count_by(t, "rule"),
                    "by_override": self.count_by(t, "override"),
                    "removed_by_override": self.count_removed(t),
                    "keys": [k for k in self.keys if t in self.cells.get(k, {})],
                }
                for t, label in zip(self.themes, self.labels, strict=True)
            ],
            "studies": {k: dict(self.cells.get(k, {})) for k in self.keys},
            "removed": {k: list(self.removed[k]) for k in self.keys if self.removed.get(k)},
            "untagged": list(self.untagged),
            "sparse_themes": list(self.sparse),
            "min_studies": self.min_studies,
        }


def coverage(result: TagResult, keys: Iterable[str] | None = None) -> Coverage:
    """The coverage matrix for ``keys`` (default: every record tagged), after overrides."""
    chosen = tuple(sorted(result.records if keys is None else set(keys)))
    cells: dict[str, dict[str, Source]] = {}
    removed: dict[str, tuple[str, ...]] = {}
    for k in chosen:
        rec = result.records.get(k)
        if rec is not None:
            cells[k] = {t.theme: t.source for t in rec.themes}
            if rec.removed:
                removed[k] = tuple(r.theme for r in rec.removed)
    themes = result.themes
    return Coverage(
        themes=themes.ids,
        labels=tuple(t.label for t in themes.themes),
        keys=chosen,
        cells=cells,
        min_studies=themes.settings.min_studies,
        removed=removed,
    )


def unmatched_terms(themes: Themes, records: Iterable[Record]) -> list[Problem]:
    """A warning for each term (and negative term) that matches nothing in ``records``."""
    matcher = matcher_for(themes)
    seen: set[int] = set()
    for record in records:
        for fname, _ in themes.settings.fields:
            text = record.get(fname)
            if text:
                for refs, _s, _e in matcher.find(text):
                    seen.update(refs)
    out = []
    for rid, ref in enumerate(matcher.refs):
        if rid in seen:
            continue
        theme = themes.themes[ref.theme]
        term: Term = (theme.negative if ref.negative else theme.terms)[ref.term]
        kind = "negative term" if ref.negative else "term"
        out.append(
            Problem(
                Location(themes.path, term.line, theme.id),
                f"{kind} {term.text!r} matches nothing in the corpus",
                Severity.WARNING,
                "term-unmatched",
                "fields read: " + ", ".join(f for f, _ in themes.settings.fields),
            )
        )
    return out
