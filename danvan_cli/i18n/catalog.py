"""The one message catalog (`messages.yaml`): Vietnamese by default, English with --lang en.

Loaded through pydantic, so a mistyped severity or a text missing in one language stops the
program at once (and in the tests), never turns into a silent default.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from danvan_cli import yamlio
from danvan_cli.i18n.numbers import fmt_number

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
Severity = Literal["error", "warning"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FindingText(_Strict):
    message: Annotated[str, Field(min_length=1)]
    hint: Annotated[str, Field(min_length=1)]


class CodeSpec(_Strict):
    """A finding code: its severity, the plan rule it enforces, its text in both languages."""

    severity: Severity
    rule: Annotated[str, Field(pattern=r"^R\d{1,2}$")] | None
    vi: FindingText
    en: FindingText

    def text(self, lang: str) -> FindingText:
        return self.en if lang == "en" else self.vi


class UIText(_Strict):
    vi: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


class Catalog(_Strict):
    codes: Annotated[dict[str, CodeSpec], Field(alias="findings")]
    ui: dict[str, UIText]


@cache
def catalog() -> Catalog:
    raw = yamlio.load_file_cached(Path(__file__).parent / "messages.yaml")
    return Catalog.model_validate(raw)


class Term(str):
    """A parameter that names a catalog term (`term.<name>`), translated when rendered."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Message:
    """A catalog text not yet rendered: a key and its parameters (which may be Messages)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

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
    text = catalog().codes[code].text(lang)
    return render(text.message if part == "message" else text.hint, params, lang)


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
