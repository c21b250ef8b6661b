"""The whole review as one value: stored files in, derived results out.

:func:`load_state` reads every stored file (corpus, protocol, decisions, themes, overrides,
extraction) and derives screening and tags; render, check, status and export all start from it,
so they can never disagree about what was included. :func:`run_pipeline` is ``litreview run``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litreview.corpus.store import Corpus
from litreview.model import Location, Problem, Record, Severity
from litreview.outcomes import Choice, Outcome
from litreview.progress import Progress
from litreview.project import Project
from litreview.review import Review

if TYPE_CHECKING:
    from litreview.extract.extraction import ExtractionResult
    from litreview.protocol import Protocol
    from litreview.report.narrative import NarrativeMap
    from litreview.report.prisma import PrismaCounts
    from litreview.report.render import RenderInput
    from litreview.screen.audit import AuditEstimate
    from litreview.screen.engine import Decision, ScreeningResult
    from litreview.screen.fulltext import FulltextFile
    from litreview.tag.engine import TagResult
    from litreview.tag.themes import Themes


@dataclass
class ReviewState:
    project: Project
    corpus: Corpus
    protocol: Protocol
    decisions: tuple[Decision, ...]
    screening: ScreeningResult
    themes: Themes | None
    tags: TagResult | None
    extraction: ExtractionResult | None
    prisma: PrismaCounts
    problems: list[Problem] = field(default_factory=list)
    audits: tuple[AuditEstimate, ...] = ()  # one per stage whose rules exclude records
    fulltext: FulltextFile | None = None  # corpus/fulltext.yaml when the review keeps one
    narrative: NarrativeMap | None = None  # corpus/narrative.yaml when the review keeps one
    #: each included study's appraisal (settled, in conflict or pending) when review.yaml declares
    #: an appraisal tool
    appraisal: Mapping[str, Any] | None = None
    #: each reviewer's appraisals as read (``litreview appraise status`` measures agreement on them)
    appraisals: tuple[Any, ...] = ()

    @property
    def rule_audits(self) -> tuple[dict[str, Any], ...]:
        return tuple(a.as_dict() for a in self.audits)

    @cached_property
    def included(self) -> list[str]:
        return [r.key for r in self.screening.included]

    @cached_property
    def linked_reports(self) -> dict[str, str]:
        """Included reports that extraction.yaml marks as reports of another included report's
        study, to that report's key: PRISMA 2020 counts studies and reports apart."""
        if self.extraction is None:
            return {}
        included = set(self.included)
        return {
            k: s.report_of
            for k, s in self.extraction.studies.items()
            if s.report_of and k in included and s.report_of in included
        }

    @cached_property
    def studies(self) -> list[str]:
        """The included reports that are each a study's main report: one key per study."""
        return [k for k in self.included if k not in self.linked_reports]

    def prisma_dict(self) -> dict[str, Any]:
        """The screening PRISMA counts, plus the number of studies when some included reports are
        linked reports of one study (``included`` counts reports)."""
        out = self.prisma.as_dict()
        if self.linked_reports:
            out["included_studies"] = len(self.studies)
        return out

    @cached_property
    def _outcomes(self) -> dict[str, Any]:
        return self.screening.by_key()

    def outcome(self, key: str) -> Any:
        """The record's screening result, or None (a lookup: rendering asks once per study)."""
        return self._outcomes.get(key)


