"""Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
with the tone as a secondary difference (none, huyền, hỏi, ngã, sắc, nặng — the dictionary
order) and case last. A small, pure-Python key for `sorted`.
"""

from __future__ import annotations

import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_QUALITY = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}

Key = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """(letter, tone, upper) per letter: ă, â, ê, ô, ơ, ư and đ are letters of their own."""
    out: list[tuple[str, int, bool]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if not out:
                continue
            base, tone, upper = out[-1]
            if ch in _TONES:
                out[-1] = (base, _TONES[ch], upper)
            elif (base, ch) in _QUALITY:
                out[-1] = (_QUALITY[(base, ch)], tone, upper)
            continue
        lower = ch.lower()
        out.append(("đ" if lower == "đ" else lower, 0, ch != lower))
    return out


def _weight(letter: str) -> int:
    if letter in _RANK:
        return 100 + _RANK[letter]
    if letter.isdigit():
        return 10 + int(letter) if letter.isascii() else 50
    if letter.isspace():
        return 1
    return 1000 + ord(letter)


def sort_key(text: str) -> Key:
    letters = _letters(" ".join(text.split()))
    return (
        tuple(_weight(b) for b, _, _ in letters),
        tuple(t for _, t, _ in letters),
        tuple(int(u) for _, _, u in letters),
    )


def person_key(name: str) -> tuple[Key, Key]:
    """A person's name in official lists: by given name (the last word), then the rest."""
    words = name.split()
    return (sort_key(words[-1] if words else ""), sort_key(" ".join(words[:-1])))
