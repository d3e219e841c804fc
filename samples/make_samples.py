#!/usr/bin/env python3
"""Sinh bộ hồ sơ mẫu "Dân vận khéo" năm 2024 của huyện Vạn Ninh (samples/2024/).

Writes the 2024 sample intake described in candidates.yaml: one workbook per candidate in
its layout (layouts.py: A danvan's form filled in, B two hand-made sheets, C header style),
the broken files, the lock file, the history workbook (make_history.py) and expected.yaml.
Deterministic: `python samples/make_samples.py` rewrites samples/ with the same bytes
(tests/test_samples_regenerate.py holds it to that).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The committed samples were written by openpyxl's standard-library XML serializer; with lxml
# installed openpyxl would pick lxml and every file would differ in bytes (not in cells).
os.environ["OPENPYXL_LXML"] = "False"
# This checkout's danvan_cli, whatever is installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import layouts
import make_history
import yaml
from layouts import BOLD, BOX, CENTER, SUM, WRAP, Dossier, fold
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from danvan_cli.config.load import load_config
from danvan_cli.write.template import write_template

HERE = Path(__file__).resolve().parent
DATA = yaml.safe_load((HERE / "candidates.yaml").read_text(encoding="utf-8"))
YEAR: int = DATA["year"]
COLLECTIVE, INDIVIDUAL = "collective", "individual"
KIND_NAMES = {COLLECTIVE: "Tập thể", INDIVIDUAL: "Cá nhân"}
FLAG_LABELS = ("Điều kiện khó khăn", "Phạm vi ảnh hưởng rộng", "Cấp cơ sở")
# A 2024 dossier on danvan's form cites the plan's Mẫu 07 of Nghị định 91/2017, replaced
# from 01/01/2024 (the plan's legal_basis): a warning, never a rejection.
WARNINGS = {"evidence.no_figure", "total.mismatch", "document.superseded_text"}


def _rubric_file(name: str) -> dict[str, Any]:
    return yaml.safe_load((HERE.parent / "rubrics" / name).read_text(encoding="utf-8"))


RUBRIC = {COLLECTIVE: _rubric_file("collective.yaml"), INDIVIDUAL: _rubric_file("individual.yaml")}
PLAN = _rubric_file("van-ninh-2023.yaml")
MAXIMA = {k: [float(c["max"]) for c in r["criteria"]] for k, r in RUBRIC.items()}
TITLES = {k: [" ".join(c["title"].split()) for c in r["criteria"]] for k, r in RUBRIC.items()}
PAPERS = {p["id"]: p["label"] for lv in PLAN["levels"] if lv["id"] == "huyen" for p in lv["papers"]}


@dataclass
class Candidate:
    """One sample dossier, as candidates.yaml describes it (see there)."""

    file: str
    kind: str
    layout: str
    name: str
    unit: str | None
    place: str
    model: str
    field: str
    registered: dt.date
    submitted: dt.date
    level: str
    period: str
    papers: list[str]
    scores: list[Any]
    evidence: list[str | None]
    style: dict[str, Any]
    position: str | None = None
    benefit: Any = None
    lower_decision: str | None = None
    flags: list[str] | None = None
    form_max: dict[int, float] = field(default_factory=dict)
    declared_total: float | None = None
    codes: list[str] = field(default_factory=list)
    defect: str | None = None

    def numeric_scores(self) -> list[float] | None:
        """The scores, or None if one is no number or above its maximum."""
        maxima = MAXIMA[self.kind]
        if not all(
            isinstance(s, (int, float)) and 0 <= s <= m
            for s, m in zip(self.scores, maxima, strict=True)
        ):
            return None
        return [float(s) for s in self.scores]

    @property
    def total(self) -> float | None:
        scores = self.numeric_scores()
        return None if scores is None else sum(scores)

    def check(self) -> None:
        """Each intended code follows from the data, and a clean file is really clean."""
        kind, codes = RUBRIC[self.kind], set(self.codes)
        scores = self.numeric_scores()
        if scores is not None:
            ratio = float(kind["thresholds"]["criterion_ratio"])
            low = any(s < m * ratio - 1e-9 for s, m in zip(scores, MAXIMA[self.kind], strict=True))
            assert low == ("score.below_threshold" in codes), self.file
            below = sum(scores) < float(kind["thresholds"]["min_total"])
            assert below == ("total.below_threshold" in codes), self.file
        blank = ("evidence.missing" in codes) + ("evidence.no_figure" in codes)
        assert sum(not (e and re.search(r"\d", e)) for e in self.evidence) == blank, self.file
        deadlines = {k: dt.date(YEAR, d["month"], d["day"]) for k, d in PLAN["deadlines"].items()}
        late = self.registered > deadlines["registration"]
        assert late == ("deadline.registration_late" in codes), self.file
        if self.level == "Huyện":
            late = self.submitted > deadlines["submission"]
            assert late == ("deadline.submission_late" in codes), self.file
            missing = self.lower_decision is None
            assert missing == ("eligibility.lower_decision_missing" in codes), self.file
        economic = fold(self.field).endswith("kinh te")
        assert (economic and self.benefit is None) == ("info.benefit_missing" in codes), self.file
        assert (self.layout == "A") == ("document.superseded_text" in codes), self.file
        assert self.papers == [p for p in PAPERS if p in self.papers], self.file


def load_candidates() -> list[Candidate]:
    candidates = [Candidate(**{**DATA["defaults"], **entry}) for entry in DATA["candidates"]]
    for cand in candidates:
        cand.check()
    return candidates


# --------------------------------------------------------------------------- as typed


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def vn_date(d: dt.date, style: str | None) -> str:
    if style == "d-m-yyyy":
        return f"{d.day}-{d.month}-{d.year}"
    if style == "d/m/yyyy":
        return f"{d.day}/{d.month}/{d.year}"
    return d.strftime("%d/%m/%Y")


def num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def mark(cand: Candidate, i: int) -> Any:
    """The mark written by paper i: its style's text or list item, or a date."""
    style = cand.style.get("mark", "x")
    if isinstance(style, list):
        return style[i]
    if style == "date":
        return cand.submitted - dt.timedelta(days=3 + i)
    return style


