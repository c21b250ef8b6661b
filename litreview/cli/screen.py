"""``litreview screen`` and its subcommands: decide, resolve, undo, import-decisions, next,
simulate, audit, conflicts, agreement, prisma."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    USAGE,
    corrected,
    echo,
    emit_json,
    get_project,
    handle_errors,
    info,
    json_option,
    progress_for,
    report,
    report_summarised,
)
from litreview.errors import ConfigError, InputError, unreadable
from litreview.model import Location
from litreview.outcomes import Choice, Outcome, Settled, StageOutcome
from litreview.review import Review
from litreview.screen.queue import RankedQueue, RecordsByKey, waiting_for, waiting_label
from litreview.text.wording import counted

#: ``screen import-decisions --format``; kept here so that ``--help`` imports nothing more
#: (a test checks it matches ``decision_import.FORMATS``)
DECISION_FORMATS = ("auto", "asreview", "rayyan", "covidence", "csv")

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from litreview.corpus.store import Corpus
    from litreview.files.derived import Screened
    from litreview.model import Problem, Record
    from litreview.project import Project
    from litreview.protocol import Protocol
    from litreview.screen.agreement import ConflictCounts
    from litreview.screen.engine import Decision, Override, RecordScreening, ScreeningResult


@dataclass
class _State:
    project: Project
    protocol: Protocol
    corpus: Corpus
    decisions: tuple[Decision, ...]
    #: the screening of every record and the PRISMA counts, when ``_load(screen=True)`` asked for them
    screened: Screened | None = None

    @property
    def records(self) -> tuple[Record, ...]:
        """The corpus's records, read on first use (a cached screening does not need them)."""
        return self.corpus.records


def _load(ctx: click.Context, screen: bool = False) -> _State:
    """Protocol, corpus and decisions; invalid protocol or decisions stop here (exit 2).

    With ``screen``, every record is screened too, through the cache of derived results
    (:mod:`litreview.files.derived`): unchanged inputs cost a cache read.
    """
    from litreview.screen.reviewers import load_all_decisions

    project = get_project(ctx)
    protocol = Review.of(project).protocol
    corpus = Review.of(project).sound_corpus()
    corpus = corrected(project, corpus)
    done = None
    if screen:
        from litreview.files.derived import screened

        done = screened(project, corpus, protocol, progress=progress_for(ctx))
        decisions, problems = done.decisions, list(done.problems)
        read = list(done.fulltext.problems) if done.fulltext else []
        _stop(problems, read, done.log_problems)
    else:
        decisions, problems = load_all_decisions(project, corpus.keys, protocol)
    _said(ctx, problems, decisions)
    return _State(project, protocol, corpus, decisions, done)


def _stop(
    problems: Sequence[Problem], read: Sequence[Problem], log_problems: Sequence[Problem]
) -> None:
    """A dedupe log that does not load (decisions and full-text items on the records it
    absorbed went unread) and a full-text file that is not YAML (``read``: its problems) stop
    here, as they stop `status` and `render`: the counts shown would be wrong without a word."""
    stop = [*log_problems, *unreadable(list(read))]
    if stop:
        # with the other errors: a key the log absorbed is then said to be so, not unknown
        others = [p for p in (*problems, *read) if p.is_error and p not in stop]
        raise ConfigError([*others, *stop])


def _said(ctx: click.Context, problems: Sequence[Problem], aliased: Iterable[Decision]) -> None:
    """Decisions' errors stop here (exit 2); their warnings, and each decision written on a key
    a dedupe merge absorbed, are said."""
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ConfigError(errors)
    _report(ctx, problems)
    for d in aliased:
        if d.alias:
            info(
                ctx,
                f"{d.path}:{d.line}: info: {d.reviewer}'s decision on {d.alias} applies to {d.key}, "
                f"which absorbed it in a dedupe merge",
            )


def _report(ctx: click.Context, problems: Sequence[Problem]) -> None:
    """Warnings of one kind past the first few counted, not listed (``screen --all-warnings``
    lists them; ``--json`` has the screening's own in its ``problems``)."""
    report_summarised(
        problems,
        "`litreview screen --all-warnings` (or `--json`)",
        every=bool(ctx.meta.get("litreview.all_warnings")),
    )


def _corrections_of(project: Project, key: str, keys: tuple[str, ...]) -> list[Any]:
    """The corrections that apply to ``key`` (its own, or one on a record it absorbed)."""
    if not project.corrections.exists():
        return []
    from litreview.corpus.corrections import load_corrections

    found, _ = load_corrections(
        project.corrections, project.rel(project.corrections), keys, Review.of(project).aliases
    )
    return [c for c in found if (c.applies_to or c.key) == key]


def _screen(state: _State) -> ScreeningResult:
    if state.screened is not None:
        return state.screened.result
    from litreview.screen.engine import screen_records

    result = screen_records(
        state.records,
        state.protocol,
        state.decisions,
        progress=progress_for(click.get_current_context()),
    )
    return result


def _unknown_key(key: str, state: _State) -> ConfigError:
    from litreview.files.yamlio import suggest

    return ConfigError.at(
        Location("command line", None, key),
        f"no record {key!r} in the corpus",
        hint=suggest(key, state.corpus.keys),
        code="unknown-record",
        missing=key,
    )


@click.group("screen", invoke_without_command=True)
@click.option(
    "--explain",
    metavar="KEY",
    default=None,
    help="Show every criterion's result and evidence for one record (a key a dedupe merge "
    "absorbed: its survivor).",
)
@click.option(
    "--all-warnings",
    is_flag=True,
    help="List every warning: of one kind past the first few, only a count is shown (--json "
    "lists the screening's in full too).",
)
@json_option
@click.pass_context
@handle_errors
def screen_group(
    ctx: click.Context, explain: str | None, all_warnings: bool, as_json: bool
) -> None:
    """Screen the corpus against the protocol's criteria (review.yaml).

    Rules give each criterion met, not met or unclear with evidence; people's decisions (each
    reviewer's corpus/screening/ID.yaml) override them. Prints the records per outcome, stage and exclusion
    reason, and exits 1 while records wait for a person. With --explain KEY, shows why one
    record got its outcome.

    \b
    Example:
      litreview screen
      litreview screen --explain Harvey2014
      litreview screen --json
    """
    ctx.meta["litreview.all_warnings"] = all_warnings
    if ctx.invoked_subcommand is not None:
        return
    if explain is None and not as_json:
        _counts_only(ctx)
        return
    state = _load(ctx, screen=True)
    result = _screen(state)
    _report(ctx, result.problems)
    # corpus/fulltext.yaml's own problems (an item on a key no record has, a report sought for
    # a record screening excluded): said here too, not only by `check` and `render`
    fulltext = state.screened.fulltext if state.screened is not None else None
    fulltext_problems = list(fulltext.problems) if fulltext is not None else []
    _report(ctx, fulltext_problems)
    from litreview.corpus.madeon import changed_records

    # decisions that now stand on another work than they were made on: counted as they are,
    # said at their lines, and a finding (exit 1) until a person moves or confirms each
    from litreview.model import LazyMapping

    # the dedupe log's aliases read only when a decision keeps a title to compare (~0.5 s at 100k
    # records after a dedupe; none of a review with no decision yet)
    changed = changed_records(
        state.project,
        Review.of(state.project).corpus(),
        LazyMapping(lambda: Review.of(state.project).aliases),
        state.decisions,
    )
    _report(ctx, changed)
    if explain is not None:
        asked = explain
        rec = result.by_key().get(explain)
        if rec is None:
            # a key a dedupe merge absorbed, as a decision file may name it: its survivor
            from litreview.corpus.mergemap import MergeMap

            survivor = MergeMap(Review.of(state.project).aliases).survivor(
                explain, frozenset(state.corpus.keys)
            )
            rec = result.by_key().get(survivor) if survivor is not None else None
            if rec is None:
                raise _unknown_key(explain, state)
            assert survivor is not None
            info(ctx, f"{explain} was merged into {survivor} by dedupe: explaining {survivor}")
            explain = survivor
        fixes = _corrections_of(state.project, explain, state.corpus.keys)
        if as_json:
            merged = {"merged_from": asked} if asked != explain else {}
            emit_json(
                {
                    "version": 1,
                    **rec.as_dict(),
                    **merged,
                    "corrections": [c.as_dict() for c in fixes],
                }
            )
        else:
            _print_explain(rec, state.protocol, [d for d in state.decisions if d.key == explain])
            for c in fixes:
                by = ", ".join(x for x in (c.reviewer, c.date) if x)
                echo(
                    f"  corrected{f' ({by})' if by else ''}: "
                    + "; ".join(f"{name} = {value!r}" for name, value in c.values)
                    + f" — {c.why}"
                )
        return
    if as_json:
        emit_json(result.as_dict())
    else:
        from litreview.files.derived import conflict_counts

        _print_counts(
            result.counts(),
            state.protocol,
            conflict_counts(state.project, state.corpus, state.decisions, state.protocol),
        )
    # records waiting for a person are findings: CI and scripts see them in the exit code
    waiting = result.with_outcome(Outcome.NEEDS_PERSON)
    wrong = any(p.is_error for p in fulltext_problems)
    ctx.exit(FINDINGS if waiting or changed or wrong else OK)


