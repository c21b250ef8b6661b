"""litreview: import, deduplicate, screen, tag and render a literature review's bibliography.

Every command of the CLI is also a function here. The names below are the public API; each is
imported from its module on first use, so ``import litreview`` (and ``litreview --help``) stays
fast::

    import litreview
    project = litreview.Project(Path("my-review"))
    state = litreview.load_state(project)          # corpus, protocol, decisions, screening, tags
    litreview.render_all(litreview.build_render_input(project, state), Path("build"))

Modules not listed here are the implementation; their names may change.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> the module that defines it
_PUBLIC = {
    "Project": "litreview.project",
    "load_state": "litreview.workflow.pipeline",
    "run_pipeline": "litreview.workflow.pipeline",
    "build_render_input": "litreview.workflow.pipeline",
    "import_files": "litreview.corpus.store",
    "load_corpus": "litreview.corpus.store",
    "save_corpus": "litreview.corpus.store",
    "find_duplicates": "litreview.dedupe",
    "dedupe_project": "litreview.dedupe",
    "MergeMap": "litreview.corpus.mergemap",
    "load_protocol": "litreview.protocol",
    "screen_records": "litreview.screen.engine",
    "rule_results": "litreview.screen.engine",
    "apply_decisions": "litreview.screen.engine",
    "load_themes": "litreview.tag.themes",
    "tag_records": "litreview.tag.engine",
    "load_extraction": "litreview.extract.extraction",
    "load_narrative": "litreview.report.narrative",
    "render_all": "litreview.report.render",
    "render_outputs": "litreview.report.render",
    "export_project": "litreview.export.records",
    "check_project": "litreview.check.checks",
}

__all__ = ["__version__", *sorted(_PUBLIC)]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'litreview' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
