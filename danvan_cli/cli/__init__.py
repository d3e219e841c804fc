"""danvan's command line: `app` (the Typer commands) and `main` (the entry point)."""

from __future__ import annotations

from danvan_cli.cli.app import app


def main() -> None:
    """Entry point: every error becomes a message and an exit code (cli.handler)."""
    import os

    from danvan_cli.cli.handler import root_command

    if not os.environ.get("DANVAN_DEBUG"):
        os.environ["RUST_BACKTRACE"] = "0"  # calamine's rare panics: one line, not a backtrace
    root_command(app).main(prog_name="danvan")


__all__ = ["app", "main"]
