"""``litreview init``: the files a new review repository starts from."""

from __future__ import annotations

from pathlib import Path

from litreview.errors import InputError
from litreview.fsutil import atomic_write
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

GITIGNORE = ("build/\n.litreview-cache/\n# a write interrupted by a crash leaves its temporary file and perhaps the journal of its\n"
             "# change; the next litreview command finishes or removes them\n.*.tmp\n.litreview-journal\n")

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
    # until litreview is published on PyPI, point this at the litreview repository you use:
    # pip install 'litreview @ git+https://github.com/OWNER/litreview'
    - run: pip install litreview
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
    ".github/workflows/litreview.yml": WORKFLOW,
    ".pre-commit-config.yaml": PRE_COMMIT,
    "corpus/searches/.gitkeep": "",
    "templates/.gitkeep": "",
}


def scaffold(directory: Path) -> list[str]:
    """Write the starter files; refuse (writing nothing) if any of them exists already."""
    existing = [name for name in FILES if (directory / name).exists()]
    if existing:
        raise InputError([
            Problem(Location((directory / name).as_posix()), "already exists; litreview init never overwrites",
                    Severity.ERROR, "exists", "choose an empty folder")
            for name in existing
        ])
    for name, text in FILES.items():
        atomic_write(directory / name, text)
    return sorted((directory / name).as_posix() for name in FILES)