def load_state(
    project: Project,
    tag_all: bool = False,
    progress: Progress | None = None,
    aliases: Mapping[str, str] | None = None,
) -> ReviewState:
    """Read the stored files and derive everything. Raises ConfigError for unreadable files.

    ``progress`` is told how screening and tagging advance (see :mod:`litreview.progress`).
    ``aliases`` (absorbed key -> survivor) are read from the dedupe log once when not given.
    """
    from litreview.errors import ConfigError, unreadable
    from litreview.files.derived import screened, tagged

    problems: list[Problem] = []
    # lazy: with every derived result cached, the records themselves are never unpickled
    corpus = Review.of(project).sound_corpus()
    problems.extend(corpus.problems)
    protocol = Review.of(project).protocol
    keys = list(corpus.keys)

    def get_aliases() -> Mapping[str, str]:
        # the dedupe log is read only when a result has to be computed (the Review keeps it)
        return Review.of(project).aliases if aliases is None else aliases

    from litreview.corpus.corrections import with_corrections

    corpus, cproblems = with_corrections(
        corpus, project.corrections, project.rel(project.corrections), get_aliases
    )
    if any(p.is_error for p in cproblems):
        raise ConfigError([p for p in cproblems if p.is_error])
    problems.extend(cproblems)

    done = screened(project, corpus, protocol, get_aliases, progress=progress)
    decisions, dproblems = done.decisions, list(done.problems)
    problems.extend(dproblems)
    if any(p.is_error for p in dproblems):
        raise ConfigError([p for p in dproblems if p.is_error])
    screening = done.result
    problems.extend(screening.problems)
    if done.fulltext is not None:
        problems.extend(done.fulltext.problems)
    prisma = done.prisma
    included = [r.key for r in screening.included]
    #: an entry a person made for an excluded study (an extraction, an appraisal) is left out
    #: of the outputs, and said so
    excluded = screening.excluded_where()

    themes = tags = None
    if project.themes.exists():
        from litreview.tag.engine import load_overrides

        themes = Review.of(project).themes
        overrides: tuple[Any, ...] = ()
        if project.theme_overrides.exists():
            overrides, oproblems = load_overrides(
                project.theme_overrides,
                keys,
                themes,
                project.rel(project.theme_overrides),
                get_aliases(),
            )
            problems.extend(oproblems)
        tags = tagged(
            project, corpus, themes, overrides, None if tag_all else included, progress=progress
        )

    extraction = None
    if project.extraction.exists():
        from litreview.extract.extraction import (
            extraction_of_excluded,
            fields_from,
            load_extraction,
            missing_extraction,
        )

        extraction = load_extraction(
            project.extraction,
            fields_from(protocol.extraction_fields),
            keys,
            project.rel(project.extraction),
            get_aliases(),
        )
        problems.extend(extraction.problems)
        problems.extend(missing_extraction(extraction, included, project.rel(project.extraction)))
        problems.extend(
            extraction_of_excluded(extraction, excluded, project.rel(project.extraction))
        )
    from litreview.screen.audit import estimates, load_audits, unknown_keys

    draws, aproblems = load_audits(project.rule_audit, project.rel(project.rule_audit), protocol)
    problems.extend(aproblems)
    if draws:
        problems.extend(unknown_keys(draws, keys, get_aliases(), project.rel(project.rule_audit)))
    audits = estimates(screening, protocol, draws, decisions)
    narrative = None
    if project.narrative.exists():
        from litreview.report.narrative import load_narrative

        relevance = None
        if extraction is not None:
            included_set = set(included)
            relevance = {k: s.relevance for k, s in extraction.studies.items() if k in included_set}
        narrative = load_narrative(
            project.narrative,
            project.rel(project.narrative),
            keys,
            relevance,
            [t.id for t in themes.themes] if themes else (),
            get_aliases(),
        )
        problems.extend(narrative.problems)
    appraised = None
    found: list[Any] = []
    if protocol.appraisal is not None:
        from litreview.extract.appraisal import appraisal_of_excluded, load_appraisals, settle

        found, resolved, aproblems = load_appraisals(
            project.corpus_dir, project.rel, protocol.appraisal, keys, get_aliases()
        )
        problems.extend(aproblems)
        appraised = settle(protocol.appraisal, found, resolved, included)
        problems.extend(appraisal_of_excluded(found, excluded))
    # a decision whose key names another work now than it was made on (branches that each gave
    # the key to a work of their own, a key used again): it still counts, and is said at its line
    from litreview.corpus.madeon import changed_records

    problems.extend(changed_records(project, Review.of(project).corpus(), get_aliases(), decisions))
    # a merge left unfinished in any file people write: both sides, or neither, would be read
    # (a theme override, a rule audit left out of the outputs); nothing is derived from that
    unfinished = [p for p in problems if p.code == "merge-conflict"]
    if unfinished:
        raise ConfigError(unfinished)
    # a file that could not be read at all (not YAML: a full-text file, the theme overrides, a
    # rule audit, ...) or a dedupe log that does not load: what is derived would be wrong
    # without a word (the file read as empty, its absorbed keys as unknown), so nothing is
    stop = [*done.log_problems, *unreadable(problems)]
    if stop:
        # with the other errors: a key the log absorbed is then said to be so, not unknown
        # (cli._common.handle_errors)
        raise ConfigError([*(p for p in problems if p.is_error and p not in stop), *stop])
    return ReviewState(
        project,
        corpus,
        protocol,
        decisions,
        screening,
        themes,
        tags,
        extraction,
        prisma,
        problems,
        audits,
        done.fulltext,
        narrative,
        appraised,
        tuple(found),
    )


