"""``litreview screen`` and its subcommands: decide, next, conflicts, agreement, prisma."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    echo,
    emit_json,
    get_project,
    handle_errors,
    info,
    json_option,
    progress_for,
    report,
)
from litreview.errors import ConfigError, InputError
from litreview.model import Location

if TYPE_CHECKING:
    from litreview.corpus import Corpus
    from litreview.derived import Screened
    from litreview.model import Record
    from litreview.project import Project
    from litreview.protocol import Protocol
    from litreview.screen import Decision, RecordScreening, ScreeningResult


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
    (:mod:`litreview.derived`): unchanged inputs cost a cache read.
    """
    from litreview.corpus import load_corpus
    from litreview.protocol import load_protocol
    from litreview.screen import load_decisions

    project = get_project(ctx)
    protocol = load_protocol(project.protocol, project.rel(project.protocol))
    corpus = load_corpus(project.records, project.rel(project.records), lazy=True)
    if corpus.rejects:
        raise InputError([p for p in corpus.problems if p.is_error] or [
            _problem(r.location.path, r.location.line, r.reason) for r in corpus.rejects])
    done = None
    if screen:
        from litreview.derived import screened

        done = screened(project, corpus, protocol, progress=progress_for(ctx))
        decisions, problems = done.decisions, list(done.problems)
    else:
        decisions, problems = load_decisions(project.screening, set(corpus.keys), protocol,
                                             project.rel(project.screening))
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ConfigError(errors)
    report(problems)
    for d in decisions:
        if d.alias:
            info(ctx, f"{d.path}:{d.line}: info: {d.reviewer}'s decision on {d.alias} applies to {d.key}, "
                      f"which absorbed it in a dedupe merge")
    return _State(project, protocol, corpus, decisions, done)


def _problem(path: str, line: int | None, message: str) -> Any:
    from litreview.model import Problem

    return Problem(Location(path, line), message)


def _screen(state: _State) -> ScreeningResult:
    if state.screened is not None:
        return state.screened.result
    from litreview.screen import screen_records

    result = screen_records(state.records, state.protocol, state.decisions,
                            progress=progress_for(click.get_current_context()))
    return result


def _unknown_key(key: str, state: _State) -> ConfigError:
    from litreview.yamlio import suggest

    return ConfigError.at(Location("command line", None, key), f"no record {key!r} in the corpus",
                          hint=suggest(key, state.corpus.keys), code="unknown-record")


@click.group("screen", invoke_without_command=True)
@click.option("--explain", metavar="KEY", default=None, help="Show every criterion's result and evidence for one record.")
@json_option
@click.pass_context
@handle_errors
def screen_group(ctx: click.Context, explain: str | None, as_json: bool) -> None:
    """Screen the corpus against the protocol's criteria (review.yaml).

    Rules give each criterion met, not met or unclear with evidence; people's decisions in
    corpus/screening.yaml override them. Prints the records per outcome, stage and exclusion
    reason, and exits 1 while records wait for a person. With --explain KEY, shows why one
    record got its outcome.

    \b
    Example:
      litreview screen
      litreview screen --explain Harvey2014
      litreview screen --json
    """
    if ctx.invoked_subcommand is not None:
        return
    state = _load(ctx, screen=True)
    result = _screen(state)
    report(result.problems)
    if explain is not None:
        rec = result.by_key().get(explain)
        if rec is None:
            raise _unknown_key(explain, state)
        if as_json:
            emit_json({"version": 1, **rec.as_dict()})
        else:
            _print_explain(rec, state.protocol)
        return
    if as_json:
        emit_json(result.as_dict())
    else:
        _print_counts(result, state.protocol)
    # records waiting for a person are findings: CI and scripts see them in the exit code
    ctx.exit(FINDINGS if result.with_outcome("needs-person") else OK)


