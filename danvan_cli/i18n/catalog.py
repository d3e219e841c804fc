"""The one message catalog (`messages.yaml`): Vietnamese by default, English with --lang en.

Checked through pydantic (i18n.schema), so a mistyped severity or a text missing in one
language stops the program at once (and in the tests), never turns into a silent default.
"""

from __future__ import annotations

import datetime as dt
import string
from functools import cache
from pathlib import Path
from typing import Any, Literal

from danvan_cli import yamlio
from danvan_cli.i18n.numbers import fmt_number
from danvan_cli.record import Record

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
Severity = Literal["error", "warning"]


class FindingText:
    __slots__ = ("hint", "message", "printed")

    def __init__(self, raw: dict[str, str]) -> None:
        self.message: str = raw["message"]
        self.hint: str = raw["hint"]
        self.printed: str = raw.get("printed") or self.hint  # on paper: no command named


class CodeSpec:
    """A finding code: its severity, the plan rule it enforces, its text in both languages."""

    __slots__ = ("en", "rule", "severity", "vi")

    def __init__(self, raw: dict[str, Any]) -> None:
        self.severity: Severity = raw["severity"]
        self.rule: str | None = raw.get("rule")
        self.vi = FindingText(raw["vi"])
        self.en = FindingText(raw["en"])

    def text(self, lang: str) -> FindingText:
        return self.en if lang == "en" else self.vi


class UIText:
    __slots__ = ("en", "vi")

    def __init__(self, raw: dict[str, str]) -> None:
        self.vi: str = raw["vi"]
        self.en: str = raw["en"]

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


class Catalog:
    """The catalog as the program reads it. Its file is checked by the pydantic models of
    i18n.schema once per content (a mistyped severity or a text missing in one language
    stops the program, and the tests); an unchanged file is read without pydantic."""

    __slots__ = ("codes", "ui")

    def __init__(self, raw: dict[str, Any]) -> None:
        self.codes = {code: CodeSpec(spec) for code, spec in raw["findings"].items()}
        self.ui = {key: UIText(text) for key, text in raw["ui"].items()}


def _check(raw: Any) -> None:
    from danvan_cli.i18n.schema import CatalogFile

    CatalogFile.model_validate(raw)


@cache
def catalog() -> Catalog:
    path = Path(__file__).parent / "messages.yaml"
    return Catalog(yamlio.load_file_checked(path, _check, "messages"))


class Term(str):
    """A parameter that names a catalog term (`term.<name>`), translated when rendered."""

    __slots__ = ()


class Message(Record):
    """A catalog text not yet rendered: a key and its parameters (which may be Messages)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, params: dict[str, Any] | None = None) -> None:
        self.key = key
        self.params = params if params is not None else {}

    def render(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


def _fmt(value: Any, lang: str, params: dict[str, Any]) -> str:
    if isinstance(value, Term):
        return t(f"term.{value}", lang, **{k: v for k, v in params.items() if k != "expected"})
    if isinstance(value, Message):
        return value.render(lang)
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
    """A finding's `message`, `hint`, or `printed` hint (the hint as paper gives it)."""
    text = catalog().codes[code].text(lang)
    chosen = {"message": text.message, "printed": text.printed}.get(part, text.hint)
    return render(chosen, params, lang)


def t(key: str, lang: str, **params: Any) -> str:
    """A user-interface string from the catalog."""
    return render(catalog().ui[key].text(lang), params, lang)


class _Ellipsis(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "…"


def finding_title(code: str, lang: str) -> str:
    """A finding's message with its particulars left out, to name the kind of problem."""
    text = catalog().codes[code].text(lang).message
    return string.Formatter().vformat(text, (), _Ellipsis())
