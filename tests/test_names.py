"""Splitting author lists at top-level separators."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from litreview.text.names import _AND, split_top_level

_COMMA = re.compile(r",")


def _walk(text: str, sep: re.Pattern[str]) -> list[str]:
    """The plain character walk: the definition split_top_level must agree with."""
    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = sep.match(text, i)
            if m and m.end() > i:
                parts.append(text[start:i])
                start = i = m.end()
                continue
        i += 1
    parts.append(text[start:])
    return parts


_pieces = st.sampled_from(
    [
        "Smith, J.",
        " and ",
        "  AND ",
        "{",
        "}",
        'Zo{\\"e}',
        "{Smith and Sons}",
        ",",
        " ",
        "and",
        "\tand\n",
        "Müller",
        "{{x}",
        "}}",
    ]
)


@given(st.lists(_pieces, max_size=12).map("".join), st.sampled_from([_AND, _COMMA]))
def test_split_top_level_agrees_with_a_plain_walk_over_the_characters(
    text: str, sep: re.Pattern[str]
) -> None:
    assert split_top_level(text, sep) == _walk(text, sep)


def test_a_braced_name_stays_one_name() -> None:
    assert split_top_level('{Smith and Sons} and Zo{\\"e}, A.', _AND) == [
        "{Smith and Sons}",
        'Zo{\\"e}, A.',
    ]


# --- names written surname first with dotted initials, and lists an export did not separate ---

from litreview.model import Name  # noqa: E402
from litreview.text.names import parse_tagged_names  # noqa: E402


def _pairs(*values: str) -> list[tuple[str, str, str]]:
    return [(n.last, n.first, n.von) for n in parse_tagged_names(values)]


def test_surname_then_dotted_initials_keeps_the_surname_as_surname() -> None:
    # Embase and Scopus write ``Dunne E.``; BibTeX's rules would make "E." the surname
    assert _pairs("Dunne E.", "Okafor C.N.") == [("Dunne", "E.", ""), ("Okafor", "C. N.", "")]
    assert _pairs("Okafor C. N.", "Lee J.-P.") == [("Okafor", "C. N.", ""), ("Lee", "J.-P.", "")]
    assert _pairs("van der Meer J.H.", "x")[0] == ("Meer", "J. H.", "van der")
    assert _pairs("Garcia Lopez M.", "x")[0] == ("Garcia Lopez", "M.", "")


def test_given_names_first_are_read_as_before() -> None:
    assert _pairs("E. Dunne", "J. A. Smith", "Huw T. O. Davies", "Smith, J.") == [
        ("Dunne", "E.", ""),
        ("Smith", "J. A.", ""),
        ("Davies", "Huw T. O.", ""),
        ("Smith", "J.", ""),
    ]


def test_a_comma_separated_list_in_the_only_value_is_every_author() -> None:
    # Scopus CSV's Authors cell; one RIS AU line holding the whole list
    assert _pairs("Akiyama E., Sugiyama S., Matsubara J.") == [
        ("Akiyama", "E.", ""),
        ("Sugiyama", "S.", ""),
        ("Matsubara", "J.", ""),
    ]
    assert _pairs("Agrawal A, Gupta K.") == [("Agrawal", "A.", ""), ("Gupta", "K.", "")]


def test_a_comma_on_one_of_several_lines_is_surname_and_given_name() -> None:
    # an abbreviated second surname: one person, since the other lines hold the other authors
    assert _pairs("Fonseca C., Efraín R.", "Marcillo, Diego") == [
        ("Fonseca C.", "Efraín R.", ""),
        ("Marcillo", "Diego", ""),
    ]


def test_a_generational_suffix_is_not_an_initial() -> None:
    assert _pairs("Thomas III, Herschel F.") == [("Thomas III", "Herschel F.", "")]


def test_names_run_together_are_cut_where_a_surname_starts() -> None:
    assert _pairs("Akiyama E.Sugiyama S.Matsubara J.") == [
        ("Akiyama", "E.", ""),
        ("Sugiyama", "S.", ""),
        ("Matsubara", "J.", ""),
    ]
    # initials running into the surname are one name
    assert [n.last for n in parse_tagged_names(["J.R.R.Tolkien"])] == ["J.R.R.Tolkien"]


def test_surnames_with_initials_separated_only_by_spaces_are_cut_when_every_piece_fits() -> None:
    assert _pairs("Snilstveit B, Stevenson J. Villar P. F. McKinnon M. C.") == [
        ("Snilstveit", "B.", ""),
        ("Stevenson", "J.", ""),
        ("Villar", "P. F.", ""),
        ("McKinnon", "M. C.", ""),
    ]
    assert _pairs("Kerr J. M. Carter S.") == [("Kerr", "J. M.", ""), ("Carter", "S.", "")]


_SURNAMES = st.sampled_from(["Dunne", "Okafor", "Lindqvist", "Hernandez-Ruiz", "O'Brien", "Ng"])
_INITIALS = st.lists(st.sampled_from("ABCDEFGHJKLMNPRSTW"), min_size=1, max_size=3)


@given(st.lists(st.tuples(_SURNAMES, _INITIALS), min_size=1, max_size=6), st.booleans())
def test_every_author_of_a_surname_initials_list_survives_whichever_way_it_is_joined(
    authors: list[tuple[str, list[str]]], run_together: bool
) -> None:
    written = [f"{s} {'.'.join(i)}." for s, i in authors]
    wanted = [Name(last=s, first=" ".join(f"{c}." for c in i)) for s, i in authors]
    assert parse_tagged_names(written) == tuple(wanted)  # one per line
    assert parse_tagged_names([", ".join(written)]) == tuple(wanted)  # Scopus's list
    if run_together:
        assert parse_tagged_names(["".join(written)]) == tuple(wanted)


def test_transliterated_two_letter_initials_stay_with_their_surname() -> None:
    # Russian names as Scopus writes them: Yu., Ya., Kh. are initials, not a next author
    assert _pairs("Ivanov A.Yu.", "Shcherbakov A.Kh.") == [
        ("Ivanov", "A. Yu.", ""),
        ("Shcherbakov", "A. Kh.", ""),
    ]


def test_names_run_together_are_cut_after_a_transliterated_digraph_initial() -> None:
    assert _pairs("Ivanov A.Yu.Shcherbakov A.Kh.") == [
        ("Ivanov", "A. Yu.", ""),
        ("Shcherbakov", "A. Kh.", ""),
    ]
    assert _pairs("Ivanov A.Yu.Shcherbakov A.Kh.", "Petrov B.")[:2] == [
        ("Ivanov", "A. Yu.", ""),
        ("Shcherbakov", "A. Kh.", ""),
    ]


def test_names_run_together_are_cut_before_a_surname_with_a_capital_inside() -> None:
    assert [p[0] for p in _pairs("Akiyama E.McDonald S.DeLuca J.")] == [
        "Akiyama",
        "McDonald",
        "DeLuca",
    ]


def test_an_all_capitals_compound_surname_on_the_only_line_is_one_person() -> None:
    # ROUX, MEER look like initials; J. P. before them is no surname, so this is no list
    assert _pairs("LE ROUX, J. P.") == [("LE ROUX", "J. P.", "")]
    assert _pairs("VAN DER MEER, J. H.") == [("VAN DER MEER", "J. H.", "")]


def test_initials_with_accents_are_initials() -> None:
    assert _pairs("Nilsson Å.", "x")[0] == ("Nilsson", "Å.", "")
    assert _pairs("Akiyama E., Öztürk Ş., Berg K.") == [
        ("Akiyama", "E.", ""),
        ("Öztürk", "Ş.", ""),
        ("Berg", "K.", ""),
    ]


def test_a_russian_name_whose_initials_read_as_a_roman_numeral_is_one_author_of_a_list() -> None:
    # VI is Vladimir Ivanovich's initials far more often than a sixth generation
    assert _pairs("Ivanov VI, Petrov AA") == [("Ivanov", "V. I.", ""), ("Petrov", "A. A.", "")]


def test_the_swapped_author_check_reads_initials_as_dedupe_does() -> None:
    from litreview.check.checks import looks_swapped
    from litreview.model import Name

    for initials in ("E.", "J. P.", "J.-P.", "Å.", "A.Yu."):
        assert looks_swapped(Name(initials, "Nilsson")), initials
    assert not looks_swapped(Name("Nilsson", "Å."))
    assert not looks_swapped(Name("JP", "Nilsson"))  # undotted: BibTeX's Nilsson JP, read elsewhere
