"""Exports: the review's records with their decisions, for reference managers and other tools.

The review's state (:func:`litreview.workflow.pipeline.load_state`) and ``corpus/duplicates.yaml`` go in;
:func:`collect` turns them into one :class:`ExportItem` per selected record (the record, its
screening outcome per stage, the exclusion reason, its themes, the reviewers' notes, and for an
absorbed duplicate the record that absorbed it); one function per format turns the items into
the file's text:

* :func:`to_ris` and :func:`to_bibtex` carry the decisions as keywords (``litreview:included``,
  ``litreview:reason:not-uk``, ``litreview:theme:hybrid-roles``) and notes, which Zotero and
  EndNote show as tags and notes on each record;
* :func:`to_csl_json` is CSL-JSON for pandoc/citeproc (bibliographic data only);
* :func:`to_asreview` is a CSV ASReview LAB reads, prior decisions in ``label_included``;
* :func:`to_csv` is every field, outcome, reason, theme and provenance, one row per record.

Everything here is pure and deterministic: records are sorted by key, columns and tags come in a
fixed order, and nothing depends on the time or the machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litreview.model import Location, Name, Problem, Provenance, Record, Severity
from litreview.outcomes import Outcome
from litreview.report.spreadsheet import csv_text
from litreview.text.names import parse_bibtex_names
from litreview.text.normalize import case_kept_words, clean_text

if TYPE_CHECKING:
    from litreview.dedupe.store import DuplicatesFile
    from litreview.project import Project
    from litreview.screen.engine import Override
    from litreview.workflow.pipeline import ReviewState

#: What ``--select`` accepts. ``all`` is every screened record (the corpus after deduplication);
#: ``duplicates`` are the records merges absorbed, which ``all`` leaves out.
SELECTIONS = (
    "all",
    Outcome.INCLUDED.value,
    Outcome.EXCLUDED.value,
    Outcome.NEEDS_PERSON.value,
    "duplicates",
)
DEFAULT_SELECT = "all"
#: What ``--format`` accepts.
FORMATS = ("ris", "bib", "csl-json", "asreview", "csv")

INCLUDED, EXCLUDED, NEEDS_PERSON, DUPLICATE = (
    Outcome.INCLUDED,
    Outcome.EXCLUDED,
    Outcome.NEEDS_PERSON,
    Outcome.DUPLICATE,
)
TAG = "litreview:"
#: The column ASReview LAB reads prior decisions from (1 relevant, 0 irrelevant, empty unseen).
ASREVIEW_LABEL = "label_included"


# --- the items ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageOutcome:
    """What happened to a record at one screening stage it reached."""

    stage: str
    outcome: str  # include | exclude | needs-person
    reason: str = ""
    reviewers: tuple[str, ...] = ()  # set when people decided the stage
    #: ``(reviewer, own decision)`` of each who voted otherwise than the stage's outcome (a
    #: majority or a resolution settled it): a note must not credit them with it
    dissent: tuple[tuple[str, str], ...] = ()

    @property
    def decided_by(self) -> str:
        """``person``, ``rules``, or empty while the stage waits for a person."""
        if self.reviewers:
            return "person"
        return "" if self.outcome == NEEDS_PERSON else "rules"

    def describe(self) -> str:
        if not self.dissent:
            who = ", ".join(self.reviewers) if self.reviewers else self.decided_by or "nobody yet"
            return f"{self.stage}: {self.outcome} by {who}"
        others = {r for r, _ in self.dissent}
        agreed = ", ".join(r for r in self.reviewers if r not in others)
        said = ", ".join(f"{r} {d}" for r, d in self.dissent)
        return f"{self.stage}: {self.outcome} by {agreed or 'nobody'} (voted otherwise: {said})"


def _dissent(override: Override, last: bool) -> tuple[tuple[str, str], ...]:
    """Each reviewer whose own vote at the stage differs from what it settled to (a resolver
    decided it, so is never among them), once, with that vote. Before the last stage a maybe
    counts as an include, as the screening counts it (``screen --explain`` says the same)."""
    out: dict[str, str] = {}
    for d in override.votes:
        if not d.resolves and d.counts_as(last) != override.decision:
            out.setdefault(d.reviewer, d.decision)
    return tuple(out.items())


@dataclass(frozen=True)
class ReviewerNote:
    """A reviewer's note from their decisions file; the same text at several stages is one note."""

    reviewer: str
    decision: str
    stages: tuple[str, ...]
    text: str

    def line(self) -> str:
        return f"{self.reviewer} at {', '.join(self.stages)} ({self.decision}): {self.text}"


