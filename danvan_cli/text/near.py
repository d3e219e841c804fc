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


def one_edit(a: str, b: str) -> bool:
    """Whether two strings are at most one insertion, deletion or substitution apart
    (Levenshtein distance ≤ 1), in one pass: linear in their length, never quadratic."""
    if a == b:
        return True
    if len(a) < len(b):
        a, b = b, a
    if len(a) - len(b) > 1:
        return False
    i = 0
    while i < len(b) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]  # one substitution at i
    return a[i + 1 :] == b[i:]  # one character of `a` at i left out


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
        and one_edit(unicodedata.normalize("NFD", a), unicodedata.normalize("NFD", b))
    )


# Names and units longer than this are never near-matched (only matched exactly): a name or
# a unit is a few dozen letters; a hostile 20,000-letter one would cost its length squared.
NEAR_MAX = 200
# A lookup compares a key with at most this many keys that share a one-deletion neighbour
# with it: real names share one with a handful; hundreds only come from names built to (each
# one letter away from the same word), and comparing them all would cost their number
# squared. Near matches are warnings for a person to look at; beyond this many, the first
# in sorted order are compared.
NEAR_COMPARED = 64


def _deletions(text: str) -> set[int]:
    """The string and every string with one character removed (NFD, so one diacritic too),
    kept as their hashes: an index of a thousand names then holds numbers, not a thousand
    times their length in strings (a shared hash only adds a key to compare, never a match)."""
    text = unicodedata.normalize("NFD", text)
    return {hash(text)} | {hash(text[:i] + text[i + 1 :]) for i in range(len(text))}


class NearIndex:
    """Finds names within one letter or diacritic of a key without comparing every pair:
    each distinct key is indexed by its one-deletion neighbours (blocking), so a lookup
    compares only the few distinct keys sharing a neighbour — never every candidate of a
    unit, however many share its name."""

    def __init__(self) -> None:
        self._by_piece: dict[int, set[str]] = {}
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
        for other in sorted(keys)[:NEAR_COMPARED]:
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
