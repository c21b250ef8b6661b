"""What every command shares: finding the project, reporting problems, JSON, exit codes."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from litreview.errors import InputError, LitreviewError, os_problem
from litreview.model import Location, Problem
from litreview.progress import Progress
from litreview.project import Project, find_project

if TYPE_CHECKING:
    from litreview.corpus.store import Corpus

OK, FINDINGS, USAGE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


def get_project(ctx: click.Context, start: bool = False) -> Project:
    """The review repository: ``-C DIR``, else the nearest folder with review.yaml or corpus/.

    Without ``start`` (only ``import`` may start a corpus in an empty folder) a folder that is
    no review at all is an error with advice, rather than a stray corpus/ in the wrong place.
    """
    root = (ctx.find_root().obj or {}).get("project")
    if root:
        project = Project(Path(root).resolve())
        if not start and not project.root.is_dir():
            raise InputError.at(
                Location(root),
                "no such folder",
                hint="-C names the review repository; `litreview init DIR` creates one",
            )
        if not start and not (project.protocol.is_file() or project.corpus_dir.is_dir()):
            # -C corpus/ (or another folder inside a review) is not the review: every command
            # would then miss review.yaml and advise `litreview init`, a second review inside it
            above = find_project(project.root.parent)
            if above.protocol.is_file():
                raise InputError.at(
                    Location(root),
                    f"is a folder inside the review at {above.root.as_posix()}, not the review",
                    hint=f"-C names the review's own folder: -C {above.root.as_posix()}",
                )
        return project
    project = find_project()
    if not start and not (project.protocol.is_file() or project.corpus_dir.is_dir()):
        raise InputError.at(
            Location(project.root.as_posix()),
            "not inside a review repository: no review.yaml or corpus/ here or in any folder above",
            hint="cd into your review, pass -C DIR, or start one with `litreview init DIR`",
        )
    return project


def is_quiet(ctx: click.Context) -> bool:
    return bool((ctx.find_root().obj or {}).get("quiet"))


def fancy() -> bool:
    """Rich tables and progress only for a person at a terminal."""
    return sys.stderr.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


#: C0 and C1 control characters but tab and newline: in a title they could clear the screen
#: (``ESC[2J``), retitle the window (OSC) or overwrite a line (CR) at the reader's terminal
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def for_terminal(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b`` escapes: what every printer for a
    person applies to data (titles, keys, messages); the stored text stays as it was read."""
    return (
        _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text) if _CONTROL.search(text) else text
    )


