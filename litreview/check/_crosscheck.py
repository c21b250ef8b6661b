"""Cross-file checks: each stored file validated against the corpus and the protocol.

Kept apart from :mod:`litreview.check.checks` so that each step's own loader does the validating
(one set of rules, used by the step and by CI alike); this module only calls them.

Every checker gets one :class:`Inputs`: the corpus already loaded, and the protocol and themes
read once on first use. A file that does not validate is reported once, by its own checker;
the checkers that depend on it are skipped rather than repeating its problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from litreview.corpus.store import Corpus
from litreview.errors import ConfigError, LitreviewError
from litreview.model import Location, Name, Problem, Record, Severity
from litreview.project import Project

if TYPE_CHECKING:
    from litreview.dedupe.store import DuplicatesFile
    from litreview.files.derived import Screened
    from litreview.protocol import Protocol
    from litreview.report.render import RenderInput
    from litreview.tag.themes import Themes


@dataclass
class Inputs:
    """What the checkers share: the project, its corpus, and each config file parsed once."""

    project: Project
    corpus: Corpus
    #: problems found while parsing the protocol or themes, reported by their own checkers
    config_problems: dict[str, list[Problem]] = field(default_factory=dict)

    @cached_property
    def keys(self) -> list[str]:
        return [r.key for r in self.corpus.records]

    @cached_property
    def duplicates(self) -> DuplicatesFile:
        """The dedupe log, read once for every checker that needs it (raises when unreadable)."""
        from litreview.review import Review

        return Review.of(self.project).duplicates()

    @cached_property
    def screened(self) -> Screened | None:
        """Decisions and screening, through the derived cache, read once for every checker that
        holds a file against them; None when the protocol does not load (its checker says why)."""
        from litreview.files.derived import screened

        protocol = self.protocol
        return (
            None
            if protocol is None
            else screened(self.project, self.corpus, protocol, self.aliases)
        )

    @cached_property
    def excluded(self) -> dict[str, str]:
        """Each excluded record -> where and why; empty when the review cannot be screened
        (review.yaml or a decisions file does not load: their own checkers say so)."""
        from litreview.errors import LitreviewError

        try:
            done = self.screened
        except LitreviewError:
            return {}
        if done is None or any(p.is_error for p in done.problems):
            return {}
        return done.result.excluded_where()

    @cached_property
    def included(self) -> frozenset[str] | None:
        """The records screening includes; None when the review cannot be screened (as
        :attr:`excluded`)."""
        from litreview.errors import LitreviewError

        try:
            done = self.screened
        except LitreviewError:
            return None
        if done is None or any(p.is_error for p in done.problems):
            return None
        return frozenset(r.key for r in done.result.included)

    @property
    def aliases(self) -> dict[str, str]:
        """Absorbed key -> survivor; empty when the dedupe log cannot be read (its checker says why)."""
        from litreview.review import Review

        return Review.of(self.project).aliases

    def _reviewed(
        self, name: Literal["protocol", "themes"], path: Path, empty: Problem | None = None
    ) -> Any:
        """review.yaml or themes.yaml as the review's one loader parsed it: its value, or None when
        it is absent or does not validate; its problems go to ``config_problems[name]``."""
        from litreview.review import Review

        if not path.exists():
            return None
        value, problems = Review.of(self.project).parsed(name)
        if value is None and not problems and empty is not None:
            problems = [empty]
        self.config_problems[name] = list(problems)
        return None if value is None or any(p.is_error for p in problems) else value

    @cached_property
    def protocol(self) -> Protocol | None:
        protocol: Protocol | None = self._reviewed("protocol", self.project.protocol)
        return protocol

    @cached_property
    def themes(self) -> Themes | None:
        empty = Problem(
            Location(self.project.rel(self.project.themes)),
            "no themes",
            Severity.ERROR,
            "themes-empty",
        )
        themes: Themes | None = self._reviewed("themes", self.project.themes, empty)
        return themes


def _skipped(inputs: Inputs, path: Path, because: Path) -> list[Problem]:
    """The warning for a file left unchecked because a file it depends on does not validate."""
    project = inputs.project
    return [
        Problem(
            Location(project.rel(path)),
            f"not checked: {project.rel(because)} does not validate",
            Severity.WARNING,
            "skipped",
            f"fix {project.rel(because)} first",
        )
    ]


def check_protocol(inputs: Inputs) -> list[Problem]:
    from litreview.protocol import check_protocol_files

    project = inputs.project
    if not project.protocol.exists():
        return [
            Problem(
                Location(project.rel(project.protocol)),
                "protocol file not found",
                Severity.WARNING,
                "missing-file",
                "litreview init writes a starting protocol",
            )
        ]
    protocol = inputs.protocol
    problems = list(inputs.config_problems.get("protocol", ()))
    if protocol is not None:
        problems.extend(check_protocol_files(protocol, project.root))
        problems.extend(
            unknown_sources(
                protocol, inputs.corpus.records, project.rel(project.records), inputs.corpus.lines
            )
        )
    return problems


def unknown_sources(
    protocol: Protocol,
    records: Iterable[Record],
    shown: str,
    lines: Mapping[str, int] | None = None,
) -> list[Problem]:
    """Records imported under a source the protocol does not list (``--source pubmd`` for
    ``pubmed``): PRISMA would count a source nobody searched and show the real one empty."""
    from litreview.files.yamlio import suggest

    listed = {s.id for s in protocol.sources}
    if not listed:
        return []
    first: dict[str, str] = {}
    for r in records:
        for prov in r.provenance:
            # "corpus": an entry added to records.bib by hand, with no import behind it
            if prov.source not in listed and prov.source != "corpus" and prov.source not in first:
                first[prov.source] = r.key
    return [
        Problem(
            Location(shown, (lines or {}).get(key), key),
            f"records imported under source {name!r}, which review.yaml does not list",
            Severity.ERROR,
            "unknown-source",
            suggest(name, sorted(listed))
            or "add it to review.yaml's sources, or re-import under a listed id",
        )
        for name, key in sorted(first.items())
    ]


def check_screening(inputs: Inputs) -> list[Problem]:
    """Every decisions file (corpus/screening.yaml and corpus/screening/ID.yaml) validates;
    git merge-conflict markers in one are errors at their lines."""
    from litreview.screen.reviewers import load_all_decisions

    project = inputs.project
    protocol = inputs.protocol
    files = [p for p in project.decision_files() if p.exists()]
    if not files or not project.protocol.exists():
        return []
    if protocol is None:
        return _skipped(inputs, files[0], project.protocol)
    _, problems = load_all_decisions(project, inputs.keys, protocol, inputs.aliases)
    return problems


def check_rule_audit(inputs: Inputs) -> list[Problem]:
    from litreview.screen.audit import load_audits, unknown_keys

    project = inputs.project
    protocol = inputs.protocol
    if not project.rule_audit.exists() or not project.protocol.exists():
        return []
    if protocol is None:
        return _skipped(inputs, project.rule_audit, project.protocol)
    shown = project.rel(project.rule_audit)
    draws, problems = load_audits(project.rule_audit, shown, protocol)
    return problems + unknown_keys(draws, inputs.keys, inputs.aliases, shown)


def check_fulltext(inputs: Inputs) -> list[Problem]:
    """corpus/fulltext.yaml validates, names records of the corpus, and no report marked not
    retrieved is included (against the screening, through the derived cache)."""
    from litreview.screen.fulltext import load_fulltext

    project = inputs.project
    if not project.fulltext.exists() or not project.protocol.exists():
        return []
    done = inputs.screened
    if done is None:
        return _skipped(inputs, project.fulltext, project.protocol)
    if done.fulltext is None or any(p.is_error for p in done.problems):
        # decisions that do not load leave no screening to hold the marks against
        return list(
            load_fulltext(
                project.fulltext, project.rel(project.fulltext), set(inputs.keys), inputs.aliases
            ).problems
        )
    return list(done.fulltext.problems)


def check_corrections(inputs: Inputs) -> list[Problem]:
    from litreview.corpus.corrections import load_corrections

    project = inputs.project
    if not project.corrections.exists():
        return []
    _, problems = load_corrections(
        project.corrections, project.rel(project.corrections), inputs.keys, inputs.aliases
    )
    return problems


def check_themes(inputs: Inputs) -> list[Problem]:
    """themes.yaml validates, and every theme override names a record and a theme that exist.

    Terms that match nothing are not looked for here: that means reading every abstract (as
    long as tagging the whole corpus), and it is advice for the theme author rather than a broken
    file. ``litreview themes check`` reports them.
    """
    from litreview.tag.engine import load_overrides

    project = inputs.project
    if not project.themes.exists():
        return []
    themes = inputs.themes
    problems = list(inputs.config_problems.get("themes", ()))
    if themes is None:
        if project.theme_overrides.exists():
            problems.extend(_skipped(inputs, project.theme_overrides, project.themes))
        return problems
    if project.theme_overrides.exists():
        _, more = load_overrides(
            project.theme_overrides,
            inputs.keys,
            themes,
            project.rel(project.theme_overrides),
            inputs.aliases,
        )
        problems.extend(more)
    return problems


def check_extraction(inputs: Inputs) -> list[Problem]:
    from litreview.extract.extraction import extraction_of_excluded, fields_from, load_extraction

    project = inputs.project
    if not project.extraction.exists():
        return []
    protocol = inputs.protocol
    if protocol is None and project.protocol.exists():
        return _skipped(
            inputs, project.extraction, project.protocol
        )  # its fields come from the protocol
    fields = fields_from(protocol.extraction_fields if protocol is not None else ())
    result = load_extraction(
        project.extraction, fields, inputs.keys, project.rel(project.extraction), inputs.aliases
    )
    if not result.ok:
        return list(result.problems)
    return [
        *result.problems,
        *extraction_of_excluded(result, inputs.excluded, project.rel(project.extraction)),
    ]


def check_narrative(inputs: Inputs) -> list[Problem]:
    """corpus/narrative.yaml validates, cites records of the corpus, and gives each included study
    the relevance the extraction records."""
    from litreview.report.narrative import load_narrative

    project = inputs.project
    if not project.narrative.exists():
        return []
    relevance = None
    if project.extraction.exists():
        from litreview.extract.extraction import fields_from, load_extraction

        protocol = inputs.protocol
        fields = fields_from(protocol.extraction_fields if protocol is not None else ())
        try:
            ext = load_extraction(
                project.extraction,
                fields,
                inputs.keys,
                project.rel(project.extraction),
                inputs.aliases,
            )
        except LitreviewError:  # unreadable: its own checker reports it, once
            return _skipped(inputs, project.narrative, project.extraction)
        unreadable = {r.location.key for r in inputs.corpus.rejects if r.location.key}
        if any(p.is_error and p.missing not in unreadable for p in ext.problems):
            return _skipped(inputs, project.narrative, project.extraction)
        # (a study whose record is an entry of records.bib that does not parse now is no error of
        # extraction.yaml's: check says "not checked" at its line, and the narrative is checked)
        relevance = {k: s.relevance for k, s in ext.studies.items()}
        included = inputs.included
        if included is not None:  # as render and status hold it: the studies screening includes
            relevance = {k: v for k, v in relevance.items() if k in included}
    themes = inputs.themes
    result = load_narrative(
        project.narrative,
        project.rel(project.narrative),
        inputs.keys,
        relevance,
        [t.id for t in themes.themes] if themes is not None else (),
        inputs.aliases,
    )
    return list(result.problems)


def check_appraisal(inputs: Inputs) -> list[Problem]:
    """Every reviewer's appraisal file and the consensus file against the declared tool and the corpus."""
    project = inputs.project
    files = project.appraisal_files()
    if not files:
        return []
    protocol = inputs.protocol
    if protocol is None:
        return _skipped(inputs, files[0], project.protocol) if project.protocol.exists() else []
    if protocol.appraisal is None:
        return [
            Problem(
                Location(project.rel(files[0])),
                "appraisal files, but review.yaml declares no appraisal tool",
                Severity.WARNING,
                "no-appraisal",
                "add e.g. 'appraisal: {tool: mmat, reviewers: 2}' to review.yaml",
            )
        ]
    from litreview.extract.appraisal import appraisal_of_excluded, load_appraisals

    found, _resolved, problems = load_appraisals(
        project.corpus_dir, project.rel, protocol.appraisal, inputs.keys, inputs.aliases
    )
    if any(p.is_error for p in problems):
        return list(problems)
    return [*problems, *appraisal_of_excluded(found, inputs.excluded)]


