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
