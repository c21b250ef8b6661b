"""Cross-file checks: each stored file validated against the corpus and the protocol.

Kept apart from :mod:`litreview.check` so that each step's own loader does the validating
(one set of rules, used by the step and by CI alike); this module only calls them.
"""

from __future__ import annotations

from collections.abc import Callable

from litreview.corpus import Corpus
from litreview.model import Problem
from litreview.project import Project

CHECKERS: list[tuple[str, Callable[[Project, Corpus], list[Problem]]]] = []