# --- render ------------------------------------------------------------------------------------

#: extraction fields the evidence table shows in columns of its own (or as the relevance split)
_TABLE_FIELDS = frozenset(
    {"relevance", "design", "methods", "participants", "setting", "country", "key_findings"}
)


def build_render_input(project: Project, state: ReviewState | None = None) -> RenderInput:
    """The render view model from the review's state: the adapter between steps and templates."""
    from litreview.files.derived import corpus_facts
    from litreview.report import render as rd

    state = state or load_state(project)
    protocol = state.protocol
    facts = corpus_facts(project, state.corpus)
    # only the records the outputs show are built: the included studies and those the narrative
    # cites (the whole corpus's citations and counts come with ``facts``)
    by_key = state.corpus.records_of(
        [*state.included, *(state.narrative.cited_keys() if state.narrative else ())]
    )
    pc = state.prisma
    stage_ids = [s.id for s in protocol.stages]
    first, last = (stage_ids[0], stage_ids[-1]) if stage_ids else ("", "")
    relevance = {
        k: s.relevance for k, s in (state.extraction.studies.items() if state.extraction else [])
    }
    included = state.included
    studies_only = state.studies
    # the screening's flow, with what only the whole review knows: studies and the rule audits
    prisma = dataclasses.replace(
        pc,
        rule_audits=tuple(
            {
                **a,
                "label": protocol.stage(a["stage"]).label
                if a["stage"] in protocol.stage_ids
                else a["stage"],
            }
            for a in state.rule_audits
        ),
        included_direct=sum(1 for k in studies_only if relevance.get(k) == "direct")
        if relevance
        else None,
        included_related=sum(1 for k in studies_only if relevance.get(k) == "related")
        if relevance
        else None,
        included_studies=len(studies_only) if state.linked_reports else None,
    )
    studies = []
    # fields the protocol declares beyond the table's own columns (an appraisal, a sample size)
    # become columns of their own, in the protocol's order
    extra_fields = [
        f
        for f in protocol.extraction_fields
        if f.name not in _TABLE_FIELDS and f.table == "evidence"
    ]
    # a declared appraisal tool fills the appraisal column (the extraction field named
    # "appraisal" when the protocol declares one, else a column of its own)
    appraisal_label, appraisal_default = "", ""
    if protocol.appraisal is not None:
        declared = next((f for f in extra_fields if f.name == "appraisal"), None)
        appraisal_label = (
            declared.label if declared else f"Quality appraisal ({protocol.appraisal.tool.name})"
        )
        appraisal_default = (declared.default if declared else "") or "not appraised yet"
    # and fields declared for the study characteristics table go there instead
    trait_fields = [
        f
        for f in protocol.extraction_fields
        if f.name not in _TABLE_FIELDS and f.table == "characteristics"
    ]
    for key in included:
        rec = by_key[key]
        ext = state.extraction.studies.get(key) if state.extraction else None
        tags = state.tags.records.get(key) if state.tags else None
        theme_ids = tags.ids if tags else ()
        sources = {t.theme: t.source for t in tags.themes} if tags else {}
        screening = state.outcome(key)
        notes = [
            o for o in (screening.overrides if screening else ()) if o.decision == Choice.INCLUDE
        ]
        studies.append(
            rd.Study(
                key=key,
                record=rec,
                country=_pick(ext, "country", rec),
                setting=_pick(ext, "setting", rec),
                design=_pick(ext, "design", rec),
                methods=ext.get("methods") if ext else "",
                participants=ext.get("participants") if ext else "",
                themes=theme_ids,
                theme_sources=sources,
                key_findings=ext.get("key_findings") if ext else "",
                relevance=ext.relevance if ext else "",
                overridden="; ".join(
                    f"{', '.join(o.reviewers)}: {' '.join(o.notes)}".strip() for o in notes
                ),
                evidence={n: tuple((e.line, e.quote) for e in ev) for n, ev in ext.evidence.items()}
                if ext
                else {},
                other=_with_appraisal(
                    {f.label: (ext.get(f.name) if ext else "") or f.default for f in extra_fields},
                    appraisal_label,
                    appraisal_default,
                    state,
                    key,
                ),
                characteristics={
                    f.label: (ext.get(f.name) if ext else "") or f.default for f in trait_fields
                },
                report_of=state.linked_reports.get(key, ""),
            )
        )
    excluded = []
    cites = facts.citations
    for r in state.screening.records:
        if r.outcome == Outcome.EXCLUDED and r.stage == last and last != first:
            note = " ".join(n for o in r.overrides for n in o.notes)
            excluded.append(
                rd.ExcludedStudy(
                    r.key,
                    cites.get(r.key, r.key),
                    protocol.reasons.get(r.reason or "", r.reason or ""),
                    note,
                )
            )
    unretrieved = []
    if state.fulltext is not None and pc.not_retrieved:
        counted = {
            r.key
            for r in state.screening.records
            if r.outcome != Outcome.INCLUDED and any(s.stage == last for s in r.stages)
        }
        for key in sorted(state.fulltext.not_retrieved & counted):
            e = state.fulltext.entries[key]
            unretrieved.append(rd.ExcludedStudy(key, cites.get(key, key), e.reason, e.note))
    themes = (
        tuple(rd.Theme(t.id, t.label, t.question, t.description) for t in state.themes.themes)
        if state.themes
        else ()
    )
    return rd.RenderInput(
        title=protocol.title,
        question=protocol.question,
        sources=_view_sources(protocol, facts.imported, pc.identified_by_source),
        criteria=tuple(rd.Criterion(c.id, c.label, c.reason) for c in protocol.criteria),
        reasons=dict(protocol.reasons),
        prisma=prisma,
        studies=tuple(studies),
        themes=themes,
        excluded_full_text=tuple(sorted(excluded, key=lambda e: e.key)),
        methods_note=protocol.methods_note,
        synthesis=protocol.synthesis,
        limitations=protocol.limitations,
        not_retrieved=tuple(unretrieved),
        narrative=state.narrative
        if state.narrative and not any(p.is_error for p in state.narrative.problems)
        else None,
        min_studies=state.themes.settings.min_studies if state.themes else 3,
        cited=tuple(
            by_key[k]
            for k in state.narrative.cited_keys()
            if k in by_key and k not in set(included)
        )
        if state.narrative
        else (),
    )


