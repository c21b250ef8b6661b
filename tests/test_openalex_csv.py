"""OpenAlex's CSV export: the columns are the work's JSON paths (``primary_location.source.
display_name``, ``biblio.volume``, ``ids.pmid``), a list's values in one cell apart by ``|``
(``authorships.author.display_name``), each author's given name first. The rows are invented;
the column names are OpenAlex's (no real export was found in public review repositories: every
field but the title, year, DOI and id was left in ``extra`` before)."""

from __future__ import annotations

from litreview.io import read_text

HEADER = (
    "id,doi,title,display_name,publication_year,publication_date,ids.openalex,ids.doi,ids.pmid,"
    "language,primary_location.source.display_name,authorships.author.display_name,"
    "authorships.author_position,type,biblio.volume,biblio.issue,biblio.first_page,"
    "biblio.last_page,cited_by_count"
)
ROWS = [
    "https://openalex.org/W9900000001,https://doi.org/10.5555/ijws.32.623,Quiet wards and sleep,"
    "Quiet wards and sleep,2019,2019-09-18,https://openalex.org/W9900000001,"
    "https://doi.org/10.5555/ijws.32.623,https://pubmed.ncbi.nlm.nih.gov/99000301,en,"
    "Invented Journal of Ward Studies,Nadia Okafor|Pia van der Lund,first|last,article,32,4,623,"
    "631,5",
    "https://openalex.org/W9900000002,,Ear plugs at night,Ear plugs at night,2021,2021-01-02,"
    "https://openalex.org/W9900000002,,,en,Invented Trials,José María García-López,first,"
    "article,7,,e12,,0",
]


def test_an_openalex_row_gives_its_authors_journal_volume_issue_pages_and_pmid() -> None:
    result = read_text("\n".join([HEADER, *ROWS]) + "\n", "works.csv", "openalex")
    first, second = result.records
    assert [(n.last, n.first, n.von) for n in first.authors] == [
        ("Okafor", "Nadia", ""),
        ("Lund", "Pia", "van der"),
    ]
    assert (first.container, first.volume, first.issue, first.pages, first.pmid) == (
        "Invented Journal of Ward Studies",
        "32",
        "4",
        "623-631",
        "99000301",
    )
    assert (first.year, first.doi) == (2019, "10.5555/ijws.32.623")
    assert first.provenance[0].original_id == "https://openalex.org/W9900000001"
    assert [(n.last, n.first) for n in second.authors] == [("García-López", "José María")]
    assert (second.pages, second.issue, second.pmid) == ("e12", "", "")
    # the columns read stay in the record as written
    assert dict(first.extra)["authorshipsauthordisplay_name"] == "Nadia Okafor|Pia van der Lund"