def _print_counts(result: ScreeningResult, protocol: Protocol) -> None:
    c = result.counts()
    o = c["outcomes"]
    echo(f"screened {c['records']} records: included {o['included']}, excluded {o['excluded']}, "
               f"needs a person {o['needs-person']}")
    for stage in protocol.stages:
        ex = c["excluded"].get(stage.id, {})
        reasons = ", ".join(f"{code} {n}" for code, n in sorted(ex.items(), key=lambda kv: _order(protocol, kv[0])))
        echo(f"  {stage.id}: reached {c['screened'].get(stage.id, 0)}, excluded {sum(ex.values())}"
                   + (f" ({reasons})" if reasons else "")
                   + f", needs a person {c['needs_person'].get(stage.id, 0)}")
    if c["decided_by_people"]:
        echo(f"  people decided {c['decided_by_people']} records; {c['overrides']} overrode the rules")
    if c["conflicts"]:
        echo(f"  {c['conflicts']} records with unsettled disagreements (litreview screen conflicts)")


def _order(protocol: Protocol, code: str) -> tuple[int, str]:
    codes = list(protocol.reasons)
    return (codes.index(code) if code in codes else len(codes), code)


_MARK = {"met": "met    ", "not-met": "NOT MET", "unclear": "unclear"}


def _print_explain(rec: RecordScreening, protocol: Protocol) -> None:
    head = f"{rec.key}: {rec.outcome}"
    if rec.outcome == "excluded":
        head += f" at {rec.stage} ({rec.reason}: {protocol.reason_label(rec.reason or '')})"
    elif rec.outcome == "needs-person":
        head += f" at {rec.stage}"
    echo(head)
    reached = {s.stage: s for s in rec.stages}
    for stage in protocol.stages:
        sr = reached.get(stage.id)
        if sr is None:
            echo(f"  {stage.id}: not reached")
        else:
            rule = sr.rule_outcome + (f" ({sr.rule_reason})" if sr.rule_reason else "")
            echo(f"  {stage.id}: rules say {rule}; outcome {sr.outcome}"
                       + (f" ({sr.reason})" if sr.reason and sr.outcome == "exclude" else ""))
        for cr in rec.criteria:
            if cr.stage != stage.id:
                continue
            ev = "; ".join(f'{e.field}: "{e.phrase}"' for e in cr.evidence)
            echo(f"    {_MARK[cr.status]}  {cr.criterion} [{cr.reason}] {cr.label}: {cr.detail}"
                       + (f" — {ev}" if ev else ""))
        if sr is not None and sr.conflict:
            echo("    reviewers disagree; nobody has settled it (litreview screen conflicts)")
        if sr is not None and sr.override is not None:
            ov = sr.override
            who = ", ".join(f"{r} {d}".strip() for r, d in zip(ov.reviewers, ov.dates, strict=True))
            verb = "overrode the rules" if ov.contradicts_rules else "decided"
            echo(f"    people {verb}: {ov.decision}" + (f" ({ov.reason})" if ov.reason else "")
                       + f" by {who}" + (f" — {' / '.join(ov.notes)}" if ov.notes else ""))


@screen_group.command("decide")
@click.argument("key")
@click.argument("decision", type=click.Choice(["include", "exclude"]))
@click.option("--stage", default=None, help="The stage (default: the first stage the rules alone do not settle).")
@click.option("--reason", default=None, help="Exclusion reason code from review.yaml (required to exclude).")
@click.option("--reviewer", required=True, help="Your reviewer id, e.g. R1.")
@click.option("--note", default="", help="Free text kept with the decision.")
@click.option("--date", default=None, help="YYYY-MM-DD (default: today).")
@json_option
@click.pass_context
@handle_errors
def decide_cmd(ctx: click.Context, key: str, decision: str, stage: str | None, reason: str | None,
               reviewer: str, note: str, date: str | None, as_json: bool) -> None:
    """Record a person's decision on one record in corpus/screening.yaml.

    Validated against the protocol and the corpus, then written atomically under the corpus
    lock; deciding again on the same record and stage replaces your earlier decision.

    \b
    Example:
      litreview screen decide Klopper2010 exclude --reason not-uk --reviewer R1
      litreview screen decide Harvey2014 include --stage full-text --reviewer R2 --note "core study"
    """
    from litreview.screen import Decision, record_decision, today

    state = _load(ctx)
    keys = set(state.corpus.keys)
    if key not in keys:
        raise _unknown_key(key, state)
    if stage is None:
        # the first stage the rules alone do not settle: the same for every reviewer, whatever
        # the others have decided, so that dual screening puts both decisions at one stage
        from litreview.screen import screen_records

        by_rules = screen_records([r for r in state.records if r.key == key], state.protocol).records[0]
        stage = next((s.stage for s in by_rules.stages if s.outcome != "include"), state.protocol.stage_ids[0])
    made = Decision(key=key, stage=stage, decision=decision, reviewer=reviewer, date=date or today(),
                    reason=reason, note=note)
    result = record_decision(state.project.screening, made, keys, state.protocol,
                             state.project.rel(state.project.screening))
    report(result.warnings)
    if as_json:
        emit_json({"version": 1, "decision": result.decision.as_dict(),
                   "replaced": result.replaced.as_dict() if result.replaced else None, "path": result.path})
        return
    d = result.decision
    echo(f"{d.reviewer}: {d.key} {d.decision} at {d.stage}" + (f" ({d.reason})" if d.reason else "")
               + (" (replaces an earlier decision)" if result.replaced else "") + f" → {result.path}")


