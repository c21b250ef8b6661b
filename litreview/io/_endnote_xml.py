"""EndNote's XML export (File > Export, "XML"): ``<xml><records><record>…</record>…``, each
record's fields in elements named for EndNote's fields (``<ref-type name="Journal Article">``,
``<titles><title>``, ``<secondary-title>``, ``<contributors><authors><author>``,
``<dates><year>``, ``<electronic-resource-num>``, ``<accession-num>``, ``<isbn>``, …), the text of
each perhaps inside ``<style face="…">`` children (italics in a title give several).

A record's fields are those of EndNote's RIS under other names, so each record is turned into
the RIS tags EndNote itself writes for those fields and read by the RIS reader: an EndNote
library exported either way gives the same records (the PMID from an accession number when the
remote database provider or name is PubMed, NLM or MEDLINE, a CENTRAL record's ``PUBMED n``
custom 3, the article number of custom 7, ISSNs and ISBNs from ``isbn``). The record number
(``rec-number``) is the record's id in its library, and its original id here.

Each ``<record>`` is parsed on its own with the standard library's parser (no DTD can sit
inside an element, so no entity is expanded): a record that is not well-formed XML, one cut off
by the end of the file, and text between records are set aside at their lines. EndNote writes a
whole export on one line, so the reasons also give the record's ordinal (``record 12 of the
file``). Before this reader such a file was "format not recognised".
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

from litreview.io._tagged import TaggedRecord, ris_to_record
from litreview.io.base import ReadResult, identifiable
from litreview.model import Record
from litreview.progress import Tick

#: what an EndNote XML export opens with (sniffing): the XML declaration, perhaps, then
#: ``<xml><records><record>``
SNIFF = re.compile(r"\A\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?<xml>\s*<records>\s*<record>")
_RECORD = re.compile(r"<record>(.*?)</record>", re.S)
_OPEN = re.compile(r"<record>")
#: the text around the records that is no record: the declaration and the wrappers
_WRAPPER = re.compile(r"\ufeff|<\?xml[^>]*\?>|</?xml>|</?records>|\s+")

#: EndNote's reference types, as its RIS names them (by name, or by number when a record has no
#: name); any other is RIS's GEN, a misc
_TYPES = {
    "journal article": "JOUR",
    "electronic article": "EJOUR",
    "magazine article": "MGZN",
    "newspaper article": "NEWS",
    "book": "BOOK",
    "edited book": "EDBOOK",
    "electronic book": "EBOOK",
    "book section": "CHAP",
    "electronic book section": "ECHAP",
    "conference proceedings": "CONF",
    "conference paper": "CPAPER",
    "thesis": "THES",
    "report": "RPRT",
    "government document": "GOVDOC",
    "unpublished work": "UNPB",
    "web page": "ELEC",
    "generic": "GEN",
}
_TYPE_NUMBERS = {
    "17": "JOUR",
    "43": "EJOUR",
    "19": "MGZN",
    "23": "NEWS",
    "6": "BOOK",
    "28": "EDBOOK",
    "44": "EBOOK",
    "5": "CHAP",
    "60": "ECHAP",
    "10": "CONF",
    "47": "CPAPER",
    "32": "THES",
    "27": "RPRT",
    "46": "GOVDOC",
    "34": "UNPB",
    "12": "ELEC",
    "13": "GEN",
}
#: an element (its path below ``<record>``) and the RIS tag EndNote writes its value as; values
#: of the tags in ``_LINES`` hold one value a line (``0893-8512 (Print)&#xD;0893-8512``)
_TAGS = {
    "titles/title": "TI",
    "titles/secondary-title": "T2",
    "titles/tertiary-title": "T3",
    "titles/alt-title": "J2",
    "titles/short-title": "ST",
    "titles/translated-title": "TT",
    "contributors/authors/author": "AU",
    "contributors/secondary-authors/author": "A2",
    "contributors/tertiary-authors/author": "A3",
    "contributors/subsidiary-authors/author": "A4",
    "contributors/translated-authors/author": "TA",
    "dates/year": "PY",
    "dates/pub-dates/date": "DA",
    "volume": "VL",
    "number": "IS",
    "pages": "SP",
    "section": "SE",
    "edition": "ET",
    "publisher": "PB",
    "pub-location": "CY",
    "electronic-resource-num": "DO",
    "accession-num": "AN",
    "remote-database-name": "DB",
    "remote-database-provider": "DP",
    "urls/related-urls/url": "UR",
    "urls/web-urls/url": "UR",
    "urls/pdf-urls/url": "L1",
    "urls/text-urls/url": "L4",
    "abstract": "AB",
    "keywords/keyword": "KW",
    "isbn": "SN",
    "language": "LA",
    "notes": "N1",
    "work-type": "M3",
    "auth-address": "AD",
    "label": "LB",
    "caption": "CA",
    "call-num": "CN",
    "access-date": "Y2",
    "orig-pub": "OP",
    "reprint-edition": "RP",
    "num-vols": "NV",
    **{f"custom{n}": f"C{n}" for n in range(1, 9)},
}
_LINES = frozenset({"AU", "A2", "A3", "A4", "KW", "SN", "DB", "UR", "L1", "L4"})
#: the elements that are the file's, not the work's (the library's path on a person's disk)
_SKIP = frozenset({"database", "source-app", "foreign-keys", "rec-number", "ref-type"})
#: an element's name for a RIS tag, for the fields kept in ``extra`` (``endnote_custom3``)
_NAMES = {tag: path.rsplit("/", 1)[-1] for path, tag in _TAGS.items() if "/" not in path}
_NAMES.update({"T2": "secondary_title", "T3": "tertiary_title", "J2": "alt_title"})
_NAMES.update({"ST": "short_title", "TT": "translated_title", "DA": "date", "UR": "url"})
_NAMES.update({"L1": "pdf_url", "L4": "text_url", "TI": "title", "JA": "periodical_abbr"})
#: the RIS reader keeps an article-numbered article's pages, its page count, as ``SP``
_NAMES["SP"] = "page_count"


def _text(element: ET.Element) -> str:
    """An element's text, its ``<style>`` runs joined (``Plasmodium <i>vivax</i>``)."""
    return "".join(element.itertext())


