"""``litreview init``: the files a new review repository starts from."""

from __future__ import annotations

from pathlib import Path

from litreview.errors import InputError
from litreview.files.fsutil import atomic_write
from litreview.model import Location, Problem, Severity

PROTOCOL = """\
# The review's protocol: what was searched, and what is in and out. `litreview check` validates it.
version: 1
title: My review
question: What does the evidence say about ...?

sources:            # one per database or search; ids are the --source of `litreview import`
- id: scopus
  name: Scopus
  kind: database
  searched: '2026-01-15'
  files: []         # e.g. [corpus/searches/scopus.ris]; `litreview run` imports them
  # each search as run (PRISMA-S; the appendix shows them), e.g.
  # searches:
  # - {database: Scopus, platform: Elsevier, date: '2026-01-15', records: 412,
  #    query: 'TITLE-ABS-KEY(doctor* AND manager*)', limits: 'English; 2002-2015'}

stages:
- id: title-abstract
  label: Title and abstract
- id: full-text
  label: Full text
  requires_person: true

reasons:            # exclusion reason codes, one per excluded record
  out-of-period: Published outside the review period
  off-topic: Not about the review question

criteria:           # in order: the first one clearly not met gives the reason
- id: period
  label: Published 2010 or later
  kind: year-range
  stage: title-abstract
  reason: out-of-period
  min: 2010
- id: topic
  label: About the review question
  kind: terms
  stage: title-abstract
  reason: off-topic
  fields: [title, abstract, keywords]
  include_terms: [example term]

extraction:
  fields:
  - {name: relevance, label: Relevance, required: false, values: [direct, related]}
  - {name: design, label: Design, required: true}
  - {name: key_findings, label: Key findings, required: true}
"""

THEMES = """\
# The review's themes. `litreview themes check` validates this file.
version: 1
settings:
  threshold: 1
themes:
- id: example
  label: An example theme
  question: What does the evidence say about the example?
  description: Replace with the review's own themes.
  terms:
  - example term
"""

README = """\
# A litreview review repository

- `corpus/searches/`: raw exports as downloaded (RIS, PubMed, Web of Science, BibTeX, CSV);
  list them under `sources` in `review.yaml`.
- `litreview run` imports, deduplicates, screens, tags and renders into `build/`.
- `litreview status` says what waits for a person; `litreview check` validates every file.
- People's decisions live in `corpus/screening/ID.yaml` (one file per reviewer),
  `corpus/duplicates.yaml`, `corpus/theme-overrides.yaml` and `corpus/extraction.yaml`: commit them.
"""

GITIGNORE = (
    "build/\n.litreview-cache/\n# a write interrupted by a crash leaves its temporary file and perhaps the journal of its\n"
    "# change; the next litreview command finishes or removes them\n.*.tmp\n.litreview-journal\n"
)

#: litreview writes its files with LF line ends: a checkout that turned them to CRLF (Git for
#: Windows' default) made the next write a whole-file change in git's diff. Not the exports under
#: corpus/searches/, which are kept byte for byte as the databases wrote them.
GITATTRIBUTES = """\
# litreview writes these with LF line ends; keep every checkout (Windows too) the same, so that
# a command rewriting a file changes only the lines it changes
*.yaml text eol=lf
corpus/*.bib text eol=lf
corpus/screening/*.yaml text eol=lf
corpus/searches/** -text
"""

WORKFLOW = """\
name: litreview check
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
    - uses: actions/checkout@v4
    - uses: actions/setup-python@v5
      with: {python-version: '3.11'}
    # the litreview this review was started with, as `litreview init` found it installed; change
    # it to move to another, e.g. 'litreview @ git+https://github.com/OWNER/litreview@TAG'
    - run: pip install "$LITREVIEW"
      env: {LITREVIEW: @SPEC@}
    - run: litreview check --format github
"""

PRE_COMMIT = """\
repos:
- repo: local
  hooks:
  - id: litreview-check
    name: litreview check
    entry: litreview check
    language: system
    pass_filenames: false
    files: ^(corpus/|review\\.yaml$|themes\\.yaml$|templates/)
"""

