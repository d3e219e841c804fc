"""The one place where errors become messages and exit codes: danvan's own errors (any
command), Click's usage errors (translated through the catalog), an interruption, a bug."""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence
from enum import Enum
from typing import Any, Literal, get_args, get_origin

import typer
from typer import _click as click  # Typer 0.29 parses with its own copy of Click
from typer._click.utils import make_default_short_help
from typer.core import TyperCommand, TyperGroup, TyperOption

from danvan_cli.cli.options import language
from danvan_cli.cli.params import fast_params
from danvan_cli.errors import DanvanError


class NoSuchCommand(click.exceptions.UsageError):
    def __init__(self, name: str, ctx: click.Context) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name


class ExtraArguments(click.exceptions.UsageError):
    """Words after a command that none of its arguments takes."""

    def __init__(self, words: list[str], ctx: click.Context) -> None:
        super().__init__(f"Got unexpected extra argument(s) ({' '.join(words)})", ctx)
        self.words = words


class DanvanCommand(TyperCommand):
    """Every danvan command: its usage errors say what they are about by their class (so the
    catalog can tell them, never Click's English) and point to the command's own help."""

    def __init__(self, *args: Any, context_settings: dict[str, Any] | None = None, **kw: Any):
        # Click hands extra words over instead of failing with an English sentence
        settings = {**(context_settings or {}), "allow_extra_args": True}
        super().__init__(*args, context_settings=settings, **kw)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            rest = super().parse_args(ctx, args)
        except click.exceptions.UsageError as exc:
            if exc.ctx is None:  # raised by the option parser, which knows no command
                exc.ctx = ctx
            raise
        if ctx.args:
            raise ExtraArguments(list(ctx.args), ctx)
        return rest


def _is_option(param: Any) -> bool:
    return isinstance(param, TyperOption)


def _param_name(param: Any) -> str:
    """An option by its flag (--year), an argument by its help text (what the user knows it
    as), never by the Python name of its variable."""
    if param is None:
        return ""
    if not _is_option(param):
        helped = str(getattr(param, "help", None) or "").strip().rstrip(".")
        if helped:
            return helped
    opts = getattr(param, "opts", None) or [getattr(param, "name", "") or ""]
    return str(opts[0])


# A fitting example for a whole number, by what it counts (default: a row number).
_EXAMPLES = {"year": "2024", "first": "2023", "last": "2026", "jobs": "2"}


def _declared_type(param: Any) -> Any:
    """The Python type an option was declared with (`X | None` unwrapped), if Typer kept it."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    args = [a for a in get_args(annotation) if a is not type(None)]
    return args[0] if len(args) == 1 else annotation


def _choice_values(kind: Any) -> list[str] | None:
    """The values a choice option takes (a literal type's or an enum's), else None."""
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [str(m.value) for m in kind]
    if get_origin(kind) is Literal:
        return [str(v) for v in get_args(kind)]
    return None


def usage_message(exc: click.exceptions.UsageError, lang: str) -> str:
    """A Click usage error told in the user's language (by its class and its parameter's
    declared type, never by Click's English text)."""
    from danvan_cli.i18n.catalog import t

    errors = click.exceptions
    param = getattr(exc, "param", None)
    name = _param_name(param)
    if isinstance(exc, NoSuchCommand):
        return t("usage.no_command", lang, command=exc.name)
    if isinstance(exc, ExtraArguments):
        words = " ".join(shlex.quote(w) for w in exc.words)
        return t("usage.extra_arguments", lang, words=words)
    if isinstance(exc, errors.NoSuchOption):
        return t("usage.no_option", lang, option=exc.option_name)
    if isinstance(exc, errors.MissingParameter):
        what = getattr(param, "help", None) or name
        return t("usage.missing", lang, param=name if _is_option(param) else what)
    if isinstance(exc, errors.BadParameter):
        kind = _declared_type(param)
        values = _choice_values(kind)
        if values is not None:
            return t("usage.bad_value", lang, param=name, choices=", ".join(values))
        if kind is int:
            low, high = getattr(param, "min", None), getattr(param, "max", None)
            if low is not None and high is not None:
                return t("usage.number_between", lang, param=name, min=low, max=high)
            if low is not None:
                return t("usage.number_at_least", lang, param=name, min=low)
            if high is not None:
                return t("usage.number_at_most", lang, param=name, max=high)
            example = _EXAMPLES.get(str(getattr(param, "name", "")), "1")
            return t("usage.bad_number", lang, param=name, example=example)
        return t("usage.bad_value_plain", lang, param=name)
    if isinstance(exc, errors.BadOptionUsage):
        return t("usage.option_needs_value", lang, option=exc.option_name)
    return t("usage.other", lang)  # Click's own sentence is English: never shown


