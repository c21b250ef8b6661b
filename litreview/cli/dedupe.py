"""``litreview dedupe`` and its subcommands: decide, pairs, review, undo."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    echo,
    emit_json,
    fancy,
    get_project,
    handle_errors,
    info,
    json_option,
    progress_for,
    report,
    stdout_console,
)

if TYPE_CHECKING:
    from litreview.project import Project


@click.group("dedupe", invoke_without_command=True)
@click.option("--dry-run", is_flag=True, help="Find duplicates and report; write nothing.")
@click.option(
    "--explain",
    nargs=2,
    metavar="KEY1 KEY2",
    default=None,
    help="Show how two records compare, field by field, and what the matcher decides.",
)
@click.option(
    "--merge-at",
    type=click.FloatRange(0.5, 1.0, min_open=True, max_open=True),
    default=None,
    help="Merge pairs at least this likely to be one work (default 0.99; kept in duplicates.yaml).",
)
@click.option(
    "--queue-at",
    type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
    default=None,
    help="Queue pairs at least this likely for a person (default 0.5; kept in duplicates.yaml).",
)
@json_option
@click.pass_context
@handle_errors
def dedupe_group(
    ctx: click.Context,
    dry_run: bool,
    explain: tuple[str, str] | None,
    merge_at: float | None,
    queue_at: float | None,
    as_json: bool,
) -> None:
    """Find and merge duplicate records; queue the unsure pairs for a person.

    Each candidate pair gets a probability of being one work from field weights learnt from
    this corpus (docs/dedupe.md); never-merge rules hold on top. Sure duplicates are merged
    (a published version survives its preprint, else the key that sorts first); every merge is
    logged in corpus/duplicates.yaml, the absorbed records kept in corpus/absorbed.bib (see
    `dedupe undo`). Pairs that may be one work wait in
    the unsure queue, most likely first (see `dedupe pairs`, `dedupe review`, `dedupe decide`).
    Decisions are honoured on every run. Each merge and unsure pair is a line on stdout; at a
    terminal, the first 20 of each and a count of the rest.
    Exit status: 0 done, 1 unsure pairs wait for a person (or a person's 'same' could not be
    applied, or a merge joins two records a person decided different: the warning says why),
    2 unreadable input.

    \b
    Example:
      litreview dedupe --dry-run
      litreview dedupe --explain Smith2019 Smith2019a
      litreview dedupe --merge-at 0.995 --json > dedupe.json
    """
    if ctx.invoked_subcommand is not None:
        return
    from litreview.dedupe import dedupe_project

    project = get_project(ctx)
    if explain is not None:
        _explain(ctx, project, explain, as_json)
        return
    thresholds = None
    if merge_at is not None or queue_at is not None:
        from litreview.dedupe.model import Thresholds
        from litreview.dedupe.project import current_thresholds

        now = current_thresholds(project)
        merge = merge_at if merge_at is not None else now.merge_at
        queue = queue_at if queue_at is not None else now.queue_at
        if queue > merge:
            raise click.UsageError(f"--queue-at {queue} is above --merge-at {merge}")
        thresholds = Thresholds(merge, queue)
    result = dedupe_project(
        project, dry_run=dry_run, progress=progress_for(ctx), thresholds=thresholds
    )
    report(result.problems)
    s = result.summary()
    if as_json:
        emit_json(result.as_dict())
    else:
        verb = "would merge" if dry_run else "merged"
        # a person at a terminal gets the first few and a count: a 100k corpus merges ~15k
        # records, and 15k lines scrolled past say less than the summary below them
        shown = _SHOWN_AT_A_TERMINAL if _at_a_terminal() else None
        for m in result.merges[:shown]:
            echo(f"{verb} {', '.join(r.key for r in m.absorbed)} into {m.survivor}: {m.reason}")
        if shown is not None and len(result.merges) > shown:
            where = "--json lists" if dry_run else "corpus/duplicates.yaml and --json list"
            echo(f"… and {len(result.merges) - shown} more merges ({where} them all)")
        for p in result.unsure[:shown]:
            echo(f"unsure {p.a} {p.b} ({p.score:.1f}): {p.reason}")
        if shown is not None and len(result.unsure) > shown:
            echo(
                f"… and {len(result.unsure) - shown} more unsure pairs "
                "(`litreview dedupe pairs` lists them all)"
            )
    info(
        ctx,
        f"records {s['records']}, candidate pairs {s['candidate_pairs']}, "
        f"{'would merge' if dry_run else 'merged'} {s['merged']}, unsure {s['unsure']}, "
        f"{s['seconds']:.2f} s",
    )
    if result.unsure:
        info(
            ctx,
            "unsure pairs wait for a person: `litreview dedupe review` or `litreview dedupe decide`",
        )
        share = len(result.unsure) / max(result.input_records, 1)
        if share > 0.02:
            echo(
                f"warning: {len(result.unsure)} unsure pairs are {share:.1%} of the records (more than 2%): "
                "the matcher cannot settle this library; `litreview dedupe --explain KEY1 KEY2` on a few "
                "pairs shows why (docs/dedupe.md: tuning)",
                err=True,
            )
    # a person's 'same' that a 'different' or a reviewer's two screening decisions hold back
    # has left the unsure queue: the warning above is all that says the records are still two
    held_back = result.same_held_back
    if held_back:
        info(
            ctx,
            f"{len(held_back)} 'same' decision(s) not applied: settle what the warning names, "
            "then run `litreview dedupe` again",
        )
    # a person's 'different' on a pair a merge joined anyway (two branches' work merged by git)
    contradicted = _merged_though_different(project, result.log)
    report(contradicted)
    ctx.exit(FINDINGS if result.unsure or held_back or contradicted else OK)


def _merged_though_different(project: Any, log: Any = None) -> list[Any]:
    """``log``: the dedupe log as the run left it, when it has it. Only a log in which a merge
    joins two records a person decided different is read back from the file, for the lines
    its warnings name: at 100k records, reading back the log just written cost ~1 s."""
    from litreview.dedupe.store import merged_though_different
    from litreview.model import Severity
    from litreview.review import Review

    shown = project.rel(project.duplicates)
    if log is not None and not merged_though_different(log, shown, Severity.WARNING):
        return []
    return merged_though_different(Review.of(project).duplicates(), shown, Severity.WARNING)


def _explain(ctx: click.Context, project: Any, keys: tuple[str, str], as_json: bool) -> None:
    from litreview.dedupe.project import explain_pair

    found = explain_pair(project, *keys)
    if as_json:
        emit_json({"version": 1, **found})
        return
    merged = [k for k in found["absorbed"]]
    echo(
        f"{found['a']} vs {found['b']}"
        + (f" ({', '.join(merged)} as read, before its merge)" if merged else "")
    )
    for f in found["fields"]:
        bits = "" if f["bits"] is None else f"{f['bits']:+.2f} bits"
        echo(f"  {f['field']:<10} {f['level']:<14} {bits}")
    echo(f"  {'prior':<10} {'':<14} {found['prior_bits']:+.2f} bits")
    echo(
        f"  total {found['bits']:+.2f} bits: probability {found['probability']:.4f} "
        f"(merge at {found['merge_at']}, queue at {found['queue_at']})"
    )
    rule = f" [{found['rule']}]" if found["rule"] else ""
    echo(f"  {found['outcome']}: {found['reason']}{rule}")
    if found["held_back"]:
        echo(f"  not merged: {found['held_back']}")


@dedupe_group.command("decide")
@click.argument("key1")
@click.argument("key2")
@click.argument("decision", type=click.Choice(["same", "different"]))
@click.option("--reviewer", "-r", default="", help="Who decided (kept with the decision).")
@click.option("--note", "-n", default="", help="Why, in a few words.")
@click.option(
    "--keep",
    default="",
    metavar="KEY",
    help="With 'same': the record that survives (default: a published version over a preprint, "
    "else the key that sorts first).",
)
@click.option("--json", "as_json", is_flag=True, help="The stored decision as JSON on stdout.")
@click.pass_context
@handle_errors
def decide_cmd(
    ctx: click.Context,
    key1: str,
    key2: str,
    decision: str,
    reviewer: str,
    note: str,
    keep: str,
    as_json: bool,
) -> None:
    """Record that two records are the same work, or different works.

    The decision is stored in corpus/duplicates.yaml and honoured by every later run: a pair
    marked different is never merged; a pair marked same is merged by the next `dedupe`, once
    no reviewer has screened the two differently at one stage (a warning says so at once).

    \b
    Example:
      litreview dedupe decide Smith2019 Smith2019a different -r ana -n "conference abstract"
      litreview dedupe decide Lee2020 Lee2020b same && litreview dedupe
      litreview dedupe decide Lee2020pre Lee2020 same --keep Lee2020
    """
    from litreview.dedupe import decide

    made = decide(get_project(ctx), key1, key2, decision, reviewer, note, keep=keep)
    if as_json:
        emit_json(
            {
                "version": 1,
                "pair": list(made.pair),
                "decision": made.decision,
                "reviewer": made.reviewer,
                "date": made.date,
                "note": made.note,
                "keep": made.keep,
            }
        )
    else:
        echo(f"{made.pair[0]} {made.pair[1]}: {made.decision}")
    if decision == "same":
        merged_into, why = _same_now(get_project(ctx), key1, key2)
        if merged_into is not None:
            # a merge made them one record: there is nothing for the next run to merge
            absorbed, survivor = merged_into
            info(ctx, f"already one record: {absorbed} was merged into {survivor}")
            if keep and keep != survivor:
                echo(
                    f"warning: --keep {keep} changes nothing: {survivor} survives the merge "
                    f"already made (`litreview dedupe undo {absorbed}` restores {absorbed}; "
                    "decide again, then run `litreview dedupe`)",
                    err=True,
                )
            return
        if why:
            # recorded, but the next run will not apply it: say so now, not only then
            echo(
                f"warning: {why}: `litreview dedupe` merges them once those decisions agree "
                "(`litreview screen undo` or `litreview screen decide` settles it)",
                err=True,
            )
        else:
            info(ctx, "run `litreview dedupe` to merge them")


def _same_now(project: Project, key1: str, key2: str) -> tuple[tuple[str, str] | None, str]:
    """What a 'same' on the two keys meets now: ``(absorbed, survivor)`` when a merge already
    made them one record (one absorbed, its survivor the other or the record that absorbed
    both), else None; and why the next dedupe will not apply it (one reviewer screened the two
    records, or those that absorbed them, differently at one stage), "" when nothing holds it."""
    from litreview.corpus.mergemap import MergeMap
    from litreview.dedupe.engine import _screened_apart
    from litreview.dedupe.project import screened_by_reviewer
    from litreview.review import Review

    aliases = Review.of(project).aliases
    merged = MergeMap(aliases)
    a, b = merged.final(key1), merged.final(key2)
    if a == b:
        return ((key1 if key1 in aliases else key2), a), ""
    return None, _screened_apart(screened_by_reviewer(project, None, aliases), a, b)


#: merges and unsure pairs listed one by one to a terminal before the rest are counted
_SHOWN_AT_A_TERMINAL = 20


def _at_a_terminal() -> bool:
    """Whether the results go to a person's terminal (a pipe or file gets every line)."""
    return sys.stdout.isatty()


