"""The options several commands share, declared once."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from danvan_cli.i18n.catalog import t

if TYPE_CHECKING:  # pydantic's models are not needed to parse options (nor for --help)
    from danvan_cli.config.rubric import Kind


def language(args: Sequence[str]) -> str:
    """The language of messages, read before Typer parses anything (help and errors need it)."""
    lang = "en" if os.environ.get("DANVAN_LANG") == "en" else "vi"
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in ("vi", "en"):
            lang = args[i + 1]
        elif arg in ("--lang=en", "--lang=vi"):
            lang = arg.split("=", 1)[1]
    return lang


HELP_LANG = language(sys.argv[1:])


def h(key: str) -> str:
    """The help text `help.<key>` of the catalog."""
    return t(f"help.{key}", HELP_LANG)


class Lang(str, Enum):
    vi = "vi"
    en = "en"


class Format(str, Enum):
    table = "table"
    json = "json"


class KindOpt(str, Enum):
    collective = "collective"
    individual = "individual"

    @property
    def id(self) -> Kind:
        return "collective" if self is KindOpt.collective else "individual"


class HoldReasonOpt(str, Enum):
    """Why a candidate is held (Nghị định 152/2025, Điều 4.4)."""

    discipline = "discipline"
    investigation = "investigation"
    inspection = "inspection"
    complaint = "complaint"


LangOpt = Annotated[
    Lang,
    typer.Option("--lang", envvar="DANVAN_LANG", help=h("lang")),
]
PlanOpt = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        envvar="DANVAN_PLAN",
        help=h("plan"),
        dir_okay=False,
    ),
]
WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        envvar="DANVAN_WORKSPACE",
        help=h("workspace"),
        file_okay=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help=h("format"))]
