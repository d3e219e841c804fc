#!/usr/bin/env python3
"""Sinh bộ hồ sơ mẫu "Dân vận khéo" năm 2024 của huyện Vạn Ninh (samples/2024/).

Generates the 2024 sample intake for huyện Vạn Ninh: one candidate per .xlsx in three
layouts (A canonical template, B two hand-made sheets, C header style), defective
dossiers with one main defect each, a few broken files, and `expected.yaml`.

Deterministic and re-runnable: `python samples/make_samples.py` rewrites everything.
Only openpyxl, PyYAML, the standard library and msoffcrypto-tool (for the one encrypted
file) are used; layout A is filled into the form written by `danvan_cli.template` when
that module exists (else a hand-built form of the same shape, with a warning).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import unicodedata
import zipfile

# The committed samples were written by openpyxl's standard-library XML serializer; with lxml
# installed openpyxl would pick lxml and every file would differ in bytes (not in cells).
os.environ["OPENPYXL_LXML"] = "False"
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RUBRICS = REPO / "rubrics"
YEAR = 2024
FIXED_DT = dt.datetime(2024, 9, 1, 8, 0, 0)  # workbook created/modified, zip entry times
ZIP_TIME = (2024, 9, 1, 8, 0, 0)
EXCEL_EPOCH = dt.date(1899, 12, 30)
FONT = "Times New Roman"

COLLECTIVE, INDIVIDUAL = "collective", "individual"


# --------------------------------------------------------------------------- rubrics, plan


def _load_yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load((RUBRICS / name).read_text(encoding="utf-8"))


RUBRIC = {COLLECTIVE: _load_yaml("collective.yaml"), INDIVIDUAL: _load_yaml("individual.yaml")}
PLAN = _load_yaml("van-ninh-2023.yaml")
MAXIMA = {k: [float(c["max"]) for c in r["criteria"]] for k, r in RUBRIC.items()}
TITLES = {k: [" ".join(c["title"].split()) for c in r["criteria"]] for k, r in RUBRIC.items()}
RATIO = {k: float(r["thresholds"]["criterion_ratio"]) for k, r in RUBRIC.items()}
MIN_TOTAL = {k: float(r["thresholds"]["min_total"]) for k, r in RUBRIC.items()}
HUYEN_PAPERS = {
    p["id"]: p for p in next(lv for lv in PLAN["levels"] if lv["id"] == "huyen")["papers"]
}
PAPER_IDS = list(HUYEN_PAPERS)  # to-trinh, bien-ban, bao-cao-thanh-tich, quyet-dinh-co-so


# --------------------------------------------------------------------------- text helpers


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def fold(text: Any) -> str:
    """Label key: no case, diacritics, Unicode form, extra spaces or trailing colon."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("đ", "d")
    text = re.sub(r"[\s:：*]+$", "", text)
    return re.sub(r"\s+", " ", text).strip()


