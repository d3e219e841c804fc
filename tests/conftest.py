from __future__ import annotations

import os
from pathlib import Path

import pytest

from danvan_cli.config.load import Config, load_config

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# Stable console output in tests: fixed width, no colour.
os.environ["COLUMNS"] = "200"
os.environ["NO_COLOR"] = "1"
os.environ.pop("DANVAN_LANG", None)
os.environ.pop("DANVAN_PLAN", None)


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config()


@pytest.fixture(scope="session")
def demo_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run of `danvan demo` (dated 27/09/2024), shared by the tests of the papers and of
    the printed workbooks, with the annual and phase reports added."""
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.demo import run_demo
    from danvan_cli.usecases.report import report

    folder = tmp_path_factory.mktemp("demo") / "ws"
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1727395200"
    try:
        run_demo(folder, "vi", lambda _: None)
        ctx = workspace_context(folder)
        report(ctx, year=2024)
        report(ctx, first=2023, last=2024)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return folder