def echo(message: Any = None, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for lines a person reads, with :func:`for_terminal` applied."""
    click.echo(for_terminal(message) if isinstance(message, str) else message, err=err, nl=nl)


@functools.cache
def _console_class() -> Any:
    from rich.console import Console

    class SafeConsole(Console):
        """Every string a table, panel or ``print`` shows passes :func:`for_terminal` first."""

        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(for_terminal(text), **kwargs)

    return SafeConsole


def stderr_console() -> Any:
    return _console_class()(stderr=True, highlight=False, no_color="NO_COLOR" in os.environ)


def stdout_console() -> Any:
    return _console_class()(highlight=False, no_color="NO_COLOR" in os.environ)


def report(problems: Iterable[Problem]) -> None:
    """Problems to stderr as ``file:line: severity: message (hint)``, the form editors jump to."""
    for p in problems:
        echo(str(p), err=True)


#: how many warnings of one code :func:`report_summarised` shows before it counts the rest
SHOWN_OF_A_KIND = 5


def report_summarised(problems: Iterable[Problem], see_all: str, every: bool = False) -> None:
    """:func:`report`, except that of the warnings sharing one code (61,000 decisions that do not
    count yet in a screened 100k review) the first :data:`SHOWN_OF_A_KIND` are shown, then one
    line counting the others and saying how to list them (``see_all``). Errors are all shown;
    ``every`` shows every warning too."""
    from collections import Counter

    listed = list(problems)
    kinds = Counter(p.code for p in listed if not p.is_error)
    # "and 1 more" would take the line the one more would take
    many = {code for code, n in kinds.items() if n > SHOWN_OF_A_KIND + 1 and not every}
    seen: Counter[str] = Counter()
    for p in listed:
        if p.is_error or p.code not in many:
            echo(str(p), err=True)
            continue
        seen[p.code] += 1
        if seen[p.code] <= SHOWN_OF_A_KIND:
            echo(str(p), err=True)
        if seen[p.code] == SHOWN_OF_A_KIND:
            rest = kinds[p.code] - SHOWN_OF_A_KIND
            echo(
                f"… and {rest} more warning{'s' if rest != 1 else ''} of this kind "
                f"({p.code}); {see_all} lists every one",
                err=True,
            )


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def json_option(f: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print the result as JSON on stdout."
    )(f)


def _quiet_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush of a closed pipe does
    not print an error of its own."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def handle_errors(f: F) -> F:
    """Turn the library's typed errors into messages and exit code 2; never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except LitreviewError as exc:
            _stop_bars()
            problems = advise(_absorbed_not_missing(exc.problems))
            report(problems)
            _json_cannot_run(problems)
            raise SystemExit(USAGE) from None
        except BrokenPipeError:  # `litreview ... | head`: the reader had enough; nothing went wrong
            _quiet_stdout()
            raise SystemExit(OK) from None
        except (
            OSError
        ) as exc:  # the environment failed us: a full disk, permissions, a folder for a file
            _stop_bars()
            problems = [os_problem(exc)]
            report(problems)
            _json_cannot_run(problems)
            raise SystemExit(USAGE) from None
        finally:
            _stop_bars()

    return wrapper  # type: ignore[return-value]


def _json_cannot_run(problems: Sequence[Problem]) -> None:
    """A command asked for JSON that stops on an input error still prints JSON on stdout, as
    ``check --format json`` does: a script parsing its output gets the reason, not an empty
    document. The messages go to stderr as always."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.params.get("as_json"):
        emit_json({"version": 1, "cannot_run": True, "problems": [p.as_dict() for p in problems]})


#: file name -> what to do when a command needs it and it is missing
_MISSING_ADVICE = {
    "review.yaml": "this command reads the protocol; `litreview init DIR` writes a starting one "
    "(see docs/formats.md#protocol)",
    "themes.yaml": "tagging needs the review's themes; write themes.yaml (see docs/formats.md#themes)",
}


#: PyYAML's words for the usual slips in a hand-edited file -> (what it means, what to do)
_YAML_ADVICE = (
    (
        "found character '\\t'",
        "a tab character",
        "YAML indents with spaces only: replace the tab with spaces",
    ),
    (
        "expected <block end>",
        "this line is indented differently from the lines around it",
        "keys of one item start in the same column; list items start with '- '",
    ),
    (
        "mapping values are not allowed",
        "a ':' where YAML did not expect one",
        "quote text that contains ': ' (e.g. 'Title: subtitle') or indent the key under its parent",
    ),
    (
        "could not find expected ':'",
        "a line that is not `key: value`",
        "add the missing ':' or quote the text; a list item needs '- '",
    ),
    (
        "expected ',' or ']'",
        "an unclosed list",
        "close the [ ... ] on this line, or quote a value containing ','",
    ),
    ("expected ',' or '}'", "an unclosed mapping", "close the { ... } on this line"),
    (
        "found unexpected end of stream",
        "a quote that is never closed",
        "close the quote that starts on this line",
    ),
    (
        "did not find expected key",
        "this line is indented differently from the lines around it",
        "keys of one item start in the same column; list items start with '- '",
    ),
)


def _absorbed_not_missing(problems: list[Problem]) -> list[Problem]:
    """See :func:`litreview.check.checks.absorbed_not_missing`: only with a review to look in."""
    if not any(p.is_error and p.missing for p in problems):  # a key the corpus lacks
        return problems
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return problems
    try:
        project = get_project(ctx)
    except LitreviewError:
        return problems
    from litreview.check.checks import absorbed_not_missing

    try:
        return absorbed_not_missing(project, problems)
    except (LitreviewError, OSError):
        return problems


def advise(problems: Iterable[Problem]) -> list[Problem]:
    """Add what to do to the core's problems that come without a hint: a missing file, and the
    YAML parser's own wording for a syntax slip (kept at the end for anyone who knows it)."""
    import dataclasses

    out = []
    for p in problems:
        name = p.location.path.rsplit("/", 1)[-1]
        if p.hint is None and p.code == "missing-file" and name in _MISSING_ADVICE:
            p = dataclasses.replace(p, hint=_MISSING_ADVICE[name])
        elif p.hint is None and p.code == "corpus-unreadable":
            p = dataclasses.replace(
                p,
                hint="litreview writes this file; if it was edited by hand, repair that entry "
                "or undo the edit; `git diff` shows it",
            )
        elif p.hint is None and p.code == "yaml":
            for words, meaning, todo in _YAML_ADVICE:
                if words in p.message:
                    detail = p.message.removeprefix("invalid YAML: ")
                    p = dataclasses.replace(
                        p, message=f"invalid YAML: {meaning}; the parser says: {detail}", hint=todo
                    )
                    break
        out.append(p)
    return out


def parse_formats(value: str) -> tuple[str, ...]:
    """``--format md,html`` of render and run: the formats named, each once, or a usage error."""
    from litreview.report.render import FORMATS

    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise click.BadParameter(
            f"unknown format {bad[0]!r}; choose from {', '.join(FORMATS)}"
            if bad
            else f"no format given; choose one or more of {', '.join(FORMATS)}",
            param_hint="--format",
        )
    return chosen


def info(ctx: click.Context, message: str) -> None:
    if not is_quiet(ctx):
        echo(message, err=True)


# --- progress ------------------------------------------------------------------------------------


def shows_progress(ctx: click.Context) -> bool:
    """Bars only for a person at a terminal: stderr is a TTY, TERM is not dumb, no --quiet."""
    return not is_quiet(ctx) and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


class _Bars:
    """The rich side of :data:`litreview.progress.Progress`: one line per step on stderr.

    Started at the first call and stopped (and cleared) once every step has reached its total,
    so a command needs no ``with`` block; :func:`handle_errors` stops it if a step fails.
    """

    def __init__(self) -> None:
        self.live: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.live is None:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as RichProgress

            self.live = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=stderr_console(),
                transient=True,
            )
            self.tasks = {}
            self.live.start()
            _ACTIVE.append(self)
        task = self.tasks.get(step)
        if task is None:
            task = self.tasks[step] = self.live.add_task(step, total=total)
        self.live.update(task, completed=done, total=total)
        if done >= total and all(t.finished for t in self.live.tasks):
            self.stop()

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
        if self in _ACTIVE:
            _ACTIVE.remove(self)