def _counts_only(ctx: click.Context) -> None:
    """Plain ``screen``: what it says and prints, from the screening's summary
    (:func:`~litreview.files.derived.screened_summary`), the same as from the whole result; the
    decisions themselves are read only if a cached answer keyed by their files is missing."""
    from litreview.corpus.madeon import changed_records
    from litreview.files.derived import conflict_counts, screened_summary
    from litreview.model import LazyMapping

    project = get_project(ctx)
    protocol = Review.of(project).protocol
    corpus = corrected(project, Review.of(project).sound_corpus())
    summary, decisions = screened_summary(project, corpus, protocol, progress=progress_for(ctx))
    read = summary.fulltext_problems or ()
    _stop(summary.problems, read, summary.log_problems)
    _said(ctx, summary.problems, summary.aliased)
    _report(ctx, summary.result_problems)
    _report(ctx, read)
    changed = changed_records(
        project,
        Review.of(project).corpus(),
        LazyMapping(lambda: Review.of(project).aliases),
        decisions,
    )
    _report(ctx, changed)
    _print_counts(summary.counts, protocol, conflict_counts(project, corpus, decisions, protocol))
    wrong = any(p.is_error for p in read)
    ctx.exit(FINDINGS if summary.waiting or changed or wrong else OK)


def _print_counts(
    c: Mapping[str, Any], protocol: Protocol, open_: ConflictCounts | None = None
) -> None:
    o = c["outcomes"]
    echo(
        f"screened {c['records']} records: included {o['included']}, excluded {o['excluded']}, "
        f"needs a person {o['needs-person']}"
    )
    for stage in protocol.stages:
        ex = c["excluded"].get(stage.id, {})
        reasons = ", ".join(
            f"{code} {n}" for code, n in sorted(ex.items(), key=lambda kv: _order(protocol, kv[0]))
        )
        echo(
            f"  {stage.id}: reached {c['reached'].get(stage.id, 0)}, excluded {sum(ex.values())}"
            + (f" ({reasons})" if reasons else "")
            + f", needs a person {c['needs_person'].get(stage.id, 0)}"
        )
    if c["decided_by_people"]:
        echo(
            f"  people decided {c['decided_by_people']} records; {c['overrides']} overrode the rules"
        )
    if open_ is not None and open_.unsettled:
        echo(f"  unsettled: {open_.describe()} (litreview screen conflicts)")


def _order(protocol: Protocol, code: str) -> tuple[int, str]:
    codes = list(protocol.reasons)
    return (codes.index(code) if code in codes else len(codes), code)


_MARK = {"met": "met    ", "not-met": "NOT MET", "unclear": "unclear"}


def _check_stage(protocol: Protocol, stage: str | None) -> None:
    """The usage error for a ``--stage`` the protocol does not have, with a did-you-mean."""
    if stage is None or stage in protocol.stage_ids:
        return
    from litreview.files.yamlio import suggest

    raise InputError.at(
        Location("--stage"),
        f"unknown stage {stage!r}; the protocol's stages are {', '.join(protocol.stage_ids)}",
        code="unknown-stage",
        hint=suggest(stage, protocol.stage_ids) or "review.yaml lists them under stages:",
    )


def _print_explain(
    rec: RecordScreening, protocol: Protocol, decisions: Sequence[Decision] = ()
) -> None:
    head = f"{rec.key}: {rec.outcome}"
    if rec.outcome == Outcome.EXCLUDED:
        head += f" at {rec.stage} ({rec.reason}: {protocol.reason_label(rec.reason or '')})"
    elif rec.outcome == Outcome.NEEDS_PERSON:
        head += f" at {rec.stage}"
    echo(head)
    reached = {s.stage: s for s in rec.stages}
    for stage in protocol.stages:
        sr = reached.get(stage.id)
        if sr is None:
            echo(f"  {stage.id}: not reached")
        else:
            rule = sr.rule_outcome + (f" ({sr.rule_reason})" if sr.rule_reason else "")
            echo(
                f"  {stage.id}: rules say {rule}; outcome {sr.outcome}"
                + (f" ({sr.reason})" if sr.reason and sr.outcome == StageOutcome.EXCLUDE else "")
            )
        for cr in rec.criteria:
            if cr.stage != stage.id:
                continue
            ev = "; ".join(f'{e.field}: "{e.phrase}"' for e in cr.evidence)
            echo(
                f"    {_MARK[cr.status]}  {cr.criterion} [{cr.reason}] {cr.label}: {cr.detail}"
                + (f" — {ev}" if ev else "")
            )
        here = [d for d in decisions if d.stage == stage.id]
        if sr is None:
            # a person's decision at a stage the record has not reached counts for nothing;
            # say so here too, not only in the warnings of `screen` and `status`
            # (who, not what: deciding may be blind)
            for reviewer in sorted({d.reviewer for d in here}):
                echo(
                    f"    {reviewer} decided here, which does not count: the record has not reached"
                    " this stage"
                )
            continue
        if sr.override is not None:
            _print_people(sr.override, stage.id == protocol.stage_ids[-1])
        elif sr.conflict:
            echo("    reviewers disagree; nobody has settled it (litreview screen conflicts)")
            for d in sorted(here, key=lambda d: (d.resolves, d.reviewer)):
                echo(f"      {_vote(d)}")
        elif here:
            # fewer reviewers than the stage needs: say who, not what (deciding is blind)
            who = sorted({d.reviewer for d in here})
            then = (
                "the rules' outcome stands until"
                if sr.outcome != StageOutcome.NEEDS_PERSON
                else "it waits until"
            )
            more = stage.reviewers - len(who)
            echo(
                f"    {len(who)} of the {stage.reviewers} reviewers this stage needs decided "
                f"({', '.join(who)}); {then} "
                + ("another reviewer decides" if more == 1 else f"{more} more reviewers decide")
            )