def record_tags(element: ET.Element) -> list[tuple[str, str]]:
    """The RIS tags of one ``<record>``, in EndNote's order; an element EndNote's RIS has no
    tag for keeps its own name (``endnote-…``, kept in ``extra``)."""
    tags: list[tuple[str, str]] = []
    kind = element.find("ref-type")
    if kind is not None:
        name = (kind.get("name") or "").strip().lower()
        tags.append(("TY", _TYPES.get(name) or _TYPE_NUMBERS.get(_text(kind).strip(), "GEN")))
    seen_journal = element.find("titles/secondary-title") is not None
    for child in element:
        if child.tag in _SKIP:
            continue
        if child.tag == "periodical" or child.tag == "alt-periodical":
            full = child.find("full-title")
            if child.tag == "periodical" and full is not None and not seen_journal:
                tags.append(("JF", _text(full)))
            abbr = child.find("abbr-1")
            if abbr is not None:
                tags.append(("JA", _text(abbr)))
            continue
        leaves = [(child.tag, child)] if child.tag in _TAGS else []
        if not leaves:
            leaves = [
                (f"{child.tag}/{path}", found)
                for path in (
                    "title",
                    "secondary-title",
                    "tertiary-title",
                    "alt-title",
                    "short-title",
                    "translated-title",
                    "authors/author",
                    "secondary-authors/author",
                    "tertiary-authors/author",
                    "subsidiary-authors/author",
                    "translated-authors/author",
                    "year",
                    "pub-dates/date",
                    "related-urls/url",
                    "web-urls/url",
                    "pdf-urls/url",
                    "text-urls/url",
                    "keyword",
                )
                for found in child.findall(path)
            ]
            if not leaves and (child.text or len(child)):
                # a field EndNote's RIS has no tag for: kept under its own name
                tags.append((f"endnote-{child.tag}", _text(child)))
        for path, leaf in leaves:
            tag = _TAGS.get(path)
            if tag is None:
                continue
            value = _text(leaf).replace("\r\n", "\n").replace("\r", "\n")
            if tag in _LINES:
                tags.extend((tag, v.strip()) for v in value.split("\n") if v.strip())
            else:
                tags.append((tag, " ".join(value.split()) if tag != "AB" else value.strip()))
    return tags


