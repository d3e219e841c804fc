"""The one message catalog (`messages.yaml`): Vietnamese by default, English with --lang en."""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import cache
from pathlib import Path
from typing import Any

from danvan_cli import yamlio

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"


@dataclass(frozen=True)
class CodeSpec:
    severity: str
    rule: str | None
    text: dict[str, dict[str, str]]  # lang -> {"message": ..., "hint": ...}


@dataclass(frozen=True)
class Catalog:
    codes: dict[str, CodeSpec]
    ui: dict[str, dict[str, str]]  # key -> lang -> text


@cache
def catalog() -> Catalog:
    raw = yamlio.load_file_cached(Path(__file__).parent / "messages.yaml")
    codes = {
        code: CodeSpec(
            severity=spec["severity"],
            rule=spec.get("rule"),
            text={lang: spec[lang] for lang in LANGS if lang in spec},
        )
        for code, spec in raw["findings"].items()
    }
    return Catalog(codes=codes, ui=raw["ui"])


class Term(str):
    """A parameter that names a catalog term (`term.<name>`), translated when rendered."""

    __slots__ = ()


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


def _fmt(value: Any, lang: str, params: dict[str, Any]) -> str:
    if isinstance(value, Term):
        return t(f"term.{value}", lang, **{k: v for k, v in params.items() if k != "expected"})
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v, lang, params) for v in value)
    return fmt_number(value, lang)


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, params: dict[str, Any], lang: str) -> str:
    return string.Formatter().vformat(
        template, (), _Params({k: _fmt(v, lang, params) for k, v in params.items()})
    )


def finding_text(code: str, part: str, lang: str, params: dict[str, Any]) -> str:
    spec = catalog().codes[code]
    text = spec.text.get(lang) or spec.text[DEFAULT_LANG]
    return render(text[part], params, lang)


def t(key: str, lang: str, **params: Any) -> str:
    """A user-interface string from the catalog."""
    entry = catalog().ui[key]
    return render(entry.get(lang) or entry[DEFAULT_LANG], params, lang)


class _Ellipsis(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "…"


def finding_title(code: str, lang: str) -> str:
    """A finding's message with its particulars left out, to name the kind of problem."""
    spec = catalog().codes[code]
    text = (spec.text.get(lang) or spec.text[DEFAULT_LANG])["message"]
    return string.Formatter().vformat(text, (), _Ellipsis())
