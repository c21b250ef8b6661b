"""``litreview screen`` and its subcommands: decide, next, simulate, conflicts, agreement, prisma."""

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
    reason. With --explain KEY, shows why one record got its outcome.

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
        return
    _print_counts(result, state.protocol)


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
    echo(f"included {data['included']}; needs a person {data['needs_person']}")
    if not counts.balanced:
        info(ctx, "note: the counts do not balance (records without provenance, or --duplicates differs)")


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
    queue = _Queue(state.protocol)
    while True:
        result = screen_records(state.records, state.protocol, state.decisions)
        mine = {(d.key, d.stage) for d in state.decisions if d.reviewer == reviewer}
        todo = [r for r in result.records if r.outcome == "needs-person" and r.key not in skipped
                and (stage is None or r.stage == stage) and (r.key, r.stage) not in mine]
        if not todo:
            echo("nothing left that needs you")
            return
        todo, note = queue.order(todo, result, state.decisions, by_key)
        rec = todo[0]
        _show_panel(by_key[rec.key], rec, state.protocol, matchers, len(todo), note)
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


class _Queue:
    """The ranked queue of ``next``: records waiting at the first stage (title-abstract), ordered
    by the model trained on people's decisions there (:mod:`litreview.rank`); records waiting at
    later stages follow in key order. Features are built once per ``next``."""

    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self.stage = protocol.stage_ids[0] if protocol.stages else ""
        self.features: Any = None

    def order(self, todo: list[RecordScreening], result: ScreeningResult, decisions: tuple[Decision, ...],
              by_key: dict[str, Record]) -> tuple[list[RecordScreening], list[str]]:
        from litreview.rank import build_features, labels_from_decisions, rank, stop_rule

        first = [r for r in todo if r.stage == self.stage]
        if not first:
            return todo, []
        labels, in_order = labels_from_decisions(decisions, self.stage)
        if self.features is None:
            waiting = {r.key for r in result.records if r.outcome == "needs-person" and r.stage == self.stage}
            self.features = build_features(by_key[k] for k in sorted(waiting | set(labels)) if k in by_key)
        ranking = rank(self.features, labels, [r.key for r in first], self.protocol)
        where = {k: i for i, k in enumerate(ranking.order)}
        # a record without features (none expected) goes last, in key order
        ordered = (sorted(first, key=lambda r: (where.get(r.key, len(where)), r.key))
                   + [r for r in todo if r.stage != self.stage])
        basis = {"model": f"ordered by a model trained on {ranking.included} includes and {ranking.excluded} "
                          f"excludes at {self.stage}",
                 "includes": f"ordered by similarity to the {ranking.included} included records (no exclude yet)",
                 "protocol": "ordered by similarity to the protocol's include terms (no include yet)",
                 "key": "in key order (no include yet and the protocol has no include terms)"}[ranking.basis]
        note = [basis]
        if ranking.estimated_remaining is not None:
            note.append(f"about {ranking.estimated_remaining:.0f} includes estimated to remain among the "
                        f"{len(first)} waiting (an estimate)")
        rule = stop_rule(self.protocol)
        if rule is not None:
            note.append(rule.status(in_order, len(labels) + len(first)).describe())
        return ordered, note


def _show_panel(record: Record, rec: RecordScreening, protocol: Protocol, matchers: list[Any], waiting: int,
                note: list[str] | None = None) -> None:
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
    for line in note or ():
        body.append(for_terminal(f"\n{line}"), style="dim")
    stdout_console().print(Panel(body, title=f"{rec.key} · {rec.stage}", subtitle=f"{waiting} waiting"))


@screen_group.command("simulate")
@click.option("--labels", "labels_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="CSV with columns id (citation key or imported id) and label (1 include, 0 exclude).")
@click.option("--no-rules", is_flag=True, help="Screen every labelled record; the protocol's rules exclude nothing.")
@click.option("--prior-included", type=click.IntRange(min=0), default=1, show_default=True,
              help="Includes known before the first ranking, drawn by --seed.")
@click.option("--prior-excluded", type=click.IntRange(min=0), default=1, show_default=True,
              help="Excludes known before the first ranking, drawn by --seed.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for drawing the prior records.")
@json_option
@click.pass_context
@handle_errors
def simulate_cmd(ctx: click.Context, labels_path: str, no_rules: bool, prior_included: int, prior_excluded: int,
                 seed: int, as_json: bool) -> None:
    """Replay a labelled set through the ranked queue: the order, WSS@95 and the recall curve.

    The protocol's rules exclude first (unless --no-rules): those records are not screened and
    the labelled includes they lose are reported. Then prior records, then the ranking's
    order, retrained as labels are revealed.

    \b
    Example:
      litreview screen simulate --labels labels.csv --json
      litreview screen simulate --labels labels.csv --no-rules --prior-included 2 --seed 3
    """
    from pathlib import Path

    from litreview.simulate import read_labels, simulate

    state = _load(ctx)
    path = Path(labels_path)
    if not path.is_file():
        raise InputError.at(Location(labels_path), "no such file", hint="give the labels CSV (id,label) with --labels")
    labels = read_labels(path, labels_path, state.records)
    data = simulate(state.records, state.protocol, labels, rules=not no_rules, prior_included=prior_included,
                    prior_excluded=prior_excluded, seed=seed, display=labels_path).as_dict()
    if as_json:
        emit_json(data)
        return
    wss95 = "undefined (no include)" if data["wss95"] is None else f"{data['wss95']:.3f}"
    echo(f"replayed {data['records']} records ({data['includes']} includes) from {len(data['prior'])} prior records: "
         f"WSS@95 {wss95}, 95% of includes after {data['screened_for_95']} records, {data['retrainings']} retrainings")
    r = data["rules"]
    if r["applied"]:
        echo(f"rules excluded {r['excluded']} labelled records first, losing {r['labelled_includes_lost']} labelled includes"
             + (f": {', '.join(r['lost'])}" if r["lost"] else ""))
    if "stopping" in data:
        s = data["stopping"]
        echo(f"stopping rule met after {s['stopped_at']} records, recall {s['recall_at_stop']}" if s["stopped_at"]
             else "stopping rule never met")
    if data["not_labelled"]:
        echo(f"{data['not_labelled']} records of the corpus had no label and were left out")