def info(cand: Candidate, submitted_label: str) -> dict[str, Any]:
    """The information under the labels of danvan's form (layout A) and of layout C."""
    collective = cand.kind == COLLECTIVE
    values: dict[str, Any] = {"Năm": YEAR, "Loại": KIND_NAMES[cand.kind]}
    if collective:
        values["Tên tập thể"] = cand.name
    else:
        values["Họ và tên"] = cand.name
        values["Chức vụ"] = cand.position
    if cand.unit is not None:
        values["Đơn vị" if collective else "Đơn vị công tác"] = cand.unit
    values |= {
        "Tên mô hình": cand.model,
        "Lĩnh vực": cand.field,
        "Thời gian triển khai": cand.period,
        "Ngày đăng ký": cand.registered,
        submitted_label: cand.submitted,
        "Cấp đề nghị": cand.level,
        "Giá trị làm lợi (VND)": cand.benefit,
        "Quyết định công nhận cấp cơ sở": cand.lower_decision,
    }
    return values | dict(zip(FLAG_LABELS, cand.flags or [None] * 3, strict=True))


# --------------------------------------------------------------------------- layouts A, B, C


@functools.cache
def blank_form(kind: str) -> bytes:
    """danvan's blank form for `kind` (huyện level), as its form writer saves it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"form-{kind}.xlsx"
        write_template(path, kind, "huyen", load_config(), layouts.FIXED_DT.date())
        return path.read_bytes()


def build_a(cand: Candidate) -> Workbook:
    """Layout A: danvan's form, filled in by its labels."""
    rows = [
        [i + 1, None, None, num(s) if isinstance(s, (int, float)) else s, cand.evidence[i]]
        for i, s in enumerate(cand.scores)
    ]
    papers = [(PAPERS[pid], mark(cand, i)) for i, pid in enumerate(cand.papers)]
    wb = load_workbook(io.BytesIO(blank_form(cand.kind)))
    layouts.fill_form(wb.active, Dossier(info(cand, "Ngày nộp hồ sơ"), rows, papers=papers))
    layouts.finish(wb, "danvan")
    return wb