_ACTIVE: list[_Bars] = []


def _stop_bars() -> None:
    for bars in list(_ACTIVE):
        bars.stop()


def progress_for(ctx: click.Context, log: bool = False) -> Progress | None:
    """The progress callback for the core: rich bars at a terminal, else nothing.

    With ``log`` (for ``litreview run``), output that is not a terminal still gets one
    ``… step`` line per step on stderr, unless --quiet.
    """
    if shows_progress(ctx):
        return _Bars()
    if log and not is_quiet(ctx):
        said: set[str] = set()

        def line(step: str, done: int, total: int) -> None:
            if step not in said:
                said.add(step)
                click.echo(f"… {step}", err=True)

        return line
    return None


@contextlib.contextmanager
def progress_bar(ctx: click.Context, log: bool = False) -> Iterator[Progress | None]:
    """:func:`progress_for` as a ``with`` block that always clears the bars at its end."""
    callback = progress_for(ctx, log)
    try:
        yield callback
    finally:
        if isinstance(callback, _Bars):
            callback.stop()


def corrected(project: Project, corpus: Corpus) -> Corpus:
    """The corpus with people's corrections laid over it; a broken corrections file stops here."""
    from litreview.corpus.corrections import with_corrections
    from litreview.errors import ConfigError
    from litreview.review import Review

    corpus, problems = with_corrections(
        corpus,
        project.corrections,
        project.rel(project.corrections),
        lambda: Review.of(project).aliases,
    )
    if any(p.is_error for p in problems):
        raise ConfigError([p for p in problems if p.is_error])
    report(problems)
    return corpus
