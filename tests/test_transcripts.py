"""The command line as exact transcripts: what a user sees for a few representative commands,
character for character (conftest fixes the width at 200 columns and turns colour off). Paths
and SHA-256 digests are normalised; trailing spaces (rich pads titles) are dropped."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from conftest import ROOT, drop_dossier
from danvan_cli import __version__
from danvan_cli.cli import app

runner = CliRunner()
SAMPLE = "samples/2024/cn-04-pham-ngoc-son.xlsx"
PLAN_LINE = "Theo kế hoạch: van-ninh-2023 (van-ninh-2023.yaml).\n"  # which plan decided


def normalise(text: str, **paths: Path) -> str:
    for name, path in paths.items():
        text = text.replace(str(path), f"<{name}>")
    text = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


VALIDATE_TABLE = """\
┏━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━┳━━━━━━━━━━┓
┃ Tệp                      ┃ Tên tập thể / cá nhân ┃ Tổng điểm ┃ Kết quả   ┃ Lỗi ┃ Cảnh báo ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━╇━━━━━━━━━━┩
│ cn-04-pham-ngoc-son.xlsx │ Phạm Ngọc Sơn         │      94,5 │ Không đạt │   1 │        1 │
└──────────────────────────┴───────────────────────┴───────────┴───────────┴─────┴──────────┘
Các vấn đề của cn-04-pham-ngoc-son.xlsx
┏━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Mức độ   ┃ Vị trí               ┃ Quy định ┃ Nội dung                                                                   ┃ Cách sửa                                                                   ┃
┡━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ Lỗi      │ Bản tự chấm điểm!D29 │ R1       │ Tiêu chí 01 đạt 12/15 điểm, dưới mức tối thiểu 13,5 (90% điểm chuẩn):      │ Theo kế hoạch, mỗi tiêu chí phải đạt từ 90% điểm chuẩn trở lên; hồ sơ chưa │
│          │                      │          │ thiếu 1,5 điểm.                                                            │ đủ điều kiện đề nghị khen thưởng.                                          │
│ Cảnh báo │ Bản tự chấm điểm!A6  │ R8       │ Hồ sơ năm 2024 dẫn 91/2017/NĐ-CP, văn bản không còn hiệu lực trong năm     │ Dùng mẫu và căn cứ của 98/2023/NĐ-CP; nếu đơn vị dùng mẫu cũ theo kế       │
│          │                      │          │ 2024 (thay thế từ 01/01/2024); văn bản đang có hiệu lực: 98/2023/NĐ-CP.    │ hoạch, ghi nhận để người xét quyết định.                                   │
└──────────┴──────────────────────┴──────────┴────────────────────────────────────────────────────────────────────────────┴────────────────────────────────────────────────────────────────────────────┘
1 hồ sơ: 0 đạt, 1 không đạt.
"""


def test_validate_one_sample_as_a_table(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["validate", SAMPLE])
    assert result.exit_code == 1
    assert normalise(result.stdout) == VALIDATE_TABLE
    assert result.stderr == PLAN_LINE


def test_validate_one_sample_as_json(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["validate", SAMPLE, "--format", "json"])
    assert result.exit_code == 1 and result.stderr == PLAN_LINE
    expected = {
        "files": [
            {
                "path": SAMPLE,
                "sha256": "<sha256>",
                "valid": False,
                "kind": "individual",
                "name": "Phạm Ngọc Sơn",
                "unit": "Công an xã Vạn Khánh",
                "year": 2024,
                "total": 94.5,
                "scores": {
                    "01": 12.0,
                    "02": 14.5,
                    "03": 19.5,
                    "04": 10.0,
                    "05": 9.5,
                    "06": 14.5,
                    "07": 14.5,
                },
                "findings": [
                    {
                        "code": "score.below_threshold",
                        "severity": "error",
                        "rule": "R1",
                        "sheet": "Bản tự chấm điểm",
                        "cell": "D29",
                        "criterion": "01",
                        "message": "Tiêu chí 01 đạt 12/15 điểm, dưới mức tối thiểu 13,5 (90% điểm chuẩn): thiếu 1,5 điểm.",
                        "hint": "Theo kế hoạch, mỗi tiêu chí phải đạt từ 90% điểm chuẩn trở lên; hồ sơ chưa đủ điều kiện đề nghị khen thưởng.",
                    },
                    {
                        "code": "document.superseded_text",
                        "severity": "warning",
                        "rule": "R8",
                        "sheet": "Bản tự chấm điểm",
                        "cell": "A6",
                        "criterion": None,
                        "message": "Hồ sơ năm 2024 dẫn 91/2017/NĐ-CP, văn bản không còn hiệu lực trong năm 2024 (thay thế từ 01/01/2024); văn bản đang có hiệu lực: 98/2023/NĐ-CP.",
                        "hint": "Dùng mẫu và căn cứ của 98/2023/NĐ-CP; nếu đơn vị dùng mẫu cũ theo kế hoạch, ghi nhận để người xét quyết định.",
                    },
                ],
            }
        ],
        "summary": {"files": 1, "valid": 0, "invalid": 1},
        "provenance": {
            "danvan": __version__,
            "plan": "van-ninh-2023",
            "files": {
                "van-ninh-2023.yaml": "<sha256>",
                "collective.yaml": "<sha256>",
                "individual.yaml": "<sha256>",
            },
        },
    }
    # one compact line of JSON (stdout is no terminal), Vietnamese unescaped, keys in this order
    compact = json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
    assert normalise(result.stdout) == compact + "\n"


RANK_TABLE = """\
Cấp huyện năm 2024 — Tập thể: chỉ tiêu 3; đề nghị 2, bằng điểm 2, dự bị 1, không đủ điều kiện 0.
┏━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Hạng ┃ Tên                            ┃ Đơn vị       ┃ Tổng điểm ┃ Kết quả xét chọn                ┃ Lý do                                                                              ┃
┡━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│    1 │ Hội Nông dân xã Vạn Thắng      │ xã Vạn Thắng │       100 │ Đề nghị khen thưởng             │                                                                                    │
│    2 │ Đoàn Thanh niên xã Vạn Phú     │ xã Vạn Phú   │      99,5 │ Đề nghị khen thưởng             │                                                                                    │
│    3 │ Chi hội Phụ nữ thôn Tuần Lễ    │ xã Vạn Thọ   │        99 │ Bằng điểm — Hội đồng quyết định │ Bằng nhau ở tổng điểm và mọi tiêu chí ưu tiên, vượt chỉ tiêu: Hội đồng quyết định. │
│    3 │ Hội Cựu chiến binh xã Vạn Long │ xã Vạn Long  │        99 │ Bằng điểm — Hội đồng quyết định │ Bằng nhau ở tổng điểm và mọi tiêu chí ưu tiên, vượt chỉ tiêu: Hội đồng quyết định. │
│    5 │ Ủy ban MTTQ xã Đại Lãnh        │ xã Đại Lãnh  │      98,5 │ Dự bị                           │                                                                                    │
└──────┴────────────────────────────────┴──────────────┴───────────┴─────────────────────────────────┴────────────────────────────────────────────────────────────────────────────────────┘
Cấp huyện năm 2024 — Cá nhân: chỉ tiêu 5; đề nghị 1, bằng điểm 0, dự bị 0, không đủ điều kiện 1.
┏━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Hạng ┃ Tên            ┃ Đơn vị                  ┃ Tổng điểm ┃ Kết quả xét chọn    ┃ Lý do                                                       ┃
┡━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│    1 │ Nguyễn Thị Hòa │ Hội Phụ nữ xã Vạn Thắng │      99,5 │ Đề nghị khen thưởng │                                                             │
│      │ Trần Văn Minh  │ Công an xã Vạn Khánh    │       100 │ Không đủ điều kiện  │ Ngày nộp hồ sơ 02/09/2024 sau hạn 01/09/2024 (chậm 1 ngày). │
└──────┴────────────────┴─────────────────────────┴───────────┴─────────────────────┴─────────────────────────────────────────────────────────────┘
ho-so/2024/hong.xlsx: Nội dung tệp không phải bảng tính Excel (.xlsx, .xlsm, .xls) hay .ods, dù tên tệp có đuôi như vậy.
Có đối tượng bằng điểm ở ranh giới chỉ tiêu: Hội đồng Thi đua - Khen thưởng quyết định.
"""


def test_rank_as_a_table(workspace):
    for name, drop, unit in [
        ("Hội Nông dân xã Vạn Thắng", 0, "xã Vạn Thắng"),
        ("Đoàn Thanh niên xã Vạn Phú", 0.5, "xã Vạn Phú"),
        ("Hội Cựu chiến binh xã Vạn Long", 1, "xã Vạn Long"),
        ("Chi hội Phụ nữ thôn Tuần Lễ", 1, "xã Vạn Thọ"),
        ("Ủy ban MTTQ xã Đại Lãnh", 1.5, "xã Đại Lãnh"),
    ]:
        drop_dossier(workspace, name, kind="collective", drop=drop, unit=unit)
    drop_dossier(workspace, "Nguyễn Thị Hòa", drop=0.5, unit="Hội Phụ nữ xã Vạn Thắng")
    late = {"Ngày nộp hồ sơ": "02/09/2024"}
    drop_dossier(workspace, "Trần Văn Minh", unit="Công an xã Vạn Khánh", **late)
    (workspace.ws.dossiers(2024) / "hong.xlsx").write_text("x", encoding="utf-8")
    root = workspace.ws.root
    result = runner.invoke(
        app, ["rank", "--year", "2024", "--level", "huyen", "--workspace", str(root)]
    )
    assert result.exit_code == 1
    assert normalise(result.stdout) == RANK_TABLE
    assert normalise(result.stderr, ws=root) == (
        "Đã ghi bảng tổng hợp xét chọn: <ws>/ket-qua/2024/tong-hop-xet-chon-huyen-2024.xlsx\n"
        "Đã lập văn bản: <ws>/ket-qua/2024/to-trinh-huyen-2024.docx\n"
        "Đã lập văn bản: <ws>/ket-qua/2024/bien-ban-hop-xet-huyen-2024-du-thao.docx\n" + PLAN_LINE
    )


RUBRIC_CHECK = """\
van-ninh-2023.yaml: kế hoạch dẫn "Mẫu báo cáo số 07 ban hành kèm theo Nghị định số 91/2017/NĐ-CP", văn bản đã hết hiệu lực từ năm 2024 của giai đoạn; thay bằng: 98/2023/NĐ-CP (có hiệu lực từ 01/01/2024), 152/2025/NĐ-CP (có hiệu lực từ 01/07/2025). Hồ sơ và văn bản của những năm đó nên dẫn văn bản đang có hiệu lực.
van-ninh-2023.yaml: kế hoạch dẫn "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019", văn bản đã hết hiệu lực từ năm 2025 của giai đoạn; thay bằng: 65/2025/QH15 (có hiệu lực từ 01/03/2025), 72/2025/QH15 (có hiệu lực từ 16/06/2025). Hồ sơ và văn bản của những năm đó nên dẫn văn bản đang có hiệu lực.
van-ninh-2023.yaml: kế hoạch dẫn "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng", văn bản đã hết hiệu lực từ năm 2025 của giai đoạn; thay bằng: 152/2025/NĐ-CP (có hiệu lực từ 01/07/2025). Hồ sơ và văn bản của những năm đó nên dẫn văn bản đang có hiệu lực.
collective.yaml: tiêu chí 01 và 02 có cùng nội dung (đúng như văn bản kế hoạch; nên kiểm tra lại với cơ quan ban hành).
Kế hoạch và bảng tiêu chí hợp lệ.
4 cảnh báo.
Theo kế hoạch: van-ninh-2023 (van-ninh-2023.yaml).
"""


def test_rubric_check():
    """Messages to a file or a pipe are whole lines, never wrapped at a width."""
    result = runner.invoke(app, ["rubric", "check"])
    assert result.exit_code == 0 and result.stdout == ""
    assert normalise(result.stderr) == RUBRIC_CHECK


def test_usage_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cases = [
        (
            ["rank", "--year", "abc", "--level", "huyen"],
            "Giá trị của --year phải là một số nguyên, ví dụ 2024.\n"
            "Xem cách dùng: danvan rank --help\n",
        ),
        (
            ["validate", "ho-so", "--format", "xml"],
            "Giá trị của --format không hợp lệ (chọn một trong: table, json).\n"
            "Xem cách dùng: danvan validate --help\n",
        ),
        (
            ["validate", "ho-so/khong-co.xlsx"],
            "Không tìm thấy tệp hoặc thư mục: ho-so/khong-co.xlsx\n",
        ),
        (
            ["rank", "--year", "2024", "--level", "huyen", "--workspace", "."],
            ". không phải không gian làm việc danvan (không có danvan.yaml). Tạo bằng `danvan init .`.\n",
        ),
    ]
    for args, stderr in cases:
        result = runner.invoke(app, args)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr), args
