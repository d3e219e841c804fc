"""Command-line values read without pydantic.

Typer 0.29 builds a pydantic TypeAdapter for every parameter of the command being run: about
40 ms of a one-file `danvan validate`, more than reading the file. danvan's options take six
kinds of values — text, whole numbers (with a minimum), flags, paths, choices (literal types
or enums) and a list of paths — and these are read here the way Typer reads them (its own path and choice helpers),
with the same errors: Click's `BadParameter`, which cli.handler words in the user's language.
Any other kind of value keeps Typer's own reading.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from typer import _click as click
from typer._coercion import RuntimeParam
from typer._param_types import coerce_cli_choice, coerce_cli_path

_INT = re.compile(r"[+-]?[0-9]+")


class _Plain(RuntimeParam):
    """One of danvan's kinds of values (see `fast_params`); a plain class over Typer's
    frozen dataclass (making a dataclass at import costs start-up time)."""

    leaf: Any  # the type of one value (of each item, for a list)

    def __init__(self, parameter_info: Any, annotation: Any, leaf: Any) -> None:
        object.__setattr__(self, "parameter_info", parameter_info)
        object.__setattr__(self, "annotation", annotation)
        object.__setattr__(self, "leaf", leaf)

    def _coerce_value(self, value: Any, param: Any, ctx: click.Context) -> Any:
        if isinstance(value, list | tuple):
            return [self._one(v, param, ctx) for v in value]
        return self._one(value, param, ctx)

    def _one(self, value: Any, param: Any, ctx: click.Context) -> Any:
        info, leaf = self.parameter_info, self.leaf
        if leaf is str:
            return value if isinstance(value, str) else str(value)
        if leaf is bool:
            return _flag(value, param, ctx)
        if leaf is int:
            return _whole(value, info.min, info.max, param, ctx)
        choices = _choices(leaf)
        if choices is not None:
            try:
                return coerce_cli_choice(
                    value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx
                )
            except ValueError as exc:
                raise click.exceptions.BadParameter(str(exc), ctx=ctx, param=param) from None
        path = value if isinstance(value, Path) else Path(value)
        return coerce_cli_path(path, info, path_type=Path, param=param, ctx=ctx)


_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no", ""}


def _flag(value: Any, param: Any, ctx: click.Context) -> bool:
    """A flag is True or False; from text (an environment variable), the words pydantic
    takes for them."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise click.exceptions.BadParameter(f"{value!r} is not a flag value.", ctx=ctx, param=param)


def _whole(value: Any, low: Any, high: Any, param: Any, ctx: click.Context) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise click.exceptions.BadParameter(
            f"{value!r} is not a whole number.", ctx=ctx, param=param
        )
    if isinstance(value, str):
        if not _INT.fullmatch(value.strip()):
            raise click.exceptions.BadParameter(
                f"{value!r} is not a whole number.", ctx=ctx, param=param
            )
        value = int(value.strip())
    assert isinstance(value, int)
    if (low is not None and value < low) or (high is not None and value > high):
        raise click.exceptions.BadParameter(f"{value} is out of range.", ctx=ctx, param=param)
    return value


def _choices(annotation: Any) -> list[Any] | None:
    """The values of a choice: an enum's members or a literal type's values."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return list(annotation)
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    return None


def _leaf(annotation: Any) -> Any | None:
    """The kind of one value, when it is one danvan's options take (else None)."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation) or (None,)
        return item if item is Path else None
    if annotation in (str, bool, int, Path) or _choices(annotation) is not None:
        return annotation
    return None


def fast_params(command: click.Command) -> click.Command:
    """Give each parameter of `command` (and of its subcommands, and the --help option Click
    adds when parsing) the plain reader above when its kind of value is one of danvan's;
    idempotent."""
    if getattr(command, "_danvan_plain", False):
        return command
    for param in command.params:
        _plain(param)
    made = command.get_help_option

    def help_option(ctx: click.Context) -> Any:
        option = made(ctx)
        if option is not None:
            _plain(option)
        return option

    command.get_help_option = help_option  # type: ignore[method-assign]
    command._danvan_plain = True  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        fast_params(sub)
    return command


def _plain(param: click.Parameter) -> None:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", None) is not None:
        return
    info = descriptor.parameter_info
    leaf = _leaf(descriptor.annotation)
    if leaf is None or descriptor.file_annotation is not None or info.parser is not None:
        return
    if leaf is Path and (info.exists or info.resolve_path or info.path_type not in (None, Path)):
        return
    param._runtime_param = _Plain(info, descriptor.annotation, leaf)  # type: ignore[attr-defined]
