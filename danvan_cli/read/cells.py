"""Cell coordinates and blank values: what every reader of a grid shares."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=16384)
def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) → "D9" (one string per cell, shared by every dossier)."""
    return f"{column_letter(col)}{row + 1}"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class CellError(str):
    """A cell holding a formula error ("#REF!", "#DIV/0!", "#SPILL!"…): its text, kept apart
    from text a person typed so that a score cell holding one is reported as what it is."""

    __slots__ = ()