def _vote(d: Decision) -> str:
    """One reviewer's own decision, as they made it."""
    return (
        f"{d.reviewer}{' (resolution)' if d.resolves else ''}: {d.decision}"
        + (f" ({d.reason})" if d.reason else "")
        + (f", {d.date}" if d.date else "")
        + (f" — {d.note}" if d.note else "")
    )


def _print_people(ov: Override, last: bool) -> None:
    """People's decision at a stage: one reviewer's on one line; several reviewers' each on a
    line of its own, after how they settled it, so nobody is credited with an outcome they
    voted against."""
    verb = "overrode the rules" if ov.contradicts_rules else "decided"
    outcome = f"{ov.decision}" + (f" ({ov.reason})" if ov.reason else "")
    if len(ov.votes) <= 1:
        who = ", ".join(f"{r} {d}".strip() for r, d in zip(ov.reviewers, ov.dates, strict=True))
        echo(
            f"    people {verb}: {outcome} by {who}"
            + (f" — {' / '.join(ov.notes)}" if ov.notes else "")
        )
        return
    votes = [d for d in ov.votes if not d.resolves]
    if ov.settled_by == Settled.RESOLUTION:
        by = ", ".join(d.reviewer for d in ov.votes if d.resolves)
        how = f"settled by {by}'s resolution"
    elif ov.settled_by == Settled.MAJORITY:
        agreed = sum(1 for d in votes if d.counts_as(last) == ov.decision)
        how = f"settled by majority, {agreed} of {len(votes)}"
    elif ov.decision == StageOutcome.EXCLUDE and len({d.reason for d in votes}) > 1:
        how = (
            f"all {len(votes)} exclude, for different reasons: the most given (ties: the first "
            "in review.yaml) counts until a resolution"
        )
    else:
        how = f"all {len(votes)} agree"
    echo(f"    people {verb}: {outcome}; {how}")
    for d in ov.votes:
        echo(f"      {_vote(d)}")


@screen_group.command("decide")
@click.argument("args", nargs=-1, required=True, metavar="KEY... DECISION")
@click.option(
    "--stage",
    default=None,
    help="The stage (default: the first stage the rules alone do not settle).",
)
@click.option(
    "--reason", default=None, help="Exclusion reason code from review.yaml (required to exclude)."
)
@click.option(
    "--reviewer",
    required=True,
    help="Your reviewer id, e.g. R1 (names your file corpus/screening/ID.yaml).",
)
@click.option("--note", default="", help="Free text kept with the decision.")
@click.option("--date", default=None, help="YYYY-MM-DD (default: today).")
@json_option
@click.pass_context
@handle_errors
def decide_cmd(
    ctx: click.Context,
    args: tuple[str, ...],
    stage: str | None,
    reason: str | None,
    reviewer: str,
    note: str,
    date: str | None,
    as_json: bool,
) -> None:
    """Record your decision (include, exclude or maybe) on one or more records.

    Written to your own file, corpus/screening/ID.yaml, in one atomic write under the corpus
    lock after every key is validated (one bad key: nothing is written). Deciding again on the
    same record and stage replaces your earlier decision. "maybe" passes a record on to the next
    stage; at the last stage it waits for `litreview screen resolve`.

    \b
    Example:
      litreview screen decide Klopper2010 exclude --reason not-uk --reviewer R1
      litreview screen decide Harvey2014 include --stage full-text --reviewer R2 --note "core study"
      litreview screen decide Ames2004 Bell2011 Cole2015 exclude --reason not-uk --reviewer R1
    """
    from litreview.screen.engine import DECISION_VALUES

    if len(args) < 2 or args[-1] not in DECISION_VALUES:
        raise click.UsageError(
            f"give one or more keys, then the decision ({', '.join(DECISION_VALUES)})"
            + (f"; got {args[-1]!r}" if args else "")
        )
    keys = list(dict.fromkeys(args[:-1]))
    _decide(ctx, keys, args[-1], stage, reason, reviewer, note, date, as_json, resolves=False)


def _decide(
    ctx: click.Context,
    keys: list[str],
    decision: str,
    stage: str | None,
    reason: str | None,
    reviewer: str,
    note: str,
    date: str | None,
    as_json: bool,
    resolves: bool,
) -> None:
    """Validate and write one reviewer's decision on ``keys``: the corpus's keys (from its cache),
    the protocol and the reviewer's files are read; the corpus is screened only for keys that
    need the default stage, and only those records."""
    from litreview.screen.decisions import today
    from litreview.screen.engine import Decision
    from litreview.screen.reviewers import (
        check_decisions,
        check_reviewer,
        write_decisions,
    )

    check_reviewer(reviewer)
    state = _light_load(ctx)
    known = state.known
    aliases = _checked_keys(state, keys)
    stages = (
        {k: stage for k in keys} if stage is not None else _default_stages(state, keys, aliases)
    )
    made = [
        Decision(
            key=k,
            stage=stages[k],
            decision=decision,
            reviewer=reviewer,
            date=date or today(),
            reason=reason,
            note=note,
            resolves=resolves,
        )
        for k in keys
    ]
    ok, problems = check_decisions(made, known, state.protocol, aliases)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ConfigError(errors)
    written = write_decisions(state.project, reviewer, state.protocol, known, ok, aliases=aliases)
    report(problems)
    if written.migrated:
        info(
            ctx,
            f"moved {written.migrated} of {reviewer}'s decisions from "
            f"{state.project.rel(state.project.screening)} to {written.path}",
        )
    replaced = {(d.key, d.stage) for d in written.replaced}
    if as_json:
        if len(keys) == 1 and not resolves:
            d = written.made[0]
            old = next(iter(written.replaced), None)
            emit_json(
                {
                    "version": 1,
                    "decision": d.as_dict(),
                    "replaced": old.as_dict() if old else None,
                    "path": written.path,
                }
            )
        else:
            emit_json(
                {
                    "version": 1,
                    "decisions": [d.as_dict() for d in written.made],
                    "replaced": [d.as_dict() for d in written.replaced],
                    "path": written.path,
                }
            )
        return
    verb = "resolves" if resolves else ""
    for d in written.made:
        echo(
            f"{d.reviewer}: "
            # the key as written, which the file keeps, and the record it applies to
            + (f"{d.alias} (merged into {d.key})" if d.alias else d.key)
            + f" {d.decision} at {d.stage}"
            + (f" ({d.reason})" if d.reason else "")
            + (f" ({verb} the conflict)" if verb else "")
            + (" (replaces an earlier decision)" if (d.key, d.stage) in replaced else "")
            + f" → {written.path}"
        )


@dataclass
class _Light:
    """What writing a decision needs: no screening, no records unless a default stage is asked for."""

    project: Project
    protocol: Protocol
    corpus: Corpus

    @property
    def known(self) -> frozenset[str]:
        return frozenset(self.corpus.keys)


