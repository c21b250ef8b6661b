"""Bytes to text: the encodings and line ends that real exports arrive in."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: Files larger than this are refused with a clear message instead of exhausting memory.
MAX_FILE_BYTES = 1 << 30


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_bytes(data: bytes) -> Decoded:
    """Decode an export whatever its encoding: BOMs first (UTF-8, UTF-32, UTF-16), then UTF-16 by its NULs, UTF-8,
    and cp1252/Latin-1 as the last resort (with a warning, since guessing can be wrong).

    Line ends are made LF (CRLF and bare CR alike) and NUL bytes are removed with a warning.
    """
    warnings: list[str] = []
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            # a U+FFFD the file itself holds is text, not damage: warn only for bytes that were
            text = data[3:].decode("utf-8", errors="replace")
            line = data.count(b"\n", 0, exc.start + 3) + 1
            warnings.append(
                f"invalid UTF-8 byte sequences were replaced with U+FFFD (the first on line {line})"
            )
    elif data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        # before UTF-16: the UTF-32 little-endian mark starts with the UTF-16 one
        encoding = "utf-32"
        text = data.decode("utf-32", errors="replace")
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
        text = data.decode("utf-16", errors="replace")
    elif _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        text = data.decode(encoding, errors="replace")
        warnings.append(f"no byte-order mark; decoded as {encoding.upper()}")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            try:
                text = data.decode("cp1252")
                encoding = "cp1252"
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                encoding = "latin-1"
            warnings.append(
                f"not valid UTF-8 (byte {exc.start}); decoded as {encoding}: check accented names"
            )
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL bytes were removed")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text=text, encoding=encoding, warnings=tuple(warnings))


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > half * 0.4 and min(even_nuls, odd_nuls) < half * 0.05
