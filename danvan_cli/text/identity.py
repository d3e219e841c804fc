"""Who is the same person or collective across years (DESIGN §5).

Kind, name and unit match after normalisation: Unicode NFC, one tone-mark style
("hoà" = "hòa", "Uỷ" = "Ủy"), case, spacing and the plan's alias table ("UBND" =
"Ủy ban nhân dân"). Diacritics are never dropped: "Hòa" and "Hoa" are different people;
a near match (one letter or one diacritic apart) is only reported, for a person to confirm.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Move:
    """One edge of the map's history: unit `old` is known as `new` from `on` (a rename, or
    one commune of a merger), with the decision that made it."""

    old: str
    new: str
    on: dt.date | None = None
    decision: str = ""


def _replace_words(key: str, old: str, new: str) -> str | None:
    """`key` with the whole words `old` replaced by `new` once, or None if it has no `old`."""
    padded = f" {key} "
    if f" {old} " not in padded:
        return None
    return padded.replace(f" {old} ", f" {new} ", 1).strip()


class Identity:
    """The plan's identity rules: its alias table and the history of its units' names
    (renames, mergers, splits), so that a candidate is followed across a reorganisation."""

    def __init__(
        self,
        aliases: Mapping[str, str],
        renames: Sequence[tuple[str, str] | tuple[str, str, dt.date | None] | Move],
        communes: Sequence[str] = (),
    ) -> None:
        self.aliases = dict(aliases)
        moves: list[Move] = []
        for r in renames:
            if isinstance(r, Move):
                moves.append(r)
            else:
                moves.append(Move(r[0], r[1], r[2] if len(r) > 2 else None))
        self.moves = [
            Move(name_key(m.old, aliases), name_key(m.new, aliases), m.on, m.decision)
            for m in moves
            if name_key(m.old, aliases) != name_key(m.new, aliases)
        ]
        self.shown = {name_key(m.new, aliases): m.new for m in moves}  # key -> display name
        self.shown |= {name_key(m.old, aliases): m.old for m in moves}
        self.communes = {name_key(c, aliases): c for c in communes} | {
            k: v for k, v in self.shown.items()
        }

    def _moves(self, on: dt.date | None) -> list[Move]:
        return [m for m in self.moves if on is None or m.on is None or m.on <= on]

    def unit_key(self, unit: str, on: dt.date | None = None) -> str:
        """The unit's key under its latest name (as of `on`, or ever): "UBND xã A" becomes
        "UBND xã B" when the plan says xã A became xã B (renames apply to whole words, chains
        are followed, each rename once)."""
        key = name_key(unit, self.aliases)
        applied: set[str] = set()
        moves = self._moves(on)
        for _ in range(len(moves)):  # a chain is at most that long
            progress = False
            for m in moves:
                if m.old in applied or f" {m.new} " in f" {key} ":
                    continue
                replaced = _replace_words(key, m.old, m.new)
                if replaced is not None:
                    key = replaced
                    applied.add(m.old)  # "xã A" → "xã A mới" never repeats
                    progress = True
            if not progress:
                break
        return key

    def name_key(self, name: str) -> str:
        return name_key(name, self.aliases)

    def spelled_now(self, unit: str, on: dt.date | None = None) -> str:
        """A unit's name as it reads after the reorganisations in force on `on`: the old
        commune's name in it replaced by the new one, as the plan writes them ("UBND xã Vạn
        Phú" → "UBND xã Vạn Ninh"); the name as it is when it names no renamed commune."""
        text = unicodedata.normalize("NFC", unit)
        moves = self._moves(on)
        for _ in range(len(moves)):  # a chain is at most that long
            before = text
            for m in moves:
                old, new = self.shown.get(m.old), self.shown.get(m.new)
                if not old or not new or old == new:
                    continue
                pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)", re.IGNORECASE)
                if pattern.search(text) and not re.search(
                    rf"(?<!\w){re.escape(new)}(?!\w)", text, re.IGNORECASE
                ):
                    text = pattern.sub(new, text, count=1)
            if text == before:
                break
        return text

    def key(self, kind: str, name: str, unit: str) -> str:
        return f"{kind}|{self.name_key(name)}|{self.unit_key(unit)}"

    def commune(self, unit: str, on: dt.date | None = None) -> str | None:
        """The commune (of the plan's list and its renames) a unit belongs to, under its name
        as of `on`: "Hội Phụ nữ xã Vạn Long" → "xã Vạn Long" (2024) or "xã Tu Bông" (2026)."""
        key = f" {self.unit_key(unit, on)} "
        keys = {self.unit_key(shown, on) for shown in self.communes.values()}
        found = [k for k in keys if f" {k} " in key]
        return self.shown_as(max(found, key=len)) if found else None

    def move_to(self, then: str, now: str) -> Move | None:
        """The reorganisation (first step) that took `then` to `now`, by their shown names."""
        old, new = name_key(then, self.aliases), name_key(now, self.aliases)
        return next(
            (m for m in self.moves if m.old == old and self.unit_key(m.new) == self.unit_key(new)),
            None,
        )

    def shown_as(self, key: str) -> str:
        return self.communes.get(key) or self.shown.get(key) or key

    def predecessors(self, name: str, on: dt.date) -> list[tuple[str, Move]]:
        """The names a collective named after its unit had before a reorganisation that took
        effect by `on` ("Ủy ban MTTQ xã Vạn Ninh" ← "… xã Vạn Phú", "… xã Vạn Lương" …)."""
        key = self.name_key(name)
        found = []
        for m in self._moves(on):
            if m.on is None:
                continue
            older = _replace_words(key, m.new, m.old)
            if older is not None:
                found.append((older, m))
        return found
