"""The one place where errors become messages and exit codes: danvan's own errors (any
command), Click's usage errors (translated through the catalog), an interruption, a bug."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import Enum
from typing import Any, get_args

import typer
from typer import _click as click  # Typer 0.29 parses with its own copy of Click
from typer.core import TyperGroup

from danvan_cli.cli.options import language
from danvan_cli.errors import DanvanError


class NoSuchCommand(click.exceptions.UsageError):
    def __init__(self, name: str, ctx: click.Context) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or [getattr(param, "name", "") or ""]
    return str(opts[0])


def _declared_type(param: Any) -> Any:
    """The Python type an option was declared with (`X | None` unwrapped), if Typer kept it."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    args = [a for a in get_args(annotation) if a is not type(None)]
    return args[0] if len(args) == 1 else annotation


def usage_message(exc: click.exceptions.UsageError, lang: str) -> str:
    """A Click usage error told in the user's language (by its class and its parameter's
    declared type, never by Click's English text)."""
    from danvan_cli.i18n.catalog import t

    errors = click.exceptions
    param = getattr(exc, "param", None)
    name = _param_name(param)
    if isinstance(exc, NoSuchCommand):
        return t("usage.no_command", lang, command=exc.name)
    if isinstance(exc, errors.NoSuchOption):
        return t("usage.no_option", lang, option=exc.option_name)
    if isinstance(exc, errors.MissingParameter):
        what = getattr(param, "help", None) or name
        return t("usage.missing", lang, param=name if name.startswith("-") else what)
    if isinstance(exc, errors.BadParameter):
        kind = _declared_type(param)
        if isinstance(kind, type) and issubclass(kind, Enum):
            choices = ", ".join(str(m.value) for m in kind)
            return t("usage.bad_value", lang, param=name, choices=choices)
        if kind is int:
            return t("usage.bad_number", lang, param=name)
        return t("usage.bad_value_plain", lang, param=name)
    if isinstance(exc, errors.BadOptionUsage):
        return t("usage.option_needs_value", lang, option=exc.option_name)
    return t("usage.other", lang, detail=exc.format_message())


def render_error(exc: DanvanError, lang: str) -> tuple[str, list[str]]:
    from danvan_cli.i18n.catalog import Message, t

    text = t(exc.key, lang, **exc.params)
    lines = [line.render(lang) if isinstance(line, Message) else line for line in exc.lines]
    return text, lines


class DanvanGroup(TyperGroup):
    """The root command: every run, from the shell or from a test, goes through `main`."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise NoSuchCommand(name, ctx)
        return super().resolve_command(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        code = run(
            lambda: super(DanvanGroup, self).main(argv, prog_name, complete_var, False, **extra),
            argv,
        )
        if standalone_mode:
            sys.exit(code)
        return code


def run(call: Any, argv: list[str]) -> int:
    """Run the parsed command and turn whatever it raises into a message and an exit code."""
    from danvan_cli.cli import console

    lang = language(argv)
    try:
        code = call()
    except DanvanError as exc:
        text, lines = render_error(exc, lang)
        console.error(text, lines)
        return exc.exit_code
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()
        return 2
    except click.exceptions.UsageError as exc:
        from danvan_cli.i18n.catalog import t

        console.error(usage_message(exc, lang))
        path = exc.ctx.command_path if exc.ctx is not None else "danvan"
        console.message(t("usage.see_help", lang, command=path))
        return 2
    except typer.Abort as exc:
        return 130 if isinstance(exc.__cause__, KeyboardInterrupt) else 1
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    except Exception:
        if "--debug" in argv or os.environ.get("DANVAN_DEBUG"):
            raise
        from danvan_cli.i18n.catalog import t

        console.error(t("crash", lang))
        return 2
    return code if isinstance(code, int) else 0
