"""Where a review stands and what to do next, as data for ``litreview status``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from litreview.outcomes import Outcome
from litreview.progress import Progress
from litreview.project import Project
from litreview.tag.themes import few_studies

if TYPE_CHECKING:
    from litreview.dedupe.store import DuplicatesFile


def unapplied_same(duplicates: DuplicatesFile, keys: Iterable[str]) -> list[tuple[str, str]]:
    """The pairs a person decided are one work that are still two records of the corpus: a
    'same' that ``litreview dedupe`` has not applied yet, or could not (it warns why)."""
    from litreview.corpus.mergemap import MergeMap

    known = set(keys)
    merged = MergeMap(duplicates.aliases())
    out = []
    for d in duplicates.decisions:
        if d.decision != "same":
            continue
        a, b = merged.final(d.a), merged.final(d.b)
        if a != b and a in known and b in known:
            out.append((d.a, d.b))
    return out


def review_status(project: Project, progress: Progress | None = None) -> dict[str, Any]:
    """Where the review stands, through the derived-results cache: ``status`` is what a team
    runs most, and in a screened 100k review reading the screening result alone costs seconds.
    The key is what ``check``'s findings are keyed by (the corpus, every stored file, absorbed.bib,
    the templates, the search exports), the last check's findings as kept, and every file under
    corpus/ by name, size and time, the rejects files (whose entries it counts) by their bytes too."""
    from litreview.review import Review

    corpus = Review.of(project).sound_corpus()
    if not corpus.digest:
        return _review_status(project, progress)
    import hashlib

    from litreview.check.checks import check_digest
    from litreview.files.derived import Digest, cached
    from litreview.files.fsutil import file_sha256

    stamps = [check_digest(project, corpus)]
    rejects = project.corpus_dir / "rejects"
    for folder, pattern in (
        (project.corpus_dir, "**/*"),
        (project.root / ".litreview-cache", "check-*"),
    ):
        for path in sorted(folder.glob(pattern)):
            try:
                st = path.stat()
                shown = path.relative_to(project.root).as_posix()
                stamps.append(f"{shown}:{st.st_size}:{st.st_mtime_ns}")
                if path.parent.parent == rejects and path.is_file():
                    # status counts their entries: by their bytes, as a copy that keeps the
                    # time (or a rewrite within one tick of the clock) leaves size and time alike
                    stamps.append(file_sha256(path))
            except OSError:
                continue
    # kept only if the files the check's digest hashed still hold what it hashed once the
    # status is computed (see derived.Digest)
    digest = Digest.of(
        hashlib.sha256("\n".join(stamps).encode()).hexdigest(), getattr(stamps[0], "files", ())
    )
    return cached(project, "status", digest, lambda: _review_status(project, progress))


def _review_status(project: Project, progress: Progress | None = None) -> dict[str, Any]:
    from litreview.review import Review
    from litreview.workflow.pipeline import load_state

    duplicates = Review.of(project).duplicates()  # read once: load_state's merges come from it too
    state = load_state(project, progress=progress)
    todo: list[dict[str, Any]] = []
    from litreview.check.checks import last_check

    # check keys its findings by records.bib as it is, not as corrections.yaml corrects it
    checked = last_check(project, Review.of(project).corpus())
    if checked is None:
        todo.append(
            {
                "what": "litreview check has not run on the files as they are",
                "count": None,
                "command": "litreview check",
                "waits": False,
            }
        )
    else:
        # a decision on a record that is now another work has an item of its own (below)
        check_errors = [p for p in checked if p.is_error and p.code != "record-changed"]
        if check_errors:
            todo.append(
                {
                    "what": "errors litreview check found",
                    "count": len(check_errors),
                    "command": "litreview check",
                    "waits": True,
                    "problems": [p.as_dict() for p in check_errors],
                }
            )
    from litreview.corpus.store import rejects_files

    counted = rejects_files(project.corpus_dir)
    rejected = [{"path": project.rel(path), "entries": n} for path, n in counted]
    total_rejected = sum(n for _, n in counted)
    if rejected:
        # set aside by imports: in no count (PRISMA's identified records are the corpus's), and
        # advice only, since an entry that is no record (a BibTeX @set) stays there for good
        todo.append(
            {
                "what": "entries imports could not read, kept verbatim under "
                f"{project.rel(project.corpus_dir / 'rejects')}/ and in no count",
                "count": total_rejected,
                "command": "mend each in its export (the file says where and why), then "
                "litreview import EXPORT --source SOURCE",
                "files": rejected,
                "waits": False,
            }
        )
    unsure = len(duplicates.unsure)
    if unsure:
        todo.append(
            {
                "what": "unsure duplicate pairs",
                "count": unsure,
                "command": "litreview dedupe review",
                "waits": True,
            }
        )
    held_back = unapplied_same(duplicates, state.corpus.keys)
    if held_back:
        # left the unsure queue when decided, yet still two records: `litreview dedupe` says
        # what holds each back (a 'different', or a reviewer who screened the two differently)
        todo.append(
            {
                "what": "'same' decisions not applied",
                "count": len(held_back),
                "command": "litreview dedupe",
                "waits": True,
                "pairs": [list(p) for p in held_back],
            }
        )
    from litreview.files.derived import conflict_counts

    waiting: dict[str, int] = {}
    for r in state.screening.records:
        if r.outcome == Outcome.NEEDS_PERSON:
            waiting[r.stage] = waiting.get(r.stage, 0) + 1
    # counted as `screen conflicts` counts them, by the same function
    conflicts = conflict_counts(project, state.corpus, state.decisions, state.protocol)
    order = {s.id: i for i, s in enumerate(state.protocol.stages)}
    for stage, n in sorted(
        waiting.items(), key=lambda item: (order.get(item[0], len(order)), item[0])
    ):
        todo.append(
            {
                "what": f"records needing a person at {stage}",
                "count": n,
                "command": f"litreview screen next --stage {stage} --reviewer YOUR-ID",
                "waits": True,
            }
        )
    if state.fulltext is not None:  # a review that keeps corpus/fulltext.yaml: say what it lacks
        from litreview.screen.fulltext import reports

        missing = [
            r.key for r in reports(state.screening, state.protocol, state.fulltext) if r.missing
        ]
        if missing:
            todo.append(
                {
                    "what": "reports awaiting assessment with no full text recorded",
                    "count": len(missing),
                    "command": "litreview fulltext set KEY retrieved --path PATH",
                    "waits": False,
                    "keys": missing,
                }
            )
    if conflicts.conflicts:
        todo.append(
            {
                "what": "reviewer conflicts",
                "count": conflicts.conflicts,
                "command": "litreview screen conflicts",
                "waits": True,
            }
        )
    if conflicts.reason_only:
        # the record is excluded either way: worth settling for the reasons PRISMA counts, but
        # nothing waits for it
        todo.append(
            {
                "what": "reason-only disagreements (all exclude, for different reasons)",
                "count": conflicts.reason_only,
                "command": "litreview screen conflicts",
                "waits": False,
            }
        )
    # the draws are in rule-audit.yaml: while it does not load, "none drawn yet" is not known
    # (its errors are among the problems in stored files)
    audits_unread = any(
        p.is_error and p.location.path == project.rel(project.rule_audit) for p in state.problems
    )
    for audit in state.audits:
        if audit.waiting:
            short = len(audit.short)
            todo.append(
                {
                    "what": f"rule exclusions drawn for a person to check at {audit.stage}"
                    + (
                        f" ({short} decided by fewer than the {audit.reviewers_needed} reviewers "
                        "the stage needs: litreview screen audit lists them)"
                        if short
                        else ""
                    ),
                    "count": len(audit.waiting),
                    "waits": True,
                    "keys": list(audit.waiting),
                    "command": f"litreview screen decide KEY include|exclude --stage {audit.stage} "
                    "--reviewer YOUR-ID",
                }
            )
        elif not audit.drawn and not audits_unread:
            todo.append(
                {
                    "what": f"rule exclusions at {audit.stage}, none drawn for an audit yet",
                    "count": audit.excluded_by_rules,
                    "waits": False,
                    "command": f"litreview screen audit --sample {min(30, audit.excluded_by_rules)} "
                    f"--stage {audit.stage}",
                }
            )
    few: list[str] = []
    fewer = state.themes.settings.min_studies if state.themes is not None else 0
    if state.tags is not None and state.themes is not None:
        for theme in state.themes.themes:
            if few_studies(
                sum(1 for k in state.included if theme.id in state.tags.themes_of(k)), fewer
            ):
                few.append(theme.id)
    if few:
        todo.append(
            {
                "what": f"themes with fewer than {fewer} studies ({', '.join(few)})",
                "count": len(few),
                "command": "litreview themes",
                "themes": few,
                "waits": False,
            }
        )
    extracted = state.extraction.studies if state.extraction is not None else {}
    unextracted = [k for k in state.included if k not in extracted]
    if unextracted:
        todo.append(
            {
                "what": "included studies without extraction",
                "count": len(unextracted),
                "command": f"add them to {project.rel(project.extraction)} (docs/formats.md#extraction)",
                "keys": unextracted,
                "waits": False,
            }
        )
    if state.appraisal is not None:  # review.yaml declares an appraisal tool
        conflict = sorted(k for k, a in state.appraisal.items() if a.state == "conflict")
        started = sorted(
            k for k, a in state.appraisal.items() if a.state == "pending" and a.reviewers
        )
        unstarted = sorted(
            k for k, a in state.appraisal.items() if a.state == "pending" and not a.reviewers
        )
        for keys, what, command in (
            (
                conflict,
                "appraisals where the reviewers disagree",
                "litreview appraise resolve KEY QUESTION ANSWER --reviewer ID",
            ),
            (
                started,
                "appraisals waiting for another reviewer or answer",
                "litreview appraise status",
            ),
            (
                unstarted,
                "included studies not appraised yet",
                "add them to corpus/appraisal/YOUR-ID.yaml (docs/formats.md#appraisal)",
            ),
        ):
            if keys:
                todo.append(
                    {
                        "what": what,
                        "count": len(keys),
                        "command": command,
                        "keys": keys,
                        "waits": True,
                    }
                )
    changed = [p for p in state.problems if p.code == "record-changed"]
    if changed:
        todo.append(
            {
                "what": "decisions whose key now names another work than they were made on",
                "count": len(changed),
                "command": "move each to its record's key, or decide it again (litreview check)",
                "waits": True,
                "problems": [p.as_dict() for p in changed],
                "lines": [str(p) for p in changed],
            }
        )
    errors = [p for p in state.problems if p.is_error and p.code != "record-changed"]
    if errors:
        todo.append(
            {
                "what": "problems in stored files",
                "count": len(errors),
                "command": "litreview check",
                "waits": True,
            }
        )
    return {
        "version": 1,
        "prisma": state.prisma_dict(),
        "todo": todo,
        "rule_audits": [a.as_dict() for a in state.audits],
        "rejected": {"entries": total_rejected, "files": rejected},
        "waiting": any(item["waits"] for item in todo),
    }
