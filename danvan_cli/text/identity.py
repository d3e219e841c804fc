"""Who is the same person or collective across years (DESIGN §5).

Kind, name and unit match after normalisation: Unicode NFC, one tone-mark style
("hoà" = "hòa", "Uỷ" = "Ủy"), case, spacing and the plan's alias table ("UBND" =
"Ủy ban nhân dân"). Diacritics are never dropped: "Hòa" and "Hoa" are different people;
a near match (one letter or one diacritic apart) is only reported, for a person to confirm.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

# The five Vietnamese tone marks as combining characters (NFD).
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"\w+", re.UNICODE)


def _syllable_key(word: str) -> str:
    """A syllable with its tone mark moved to the end, so the mark's position doesn't matter."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in _TONES]
    base = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", base) + "".join(tones)


def expand_aliases(text: str, aliases: Mapping[str, str]) -> str:
    if not aliases:
        return text
    table = {unicodedata.normalize("NFC", k).casefold(): v for k, v in aliases.items()}

    def swap(match: re.Match[str]) -> str:
        return table.get(match.group(0).casefold(), match.group(0))

    return _WORD.sub(swap, unicodedata.normalize("NFC", text))


def name_key(text: str, aliases: Mapping[str, str] | None = None) -> str:
    """The comparison key of a name or unit."""
    text = expand_aliases(text, aliases or {})
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(_syllable_key(w) for w in _WORD.findall(text))


class Identity:
    """The plan's identity rules: its alias table and its renames (unit A became unit B)."""

    def __init__(self, aliases: Mapping[str, str], renames: list[tuple[str, str]]) -> None:
        self.aliases = dict(aliases)
        self.renamed = {name_key(old, aliases): name_key(new, aliases) for old, new in renames}

    def unit_key(self, unit: str) -> str:
        """The unit's key under its latest name: "UBND xã A" becomes "UBND xã B" when the plan
        says xã A became xã B (renames apply to whole words, chains are followed)."""
        key = f" {name_key(unit, self.aliases)} "
        applied: set[str] = set()
        for _ in range(len(self.renamed)):  # a chain is at most that long
            progress = False
            for old, new in self.renamed.items():
                if old not in applied and f" {old} " in key and f" {new} " not in key:
                    key = key.replace(f" {old} ", f" {new} ", 1)
                    applied.add(old)  # each rename once: "xã A" → "xã A mới" never repeats
                    progress = True
            if not progress:
                break
        return key.strip()

    def name_key(self, name: str) -> str:
        return name_key(name, self.aliases)

    def key(self, kind: str, name: str, unit: str) -> str:
        return f"{kind}|{self.name_key(name)}|{self.unit_key(unit)}"
