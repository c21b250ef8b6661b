"""Where a review repository keeps its files. One place, so no step invents its own paths."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def records(self) -> Path:
        return self.corpus_dir / "records.bib"

    @property
    def searches(self) -> Path:
        return self.corpus_dir / "searches"

    @property
    def duplicates(self) -> Path:
        return self.corpus_dir / "duplicates.yaml"

    @property
    def screening(self) -> Path:
        return self.corpus_dir / "screening.yaml"

    @property
    def rule_audit(self) -> Path:
        return self.corpus_dir / "rule-audit.yaml"

    @property
    def screening_dir(self) -> Path:
        """One decisions file per reviewer (``<ID>.yaml``), so two people's commits never collide."""
        return self.corpus_dir / "screening"

    def reviewer_file(self, reviewer: str) -> Path:
        return self.screening_dir / f"{reviewer}.yaml"

    def decision_files(self) -> list[Path]:
        """Every file of people's screening decisions: the shared ``screening.yaml`` first (it may
        be absent), then each reviewer's file in name order."""
        found = sorted(self.screening_dir.glob("*.yaml")) if self.screening_dir.is_dir() else []
        return [self.screening, *(p for p in found if p.is_file())]

    @property
    def corrections(self) -> Path:
        return self.corpus_dir / "corrections.yaml"

    @property
    def fulltext(self) -> Path:
        return self.corpus_dir / "fulltext.yaml"

    def appraisal_files(self) -> list[Path]:
        """Each reviewer's appraisal file (corpus/appraisal/ID.yaml) and the consensus file, those
        that exist, in name order."""
        folder = self.corpus_dir / "appraisal"
        found = sorted(p for p in folder.glob("*.yaml") if p.is_file()) if folder.is_dir() else []
        consensus = self.corpus_dir / "appraisal-consensus.yaml"
        return [*found, *([consensus] if consensus.is_file() else [])]

    @property
    def narrative(self) -> Path:
        return self.corpus_dir / "narrative.yaml"

    @property
    def extraction(self) -> Path:
        return self.corpus_dir / "extraction.yaml"

    @property
    def theme_overrides(self) -> Path:
        return self.corpus_dir / "theme-overrides.yaml"

    @property
    def protocol(self) -> Path:
        return self.root / "review.yaml"

    @property
    def themes(self) -> Path:
        return self.root / "themes.yaml"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def user_templates(self) -> Path | None:
        """The review's own templates folder when it has one (ours fill in what it lacks)."""
        return self.templates if self.templates.is_dir() else None

    @property
    def build(self) -> Path:
        return self.root / "build"

    def rel(self, path: Path) -> str:
        """A path as shown in messages and stored in provenance: relative to the root, with /."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above ``start`` holding ``review.yaml`` or ``corpus/``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "review.yaml").is_file() or (folder / "corpus").is_dir():
            return Project(folder)
    return Project(here)