@screen_group.command("conflicts")
@json_option
@click.pass_context
@handle_errors
def conflicts_cmd(ctx: click.Context, as_json: bool) -> None:
    """List records where reviewers disagree (exit 1 when any disagreement is unsettled).

    A third reviewer's decision settles a tie by majority.

    \b
    Example:
      litreview screen conflicts
      litreview screen conflicts --json
    """
    from litreview.screen import find_conflicts

    state = _load(ctx)
    found = find_conflicts(state.decisions, state.protocol)
    open_ = [c for c in found if not c.resolved]
    if as_json:
        emit_json({"version": 1, "conflicts": [c.as_dict() for c in found], "unresolved": len(open_)})
    else:
        for c in found:
            votes = ", ".join(f"{d.reviewer} {d.decision}" + (f" ({d.reason})" if d.reason else "") for d in c.decisions)
            state_ = "settled by majority" if c.resolved else "unsettled"
            echo(f"{c.key} at {c.stage}: {votes} [{c.kind}, {state_}]")
        echo(f"{len(found)} disagreements, {len(open_)} unsettled")
    ctx.exit(FINDINGS if open_ else OK)


@screen_group.command("agreement")
@json_option
@click.pass_context
@handle_errors
def agreement_cmd(ctx: click.Context, as_json: bool) -> None:
    """Agreement between reviewers per stage: records both screened, % agreement, Cohen's kappa.

    \b
    Example:
      litreview screen agreement
      litreview screen agreement --json
    """
    from litreview.screen import agreement

    state = _load(ctx)
    rows = agreement(state.decisions, state.protocol)
    if as_json:
        emit_json({"version": 1, "agreement": [a.as_dict() for a in rows]})
        return
    if not rows:
        echo("no record has decisions from two reviewers at the same stage")
        return
    for a in rows:
        kappa = "undefined" if a.kappa is None else f"{a.kappa:.3f}"
        pct = "-" if a.percent is None else f"{a.percent:.1f}%"
        echo(f"{a.stage}: {a.reviewers[0]} v {a.reviewers[1]}: {a.records} records, "
                   f"agreement {pct}, kappa {kappa}")


@screen_group.command("prisma")
@click.option("--duplicates", type=click.IntRange(min=0), default=None,
              help="Records removed as duplicates (default: counted from the records' provenance).")
@json_option
@click.pass_context
@handle_errors
def prisma_cmd(ctx: click.Context, duplicates: int | None, as_json: bool) -> None:
    """PRISMA 2020 flow counts: identified per source, duplicates, screened, excluded, included.

    \b
    Example:
      litreview screen prisma
      litreview screen prisma --json
    """
    from litreview.prisma import prisma_counts

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
    echo(f"identified {data['identified_total']}: "
               + ", ".join(f"{s['source']} {s['records']}" for s in data["identified"]))
    echo(f"duplicates removed {data['duplicates_removed']}; records screened {data['screened']}")
    for s in data["stages"]:
        reasons = ", ".join(f"{e['reason']} {e['records']}" for e in s["excluded"])
        echo(f"{s['stage']}: screened {s['screened']}, excluded {s['excluded_total']}"
                   + (f" ({reasons})" if reasons else "") + f", needs a person {s['needs_person']}, passed {s['passed']}")
        if s["excluded_by_rules_total"] or s["passed_by_rules"]:
            echo(f"  by the rules alone, unseen by a person: excluded {s['excluded_by_rules_total']}, "
                 f"passed {s['passed_by_rules']}")
    echo(f"included {data['included']}; needs a person {data['needs_person']}")
    if not counts.balanced:
        info(ctx, "note: the counts do not balance (records without provenance, or --duplicates differs)")