def check_duplicates(inputs: Inputs) -> list[Problem]:
    from litreview.dedupe.project import match, settled_result
    from litreview.dedupe.store import (
        absorbed_problems,
        merged_though_different,
        unknown_decision_keys,
    )

    project = inputs.project
    stored = inputs.duplicates
    for stored_merge in stored.merges:
        len(
            stored_merge.links
        )  # built now, so a hand edit in them is reported here (they are read on use)
    problems = absorbed_problems(project.duplicates, stored, project.rel(project.duplicates))
    problems += unknown_decision_keys(stored, set(inputs.keys), project.rel(project.duplicates))
    problems += merged_though_different(stored, project.rel(project.duplicates))
    if len(set(inputs.keys)) != len(inputs.keys):
        return problems  # a key used twice is reported by the corpus checks; dedupe cannot pair such records
    from litreview.dedupe.store import absorbed_path
    from litreview.files.derived import cached, corpus_cache_ok, inputs_digest

    def compute() -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[tuple[str, str], ...]]:
        result, _model = match(project, inputs.corpus.records, stored)
        return (
            tuple((m.survivor, tuple(r.key for r in m.absorbed)) for m in result.merges),
            tuple((p.a, p.b) for p in result.unsure),
        )

    # the matcher is the check's dearest step (seconds at 100k): a dedupe that merged nothing
    # over exactly these files found what it would find now; else unchanged inputs (the corpus,
    # the dedupe log, and the screening decisions the matcher keeps pairs apart by), unchanged
    # answer
    settled = settled_result(project)
    if settled is not None:
        merges: tuple[tuple[str, tuple[str, ...]], ...] = ()
        unsure = tuple((p.a, p.b) for p in settled.unsure)
    else:
        digest = inputs_digest(
            project,
            inputs.corpus,
            (
                project.duplicates,
                absorbed_path(project.duplicates),
                project.protocol,
                *project.decision_files(),
            ),
            "check-duplicates",
        )
        merges, unsure = cached(
            project,
            "check-duplicates",
            digest,
            compute,
            bool(inputs.corpus.digest) and corpus_cache_ok(project),
        )
    path = project.rel(project.records)
    lines = inputs.corpus.lines
    for survivor, absorbed in merges:
        problems.append(
            Problem(
                Location(path, lines.get(survivor), survivor),
                f"sure duplicates not merged: {', '.join(absorbed)}",
                Severity.ERROR,
                "unmerged-duplicate",
                "run `litreview dedupe`",
            )
        )
    for a, b in unsure:
        problems.append(
            Problem(
                Location(path, lines.get(a), a),
                f"possible duplicate of {b} waits for a person",
                Severity.WARNING,
                "unsure-duplicate",
                "litreview dedupe review",
            )
        )
    return problems