def vn_int(n: int) -> str:
    """1250 -> "1.250" (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def vn_date(d: dt.date, style: str = "dd/mm/yyyy") -> str:
    if style == "d-m-yyyy":
        return f"{d.day}-{d.month}-{d.year}"
    if style == "d/m/yyyy":
        return f"{d.day}/{d.month}/{d.year}"
    return d.strftime("%d/%m/%Y")


def serial(d: dt.date) -> int:
    return (d - EXCEL_EPOCH).days


def score_text(v: float) -> str:
    """13.5 -> "13,5"; 14.0 -> "14" (as a unit types it)."""
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}".replace(".", ",")


def num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


D = dt.date


# --------------------------------------------------------------------------- evidence texts
# Each criterion has a few templates; placeholders get figures from random.Random(2024).
# (template, {placeholder: (low, high)}); "c<b" means c is a little below b.

EVIDENCE_POOLS: dict[str, list[list[tuple[str, dict[str, Any]]]]] = {
    COLLECTIVE: [
        [  # 01
            (
                "Tổ chức {a} buổi tuyên truyền chủ trương, chính sách cho {b} lượt {who}; phát {c} tờ rơi",
                {"a": (8, 30), "b": (600, 2500), "c": (300, 2000)},
            ),
            (
                "Cử {a} cán bộ dự lớp bồi dưỡng nghiệp vụ công tác dân vận; lồng ghép tuyên truyền "
                "trong {b} buổi sinh hoạt với {c} lượt người dự",
                {"a": (3, 12), "b": (10, 40), "c": (400, 1800)},
            ),
            (
                "Phát {a} tin, bài trên đài truyền thanh {place} và {b} bài trên trang Zalo, Facebook "
                "của đơn vị với {c} lượt xem",
                {"a": (20, 80), "b": (15, 60), "c": (3000, 25000)},
            ),
        ],
        [  # 02
            (
                "Tổ chức {a} hội nghị học tập, quán triệt nghị quyết cho {b} {who}, đạt {p}%",
                {"a": (2, 8), "b": (120, 650), "p": (92, 100)},
            ),
            (
                "Phối hợp tổ chức {a} buổi đối thoại, giải thích chính sách đất đai, bồi thường cho {b} hộ dân",
                {"a": (3, 10), "b": (60, 420)},
            ),
            (
                "{b} lượt {who} tham gia cuộc thi tìm hiểu pháp luật; tổ chức {a} buổi sinh hoạt chuyên đề",
                {"a": (4, 16), "b": (150, 900)},
            ),
        ],
        [  # 03
            (
                "Tham mưu {a} kế hoạch, đề án cho Đảng ủy, UBND xã; tiếp nhận {b} ý kiến, kiến nghị "
                "của Nhân dân, đã giải quyết {c}/{b} ý kiến",
                {"a": (3, 9), "b": (20, 60), "c": "c<b"},
            ),
            (
                "Đề xuất {a} giải pháp tháo gỡ vướng mắc trong giải phóng mặt bằng; nắm và phản ánh {b} "
                "vụ việc bức xúc, {c} vụ được giải quyết dứt điểm",
                {"a": (2, 7), "b": (8, 25), "c": "c<b"},
            ),
        ],
        [  # 04
            (
                "Tổ chức {a} hội nghị lấy ý kiến Nhân dân về kế hoạch phát triển kinh tế - xã hội năm 2024 "
                'với {b} lượt người góp ý; {c} công trình thực hiện theo phương châm "dân biết, dân bàn, '
                'dân làm, dân kiểm tra"',
                {"a": (4, 12), "b": (300, 1500), "c": (3, 15)},
            ),
            (
                "Công khai {a} nội dung theo quy chế dân chủ ở cơ sở; {b} cuộc họp thôn bàn và biểu "
                "quyết các công trình, tỷ lệ đồng thuận {p}%",
                {"a": (8, 20), "b": (10, 40), "p": (90, 99)},
            ),
        ],
        [  # 05
            (
                "Phối hợp với {a} tổ chức, đoàn thể; huy động {b} lượt {who} tham gia, đóng góp {c} "
                "ngày công",
                {"a": (4, 9), "b": (200, 1200), "c": (500, 3500)},
            ),
            (
                "Huy động {a} lượt cán bộ, đảng viên và {b} lượt {who} tham gia; vận động {c} triệu "
                "đồng từ nhà hảo tâm, doanh nghiệp",
                {"a": (40, 180), "b": (300, 1600), "c": (50, 600)},
            ),
        ],
        [  # 06
            (
                "Được Chủ tịch UBND huyện tặng Giấy khen năm 2023; {a} cá nhân được khen thưởng trong "
                'phong trào thi đua "Dân vận khéo"',
                {"a": (3, 12)},
            ),
            (
                "{a} Giấy khen, {b} Giấy chứng nhận của các cấp trong năm; {c} {who} được biểu dương "
                "là gương điển hình",
                {"a": (2, 6), "b": (1, 5), "c": (4, 15)},
            ),
        ],
    ],
    INDIVIDUAL: [
        [  # 01
            (
                "Hoàn thành lớp trung cấp lý luận chính trị và {a} lớp tập huấn nghiệp vụ; trực tiếp "
                "tuyên truyền {b} buổi cho {c} lượt người",
                {"a": (2, 5), "b": (10, 36), "c": (300, 1500)},
            ),
            (
                "Tham gia {a} lớp bồi dưỡng nghiệp vụ công tác dân vận; báo cáo viên tại {b} hội nghị "
                "với {c} lượt người dự",
                {"a": (2, 6), "b": (5, 20), "c": (250, 1200)},
            ),
        ],
        [  # 02
            (
                "Nắm bắt và phản ánh {b} vụ việc, kiến nghị của Nhân dân lên Đảng ủy, UBND xã; {c} vụ "
                "đã được giải quyết dứt điểm",
                {"b": (10, 40), "c": "c<b"},
            ),
            (
                "Tham dự {a} buổi tiếp công dân, ghi nhận {b} ý kiến; báo cáo kịp thời {c} vụ việc "
                "phức tạp lên cấp ủy",
                {"a": (6, 24), "b": (20, 90), "c": (2, 9)},
            ),
        ],
        [  # 03
            (
                "Đề xuất {a} sáng kiến, cách làm mới được cấp ủy chấp thuận; tham mưu giải quyết {b} "
                "vụ tranh chấp, khiếu nại kéo dài",
                {"a": (2, 6), "b": (3, 14)},
            ),
            (
                "Tham mưu {a} giải pháp cho Đảng ủy, UBND xã; xây dựng {b} kế hoạch chuyên đề, {c} "
                "giải pháp được áp dụng trên toàn xã",
                {"a": (3, 9), "b": (2, 6), "c": (2, 5)},
            ),
        ],
        [  # 04
            (
                'Gia đình đạt danh hiệu "Gia đình văn hóa" {a} năm liền; bản thân hoàn thành xuất '
                "sắc nhiệm vụ năm 2023",
                {"a": (5, 15)},
            ),
            (
                "Đảng viên hoàn thành xuất sắc nhiệm vụ {a} năm liền (2021 - 2023); gia đình văn hóa "
                "tiêu biểu năm 2023",
                {"a": (3, 3)},
            ),
        ],
        [  # 05
            (
                "Vận động {a} hộ tham gia mô hình; {b} hộ ký cam kết thực hiện; {p}% hộ dân đồng thuận",
                {"a": (40, 260), "b": (30, 200), "p": (90, 99)},
            ),
            (
                "Thành lập {a} tổ, nhóm nòng cốt với {b} thành viên; vận động {c} lượt người tham gia "
                "các hoạt động",
                {"a": (2, 8), "b": (15, 90), "c": (200, 1400)},
            ),
        ],
        [  # 06
            (
                "Vận động {a} hộ tham gia, góp {b} ngày công và {c} triệu đồng thực hiện các công "
                "trình, phần việc của địa phương",
                {"a": (30, 250), "b": (200, 1500), "c": (40, 500)},
            ),
            (
                "Góp phần giúp {a} hộ thoát nghèo; hòa giải thành {b} vụ việc; {c} hộ được hỗ trợ "
                "vay vốn",
                {"a": (3, 20), "b": (4, 18), "c": (8, 45)},
            ),
            (
                "Giải quyết dứt điểm {a} vụ việc cấp ủy, chính quyền đang chỉ đạo; {b} hộ chấp hành, "
                "đồng thuận với chủ trương",
                {"a": (2, 9), "b": (40, 300)},
            ),
        ],
    ],
}

NO_FIGURE_TEXT = (
    "Có sức lôi cuốn, được Nhân dân tin tưởng, đồng tình hưởng ứng các phong trào của địa phương"
)


def make_evidence(rng: random.Random, kind: str, who: str, place: str, last: str) -> list[str]:
    """Seven evidence texts with figures; the seventh (cách làm hay / kinh nghiệm) is `last`."""
    texts = []
    for pool in EVIDENCE_POOLS[kind]:
        template, ranges = pool[rng.randrange(len(pool))]
        raw: dict[str, int] = {}
        for key in ("a", "b", "p"):
            if key in ranges:
                lo, hi = ranges[key]
                raw[key] = rng.randint(lo, hi)
        if "c" in ranges:
            if ranges["c"] == "c<b":
                raw["c"] = raw["b"] - rng.randint(0, max(1, raw["b"] // 6))
            else:
                lo, hi = ranges["c"]
                raw["c"] = rng.randint(lo, hi)
        values = {k: vn_int(v) for k, v in raw.items()}
        texts.append(template.format(who=who, place=place, **values))
    texts.append(last)
    assert len(texts) == 7, (kind, len(texts))
    return texts


# --------------------------------------------------------------------------- candidates


@dataclass
class Candidate:
    file: str
    kind: str
    layout: str
    name: str
    unit: str | None
    model: str
    field: str
    registered: D
    submitted: D
    scores: list[Any]
    last_evidence: str
    who: str
    place: str
    position: str | None = None
    level: str = "Huyện"
    benefit: Any = None
    lower_decision: str | None = None
    flags: dict[str, str] | None = None
    period: str | None = "Từ tháng 01/2024 đến tháng 12/2024"
    papers: list[str] = field(default_factory=lambda: list(PAPER_IDS))
    declared_total: float | None = None  # layout C: a declared "Tổng điểm" other than the sum
    form_max: dict[int, float] = field(default_factory=dict)  # criterion index -> max in the form
    evidence_override: dict[int, str | None] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)
    defect: str | None = None
    style: dict[str, Any] = field(default_factory=dict)  # per-file layout variations
    evidence: list[str | None] = field(default_factory=list)

    @property
    def maxima(self) -> list[float]:
        return MAXIMA[self.kind]

    def numeric_scores(self) -> list[float] | None:
        out = []
        for s, m in zip(self.scores, self.maxima, strict=True):
            if not isinstance(s, (int, float)) or not 0 <= s <= m:
                return None
            out.append(float(s))
        return out

    @property
    def total(self) -> float | None:
        scores = self.numeric_scores()
        return None if scores is None else sum(scores)

    @property
    def valid(self) -> bool:
        return not any(c not in WARNINGS for c in self.codes)


WARNINGS = {"evidence.no_figure", "total.mismatch"}

FLAGS = ("Điều kiện khó khăn", "Phạm vi ảnh hưởng rộng", "Cấp cơ sở")


def flags(difficult: str, wide: str, grassroots: str) -> dict[str, str]:
    return dict(zip(FLAGS, (difficult, wide, grassroots), strict=True))


def qd(number: int, day: int, month: int) -> str:
    return f"{number}/QĐ-UBND ngày {day}/{month}/{YEAR}"


CANDIDATES: list[Candidate] = [
    # ------------------------------------------------------------------ tập thể (collective)
    Candidate(
        "tt-01-hoi-nong-dan-van-thang",
        COLLECTIVE,
        "A",
        "Hội Nông dân xã Vạn Thắng",
        "xã Vạn Thắng",
        "Liên kết sản xuất, tiêu thụ xoài Úc theo chuỗi giá trị",
        "Kinh tế",
        D(2024, 1, 22),
        D(2024, 8, 12),
        [14.5, 14, 15, 13.5, 15, 14.5, 10],
        "Xây dựng 3 tổ hợp tác trồng xoài Úc với 86 hộ hội viên; ký hợp đồng tiêu thụ 420 tấn "
        "quả, làm lợi 1.250.000.000 đồng",
        "hội viên",
        "xã Vạn Thắng",
        benefit=1250000000,
        lower_decision=qd(25, 15, 6),
        flags=flags("Không", "Có", "Có"),
        style={"mark": "x"},
    ),
    Candidate(
        "tt-02-mttq-van-phu",
        COLLECTIVE,
        "A",
        "Ủy ban MTTQ Việt Nam xã Vạn Phú",
        "xã Vạn Phú",
        "Mặt trận chung tay xây dựng nhà Đại đoàn kết cho hộ nghèo",
        "Văn hóa - xã hội",
        D(2024, 1, 10),
        D(2024, 7, 25),
        [15, 15, 14.5, 14, 15, 15, 10],
        'Cách làm "Mặt trận gõ cửa từng nhà": vận động 1.046 hộ đóng góp xây 5 nhà Đại đoàn '
        "kết, sửa chữa 7 nhà cho hộ nghèo",
        "hộ dân",
        "xã Vạn Phú",
        lower_decision=qd(41, 3, 6),
        flags=flags("Không", "Có", "Có"),
        style={"mark": "Có"},
    ),
    Candidate(
        "tt-03-hoi-phu-nu-van-long",
        COLLECTIVE,
        "A",
        "Hội Phụ nữ xã Vạn Long",
        "xã Vạn Long",
        "Tổ hợp tác phụ nữ nuôi tôm hùm an toàn dịch bệnh",
        "Kinh tế",
        D(2024, 2, 2),
        D(2024, 8, 20),
        [14, 14.5, 14, 14, 15, 14, 9.5],
        "Thành lập 2 tổ hợp tác nuôi tôm hùm với 34 hội viên, áp dụng quy trình an toàn sinh "
        "học, giảm 30% thiệt hại do dịch bệnh",
        "hội viên",
        "xã Vạn Long",
        benefit=None,
        lower_decision=qd(18, 22, 5),
        codes=["info.benefit_missing"],
        defect="Lĩnh vực Kinh tế nhưng để trống Giá trị làm lợi (VND)",
        style={"mark": "x"},
    ),
    Candidate(
        "tt-04-doan-thanh-nien-van-khanh",
        COLLECTIVE,
        "A",
        "Đoàn Thanh niên xã Vạn Khánh",
        "xã Vạn Khánh",
        "Thanh niên tình nguyện bê tông hóa đường giao thông nông thôn",
        "Văn hóa - xã hội",
        D(2024, 2, 14),
        D(2024, 8, 30),
        [14, 13.5, 14, 14.5, 14, 15, 10],
        'Tổ chức 14 đợt ra quân "Ngày thứ Bảy tình nguyện", bê tông hóa 1,8 km đường giao '
        "thông nông thôn với 2.300 ngày công",
        "đoàn viên",
        "xã Vạn Khánh",
        lower_decision=qd(32, 10, 7),
        style={"mark": "date"},
    ),
    Candidate(
        "tt-05-hoi-cuu-chien-binh-van-binh",
        COLLECTIVE,
        "A",
        "Hội Cựu chiến binh xã Vạn Bình",
        "xã Vạn Bình",
        "Tổ Cựu chiến binh tự quản giữ gìn an ninh trật tự",
        "Quốc phòng - an ninh",
        D(2024, 1, 30),
        D(2024, 8, 8),
        [14, 14, 14.5, 14, 13.5, 14, 9.5],
        "Duy trì 6 tổ Cựu chiến binh tự quản với 72 hội viên tham gia tuần tra 365 ca, phát "
        "hiện và báo tin 11 vụ việc",
        "hội viên",
        "xã Vạn Bình",
        lower_decision=None,
        flags=flags("Không", "Không", "Có"),
        codes=["eligibility.lower_decision_missing"],
        defect="Cấp Huyện nhưng để trống Quyết định công nhận cấp cơ sở",
        style={"mark": "x"},
    ),
    Candidate(
        "tt-06-chi-doan-thon-tuan-le-van-tho",
        COLLECTIVE,
        "B",
        "Chi đoàn thôn Tuần Lễ, xã Vạn Thọ",
        "xã Vạn Thọ",
        "Thắp sáng đường quê bằng đèn năng lượng mặt trời",
        "b) Văn hóa - xã hội",
        D(2024, 1, 18),
        D(2024, 8, 5),
        [13.5, 13.5, 13.5, 14, 14, 14.5, 9.5],
        "Vận động lắp đặt 120 bóng đèn năng lượng mặt trời trên 4,5 km đường thôn, tổng kinh "
        "phí 96 triệu đồng",
        "đoàn viên",
        "xã Vạn Thọ",
        lower_decision=qd(12, 20, 6),
        flags=flags("Có", "Không", "Có"),
        style={
            "scores": "text",
            "stt": "text",
            "reg": "d/m/yyyy",
            "sub": "d-m-yyyy",
            "unit_gap": True,
            "mark": ["x", "x", "x", "x"],
            "name_label": "Tên tập thể :",
        },
    ),
    Candidate(
        "tt-07-hoi-phu-nu-van-phuoc",
        COLLECTIVE,
        "B",
        "Hội Phụ nữ xã Vạn Phước",
        "xã Vạn Phước",
        "Tổ phụ nữ tiết kiệm, vay vốn phát triển kinh tế hộ gia đình",
        "a) Kinh tế",
        D(2024, 1, 5),
        D(2024, 7, 30),
        [15, 14.5, 14.5, 14.5, 14.5, 15, 9.5],
        "Duy trì 9 tổ phụ nữ tiết kiệm với 215 thành viên, quay vòng vốn 1.860 triệu đồng; 27 "
        "hộ thoát nghèo, làm lợi 860.000.000 đồng",
        "hội viên",
        "xã Vạn Phước",
        benefit="860.000.000",
        lower_decision=qd(27, 14, 6),
        style={
            "scores": "mixed",
            "stt": "int",
            "nfd": True,
            "reg_gap": True,
            "mark": ["Có", "Có", 1, "Có"],
        },
    ),
    Candidate(
        "tt-08-hoi-nong-dan-van-hung",
        COLLECTIVE,
        "B",
        "Hội Nông dân xã Vạn Hưng",
        "xã Vạn Hưng",
        "Cánh đồng mẫu lớn liên kết tiêu thụ lúa giống",
        "a) Kinh tế",
        D(2024, 2, 6),
        D(2024, 8, 16),
        ["mười lăm", 14, 14.5, 14, 14, 14, 9],
        "Liên kết với 2 doanh nghiệp bao tiêu 1.450 tấn lúa giống; 168 hộ tham gia cánh đồng "
        "mẫu lớn 120 ha, làm lợi 2.100.000.000 đồng",
        "hội viên",
        "xã Vạn Hưng",
        benefit="2.100.000.000",
        lower_decision=qd(36, 1, 7),
        codes=["score.not_number"],
        defect='Điểm tự chấm tiêu chí 01 ghi bằng chữ "mười lăm"',
        style={"scores": "text", "stt": "text", "mark": ["x", "x", "x", "x"]},
    ),
    Candidate(
        "tt-09-mttq-van-luong",
        COLLECTIVE,
        "B",
        "Ủy ban MTTQ Việt Nam xã Vạn Lương",
        "xã Vạn Lương",
        "Ngày thứ Bảy cùng dân xây dựng nông thôn mới",
        "Văn hóa - xã hội",
        D(2024, 1, 26),
        D(2024, 8, 22),
        [14.5, 14, 14, 13.5, 14, 14.5, 9.5],
        'Duy trì 15 đợt "Ngày thứ Bảy cùng dân", nạo vét 6,2 km kênh mương, trồng 1.200 cây xanh',
        "người dân",
        "xã Vạn Lương",
        lower_decision=qd(44, 28, 6),
        flags=flags("Không", "Có", "Có"),
        papers=["to-trinh", "bao-cao-thanh-tich", "quyet-dinh-co-so"],
        codes=["document.missing"],
        defect="Bảng Tài liệu thiếu Biên bản họp xét duyệt thi đua",
        style={
            "scores": "mixed",
            "stt": "int",
            "level": "Cấp huyện",
            "unit_gap": True,
            "mark": ["Có", "Có", "Có"],
        },
    ),
    Candidate(
        "tt-10-doan-thanh-nien-van-gia",
        COLLECTIVE,
        "B",
        "Đoàn Thanh niên thị trấn Vạn Giã",
        "thị trấn Vạn Giã",
        "Tuyến phố văn minh, không rác thải nhựa",
        "Văn hóa - xã hội",
        D(2024, 2, 20),
        D(2024, 8, 9),
        [14, 14.5, 15, 14, 14, 14.5, 9.5],
        'Ra mắt 4 tuyến phố "Không rác thải nhựa", 350 hộ kinh doanh cam kết hạn chế túi ni '
        "lông; thu gom 2,4 tấn rác thải",
        "đoàn viên",
        "thị trấn Vạn Giã",
        lower_decision=qd(51, 5, 7),
        codes=["deadline.registration_late"],
        defect="Ngày đăng ký 20/02/2024, sau hạn 15/02",
        style={"scores": "text", "stt": "text", "mark": ["x", 1, "x", "x"]},
    ),
    Candidate(
        "tt-11-hoi-cuu-chien-binh-van-thanh",
        COLLECTIVE,
        "C",
        "Hội Cựu chiến binh xã Vạn Thạnh",
        "xã Vạn Thạnh",
        "Cựu chiến binh giúp nhau giảm nghèo bằng nghề nuôi cá bớp lồng",
        "Kinh tế",
        D(2024, 1, 16),
        D(2024, 8, 14),
        [15, 13.5, 15, 14.5, 14, 14.5, 10],
        "Cựu chiến binh giúp nhau vốn, giống nuôi 48 lồng cá bớp; 19 hộ thoát nghèo, làm lợi "
        "1.560.000.000 đồng",
        "hội viên",
        "xã Vạn Thạnh",
        benefit=1560000000,
        lower_decision=qd(29, 12, 6),
        flags=flags("Không", "Có", "Có"),
        style={"dates": "date", "stt": "float"},
    ),
    Candidate(
        "tt-12-chi-doan-thon-xuan-trang-xuan-son",
        COLLECTIVE,
        "C",
        "Chi đoàn thôn Xuân Trang, xã Xuân Sơn",
        "xã Xuân Sơn",
        "Đội thanh niên xung kích phòng, chống thiên tai",
        "Quốc phòng - an ninh",
        D(2024, 1, 12),
        D(2024, 7, 19),
        [14, 14, 14, 14.5, 14, 15, 10],
        "Thành lập đội xung kích 25 đoàn viên, tham gia 6 đợt ứng cứu bão lũ, hỗ trợ di dời 42 "
        "hộ dân an toàn",
        "đoàn viên",
        "xã Xuân Sơn",
        level="Cơ sở",
        flags=flags("Có", "Không", "Có"),
        papers=["to-trinh", "bao-cao-thanh-tich"],
        style={"dates": "serial", "stt": "01"},
    ),
    Candidate(
        "tt-13-mttq-dai-lanh",
        COLLECTIVE,
        "C",
        "Ủy ban MTTQ Việt Nam xã Đại Lãnh",
        "xã Đại Lãnh",
        'Camera an ninh - "mắt thần" khu dân cư',
        "Quốc phòng - an ninh",
        D(2024, 2, 8),
        D(2024, 8, 26),
        [14, 14.5, 14, 14, 14.5, 14, 9.5],
        "Vận động lắp đặt 38 camera an ninh tại 5 thôn với 152 triệu đồng do Nhân dân đóng "
        "góp; phục vụ xác minh 9 vụ việc",
        "người dân",
        "xã Đại Lãnh",
        lower_decision=qd(38, 24, 6),
        form_max={6: 15},
        codes=["score.max_mismatch"],
        defect="Mẫu cũ: Điểm chuẩn tiêu chí 07 ghi 15 (bộ tiêu chí: 10)",
        style={"dates": "date", "stt": "float"},
    ),
    Candidate(
        "tt-14-bo-phan-mot-cua-van-binh",
        COLLECTIVE,
        "C",
        "Bộ phận Tiếp nhận và Trả kết quả xã Vạn Bình",
        "xã Vạn Bình",
        "Một cửa thân thiện, trả kết quả tận nhà",
        "Xây dựng hệ thống chính trị",
        D(2024, 1, 8),
        D(2024, 8, 2),
        [14, 13.5, 14, 14, 14, 14.5, 10],
        "Triển khai trả kết quả thủ tục hành chính tận nhà cho 316 hồ sơ; 98% người dân hài "
        "lòng qua khảo sát",
        "người dân",
        "xã Vạn Bình",
        lower_decision=qd(21, 30, 5),
        declared_total=98,
        codes=["total.mismatch"],
        defect="Tổng điểm ghi 98 nhưng tổng các tiêu chí là 94 (cảnh báo, hồ sơ vẫn hợp lệ)",
        style={"dates": "serial", "stt": "01"},
    ),
    # ------------------------------------------------------------------ cá nhân (individual)
    Candidate(
        "cn-01-nguyen-thi-hoa",
        INDIVIDUAL,
        "A",
        "Nguyễn Thị Hoa",
        "Hội Phụ nữ xã Vạn Thắng",
        "Phụ nữ Vạn Thắng giúp nhau phát triển kinh tế, giảm nghèo bền vững",
        "Kinh tế",
        D(2024, 1, 19),
        D(2024, 8, 6),
        [15, 15, 19.5, 10, 10, 15, 14.5],
        'Kinh nghiệm "giúp nhau ngày công, con giống" được nhân rộng ở 8 chi hội; 46 hộ được '
        "giúp vốn, làm lợi 640.000.000 đồng",
        "hội viên",
        "xã Vạn Thắng",
        position="Chủ tịch Hội Phụ nữ xã",
        benefit=640000000,
        lower_decision=qd(26, 15, 6),
        flags=flags("Không", "Có", "Có"),
        style={"mark": "x"},
    ),
    Candidate(
        "cn-02-tran-van-minh",
        INDIVIDUAL,
        "A",
        "Trần Văn Minh",
        "Thôn Phú Hội 1, xã Vạn Phú",
        "Vận động Nhân dân hiến đất mở rộng đường giao thông nông thôn",
        "Văn hóa - xã hội",
        D(2024, 2, 1),
        D(2024, 8, 19),
        [14.5, 15, 19, 10, 9.5, 15, 14.5],
        'Cách làm "họp dân tại từng xóm" được 6 thôn học tập; vận động 58 hộ hiến 3.150 m² đất',
        "người dân",
        "xã Vạn Phú",
        position="Trưởng thôn Phú Hội 1",
        lower_decision=qd(42, 3, 6),
        style={"mark": "Có"},
    ),
    Candidate(
        "cn-03-le-thi-thu-ha",
        INDIVIDUAL,
        "A",
        "Lê Thị Thu Hà",
        "Đoàn xã Vạn Long",
        "Thanh niên khởi nghiệp nuôi ốc hương",
        "Kinh tế",
        D(2024, 1, 25),
        D(2024, 8, 21),
        [14, 14.5, 19, 9.5, 9.5, 14, 14],
        "Hỗ trợ 12 đoàn viên khởi nghiệp nuôi ốc hương trên 3,5 ha mặt nước, làm lợi "
        "450.000.000 đồng",
        "đoàn viên",
        "xã Vạn Long",
        position="Bí thư Đoàn xã",
        benefit=450000000,
        lower_decision=qd(19, 22, 5),
        evidence_override={5: None},
        codes=["evidence.missing"],
        defect="Tiêu chí 06 để trống Tài liệu kiểm chứng",
        style={"mark": "x"},
    ),
    Candidate(
        "cn-04-pham-ngoc-son",
        INDIVIDUAL,
        "A",
        "Phạm Ngọc Sơn",
        "Công an xã Vạn Khánh",
        "Tổ liên gia an toàn phòng cháy, chữa cháy",
        "Quốc phòng - an ninh",
        D(2024, 2, 9),
        D(2024, 8, 27),
        [12, 14.5, 19.5, 10, 9.5, 14.5, 14.5],
        "Thành lập 21 tổ liên gia an toàn phòng cháy, chữa cháy với 430 hộ; 2 năm liền không "
        "xảy ra cháy nổ lớn",
        "người dân",
        "xã Vạn Khánh",
        position="Trưởng Công an xã",
        lower_decision=qd(33, 10, 7),
        codes=["score.below_threshold"],
        defect="Tiêu chí 01 chỉ 12/15 (dưới 90 %), tổng vẫn 94,5",
        style={"mark": "date"},
    ),
    Candidate(
        "cn-05-vo-thi-kim-lien",
        INDIVIDUAL,
        "B",
        "Võ Thị Kim Liên",
        "UBND xã Vạn Bình",
        "Câu lạc bộ Gia đình hạnh phúc, phòng chống bạo lực gia đình",
        "Văn hóa - xã hội",
        D(2024, 1, 15),
        D(2024, 8, 1),
        [14, 13.5, 18.5, 9.5, 9, 14, 14.5],
        "Duy trì 5 câu lạc bộ với 160 thành viên; số vụ bạo lực gia đình giảm từ 7 vụ (2022) "
        "xuống 1 vụ (2024)",
        "hội viên",
        "xã Vạn Bình",
        position="Công chức Văn hóa - Xã hội",
        lower_decision=qd(22, 30, 5),
        flags=flags("Có", "Không", "Có"),
        style={
            "scores": "text",
            "stt": "text",
            "sub": "d-m-yyyy",
            "unit_gap": True,
            "mark": ["x", "x", "x", "x"],
        },
    ),
    Candidate(
        "cn-06-huynh-van-tam",
        INDIVIDUAL,
        "B",
        "Huỳnh Văn Tám",
        "Hội Nông dân xã Vạn Thọ",
        "Tổ hợp tác khai thác hải sản xa bờ an toàn",
        "a) Kinh tế",
        D(2024, 1, 29),
        D(2024, 7, 12),
        [14, 14, 19, 9.5, 9.5, 14.5, 14],
        "Vận động 14 chủ tàu lập tổ hợp tác, hỗ trợ nhau 36 chuyến biển; làm lợi 780.000.000 đồng",
        "ngư dân",
        "xã Vạn Thọ",
        position="Chi hội trưởng Chi hội Nông dân thôn Ninh Thọ",
        level="Cơ sở",
        benefit="780.000.000",
        flags=flags("Có", "Không", "Có"),
        papers=["to-trinh", "bao-cao-thanh-tich"],
        style={
            "scores": "mixed",
            "stt": "int",
            "nfd": True,
            "nfd_name": True,
            "mark": ["Có", "Có"],
        },
    ),
    Candidate(
        "cn-07-dang-thi-ngoc-anh",
        INDIVIDUAL,
        "B",
        "Đặng Thị Ngọc Ánh",
        "Ủy ban MTTQ Việt Nam xã Vạn Phước",
        "Vận động xây dựng Quỹ Vì người nghèo",
        "Văn hóa - xã hội",
        D(2024, 1, 11),
        D(2024, 8, 13),
        [14.5, 14, 19, 9.5, 9.5, 14, 14],
        'Cách làm "mỗi hộ một ống heo vì người nghèo" được 4 xã học tập; quỹ đạt 215 triệu đồng',
        "hộ dân",
        "xã Vạn Phước",
        position="Phó Chủ tịch Ủy ban MTTQ Việt Nam xã",
        lower_decision=qd(28, 14, 6),
        evidence_override={4: NO_FIGURE_TEXT},
        codes=["evidence.no_figure"],
        defect="Tài liệu kiểm chứng tiêu chí 05 không có số liệu (cảnh báo, hồ sơ vẫn hợp lệ)",
        style={"scores": "text", "stt": "text", "reg_gap": True, "mark": ["x", "x", "x", "x"]},
    ),
    Candidate(
        "cn-08-nguyen-van-hung",
        INDIVIDUAL,
        "B",
        "Nguyễn Văn Hùng",
        "Ủy ban MTTQ Việt Nam xã Vạn Hưng",
        "Hòa giải viên giỏi ở khu dân cư",
        "Quốc phòng - an ninh",
        D(2024, 2, 5),
        D(2024, 8, 23),
        [12.5, 13, 17, 9, 8.5, 13, 13.5],
        "Hòa giải thành 9/12 vụ việc mâu thuẫn trong khu dân cư",
        "người dân",
        "xã Vạn Hưng",
        position="Trưởng ban Công tác Mặt trận thôn Xuân Tự 2",
        lower_decision=qd(37, 1, 7),
        codes=["score.below_threshold", "total.below_threshold"],
        defect="Nhiều tiêu chí dưới 90 %, tổng 86,5 < 90",
        style={"scores": "mixed", "stt": "int", "mark": ["x", "x", "x", "x"]},
    ),
    Candidate(
        "cn-09-truong-thi-my-dung",
        INDIVIDUAL,
        "C",
        "Trương Thị Mỹ Dung",
        "Đảng ủy xã Vạn Lương",
        "Chi bộ gần dân, lắng nghe dân",
        "Xây dựng hệ thống chính trị",
        D(2024, 1, 17),
        D(2024, 8, 15),
        [13.5, 14, 18, 9.5, 9.5, 14, 14.5],
        'Duy trì 12 buổi "Chi bộ lắng nghe dân nói" với 540 lượt người; giải quyết 37/40 kiến nghị',
        "đảng viên",
        "xã Vạn Lương",
        position="Bí thư Chi bộ thôn Tân Đức Đông",
        lower_decision=qd(45, 28, 6),
        flags=flags("Không", "Không", "Có"),
        style={"dates": "date", "stt": "float", "total": "formula"},
    ),
    Candidate(
        "cn-10-bui-quang-vinh",
        INDIVIDUAL,
        "C",
        "Bùi Quang Vinh",
        "Hội Cựu chiến binh xã Vạn Thạnh",
        "Cựu chiến binh giữ gìn môi trường biển Đầm Môn",
        "Văn hóa - xã hội",
        D(2024, 2, 13),
        D(2024, 8, 29),
        [14.5, 14.5, 19.5, 10, 9.5, 14, 14],
        "Tổ chức 24 đợt thu gom 6,8 tấn rác thải ven biển; mô hình được 3 xã ven biển học tập",
        "hội viên",
        "xã Vạn Thạnh",
        position="Chủ tịch Hội Cựu chiến binh xã",
        lower_decision=qd(30, 12, 6),
        style={"dates": "serial", "stt": "01", "upper": True},
    ),
    Candidate(
        "cn-11-le-van-thanh",
        INDIVIDUAL,
        "C",
        "Lê Văn Thành",
        "UBND xã Xuân Sơn",
        "Vận động đồng bào dân tộc thiểu số trồng rừng sản xuất",
        "Kinh tế",
        D(2024, 1, 23),
        D(2024, 9, 5),
        [14.5, 14, 19, 10, 9.5, 14.5, 14],
        "Vận động 63 hộ đồng bào dân tộc thiểu số trồng 85 ha keo lai; làm lợi 980.000.000 đồng",
        "người dân",
        "xã Xuân Sơn",
        position="Phó Chủ tịch UBND xã",
        benefit=980000000,
        lower_decision=qd(16, 20, 5),
        flags=flags("Có", "Có", "Có"),
        codes=["deadline.submission_late"],
        defect="Ngày nộp hồ sơ 05/09/2024, sau hạn 01/09",
        style={"dates": "date", "stt": "float"},
    ),
    Candidate(
        "cn-12-phan-thi-thanh-tam",
        INDIVIDUAL,
        "C",
        "Phan Thị Thanh Tâm",
        "Hội Phụ nữ xã Đại Lãnh",
        "Phụ nữ Đại Lãnh làm du lịch cộng đồng",
        "Kinh tế",
        D(2024, 2, 7),
        D(2024, 8, 28),
        [16, 14, 19, 9.5, 9.5, 14, 14.5],
        "15 hộ hội viên làm du lịch homestay, đón 4.200 lượt khách; làm lợi 720.000.000 đồng",
        "hội viên",
        "xã Đại Lãnh",
        position="Chủ tịch Hội Phụ nữ xã",
        benefit=720000000,
        lower_decision=qd(39, 24, 6),
        codes=["score.out_of_range"],
        defect="Tiêu chí 01 tự chấm 16/15 (vượt điểm chuẩn)",
        style={"dates": "serial", "stt": "01"},
    ),
    Candidate(
        "cn-13-ngo-minh-tuan",
        INDIVIDUAL,
        "C",
        "Ngô Minh Tuấn",
        None,
        "Tủ sách pháp luật điện tử cho thanh niên",
        "Văn hóa - xã hội",
        D(2024, 2, 2),
        D(2024, 8, 7),
        [14, 14.5, 18.5, 9.5, 10, 14, 14],
        "Đưa 320 đầu sách pháp luật lên trang thông tin điện tử, đạt 12.600 lượt truy cập",
        "đoàn viên",
        "thị trấn Vạn Giã",
        position="Phó Giám đốc Trung tâm Văn hóa - Thông tin và Thể thao huyện",
        lower_decision=qd(48, 4, 7),
        codes=["info.missing"],
        defect='Thiếu hẳn trường Đơn vị (cột "Đơn vị công tác" không có)',
        style={"dates": "serial", "stt": "01"},
    ),
]


def prepare(candidates: list[Candidate]) -> None:
    """Fill evidence texts (fixed order, one seeded generator) and check the intent."""
    rng = random.Random(2024)
    for cand in candidates:
        texts: list[str | None] = list(
            make_evidence(rng, cand.kind, cand.who, cand.place, cand.last_evidence)
        )
        for i, text in cand.evidence_override.items():
            texts[i] = text
        cand.evidence = texts
        # Self-checks: a clean file must really be clean.
        scores = cand.numeric_scores()
        if scores is not None:
            low = [
                i
                for i, (s, m) in enumerate(zip(scores, cand.maxima, strict=True))
                if s < m * RATIO[cand.kind] - 1e-9
            ]
            assert bool(low) == ("score.below_threshold" in cand.codes), cand.file
            below = sum(scores) < MIN_TOTAL[cand.kind]
            assert below == ("total.below_threshold" in cand.codes), cand.file
        for i, text in enumerate(texts):
            if i in cand.evidence_override:
                continue
            assert text and re.search(r"\d", text), (cand.file, i)
        deadline_reg = D(YEAR, 2, 15)
        assert (cand.registered > deadline_reg) == ("deadline.registration_late" in cand.codes)
        if cand.level == "Huyện":
            late = cand.submitted > D(YEAR, 9, 1)
            assert late == ("deadline.submission_late" in cand.codes), cand.file
            assert (cand.lower_decision is None) == (
                "eligibility.lower_decision_missing" in cand.codes
            ), cand.file
        economic = fold(cand.field).endswith("kinh te")
        assert (economic and cand.benefit is None) == ("info.benefit_missing" in cand.codes)


# --------------------------------------------------------------------------- saving


def finish(wb: Workbook, creator: str) -> None:
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    wb.properties.title = None


def save(wb: Workbook, path: Path) -> None:
    """Save, then rewrite the zip with fixed entry times and a fixed modified date."""
    if openpyxl.LXML:
        raise RuntimeError("set OPENPYXL_LXML=False before openpyxl is imported")
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(normalize_zip(buf.getvalue()))


def normalize_zip(data: bytes) -> bytes:
    stamp = FIXED_DT.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rf"\g<1>{stamp}\g<2>",
                    text,
                )
                text = re.sub(
                    r"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)",
                    rf"\g<1>{stamp}\g<2>",
                    text,
                )
                content = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
    return out.getvalue()


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def style_sheet(ws: Worksheet) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell, MergedCell):
                continue
            bold = cell.font.b if cell.font else False
            cell.font = Font(name=FONT, size=12, bold=bold)


# --------------------------------------------------------------------------- shared content


def mark_value(style: Any, i: int, cand: Candidate) -> Any:
    """The mark written next to paper i (x, Có, ✓, a number or a date)."""
    if isinstance(style, list):
        return style[i]
    if style == "date":
        return cand.submitted - dt.timedelta(days=3 + i)
    return style


def paper_labels_b() -> dict[str, str]:
    return {
        "to-trinh": "Tờ trình đề nghị khen thưởng",
        "bien-ban": "Biên bản họp xét duyệt thi đua",
        "bao-cao-thanh-tich": "Báo cáo thành tích (Mẫu số 07, kèm bảng tự chấm điểm)",
        "quyet-dinh-co-so": "Quyết định khen thưởng điển hình tiêu biểu cấp cơ sở",
    }


def field_name(cand: Candidate) -> str:
    return cand.field


# --------------------------------------------------------------------------- layout B


def build_b(cand: Candidate) -> Workbook:
    st = cand.style
    lab = nfd if st.get("nfd") else (lambda s: s)
    wb = Workbook()
    ws = wb.active
    ws.title = "Thông tin"
    ws["A1"] = 'PHIẾU THÔNG TIN ĐỀ NGHỊ CÔNG NHẬN ĐIỂN HÌNH "DÂN VẬN KHÉO" NĂM 2024'
    ws["A1"].font = Font(bold=True)
    ws.merge_cells("A1:D1")
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 32

    collective = cand.kind == COLLECTIVE
    rows: list[tuple[str, Any, bool]] = []  # label, value, gap (value two cells right)
    rows.append(("Năm thi đua:", str(YEAR), False))
    rows.append(("Đối tượng:", "Tập thể" if collective else "Cá nhân", False))
    name = nfd(cand.name) if st.get("nfd_name") else cand.name
    if collective:
        rows.append((st.get("name_label", "Tên tập thể:"), name, False))
        rows.append(("Cơ quan, đơn vị:", cand.unit, bool(st.get("unit_gap"))))
    else:
        rows.append(("Họ và tên:", name, False))
        rows.append(("Chức vụ:", cand.position, False))
        rows.append(("Đơn vị công tác:", cand.unit, bool(st.get("unit_gap"))))
    model = nfd(cand.model) if st.get("nfd") else cand.model
    rows.append(("Tên mô hình, điển hình:", model, False))
    rows.append(("Lĩnh vực:", field_name(cand), False))
    rows.append(("Thời gian triển khai:", cand.period, False))
    rows.append(
        (
            "Ngày đăng ký:",
            vn_date(cand.registered, st.get("reg", "dd/mm/yyyy")),
            bool(st.get("reg_gap")),
        )
    )
    rows.append(("Ngày nộp hồ sơ:", vn_date(cand.submitted, st.get("sub", "dd/mm/yyyy")), False))
    rows.append(("Cấp đề nghị:", st.get("level", cand.level), False))
    if cand.benefit is not None:
        rows.append(("Giá trị làm lợi (VND):", cand.benefit, False))
    if cand.lower_decision is not None:
        rows.append(("Số quyết định cơ sở:", cand.lower_decision, False))
    for label, value in (cand.flags or {}).items():
        rows.append((label + ":", value, False))

    r = 3
    for label, value, gap in rows:
        ws.cell(r, 1, lab(label)).font = Font(bold=True)
        ws.cell(r, 3 if gap else 2, value)
        r += 1
    r += 1
    ws.cell(r, 1, lab("Tài liệu")).font = Font(bold=True)
    ws.cell(r, 2, lab("Tình trạng")).font = Font(bold=True)
    r += 1
    labels_b = paper_labels_b()
    marks = st.get("mark", "x")
    for pid in PAPER_IDS:
        if pid not in cand.papers:
            continue
        ws.cell(r, 1, labels_b[pid]).alignment = WRAP
        ws.cell(r, 2, mark_value(marks, cand.papers.index(pid), cand))
        r += 1
    if cand.level == "Cơ sở":
        ws.cell(r, 1, "Bản đăng ký xây dựng mô hình")
        ws.cell(r, 2, mark_value(marks, 0, cand))
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 46
    ws.column_dimensions["C"].width = 30
    style_sheet(ws)

    # ---- sheet 2: scoring
    sc = wb.create_sheet("Chấm điểm")
    sc["A1"] = "BẢNG TỰ ĐÁNH GIÁ CHẤM ĐIỂM"
    sc.merge_cells("A1:F1")
    sc["A1"].alignment = CENTER
    sc["A1"].font = Font(bold=True)
    sub = ("Tập thể" if collective else "Cá nhân") + ' điển hình "Dân vận khéo" năm 2024'
    sc["A2"] = sub
    sc.merge_cells("A2:F2")
    sc["A2"].alignment = CENTER
    header = ["STT", "Tiêu chí", "Điểm chuẩn", "Điểm tự chấm", "Tài liệu kiểm chứng"]
    hr = 4
    for j, text in enumerate(header):
        cell = sc.cell(hr, 2 + j, lab(text))
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.border = BOX
    r = hr + 1
    first = r
    for i in range(7):
        if i == 4:  # a blank row inside the table
            r += 1
        stt: Any = str(i + 1) if st.get("stt") == "text" else i + 1
        sc.cell(r, 2, stt)
        title = TITLES[cand.kind][i]
        sc.cell(r, 3, title.split(". ")[0] if len(title) > 160 else title)
        sc.cell(r, 4, num(cand.form_max.get(i, cand.maxima[i])))
        score = cand.scores[i]
        if isinstance(score, (int, float)):
            mode = st.get("scores", "text")
            if mode == "text" or (mode == "mixed" and not float(score).is_integer()):
                score = score_text(score)
            else:
                score = num(score)
        sc.cell(r, 5, score)
        sc.cell(r, 6, cand.evidence[i])
        for j in range(2, 7):
            sc.cell(r, j).border = BOX
            sc.cell(r, j).alignment = WRAP
        r += 1
    last = r - 1
    sc.cell(r, 3, lab("Tổng cộng")).font = Font(bold=True)
    sc.cell(r, 4, f"=SUM(D{first}:D{last})")
    sc.cell(r, 5, f"=SUM(E{first}:E{last})")
    for j in range(2, 7):
        sc.cell(r, j).border = BOX
    r += 2
    sc.cell(
        r,
        5,
        f"{cand.place[0].upper()}{cand.place[1:]}, ngày "
        f"{cand.submitted.day:02d} tháng {cand.submitted.month} năm {YEAR}",
    )
    sc.cell(r + 1, 5, "THỦ TRƯỞNG ĐƠN VỊ" if collective else "NGƯỜI TỰ ĐÁNH GIÁ").font = Font(
        bold=True
    )
    for col, width in zip("ABCDEF", (3, 6, 60, 11, 11, 60), strict=True):
        sc.column_dimensions[col].width = width
    style_sheet(sc)
    finish(wb, "Van phong " + fold(cand.place).title())
    return wb


# --------------------------------------------------------------------------- layout C


def build_c(cand: Candidate) -> Workbook:
    st = cand.style
    wb = Workbook()
    ws = wb.active
    ws.title = "Hồ sơ"
    collective = cand.kind == COLLECTIVE
    date_mode = st.get("dates", "date")

    def date_value(d: D) -> Any:
        return serial(d) if date_mode == "serial" else d

    cols: list[tuple[str, Any]] = [
        ("Năm", YEAR),
        ("Loại", "Tập thể" if collective else "Cá nhân"),
    ]
    if collective:
        cols.append(("Tên tập thể", cand.name))
    else:
        cols.append(("Họ và tên", cand.name))
        cols.append(("Chức vụ", cand.position))
    if cand.unit is not None:
        cols.append(("Đơn vị" if collective else "Đơn vị công tác", cand.unit))
    cols += [
        ("Tên mô hình", cand.model),
        ("Lĩnh vực", field_name(cand)),
        ("Thời gian triển khai", cand.period),
        ("Ngày đăng ký", date_value(cand.registered)),
        ("Ngày nộp", date_value(cand.submitted)),
        ("Cấp đề nghị", cand.level),
        ("Giá trị làm lợi (VND)", cand.benefit),
        ("Quyết định công nhận cấp cơ sở", cand.lower_decision),
    ]
    for label in FLAGS:
        cols.append((label, (cand.flags or {}).get(label)))

    width = len(cols)
    ws.cell(1, 1, 'HỒ SƠ ĐỀ NGHỊ CÔNG NHẬN ĐIỂN HÌNH "DÂN VẬN KHÉO" NĂM 2024').font = Font(
        bold=True
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).alignment = CENTER
    hr = 3
    for j, (label, value) in enumerate(cols, start=1):
        text = label.upper() if st.get("upper") else label
        head = ws.cell(hr, j, text)
        head.font = Font(bold=True)
        head.alignment = CENTER
        head.border = BOX
        cell = ws.cell(hr + 1, j, value)
        cell.border = BOX
        cell.alignment = WRAP
        if isinstance(value, D):
            cell.number_format = "dd/mm/yyyy"
        if isinstance(value, int) and label.startswith("Giá trị"):
            cell.number_format = "#,##0"
    ws.row_dimensions[hr].height = 45

    # scoring table
    r = hr + 3
    ws.cell(r, 1, "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM").font = Font(bold=True)
    r += 1
    header = ["STT", "TIÊU CHÍ", "Điểm  chuẩn", "ĐIỂM TỰ ĐÁNH GIÁ", "Tài liệu kiểm chứng "]
    for j, text in enumerate(header, start=1):
        cell = ws.cell(r, j, text)
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.border = BOX
    hrow = r
    for i in range(7):
        r += 1
        stt: Any = float(i + 1) if st.get("stt") == "float" else f"{i + 1:02d}"
        ws.cell(r, 1, stt)
        ws.cell(r, 2, TITLES[cand.kind][i])
        ws.cell(r, 3, float(cand.form_max.get(i, cand.maxima[i])))
        score = cand.scores[i]
        ws.cell(r, 4, float(score) if isinstance(score, (int, float)) else score)
        ws.cell(r, 5, cand.evidence[i])
        for j in range(1, 6):
            ws.cell(r, j).border = BOX
            ws.cell(r, j).alignment = WRAP
    r += 1
    ws.cell(r, 2, "Tổng điểm").font = Font(bold=True)
    if st.get("total") == "formula":
        ws.cell(r, 3, f"=SUM(C{hrow + 1}:C{r - 1})")
        ws.cell(r, 4, f"=SUM(D{hrow + 1}:D{r - 1})")
    else:
        ws.cell(r, 3, float(sum(cand.form_max.get(i, m) for i, m in enumerate(cand.maxima))))
        declared = cand.declared_total
        if declared is None:
            declared = (
                cand.total
                if cand.total is not None
                else sum(float(s) for s in cand.scores if isinstance(s, (int, float)))
            )
        ws.cell(r, 4, float(declared))
    for j in range(1, 6):
        ws.cell(r, j).border = BOX

    # papers
    r += 2
    for j, text in enumerate(("STT", "Thành phần hồ sơ", "Đánh dấu"), start=1):
        cell = ws.cell(r, j, text)
        cell.font = Font(bold=True)
        cell.border = BOX
    n = 0
    for pid in PAPER_IDS:
        if pid not in cand.papers:
            continue
        n += 1
        r += 1
        ws.cell(r, 1, n)
        ws.cell(r, 2, HUYEN_PAPERS[pid]["label"])
        ws.cell(r, 3, "✓")
    r += 3
    ws.cell(
        r, 4, f"Vạn Ninh, ngày {cand.submitted.day:02d} tháng {cand.submitted.month} năm {YEAR}"
    )
    for j, w in enumerate((8, 58, 14, 16, 58), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    for j in range(6, width + 1):
        ws.column_dimensions[get_column_letter(j)].width = 18
    ws.freeze_panes = "A5"
    style_sheet(ws)
    finish(wb, "Can bo tong hop")
    return wb


# --------------------------------------------------------------------------- layout A


def template_writer() -> Any | None:
    """`danvan_cli.template.write_template`, or None if that module does not exist yet."""
    sys.path.insert(0, str(REPO))
    try:
        from danvan_cli.template import write_template  # type: ignore[import-not-found]
    except ImportError:
        return None
    finally:
        sys.path.remove(str(REPO))
    return write_template


INFO_LABELS: dict[str, list[str]] = {  # DESIGN §3 label contract
    "year": ["Năm", "Năm thi đua"],
    "kind": ["Loại", "Đối tượng"],
    "name": ["Tên tập thể", "Họ và tên", "Tên cá nhân", "Tên"],
    "position": ["Chức vụ"],
    "unit": ["Đơn vị", "Cơ quan, đơn vị", "Đơn vị công tác"],
    "model": ["Tên mô hình", "Tên điển hình", "Tên mô hình, điển hình"],
    "field": ["Lĩnh vực"],
    "period": ["Thời gian triển khai"],
    "registered_on": ["Ngày đăng ký"],
    "submitted_on": ["Ngày nộp hồ sơ", "Ngày nộp"],
    "level": ["Cấp đề nghị", "Cấp khen thưởng"],
    "benefit": ["Giá trị làm lợi (VND)", "Giá trị làm lợi"],
    "lower_decision": ["Quyết định công nhận cấp cơ sở", "Số quyết định cơ sở"],
    "difficult": ["Điều kiện khó khăn"],
    "wide_influence": ["Phạm vi ảnh hưởng rộng"],
    "grassroots": ["Cấp cơ sở"],
}
FLAG_KEYS = dict(zip(FLAGS, ("difficult", "wide_influence", "grassroots"), strict=True))


def build_fallback_form(path: Path, kind: str) -> None:
    """A canonical form of the described shape, used only when the template writer is absent."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Hồ sơ"
    ws["A1"] = "ỦY BAN NHÂN DÂN HUYỆN VẠN NINH"
    ws["A2"] = 'HỒ SƠ ĐỀ NGHỊ CÔNG NHẬN ĐIỂN HÌNH "DÂN VẬN KHÉO"'
    ws.merge_cells("A2:E2")
    labels = ["Năm", "Loại", "Tên tập thể" if kind == COLLECTIVE else "Họ và tên"]
    if kind == INDIVIDUAL:
        labels.append("Chức vụ")
    labels += [
        "Đơn vị",
        "Tên mô hình",
        "Lĩnh vực",
        "Thời gian triển khai",
        "Ngày đăng ký",
        "Ngày nộp hồ sơ",
        "Cấp đề nghị",
        "Giá trị làm lợi (VND)",
        "Quyết định công nhận cấp cơ sở",
        *FLAGS,
    ]
    r = 4
    for label in labels:
        ws.cell(r, 2, label)
        r += 1
    r += 1
    for j, text in enumerate(
        ["STT", "Tiêu chí", "Điểm chuẩn", "Điểm tự chấm", "Tài liệu kiểm chứng"], start=1
    ):
        ws.cell(r, j, text)
    first = r + 1
    for i, crit in enumerate(RUBRIC[kind]["criteria"]):
        r += 1
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, TITLES[kind][i])
        ws.cell(r, 3, crit["max"])
    r += 1
    ws.cell(r, 2, "Tổng điểm")
    ws.cell(r, 3, f"=SUM(C{first}:C{r - 1})")
    ws.cell(r, 4, f"=SUM(D{first}:D{r - 1})")
    r += 2
    ws.cell(r, 1, "STT")
    ws.cell(r, 2, "Thành phần hồ sơ")
    ws.cell(r, 3, "Đánh dấu")
    for i, pid in enumerate(PAPER_IDS, start=1):
        ws.cell(r + i, 1, i)
        ws.cell(r + i, 2, HUYEN_PAPERS[pid]["label"])
    wb.save(path)


