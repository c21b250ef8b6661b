"""Blocking keys kept by the dedupe that wrote the corpus file, for the next run over that file.

Every dedupe made each record's title key, other title readings, place and blocks again: ~2 s
of a 100k corpus, in a run after a dedupe that merged (the same command again) too, where ~85 %
of the records are the very entries the earlier run read. That run now keeps them for the
records it writes back as read, under the digest of the file it wrote; the next run makes them
for the rest (the merged records) alone, and nothing it finds changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from litreview.corpus.store import load_corpus
from litreview.dedupe import engine
from litreview.dedupe import project as dedupe_project
from litreview.project import Project

from .conftest import imported_review
from .conftest import invoke as run

ENTRIES = """
@article{p1,
  title = {Night-shift rotas and sleep debt among junior pharmacists},
  author = {Haverkamp, Ilse and Quaye, Kwabena},
  journal = {Invented Journal of Pharmacy Work},
  year = {2016}, volume = {7}, pages = {40--48},
  doi = {10.9999/ijpw.2016.040}
}
@article{p2,
  title = {Night-shift rotas and sleep debt among junior pharmacists.},
  author = {Haverkamp, I. and Quaye, K.},
  journal = {Invented Journal of Pharmacy Work},
  year = {2016}, volume = {7}, pages = {40-8},
  doi = {10.9999/IJPW.2016.040}
}
@article{q1,
  title = {Hand-over checklists on a surgical ward: a stepped-wedge trial},
  author = {Ferreira-Lund, Tomas},
  journal = {Invented Surgical Quality Letters},
  year = {2019}, volume = {3}, number = {1}, pages = {5--12},
  doi = {10.9999/isql.2019.005}
}
@article{q2,
  title = {Hand-over checklists on a surgical ward: a stepped-wedge trial},
  author = {Ferreira-Lund, T.},
  journal = {Invented Surgical Quality Letters},
  year = {2019}, volume = {3}, number = {1}, pages = {5-12},
  doi = {10.9999/isql.2019.005}
}
@article{r1,
  title = {Volunteer drivers and missed outpatient appointments in rural districts},
  author = {Oyelaran, Bisi},
  journal = {Invented Rural Health Notes},
  year = {2021}, volume = {12}, pages = {77--85}
}
@article{s1,
  title = {Carbon footprint of reusable versus single-use theatre gowns},
  author = {Marchetti, Paola and Dube, Sipho},
  journal = {Invented Green Hospitals},
  year = {2022}, volume = {2}, pages = {1--9},
  doi = {10.9999/igh.2022.001}
}
"""


def _dedupe(project: Project) -> str:
    code, out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    return out


def _made(monkeypatch: pytest.MonkeyPatch, project: Project) -> tuple[int, str]:
    """How many records' blocking keys a dedupe made, and what it printed."""
    monkeypatch.setattr(engine, "KEYED_MADE", 0)
    out = _dedupe(project)
    return engine.KEYED_MADE, out


def _kept(project: Project) -> dict[str, engine.Keyed] | None:
    corpus = load_corpus(project.records)
    return dedupe_project._KeptKeyed(project, corpus.digest, keep=False).read()


def test_a_dedupe_after_one_that_merged_makes_blocking_keys_for_the_merged_records_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(imported_review(tmp_path, ENTRIES))
    made, _out = _made(monkeypatch, project)
    assert made == 6, "the first run makes every record's"
    made, out = _made(monkeypatch, project)
    assert "merged" not in out
    assert made == 2, "the two survivors of the first run's merges; the other two as read"


def test_the_kept_blocking_keys_are_what_the_records_read_back_give(tmp_path: Path) -> None:
    project = Project(imported_review(tmp_path, ENTRIES))
    _dedupe(project)
    kept = _kept(project)
    assert kept is not None
    records = {r.key: r for r in load_corpus(project.records, use_cache=False).records}
    # import gave the records keys of their own: the two passed on as read, not the survivors
    assert sorted(kept) == ["Marchetti2022", "Oyelaran2021"]
    for key, value in kept.items():
        assert value == engine._keyed([records[key]], 0, 1)[0]


def test_kept_blocking_keys_serve_only_the_file_they_were_kept_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a person edits the corpus after the dedupe: r1 now has another title and place, and the
    # next run must block it by them (it joins nothing new, but every record is made again)
    project = Project(imported_review(tmp_path, ENTRIES))
    _dedupe(project)
    text = project.records.read_text(encoding="utf-8")
    assert "missed outpatient appointments" in text
    project.records.write_text(
        text.replace("missed outpatient appointments", "missed dental appointments"),
        encoding="utf-8",
    )
    made, _out = _made(monkeypatch, project)
    assert made == 4
    kept = _kept(project)  # that run's, for the file as the person left it
    assert kept is not None and len(kept) == 4
    assert any("dental" in value[0] for value in kept.values())


def test_no_blocking_keys_are_kept_for_a_corpus_with_an_entry_that_borrows_fields(
    tmp_path: Path,
) -> None:
    # a crossref entry reads its missing fields from another entry, which a merge may change:
    # written back as read, it may read back as another record
    project = Project(imported_review(tmp_path, ENTRIES))
    with project.records.open("a", encoding="utf-8") as fh:
        fh.write(
            "\n@inproceedings{part,\n  title = {Triage nurses and waiting times},\n"
            "  author = {Lindahl, Signe},\n  crossref = {proc}\n}\n"
            "@proceedings{proc,\n  title = {Invented Emergency Care Meeting},\n"
            "  year = {2018}\n}\n"
        )
    _dedupe(project)
    assert _kept(project) is None


def test_the_blocking_keys_are_handed_over_before_any_pair_is_compared_and_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # held to the end of the run, every record's keys were ~45 MB at 100k records on top of the
    # run's peak; handed to the caller once blocking is done, they are gone by the comparing
    from litreview.model import Name, Record

    compared = [0]
    real = engine.compare_fields

    def counted(*args: object, **kwargs: object) -> object:
        compared[0] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "compare_fields", counted)

    def rec(key: str, title: str, doi: str) -> Record:
        return Record(
            key=key,
            entry_type="article",
            title=title,
            authors=(Name("Adeyemi", "Folake"),),
            year=2018,
            container="Invented Journal of Clinic Queues",
            doi=doi,
        )

    records = [
        rec("x1", "Queue length at walk-in clinics after online booking", "10.9999/ijcq.1"),
        rec("x2", "Queue length at walk-in clinics after online booking.", "10.9999/ijcq.1"),
        rec("y1", "Interpreters by video link in emergency departments", "10.9999/ijcq.2"),
    ]
    handed: list[tuple[int, list[str]]] = []
    result = engine.find_duplicates(
        records, keep_keyed=lambda keyed: handed.append((compared[0], sorted(keyed)))
    )
    assert handed == [(0, ["x1", "x2", "y1"])], "once, every record's, before the first pair"
    assert compared[0] > 0 and result.merges
    assert result.passed_on == ("y1",), "of the result, only the keys of the records as read"
