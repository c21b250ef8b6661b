"""``litreview dedupe`` and its subcommands: decide, pairs, review, undo."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

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


@click.group("dedupe", invoke_without_command=True)
@click.option("--dry-run", is_flag=True, help="Find duplicates and report; write nothing.")
@json_option
@click.pass_context
@handle_errors
def dedupe_group(ctx: click.Context, dry_run: bool, as_json: bool) -> None:
    """Find and merge duplicate records; queue the unsure pairs for a person.

    Sure duplicates are merged into the record whose citation key sorts first; every merge is
    logged in corpus/duplicates.yaml and the absorbed records are kept in corpus/absorbed.bib
    (see `dedupe undo`). Pairs that may be one work but must not be merged automatically wait
    in the unsure queue (see
    `dedupe pairs`, `dedupe review`, `dedupe decide`). Decisions are honoured on every run.
    Exit status: 0 done, 1 unsure pairs wait for a person, 2 unreadable input.

    \b
    Example:
      litreview dedupe --dry-run
      litreview dedupe --json > dedupe.json
    """
    if ctx.invoked_subcommand is not None:
        return
    from litreview.dedupe import dedupe_project

    project = get_project(ctx)
    result = dedupe_project(project, dry_run=dry_run, progress=progress_for(ctx))
    report(result.problems)
    s = result.summary()
    if as_json:
        emit_json(result.as_dict())
    else:
        verb = "would merge" if dry_run else "merged"
        for m in result.merges:
            echo(f"{verb} {', '.join(r.key for r in m.absorbed)} into {m.survivor}: {m.reason}")
        for p in result.unsure:
            echo(f"unsure {p.a} {p.b} ({p.score:.1f}): {p.reason}")
    info(ctx, f"records {s['records']}, candidate pairs {s['candidate_pairs']}, "
              f"{'would merge' if dry_run else 'merged'} {s['merged']}, unsure {s['unsure']}, "
              f"{s['seconds']:.2f} s")
    if result.unsure:
        info(ctx, "unsure pairs wait for a person: `litreview dedupe review` or `litreview dedupe decide`")
    ctx.exit(FINDINGS if result.unsure else OK)


@dedupe_group.command("decide")
@click.argument("key1")
@click.argument("key2")
@click.argument("decision", type=click.Choice(["same", "different"]))
@click.option("--reviewer", "-r", default="", help="Who decided (kept with the decision).")
@click.option("--note", "-n", default="", help="Why, in a few words.")
@click.pass_context
@handle_errors
def decide_cmd(ctx: click.Context, key1: str, key2: str, decision: str, reviewer: str, note: str) -> None:
    """Record that two records are the same work, or different works.

    The decision is stored in corpus/duplicates.yaml and honoured by every later run: a pair
    marked different is never merged; a pair marked same is merged by the next `dedupe`.

    \b
    Example:
      litreview dedupe decide Smith2019 Smith2019a different -r ana -n "conference abstract"
      litreview dedupe decide Lee2020 Lee2020b same && litreview dedupe
    """
    from litreview.dedupe import decide

    made = decide(get_project(ctx), key1, key2, decision, reviewer, note)
    echo(f"{made.pair[0]} {made.pair[1]}: {made.decision}")
    if decision == "same":
        info(ctx, "run `litreview dedupe` to merge them")


@dedupe_group.command("pairs")
@json_option
@click.pass_context
@handle_errors
def pairs_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the unsure pairs waiting for a person (from the last `dedupe` run).

    \b
    Example:
      litreview dedupe pairs
      litreview dedupe pairs --json | jq '.pairs[0]'
    """
    from litreview.dedupe import list_unsure

    pairs = list_unsure(get_project(ctx))
    if as_json:
        emit_json({"version": 1, "pairs": [
            {"a": p.a.key, "b": p.b.key, "score": p.score, "reason": p.reason, "scores": p.scores,
             "title_a": p.a.title, "title_b": p.b.title} for p in pairs]})
        return
    for p in pairs:
        echo(f"{p.a.key}\t{p.b.key}\t{p.score:.1f}\t{p.reason}")
    info(ctx, f"{len(pairs)} unsure pair(s)")


_SHOWN = ("entry_type", "title", "authors", "year", "container", "volume", "issue", "pages", "doi", "pmid", "sources")


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
        table = Table(title=f"pair {n}/{len(pairs)}: score {p.score:.1f} — {p.reason}", show_lines=False)
        table.add_column("field")
        table.add_column(escape(p.a.key))
        table.add_column(escape(p.b.key))
        for name in _SHOWN:
            va, vb = _value(p.a, name), _value(p.b, name)
            if not va and not vb:
                continue
            style = "bold yellow" if va != vb else ""
            table.add_row(name, escape(va), escape(vb), style=style)  # a title's "[/x]" is text, not markup
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
        emit_json({"version": 1, "survivor": result.survivor, "restored": list(result.restored),
                   "merges_undone": result.merges_undone,
                   "marked_different": [list(d.pair) for d in result.decisions]})
        return
    echo(f"restored {', '.join(result.restored)} (from {result.survivor}); "
               f"{result.merges_undone} merge(s) undone")