@screen_group.command("audit")
@click.option("--sample", "size", type=click.IntRange(min=1), default=None,
              help="Draw this many more rule exclusions for a person to check.")
@click.option("--stage", default=None, help="The stage whose rule exclusions to draw (default: the first).")
@click.option("--seed", type=int, default=None, help="Seed of the draw (default: the number of draws so far + 1).")
@json_option
@click.pass_context
@handle_errors
def audit_cmd(ctx: click.Context, size: int | None, stage: str | None, seed: int | None, as_json: bool) -> None:
    """Estimate how many studies the rules' exclusions lose, from a random sample a person checks.

    With --sample N, draws N records the rules excluded (never one drawn before) into
    corpus/rule-audit.yaml; decide each with `litreview screen decide KEY include|exclude --stage
    STAGE`. Without it, reports per stage: rule exclusions, records checked, those a person kept,
    the estimated studies lost among the rest and the rules' recall, with 95% exact intervals.
    Exits 1 while drawn records wait for a person.

    \b
    Example:
      litreview screen audit --sample 30 --stage title-abstract
      litreview screen audit
      litreview screen audit --json
    """
    from litreview.audit import add_draw, estimates, load_audits, unknown_keys

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
            info(ctx, f"nothing to draw: every record the rules exclude at {target} has been drawn already")
    elif stage is not None and stage not in state.protocol.stage_ids:
        from litreview.yamlio import suggest

        raise InputError.at(Location("--stage"), f"unknown stage {stage!r}",
                            hint=suggest(stage, list(state.protocol.stage_ids)))
    draws, problems = load_audits(project.rule_audit, shown, state.protocol)
    problems += unknown_keys(draws, state.corpus.keys, {}, shown)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ConfigError(errors)
    report(problems)
    found = [e for e in estimates(result, state.protocol, draws) if stage is None or e.stage == stage]
    waiting = sum(len(e.waiting) for e in found)
    if as_json:
        emit_json({"version": 1, "drawn": drawn.as_dict() if drawn else None, "file": shown,
                   "stages": [e.as_dict() for e in found]})
    else:
        if drawn is not None and drawn.keys:
            echo(f"drew {len(drawn.keys)} of the {drawn.population} records the rules exclude at {drawn.stage} "
                 f"(seed {drawn.seed}) into {shown}:")
            for key in drawn.keys:
                echo(f"  {key}")
        for e in found:
            echo(_audit_line(e))
        if waiting:
            first = next(e for e in found if e.waiting)
            echo(f"{waiting} drawn records wait for a person: litreview screen decide KEY include|exclude "
                 f"--stage {first.stage} --reviewer YOUR-ID   (first: {first.waiting[0]})")
        if not found:
            echo("the rules exclude nothing: there is nothing to audit")
    ctx.exit(FINDINGS if waiting else OK)


def _audit_line(e: Any) -> str:
    head = f"{e.stage}: the rules exclude {e.excluded_by_rules}"
    if not e.drawn:
        return head + f"; none audited (litreview screen audit --sample {min(30, e.excluded_by_rules)})"
    out = head + f"; drawn {e.drawn}, checked {e.checked}, kept by a person {len(e.kept)}"
    if e.lost is not None and e.recall is not None:
        lost, recall = e.lost, e.recall
        out += (f"; studies lost among the unchecked: about {lost[0]:.1f} (95% CI {lost[1]:.1f}–{lost[2]:.1f}); "
                f"rules' recall {recall[0]:.2f} (95% CI {recall[1]:.2f}–{recall[2]:.2f})")
    if e.stale:
        out += f"; {len(e.stale)} drawn records are no longer excluded by the rules (not counted)"
    return out


