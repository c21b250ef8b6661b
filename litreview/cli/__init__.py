"""The command line: a thin layer over the library.

Each command lives in its own module under ``litreview.cli`` and is imported only when it runs,
so ``litreview --help`` never pays for pybtex, rapidfuzz, jinja2 or rich.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click

from litreview import __version__

#: command name -> (module, attribute, one-line help shown in ``litreview --help``)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("litreview.cli.workflow", "init_cmd", "Scaffold a new review repository."),
    "import": ("litreview.cli.importing", "import_cmd", "Import database exports into the corpus."),
    "stats": (
        "litreview.cli.importing",
        "stats_cmd",
        "Summarise the corpus: sources, years, types, gaps.",
    ),
    "dedupe": ("litreview.cli.dedupe", "dedupe_group", "Find and merge duplicate records."),
    "screen": (
        "litreview.cli.screen",
        "screen_group",
        "Screen records against the protocol's criteria.",
    ),
    "fulltext": (
        "litreview.cli.fulltext",
        "fulltext_group",
        "Record which full texts were retrieved, and why not.",
    ),
    "appraise": (
        "litreview.cli.appraise",
        "appraise_group",
        "Appraise included studies' quality, one or two reviewers each.",
    ),
    "tag": ("litreview.cli.tag", "tag_cmd", "Tag included studies with the review's themes."),
    "themes": ("litreview.cli.tag", "themes_group", "Show theme coverage; validate themes.yaml."),
    "render": (
        "litreview.cli.render",
        "render_cmd",
        "Render the appendix, evidence table, narrative and PRISMA.",
    ),
    "export": (
        "litreview.cli.export",
        "export_cmd",
        "Export records with decisions to RIS, BibTeX, CSV, CSL-JSON.",
    ),
    "check": (
        "litreview.cli.check",
        "check_cmd",
        "Validate every corpus file against the others (for CI).",
    ),
    "run": (
        "litreview.cli.workflow",
        "run_cmd",
        "Run the whole pipeline: import, dedupe, screen, tag, render.",
    ),
    "status": (
        "litreview.cli.workflow",
        "status_cmd",
        "Where the review stands, and what to do next.",
    ),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _available(cmd_name):
            return None
        module, attr, _ = COMMANDS[cmd_name]
        cmd = getattr(importlib.import_module(module), attr)
        assert isinstance(cmd, click.Command)
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(name: str) -> bool:
    module = COMMANDS[name][0]
    return importlib.util.find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="litreview")
@click.option(
    "-C",
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="The review repository (default: the nearest folder with review.yaml or corpus/).",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Only results and errors; no progress or summaries."
)
@click.pass_context
def cli(ctx: click.Context, project: str | None, quiet: bool) -> None:
    """litreview: a literature review from a bibliography kept in git.

    \b
    Example:
      litreview import corpus/searches/scopus.ris --source scopus
      litreview run
    """
    ctx.ensure_object(dict)
    ctx.obj["project"] = project
    ctx.obj["quiet"] = quiet


def main(argv: list[str] | None = None) -> Any:
    safe_streams()
    return cli.main(args=argv, prog_name="litreview")


def entry() -> None:
    """The ``litreview`` program: :func:`main`, then an exit that skips freeing every object.

    After a command on 100k records the interpreter spends over a second taking apart objects
    the operating system is about to reclaim anyway. Everything a command writes is closed (or
    committed) before it returns, so once the exit handlers have run and the streams are
    flushed, the process ends with its exit code. A command that left another thread running,
    one run under a profiler or debugger, or one that crashed with a traceback, ends the usual
    way."""
    import atexit
    import os
    import sys
    import threading

    try:
        main()
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    if threading.active_count() > 1 or sys.getprofile() or sys.gettrace():
        sys.exit(code)  # a thread still working, or a profiler that writes its results at exit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the descriptor closed: nothing to flush
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120  # what Python itself exits with when stdout cannot be flushed
    os._exit(code)


def safe_streams() -> None:
    """Text the terminal's encoding cannot show (a Greek title under ``PYTHONIOENCODING=latin-1``)
    is written as ``\\u03b1`` escapes rather than stopping the command with a traceback."""
    import io
    import sys

    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")
