"""Bytes -> text: UTF-8 (with or without a BOM) and UTF-16/32 with a BOM are read as they are; anything
else is decoded by charset-normalizer's best guess, which is recorded as a warning with the article, or
rejected when no encoding gives readable text.
"""

from __future__ import annotations

import codecs
import contextlib
from dataclasses import dataclass

import charset_normalizer

# Checked longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# A guess whose text is this much chaos (charset-normalizer's measure of unlikely character sequences)
# is noise, not text.
_MAX_CHAOS = 0.25


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    warning: str | None = None  # set when the encoding was guessed


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of `data` declares, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def decode(data: bytes) -> Decoded | str:
    """The text of `data`, or a reason (str) why it cannot be read as text.

    A BOM decides the encoding; without one UTF-8 is tried, then charset-normalizer's best guess.
    """
    declared = bom_encoding(data)
    if declared is not None:
        try:
            return Decoded(data[len(_bom_of(declared)) :].decode(declared))
        except UnicodeDecodeError as exc:
            name = declared.upper()
            return f"starts with a {name} byte-order mark but is not {name} ({exc.reason})"
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
    return guess(data, utf8_error)


def guess(data: bytes, utf8_error: str) -> Decoded | str:
    """charset-normalizer's decoding of bytes that are not UTF-8, or the reason none is readable."""
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None or best.chaos > _MAX_CHAOS or _binary(str(best)):
        return f"not UTF-8 ({utf8_error}), and no text encoding reads it (is it a binary file?)"
    encoding, text = best.encoding, str(best)
    # On short Western text charset-normalizer often ranks cp1250 first when cp1252 reads it as cleanly
    # ("déjà" becomes "déjŕ"); cp1252 is the far commoner legacy encoding of the web, so it wins a tie.
    if encoding != "cp1252" and any(
        m.chaos <= best.chaos + 0.01 and (m.encoding == "cp1252" or "cp1252" in m.could_be_from_charset)
        for m in matches
    ):
        with contextlib.suppress(UnicodeDecodeError):  # cp1252 leaves five bytes undefined
            encoding, text = "cp1252", data.decode("cp1252")
    return Decoded(text, f"not UTF-8 ({utf8_error}); decoded as {encoding} (charset-normalizer's guess)")


def _bom_of(encoding: str) -> bytes:
    return next(bom for bom, name in _BOMS if name == encoding)


def _binary(text: str) -> bool:
    """Control characters other than whitespace in more than 1% of the text: not prose."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > max(1, len(text) // 100)