def _cell_right(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The first cell right of (row, col) that is not part of the label's merged range."""
    for rng_ in ws.merged_cells.ranges:
        if rng_.min_row <= row <= rng_.max_row and rng_.min_col <= col <= rng_.max_col:
            return rng_.min_row, rng_.max_col + 1
    return row, col + 1


def _writable(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """Top-left cell of a merged range containing (row, col), else the cell itself."""
    for rng_ in ws.merged_cells.ranges:
        if rng_.min_row <= row <= rng_.max_row and rng_.min_col <= col <= rng_.max_col:
            return rng_.min_row, rng_.min_col
    return row, col


class FormError(RuntimeError):
    pass


def fill_a(ws: Worksheet, cand: Candidate) -> list[str]:
    """Fill the canonical form by searching for its labels; returns the labels used."""
    used: list[str] = []
    cells: dict[str, tuple[int, int, str]] = {}
    by_fold = {fold(lab): key for key, labs in INFO_LABELS.items() for lab in labs}
    header_row = None
    columns: dict[str, int] = {}
    papers_row = None
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell, MergedCell) or not isinstance(cell.value, str):
                continue
            key = fold(cell.value)
            if key in by_fold and by_fold[key] not in cells:
                cells[by_fold[key]] = (cell.row, cell.column, cell.value)
            if key == "stt" and header_row is None:
                header_row = cell.row
            if key in ("thanh phan ho so", "tai lieu") and papers_row is None:
                papers_row = cell.row
    if header_row is None:
        raise FormError("scoring table header (STT) not found in the template")
    for cell in ws[header_row]:
        key = fold(cell.value)
        for name, options in {
            "number": ["stt"],
            "max": ["diem chuan"],
            "score": ["diem tu cham", "diem tu danh gia"],
            "evidence": ["tai lieu kiem chung"],
        }.items():
            if key in options:
                columns[name] = cell.column
    if set(columns) != {"number", "max", "score", "evidence"}:
        raise FormError(f"scoring table columns found: {sorted(columns)}")
    # Info cells that belong to the scoring table header are not info labels.
    cells = {k: v for k, v in cells.items() if v[0] != header_row}

    values: dict[str, Any] = {
        "year": YEAR,
        "kind": "Tập thể" if cand.kind == COLLECTIVE else "Cá nhân",
        "name": cand.name,
        "position": cand.position,
        "unit": cand.unit,
        "model": cand.model,
        "field": field_name(cand),
        "period": cand.period,
        "registered_on": cand.registered,
        "submitted_on": cand.submitted,
        "level": cand.level,
        "benefit": cand.benefit,
        "lower_decision": cand.lower_decision,
    }
    for label, flag in (cand.flags or {}).items():
        values[FLAG_KEYS[label]] = flag
    for key, value in values.items():
        if value is None:
            continue
        if key not in cells:
            if key == "position" and cand.kind == COLLECTIVE:
                continue
            raise FormError(f"label for {key!r} not found in the template")
        row, col, text = cells[key]
        used.append(text)
        r, c = _cell_right(ws, row, col)
        target = ws.cell(r, c)
        if isinstance(target, MergedCell):
            r, c = _writable(ws, r, c)
            target = ws.cell(r, c)
        target.value = value
        if isinstance(value, D):
            target.number_format = "dd/mm/yyyy"
    # scores and evidence
    rows_by_code: dict[int, int] = {}
    r = header_row + 1
    while r <= ws.max_row:
        first = ws.cell(r, columns["number"]).value
        texts = [fold(ws.cell(r, c).value) for c in range(1, columns["score"] + 1)]
        if any(t.startswith(("tong diem", "tong cong")) for t in texts):
            total_row = r
            break
        try:
            code = int(float(str(first).strip())) if first not in (None, "") else None
        except ValueError:
            code = None
        if code is not None:
            rows_by_code[code] = r
        r += 1
    else:
        raise FormError("no Tổng điểm row under the scoring table")
    if sorted(rows_by_code) != list(range(1, 8)):
        raise FormError(f"criterion rows found: {sorted(rows_by_code)}")
    for i in range(7):
        row = rows_by_code[i + 1]
        if i in cand.form_max:
            ws.cell(row, columns["max"]).value = cand.form_max[i]
        score = cand.scores[i]
        ws.cell(row, columns["score"]).value = (
            num(score) if isinstance(score, (int, float)) else score
        )
        ws.cell(row, columns["evidence"]).value = cand.evidence[i]
    if cand.declared_total is not None:
        ws.cell(total_row, columns["score"]).value = cand.declared_total
    # papers
    if papers_row is None:
        raise FormError("papers table (Thành phần hồ sơ) not found")
    marks = cand.style.get("mark", "x")
    for pid in cand.papers:
        keys = HUYEN_PAPERS[pid]["match"]
        hit = None
        for row in ws.iter_rows(min_row=papers_row + 1):
            for cell in row:
                if isinstance(cell, MergedCell) or not isinstance(cell.value, str):
                    continue
                if any(k in fold(cell.value) for k in keys):
                    hit = cell
                    break
            if hit is not None:
                break
        if hit is None:
            raise FormError(f"paper {pid} not found in the template")
        r, c = _cell_right(ws, hit.row, hit.column)
        ws.cell(*_writable(ws, r, c)).value = mark_value(marks, cand.papers.index(pid), cand)
        if isinstance(ws.cell(*_writable(ws, r, c)).value, D):
            ws.cell(*_writable(ws, r, c)).number_format = "dd/mm/yyyy"
    return used


def build_a(cand: Candidate, writer: Any | None, tmp: Path) -> tuple[Workbook, list[str]]:
    form = tmp / f"form-{cand.kind}.xlsx"
    if not form.exists():
        if writer is not None:
            writer(form, cand.kind, "huyen")
        else:
            build_fallback_form(form, cand.kind)
    wb = load_workbook(form)
    ws = next(ws for ws in wb.worksheets if ws.sheet_state == "visible")
    used = fill_a(ws, cand)
    finish(wb, "danvan")
    return wb, used


# --------------------------------------------------------------------------- broken files


def write_broken(out: Path, source: Path, encrypt_source: Path) -> dict[str, dict[str, Any]]:
    broken: dict[str, dict[str, Any]] = {}
    # 1. a truncated copy of a valid workbook (an interrupted download / copy)
    data = source.read_bytes()
    name = "loi-file-bi-cat-ngang.xlsx"
    (out / name).write_bytes(data[: len(data) // 2])
    broken[name] = {
        "valid": False,
        "codes": ["file.unreadable"],
        "defect": f"Bản sao bị cắt còn một nửa của {source.name}",
    }
    # 2. a CSV export renamed to .xlsx
    name = "loi-file-csv-doi-ten.xlsx"
    csv = (
        "Năm,Loại,Tên tập thể,Đơn vị,Tên mô hình,Lĩnh vực,Ngày đăng ký,Ngày nộp,Cấp đề nghị\r\n"
        "2024,Tập thể,Hội Nông dân xã Vạn Phú,xã Vạn Phú,Tổ hợp tác trồng sắn,Kinh tế,"
        "12/01/2024,10/08/2024,Huyện\r\n"
    )
    (out / name).write_bytes(csv.encode("utf-8-sig"))
    broken[name] = {
        "valid": False,
        "codes": ["file.format"],
        "defect": "Tệp CSV đổi đuôi thành .xlsx",
    }
    # 3. an encrypted workbook (password "123"), deterministic salt and keys
    name = "loi-file-dat-mat-khau.xlsx"
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile
    from msoffcrypto.method import ecma376_agile
    from msoffcrypto.method.container import ecma376_encrypted

    class _FixedNow(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> dt.datetime:
            return FIXED_DT

    # Pin the salt/key generator and the OLE directory time so re-runs give the same bytes.
    rng = random.Random(2024)
    saved = ecma376_agile._random_buffer, ecma376_encrypted.datetime
    ecma376_agile._random_buffer = lambda size: rng.randbytes(size)
    ecma376_encrypted.datetime = _FixedNow
    try:
        enc = io.BytesIO()
        with encrypt_source.open("rb") as fh:
            OOXMLFile(fh).encrypt("123", enc)
    finally:
        ecma376_agile._random_buffer, ecma376_encrypted.datetime = saved
    (out / name).write_bytes(enc.getvalue())
    assert msoffcrypto.OfficeFile(io.BytesIO(enc.getvalue())).is_encrypted()
    broken[name] = {
        "valid": False,
        "codes": ["file.encrypted"],
        "defect": f'Đặt mật khẩu mở tệp "123" (nội dung là {encrypt_source.name})',
    }
    return broken


def lock_file_bytes(user: str = "Nguyen Van A") -> bytes:
    """An Excel owner file ("~$name.xlsx"): 165 bytes naming who has the workbook open."""
    raw = bytes([len(user)]) + user.encode("ascii").ljust(53, b" ")
    raw += bytes([len(user), 0]) + user.encode("utf-16-le")
    return raw.ljust(165, b"\x20")


# --------------------------------------------------------------------------- expected.yaml


def expected_entry(cand: Candidate) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": cand.kind,
        "layout": cand.layout,
        "level": "co-so" if cand.level == "Cơ sở" else "huyen",
        "valid": cand.valid,
        "total": cand.total,
        "codes": sorted(cand.codes),
    }
    entry["name"] = cand.name
    if cand.unit is not None:
        entry["unit"] = cand.unit
    if cand.defect:
        entry["defect"] = cand.defect
    return entry


def write_expected(path: Path, files: dict[str, dict[str, Any]], skipped: list[str]) -> None:
    lines = [
        "# Kết quả mong đợi khi chạy `danvan validate samples/2024` (sinh bởi make_samples.py).",
        "# Expected validation results for samples/2024 (generated; do not edit by hand).",
        "# total: tổng 7 tiêu chí do công cụ tự tính lại (null khi có điểm không đọc được/vượt",
        "#   điểm chuẩn). codes: đúng TẬP HỢP mã phát hiện (lỗi và cảnh báo) của tệp.",
        "# name/unit: dạng NFC (một vài tệp layout B ghi bằng NFD).",
        "files:",
    ]
    for name, entry in files.items():
        flow = yaml.safe_dump(
            entry, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000
        ).strip()
        key = yaml.safe_dump(name, allow_unicode=True).strip().removesuffix("...").strip()
        lines.append(f"  {key}: {flow}")
    lines.append("skipped: [" + ", ".join(json.dumps(s, ensure_ascii=False) for s in skipped) + "]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert loaded["files"] == files and loaded["skipped"] == skipped


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=HERE,
        help="write 2024/, expected.yaml and lich-su-cong-nhan.xlsx here (default: samples/)",
    )
    parser.add_argument(
        "--no-template",
        action="store_true",
        help="hand-build layout A even if danvan_cli.template exists",
    )
    args = parser.parse_args(argv)

    prepare(CANDIDATES)
    writer = None if args.no_template else template_writer()
    if writer is None:
        print(
            "warning: danvan_cli.template not used: layout A uses a hand-built form",
            file=sys.stderr,
        )
    out: Path = args.root / "2024"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    files: dict[str, dict[str, Any]] = {}
    labels_used: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for cand in CANDIDATES:
            if cand.layout == "A":
                wb, used = build_a(cand, writer, Path(tmp))
                labels_used[cand.file] = used
            elif cand.layout == "B":
                wb = build_b(cand)
            else:
                wb = build_c(cand)
            path = out / f"{cand.file}.xlsx"
            save(wb, path)
            files[path.name] = expected_entry(cand)

    broken = write_broken(
        out, out / "tt-02-mttq-van-phu.xlsx", out / "cn-09-truong-thi-my-dung.xlsx"
    )
    files.update(broken)
    lock = "~$tt-01-hoi-nong-dan-van-thang.xlsx"
    (out / lock).write_bytes(lock_file_bytes())
    # The history workbook sits beside the intake (for `danvan history import` and the demo);
    # it is no dossier, and `danvan validate samples/` says so.
    sys.path.insert(0, str(HERE))
    import make_history

    make_history.main(args.root / "lich-su-cong-nhan.xlsx")
    files["lich-su-cong-nhan.xlsx"] = {
        "valid": False,
        "codes": ["file.not_dossier"],
        "defect": "Sổ lịch sử công nhận 2022-2023 (dùng cho danvan history import), không phải hồ sơ",
    }
    write_expected(args.root / "expected.yaml", dict(sorted(files.items())), [lock])
    n_valid = sum(1 for e in files.values() if e["valid"])
    print(
        f"{len(files)} files in {out} ({n_valid} valid), 1 lock file; "
        f"layout A form: {'danvan_cli.template' if writer else 'hand-built'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
