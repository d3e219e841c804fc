"""The README keeps step with the commands and the catalog."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer

from conftest import ROOT
from danvan_cli.cli import app
from danvan_cli.i18n.catalog import catalog

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, Any]:
    root = typer.main.get_command(app)
    found: dict[str, Any] = {}

    def walk(group: Any, prefix: str) -> None:
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                walk(cmd, f"{prefix}{name} ")
            else:
                found[f"{prefix}{name}"] = cmd

    walk(root, "")
    return found


def _section(name: str) -> str:
    match = re.search(rf"^### `danvan {re.escape(name)}`\n(.*?)(?=^##)", README, re.M | re.S)
    assert match, f"README has no section for danvan {name}"
    return match.group(1)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_is_documented_with_all_its_options(name):
    cmd = _commands()[name]
    assert cmd.help and cmd.help.strip(), f"danvan {name} has no help text"
    text = _section(name)
    for param in cmd.params:
        if param.param_type_name == "option":
            assert param.help, f"{name} {param.opts} has no help"
            assert any(opt in text for opt in param.opts if opt != "--help"), (name, param.opts)


def test_every_finding_code_is_in_the_readme():
    for code in catalog().codes:
        assert f"`{code}`" in README, code


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python -m pip install -e ".[test]" && python -m pytest' in README
    assert "\npython -m pytest\n" in ci
