"""The canonical blank dossier form (`danvan template`), built from the rubric and the plan.

Its labels are the reader's contract (labels.yaml), so a copy filled in by following them
validates clean. Input cells are unlocked and validated; everything else is locked.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Alignment, Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from danvan_cli.config.load import Config
from danvan_cli.config.rubric import Kind
from danvan_cli.i18n.numbers import fmt_number
from danvan_cli.read.labels import TABLE_KEYS, labels
from danvan_cli.write.document import (
    BORDER,
    FONT,
    HEADER_FILL,
    new_workbook,
    save_atomic,
    set_text,
    setup_print,
)

SHEET = "Bản tự chấm điểm"
TITLE = 'BẢN TỰ ĐÁNH GIÁ CHẤM ĐIỂM ĐIỂN HÌNH "DÂN VẬN KHÉO"'
_KIND_NAME = {"collective": "Tập thể", "individual": "Cá nhân"}
_INPUT = Protection(locked=False)


def _validation(ws: Worksheet, ref: str, kind: str, prompt: str, **kw: object) -> None:
    dv = DataValidation(
        type=None if kind == "any" else kind,
        allow_blank=True,
        showInputMessage=True,
        promptTitle="Hướng dẫn",
        prompt=prompt[:255],
        showErrorMessage=kind != "any",
        errorTitle="Giá trị không hợp lệ",
        **kw,
    )
    dv.add(ref)
    ws.add_data_validation(dv)


def _list(items: list[str]) -> str:
    return '"' + ",".join(items) + '"'


def _label(ws: Worksheet, row: int, text: str, *, bold: bool = False) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    cell = set_text(ws, row, 1, text)
    cell.font = Font(name=FONT, size=12, bold=bold)
    cell.alignment = Alignment(vertical="center", wrap_text=True)


def _input(ws: Worksheet, row: int, col: int, end_col: int, value: object = None) -> str:
    if end_col > col:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=end_col)
    cell = set_text(ws, row, col, value)
    cell.protection = _INPUT
    cell.border = BORDER
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    for c in range(col + 1, end_col + 1):
        ws.cell(row=row, column=c).border = BORDER
    return str(cell.coordinate)


def _section(ws: Worksheet, row: int, text: str) -> None:
    cell = set_text(ws, row, 1, text)
    cell.font = Font(name=FONT, size=12, bold=True)


def write_template(path: Path, kind: Kind, level: str, config: Config) -> None:
    """Write the blank form for `kind` at the plan's `level`."""
    kind_id = kind
    rubric = config.rubric(kind_id)
    plan = config.plan
    lv = plan.level(level)
    info = labels().info

    wb = new_workbook(config)
    ws = wb.active
    ws.title = SHEET
    for letter, width in zip("ABCDE", (7, 62, 11, 12, 52), strict=True):
        ws.column_dimensions[letter].width = width

    for row, text in (
        (1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (2, "Độc lập - Tự do - Hạnh phúc"),
    ):
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
        cell = set_text(ws, row, 3, text)
        cell.font = Font(name=FONT, size=12, bold=True, underline="single" if row == 2 else None)
        cell.alignment = Alignment(horizontal="center")
    for row, text, size in (
        (4, TITLE, 14),
        (
            5,
            f"({'Đối với tập thể' if kind_id == 'collective' else 'Đối với cá nhân'}; "
            f"cấp đề nghị: {lv.name}; theo {plan.title.split(' và ')[0]})",
            11,
        ),
        (
            6,
            f"Kèm theo Báo cáo thành tích ({plan.achievement_report.form}, "
            f"{plan.achievement_report.reference})",
            11,
        ),
    ):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        cell = set_text(ws, row, 1, text)
        cell.font = Font(name=FONT, size=size, bold=size == 14, italic=size != 14)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.row_dimensions[row].height = 30 if size == 14 else 18

    row = 8
    _section(ws, row, "I. THÔNG TIN CHUNG")
    row += 1
    name_label = "Tên tập thể" if kind_id == "collective" else "Họ và tên"
    unit_label = "Đơn vị" if kind_id == "collective" else "Đơn vị công tác"
    fields = [lab.name for lab in plan.fields]
    level_names = [x.name for x in plan.levels]
    rows: list[tuple[str, object, str, dict[str, object]]] = [
        (
            info["year"].label,
            None,
            "Năm thi đua, 4 chữ số (ví dụ 2024).",
            {"kind": "whole", "operator": "between", "formula1": "2000", "formula2": "2100"},
        ),
        (
            info["kind"].label,
            _KIND_NAME[kind_id],
            "Chọn Tập thể hoặc Cá nhân.",
            {"kind": "list", "formula1": _list(list(_KIND_NAME.values()))},
        ),
        (name_label, None, "Ghi đầy đủ, đúng như trong quyết định khen thưởng.", {}),
    ]
    if kind_id == "individual":
        rows.append((info["position"].label, None, "Chức vụ hiện nay.", {}))
    rows += [
        (unit_label, None, "Tên đầy đủ của cơ quan, đơn vị, địa phương.", {}),
        (info["model"].label, None, "Tên mô hình, điển hình đã đăng ký.", {}),
        (
            info["field"].label,
            None,
            "Chọn một trong bốn lĩnh vực của kế hoạch.",
            {"kind": "list", "formula1": _list(fields)},
        ),
        (info["period"].label, None, "Ví dụ: 01/2024 - 12/2024.", {}),
        (
            info["registered_on"].label,
            None,
            f"Ngày gửi bản đăng ký (chậm nhất {plan.deadlines['registration'].day:02d}/"
            f"{plan.deadlines['registration'].month:02d}), dạng ngày/tháng/năm.",
            {"kind": "date", "operator": "between", "formula1": "36526", "formula2": "73051"},
        ),
        (
            info["submitted_on"].label,
            None,
            f"Ngày gửi hồ sơ về Ban Dân vận (chậm nhất {plan.deadlines['submission'].day:02d}/"
            f"{plan.deadlines['submission'].month:02d}), dạng ngày/tháng/năm.",
            {"kind": "date", "operator": "between", "formula1": "36526", "formula2": "73051"},
        ),
        (
            info["level"].label,
            lv.name,
            "Cấp đề nghị khen thưởng.",
            {"kind": "list", "formula1": _list(level_names)},
        ),
        (
            info["benefit"].label,
            None,
            "Bắt buộc với mô hình kinh tế: giá trị làm lợi bằng số (đồng).",
            {"kind": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"},
        ),
        (
            info["lower_decision"].label,
            None,
            "Số, ngày quyết định công nhận điển hình cấp cơ sở (ví dụ 25/QĐ-UBND ngày 15/6/2024).",
            {},
        ),
    ]
    for key in ("difficult", "wide_influence", "grassroots"):
        rows.append(
            (
                info[key].label,
                None,
                "Có hoặc Không (dùng để xét ưu tiên khi bằng điểm).",
                {"kind": "list", "formula1": _list(["Có", "Không"])},
            )
        )
    for label, value, prompt, rule in rows:
        _label(ws, row, label)
        ref = _input(ws, row, 3, 5, value)
        if rule:
            rule = dict(rule)
            _validation(ws, ref, str(rule.pop("kind")), prompt, **rule)
        else:
            _validation(ws, ref, "any", prompt)
        if label in (info["registered_on"].label, info["submitted_on"].label):
            ws[ref].number_format = "dd/mm/yyyy"
        if label == info["benefit"].label:
            ws[ref].number_format = "#,##0"
        row += 1

    row += 1
    _section(ws, row, "II. BẢNG TỰ CHẤM ĐIỂM")
    row += 1
    table = labels().table_labels
    for col, key in enumerate(TABLE_KEYS, start=1):
        cell = set_text(ws, row, col, table[key])
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_row = row
    first = row + 1
    for crit in rubric.criteria:
        row += 1
        for col, value in ((1, crit.code), (2, crit.title), (3, float(crit.max))):
            cell = set_text(ws, row, col, value)
            cell.border = BORDER
            cell.alignment = Alignment(
                vertical="top", wrap_text=True, horizontal="center" if col != 2 else None
            )
        score = _input(ws, row, 4, 4)
        ws[score].alignment = Alignment(horizontal="center", vertical="top")
        ws[score].number_format = "0.0#"
        need = float(rubric.threshold(crit))
        _validation(
            ws,
            score,
            "decimal",
            f"Điểm tự chấm từ 0 đến {fmt_number(crit.max, 'vi')} (đạt yêu cầu khi từ {fmt_number(need, 'vi')} trở lên).",
            operator="between",
            formula1="0",
            formula2=f"{crit.max:g}",
            error=f"Điểm phải là số từ 0 đến {crit.max:g}.",
        )
        evidence = _input(ws, row, 5, 5)
        ws[evidence].alignment = Alignment(vertical="top", wrap_text=True)
        _validation(
            ws, evidence, "any", f"Tài liệu kiểm chứng, có số liệu cụ thể. Gợi ý: {crit.evidence}"
        )
        ws.row_dimensions[row].height = max(30, 15 * (len(crit.title) // 55 + 1))
    last = row
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    total_label = set_text(ws, row, 1, "Tổng điểm")
    total_label.font = Font(name=FONT, size=12, bold=True)
    total_label.alignment = Alignment(horizontal="center")
    set_text(ws, row, 3, float(rubric.total)).font = Font(name=FONT, size=12, bold=True)
    total = ws.cell(row=row, column=4, value=f"=SUM(D{first}:D{last})")
    total.font = Font(name=FONT, size=12, bold=True)
    total.number_format = "0.0#"
    for col in range(1, 6):
        ws.cell(row=row, column=col).border = BORDER
    ws.freeze_panes = None
    ws.print_title_rows = f"{header_row}:{header_row}"

    row += 2
    _section(
        ws, row, f"III. THÀNH PHẦN HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG CẤP {lv.name.upper()} ({lv.copies} bộ)"
    )
    row += 1
    for col, text in ((1, "STT"), (2, "Thành phần hồ sơ"), (3, "Có (x) hoặc số, ngày văn bản")):
        if col == 3:
            ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
        cell = set_text(ws, row, col, text)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for i, paper in enumerate(lv.papers, start=1):
        row += 1
        set_text(ws, row, 1, i).border = BORDER
        label = set_text(ws, row, 2, paper.label)
        label.border = BORDER
        label.alignment = Alignment(wrap_text=True)
        mark = _input(ws, row, 3, 5)
        _validation(ws, mark, "any", "Đánh dấu x nếu đã có, hoặc ghi số, ngày văn bản.")

    row += 3
    for col, text in ((2, "XÁC NHẬN CỦA THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ"), (5, "NGƯỜI LẬP BẢN TỰ CHẤM")):
        cell = set_text(ws, row, col, text)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = Alignment(horizontal="center")

    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    setup_print(ws, landscape=False)
    save_atomic(wb, path)