@dataclass(frozen=True)
class ExportItem:
    """One record as exported: the bibliographic record and what the review decided about it."""

    record: Record
    outcome: str  # included | excluded | needs-person | duplicate
    stage: str = ""  # where it was excluded or waits; the last stage when included
    reason: str = ""
    reason_label: str = ""
    stages: tuple[StageOutcome, ...] = ()
    themes: tuple[str, ...] = ()
    theme_labels: tuple[str, ...] = ()
    notes: tuple[ReviewerNote, ...] = ()
    duplicate_of: str = ""  # for an absorbed duplicate: the corpus record that holds it now
    merge_reason: str = ""
    merged_from: tuple[str, ...] = ()  # for a survivor: the keys it absorbed

    @property
    def key(self) -> str:
        return self.record.key

    @property
    def decided_by(self) -> str:
        """Who settled the outcome: the decider of the last stage the record reached."""
        return self.stages[-1].decided_by if self.stages and self.outcome != DUPLICATE else ""

    def tags(self) -> tuple[str, ...]:
        """The decisions as keywords: outcome, stage, reason, themes, duplicate-of."""
        out = [TAG + self.outcome]
        if self.outcome in (EXCLUDED, NEEDS_PERSON) and self.stage:
            out.append(f"{TAG}stage:{self.stage}")
        if self.reason:
            out.append(f"{TAG}reason:{self.reason}")
        out += [f"{TAG}theme:{t}" for t in self.themes]
        if self.duplicate_of:
            out.append(f"{TAG}duplicate-of:{self.duplicate_of}")
        return tuple(_tag_safe(t) for t in out)

    def summary(self) -> str:
        """One line saying what the review decided, for a note."""
        if self.outcome == DUPLICATE:
            why = f" ({self.merge_reason})" if self.merge_reason else ""
            return f"litreview: duplicate of {self.duplicate_of}{why}; removed before screening"
        head = f"litreview: {self.outcome}"
        if self.outcome == EXCLUDED:
            label = (
                f"{self.reason_label} ({self.reason})"
                if self.reason_label
                else self.reason or "no reason given"
            )
            head += f" at {self.stage}: {label}"
        elif self.outcome == NEEDS_PERSON:
            head += f" at {self.stage}"
        if self.stages:
            head += "; " + "; ".join(s.describe() for s in self.stages)
        return head

    def note_lines(self) -> list[str]:
        """The notes to attach: the decision, the themes, then each reviewer's note."""
        lines = [self.summary()]
        if self.themes:
            named = [
                f"{label} ({tid})" if label and label != tid else tid
                for tid, label in zip(self.themes, self.theme_labels, strict=True)
            ]
            lines.append("litreview themes: " + "; ".join(named))
        lines += ["litreview reviewer note: " + n.line() for n in self.notes]
        return [clean_text(line) for line in lines]


def _tag_safe(tag: str) -> str:
    """A tag on one line without the separators readers split keywords on."""
    return re.sub(r"[\s;,]+", "-", tag)


@dataclass(frozen=True)
class Export:
    """An export's text and what went into it."""

    text: str
    fmt: str
    select: tuple[str, ...]
    count: int


# --- selecting ---------------------------------------------------------------------------------