def _light_load(ctx: click.Context) -> _Light:

    project = get_project(ctx)
    protocol = Review.of(project).protocol
    corpus = Review.of(project).sound_corpus()
    return _Light(project, protocol, corpus)


def _default_stages(state: _Light, keys: list[str], aliases: Mapping[str, str]) -> dict[str, str]:
    """The first stage the rules alone do not settle, per key: the same for every reviewer,
    whatever the others have decided, so that dual screening puts both decisions at one stage.
    Only these records are screened, by rules alone."""
    from litreview.files.derived import known_rule_verdicts
    from litreview.screen.decisions import resolve_alias
    from litreview.screen.engine import apply_decisions, screen_records

    known = state.known
    wanted = {k: (k if k in known else resolve_alias(k, known, aliases) or k) for k in keys}
    targets = set(wanted.values())
    ruled = known_rule_verdicts(state.project, state.corpus, state.protocol)
    if ruled is not None:  # cached by the last screening: no record need be read
        at = {k: i for i, k in enumerate(state.corpus.keys) if k in targets}
        picked = sorted(at)
        by_rules = {
            r.key: r
            for r in apply_decisions(
                picked, [ruled.results[at[k]] for k in picked], state.protocol
            ).records
        }
    else:
        by_rules = {
            r.key: r
            for r in screen_records(
                [r for r in state.corpus.records if r.key in targets], state.protocol
            ).records
        }
    first = state.protocol.stage_ids[0]
    out = {}
    for k, target in wanted.items():
        rec = by_rules.get(target)
        out[k] = (
            first
            if rec is None
            else next((s.stage for s in rec.stages if s.outcome != StageOutcome.INCLUDE), first)
        )
    return out


def _checked_keys(state: Any, keys: Iterable[str]) -> Any:
    """The review's aliases, once every key is known to the corpus or to them (else an input
    error naming the unknown keys, with a did-you-mean)."""
    from litreview.screen.reviewers import lazy_aliases

    aliases = lazy_aliases(state.project)
    unknown = [k for k in keys if k not in state.known and k not in aliases]
    if unknown:
        raise _unknown_keys(unknown, state.known)
    return aliases


def _unknown_keys(keys: list[str], known: frozenset[str]) -> ConfigError:
    from litreview.files.yamlio import suggest
    from litreview.model import Problem, Severity

    small = len(known) < 50000
    return ConfigError(
        [
            Problem(
                Location("command line", None, k),
                f"no record {k!r} in the corpus",
                Severity.ERROR,
                "unknown-record",
                suggest(k, tuple(known)) if small else None,
                k,
            )
            for k in keys
        ]
    )


@screen_group.command("resolve")
@click.argument("key")
@click.argument("decision", type=click.Choice([Choice.INCLUDE.value, Choice.EXCLUDE.value]))
@click.option(
    "--stage",
    default=None,
    help="The stage of the conflict (default: the record's one open conflict).",
)
@click.option(
    "--reason", default=None, help="Exclusion reason code from review.yaml (required to exclude)."
)
@click.option("--reviewer", required=True, help="Who resolves, e.g. R3.")
@click.option("--note", default="", help="Why (kept with the resolution).")
@click.option("--date", default=None, help="YYYY-MM-DD (default: today).")
@json_option
@click.pass_context
@handle_errors
def resolve_cmd(
    ctx: click.Context,
    key: str,
    decision: str,
    stage: str | None,
    reason: str | None,
    reviewer: str,
    note: str,
    date: str | None,
    as_json: bool,
) -> None:
    """Settle a conflict: your resolution wins over the reviewers' votes at that stage.

    Stored in your own decisions file as a decision marked `resolves: true`; the reviewers'
    votes stay (they count for agreement). Undo it with `screen undo KEY --reviewer ID`.

    \b
    Example:
      litreview screen resolve Harvey2014 include --stage title-abstract --reviewer R3
    """
    if stage is None:
        from litreview.screen.agreement import find_conflicts

        state = _load(ctx)
        # a key a dedupe merge absorbed (as a decision file may name it): its survivor's conflict
        record = (
            Review.of(state.project).merge_map.resolve(key, frozenset(state.corpus.keys)) or key
        )
        open_ = [
            c
            for c in find_conflicts(state.decisions, state.protocol)
            if c.key == record and not c.resolved
        ]
        if len(open_) != 1:
            raise InputError.at(
                Location("--stage"),
                f"{key} has {len(open_) or 'no'} open conflicts; say which stage",
                code="stage-needed",
                hint="litreview screen conflicts lists them",
            )
        stage = open_[0].stage
    _decide(ctx, [key], decision, stage, reason, reviewer, note, date, as_json, resolves=True)


@screen_group.command("undo")
@click.argument("keys", nargs=-1, required=True)
@click.option("--reviewer", required=True, help="Whose decisions to remove.")
@click.option("--stage", default=None, help="Only at this stage (default: every stage).")
@json_option
@click.pass_context
@handle_errors
def undo_cmd(
    ctx: click.Context, keys: tuple[str, ...], reviewer: str, stage: str | None, as_json: bool
) -> None:
    """Remove a reviewer's decisions (and resolutions) on records, as if never made.

    \b
    Example:
      litreview screen undo Harvey2014 --reviewer R1
      litreview screen undo Harvey2014 --reviewer R1 --stage full-text
    """
    from litreview.screen.reviewers import check_reviewer, write_decisions

    check_reviewer(reviewer)
    state = _light_load(ctx)
    # a mistyped key is not "no decision": name it, with a did-you-mean, as decide does
    aliases = _checked_keys(state, keys)
    # a mistyped stage is not "no decision at it": name it, with a did-you-mean, as decide does
    _check_stage(state.protocol, stage)
    wanted = set(keys)

    def remove(d: Decision) -> bool:
        return (d.key in wanted or (d.alias or "") in wanted) and (
            stage is None or d.stage == stage
        )

    written = write_decisions(
        state.project, reviewer, state.protocol, state.known, remove=remove, aliases=aliases
    )
    if not written.removed:
        raise InputError.at(
            Location("command line", None, keys[0]),
            f"{reviewer} has no decision on {', '.join(keys)}" + (f" at {stage}" if stage else ""),
            code="nothing-to-undo",
            hint="litreview screen --explain KEY shows who decided",
        )
    if as_json:
        emit_json(
            {"version": 1, "removed": [d.as_dict() for d in written.removed], "path": written.path}
        )
        return
    for d in written.removed:
        echo(
            f"{reviewer}: removed "
            + (f"{d.alias} (merged into {d.key})" if d.alias else d.key)
            + f" {d.decision} at {d.stage}"
            + (" (a resolution)" if d.resolves else "")
            + f" from {written.path}"
        )