PAPERS_B = {
    "to-trinh": "Tờ trình đề nghị khen thưởng",
    "bien-ban": "Biên bản họp xét duyệt thi đua",
    "bao-cao-thanh-tich": "Báo cáo thành tích (Mẫu số 07, kèm bảng tự chấm điểm)",
    "quyet-dinh-co-so": "Quyết định khen thưởng điển hình tiêu biểu cấp cơ sở",
}


def build_b(cand: Candidate) -> Workbook:
    """Layout B: a "Thông tin" sheet and a "Chấm điểm" sheet, made by the unit."""
    st = cand.style
    collective = cand.kind == COLLECTIVE
    unit_label = "Cơ quan, đơn vị:" if collective else "Đơn vị công tác:"
    values: dict[str, Any] = {"Năm thi đua:": str(YEAR), "Đối tượng:": KIND_NAMES[cand.kind]}
    name = nfd(cand.name) if st.get("nfd_name") else cand.name
    if collective:
        values[st.get("name_label", "Tên tập thể:")] = name
    else:
        values |= {"Họ và tên:": name, "Chức vụ:": cand.position}
    values |= {
        unit_label: cand.unit,
        "Tên mô hình, điển hình:": nfd(cand.model) if st.get("nfd") else cand.model,
        "Lĩnh vực:": cand.field,
        "Thời gian triển khai:": cand.period,
        "Ngày đăng ký:": vn_date(cand.registered, st.get("reg")),
        "Ngày nộp hồ sơ:": vn_date(cand.submitted, st.get("sub")),
        "Cấp đề nghị:": st.get("level", cand.level),
    }
    if cand.benefit is not None:
        values["Giá trị làm lợi (VND):"] = cand.benefit
    if cand.lower_decision is not None:
        values["Số quyết định cơ sở:"] = cand.lower_decision
    if cand.flags:
        values |= {f"{k}:": v for k, v in zip(FLAG_LABELS, cand.flags, strict=True)}
    gaps = {unit_label} if st.get("unit_gap") else set()
    gaps |= {"Ngày đăng ký:"} if st.get("reg_gap") else set()
    label = nfd if st.get("nfd") else str

    rows = []
    for i, (title, maximum) in enumerate(zip(TITLES[cand.kind], MAXIMA[cand.kind], strict=True)):
        score = cand.scores[i]
        if isinstance(score, (int, float)):
            as_text = st["scores"] == "text" or not float(score).is_integer()
            score = f"{num(score)}".replace(".", ",") if as_text else num(score)
        rows.append(
            [
                str(i + 1) if st["stt"] == "text" else i + 1,
                title.split(". ")[0] if len(title) > 160 else title,
                num(cand.form_max.get(i + 1, maximum)),
                score,
                cand.evidence[i],
            ]
        )
    rows.insert(4, [None] * 5)  # a blank row inside the table
    dossier = Dossier(
        {label(k): v for k, v in values.items()},
        rows,
        total=SUM,
        papers=[(PAPERS_B[pid], mark(cand, i)) for i, pid in enumerate(cand.papers)],
        header=[label(h) for h in layouts.HEADER],
        total_max=SUM,
        total_label=label("Tổng cộng"),
        papers_header=[label("Tài liệu"), label("Tình trạng")],
    )
    title = f'PHIẾU THÔNG TIN ĐỀ NGHỊ CÔNG NHẬN ĐIỂN HÌNH "DÂN VẬN KHÉO" NĂM {YEAR}'
    subtitle = f'{KIND_NAMES[cand.kind]} điển hình "Dân vận khéo" năm {YEAR}'
    wb, at = layouts.sheets(
        dossier,
        titles=[("A1:D1", title)],
        score_titles=[("A1:F1", "BẢNG TỰ ĐÁNH GIÁ CHẤM ĐIỂM"), ("A2:F2", subtitle)],
        info_top=3,
        value_col=2,
        gaps={label(g) for g in gaps},
        papers_gap=1,
    )
    ws, scoring = wb.worksheets
    assert at.papers is not None
    if cand.level == "Cơ sở":  # the registration, typed under the papers table
        ws.cell(at.papers.end + 1, 1, "Bản đăng ký xây dựng mô hình")
        ws.cell(at.papers.end + 1, 2, mark(cand, 0))
    ws["A1"].font, ws["A1"].alignment = BOLD, CENTER
    ws.row_dimensions[1].height = 32
    for row in at.info.rows:
        ws.cell(row, 1).font = BOLD
    for col in (1, 2):
        ws.cell(at.papers.top, col).font = BOLD
    for row in at.papers.rows:
        ws.cell(row, 1).alignment = WRAP
    layouts.set_widths(ws, {1: 48, 2: 46, 3: 30})
    layouts.set_font(ws)

    scoring["A1"].font, scoring["A1"].alignment, scoring["A2"].alignment = BOLD, CENTER, CENTER
    layouts.dress_table(at.table)
    row = at.table.end + 2
    place = cand.place[0].upper() + cand.place[1:]
    date = f"ngày {cand.submitted.day:02d} tháng {cand.submitted.month} năm {YEAR}"
    scoring.cell(row, 5, f"{place}, {date}")
    signer = "THỦ TRƯỞNG ĐƠN VỊ" if collective else "NGƯỜI TỰ ĐÁNH GIÁ"
    scoring.cell(row + 1, 5, signer).font = BOLD
    layouts.set_widths(scoring, dict(enumerate((3, 6, 60, 11, 11, 60), start=1)))
    layouts.set_font(scoring)
    layouts.finish(wb, "Van phong " + fold(cand.place).title())
    return wb


