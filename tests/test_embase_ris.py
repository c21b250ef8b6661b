"""Embase.com's RIS: ``C1``-``C4`` name drugs, devices and their makers, ``C5`` is the record's
MEDLINE PMID, ``U2`` Embase's id (``L2028768535``), ``UR`` its link at embase.com. EndNote keeps
``C5`` as Custom 5 (``<custom5>`` in its XML). Every record below is invented; the layout is that
of a real 91-record Embase.com export and of a real EndNote library's 49 Embase records."""

from __future__ import annotations

from litreview.io import read_text

EMBASE = """TY  - JOUR
M3  - Article
Y1  - 2024
VL  - 24
JF  - Invented Sensors Journal
UR  - https://www.embase.com/search/results?subaction=viewrecord&id=L699000001&from=export
U2  - L699000001
C5  - 99000401
DB  - Medline
DO  - 10.5555/isj.24.1
A1  - Okafor, N.
T1  - Quiet hours measured by ward sensors
C3  - Invented stethoscope
ER  -

TY  - JOUR
Y1  - 2023
JF  - Invented Ward Studies
U2  - L699000002
C5  - 99000402
DB  - Embase
A1  - Berg, P.
T1  - Ear plugs at night
ER  -

TY  - JOUR
Y1  - 2022
JF  - Invented Elsewhere
C5  - 99000403
A1  - Moreau, C.
T1  - A custom field that is no PMID
ER  -
"""


def test_an_embase_records_c5_is_its_pmid() -> None:
    first, second, third = read_text(EMBASE, "records.ris", "embase").records
    assert (first.pmid, second.pmid) == ("99000401", "99000402")
    assert dict(first.extra)["ris_c5"] == "99000401"  # the field stays as written
    # a C5 of a record that is not Embase's is another tool's custom field
    assert third.pmid == "" and dict(third.extra)["ris_c5"] == "99000403"


def test_endnotes_custom_5_of_an_embase_record_is_its_pmid() -> None:
    style = '<style face="normal" font="default" size="100%">{}</style>'
    record = (
        '<?xml version="1.0" encoding="UTF-8" ?><xml><records><record><rec-number>7'
        '</rec-number><ref-type name="Journal Article">17</ref-type><titles><title>'
        + style.format("Quiet hours measured by ward sensors")
        + "</title></titles><custom5>"
        + style.format("99000401")
        + "</custom5><remote-database-name>"
        + style.format("Embase&#xD;Medline")
        + "</remote-database-name></record></records></xml>"
    )
    (read,) = read_text(record, "library.xml", "endnote").records
    assert read.pmid == "99000401"
    assert dict(read.extra)["endnote_custom5"] == "99000401"