# --- templates -----------------------------------------------------------------------------------

#: how many corpus records the sample view model borrows (the check's cost must not grow with the corpus)
SAMPLE_STUDIES = 8


def check_templates(inputs: Inputs) -> list[Problem]:
    """Every template renders, with no undefined variable, from two sample view models.

    Whether a template names a variable that does not exist depends on the view model's shape,
    not on how many studies there are, so the check renders a small sample built from the
    review's own protocol, themes and first records rather than the whole review: one sample
    fills every list the templates loop over (so each loop body runs) and one leaves them all
    empty (so each "none" branch runs). Every template is rendered separately, so each broken
    one is reported.
    """
    from markupsafe import Markup

    from litreview.report import render as rd

    project = inputs.project
    templates = project.user_templates
    envs = rd.environments(templates)
    seen: set[tuple[str, int | None, str]] = set()
    problems: list[Problem] = []
    for data in (sample_view_model(inputs, full=True), sample_view_model(inputs, full=False)):
        prep = rd.prepare(data)
        inline = {
            name.replace("-", "_").removesuffix(".svg"): Markup(text.strip())
            for name, text in rd.figures(prep).items()
        }
        for fmt in rd.FORMATS:
            for _, template in rd.TEMPLATE_OUTPUTS.get(fmt, ()):
                try:
                    rd.render_text(prep, template, envs, figures=inline)
                except ConfigError as exc:
                    for p in exc.problems:
                        where = _template_path(project, p.location.path)
                        if (where, p.location.line, p.message) in seen:
                            continue
                        seen.add((where, p.location.line, p.message))
                        problems.append(
                            Problem(
                                Location(where, p.location.line),
                                p.message,
                                Severity.ERROR,
                                "template",
                                p.hint,
                            )
                        )
    return problems