def collect(
    state: ReviewState,
    select: Sequence[str] = (DEFAULT_SELECT,),
    duplicates: DuplicatesFile | None = None,
    duplicates_path: str = "corpus/duplicates.yaml",
) -> list[ExportItem]:
    """The selected records with their decisions, sorted by key (a record selected twice once).

    ``duplicates`` is needed for the ``duplicates`` selection and for each survivor's
    ``merged_from``; without it there are no duplicates to select.
    """
    unknown = [s for s in select if s not in SELECTIONS]
    if unknown:
        raise ValueError(f"unknown selection {unknown[0]!r}; choose from {', '.join(SELECTIONS)}")
    chosen = set(select)
    outcomes = (
        {INCLUDED, EXCLUDED, NEEDS_PERSON}
        if "all" in chosen
        else chosen & {INCLUDED, EXCLUDED, NEEDS_PERSON}
    )
    present = set(state.corpus.keys)
    # only the selected records are built (all 100k for "all"; a few hundred for "included")
    by_key = state.corpus.records_of(
        rs.key for rs in state.screening.records if rs.outcome in outcomes
    )
    survivors, absorbed_into = _merge_maps(duplicates, present)
    theme_labels = {t.id: t.label for t in state.themes.themes} if state.themes else {}
    notes = _notes_by_key(state.decisions)
    reasons = state.protocol.reasons
    last_stage = state.protocol.stage_ids[-1] if state.protocol.stage_ids else ""
    items: dict[str, ExportItem] = {}
    for rs in state.screening.records:
        if rs.outcome not in outcomes or rs.key not in present:
            continue
        themes = state.tags.themes_of(rs.key) if state.tags else ()
        reason = (rs.reason or "") if rs.outcome == EXCLUDED else ""
        items[rs.key] = ExportItem(
            record=_without_old_decisions(by_key[rs.key]),
            outcome=rs.outcome,
            stage=rs.stage,
            reason=reason,
            reason_label=reasons.get(reason, "") if reason else "",
            stages=tuple(
                StageOutcome(
                    s.stage,
                    s.outcome,
                    s.reason or "",
                    s.override.reviewers if s.override else (),
                    _dissent(s.override, s.stage == last_stage) if s.override else (),
                )
                for s in rs.stages
            ),
            themes=tuple(themes),
            theme_labels=tuple(theme_labels.get(t, t) for t in themes),
            notes=notes.get(rs.key, ()),
            merged_from=survivors.get(rs.key, ()),
        )
    if "duplicates" in chosen and duplicates is not None:
        from litreview.dedupe.store import parse_entry

        for merge in duplicates.merges:
            for key, entry in merge.absorbed:
                if key in present:
                    continue  # undone by hand and back in the corpus: it is a record, not a duplicate
                record = parse_entry(entry, f"{duplicates_path} [{key}]")
                items[key] = ExportItem(
                    record=_without_old_decisions(record),
                    outcome=DUPLICATE,
                    duplicate_of=absorbed_into.get(key, merge.survivor),
                    merge_reason=merge.reason,
                )
    return [items[k] for k in sorted(items)]


def _without_old_decisions(record: Record) -> Record:
    """The record without the `litreview:` tags an earlier export gave it (a team that worked on
    an export in Zotero and imported it again): the export tags the decisions as they are now,
    and the old tags beside them would contradict them (`litreview:excluded` on an included
    study). The notes stay: they are prose a person may have added to, not tags to filter by."""
    keywords = tuple(k for k in record.keywords if not k.startswith(TAG))
    return record if keywords == record.keywords else replace(record, keywords=keywords)