@screen_group.command("import-decisions")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--reviewer",
    required=True,
    help="The reviewer id whose decisions file receives them (corpus/screening/ID.yaml), e.g. R1.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DECISION_FORMATS),
    default="auto",
    show_default=True,
    help="The export's format (auto: from its columns).",
)
@click.option("--stage", default=None, help="The stage decided (default: the protocol's first).")
@click.option(
    "--reason",
    default=None,
    help="Reason code for exclusions that carry none (ASReview's never do).",
)
@click.option(
    "--decision",
    type=click.Choice([c.value for c in Choice]),
    default=None,
    help="The decision of rows that carry none (a Covidence export is one list: say which).",
)
@click.option(
    "--rayyan-name",
    default=None,
    metavar="NAME",
    help="Whose votes to take from a Rayyan export, as Rayyan writes the name (case and spacing "
    "ignored; default: the --reviewer id, or the export's only name).",
)
@click.option(
    "--date",
    default=None,
    help="YYYY-MM-DD for every decision (default: the day an ASReview export says each was "
    "made, else today).",
)
@json_option
@click.pass_context
@handle_errors
def import_decisions_cmd(
    ctx: click.Context,
    file: Path,
    reviewer: str,
    fmt: str,
    stage: str | None,
    reason: str | None,
    decision: str | None,
    rayyan_name: str | None,
    date: str | None,
    as_json: bool,
) -> None:
    """Import screening decisions from ASReview, Rayyan, Covidence or a plain CSV.

    Rows are matched to records by citation key, else the `id` a record was imported with, else
    DOI, else normalised title. Every problem is listed together with its line (a problem that
    recurs on many rows once, with their lines) and nothing is written (exit 2: input error);
    otherwise every decision is written in one atomic change (exit 0). An export's rows without
    a decision (unscreened) are skipped and counted; in a plain CSV such a row is an error.

    Rayyan's notes hold every reviewer's votes: --rayyan-name says whose to take, --reviewer
    whose decisions file receives them.

    \b
    Example:
      litreview screen import-decisions asreview-export.csv --reviewer R1 --reason off-topic
      litreview screen import-decisions articles.csv --reviewer R2 --rayyan-name "Alice Smith"
    """
    from litreview.model import Problem
    from litreview.screen.decision_import import collapse_repeats, read_decisions
    from litreview.screen.decisions import today
    from litreview.screen.engine import Decision
    from litreview.screen.reviewers import (
        check_decisions,
        check_reviewer,
        lazy_aliases,
        write_decisions,
    )

    if " " in reviewer.strip():  # most likely a person's name as Rayyan writes it
        raise InputError.at(
            Location("--reviewer"),
            f"reviewer id {reviewer!r} cannot name a decisions file",
            code="bad-reviewer",
            hint=f"--reviewer is the id of your decisions file, e.g. R1; take a Rayyan "
            f'reviewer\'s votes with --rayyan-name "{reviewer.strip()}"',
        )
    check_reviewer(reviewer)
    state = _light_load(ctx)
    protocol = state.protocol
    _check_stage(protocol, stage)
    shown = file.as_posix()
    aliases = lazy_aliases(state.project)
    rows = read_decisions(
        file,
        shown,
        fmt,
        reviewer,
        state.corpus,
        protocol.reasons,
        aliases,
        decision,
        rayyan_name,
    )
    errors = list(rows.errors)
    bare = [r for r in rows.matched if r.decision == Choice.EXCLUDE and not r.reason]
    if bare and reason is None:
        # said once for all of them, beside every other problem of the file
        errors.append(
            Problem(
                Location("--reason"),
                f"{counted(len(bare), 'exclusion')} in {shown} "
                f"{'gives' if len(bare) == 1 else 'give'} no reason code (first at line {bare[0].line})",
                code="missing-reason",
                hint=f"give one for them with --reason: {', '.join(protocol.reasons)}",
            )
        )
    # the bare exclusions are reported above as one problem, not again per row
    unsaid = set(bare) if reason is None else set()
    given = [r for r in rows.matched if r not in unsaid]
    made = [
        Decision(
            key=r.key,
            stage=stage or protocol.stage_ids[0],
            decision=r.decision,
            reviewer=reviewer,
            date=date or r.date or today(),
            reason=(r.reason or reason) if r.decision == Choice.EXCLUDE else None,
            note=r.note,
        )
        for r in given
    ]
    ok, problems = check_decisions(
        made,
        state.known,
        protocol,
        aliases,
        where=lambda i: Location(shown, given[i].line, given[i].key),
    )
    errors += [p for p in problems if p.is_error]
    warnings = rows.warnings + [p for p in problems if not p.is_error]
    if errors:
        report(collapse_repeats(warnings) + collapse_repeats(errors))
        n = len(errors)
        echo(f"{counted(n, 'problem')} in {shown}; nothing was written", err=True)
        ctx.exit(USAGE)
    written = write_decisions(state.project, reviewer, protocol, state.known, ok, aliases=aliases)
    report(collapse_repeats(warnings))
    if as_json:
        emit_json(
            {
                "version": 1,
                "format": rows.format,
                "imported": len(written.made),
                "replaced": len(written.replaced),
                "skipped": rows.skipped,
                "path": written.path,
            }
        )
        return
    skipped = f"; {rows.skipped} rows without a decision skipped" if rows.skipped else ""
    if not written.made:
        # nothing was written: naming the reviewer's file as its destination would say otherwise
        echo(f"imported 0 decisions ({rows.format}): {shown} holds none; nothing written{skipped}")
        return
    echo(
        f"imported {len(written.made)} decisions ({rows.format}) → {written.path}"
        + (f"; {len(written.replaced)} replaced earlier ones" if written.replaced else "")
        + skipped
    )


@screen_group.command("conflicts")
@json_option
@click.pass_context
@handle_errors
def conflicts_cmd(ctx: click.Context, as_json: bool) -> None:
    """List records where reviewers disagree (exit 1 when any disagreement is unsettled).

    Read across every reviewer's file. A resolution (`litreview screen resolve`) settles one;
    so does a third reviewer's decision, by majority. A "maybe" at the last stage is listed too.
    Unsettled ones are counted as conflicts (include v exclude: the record waits) and
    reason-only disagreements (all exclude, for different reasons), as `litreview status` does.

    \b
    Example:
      litreview screen conflicts
      litreview screen conflicts --json
    """
    from litreview.screen.agreement import count_conflicts, find_conflicts

    state = _load(ctx)
    found = find_conflicts(state.decisions, state.protocol)
    counts = count_conflicts(found)
    if as_json:
        emit_json(
            {
                "version": 1,
                "conflicts": [c.as_dict() for c in found],
                "unresolved": counts.unsettled,
                "unsettled": counts.as_dict(),
            }
        )
    else:
        for c in found:
            votes = ", ".join(
                f"{d.reviewer} {d.decision}" + (f" ({d.reason})" if d.reason else "")
                for d in c.decisions
            )
            state_ = (
                ("resolved" if any(d.resolves for d in c.decisions) else "settled by majority")
                if c.resolved
                else "unsettled"
            )
            echo(f"{c.key} at {c.stage}: {votes} [{c.kind}, {state_}]")
        echo(
            f"{len(found)} disagreements, {counts.unsettled} unsettled"
            + (
                f": {counts.describe()} (a reason-only one does not hold the record up; "
                "the most given reason counts until a resolution)"
                if counts.reason_only
                else ""
            )
        )
    ctx.exit(FINDINGS if counts.unsettled else OK)


