"""Normalising Vietnamese text: for display (NFC, tidy spaces), label matching and file names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# "1.", "1)", "a)", "I.", "-", "*" in front of a label a unit typed by hand
_ENUMERATOR = re.compile(r"^(?:[0-9]{1,2}|[a-dđ]|[ivx]{1,4})[.)]\s+|^[-*•+]\s*")
# what ends a label and is not part of it: spaces, colons and stars ("Họ và tên:  *"), or a
# "(*)" marking a required field, with its colon ("Ngày sinh (*):")
_TAIL = " :：*"
_STAR = re.compile(r"\(\s*\*\s*\)\s*:?")
# Characters that are never part of a value a person typed (C0/C1 controls but tab/newline).
# ... and the invisible format characters that reorder or hide text (bidirectional overrides
# and isolates, zero-width spaces, the BOM): a printed name must read as it is stored.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


# Characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return; the
# surrogates, which a file name read from undecodable bytes carries; U+FFFE and U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str, replacement: str = "") -> str:
    """Text any XML document (a workbook, a Word document) can hold: NFC, every character
    XML 1.0 forbids removed (or replaced by `replacement`). Every writer of XML uses it."""
    text = _XML_ILLEGAL.sub(replacement, unicodedata.normalize("NFC", text))
    return _INVISIBLE.sub("", text)


_BREAKS = re.compile(r"[\t\n\r]")


def printable(text: str) -> str:
    """A name read from a file (a sheet's) as it may be shown anywhere — a console, JSON, a
    report: no control character (a tab or line break becomes a space, an escape sequence
    loses its ESC), nothing that reorders or hides text (bidirectional overrides, zero-width
    characters), nothing XML cannot hold (U+FFFE, U+FFFF, lone surrogates). Otherwise as it
    is: not normalised, not trimmed (a name is matched as written)."""
    text = _BREAKS.sub(" ", text)
    return _CONTROL.sub("", _XML_ILLEGAL.sub("", text))


def clean(text: str) -> str:
    """Text as it should be shown and stored: NFC, no control characters, single spaces."""
    if len(text) <= _SHORT:
        return _clean_short(text)
    return _clean(text)


_SHORT = 200  # labels, names, units, values: the same texts come back in every dossier


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()


_clean_short = lru_cache(maxsize=8192)(_clean)


def strip_marks(text: str) -> str:
    """Remove Vietnamese diacritics (for matching labels only, never for identity)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """Key for matching a label: no case, diacritics, Unicode form, extra spaces, colon.
    Linear in the text; only short texts (labels, marks, names) are kept in the cache."""
    return _fold_short(text) if len(text) <= _SHORT else _fold(text)


def _untail(text: str) -> str:
    """The text without its trailing spaces, colons and stars, or its trailing "(*)" and
    what follows it, whichever begins first — what one substitution of a `[spaces:*]+$`
    pattern did, without a regular expression trying every position (quadratic on a run of
    colons). `text` is clean(): its only whitespace is single spaces."""
    cut = len(text.rstrip(_TAIL))
    star = text.rfind("(")
    if star >= 0 and star < cut and _STAR.fullmatch(text, star):
        cut = star
    return text[:cut]


def _fold(text: str) -> str:
    text = clean(text).lower()
    for _ in range(3):
        text = _untail(text)
    text = _ENUMERATOR.sub("", text)
    text = strip_marks(text)
    text = text.replace("–", "-").replace("—", "-")
    text = re.sub(r"\s*-\s*", " - ", text)
    return _SPACES.sub(" ", text).strip()


_fold_short = lru_cache(maxsize=65536)(_fold)


def words(text: str) -> str:
    """Folded text with punctuation turned into spaces (for loose, word-based matching)."""
    return _SPACES.sub(" ", re.sub(r"[^0-9a-z]+", " ", fold(text))).strip()


def slug(text: str) -> str:
    """An ASCII file-name part from a Vietnamese name: no path characters, ever."""
    ascii_text = strip_marks(text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60] or "ho-so"