def _merge_maps(
    duplicates: DuplicatesFile | None, present: Container[str]
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Survivor -> every key it absorbed (through chains of merges); absorbed key -> final survivor."""
    if duplicates is None:
        return {}, {}
    from litreview.corpus.mergemap import MergeMap

    final = MergeMap(duplicates.aliases()).absorbed_into(present)
    survivors: dict[str, list[str]] = {}
    for key, target in final.items():
        survivors.setdefault(target, []).append(key)
    return {k: tuple(sorted(v)) for k, v in survivors.items()}, final


def _notes_by_key(decisions: Iterable[Any]) -> dict[str, tuple[ReviewerNote, ...]]:
    grouped: dict[tuple[str, str, str, str], list[str]] = {}
    for d in decisions:
        text = clean_text(d.note or "")
        if not text:
            continue
        stages = grouped.setdefault((d.key, d.reviewer, d.decision, text), [])
        if d.stage not in stages:
            stages.append(d.stage)
    out: dict[str, list[ReviewerNote]] = {}
    for (key, reviewer, decision, text), stages in grouped.items():
        out.setdefault(key, []).append(ReviewerNote(reviewer, decision, tuple(stages), text))
    return {k: tuple(v) for k, v in out.items()}


# --- RIS ----------------------------------------------------------------------------------------

_RIS_TYPE = {
    "article": "JOUR",
    "book": "BOOK",
    "incollection": "CHAP",
    "inbook": "CHAP",
    "inproceedings": "CPAPER",
    "conference": "CPAPER",
    "techreport": "RPRT",
    "report": "RPRT",
    "phdthesis": "THES",
    "mastersthesis": "THES",
    "thesis": "THES",
    "unpublished": "UNPB",
    "online": "ELEC",
    "misc": "GEN",
}
#: Entry types whose container is who published them (BibTeX institution, school, publisher).
_PUBLISHER_CONTAINER = frozenset(
    {"book", "techreport", "report", "phdthesis", "mastersthesis", "thesis"}
)
_PAGE_RANGE = re.compile(r"([^\s-]+)\s*-+\s*([^\s-]+)")


def _pages(pages: str) -> tuple[str, str]:
    m = _PAGE_RANGE.fullmatch(pages.strip())
    return (m.group(1), m.group(2)) if m else (pages.strip(), "")


def ris_name(name: Name) -> str:
    """``Last, First`` (``Last, First, Jr``); an organisation's name as it is."""
    if name.corporate:
        return name.last
    parts = [name.full_last, name.first]
    if name.jr:
        parts.append(name.jr)
    return ", ".join(parts) if name.first or name.jr else f"{name.full_last},"


def ris_entry(item: ExportItem) -> str:
    """One RIS record: every value on one line, so no text can start a tag of its own."""
    rec = item.record
    lines: list[tuple[str, str]] = [("TY", _RIS_TYPE.get(rec.entry_type, "GEN"))]
    lines += [("AU", ris_name(a)) for a in rec.authors]
    lines += [
        ("A2", ris_name(n)) for n in parse_bibtex_names(rec.get("editor"))
    ]  # as csl_item reads them
    if rec.year is not None:
        lines.append(("PY", str(rec.year)))
    lines.append(("TI", rec.title))
    publisher = rec.get("publisher")
    if rec.entry_type in _PUBLISHER_CONTAINER:
        lines.append(("PB", rec.container))
        if publisher and publisher != rec.container:
            lines.append(("PB", publisher))
    else:
        lines.append(("T2", rec.container))
        lines.append(("PB", publisher))
    lines += [
        ("CY", rec.get("address")),
        ("ET", rec.get("edition")),
        ("M3", rec.get("type") or rec.get("ris_m3")),  # a RIS import keeps M3 as ris_m3
        ("VL", rec.volume),
        ("IS", rec.issue),
    ]
    sp, ep = _pages(rec.pages)
    lines += [
        ("SP", sp),
        ("EP", ep),
        ("SN", rec.get("issn")),
        ("SN", rec.get("isbn")),
        ("DO", rec.doi),
        ("UR", rec.url),
        ("LA", rec.language),
        ("AB", rec.abstract),
    ]
    lines += [("KW", k) for k in _keywords(rec.keywords, item.tags())]
    note = rec.get("note")
    if note:
        lines.append(("N1", note))
    lines += [("N1", n) for n in item.note_lines()]
    if rec.pmid:
        # RIS has no PMID tag: EndNote keeps a PubMed record's PMID as its Accession Number, in
        # the database it names (Zotero: "Loc. in Archive" in "Archive"); our reader takes it back
        lines += [("AN", rec.pmid), ("DB", "PubMed")]
    lines.append(("ID", rec.key))
    out = [f"{tag}  - {clean_text(value)}" for tag, value in lines if clean_text(value)]
    return "\n".join([*out, "ER  - "]) + "\n"


def _keywords(own: Iterable[str], tags: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for k in (*own, *tags):
        k = clean_text(k)
        if k:
            seen.setdefault(k, None)
    return list(seen)


def to_ris(items: Sequence[ExportItem]) -> str:
    return "\n".join(ris_entry(i) for i in items)


# --- BibTeX -------------------------------------------------------------------------------------


def bibtex_record(item: ExportItem) -> Record:
    """The record as exported: decisions added to keywords and ``annote``; corpus provenance left
    out, so that a re-import records the export file as where the record came from."""
    rec = item.record
    annote = [a for a in (rec.get("annote"),) if a] + item.note_lines()
    out = replace(rec, keywords=tuple(_keywords(rec.keywords, item.tags())), provenance=())
    return out.with_extra("annote", "\n".join(annote))


def to_bibtex(items: Sequence[ExportItem]) -> str:
    from litreview.io.bibtex import format_entry

    return "\n".join(
        format_entry(
            bibtex_record(i), mark_no_container=False, for_latex=True, keep_case=("title",)
        )
        for i in items
    )


# --- CSL-JSON -----------------------------------------------------------------------------------

_CSL_TYPE = {
    "article": "article-journal",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "online": "webpage",
    "misc": "document",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "standard": "standard",
}


def csl_name(name: Name) -> dict[str, str]:
    """A CSL name: an organisation as ``literal``; a person's particle and suffix kept apart."""
    if name.corporate:
        return {"literal": name.last}
    out = {"family": name.last}
    if name.first:
        out["given"] = name.first
    if name.von:
        out["non-dropping-particle"] = name.von
    if name.jr:
        out["suffix"] = name.jr
    return out


def keep_case(title: str) -> str:
    """The title with every word whose case is its own (:func:`case_kept_words`: a capital,
    after the first word) marked ``<span class="nocase">``: a citation style in sentence case (APA, Harvard, Vancouver)
    lowercases every other capitalised word, and the title alone cannot say which of them
    are names (``in London``, ``the Francis inquiry``). So a title is printed with its capitals
    as the database wrote it; a title-case style still capitalises its lower-case words.
    Braces do not do this in a .bib file: pandoc 2.17's BibTeX reader drops them. A word with
    markup in it (``<i>Escherichia``) is left as it is: a span must not cross a tag."""
    out: list[str] = []
    run: list[str] = []  # a run of marked words and the spaces between them
    for piece, kept in case_kept_words(title):
        # a marked word (not one with markup: a span must not cross a tag), or the spaces
        # inside a run of them
        if (kept and "<" not in piece and ">" not in piece) or (run and piece.isspace()):
            run.append(piece)
        else:
            if run:
                out.append(_nocase(run))
                run = []
            out.append(piece)
    if run:
        out.append(_nocase(run))
    return "".join(out)


def _nocase(run: list[str]) -> str:
    """The marked words of a run in one span; the spaces after its last word outside it."""
    trailing = run.pop() if run[-1].isspace() else ""
    return f'<span class="nocase">{"".join(run)}</span>{trailing}'


def csl_item(item: ExportItem) -> dict[str, Any]:
    """One CSL-JSON item: bibliographic data only, the citation key as its ``id``; the title's
    capitals kept (:func:`keep_case`)."""

    rec = item.record
    data: dict[str, Any] = {"id": rec.key, "type": _CSL_TYPE.get(rec.entry_type, "document")}
    if rec.title:
        data["title"] = keep_case(rec.title)
    if rec.authors:
        data["author"] = [csl_name(a) for a in rec.authors]
    editors = parse_bibtex_names(rec.get("editor"))
    if editors:
        data["editor"] = [csl_name(e) for e in editors]
    if rec.year is not None:
        data["issued"] = {"date-parts": [[rec.year]]}
    publisher = rec.get("publisher")
    if rec.container and (rec.entry_type in _PUBLISHER_CONTAINER or rec.entry_type == "misc"):
        publisher = rec.container
    elif rec.container:
        data["container-title"] = rec.container
    fields = (
        ("publisher", publisher),
        ("publisher-place", rec.get("address")),
        ("genre", rec.get("type")),
        ("edition", rec.get("edition")),
        ("volume", rec.volume),
        ("issue", rec.issue),
        ("page", re.sub(r"-+", "-", rec.pages)),
        ("DOI", rec.doi),
        ("PMID", rec.pmid),
        ("URL", rec.url),
        ("ISSN", rec.get("issn")),
        ("ISBN", rec.get("isbn")),
        ("abstract", rec.abstract),
        ("keyword", ", ".join(rec.keywords)),
        ("language", rec.language),
    )
    data.update((name, value) for name, value in fields if value)
    return data


def to_csl_json(items: Sequence[ExportItem]) -> str:
    return json.dumps([csl_item(i) for i in items], indent=2, ensure_ascii=False) + "\n"


# --- CSV (ASReview and everything) --------------------------------------------------------------


def _authors(rec: Record) -> str:
    return "; ".join(ris_name(a).rstrip(",") for a in rec.authors)


ASREVIEW_COLUMNS = (
    "title",
    "abstract",
    "authors",
    "keywords",
    "doi",
    "url",
    ASREVIEW_LABEL,
    "litreview_key",
)


def asreview_label(item: ExportItem) -> str:
    """1 included, 0 excluded (at any stage), empty when no decision is final (waiting, duplicate)."""
    labels: dict[str, str] = {INCLUDED: "1", EXCLUDED: "0"}
    return labels.get(item.outcome, "")


def to_asreview(items: Sequence[ExportItem]) -> str:
    rows = (
        [
            i.record.title,
            i.record.abstract,
            _authors(i.record),
            "; ".join(i.record.keywords),
            i.record.doi,
            i.record.url,
            asreview_label(i),
            i.key,
        ]
        for i in items
    )
    return csv_text(ASREVIEW_COLUMNS, rows)


_LEAD = ("key", "outcome", "stage", "reason", "reason_label", "decided_by")
_STAGE_COLUMNS = ("outcome", "reason", "decided_by", "reviewers")
_REVIEW = (
    "themes",
    "theme_labels",
    "reviewer_notes",
    "duplicate_of",
    "merge_reason",
    "merged_from",
)
_FIELDS = (
    "entry_type",
    "title",
    "authors",
    "year",
    "container",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "abstract",
    "keywords",
    "language",
)
_PROVENANCE = ("sources", "files", "provenance")


def _fixed_columns(stages: Sequence[str]) -> list[str]:
    return [*_LEAD, *(f"{s}.{c}" for s in stages for c in _STAGE_COLUMNS), *_REVIEW, *_FIELDS]


def _extra_column(name: str, reserved: set[str]) -> str:
    """A field kept in ``extra`` under its own name, unless a fixed column has that name."""
    return f"field.{name}" if name in reserved else name


def csv_columns(items: Sequence[ExportItem], stages: Sequence[str]) -> list[str]:
    """Fixed columns, one group per protocol stage, then every other field A–Z, provenance last."""
    fixed = _fixed_columns(stages)
    reserved = {*fixed, *_PROVENANCE}
    extras = sorted({_extra_column(k, reserved) for i in items for k, _ in i.record.extra})
    return [*fixed, *extras, *_PROVENANCE]


def csv_row(item: ExportItem, stages: Sequence[str]) -> dict[str, str]:
    rec = item.record
    row = {
        "key": rec.key,
        "outcome": item.outcome,
        "stage": item.stage,
        "reason": item.reason,
        "reason_label": item.reason_label,
        "decided_by": item.decided_by,
        "themes": "; ".join(item.themes),
        "theme_labels": "; ".join(item.theme_labels),
        "reviewer_notes": "\n".join(n.line() for n in item.notes),
        "duplicate_of": item.duplicate_of,
        "merge_reason": item.merge_reason,
        "merged_from": "; ".join(item.merged_from),
        "entry_type": rec.entry_type,
        "title": rec.title,
        "authors": _authors(rec),
        "year": "" if rec.year is None else str(rec.year),
        "container": rec.container,
        "volume": rec.volume,
        "issue": rec.issue,
        "pages": rec.pages,
        "doi": rec.doi,
        "pmid": rec.pmid,
        "url": rec.url,
        "abstract": rec.abstract,
        "keywords": "; ".join(rec.keywords),
        "language": rec.language,
    }
    reached = {s.stage: s for s in item.stages}
    for stage in stages:
        s = reached.get(stage)
        if s is not None:
            row.update(
                {
                    f"{stage}.outcome": s.outcome,
                    f"{stage}.reason": s.reason,
                    f"{stage}.decided_by": s.decided_by,
                    f"{stage}.reviewers": "; ".join(s.reviewers),
                }
            )
    reserved = {*_fixed_columns(stages), *_PROVENANCE}
    for k, v in rec.extra:
        row[_extra_column(k, reserved)] = v
    provs = sorted(set(rec.provenance), key=Provenance.order)
    row["sources"] = "; ".join(rec.sources)
    row["files"] = "; ".join(dict.fromkeys(p.path for p in provs))
    row["provenance"] = "; ".join(p.encode() for p in provs)
    return row


def to_csv(items: Sequence[ExportItem], stages: Sequence[str] = ()) -> str:
    columns = csv_columns(items, stages)
    rows = (csv_row(i, stages) for i in items)
    return csv_text(columns, ([r.get(c, "") for c in columns] for r in rows), bom=True)


# --- entry points -------------------------------------------------------------------------------


def format_items(items: Sequence[ExportItem], fmt: str, stages: Sequence[str] = ()) -> str:
    """The items in one of :data:`FORMATS`; ``stages`` orders the CSV's per-stage columns."""
    writers: dict[str, Callable[[Sequence[ExportItem]], str]] = {
        "ris": to_ris,
        "bib": to_bibtex,
        "csl-json": to_csl_json,
        "asreview": to_asreview,
        "csv": lambda xs: to_csv(xs, stages),
    }
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return writers[fmt](items)


def export_records(
    state: ReviewState,
    select: Sequence[str] = (DEFAULT_SELECT,),
    fmt: str = "ris",
    duplicates: DuplicatesFile | None = None,
) -> Export:
    """The selected records of a loaded review in ``fmt``."""
    items = collect(state, select, duplicates, state.project.rel(state.project.duplicates))
    text = format_items(items, fmt, state.protocol.stage_ids)
    return Export(text, fmt, tuple(dict.fromkeys(select)), len(items))


def export_project(
    project: Project, select: Sequence[str] = (DEFAULT_SELECT,), fmt: str = "ris"
) -> Export:
    """Load the review in ``project`` (corpus, decisions, themes, duplicates) and export it."""
    from litreview.dedupe.store import load_absorbed
    from litreview.review import Review
    from litreview.workflow.pipeline import load_state

    duplicates = Review.of(project).duplicates()
    if "duplicates" in select:  # only this selection reads the absorbed records' entries
        duplicates = load_absorbed(project.duplicates, duplicates, project.rel(project.duplicates))
    state = load_state(project)
    return export_records(state, select, fmt, duplicates)


def refuse_target(project: Project, path: Path) -> Problem | None:
    """A problem when ``path`` would overwrite the review's stored truth (review.yaml, themes.yaml,
    anything under corpus/); an export goes anywhere else."""
    stored = [project.protocol, project.themes]
    target = path.resolve()
    inside_corpus = target.is_relative_to(project.corpus_dir.resolve())
    if inside_corpus or any(target == p.resolve() for p in stored):
        return Problem(
            Location(path.as_posix()),
            "refusing to write an export over the review's stored files",
            Severity.ERROR,
            "export-target",
            "write it outside corpus/, e.g. --out build/records.ris",
        )
    return None