FILES = {
    "review.yaml": PROTOCOL,
    "themes.yaml": THEMES,
    "README.md": README,
    ".gitignore": GITIGNORE,
    ".gitattributes": GITATTRIBUTES,
    ".github/workflows/litreview.yml": "",  # WORKFLOW with the install spec, filled in by scaffold()
    ".pre-commit-config.yaml": PRE_COMMIT,
    "corpus/searches/.gitkeep": "",
    "templates/.gitkeep": "",
}


def install_spec() -> str:
    """How the running litreview was installed, as a pip requirement a review's CI can install.

    From PyPI: ``litreview==VERSION``. From git (``pip install git+URL``): that URL at the commit
    installed. From a local checkout: its git remote at its commit when it has both, else the
    ``file://`` URL (which only works on this machine: the workflow's comment says how to
    change it). Read from the installed distribution's ``direct_url.json`` (PEP 610).
    """
    import json
    from importlib import metadata

    from litreview import __version__

    # a source checkout on sys.path may hold a stale litreview.egg-info next to the installed
    # dist-info: the one that says where it came from is the installed one
    found = sorted(
        metadata.distributions(name="litreview"), key=lambda d: not d.read_text("direct_url.json")
    )
    if not found:
        return f"litreview=={__version__}"
    dist = found[0]
    raw = dist.read_text("direct_url.json")
    if not raw:
        return f"litreview=={dist.version}"
    try:
        info = json.loads(raw)
    except ValueError:
        return f"litreview=={dist.version}"
    url = str(info.get("url", ""))
    vcs = info.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") and vcs.get("commit_id"):
        return f"litreview @ {vcs['vcs']}+{url}@{vcs['commit_id']}"
    if url.startswith("file://"):
        from urllib.request import url2pathname

        checkout = Path(url2pathname(url[len("file://") :]))
        remote, commit = _git_origin(checkout)
        if remote and commit:
            return f"litreview @ git+{_git_url(remote, checkout)}@{commit}"
    return f"litreview @ {url}" if url else f"litreview=={dist.version}"


def _git_origin(path: Path) -> tuple[str, str]:
    """The checkout's ``origin`` URL and HEAD commit (empty strings when it has none)."""
    import subprocess

    def git(*args: str) -> str:
        try:
            done = subprocess.run(
                ["git", "-C", str(path), *args],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    return git("remote", "get-url", "origin"), git("rev-parse", "HEAD")


def _git_url(remote: str, checkout: Path) -> str:
    """A git remote as pip takes it after ``git+``: a URL as it is, ``user@host:path`` as
    ``ssh://user@host/path``, a folder as a ``file://localhost/`` URL (pip refuses ``git+file:///``,
    a URL with an empty host, as a requirement)."""
    import re

    if "://" in remote:
        return remote
    scp = re.match(r"^([\w.-]+@[\w.-]+):(.+)$", remote)
    if scp:
        return f"ssh://{scp.group(1)}/{scp.group(2).lstrip('/')}"
    return "file://localhost" + (checkout / remote).resolve().as_uri()[len("file://") :]


def _yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def scaffold(directory: Path, install: str | None = None) -> list[str]:
    """Write the starter files; refuse (writing nothing) if any of them exists already.

    ``install`` is the pip requirement the CI workflow installs (default: :func:`install_spec`).
    """
    # a review inside a review: commands run in the inner one would find its corpus, in a
    # folder of the outer one (its corpus/, say) they would mix the two
    outer = next((up for up in directory.resolve().parents if (up / "review.yaml").is_file()), None)
    if outer is not None:
        raise InputError.at(
            Location(directory.as_posix()),
            f"is inside the review at {outer.as_posix()}; a review inside a review is refused",
            hint="choose a folder outside it (each review is its own repository)",
        )
    existing = [name for name in FILES if (directory / name).exists()]
    if existing:
        raise InputError(
            [
                Problem(
                    Location((directory / name).as_posix()),
                    "already exists; litreview init never overwrites",
                    Severity.ERROR,
                    "exists",
                    "choose an empty folder",
                )
                for name in existing
            ]
        )
    files = dict(FILES)
    files[".github/workflows/litreview.yml"] = WORKFLOW.replace(
        "@SPEC@", _yaml_quoted(install or install_spec())
    )
    for name, text in files.items():
        atomic_write(directory / name, text)
    return sorted((directory / name).as_posix() for name in FILES)