@screen_group.command("agreement")
@json_option
@click.pass_context
@handle_errors
def agreement_cmd(ctx: click.Context, as_json: bool) -> None:
    """Agreement per stage and pair of reviewers: records both decided, %, Cohen's kappa and PABAK.

    PABAK (prevalence- and bias-adjusted kappa) stays meaningful when nearly everything is
    excluded, where kappa can be low despite high agreement. Resolutions are not counted.

    \b
    Example:
      litreview screen agreement
      litreview screen agreement --json
    """
    from litreview.screen.agreement import agreement

    state = _load(ctx)
    rows = agreement(state.decisions, state.protocol)
    if as_json:
        emit_json({"version": 1, "agreement": [a.as_dict() for a in rows]})
        return
    if not rows:
        echo("no record has decisions from two reviewers at the same stage")
        return
    from rich.table import Table

    from litreview.cli._common import stdout_console

    table = Table("stage", "reviewers", "both decided", "agreement", "kappa", "PABAK", box=None)
    for a in rows:
        kappa = "undefined" if a.kappa is None else f"{a.kappa:.3f}"
        pabak = "-" if a.pabak is None else f"{a.pabak:.3f}"
        pct = "-" if a.percent is None else f"{a.percent:.1f}%"
        table.add_row(
            a.stage, f"{a.reviewers[0]} v {a.reviewers[1]}", str(a.records), pct, kappa, pabak
        )
    stdout_console().print(table)


@screen_group.command("prisma")
@click.option(
    "--duplicates",
    type=click.IntRange(min=0),
    default=None,
    help="Records removed as duplicates (default: counted from the records' provenance).",
)
@json_option
@click.pass_context
@handle_errors
def prisma_cmd(ctx: click.Context, duplicates: int | None, as_json: bool) -> None:
    """PRISMA 2020 flow counts: identified per source, duplicates, screened, excluded, included.

    Records the rules excluded unseen by a person are "marked ineligible by automation tools",
    before screening: records screened are those after duplicates less those, the same number
    as in --json, `status`, `run` and build/prisma.json. Then each stage: "reached" counts every
    record that got there, the rules' exclusions included, and says what the rules did alone.

    \b
    Example:
      litreview screen prisma
      litreview screen prisma --json
    """
    from litreview.report.prisma import prisma_counts

    state = _load(ctx, screen=True)
    result = _screen(state)
    if duplicates is None and state.screened is not None:
        counts = state.screened.prisma
    else:
        counts = prisma_counts(state.records, result, state.protocol, duplicates)
    if as_json:
        emit_json(counts.as_dict())
        return
    data = counts.as_dict()

    def reasons(items: list[dict[str, Any]]) -> str:
        return ", ".join(f"{e['reason']} {e['records']}" for e in items)

    def listed(items: list[dict[str, Any]]) -> str:
        return f" ({reasons(items)})" if items else ""

    echo(
        f"identified {data['identified_total']}: "
        + ", ".join(f"{s['source']} {s['records']}" for s in data["identified"])
    )
    # the flow's boxes, the numbers of prisma.json and the diagram (PrismaCounts.flow): records
    # the rules excluded unseen by a person were marked ineligible by automation tools, before
    # screening (PRISMA 2020's identification box), so they are not among the records screened
    auto = data["automation_ineligible_total"]
    echo(
        f"duplicates removed {data['duplicates_removed']}; "
        + (
            f"marked ineligible by automation tools {auto}{listed(data['automation_ineligible'])}; "
            if auto
            else ""
        )
        + f"records screened {data['screened']}"
        + (
            f" (of which {data['passed_by_rules']} passed on by the rules, unseen by a person)"
            if data["passed_by_rules"]
            else ""
        )
    )
    echo(
        f"records excluded {data['excluded_title_abstract_total']}"
        + listed(data["excluded_title_abstract"])
    )
    if len(data["stages"]) > 1:
        sought = (
            f"reports sought {data['reports_sought']}, not retrieved {data['reports_not_retrieved']}; "
            if "reports_sought" in data
            else ""
        )
        echo(
            f"{sought}reports assessed {data['assessed_full_text']}, excluded "
            f"{data['excluded_full_text_total']}"
            + listed(data["excluded_full_text"])
            + (
                f" (of which {data['excluded_full_text_by_rules']} by the rules, unseen by a person)"
                if data["excluded_full_text_by_rules"]
                else ""
            )
        )
    echo(f"included {data['included']}; needs a person {data['needs_person']}")
    # each stage counts every record that got there, those the rules excluded unseen included:
    # "reached" is not "screened", and the two lines under a stage say how they reconcile
    echo("by stage (every record that reached it):")
    for s in data["stages"]:
        echo(
            f"  {s['stage']}: reached {s['reached']}, excluded {s['excluded_total']}"
            + listed(s["excluded"])
            + f", needs a person {s['needs_person']}, passed {s['passed']}"
        )
        if s["excluded_by_rules_total"] or s["passed_by_rules"]:
            echo(
                f"    by the rules alone, unseen by a person: excluded {s['excluded_by_rules_total']}, "
                f"passed {s['passed_by_rules']}"
            )
    if not counts.balanced:
        info(
            ctx,
            "note: the counts do not balance (records without provenance, or --duplicates differs)",
        )


@screen_group.command("audit")
@click.option(
    "--sample",
    "size",
    type=click.IntRange(min=1),
    default=None,
    help="Draw this many more rule exclusions for a person to check.",
)
@click.option(
    "--stage", default=None, help="The stage whose rule exclusions to draw (default: the first)."
)
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed of the draw (default: the number of draws so far + 1).",
)
@json_option
@click.pass_context
@handle_errors
def audit_cmd(
    ctx: click.Context, size: int | None, stage: str | None, seed: int | None, as_json: bool
) -> None:
    """Estimate how many studies the rules' exclusions lose, from a random sample a person checks.

    With --sample N, draws N records the rules excluded (never one drawn before) into
    corpus/rule-audit.yaml; decide each with `litreview screen decide KEY include|exclude --stage
    STAGE`. Without it, reports per stage: rule exclusions, records checked, those a person kept,
    the estimated studies lost among the rest and the rules' recall, with 95% exact intervals.
    A drawn record counts as checked once its decision is settled; those still waiting are
    listed by what they wait for: a first decision, another reviewer (a stage with
    `reviewers: 2`) or a resolution. Exits 1 while drawn records wait for a person.

    \b
    Example:
      litreview screen audit --sample 30 --stage title-abstract
      litreview screen audit
      litreview screen audit --json
    """
    from litreview.screen.audit import add_draw, estimates, load_audits, unknown_keys

    state = _load(ctx, screen=True)
    result = _screen(state)
    project = state.project
    shown = project.rel(project.rule_audit)
    drawn = None
    if size is not None:
        target = stage or (state.protocol.stage_ids[0] if state.protocol.stage_ids else "")
        if seed is None:
            before, _ = load_audits(project.rule_audit, shown, state.protocol)
            seed = len(before) + 1
        drawn = add_draw(project.rule_audit, shown, state.protocol, result, target, size, seed)
        if not drawn.keys:
            info(
                ctx,
                f"nothing to draw: the rules exclude no record at {target}"
                if not drawn.population
                else f"nothing to draw: every record the rules exclude at {target} has been "
                "drawn already",
            )
    else:
        _check_stage(state.protocol, stage)
    draws, problems = load_audits(project.rule_audit, shown, state.protocol)
    problems += unknown_keys(draws, state.corpus.keys, {}, shown)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ConfigError(errors)
    report(problems)
    found = [
        e
        for e in estimates(result, state.protocol, draws, state.decisions)
        if stage is None or e.stage == stage
    ]
    waiting = sum(len(e.waiting) for e in found)
    if as_json:
        emit_json(
            {
                "version": 1,
                "drawn": drawn.as_dict() if drawn else None,
                "file": shown,
                "stages": [e.as_dict() for e in found],
            }
        )
    else:
        if drawn is not None and drawn.keys:
            echo(
                f"drew {len(drawn.keys)} of the {drawn.population} records the rules exclude at {drawn.stage} "
                f"(seed {drawn.seed}) into {shown}:"
            )
            for key in drawn.keys:
                echo(f"  {key}")
        for e in found:
            echo(_audit_line(e))
            for line in _audit_waiting(e):
                echo(f"  {line}")
        if not found:
            where = f" at {stage}" if stage is not None else ""
            echo(f"the rules exclude nothing{where}: there is nothing to audit")
    ctx.exit(FINDINGS if waiting else OK)


