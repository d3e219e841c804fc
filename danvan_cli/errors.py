"""Exceptions that stop a command. Problems with a dossier are findings, never these."""

from __future__ import annotations


class DanvanError(Exception):
    """A problem that stops the command; the CLI prints it and exits with `exit_code`."""

    exit_code = 2

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class UsageError(DanvanError):
    """Bad option or path given on the command line."""


class ConfigError(DanvanError):
    """A rubric or plan file is missing or broken; `lines` are "file: key: problem"."""

    def __init__(self, key: str, lines: list[str] | None = None, **params: object) -> None:
        super().__init__(key, **params)
        self.lines = lines or []


class OutputError(DanvanError):
    """An output file could not be written."""
