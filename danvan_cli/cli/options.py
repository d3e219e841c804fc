"""The options several commands share, declared once."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

import typer

from danvan_cli.i18n.catalog import t


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


# Choices as literal types: Typer lists and checks them like enums, and they cost nothing
# to create at start-up (four `str, Enum` classes cost ~3 ms, bench/).
Lang = Literal["vi", "en"]
Format = Literal["table", "json"]
KindOpt = Literal["collective", "individual"]  # the candidate kinds (config.rubric.Kind)
HoldReasonOpt = Literal["discipline", "investigation", "inspection", "complaint"]  # Điều 4.4


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
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help=h("format"))]
