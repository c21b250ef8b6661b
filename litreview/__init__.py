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
    "load_state": "litreview.pipeline",
    "run_pipeline": "litreview.pipeline",
    "build_render_input": "litreview.pipeline",
    "import_files": "litreview.corpus",
    "load_corpus": "litreview.corpus",
    "save_corpus": "litreview.corpus",
    "find_duplicates": "litreview.dedupe",
    "dedupe_project": "litreview.dedupe",
    "MergeMap": "litreview.mergemap",
    "load_protocol": "litreview.protocol",
    "screen_records": "litreview.screen",
    "rule_results": "litreview.screen",
    "apply_decisions": "litreview.screen",
    "load_themes": "litreview.themes",
    "tag_records": "litreview.tag",
    "load_extraction": "litreview.extraction",
    "load_narrative": "litreview.narrative",
    "render_all": "litreview.render",
    "render_outputs": "litreview.render",
    "export_project": "litreview.export",
    "check_project": "litreview.check",
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
