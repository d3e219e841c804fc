"""Speed work must not change a single output: the JSON of validating the committed samples
and fixtures, and every cell of the rejection report, are compared with the recorded ones.

When a change is meant to change them (a new finding, a plan edit), record them again:
    python tests/test_golden.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
INPUTS = ["samples/2024", "tests/fixtures"]
EPOCH = "1726790400"  # 20/09/2024: the report's date line


def run(out: Path) -> tuple[dict, list]:
    """validate --format json --report out, from the checkout (relative paths)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "DANVAN_LANG": "vi", "COLUMNS": "200"}
    env.pop("DANVAN_WORKSPACE", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "danvan_cli",
            "validate",
            *INPUTS,
            "--format",
            "json",
            "--jobs",
            "1",
            "--report",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout), cells(out)


def cells(path: Path) -> list:
    """Every non-empty cell of every sheet: value, number format, font (what a reader sees)."""
    wb = openpyxl.load_workbook(path)
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    found.append(
                        [
                            ws.title,
                            c.coordinate,
                            str(c.value),
                            c.number_format,
                            c.font.b,
                            c.font.i,
                            c.font.sz,
                        ]
                    )
    return found


def test_validation_and_its_report_are_unchanged(tmp_path):
    data, report = run(tmp_path / "bao-cao.xlsx")
    expected = json.loads((GOLDEN / "validate.json").read_text(encoding="utf-8"))
    assert data == expected, "validate's JSON changed: python tests/test_golden.py if meant"
    assert report == json.loads((GOLDEN / "report-cells.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data, report = run(Path(tmp) / "bao-cao.xlsx")
    GOLDEN.mkdir(exist_ok=True)
    (GOLDEN / "validate.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (GOLDEN / "report-cells.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=0), encoding="utf-8"
    )
    print(f"recorded {len(data['files'])} files, {len(report)} cells")
