"""Exceptions that stop a command. Problems with a dossier are findings, never these.

An error carries a catalog key and its parameters, never text: the CLI's one handler renders
it in the user's language, with its `lines` (plain strings or catalog `Message`s) under it.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence

from danvan_cli.i18n.catalog import Message

Line = str | Message


class DanvanError(Exception):
    """A problem that stops the command; the CLI prints it and exits with `exit_code`."""

    exit_code = 2

    def __init__(
        self,
        key: str,
        *,
        lines: Sequence[Line] = (),
        exit_code: int | None = None,
        **params: object,
    ) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.lines = list(lines)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(DanvanError):
    """Bad option or path given on the command line."""


class ConfigError(DanvanError):
    """A rubric, plan or workspace file is missing or broken; `lines` say file: key: problem."""


class OutputError(DanvanError):
    """An output file could not be written."""


class RuleError(DanvanError):
    """A rule of the plan refuses what was asked (over quota, a conflict): exit code 1."""

    exit_code = 1


_OS_CODES = ("ENOSPC", "EDQUOT", "EACCES", "EPERM", "EROFS", "ENOENT", "ENOTDIR", "EISDIR", "EBUSY")


def os_reason(exc: OSError) -> Message:
    """An operating-system error as a catalog message (the code kept for a technician)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    if name in _OS_CODES:
        return Message(f"os.{name}")
    return Message("os.other", {"error": exc.strerror or str(exc), "code": name or "?"})
