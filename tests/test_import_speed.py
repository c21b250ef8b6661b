"""A 100k import without parsing back what it just wrote (issue 16).

``save_corpus`` must leave in the cache exactly what reading the written file gives. For a record
``reads_back_unchanged`` vouches for, that is the record itself; these tests hold it to "never
True for a record that would read back differently", on records built to be awkward.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.corpus import store as corpus_mod
from litreview.corpus.store import load_corpus, save_corpus
from litreview.io import bibtex
from litreview.io.bibtex import format_entry, read_bibtex, reads_back_unchanged
from litreview.model import Name, Provenance, Record

_word = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=8)
_plain_text = st.lists(_word, min_size=1, max_size=6).map(" ".join)
_odd_text = st.sampled_from(
    [
        "",
        "a--b",
        "x {y} z",
        "back\\slash",
        "tilde~",
        "50%",
        "a; b",
        "a, b",
        " lead",
        "trail ",
        "two  spaces",
        "line\nbreak",
        "tab\there",
        "pipe | here",
        "Ünïcödé",
        "$\\alpha$",
        "}{",
        "a|b",
        "@misc{x,",
        'q"uote',
        "\u00a0nbsp",
        "and",
    ]
)
_last = (
    st.sampled_from(
        [
            "Smith",
            "der",
            "van der Berg",
            "O'Neil",
            "Ünal",
            "Smith-Jones",
            "and",
            "AND",
            "3M",
            "Mc{C}oy",
            "Le Roy",
            "Smith,",
            "ß",
            "Ø",
        ]
    )
    | _word
)
_first = (
    st.sampled_from(
        [
            "",
            "A.",
            "Anand",
            "Mary and",
            "and Bob",
            "AND",
            "J., Jr",
            "Huw T. O.",
            "Zoë",
            " Bob",
            "Bob  Jr",
            "{Ann}",
            "de",
            "x--y",
        ]
    )
    | _word
)
_name = st.builds(
    Name,
    last=_last,
    first=_first,
    von=st.sampled_from(["", "", "", "van"]),
    jr=st.sampled_from(["", "", "", "Jr"]),
    corporate=st.sampled_from([False, False, False, True]),
)
_extra_name = st.sampled_from(
    [
        "note",
        "country",
        "journal",
        "editor",
        "date",
        "crossref",
        "number",
        "edition",
        "address",
        "Note",
        "x-y",
        "keyword",
        "publisher",
        "journaltitle",
        "ids",
        "x.y",
    ]
)


@st.composite
def plain_records(draw: st.DrawFn) -> Record:
    """Records as a database export usually gives them: what the check should vouch for."""
    last = _word.map(lambda w: w[0].upper() + w[1:]).filter(
        lambda w: w[0].isalpha() and not w[0].islower()
    )
    first = st.sampled_from(["", "A.", "Anand", "Huw T. O.", "Zoë", "Mary Ann"])
    return Record(
        key=f"Smith{draw(st.integers(1900, 2030))}{draw(st.sampled_from(['', 'a', 'b']))}",
        entry_type=draw(
            st.sampled_from(["article", "book", "misc", "inproceedings", "techreport"])
        ),
        title=draw(_plain_text),
        authors=tuple(draw(st.lists(st.builds(Name, last=last, first=first), max_size=4))),
        year=draw(st.none() | st.integers(1900, 2030)),
        container=draw(st.sampled_from(["", "The Lancet", "BMJ Open"])),
        volume=draw(st.sampled_from(["", "12"])),
        issue=draw(st.sampled_from(["", "4"])),
        pages=draw(st.sampled_from(["", "1-10", "e1234", "1103-1116"])),
        doi=draw(st.sampled_from(["", "10.1136/bmj.326.7390.626"])),
        pmid=draw(st.sampled_from(["", "123"])),
        abstract=draw(
            st.sampled_from(
                ["", "Background: one. Methods: two (OR 2.59, 95% CI 0.90-1.74; n=62)."]
            )
        ),
        keywords=tuple(dict.fromkeys(draw(st.lists(_word, max_size=3)))),
        provenance=(
            Provenance(
                "database-search",
                "corpus/searches/db.bib",
                draw(st.integers(1, 10**6)),
                draw(st.sampled_from([None, "rec0000001"])),
            ),
        ),
        extra=tuple(
            sorted(
                {
                    k: draw(_plain_text)
                    for k in draw(st.lists(st.sampled_from(["note", "issn", "month"]), max_size=2))
                }.items()
            )
        ),
    )


_text = _plain_text | _odd_text
#: one field of a usual record made awkward: each a way a value can read back differently
_CHANGES = st.one_of(
    st.builds(lambda v: {"title": v}, _text),
    st.builds(lambda v: {"container": v}, _text),
    st.builds(lambda v: {"abstract": v}, _text),
    st.builds(lambda v: {"url": v}, _text),
    st.builds(lambda v: {"language": v}, st.sampled_from(["", "English", "en  gb", "en--gb"])),
    st.builds(
        lambda v: {"key": v},
        st.sampled_from(["K-1:2", "a b", "k,1", "K{1}", "K%", "Ünal2001", "k=1"]),
    ),
    st.builds(
        lambda v: {"entry_type": v},
        st.sampled_from(
            [
                "online",
                "set",
                "Article",
                "phdthesis",
                "comment",
                "xdata",
                "misc",
                "my-type",
                "string",
            ]
        ),
    ),
    st.builds(lambda v: {"authors": v}, st.lists(_name, max_size=3).map(tuple)),
    st.builds(lambda v: {"year": v}, st.none() | st.integers(1400, 2200)),
    st.builds(lambda v: {"volume": v}, st.sampled_from(["", "12", "3A", "1--2", " 5"])),
    st.builds(lambda v: {"issue": v}, st.sampled_from(["", "4", "Suppl 2", " 5"])),
    st.builds(
        lambda v: {"pages": v},
        st.sampled_from(
            [
                "",
                "1-10",
                "e1234",
                "626-628",
                "iii--iv",
                "10-9",
                "1103-16",
                "12--",
                "a b",
                "1 - 2",
                "S1-S5",
                "1-2-3",
                "p. 4",
                "5-",
            ]
        ),
    ),
    st.builds(
        lambda v: {"doi": v},
        st.sampled_from(["", "10.1/ABC", "doi:10.1/x", "10.1/a b", "n/a", "10.1/x."]),
    ),
    st.builds(lambda v: {"pmid": v}, st.sampled_from(["", "123", "PMID 123", "0012", "12a"])),
    st.builds(
        lambda v: {"keywords": v},
        st.lists(
            st.sampled_from(["a", "b,c", "x;y", "", " s", "Zoë", "two words", "a"]) | _word,
            max_size=3,
        ).map(tuple),
    ),
    st.builds(
        lambda v: {"extra": v}, st.lists(st.tuples(_extra_name, _text), max_size=3).map(tuple)
    ),
    st.builds(
        lambda v: {"extra": v},
        st.lists(st.tuples(_extra_name, _text), max_size=3).map(
            lambda kv: tuple(sorted(dict(kv).items()))
        ),
    ),
    st.builds(
        lambda v: {"provenance": v},
        st.lists(
            st.builds(
                Provenance,
                st.sampled_from(["db", "a--b", "x y", " lead", "web;x", "a|b", "{s}"]),
                st.sampled_from(["corpus/searches/db.bib", "s/a b.ris", "x\\y.bib", "a~b.bib"]),
                st.none() | st.integers(0, 10_000),
                st.sampled_from([None, "id1", "a%b", "x|y", "", "W0S:1"]),
            ),
            max_size=3,
        ).map(tuple),
    ),
)


@st.composite
def awkward_records(draw: st.DrawFn) -> Record:
    """A usual record with up to three fields made awkward (none, some of the time)."""
    from dataclasses import replace

    record = draw(plain_records())
    for change in draw(st.lists(_CHANGES, max_size=3)):
        record = replace(record, **change)
    return record


def _read_back(record: Record) -> list[Record]:
    result = read_bibtex(format_entry(record), "corpus/records.bib", "corpus")
    assert not result.problems and not result.rejects
    return result.records


@settings(max_examples=400)
@given(awkward_records())
def test_a_record_vouched_for_reads_back_as_itself(record: Record) -> None:
    if reads_back_unchanged(record):
        assert _read_back(record) == [record], format_entry(record)


@settings(max_examples=200)
@given(plain_records())
def test_the_usual_imported_record_is_vouched_for_and_reads_back_as_itself(record: Record) -> None:
    assert reads_back_unchanged(record), format_entry(record)
    assert _read_back(record) == [record]


@pytest.mark.parametrize(
    "change",
    [
        {
            "extra": (("journal", "Another journal"),)
        },  # a @book's journal reads back as its container
        {"authors": (Name("Berg", "Anna", von="van der"),)},
        {"authors": (Name("Smith", "Mary and"),)},  # "and" would split the name list
        {"title": "A title -- with dashes"},
        {"title": "Two  spaces"},
        {"year": 1200},
        {"provenance": ()},  # reads back with the corpus as its provenance
        {"keywords": ("a, b",)},  # one keyword with a comma reads back as two
        {"extra": (("crossref", "Other2001"),)},
        {"pages": "1103-16"},
    ],
)
def test_a_record_that_reads_back_differently_is_parsed(change: dict[str, object]) -> None:
    from dataclasses import replace

    base = Record(
        key="Smith2001",
        entry_type="book",
        title="A title",
        authors=(Name("Smith", "Mary"),),
        year=2001,
        container="A publisher",
        pages="1103-1116",
        provenance=(Provenance("db", "corpus/searches/db.bib", 1, "rec1"),),
    )
    assert reads_back_unchanged(base) and _read_back(base) == [base]
    assert not reads_back_unchanged(replace(base, **change))  # type: ignore[arg-type]


def test_a_fresh_corpus_write_caches_what_a_full_parse_gives_without_parsing_plain_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "corpus" / "records.bib"
    path.parent.mkdir()
    recs = [
        Record(
            key=f"Smith20{i:02d}",
            entry_type="article",
            title=f"Study number {i}",
            year=2000 + i,
            authors=(Name("Smith", "Mary"), Name("Ünal", "Zoë")),
            container="BMJ",
            provenance=(Provenance("db", "corpus/searches/db.bib", i + 1, f"rec{i}"),),
        )
        for i in range(20)
    ]
    # one that reads back differently: the reader collapses a run of spaces in its title
    recs.append(
        Record(
            key="Jones2001",
            entry_type="book",
            title="A  book",
            year=2001,
            container="Publisher",
            provenance=(Provenance("db", "corpus/searches/db.bib", 99, "rec99"),),
        )
    )
    parsed: list[int] = []
    real = bibtex.read_bibtex

    def counting(text: str, *args: object, **kwargs: object) -> object:
        parsed.append(text.count("\n@") + text.startswith("@"))
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bibtex, "read_bibtex", counting)
    save_corpus(path, recs, display="corpus/records.bib")
    monkeypatch.setattr(bibtex, "read_bibtex", real)
    assert parsed == [1]  # only the book
    before = corpus_mod.PARSES
    cached = load_corpus(path, "corpus/records.bib")
    assert before == corpus_mod.PARSES, "the write should have left the cache holding this file"
    fresh = load_corpus(path, "corpus/records.bib", use_cache=False)
    assert cached.records == fresh.records and dict(cached.lines) == dict(fresh.lines)
    assert cached.problems == fresh.problems == () and cached.digest == fresh.digest
    assert fresh.by_key()["Jones2001"].title == "A book"


def _merged(*provenance: Provenance) -> Record:
    """A plain record with the provenances of the records merged into it."""
    return Record(
        key="Ames2001",
        entry_type="article",
        title="Doctors and managers in the NHS",
        authors=(Name("Ames", "Anna"),),
        year=2001,
        provenance=provenance,
    )


def test_a_merged_record_with_its_provenance_in_written_order_is_vouched_for() -> None:
    from dataclasses import replace

    record = _merged(
        Provenance("db", "corpus/searches/db.bib", 1, "rec1"),
        Provenance("web", "corpus/searches/web.ris", 7, "W7"),
    )
    assert reads_back_unchanged(record) and _read_back(record) == [record]
    unsorted = replace(record, provenance=record.provenance[::-1])
    assert not reads_back_unchanged(unsorted)
    assert _read_back(unsorted) == [record], "read back sorted, so not the record given"


def test_provenances_missing_a_line_or_an_id_are_written_in_order_not_refused() -> None:
    """Comparing Provenance instances fails on None against a number: the writer sorts by
    Provenance.order, missing values first."""
    record = _merged(
        Provenance("db", "corpus/searches/db.csv", None, "r2"),
        Provenance("db", "corpus/searches/db.csv", None, None),
        Provenance("db", "corpus/searches/db.csv", 3, None),
    )
    text = format_entry(record)
    assert text.index("db.csv||r2") > text.index("db.csv||;")
    assert text.index("db.csv|3|") > text.index("db.csv||r2")
    assert not reads_back_unchanged(record)  # not in written order: parsed back instead
    written = _read_back(record)[0]
    assert reads_back_unchanged(written) and _read_back(written) == [written]


@given(awkward_records(), st.sampled_from([(), (Name("", ""),), (Name("", ""), Name("", ""))]))
def test_the_gaps_an_import_reports_are_the_fields_get_finds_empty(
    record: Record, blank_names: tuple[Name, ...]
) -> None:
    from dataclasses import replace

    from litreview.model import missing_fields, required_fields

    for entry_type in ("article", "incollection", "misc", record.entry_type):
        typed = replace(record, entry_type=entry_type)
        if blank_names:
            typed = replace(typed, authors=blank_names)
        expected = [f for f in required_fields(entry_type) if not typed.get(f)]
        assert missing_fields(typed) == expected


@settings(max_examples=400)
@given(_name | st.builds(Name, last=_odd_text | _last, first=_odd_text | _first))
def test_a_name_written_by_the_short_way_is_written_as_the_general_way_writes_it(
    name: Name,
) -> None:
    short = bibtex._plain_name(name)
    assert short == "" or short == bibtex._esc_name.__wrapped__(name)


_KEYS = st.sampled_from(["Smith2001", "Smith2001ab", "K-1:2", "a b", "k,1", "K{1}", "Ünal2001"])


@settings(max_examples=300)
@given(awkward_records(), _KEYS)
def test_an_entry_made_before_its_key_is_the_entry_made_with_it(record: Record, key: str) -> None:
    """An import makes each record's entry where it reads the export, before keys are given."""
    from dataclasses import replace

    body, vouched = bibtex.entry_body(record)
    keyed = replace(record, key=key)
    assert bibtex.entry_with_key(record.entry_type, key, body, vouched) == (
        format_entry(keyed).encode("utf-8"),
        reads_back_unchanged(keyed),
    )