def _view_sources(
    protocol: Protocol, imported: Mapping[tuple[str, str], int], identified: Mapping[str, int]
) -> tuple[Any, ...]:
    """The protocol's sources for the appendix, each search with the records imported from its
    export (``imported``: provenance lines per source and file, so before duplicates were
    removed)."""
    from litreview.corpus.searches import search_file
    from litreview.report import render as rd

    out = []
    for s in protocol.sources:
        searches = []
        for q in s.searches:
            f = search_file(s, q)
            searches.append(
                rd.Search(
                    q.database,
                    q.platform,
                    q.query,
                    q.date,
                    q.limits,
                    q.records,
                    imported.get((s.id, f), 0) if f else None,
                    q.note,
                )
            )
        out.append(
            rd.Source(s.id, s.name, s.kind, s.searched, identified.get(s.id, 0), tuple(searches))
        )
    return tuple(out)


def _with_appraisal(
    other: dict[str, str], label: str, default: str, state: ReviewState, key: str
) -> dict[str, str]:
    """The evidence table's further columns with the study's appraisal in its column: settled
    (a summary), in conflict or pending (said so), or not started (the column's default)."""
    if not label or state.appraisal is None or state.protocol.appraisal is None:
        return other
    found = state.appraisal.get(key)
    if found is None or (found.state == "pending" and not found.reviewers):
        value = default
    else:
        value = found.summary(state.protocol.appraisal.tool)
    return {**other, label: value}


