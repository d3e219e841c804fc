"""Command-line values read without pydantic (cli.params) read exactly as Typer's own
readers do, and fail where they fail."""

from __future__ import annotations

import pytest
import typer
from typer import _click as click
from typer._coercion import build_runtime_param

from danvan_cli.cli import app
from danvan_cli.cli.params import _leaf, _Plain, fast_params


def _all_params() -> list[click.Parameter]:
    root = typer.main.get_command(app)
    found: list[click.Parameter] = []

    def walk(command: click.Command) -> None:
        found.extend(p for p in command.params if hasattr(p, "type_descriptor"))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(root)
    kinds: dict[tuple[object, ...], click.Parameter] = {}
    for p in found:  # one of each kind of value and its settings
        d = p.type_descriptor  # type: ignore[attr-defined]
        i = d.parameter_info
        key = (repr(d.annotation), i.min, i.max, i.file_okay, i.dir_okay, p.nargs, p.multiple)
        kinds.setdefault(key, p)
    return list(kinds.values())


PARAMS = _all_params()


def test_every_option_of_danvan_is_read_without_pydantic():
    root = fast_params(typer.main.get_command(app))
    params: list[click.Parameter] = []

    def walk(command: click.Command) -> None:
        params.extend(p for p in command.params if hasattr(p, "type_descriptor"))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(root)
    assert params and all(isinstance(p._runtime_param, _Plain) for p in params)  # type: ignore[attr-defined]


VALUES = [
    "3",
    "0",
    "-1",
    " 7 ",
    "1.5",
    "x",
    "",
    "json",
    "JSON",
    "collective",
    "vi",
    ".",
    "yes",
    " Off ",
]


@pytest.mark.parametrize("index", range(len(PARAMS)))
def test_each_option_reads_as_typer_reads_it(index, tmp_path):
    param = PARAMS[index]
    ctx = click.Context(typer.main.get_command(app))
    descriptor = param.type_descriptor  # type: ignore[attr-defined]
    typer_reader = build_runtime_param(descriptor)
    ours = _Plain(descriptor.parameter_info, descriptor.annotation, _leaf(descriptor.annotation))
    (tmp_path / "f.xlsx").write_bytes(b"x")
    values = [*VALUES, str(tmp_path), str(tmp_path / "f.xlsx")]
    multi = param.multiple or param.nargs == -1
    for value in values:
        given = [value] if multi else value
        try:
            expected = typer_reader.coerce(given, param=param, ctx=ctx)
        except Exception as exc:  # Typer refuses it (pydantic's or Click's error): so must we
            with pytest.raises(click.exceptions.BadParameter):
                ours.coerce(given, param=param, ctx=ctx)
            assert type(exc).__name__ in ("BadParameter", "ValidationError"), exc
            continue
        got = ours.coerce(given, param=param, ctx=ctx)
        assert got == expected and type(got) is type(expected), (param.name, value)