def test_an_import_read_on_two_cores_writes_and_caches_what_one_core_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entries and keys an import works out where it reads (on each core) change nothing:
    the same corpus bytes, the same cache, the same keys as an import that makes them later,
    on one core or two, with room to hold them or none. Only a file read in parts gets them."""
    from litreview import workers

    export = tmp_path / "export.bib"
    export.write_text("\n".join(_ENTRIES), encoding="utf-8")
    outputs = []
    real, real_split = corpus_mod.save_corpus, workers.split_map
    made: list[int] = []  # how many entries each corpus write was handed already made
    split: list[object] = []  # the processes each split asked for

    def noting(*args: object, **kw: object) -> None:
        made.append(len(kw.get("bodies") or {}))  # type: ignore[arg-type]
        real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_mod, "save_corpus", noting)
    monkeypatch.setattr(
        workers, "split_map", lambda *a, **kw: split.append(kw) or real_split(*a, **kw)
    )
    monkeypatch.setattr(workers, "TEXT_PART_CHARS", 2_000)
    for cores, room in (("1", 0), ("1", 1 << 30), ("2", 0), ("2", 1 << 30)):
        root = tmp_path / f"review{cores}-{room}"
        (root / "corpus").mkdir(parents=True)
        monkeypatch.setenv("LITREVIEW_WORKERS", cores)
        monkeypatch.setattr(corpus_mod, "_MADE_AHEAD_BYTES", room)
        made.clear()
        split.clear()
        report = corpus_mod.import_files([export], "db", root / "corpus" / "records.bib", root)
        assert made == [120 if cores == "2" and room else 0]
        # the export read in two parts (the first split), or in one
        assert split[:1] == ([{"workers": 2}] if cores == "2" else [])
        path = root / "corpus" / "records.bib"
        cached = load_corpus(path, "corpus/records.bib")
        fresh = load_corpus(path, "corpus/records.bib", use_cache=False)
        assert cached.records == fresh.records and dict(cached.lines) == dict(fresh.lines)
        outputs.append((path.read_bytes(), [r.key for r in report.added]))
    assert all(out == outputs[0] for out in outputs)


_ENTRIES = [
    f"@article{{src{i},\n  author = {{{authors}}},\n  title = {{{title}}},\n"
    f"  journal = {{BMJ}},\n  year = {{{2000 + i % 4}}},\n  pages = {{{i}--{i + 9}}}\n}}\n"
    for i in range(120)
    for authors in ["Smith, Mary and {World Health Organization}" if i % 7 else "van Berg, Anna"]
    for title in [f"Study <i>number</i> {i} -- of {i % 5}" if i % 3 == 0 else f"Study number {i}"]
]


def test_importing_a_file_again_makes_no_entries_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-import adds few records or none, so making its 100k entries as it reads would be
    work thrown away; another export into the same corpus still gets them."""
    from litreview import workers

    (tmp_path / "a").mkdir()
    export, other = tmp_path / "a" / "export.bib", tmp_path / "other.bib"
    export.write_text("\n".join(_ENTRIES[:100]), encoding="utf-8")
    other.write_text("\n".join(_ENTRIES[:100]).replace("{src", "{oth"), encoding="utf-8")
    root = tmp_path / "review"
    (root / "corpus").mkdir(parents=True)
    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    monkeypatch.setattr(workers, "TEXT_PART_CHARS", 2_000)
    made: list[int | None] = []
    real = corpus_mod.read_path

    def noting(*args: object) -> object:
        result = real(*args)  # type: ignore[arg-type]
        made.append(None if result.made is None else len(result.made))
        return result

    monkeypatch.setattr(corpus_mod, "read_path", noting)
    path = root / "corpus" / "records.bib"
    assert len(corpus_mod.import_files([export], "db", path, root).added) == 100
    export.write_text("\n".join(_ENTRIES), encoding="utf-8")  # 20 more
    report = corpus_mod.import_files([export], "db", path, root)
    assert (report.already, len(report.added)) == (100, 20)
    assert len(corpus_mod.import_files([other], "db", path, root).added) == 100
    assert made == [100, None, 100]


@pytest.mark.parametrize(
    ("provenance", "held"),
    [
        ("db|corpus/searches/export.bib|3|r1", True),
        ("db|export.bib|3|r1", True),
        ("db|corpus/searches/my export.bib|3|r1", False),
        ("db|corpus/searches/export.bib.old|3|r1", False),
        ("db|corpus/searches/anexport.bib|3|r1", False),
    ],
)
def test_the_corpus_is_searched_for_an_export_by_the_name_its_provenance_keeps(
    tmp_path: Path, provenance: str, held: bool
) -> None:
    path = tmp_path / "records.bib"
    assert not corpus_mod._may_hold_export(path, "export.bib")  # no corpus yet
    path.write_text(f"@misc{{A2001,\n  title = {{A}},\n  provenance = {{{provenance}}},\n}}\n")
    assert corpus_mod._may_hold_export(path, "export.bib") is held
