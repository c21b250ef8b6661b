"""``litreview import`` and ``litreview stats``."""

from __future__ import annotations

from pathlib import Path

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    USAGE,
    echo,
    emit_json,
    fancy,
    get_project,
    handle_errors,
    info,
    is_quiet,
    json_option,
    progress_bar,
    report,
    stdout_console,
)
from litreview.errors import InputError
from litreview.model import Location


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--source",
    "-s",
    required=True,
    help="Where these records were found: a database or search name, e.g. scopus.",
)
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The corpus file (default: corpus/records.bib of the project).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "ris", "medline", "wos", "csv", "cochrane", "endnote"]),
    default=None,
    help="Skip sniffing and read every file as this format.",
)
@click.option("--dry-run", is_flag=True, help="Read and report; write nothing.")
@json_option
@click.pass_context
@handle_errors
def import_cmd(
    ctx: click.Context,
    files: tuple[Path, ...],
    source: str,
    into: Path | None,
    fmt: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import database exports (BibTeX, RIS, PubMed, Web of Science, CSV, the Cochrane
    Library's plain text, EndNote XML) into the corpus.

    The format is read from each file's content. New records get stable citation keys;
    records already imported from the same file are left alone. Unreadable entries go to
    corpus/rejects/SOURCE/FILE.txt with the reason, and the command exits 1.

    \b
    Example:
      litreview import exports/scopus.ris --source scopus
      litreview import pubmed.nbib wos.ciw --source update-2026 --json
    """
    from litreview.corpus.store import import_files
    from litreview.files.bulk import paused_gc

    project = get_project(ctx, start=True)
    corpus_path = into or project.records
    # the records read and the corpus live until the command ends and hold no cycles: frozen at
    # the end instead of walked by one full collection (~0.8 s at 100k records) when the
    # collector comes back on; here, not in import_files, which a longer-lived caller may use
    with progress_bar(ctx) as progress, paused_gc(freeze=True):
        result = import_files(
            list(files),
            source,
            corpus_path,
            root=project.root,
            dry_run=dry_run,
            fmt=fmt,
            progress=progress,
        )
    from litreview.corpus.searches import import_warnings

    # the protocol's reported hits against what each export held: a warning, never a failure
    result.problems.extend(
        import_warnings(project, source, {f.path: f.entries for f in result.files})
    )
    report(p for p in result.problems if p.is_error or not is_quiet(ctx))
    if as_json:
        emit_json(result.as_dict())
    else:
        for f in result.files:
            info(
                ctx,
                f"{f.path}: {f.format}, {f.entries} entries, {len(f.records)} records, {len(f.rejects)} rejected",
            )
        verb = "would add" if dry_run else "added"
        echo(
            f"read {result.read} = {verb} {len(result.added)} + already in corpus {result.already}"
            f" + rejected {result.rejected}"
        )
        for path in result.rejects_paths:
            info(ctx, f"rejected entries written verbatim to {path}")
    # a file read as a --format its content is not: its records need a person's look too
    misread = any(p.code == "format-mismatch" for p in result.problems)
    ctx.exit(FINDINGS if result.rejected or misread else OK)


@click.command("stats")
@click.argument("corpus", required=False, type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_context
@handle_errors
def stats_cmd(ctx: click.Context, corpus: Path | None, as_json: bool) -> None:
    """Summarise the corpus: records per source, year and entry type, and missing fields.

    \b
    Example:
      litreview stats
      litreview stats corpus/records.bib --json
    """
    from litreview.corpus.stats import corpus_stats
    from litreview.corpus.store import load_corpus

    if corpus is not None and not corpus.exists():
        raise InputError.at(
            Location(corpus.as_posix()),
            "no such file",
            hint="name a corpus file, or leave it out for the review's corpus/records.bib",
        )
    project = get_project(ctx, start=corpus is not None)
    path = corpus or project.records
    loaded = load_corpus(path, project.rel(path))
    report(loaded.problems)
    data = corpus_stats(loaded.records)
    data["corpus"] = loaded.path
    # an entry the reader could not take is in none of the counts: say how many, and exit 2
    # (unreadable input) as every other command that reads a damaged corpus does
    unreadable = len(loaded.rejects)
    data["unreadable"] = unreadable
    status = USAGE if unreadable else OK
    if as_json:
        emit_json(data)
        ctx.exit(status)
    if fancy():
        from rich.markup import escape  # source names and paths are data, not markup
        from rich.table import Table

        console = stdout_console()
        for title, key in (
            ("Source", "by_source"),
            ("Entry type", "by_type"),
            ("Missing field", "missing"),
        ):
            table = Table(title=None)
            table.add_column(title)
            table.add_column("Records", justify="right")
            for k, v in data[key].items():
                table.add_row(escape(str(k)), str(v))
            console.print(table)
        years = data["by_year"]
        console.print("Years: " + ", ".join(f"{y}: {n}" for y, n in years.items()))
        console.print(
            f"[bold]{data['records']}[/bold] records in {escape(loaded.path)}"
            + escape(_not_counted(unreadable))
        )
        ctx.exit(status)
    echo(f"{data['records']} records in {loaded.path}" + _not_counted(unreadable))
    for title, key in (
        ("source", "by_source"),
        ("type", "by_type"),
        ("year", "by_year"),
        ("missing", "missing"),
    ):
        echo(f"{title}: " + ", ".join(f"{k}={v}" for k, v in data[key].items()))
    ctx.exit(status)


def _not_counted(unreadable: int) -> str:
    """What the summary line adds when entries could not be read: they are in no count."""
    if not unreadable:
        return ""
    return f" ({unreadable} {'entry' if unreadable == 1 else 'entries'} unreadable, not counted)"
