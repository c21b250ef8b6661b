"""EBSCOhost's RIS has no AN or LA line: the record's accession number and language are in its
N1 note (``Accession Number: 134630660; Authors: ...; Language: Portuguese``). The records are
invented; the layout is that of a real 10-record EBSCOhost export (Fonte Acadêmica)."""

from __future__ import annotations

from litreview.io import read_text

EXPORT = """TY  - JOUR
AU  - Okafor, Nadia
T1  - Quiet wards and sleep
JO  - Invented Journal of Ward Studies
JF  - Invented Journal of Ward Studies
Y1  - 2019
VL  - 32
IS  - 4
SP  - 623
EP  - 631
N1  - Accession Number: 99000501; Authors: Okafor, Nadia 1; Affiliations:  1: Invented University; Author-Supplied Keyword: sleep; Language of Keywords: English; Number of Pages: 9p; Language: Portuguese
M3  - Article
DB  - Fonte Acadêmica
DP  - EBSCOhost
ER  -

TY  - JOUR
AU  - Berg, P
T1  - Ear plugs at night
Y1  - 2021
N1  - Accession Number: 99000502; Language of Keywords: English; Number of Pages: 7p
DP  - EBSCOhost
ER  -

TY  - JOUR
AU  - Moreau, C
T1  - A note from another tool
Y1  - 2020
N1  - Accession Number: 1; Language: French
ER  -
"""


def test_ebscos_note_gives_the_accession_number_and_language() -> None:
    first, second, other = read_text(EXPORT, "delivery.ris", "ebsco").records
    assert (first.provenance[0].original_id, first.language) == ("99000501", "Portuguese")
    # "Language of Keywords" is not the record's language
    assert (second.provenance[0].original_id, second.language) == ("99000502", "")
    assert dict(first.extra)["note"].startswith("Accession Number: 99000501;")
    # only EBSCOhost's note is read so
    assert (other.provenance[0].original_id, other.language) == (None, "")
