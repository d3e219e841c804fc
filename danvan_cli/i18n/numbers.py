"""Numbers as Vietnamese documents write them: 96,5 and 1.250.000.000 (English: 96.5)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any


def fmt_number(value: Any, lang: str) -> str:
    """13.5 → "13,5" in Vietnamese; integers without decimals; thousands grouped."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # years, counts and cell numbers: never grouped
    if isinstance(value, Decimal | float):
        with localcontext() as ctx:
            ctx.prec = 80  # show what was typed, never a rounded figure
            number = Decimal(str(value)).normalize()
            text = f"{number:,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if lang == "vi":
            text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return text
    return str(value)


def fmt_money(value: Any, lang: str) -> str:
    """An amount of money, grouped: 1250000000 → "1.250.000.000" (no decimals: the Vietnamese
    currency has none; the catalog's `paper.money` adds its name)."""
    amount = Decimal(str(value)).quantize(Decimal(1))
    text = f"{amount:,f}"
    if lang == "vi":
        text = text.replace(",", ".")
    return text