def _audit_line(e: Any) -> str:
    head = f"{e.stage}: the rules exclude {e.excluded_by_rules}"
    if not e.drawn:
        return (
            head
            + f"; none audited (litreview screen audit --sample {min(30, e.excluded_by_rules)})"
        )
    out = head + f"; drawn {e.drawn}, checked {e.checked}, kept by a person {len(e.kept)}"
    if e.lost is not None and e.recall is not None:
        lost, recall = e.lost, e.recall
        out += (
            f"; studies lost among the unchecked: about {lost[0]:.1f} (95% CI {lost[1]:.1f}–{lost[2]:.1f}); "
            f"rules' recall {recall[0]:.2f} (95% CI {recall[1]:.2f}–{recall[2]:.2f})"
        )
    if e.stale:
        out += f"; {len(e.stale)} drawn records are no longer excluded by the rules (not counted)"
    return out


def _audit_waiting(e: Any) -> list[str]:
    """What each drawn record still waits for, with the command that does it: a first decision,
    another reviewer's (the stage needs more than one; a record counts as checked once settled),
    or a resolution."""
    out = []
    decide = f"litreview screen decide KEY include|exclude --stage {e.stage}"
    if e.undecided:
        n = len(e.undecided)
        out.append(
            f"{counted(n, 'drawn record')} wait{'' if n != 1 else 's'} for a person: "
            f"{decide} --reviewer YOUR-ID   (first: {e.undecided[0]})"
        )
    if e.short:
        n = len(e.short)
        who = ", ".join(f"{k} ({' and '.join(r)} decided)" for k, r in e.short)
        out.append(
            f"{counted(n, 'drawn record')} wait{'' if n != 1 else 's'} for "
            + ("another reviewer" if e.reviewers_needed == 2 else "more reviewers")
            + f" ({e.stage} needs {e.reviewers_needed}; a record counts as checked once they "
            f"have decided): {who}; {decide} --reviewer ANOTHER-ID"
        )
    if e.in_conflict:
        n = len(e.in_conflict)
        out.append(
            f"{counted(n, 'drawn record')} in conflict: {', '.join(e.in_conflict)}; "
            f"litreview screen resolve KEY include|exclude --stage {e.stage} --reviewer YOUR-ID"
        )
    return out


@screen_group.command("next")
@click.option(
    "--reviewer", required=True, help="Your reviewer id; records you already decided are skipped."
)
@click.option("--stage", default=None, help="Only records waiting at this stage.")
@click.option(
    "--resolve",
    "resolving",
    is_flag=True,
    help="Offer conflicts instead, with every reviewer's decision and note, for you to resolve.",
)
@click.pass_context
@handle_errors
def next_cmd(ctx: click.Context, reviewer: str, stage: str | None, resolving: bool) -> None:
    """Show the next record that needs your decision, terms highlighted, and take it.

    Blind: a record that needs two reviewers (the stage's `reviewers: 2`) is offered to each
    until both decided, and nobody's decision or note is shown until it is settled. With
    --resolve, records whose reviewers disagree are offered with their decisions, and yours
    resolves them. Keys: i include, e exclude (then the reason's number), m maybe, s skip,
    q quit. Without a terminal it shows the record and stops, so scripts never hang.

    \b
    Example:
      litreview screen next --reviewer R1
      litreview screen next --reviewer R3 --resolve
    """
    from litreview.screen.criteria import term_matchers
    from litreview.screen.decisions import today
    from litreview.screen.engine import Decision
    from litreview.screen.reviewers import check_decisions, check_reviewer, write_decisions

    check_reviewer(reviewer)
    state = _load(ctx, screen=True)  # through the cache: unchanged files cost no screening
    _check_stage(state.protocol, stage)
    matchers = term_matchers(state.protocol)
    by_key = RecordsByKey(state.corpus)
    skipped: set[str] = set()
    interactive = _interactive()
    queue = RankedQueue(state.protocol, state.project, state.corpus)
    while True:
        result = _screen(state)
        todo = waiting_for(result, state.decisions, reviewer, stage, resolving, skipped)
        if not todo:
            echo("no conflict left to resolve" if resolving else "nothing left that needs you")
            return
        if not resolving:
            # blind: the model learns from this reviewer's decisions and settled records only,
            # so another reviewer's call on an open record cannot reorder this one's queue
            open_keys = {
                r.key
                for r in result.records
                if r.outcome == Outcome.NEEDS_PERSON and r.stage == queue.stage
            }
            seen = tuple(
                d for d in state.decisions if d.reviewer == reviewer or d.key not in open_keys
            )
            todo, note = queue.order(todo, result, seen, by_key)
        else:
            note = []
        rec = todo[0]
        shown = (
            [d for d in state.decisions if d.key == rec.key and d.stage == rec.stage]
            if resolving
            else []
        )
        _show_panel(
            by_key[rec.key],
            rec,
            state.protocol,
            matchers,
            waiting_label(todo, resolving, state.protocol.stage_ids),
            shown,
            note,
        )
        command = "resolve" if resolving else "decide"
        if not interactive:
            echo(
                f"not a terminal: {command} with `litreview screen {command} {rec.key} include|exclude "
                f"--stage {rec.stage} --reviewer {reviewer}`"
            )
            return
        echo(
            "[i]nclude  [e]xclude" + ("" if resolving else "  [m]aybe") + "  [s]kip  [q]uit: ",
            nl=False,
        )
        key = click.getchar().lower()
        echo(key)
        if key == "q":
            return
        if key == "s":
            skipped.add(rec.key)
            continue
        if key not in ("i", "e") and (resolving or key != "m"):
            echo(
                "press i to include, e to exclude, "
                + ("" if resolving else "m for maybe, ")
                + "s to skip or q to quit"
            )
            continue
        reason = None
        if key == "e":
            codes = list(state.protocol.reasons)
            for i, code in enumerate(codes, 1):
                echo(f"  {i}. {code}: {state.protocol.reasons[code]}")
            choice = click.prompt("reason", type=click.IntRange(1, len(codes)))
            reason = codes[choice - 1]
        made = Decision(
            key=rec.key,
            stage=rec.stage,
            decision={"i": Choice.INCLUDE, "e": Choice.EXCLUDE, "m": Choice.MAYBE}[key],
            reviewer=reviewer,
            date=today(),
            reason=reason,
            resolves=resolving,
        )
        ok, problems = check_decisions([made], by_key.keys(), state.protocol)
        if any(p.is_error for p in problems):
            raise ConfigError([p for p in problems if p.is_error])
        write_decisions(state.project, reviewer, state.protocol, by_key.keys(), ok)
        state = _load(ctx, screen=True)


