"""Exceptions that stop a command. Problems with a dossier are findings, never these.

An error carries a catalog key and its parameters, never text: the CLI's one handler renders
it in the user's language, with its `lines` (plain strings or catalog `Message`s) under it.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path

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


def file_in_the_way(path: Path) -> Path | None:
    """The file that stands where `path` or one of its parent folders should be (the first of
    them that exists, when it is no folder), else None."""
    for p in (path, *path.parents):
        if p.is_dir():
            return None
        if p.exists() or p.is_symlink():
            return p
    return None


def no_place(
    target: Path, exc: OSError | None = None, error: type[DanvanError] = OutputError
) -> DanvanError:
    """Why `target` has no place to go — a folder that could not be made (`exc`: the system's
    refusal), or a file whose folder is missing (`exc` None): a file standing in the way of
    its folders is named, else the system's reason or the missing folder."""
    blocker = file_in_the_way(target if exc is not None else target.parent)
    if blocker is not None:
        if blocker == target:
            return error("output.is_file", path=str(target))
        return error("output.through_file", path=str(blocker), target=str(target))
    if exc is None:
        return error("output.no_folder", path=str(target.parent))
    if exc.errno == errno.ENOENT:  # every folder above is there: the system allows none here
        there = next((p for p in target.parents if p.is_dir()), target.parent)
        return error("output.folder_refused", path=str(target), parent=str(there))
    return error("output.no_folder_made", path=str(target), error=os_reason(exc))


def make_folder(path: Path) -> None:
    """Make the folder `path` and its parents (nothing when it is there): a file in the way or
    a refusal of the system is an OutputError naming the folder, never a traceback."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise no_place(path, exc) from None
