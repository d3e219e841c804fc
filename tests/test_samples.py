"""`danvan validate samples/` gives each sample the verdict it was made to have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import SAMPLES
from danvan_cli.cli import app

EXPECTED = yaml.safe_load((SAMPLES / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    result = CliRunner().invoke(app, ["validate", str(SAMPLES), "--format", "json"])
    assert result.exit_code == 1  # the intake carries deliberate defects
    data = json.loads(result.stdout)
    return {Path(f["path"]).name: f for f in data["files"]}


def test_every_sample_is_checked_and_lock_files_skipped(results):
    assert set(results) == set(EXPECTED["files"])
    assert not set(results) & set(EXPECTED["skipped"])


def test_at_least_the_promised_intake():
    kinds = [spec.get("kind") for spec in EXPECTED["files"].values()]
    layouts = {spec.get("layout") for spec in EXPECTED["files"].values()} - {None}
    assert kinds.count("collective") >= 12 and kinds.count("individual") >= 10
    assert layouts == {"A", "B", "C"}


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_sample_verdict(name, results):
    expected = EXPECTED["files"][name]
    got = results[name]
    assert got["valid"] is expected["valid"]
    assert {f["code"] for f in got["findings"]} == set(expected["codes"])
    if "total" in expected:
        assert got["total"] == expected["total"]
    for key in ("kind", "name", "unit"):
        if key in expected:
            assert got[key] == expected[key]
    for finding in got["findings"]:
        assert finding["message"] and finding["hint"]
        # Every finding but a whole-file, register or missing-table one names its sheet;
        # a label missing altogether names the sheet where the other labels are.
        if not finding["code"].startswith(("file.", "eligibility.", "document.table")):
            assert finding["sheet"], finding