def _interactive() -> bool:
    """Whether ``next`` may wait for keys (a person at a terminal), else it shows one record."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _show_panel(
    record: Record,
    rec: RecordScreening,
    protocol: Protocol,
    matchers: list[Any],
    waiting: str,
    decisions: list[Decision] | None = None,
    note: list[str] | None = None,
) -> None:
    """The record, its terms highlighted, and the rules' verdicts at its stage; people's
    ``decisions`` only when given (resolving a conflict): deciding is blind. ``note``: how the
    queue is ordered and what the model estimates."""
    from rich.panel import Panel
    from rich.text import Text

    from litreview.cli._common import for_terminal, stdout_console
    from litreview.text.termmatch import prepare

    def lit(value: str, style: str = "") -> Text:
        value = for_terminal(value)
        text = Text(value, style=style)
        prepared = prepare(value)
        if len(prepared) == len(value):
            for m in matchers:
                for hit in m.finditer(prepared):
                    text.stylize("bold reverse", hit.start(), hit.end())
        return text

    body = Text()
    body.append_text(lit(record.title or "(no title)", "bold"))
    body.append(
        for_terminal(
            f"\n{record.first_author or 'no author'} · {record.year or 'no year'} · {record.container}\n\n"
        )
    )
    body.append_text(lit(record.abstract or "(no abstract)"))
    if record.keywords:
        body.append("\n\nKeywords: ")
        body.append_text(lit("; ".join(record.keywords)))
    body.append("\n")
    for cr in rec.criteria:
        if cr.stage == rec.stage:
            ev = "; ".join(f"{e.field}: {e.phrase}" for e in cr.evidence)
            body.append(
                for_terminal(
                    f"\n{_MARK[cr.status]} {cr.criterion}: {cr.detail}" + (f" ({ev})" if ev else "")
                ),
                style={"met": "green", "not-met": "red"}.get(cr.status, "yellow"),
            )
    for d in decisions or ():
        body.append(
            for_terminal(
                f"\n{d.reviewer}: {d.decision}"
                + (f" ({d.reason})" if d.reason else "")
                + (f" — {d.note}" if d.note else "")
            ),
            style="bold",
        )
    for line in note or ():
        body.append(for_terminal(f"\n{line}"), style="dim")
    stdout_console().print(Panel(body, title=f"{rec.key} · {rec.stage}", subtitle=waiting))


@screen_group.command("simulate")
@click.option(
    "--labels",
    "labels_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="CSV with columns id (citation key or imported id) and label (1 include, 0 exclude).",
)
@click.option(
    "--no-rules",
    is_flag=True,
    help="Screen every labelled record; the protocol's rules exclude nothing.",
)
@click.option(
    "--prior-included",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Includes known before the first ranking, drawn by --seed.",
)
@click.option(
    "--prior-excluded",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Excludes known before the first ranking, drawn by --seed.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed for drawing the prior records."
)
@click.option(
    "--prior",
    "prior_ids",
    multiple=True,
    metavar="ID",
    help="A record known before the first ranking (id as in the labels file; repeat the "
    "option). Given, nothing is drawn: the replay starts from exactly these records.",
)
@json_option
@click.pass_context
@handle_errors
def simulate_cmd(
    ctx: click.Context,
    labels_path: str,
    no_rules: bool,
    prior_included: int,
    prior_excluded: int,
    seed: int,
    prior_ids: tuple[str, ...],
    as_json: bool,
) -> None:
    """Replay a labelled set through the ranked queue: the order, WSS@95 and the recall curve.

    The protocol's rules exclude first (unless --no-rules): those records are not screened and
    the labelled includes they lose are reported. Then prior records, then the ranking's
    order, retrained as labels are revealed.

    \b
    Example:
      litreview screen simulate --labels labels.csv --json
      litreview screen simulate --labels labels.csv --no-rules --prior-included 2 --seed 3
      litreview screen simulate --labels labels.csv --no-rules --prior 117 --prior 2044
    """
    from pathlib import Path

    from litreview.screen.simulate import prior_keys, read_labels, simulate

    if prior_ids:
        from click.core import ParameterSource

        drawn = [
            f"--{name.replace('_', '-')}"
            for name in ("prior_included", "prior_excluded", "seed")
            if ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE
        ]
        if drawn:
            raise click.UsageError(
                f"--prior names the prior records; {' and '.join(drawn)} would draw them: "
                "give one or the other",
                ctx,
            )
    state = _load(ctx)
    path = Path(labels_path)
    if not path.is_file():
        raise InputError.at(
            Location(labels_path),
            "no such file",
            hint="give the labels CSV (id,label) with --labels",
        )
    labels = read_labels(path, labels_path, state.records)
    data = simulate(
        state.records,
        state.protocol,
        labels,
        rules=not no_rules,
        prior_included=prior_included,
        prior_excluded=prior_excluded,
        seed=seed,
        display=labels_path,
        prior=prior_keys(prior_ids, state.records, "--prior") if prior_ids else None,
    ).as_dict()
    if as_json:
        emit_json(data)
        return
    wss95 = "undefined (no include)" if data["wss95"] is None else f"{data['wss95']:.3f}"
    echo(
        f"replayed {data['records']} records ({data['includes']} includes) from {len(data['prior'])} prior records: "
        f"WSS@95 {wss95}, 95% of includes after {data['screened_for_95']} records, {data['retrainings']} retrainings"
    )
    r = data["rules"]
    if r["applied"]:
        echo(
            f"rules excluded {r['excluded']} labelled records first, losing {r['labelled_includes_lost']} labelled includes"
            + (f": {', '.join(r['lost'])}" if r["lost"] else "")
        )
    if "stopping" in data:
        s = data["stopping"]
        echo(
            f"stopping rule met after {s['stopped_at']} records, recall {s['recall_at_stop']}"
            if s["stopped_at"]
            else "stopping rule never met"
        )
    if data["not_labelled"]:
        echo(f"{data['not_labelled']} records of the corpus had no label and were left out")


@screen_group.command("serve")
@click.option(
    "--reviewer", required=True, help="Your reviewer id (names your file corpus/screening/ID.yaml)."
)
@click.option("--stage", default=None, help="Only records waiting at this stage.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: any free one)."
)
@click.pass_context
@handle_errors
def serve_cmd(ctx: click.Context, reviewer: str, stage: str | None, host: str, port: int) -> None:
    """Screen in the browser: one record at a time, single-key decisions, until Ctrl-C.

    Prints a link with a secret token; only requests that carry it are answered. Keys on the
    page: i include, e exclude (then the reason's number), m maybe, n note, u undo, ? help;
    without JavaScript the page is plain forms. Decisions go into your file exactly as
    `litreview screen decide` writes them.

    \b
    Example:
      litreview screen serve --reviewer R1
    """
    from litreview.cli.serve import Session, make_server, url_of
    from litreview.screen.reviewers import check_reviewer

    check_reviewer(reviewer)
    state = _load(ctx)  # a broken protocol, corpus or decisions file stops here, not in the page
    _check_stage(state.protocol, stage)
    session = Session(state.project, reviewer, stage)
    try:
        server = make_server(session, host, port)
    except OSError as exc:
        raise InputError.at(
            Location("--port"), f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from exc
    echo(f"screening for {reviewer}: open {url_of(server, session)}")
    info(ctx, "Ctrl-C stops the server; every decision is already saved")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