def _pick(ext: Any, name: str, rec: Record) -> str:
    value = ext.get(name) if ext else ""
    return value or rec.get(name)


# --- run ---------------------------------------------------------------------------------------


@dataclass
class RunSummary:
    steps: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    imported_rejects: int = 0
    unsure_pairs: int = 0
    prisma: dict[str, Any] = field(default_factory=dict)
    #: the counts as the model (``prisma`` is their JSON); None before screening ran
    flow: PrismaCounts | None = None
    audit_waiting: int = 0  # records drawn for a rule audit that no person has decided yet
    #: a person's 'same' decisions the dedupe step could not apply (a 'different', or one
    #: reviewer's two screening decisions, holds each back): out of the unsure queue, still two
    same_held_back: int = 0

    @property
    def waits_for_person(self) -> bool:
        """Records, conflicts, unsure pairs, held-back 'same' decisions or audit draws that
        only a person can settle."""
        return bool(
            self.unsure_pairs
            or self.same_held_back
            or self.prisma.get("needs_person")
            or self.audit_waiting
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "steps": [{"step": s, "summary": m} for s, m in self.steps],
            "outputs": self.outputs,
            "prisma": self.prisma,
            "waits_for_person": self.waits_for_person,
            "same_held_back": self.same_held_back,
            "problems": [p.as_dict() for p in self.problems],
        }


