"""A dedupe hashes each file it reads once per state of that file.

A run asked for the digest of records.bib three times (whether the last run's result still
holds, which cache holds the corpus, and after the run, for the next) and for the dedupe log's
and absorbed.bib's as often: ~1 s of hashing at 100k records for files that had not changed in
between. A file written in between (a new inode, another size or time) is hashed again.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from litreview.files import fsutil
from litreview.project import Project

from .conftest import imported_review
from .conftest import invoke as run

ENTRIES = """
@article{m1,
  title = {Weekend discharge planning and readmission within thirty days},
  author = {Abernethy, Rowan and Sato, Kenji},
  journal = {Invented Journal of Ward Practice},
  year = {2015}, volume = {6}, pages = {120--128},
  doi = {10.9999/ijwp.2015.120}
}
@article{m2,
  title = {Weekend discharge planning and readmission within thirty days.},
  author = {Abernethy, R. and Sato, K.},
  journal = {Invented Journal of Ward Practice},
  year = {2015}, volume = {6}, pages = {120-8},
  doi = {10.9999/IJWP.2015.120}
}
@article{n1,
  title = {Porters, lifts and the time to theatre for hip fractures},
  author = {Nakamura-Holt, Erin},
  journal = {Invented Orthopaedic Logistics},
  year = {2020}, volume = {1}, pages = {3--10}
}
"""


def _counting(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    hashed: Counter[str] = Counter()
    real = hashlib.file_digest

    def counted(fh: Any, digest: Any, *args: Any, **kwargs: Any) -> Any:
        hashed[Path(fh.name).name] += 1
        return real(fh, digest, *args, **kwargs)

    monkeypatch.setattr(hashlib, "file_digest", counted)
    return hashed


def test_a_dedupe_hashes_each_file_it_reads_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(imported_review(tmp_path, ENTRIES))
    code, _out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    assert project.duplicates.exists()
    hashed = _counting(monkeypatch)
    code, out, err = run(project.root, "dedupe")  # merges nothing: settled for the next run
    assert code in (0, 1), err
    assert "merged" not in out
    assert hashed["records.bib"] == 1
    assert hashed["absorbed.bib"] == 1
    assert hashed["duplicates.yaml"] <= 2, "once as read, once more if the run rewrote it"


def test_a_kept_digest_is_of_the_file_as_it_now_is(tmp_path: Path) -> None:
    path = tmp_path / "f.bib"
    path.write_bytes(b"first")
    with fsutil.digests_kept():
        with path.open("rb") as fh:
            first = fsutil.kept_sha256(fh)
        assert first == hashlib.sha256(b"first").hexdigest()
        replacement = tmp_path / "g.bib"
        replacement.write_bytes(b"other")  # same size, written elsewhere and renamed in
        os.replace(replacement, path)
        with path.open("rb") as fh:
            assert fsutil.kept_sha256(fh) == hashlib.sha256(b"other").hexdigest()
        path.write_bytes(b"longer text")  # rewritten in place
        with path.open("rb") as fh:
            assert fsutil.kept_sha256(fh) == hashlib.sha256(b"longer text").hexdigest()
    assert fsutil._DIGESTS is None, "kept only while in force"