def read_endnote_xml(text: str, path: str, source: str, tick: Tick | None = None) -> ReadResult:
    """Each ``<record>`` into one record at its line; records that cannot be read, and text
    outside the records, set aside at their lines with the record's ordinal."""
    result = ReadResult(path=path, format="endnote")
    at = 0  # where the text not yet taken starts
    line = 1  # the line ``at`` is on
    ordinal = 0
    while True:
        opening = _OPEN.search(text, at)
        end = len(text) if opening is None else opening.start()
        _outside(text[at:end], line, result)
        line += text.count("\n", at, end)
        if opening is None:
            break
        ordinal += 1
        closing = text.find("</record>", opening.end())
        following = _OPEN.search(text, opening.end())
        if closing < 0 or (following is not None and following.start() < closing):
            stop = len(text) if following is None else following.start()
            chunk = text[opening.start() : stop]
            result.reject(
                line,
                f"record {ordinal} of the file is cut short (no </record> before "
                f"{'the end of the file' if following is None else 'the next <record>'}): "
                "set aside",
                chunk,
            )
        else:
            stop = closing + len("</record>")
            chunk = text[opening.start() : stop]
            _record(chunk, line, ordinal, path, source, result)
        if tick is not None:
            tick(line)
        line += text.count("\n", opening.start(), stop)
        at = stop
    return result


def _outside(between: str, line: int, result: ReadResult) -> None:
    """Text between records (or before the first, after the last) that is not the export's
    own wrapping: set aside at its line."""
    rest = _WRAPPER.sub("", between)
    if rest:
        skipped = len(between) - len(between.lstrip())
        result.reject(
            line + between.count("\n", 0, skipped),
            "text outside any <record> of the export: set aside",
            between.strip(),
        )


def _record(
    chunk: str, line: int, ordinal: int, path: str, source: str, result: ReadResult
) -> None:
    try:
        element = ET.fromstring(chunk)
    except (ET.ParseError, ValueError, UnicodeError) as err:
        result.reject(
            line,
            f"record {ordinal} of the file is not well-formed XML ({err}): set aside",
            chunk,
        )
        return
    number_element = element.find("rec-number")
    number = _text(number_element).strip() if number_element is not None else ""
    tags = record_tags(element)
    record = _to_record(tags, line, path, source, number or None)
    if not identifiable(record):
        result.reject(
            line,
            f"record {ordinal} of the file has no title, author, DOI or PMID: "
            "nothing identifies the work",
            chunk,
            number or None,
        )
        return
    result.records.append(record)


def _to_record(
    tags: list[tuple[str, str]], line: int, path: str, source: str, number: str | None
) -> Record:
    record = ris_to_record(TaggedRecord(line, tags), path, source)
    extra: dict[str, str] = {}
    for key, value in record.extra:
        if key.startswith("ris_endnote-"):
            key = "endnote_" + key[len("ris_endnote-") :].replace("-", "_")
        elif key.startswith("ris_"):
            tag = key[len("ris_") :].upper()
            key = "endnote_" + _NAMES.get(tag, tag.lower()).replace("-", "_")
        extra[key] = value
    alt = next((v for t, v in tags if t == "J2" and v), "")
    if alt and alt != record.container:  # the RIS reader takes J2 only for a missing journal
        extra["endnote_alt_title"] = alt
    accession = next((v for t, v in tags if t == "AN" and v), "")
    if accession and accession != record.pmid:
        extra["endnote_accession_num"] = accession
    provenance = tuple(dataclasses.replace(p, original_id=number) for p in record.provenance)
    return dataclasses.replace(record, extra=tuple(sorted(extra.items())), provenance=provenance)