def _template_path(project: Project, name: str) -> str:
    """A template as the person knows it: the review's own copy when there is one."""
    path = Path(name)
    if not path.is_absolute():
        path = project.templates / name
        if not path.is_file():
            return name
    return project.rel(path)


def sample_view_model(inputs: Inputs, full: bool = True) -> RenderInput:
    """A small, deterministic view model shaped like the review's own (see :func:`check_templates`)."""
    from litreview.report import render as rd
    from litreview.report.prisma import PrismaCounts

    protocol = inputs.protocol
    themes_file = inputs.themes
    sources = (
        tuple(rd.Source(s.id, s.name, s.kind, s.searched, 1) for s in protocol.sources)
        if protocol
        else ()
    )
    if not sources:
        sources = (rd.Source("sample", "Sample source", "database", "2020-01-01", 1),)
    reasons = (
        dict(protocol.reasons)
        if protocol and protocol.reasons
        else {"sample-reason": "Sample reason"}
    )
    criteria = (
        tuple(rd.Criterion(c.id, c.label, c.reason) for c in protocol.criteria) if protocol else ()
    ) or (rd.Criterion("sample", "Sample criterion", next(iter(reasons))),)
    themes = (
        [rd.Theme(t.id, t.label, t.question, t.description) for t in themes_file.themes]
        if themes_file
        else []
    )
    while len(themes) < 3:  # one theme with many studies, one with few, one with none
        n = len(themes) + 1
        themes.append(
            rd.Theme(
                f"sample-{n}", f"Sample theme {n}", "A sample question?", "A sample description."
            )
        )
    title = protocol.title if protocol else "Sample review"
    if not full:
        return rd.RenderInput(
            title=title,
            question="",
            sources=sources,
            criteria=criteria,
            reasons=reasons,
            prisma=PrismaCounts(identified_by_source={s.id: 0 for s in sources}),
            themes=tuple(themes),
        )
    records = list(inputs.corpus.records[:SAMPLE_STUDIES])
    for n in range(len(records), 4):
        records.append(
            Record(
                key=f"Sample{2000 + n}",
                entry_type="article",
                title=f"A sample study {n}",
                authors=(Name("Sample", "A."), Name("Example", "B.")),
                year=2000 + n,
                container="Sample Journal",
                volume="1",
                pages="1-10",
                doi=f"10.1000/sample.{n}",
            )
        )
    studies = []
    for n, rec in enumerate(records[:-1]):  # the last one is excluded at full text
        ids: tuple[str, ...] = ()
        if n < len(records) - 2:  # the one before it stays untagged
            ids = (themes[0].id,) + ((themes[1].id,) if n == 0 else ())
        studies.append(
            rd.Study(
                key=rec.key,
                record=rec,
                country="Sample country",
                setting="Sample setting",
                design="Sample design",
                methods="Sample methods",
                participants="Sample participants",
                themes=ids,
                theme_sources={t: ("override" if n == 0 else "rule") for t in ids},
                key_findings="Sample findings.",
                relevance="direct" if n % 2 == 0 else "related",
                overridden="R1: a sample note" if n == 0 else "",
                other={"Sample field": "sample value"} if n == 0 else {},
            )
        )
    reason = next(iter(reasons))
    excluded = (
        rd.ExcludedStudy(records[-1].key, records[-1].key, reasons[reason], "A sample note."),
    )
    prisma = PrismaCounts(
        identified_by_source={s.id: 1 for s in sources},
        duplicates_removed=1,
        screened=len(records) + 1,
        excluded_title_abstract={reason: 1},
        assessed_full_text=len(records),
        excluded_full_text={reason: 1},
        needs_person=1,
        included=len(studies) + 1,  # one too many: the "counts do not add up" branch runs
        included_direct=sum(1 for s in studies if s.relevance == "direct"),
        included_related=sum(1 for s in studies if s.relevance == "related"),
    )
    return rd.RenderInput(
        title=title,
        question=protocol.question if protocol and protocol.question else "A sample question?",
        sources=sources,
        criteria=criteria,
        reasons=reasons,
        prisma=prisma,
        studies=tuple(studies),
        themes=tuple(themes),
        excluded_full_text=excluded,
    )


Checker = Callable[[Inputs], list[Problem]]


def check_made_on(inputs: Inputs) -> list[Problem]:
    """Each decision whose key now names another work than the one it was made on (the title it
    keeps and the record's differ): an error at its line (:mod:`litreview.corpus.madeon`)."""
    from litreview.corpus.madeon import changed_records

    try:
        done = inputs.screened
    except LitreviewError:
        done = None
    # the decisions as screening read them; while a file does not validate, its items as written
    decisions = None if done is None or any(p.is_error for p in done.problems) else done.decisions
    return changed_records(inputs.project, inputs.corpus, inputs.aliases, decisions)


CHECKERS: list[tuple[str, Checker]] = [
    ("review.yaml", check_protocol),
    ("corpus/screening.yaml and corpus/screening/", check_screening),
    ("corpus/rule-audit.yaml", check_rule_audit),
    ("corpus/corrections.yaml", check_corrections),
    ("corpus/fulltext.yaml", check_fulltext),
    ("themes.yaml", check_themes),
    ("corpus/extraction.yaml", check_extraction),
    ("corpus/narrative.yaml", check_narrative),
    ("corpus/appraisal/", check_appraisal),
    ("corpus/duplicates.yaml", check_duplicates),
    ("templates/", check_templates),
]
