"""Near matches: names one letter or one diacritic apart, found without comparing all pairs.

Reported for a person to confirm, never merged (DESIGN §5).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol

from danvan_cli.text.identity import Identity


def distance(a: str, b: str) -> int:
    """Levenshtein distance between two short strings (characters of the NFD form)."""
    a = unicodedata.normalize("NFD", a)
    b = unicodedata.normalize("NFD", b)
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


_NUMBER = re.compile(r"[0-9]+")


def near(a: str, b: str) -> bool:
    """Keys one letter or one diacritic apart (but not equal). Numbers are not letters:
    "thôn 1" and "thôn 2" (or "thôn 12") are different places, never a near match."""
    return (
        a != b
        and len(a) <= NEAR_MAX
        and len(b) <= NEAR_MAX
        and abs(len(a) - len(b)) <= 2
        and _NUMBER.findall(a) == _NUMBER.findall(b)
        and distance(a, b) <= 1
    )


# Names and units longer than this are never near-matched (only matched exactly): a name or
# a unit is a few dozen letters; a hostile 20,000-letter one would cost its length squared.
NEAR_MAX = 200


def _deletions(text: str) -> set[str]:
    """The string and every string with one character removed (NFD, so one diacritic too)."""
    text = unicodedata.normalize("NFD", text)
    return {text} | {text[:i] + text[i + 1 :] for i in range(len(text))}


class NearIndex:
    """Finds names within one letter or diacritic of a key without comparing every pair:
    each distinct key is indexed by its one-deletion neighbours (blocking), so a lookup
    compares only the few distinct keys sharing a neighbour — never every candidate of a
    unit, however many share its name."""

    def __init__(self) -> None:
        self._by_piece: dict[str, set[str]] = {}
        self._ids: dict[str, set[int]] = {}

    def add(self, ident: int, key: str) -> None:
        if len(key) > NEAR_MAX:
            return
        if key not in self._ids:
            self._ids[key] = set()
            for piece in _deletions(key):
                self._by_piece.setdefault(piece, set()).add(key)
        self._ids[key].add(ident)

    def near(self, key: str) -> set[int]:
        """Identifiers whose key is near `key` (never equal to it)."""
        if len(key) > NEAR_MAX:
            return set()
        keys: set[str] = set()
        for piece in _deletions(key):
            keys |= self._by_piece.get(piece, set())
        keys.discard(key)
        found: set[int] = set()
        for other in keys:
            if near(key, other):
                found |= self._ids[other]
        return found


class Named(Protocol):
    """A recorded candidate as near matching sees it."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...


class NearMatcher:
    """Near matches among recorded candidates: name near and unit equal or near, or name
    equal and unit near."""

    def __init__(self, candidates: Sequence[Named], identity: Identity) -> None:
        self.identity = identity
        self.kinds = {c.id: c.kind for c in candidates}
        self.keys = {
            c.id: (identity.name_key(c.name), identity.unit_key(c.unit)) for c in candidates
        }
        self.names = NearIndex()
        self.units = NearIndex()
        for c in candidates:
            self.names.add(c.id, self.keys[c.id][0])
            self.units.add(c.id, self.keys[c.id][1])

    def matches(self, kind: str, name: str, unit: str, exclude: int | None = None) -> list[int]:
        """The ids of the recorded candidates of `kind` near this name and unit, sorted."""
        nk, uk = self.identity.name_key(name), self.identity.unit_key(unit)
        ids = {i for i in self.names.near(nk) if self.keys[i][1] == uk or near(self.keys[i][1], uk)}
        ids |= {i for i in self.units.near(uk) if self.keys[i][0] == nk}
        return sorted(i for i in ids if i != exclude and self.kinds[i] == kind)