def build_c(cand: Candidate) -> Workbook:
    """Layout C: one sheet, the labels across a header row and the values under them."""
    st = cand.style
    values = info(cand, "Ngày nộp")
    if st["dates"] == "serial":  # bare serial numbers, not dates
        for key in ("Ngày đăng ký", "Ngày nộp"):
            values[key] = (values[key] - dt.date(1899, 12, 30)).days
    benefit_col = list(values).index("Giá trị làm lợi (VND)") + 1
    if st.get("upper"):
        values = {k.upper(): v for k, v in values.items()}
    rows = [
        [
            float(i + 1) if st["stt"] == "float" else f"{i + 1:02d}",
            title,
            float(cand.form_max.get(i + 1, maximum)),
            float(score) if isinstance(score, (int, float)) else score,
            cand.evidence[i],
        ]
        for i, (title, maximum, score) in enumerate(
            zip(TITLES[cand.kind], MAXIMA[cand.kind], cand.scores, strict=True)
        )
    ]
    if st.get("total") == "formula":
        total_max = total = SUM
    else:
        total_max = float(sum(r[2] for r in rows))
        scores = [float(s) for s in cand.scores if isinstance(s, (int, float))]
        total = float(cand.declared_total if cand.declared_total is not None else sum(scores))
    dossier = Dossier(
        values,
        rows,
        total=total,
        papers=[(PAPERS[pid], "✓") for pid in cand.papers],
        header=["STT", "TIÊU CHÍ", "Điểm  chuẩn", "ĐIỂM TỰ ĐÁNH GIÁ", "Tài liệu kiểm chứng "],
        total_max=total_max,
        papers_header=["STT", "Thành phần hồ sơ", "Đánh dấu"],
    )
    title = f'HỒ SƠ ĐỀ NGHỊ CÔNG NHẬN ĐIỂN HÌNH "DÂN VẬN KHÉO" NĂM {YEAR}'
    width = len(values)
    wb, at = layouts.header(
        dossier, titles=[(f"A1:{get_column_letter(width)}1", title)], label_row=3, papers_gap=1
    )
    ws = wb.active
    assert at.papers is not None
    ws["A1"].font, ws["A1"].alignment = BOLD, CENTER
    for col, value in enumerate(values.values(), start=1):
        head, cell = ws.cell(at.info.top, col), ws.cell(at.info.end, col)
        head.font, head.alignment, head.border = BOLD, CENTER, BOX
        cell.border, cell.alignment = BOX, WRAP
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"
        if isinstance(value, int) and col == benefit_col:
            cell.number_format = "#,##0"
    ws.row_dimensions[at.info.top].height = 45
    ws.cell(at.table.top - 1, 1, "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM").font = BOLD
    layouts.dress_table(at.table)
    for col in range(1, 4):
        ws.cell(at.papers.top, col).font = BOLD
        ws.cell(at.papers.top, col).border = BOX
    date = f"ngày {cand.submitted.day:02d} tháng {cand.submitted.month} năm {YEAR}"
    ws.cell(at.papers.end + 3, 4, f"Vạn Ninh, {date}")
    widths = dict(enumerate((8, 58, 14, 16, 58), start=1))
    layouts.set_widths(ws, widths | dict.fromkeys(range(6, width + 1), 18))
    ws.freeze_panes = "A5"
    layouts.set_font(ws)
    layouts.finish(wb, "Can bo tong hop")
    return wb


