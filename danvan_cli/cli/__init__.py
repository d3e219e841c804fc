"""danvan's command line: `app` (the Typer commands) and `main` (the entry point)."""

from __future__ import annotations

from danvan_cli.cli.app import app


def main() -> None:
    """Entry point: every error becomes a message and an exit code (cli.handler)."""
    import os

    from danvan_cli.cli.handler import root_command

    if not os.environ.get("DANVAN_DEBUG"):
        os.environ["RUST_BACKTRACE"] = "0"  # calamine's rare panics: one line, not a backtrace
    code = root_command(app).main(prog_name="danvan", standalone_mode=False)
    _exit(code if isinstance(code, int) else 0)


def _exit(code: int) -> None:
    """End the process once everything is written: every output file is already closed and
    renamed into place, worker processes joined; what is left is the interpreter's
    teardown of its modules and objects (~20 ms, a tenth of a one-file run), skipped."""
    import contextlib
    import os
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`danvan … | head`)
            stream.flush()
    os._exit(code)


__all__ = ["app", "main"]