def _inputs_digest(project: Project, formats: Sequence[str]) -> str:
    """A hash of every stored input, the formats asked for and the installed version: same hash,
    same outputs."""
    from litreview import __version__
    from litreview.report.render import selected_formats

    h = hashlib.sha256(__version__.encode())
    h.update(",".join(selected_formats(formats)).encode())
    paths = [
        project.records,
        project.protocol,
        project.themes,
        *project.decision_files(),
        project.extraction,
        project.theme_overrides,
        project.duplicates,
        project.rule_audit,
        project.corrections,
    ]
    for optional in (project.fulltext, project.narrative, *project.appraisal_files()):
        if optional.exists():  # absent, the digest stays what it was before the file existed
            paths.append(optional)
    if project.templates.is_dir():
        paths += sorted(p for p in project.templates.rglob("*") if p.is_file())
    # the shipped templates too: an editable install changes them without changing the version
    shipped = Path(__file__).resolve().parents[1] / "report" / "templates"
    for p in sorted(shipped.glob("*.j2")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    for p in paths:
        h.update(project.rel(p).encode())
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()


def run_pipeline(
    project: Project,
    formats: Sequence[str] = ("md", "html", "csv", "tex", "svg", "json"),
    force: bool = False,
    progress: Progress | None = None,
) -> RunSummary:
    """Import every search file the protocol names, dedupe, screen, tag and render.

    Import and dedupe are idempotent; rendering is skipped when no stored input changed since
    the last run (the digest in ``build/.inputs``), unless ``force``. ``progress`` is told how
    each step advances: ``import SOURCE``, ``dedupe``, ``screen``, ``tag``, ``render``.
    """
    from litreview.corpus.searches import count_problems
    from litreview.corpus.store import import_files
    from litreview.files.derived import peek, remember

    summary = RunSummary()
    protocol = Review.of(project).protocol
    t0 = time.perf_counter()
    _refuse_missing_exports(project, protocol)
    for source in protocol.sources:
        files = [project.root / f for f in source.files]
        if not files:
            continue
        # an import that added nothing leaves the corpus as it was: over the same export and corpus
        # bytes the next one would add nothing again, so what it read is remembered, not re-read
        settled = _import_digest(project, source.id, files)
        known = peek(project, f"run-import-{source.id}", settled) if settled else None
        if not isinstance(known, SettledImport):
            rep = import_files(
                files, source.id, project.records, root=project.root, progress=progress
            )
            known = SettledImport(
                rep.read,
                len(rep.added),
                rep.already,
                rep.rejected,
                # errors, and an export that held nothing (a failed download reads as "read 0")
                tuple(p for p in rep.problems if p.is_error or p.code == "empty-export"),
                tuple(
                    count_problems(protocol, source.id, _read_per_file(project, source, rep.files))
                ),
            )
            if (
                not rep.added and settled
            ):  # nothing added: the corpus's bytes, and so the digest, are as they were
                remember(project, f"run-import-{source.id}", settled, known)
        summary.problems.extend(known.errors)
        summary.problems.extend(known.count_problems)
        summary.imported_rejects += known.rejected
        summary.steps.append(
            (
                f"import {source.id}",
                f"read {known.read} = added {known.added} + already "
                f"{known.already} + rejected {known.rejected}",
            )
        )
    summary.problems.extend(_unlisted_searches(project, protocol))
    from litreview.dedupe import dedupe_project

    result = dedupe_project(project, progress=progress)
    summary.unsure_pairs = len(result.unsure)
    # a person's 'same' the run could not apply (a 'different', or a reviewer's two screening
    # decisions, holds it back) is said here too: it is no longer in the unsure queue
    summary.problems.extend(result.problems)
    summary.same_held_back = len(result.same_held_back)
    summary.steps.append(
        (
            "dedupe",
            f"merges {len(result.merges)}, unsure {len(result.unsure)}, "
            f"candidate pairs {result.candidate_pairs}",
        )
    )
    state = load_state(project, progress=progress)
    summary.problems.extend(p for p in state.problems if p.is_error)
    summary.prisma = state.prisma_dict()
    summary.flow = state.prisma
    summary.audit_waiting = sum(len(a.waiting) for a in state.audits)
    outcomes: dict[str, int] = {}
    for r in state.screening.records:
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    summary.steps.append(
        ("screen", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) or "no records yet")
    )
    if state.tags is not None:
        tagged = sum(1 for k in state.included if state.tags.themes_of(k))
        summary.steps.append(
            ("tag", f"{tagged} of {len(state.included)} included studies have a theme")
        )
    digest = _inputs_digest(project, formats)
    marker = project.build / ".inputs"
    if not force and marker.exists() and marker.read_text().strip() == digest:
        summary.steps.append(
            ("render", "inputs unchanged since the last run; outputs kept (use --force to redo)")
        )
        summary.outputs = sorted(
            p.name for p in project.build.iterdir() if p.is_file() and not p.name.startswith(".")
        )
    else:
        from litreview.files.fsutil import atomic_write
        from litreview.report.render import render_all

        data = build_render_input(project, state)
        templates = project.user_templates
        paths = render_all(data, project.build, formats, templates, progress=progress)
        atomic_write(marker, digest + "\n")
        summary.outputs = sorted(p.name for p in paths)
        summary.steps.append(
            ("render", f"{len(summary.outputs)} files in {project.rel(project.build)}/")
        )
    summary.steps.append(("time", f"{time.perf_counter() - t0:.1f} s"))
    return summary


