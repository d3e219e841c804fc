"""Text typed in the legacy Vietnamese 8-bit encodings, converted to Unicode cell by cell.

Before Unicode, offices typed Vietnamese with special fonts: TCVN3 (TCVN 5712:1993, the
"ABC" set, fonts .VnTime / .VnArial, and .VnTimeH for capitals) and VNI (fonts VNI-Times…).
Excel stores such text as the Windows-1252 characters that share the font's byte values, so
"Năm" typed in .VnTime arrives as "N¨m" and in VNI-Times as "Naêm". The tables below give,
for each Vietnamese letter, the characters the two standards use for it; `convert` detects
the encoding of one string by its characters (a font name, when the file gives one, decides)
and converts it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# --- TCVN3 (TCVN 5712:1993, VN3): one byte per letter, shown as its Windows-1252 character.
# Rows: the letter without tone, then with huyền (grave), sắc (acute), hỏi (hook),
# ngã (tilde), nặng (dot below). Capitals exist only for Ă Â Ê Ô Ơ Ư Đ; others are typed
# with the capital fonts (.VnTimeH), which draw the lower-case codes as capitals.
_TCVN3_ROWS = {
    "a": "a\xb5\xb8\xb6\xb7\xb9",
    "ă": "\xa8\xbb\xbe\xbc\xbd\xc6",
    "â": "\xa9\xc7\xca\xc8\xc9\xcb",
    "e": "e\xcc\xd0\xce\xcf\xd1",
    "ê": "\xaa\xd2\xd5\xd3\xd4\xd6",
    "i": "i\xd7\xdd\xd8\xdc\xde",
    "o": "o\xdf\xe3\xe1\xe2\xe4",
    "ô": "\xab\xe5\xe8\xe6\xe7\xe9",
    "ơ": "\xac\xea\xed\xeb\xec\xee",
    "u": "u\xef\xf3\xf1\xf2\xf4",
    "ư": "\xad\xf5\xf8\xf6\xf7\xf9",
    "y": "y\xfa\xfd\xfb\xfc\xfe",
}
_TCVN3_SINGLE = {
    "\xae": "đ",
    "\xa1": "Ă",
    "\xa2": "Â",
    "\xa3": "Ê",
    "\xa4": "Ô",
    "\xa5": "Ơ",
    "\xa6": "Ư",
    "\xa7": "Đ",
}

# --- VNI (VNI-Windows): a base letter followed by a mark character; i and ỵ, đ, ơ, ư have
# characters of their own. Same row order: none, huyền, sắc, hỏi, ngã, nặng.
_VNI_ROWS = {
    "a": ["a", "aø", "aù", "aû", "aõ", "aï"],
    "ă": ["aê", "aè", "aé", "aú", "aü", "aë"],
    "â": ["aâ", "aà", "aá", "aå", "aã", "aä"],
    "e": ["e", "eø", "eù", "eû", "eõ", "eï"],
    "ê": ["eâ", "eà", "eá", "eå", "eã", "eä"],
    "i": ["i", "ì", "í", "æ", "ó", "ò"],
    "o": ["o", "oø", "où", "oû", "oõ", "oï"],
    "ô": ["oâ", "oà", "oá", "oå", "oã", "oä"],
    "ơ": ["ô", "ôø", "ôù", "ôû", "ôõ", "ôï"],
    "u": ["u", "uø", "uù", "uû", "uõ", "uï"],
    "ư": ["ö", "öø", "öù", "öû", "öõ", "öï"],
    "y": ["y", "yø", "yù", "yû", "yõ", "î"],
}
_VNI_SINGLE = {"ñ": "đ", "Ñ": "Đ"}

_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def _with_tone(letter: str, tone: int) -> str:
    return unicodedata.normalize("NFC", letter + _TONES[tone])


def _tcvn3_table() -> dict[str, str]:
    table = dict(_TCVN3_SINGLE)
    for letter, codes in _TCVN3_ROWS.items():
        for tone, code in enumerate(codes):
            if code not in "aeiouy":
                table[code] = _with_tone(letter, tone)
    return table


def _vni_table() -> dict[str, str]:
    table = dict(_VNI_SINGLE)
    for letter, codes in _VNI_ROWS.items():
        for tone, code in enumerate(codes):
            if len(code) == 1 and code in "aeiouy":
                continue
            table[code] = _with_tone(letter, tone)
            table[code.upper()] = _with_tone(letter, tone).upper()
    return table


@cache
def _tables() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    """The two tables and the VNI pattern, built on first use (most files never need them)."""
    vni = _vni_table()
    pattern = re.compile("|".join(re.escape(k) for k in sorted(vni, key=len, reverse=True)))
    return _tcvn3_table(), vni, pattern


# Characters that never occur in Unicode Vietnamese text: evidence of a legacy encoding.
_FOREIGN = set(
    "\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xb5\xb6\xb7\xb8\xb9"
    "\xbb\xbc\xbd\xbe\xc4\xc5\xc6\xc7\xcb\xce\xcf\xd1\xd6\xd7\xd8\xdb\xdc"
    "\xde\xdf\xe4\xe5\xe6\xe7\xeb\xee\xef\xf1\xf6\xf7\xf8\xfb\xfc\xfe"
)
_UNICODE_ONLY = re.compile("[\u0100-\u01b0\u1ea0-\u1ef9]")
# VNI letter+mark pairs that Unicode Vietnamese never contains ("oà" does: old-style "hoà"):
# [aeouyAEOUY][øûïåäëüØÛÏÅÄËÜ] | [aeoAEO][âÂ] | [aA][êÊ] | [ôöÔÖ][øùûõïØÙÛÕÏ] | [ñÑ],
# written to start with one character set, which lets the regex engine skip to the letters
# that can begin a pair (3-4 times faster on a whole file's text).
_VNI_STRONG = re.compile(
    "[aeouyAEOUYôöÔÖñÑ](?:(?<=[aeouyAEOUY])[øûïåäëüØÛÏÅÄËÜ]|(?<=[aeoAEO])[âÂ]"
    "|(?<=[aA])[êÊ]|(?<=[ôöÔÖ])[øùûõïØÙÛÕÏ]|(?<=[ñÑ]))"
)


@dataclass(frozen=True)
class Converted:
    encoding: str  # "TCVN3" or "VNI"
    text: str


def detect(text: str, font: str | None = None) -> str | None:
    """ "TCVN3", "VNI" or None for Unicode (or plain ASCII) text."""
    if font:
        name = font.strip().lower()
        if name.startswith(".vn"):
            return "TCVN3"
        if name.startswith("vni"):
            return "VNI"
    if _UNICODE_ONLY.search(text):
        return None  # already Unicode Vietnamese (ă, đ, ơ, ư, ạ, ế…)
    tcvn3_table, _, vni_pattern = _tables()
    vni = len(vni_pattern.findall(text)) if _VNI_STRONG.search(text) else 0
    foreign = sum(ch in _FOREIGN for ch in text)
    if not foreign and not vni:
        return None
    tcvn = sum(ch in tcvn3_table for ch in text if ch in _FOREIGN)
    return "VNI" if vni >= tcvn and vni else "TCVN3" if tcvn else None


def _capitals(original: str, converted: str) -> str:
    """Words typed with a capital font (.VnTimeH) when the file gives no font: the accented
    letters come as lower-case codes, so a word whose plain letters (two at least, so that
    "Lª" stays "Lê") are all capitals is a word in capitals."""
    words = re.split(r"(\s+)", converted)
    plain = re.split(r"(\s+)", original)
    out = []
    for word, raw in zip(words, plain, strict=False):
        letters = [ch for ch in raw if ch.isascii() and ch.isalpha()]
        if len(letters) >= 2 and all(ch.isupper() for ch in letters):
            word = word.upper()
        out.append(word)
    return "".join(out)


def font_encoding(font: str | None) -> str | None:
    name = (font or "").strip().lower()
    if name.startswith(".vn"):
        return "TCVN3"
    if name.startswith("vni"):
        return "VNI"
    return None


def convert(text: str, font: str | None = None, encoding: str | None = None) -> Converted | None:
    """The Unicode text of a legacy-encoded string, or None when it is not legacy text.
    The encoding comes from `encoding` (the file's, when decided), the cell's font, or the
    string's own characters."""
    encoding = encoding or font_encoding(font) or detect(text)
    if encoding is None or (text.isascii() and encoding == "VNI"):
        return None
    if encoding == "TCVN3":
        table = _tables()[0]
        result = "".join(table.get(ch, ch) for ch in text)
        if font_encoding(font):
            if font and font.strip().lower().endswith("h"):
                result = result.upper()  # the capital fonts: .VnTimeH, .VnArialH
        else:
            result = _capitals(text, result)
    else:
        _, vni_table, pattern = _tables()
        result = pattern.sub(lambda m: vni_table[m.group(0)], text)
    result = unicodedata.normalize("NFC", result)
    return None if result == text else Converted(encoding, result)


def file_encoding(texts: list[str]) -> str | None:
    """The legacy encoding a whole file is typed in, when its cells say so clearly (two at
    least, none in the other encoding): then its ambiguous cells are read that way too."""
    found = {"TCVN3": 0, "VNI": 0}
    for text in texts:
        kind = detect(text) if suspicious(text) else None
        if kind:
            found[kind] += 1
    for kind, other in (("TCVN3", "VNI"), ("VNI", "TCVN3")):
        if found[kind] >= 2 and not found[other]:
            return kind
    return None


def plain_unicode(text: str) -> bool:
    """Ordinary Unicode Vietnamese (ă, đ, ơ, ư, ạ…): never legacy text."""
    return _UNICODE_ONLY.search(text) is not None


_LEGACY_HINT = re.compile("[" + "".join(sorted(_FOREIGN)) + "øùûõïñöØÙÛÕÏÑÖ]")


def suspicious(text: str) -> bool:
    """Is this string legacy-encoded by its characters (then the file's fonts are read too)?
    A regex pass first: almost every cell is plain ASCII or ordinary Unicode."""
    if text.isascii() or not (_LEGACY_HINT.search(text) or _VNI_STRONG.search(text)):
        return False
    return detect(text) is not None


# For a first look at a whole file: only characters ordinary Vietnamese never uses (not ù, õ,
# è, É, È, which are letters of Unicode Vietnamese too); legacy text always has some of them.
_FILE_HINT = re.compile(
    "[" + "".join(sorted((_FOREIGN | set("øûïñöØÛÏÑÖ")) - set("ùõèÉÈÙÕ"))) + "]"
)


def hint(text: str) -> bool:
    """Any character a legacy encoding leaves: worth looking at the file cell by cell."""
    return not text.isascii() and (
        _FILE_HINT.search(text) is not None or _VNI_STRONG.search(text) is not None
    )