def render_error(exc: DanvanError, lang: str) -> tuple[str, list[str]]:
    from danvan_cli.i18n.catalog import Message, t

    text = t(exc.key, lang, **exc.params)
    lines = [line.render(lang) if isinstance(line, Message) else line for line in exc.lines]
    return text, lines


class DanvanGroup(TyperGroup):
    """The root command: every run, from the shell or from a test, goes through `main`.

    Built by `root_command`, it turns a Typer command into a Click command only when it is
    named (a run uses one; `--help` lists them from their help texts alone): converting every
    command's parameters costs more than the rest of `danvan --help`."""

    lazy: dict[str, Any]  # name → Typer CommandInfo or TyperInfo, not converted yet
    app: typer.Typer  # whose settings the conversion follows

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = list(super().list_commands(ctx))
        return names + [n for n in getattr(self, "lazy", {}) if n not in self.commands]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = getattr(self, "lazy", {})
        if cmd_name not in self.commands and cmd_name in lazy:
            self.commands[cmd_name] = _convert(lazy[cmd_name], self.app)
        command = super().get_command(ctx, cmd_name)
        return fast_params(command) if command is not None else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lazy = getattr(self, "lazy", {})
        if not lazy:
            super().format_commands(ctx, formatter)
            return
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [(n, make_default_short_help(_help_of(lazy[n]), limit)) for n in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
        fast_params(self)  # the root's own options
        code = run(
            lambda: super(DanvanGroup, self).main(argv, prog_name, complete_var, False, **extra),
            argv,
        )
        if standalone_mode:
            sys.exit(code)
        return code


def root_command(app: typer.Typer) -> DanvanGroup:
    """The root group of `app` with its commands left to convert when named (see
    DanvanGroup); the same group `typer.main.get_command(app)` builds, command for command."""
    import copy

    shell = copy.copy(app)
    shell.registered_commands, shell.registered_groups = [], []
    group = typer.main.get_command(shell)
    assert isinstance(group, DanvanGroup)
    lazy: dict[str, Any] = {}
    for info in app.registered_commands:
        assert info.callback is not None
        lazy[info.name or typer.main.get_command_name(info.callback.__name__)] = info
    for sub in app.registered_groups:
        lazy[str(sub.name)] = sub
    group.lazy, group.app = lazy, app
    return group


def _convert(info: Any, app: typer.Typer) -> click.Command:
    from typer.models import TyperInfo

    short, markup = app.pretty_exceptions_short, app.rich_markup_mode
    if isinstance(info, TyperInfo):
        return typer.main.get_group_from_info(
            info,
            pretty_exceptions_short=short,
            suggest_commands=app.suggest_commands,
            rich_markup_mode=markup,
        )
    return typer.main.get_command_from_info(
        info, pretty_exceptions_short=short, rich_markup_mode=markup
    )


def _help_of(info: Any) -> str:
    from typer.models import TyperInfo

    if isinstance(info, TyperInfo):
        return typer.main.solve_typer_info_help(info)
    return str(info.help or "")


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