@dataclass(frozen=True)
class SettledImport:
    """What ``run``'s import of one source read, and what it found, for its step line."""

    read: int
    added: int
    already: int
    rejected: int
    #: the import's errors, and the warning for an export that held nothing
    errors: tuple[Problem, ...]
    count_problems: tuple[Problem, ...]


def _import_digest(project: Project, source: str, files: Sequence[Path]) -> str:
    """What an import of ``files`` under ``source`` depends on: litreview's code, each export's
    path and bytes, and the corpus's bytes ("" when a file is missing: the import reports it)."""
    from litreview.files.derived import corpus_cache_ok, files_digest

    if not corpus_cache_ok(project) or not all(f.is_file() for f in files):
        return ""
    return files_digest(project, (*files, project.records), "run-import", source)


def _refuse_missing_exports(project: Project, protocol: Protocol) -> None:
    """Every export a source lists that is not there, each at its source in review.yaml: the
    protocol is what names it (the import would say only "no such file", at a full path)."""
    missing = [
        Problem(
            Location(protocol.path, source.line, source.id),
            f"source {source.id!r} lists {f}, which does not exist",
            Severity.ERROR,
            "missing-export",
            "put the export there, or correct its path under the source's `files:`",
        )
        for source in protocol.sources
        for f in source.files
        if not (project.root / f).exists()
    ]
    if missing:
        from litreview.errors import InputError

        raise InputError(missing)


def _read_per_file(project: Project, source: Any, files: Sequence[Any]) -> dict[str, int]:
    """Entries read per export, keyed by the file's name as the source lists it."""
    named = {project.rel(project.root / f): f for f in source.files}
    return {named[f.path]: f.entries for f in files if f.path in named}


def _unlisted_searches(project: Project, protocol: Protocol) -> list[Problem]:
    """Files in corpus/searches/ that no source names: a new team's most likely first slip.

    A file whose records are in the corpus (brought in by ``litreview import``) is not "not
    imported": it is named with the sources it was imported under, since its records count in
    PRISMA although the protocol does not say which search it came from.
    """
    if not project.searches.is_dir():
        return []
    listed = {(project.root / f).resolve() for s in protocol.sources for f in s.files}
    unlisted = [
        p
        for p in sorted(project.searches.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.resolve() not in listed
    ]
    if not unlisted:
        return []
    ids = ", ".join(s.id for s in protocol.sources)
    hint = (
        f"list it under `files:` of the source it came from in review.yaml, then run again; sources: {ids}"
        if ids
        else "add the search it came from under `sources:` in review.yaml, then run again"
    )
    imported = _imported_from(project, {project.rel(p) for p in unlisted})
    problems = []
    for p in unlisted:
        shown = project.rel(p)
        found = imported.get(shown)
        if found is None:
            message, todo = "not imported: no source in review.yaml lists this file", hint
        else:
            count, sources = found
            named = ", ".join(repr(s) for s in sorted(sources))
            message = (
                f"no source in review.yaml lists this file, though {count} "
                f"{'record was' if count == 1 else 'records were'} imported from it (`litreview "
                f"import` under {'source' if len(sources) == 1 else 'sources'} {named}): they "
                "count as records identified, and `run` does not read the file"
            )
            todo = f"list it under `files:` of {'source' if len(sources) == 1 else 'one of'} {named} in review.yaml"
        problems.append(
            Problem(Location(shown), message, Severity.WARNING, "unlisted-search", todo)
        )
    return problems


def _imported_from(project: Project, shown: set[str]) -> dict[str, tuple[int, set[str]]]:
    """For each file named as ``shown``: how many appearances in the corpus's provenance name it,
    and under which sources (files no record came from are left out)."""
    found: dict[str, tuple[int, set[str]]] = {}
    corpus = Review.of(project).corpus()
    if corpus.rejects:
        return found  # a damaged corpus: the steps after this one report it
    for record in corpus.records:
        for prov in record.provenance:
            if prov.path in shown:
                count, sources = found.get(prov.path, (0, set()))
                sources.add(prov.source)
                found[prov.path] = (count + 1, sources)
    return found
