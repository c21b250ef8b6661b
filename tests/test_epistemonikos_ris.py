"""Epistemonikos's RIS: ``DB  - EPISTEMONIKOS`` (in some), its link in ``UR``, the PMID in ``U1``
with PubMed's search tag after it (``U1  - 14702908[pmid]``). The records are invented; the
layout is that of the real records Epistemonikos gives as its export's example."""

from __future__ import annotations

from litreview.io import read_text

EXPORT = """TY  - JOUR
TI  - Quiet wards and sleep: a systematic review.
PY  - 2006
AU  - Okafor N
UR  - http://www.epistemonikos.org/documents/0000000000000000000000000000000000000001
T2  - Invented Journal of Ward Studies
VL  - 129
SP  - 95-95
IS  - 1 Suppl
SN  - 00123692
DO  - 10.5555/ijws.129.95
U1  - 99000301[pmid]
ER  -


TY  - JOUR
TI  - Ear plugs at night.
PY  - 2013
AU  - Berg P
UR  - http://www.epistemonikos.org/documents/0000000000000000000000000000000000000002
T2  - Invented Trials
U1  - a note, not a PMID
ER  -
"""


def test_epistemonikos_gives_the_pmid_in_u1() -> None:
    first, second = read_text(EXPORT, "epistemonikos.ris", "epistemonikos").records
    assert first.pmid == "99000301"
    assert dict(first.extra)["ris_u1"] == "99000301[pmid]"
    assert second.pmid == "" and dict(second.extra)["ris_u1"] == "a note, not a PMID"