@dedupe_group.command("pairs")
@json_option
@click.pass_context
@handle_errors
def pairs_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the unsure pairs waiting for a person (from the last `dedupe` run).

    Exits 1 while any pair waits, as `dedupe` does, and 0 when none does.

    \b
    Example:
      litreview dedupe pairs
      litreview dedupe pairs --json | jq '.pairs[0]'
    """
    from litreview.dedupe import list_unsure

    pairs = list_unsure(get_project(ctx))
    if as_json:
        emit_json(
            {
                "version": 1,
                "pairs": [
                    {
                        "a": p.a.key,
                        "b": p.b.key,
                        "score": p.score,
                        "reason": p.reason,
                        "scores": p.scores,
                        "title_a": p.a.title,
                        "title_b": p.b.title,
                    }
                    for p in pairs
                ],
            }
        )
    else:
        for p in pairs:
            echo(f"{p.a.key}\t{p.b.key}\t{p.score:.1f}\t{p.reason}")
        info(ctx, f"{len(pairs)} unsure pair(s)")
    ctx.exit(FINDINGS if pairs else OK)


_SHOWN = (
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
    "sources",
)


def _value(record: Any, name: str) -> str:
    if name == "sources":
        return ", ".join(record.sources)
    return str(record.get(name))


@dedupe_group.command("review")
@click.option("--reviewer", "-r", default="", help="Who decides (kept with each decision).")
@click.pass_context
@handle_errors
def review_cmd(ctx: click.Context, reviewer: str) -> None:
    """Decide unsure pairs one by one: s = same, d = different, k = skip, q = quit.

    Each pair is shown side by side with the differing fields highlighted.

    \b
    Example:
      litreview dedupe review -r ana
    """

    from litreview.dedupe import decide_many, list_unsure

    project = get_project(ctx)
    pairs = list_unsure(project)
    console = stdout_console()
    verdicts: list[tuple[str, str, str]] = []
    try:
        _review_pairs(pairs, console, verdicts)
    finally:  # quit, end of input or Ctrl-C: what was decided is kept, in one write
        decide_many(project, verdicts, reviewer)
    info(ctx, f"{len(verdicts)} decision(s) recorded; run `litreview dedupe` to apply them")


def _review_pairs(pairs: Sequence[Any], console: Any, verdicts: list[tuple[str, str, str]]) -> None:
    from rich.markup import escape
    from rich.table import Table

    for n, p in enumerate(pairs, 1):
        table = Table(
            title=f"pair {n}/{len(pairs)}: score {p.score:.1f} — {p.reason}", show_lines=False
        )
        table.add_column("field")
        table.add_column(escape(p.a.key))
        table.add_column(escape(p.b.key))
        for name in _SHOWN:
            va, vb = _value(p.a, name), _value(p.b, name)
            if not va and not vb:
                continue
            style = "bold yellow" if va != vb else ""
            table.add_row(
                name, escape(va), escape(vb), style=style
            )  # a title's "[/x]" is text, not markup
        console.print(table)
        echo("[s]ame  [d]ifferent  [k] skip  [q]uit: ", nl=False, err=True)
        key = click.getchar() if fancy() else (sys.stdin.readline()[:1] or "q")
        echo(key, err=True)
        if key == "q":
            return
        if key in ("s", "d"):
            verdicts.append((p.a.key, p.b.key, "same" if key == "s" else "different"))


@dedupe_group.command("undo")
@click.argument("key")
@click.option("--reviewer", "-r", default="", help="Who undid the merge (kept with the decision).")
@json_option
@click.pass_context
@handle_errors
def undo_cmd(ctx: click.Context, key: str, reviewer: str, as_json: bool) -> None:
    """Undo a merge: restore the absorbed records exactly as they were.

    KEY is a survivor (all merges into it are undone, and the restored records are marked
    different from it) or an absorbed record (only it is marked different; records absorbed
    with it come back and are merged again by the next run).

    \b
    Example:
      litreview dedupe undo Smith2019
      litreview dedupe undo Smith2019a
    """
    from litreview.dedupe import undo

    result = undo(get_project(ctx), key, reviewer)
    if as_json:
        emit_json(
            {
                "version": 1,
                "survivor": result.survivor,
                "restored": list(result.restored),
                "merges_undone": result.merges_undone,
                "marked_different": [list(d.pair) for d in result.decisions],
            }
        )
        return
    echo(
        f"restored {', '.join(result.restored)} (from {result.survivor}); "
        f"{result.merges_undone} merge(s) undone"
    )