@screen_group.command("next")
@click.option("--reviewer", required=True, help="Your reviewer id; records you already decided are skipped.")
@click.option("--stage", default=None, help="Only records waiting at this stage.")
@click.pass_context
@handle_errors
def next_cmd(ctx: click.Context, reviewer: str, stage: str | None) -> None:
    """Show the next record that needs a person, terms highlighted, and take the decision.

    Keys: i include, e exclude (then the reason's number), s skip, q quit. Without a terminal
    it shows the record and stops, so scripts never hang.

    \b
    Example:
      litreview screen next --reviewer R1
    """
    from litreview.screen import Decision, record_decision, screen_records, term_matchers, today

    state = _load(ctx)
    if stage is not None and stage not in state.protocol.stage_ids:
        from litreview.yamlio import suggest

        known = ", ".join(state.protocol.stage_ids)
        raise InputError.at(Location("--stage"), f"unknown stage {stage!r}; the protocol's stages are {known}",
                            hint=suggest(stage, state.protocol.stage_ids) or f"stages are listed under stages: in "
                            f"{state.project.rel(state.project.protocol)}")
    matchers = term_matchers(state.protocol)
    by_key = {r.key: r for r in state.records}
    skipped: set[str] = set()
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    while True:
        result = screen_records(state.records, state.protocol, state.decisions)
        mine = {(d.key, d.stage) for d in state.decisions if d.reviewer == reviewer}
        todo = [r for r in result.records if r.outcome == "needs-person" and r.key not in skipped
                and (stage is None or r.stage == stage) and (r.key, r.stage) not in mine]
        if not todo:
            echo("nothing left that needs you")
            return
        rec = todo[0]
        _show_panel(by_key[rec.key], rec, state.protocol, matchers, len(todo))
        if not interactive:
            echo(f"not a terminal: decide with `litreview screen decide {rec.key} include|exclude "
                       f"--stage {rec.stage} --reviewer {reviewer}`")
            return
        echo("[i]nclude  [e]xclude  [s]kip  [q]uit: ", nl=False)
        key = click.getchar().lower()
        echo(key)
        if key == "q":
            return
        if key == "s":
            skipped.add(rec.key)
            continue
        if key not in ("i", "e"):
            echo("press i to include, e to exclude, s to skip or q to quit")
            continue
        reason = None
        if key == "e":
            codes = list(state.protocol.reasons)
            for i, code in enumerate(codes, 1):
                echo(f"  {i}. {code}: {state.protocol.reasons[code]}")
            choice = click.prompt("reason", type=click.IntRange(1, len(codes)))
            reason = codes[choice - 1]
        made = Decision(key=rec.key, stage=rec.stage, decision="include" if key == "i" else "exclude",
                        reviewer=reviewer, date=today(), reason=reason)
        record_decision(state.project.screening, made, set(by_key), state.protocol,
                        state.project.rel(state.project.screening))
        state = _load(ctx)


def _show_panel(record: Record, rec: RecordScreening, protocol: Protocol, matchers: list[Any], waiting: int) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from litreview.cli._common import for_terminal, stdout_console
    from litreview.termmatch import prepare

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
    body.append(for_terminal(f"\n{record.first_author or 'no author'} · {record.year or 'no year'} · {record.container}\n\n"))
    body.append_text(lit(record.abstract or "(no abstract)"))
    if record.keywords:
        body.append("\n\nKeywords: ")
        body.append_text(lit("; ".join(record.keywords)))
    body.append("\n")
    for cr in rec.criteria:
        if cr.stage == rec.stage:
            ev = "; ".join(f"{e.field}: {e.phrase}" for e in cr.evidence)
            body.append(for_terminal(f"\n{_MARK[cr.status]} {cr.criterion}: {cr.detail}" + (f" ({ev})" if ev else "")),
                        style={"met": "green", "not-met": "red"}.get(cr.status, "yellow"))
    stdout_console().print(Panel(body, title=f"{rec.key} · {rec.stage}", subtitle=f"{waiting} waiting"))
