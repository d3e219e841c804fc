"""Provenance and reproducibility: outputs name what made them; same inputs, same files."""

from __future__ import annotations

import hashlib
import json

import openpyxl
from typer.testing import CliRunner

from builders import spec, write
from danvan_cli import __version__
from danvan_cli.cli import app

runner = CliRunner()
EPOCH = {"SOURCE_DATE_EPOCH": "1726790400"}  # 20/09/2024


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_json_names_the_version_and_plan_files(tmp_path, config):
    path = write(tmp_path / "a.xlsx", spec())
    data = json.loads(runner.invoke(app, ["validate", str(path), "--format", "json"]).stdout)
    assert data["provenance"] == {
        "danvan": __version__,
        "plan": config.plan.id,
        "files": config.sources,
    }
    assert set(config.sources) == {"van-ninh-2023.yaml", "collective.yaml", "individual.yaml"}


def test_same_inputs_give_identical_report_and_ranking_files(tmp_path):
    folder = tmp_path / "ho-so"
    folder.mkdir()
    write(folder / "a.xlsx", spec())
    bad = spec("individual")
    bad.score("03", 10)
    write(folder / "b.xlsx", bad)
    first, second = tmp_path / "r1.xlsx", tmp_path / "r2.xlsx"
    for out in (first, second):
        runner.invoke(app, ["validate", str(folder), "--report", str(out)], env=EPOCH)
    assert digest(first) == digest(second)
    book = openpyxl.load_workbook(first)
    assert book["Chi tiết lỗi"]["D3"].value == "Vạn Ninh, ngày 20 tháng 9 năm 2024"
    assert book.properties.modified.year == 2024 and book.properties.created.year == 2024

    ws = tmp_path / "ws"
    runner.invoke(app, ["init", str(ws)])
    (ws / "ho-so" / "2024").mkdir(parents=True)
    write(ws / "ho-so" / "2024" / "a.xlsx", spec())
    outs = []
    for name in ("x1.xlsx", "x2.xlsx"):
        out = tmp_path / name
        result = runner.invoke(
            app,
            ["rank", "--year", "2024", "--level", "huyen", "-o", str(out), "--workspace", str(ws)],
            env=EPOCH,
        )
        assert result.exit_code == 0, result.output
        outs.append(digest(out))
    assert outs[0] == outs[1]
    t1, t2 = tmp_path / "t1.xlsx", tmp_path / "t2.xlsx"
    runner.invoke(app, ["template", "--kind", "collective", "-o", str(t1)])
    runner.invoke(app, ["template", "--kind", "collective", "-o", str(t2)])
    assert digest(t1) == digest(t2)


def test_date_line_follows_the_administrative_style():
    import datetime as dt

    from danvan_cli.write.document import dateline

    assert dateline("Vạn Ninh", dt.date(2024, 2, 5), "vi") == "Vạn Ninh, ngày 05 tháng 02 năm 2024"
    assert dateline("Vạn Ninh", dt.date(2024, 9, 20), "vi") == "Vạn Ninh, ngày 20 tháng 9 năm 2024"