BUILD = {"A": build_a, "B": build_b, "C": build_c}


# --------------------------------------------------------------------------- broken files


def write_broken(out: Path, broken: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The files that are no dossier: a truncated copy, a renamed CSV, an encrypted file."""
    expected: dict[str, dict[str, Any]] = {}
    for entry in broken:
        path = out / entry["file"]
        if "truncate" in entry:
            data = (out / f"{entry['truncate']}.xlsx").read_bytes()
            path.write_bytes(data[: len(data) // 2])
        elif "csv" in entry:
            path.write_bytes("".join(f"{line}\r\n" for line in entry["csv"]).encode("utf-8-sig"))
        else:
            path.write_bytes(
                encrypt((out / f"{entry['encrypt']}.xlsx").read_bytes(), entry["password"])
            )
        expected[entry["file"]] = {
            "valid": False,
            "codes": entry["codes"],
            "defect": entry["defect"],
        }
    return expected


def encrypt(data: bytes, password: str) -> bytes:
    """The workbook encrypted (ECMA-376 agile), with msoffcrypto-tool's salt, keys and OLE
    directory time pinned so that every run gives the same bytes."""
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile
    from msoffcrypto.method import ecma376_agile
    from msoffcrypto.method.container import ecma376_encrypted

    class _FixedNow(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> dt.datetime:
            return layouts.FIXED_DT

    rng = random.Random(2024)
    saved = ecma376_agile._random_buffer, ecma376_encrypted.datetime
    ecma376_agile._random_buffer = lambda size: rng.randbytes(size)
    ecma376_encrypted.datetime = _FixedNow
    try:
        out = io.BytesIO()
        OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    finally:
        ecma376_agile._random_buffer, ecma376_encrypted.datetime = saved
    assert msoffcrypto.OfficeFile(io.BytesIO(out.getvalue())).is_encrypted()
    return out.getvalue()


def lock_file(user: str) -> bytes:
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
        "valid": all(code in WARNINGS for code in cand.codes),
        "total": cand.total,
        "codes": sorted(cand.codes),
        "name": cand.name,
    }
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
    args = parser.parse_args(argv)
    candidates = load_candidates()
    out: Path = args.root / "2024"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    files: dict[str, dict[str, Any]] = {}
    for cand in candidates:
        layouts.save(BUILD[cand.layout](cand), out / f"{cand.file}.xlsx")
        files[f"{cand.file}.xlsx"] = expected_entry(cand)
    files |= write_broken(out, DATA["broken"])
    lock = DATA["lock"]
    (out / lock["file"]).write_bytes(lock_file(lock["user"]))
    # The history workbook sits beside the intake (for `danvan history import` and the demo);
    # it is no dossier, and `danvan validate samples/` says so.
    files |= make_history.write(args.root)
    write_expected(args.root / "expected.yaml", dict(sorted(files.items())), [lock["file"]])
    n_valid = sum(1 for e in files.values() if e["valid"])
    print(f"{len(files)} files in {out} ({n_valid} valid), 1 lock file")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
