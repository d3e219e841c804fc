"""The canonical blank dossier form (`danvan template`), built from the rubric and the plan.

Its labels are the reader's contract (labels.yaml), so a copy filled in by following them
validates clean. Input cells are unlocked and validated; everything else is locked.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl.styles import Alignment, Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from danvan_cli.config.load import Config
from danvan_cli.config.rubric import KINDS, Kind
from danvan_cli.i18n.catalog import t
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

_INPUT = Protection(locked=False)


def _validation(ws: Worksheet, ref: str, kind: str, prompt: str, lang: str, **kw: object) -> None:
    dv = DataValidation(
        type=None if kind == "any" else kind,
        allow_blank=True,
        showInputMessage=True,
        promptTitle=t("form.prompt_title", lang),
        prompt=prompt[:255],
        showErrorMessage=kind != "any",
        errorTitle=t("form.error_title", lang),
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


def write_template(
    path: Path, kind: Kind, level: str, config: Config, on: dt.date, lang: str = "vi"
) -> None:
    """Write the blank form for `kind` at the plan's `level`, for dossiers made on `on` (the
    achievement-report form in force then)."""
    kind_id = kind
    rubric = config.rubric(kind_id)
    plan = config.plan
    lv = plan.level(level)
    info = labels().info
    form, reference = plan.achievement_form(on)

    wb = new_workbook(config, None)
    ws = wb.active
    ws.title = t("form.sheet", lang)
    for letter, width in zip("ABCDE", (7, 62, 11, 12, 52), strict=True):
        ws.column_dimensions[letter].width = width

    for row, text in ((1, t("motto.country", lang)), (2, t("motto.slogan", lang))):
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=5)
        cell = set_text(ws, row, 3, text)
        cell.font = Font(name=FONT, size=12, bold=True, underline="single" if row == 2 else None)
        cell.alignment = Alignment(horizontal="center")
    for row, text, size in (
        (4, t("form.title", lang), 14),
        (
            5,
            t(
                "form.subtitle",
                lang,
                who=t(f"form.for_{kind_id}", lang),
                level=lv.name,
                plan=plan.cited_as,
            ),
            11,
        ),
        (
            6,
            t("form.attached", lang, form=form, reference=reference),
            11,
        ),
    ):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        cell = set_text(ws, row, 1, text)
        cell.font = Font(name=FONT, size=size, bold=size == 14, italic=size != 14)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.row_dimensions[row].height = 30 if size == 14 else 18

    row = 8
    _section(ws, row, t("form.section_info", lang))
    row += 1
    # the labels a collective's and a person's form use (labels.yaml: name and unit)
    name_label = info["name"].labels[0 if kind_id == "collective" else 1]
    unit_label = info["unit"].labels[0 if kind_id == "collective" else 2]
    words = labels().words  # the values the reader knows, in the language of the form
    kind_names = [words[k] for k in KINDS]
    yes_no = [words["yes"], words["no"]]
    # R4: only a level whose dossier cites the lower level's decision asks for it
    cites = lv.requires.cite_lower_decision
    lower = plan.level(lv.requires.lower_level or lv.id).called.lower()
    registration, submission = plan.deadlines["registration"], plan.deadlines["submission"]
    fields = [lab.name for lab in plan.fields]
    level_names = [x.name for x in plan.levels]
    rows: list[tuple[str, object, str, dict[str, object]]] = [
        (
            info["year"].label,
            None,
            t("form.prompt_year", lang),
            {"kind": "whole", "operator": "between", "formula1": "2000", "formula2": "2100"},
        ),
        (
            info["kind"].label,
            words[kind_id],
            t("form.prompt_kind", lang),
            {"kind": "list", "formula1": _list(kind_names)},
        ),
        (name_label, None, t("form.prompt_name", lang), {}),
    ]
    if kind_id == "individual":
        rows.append((info["position"].label, None, t("form.prompt_position", lang), {}))
    rows += [
        (unit_label, None, t("form.prompt_unit", lang), {}),
        (info["model"].label, None, t("form.prompt_model", lang), {}),
        (
            info["field"].label,
            None,
            t("form.prompt_field", lang),
            {"kind": "list", "formula1": _list(fields)},
        ),
        (info["period"].label, None, t("form.prompt_period", lang), {}),
        (
            info["registered_on"].label,
            None,
            t(
                "form.prompt_registered",
                lang,
                date=f"{registration.day:02d}/{registration.month:02d}",
            ),
            {"kind": "date", "operator": "between", "formula1": "36526", "formula2": "73051"},
        ),
        (
            info["submitted_on"].label,
            None,
            t("form.prompt_submitted", lang, date=f"{submission.day:02d}/{submission.month:02d}"),
            {"kind": "date", "operator": "between", "formula1": "36526", "formula2": "73051"},
        ),
        (
            info["level"].label,
            lv.name,
            t("form.prompt_level", lang),
            {"kind": "list", "formula1": _list(level_names)},
        ),
        (
            info["benefit"].label,
            None,
            t("form.prompt_benefit", lang),
            {"kind": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"},
        ),
    ]
    if cites:
        rows.append(
            (
                info["lower_decision"].label,
                None,
                t("form.prompt_lower_decision", lang, lower=lower),
                {},
            )
        )
    for key in ("difficult", "wide_influence", "grassroots"):  # R10: the plan's priorities
        if key not in plan.tie_break.flags:
            continue
        rows.append(
            (
                info[key].label,
                None,
                t("form.prompt_flag", lang),
                {"kind": "list", "formula1": _list(yes_no)},
            )
        )
    if "women" in plan.tie_break.flags:  # R14: the data the women's priority is read from
        if kind_id == "individual":
            gender = _list([words["female"], words["male"]])
            rows.append(
                (
                    info["gender"].label,
                    None,
                    t("form.prompt_gender", lang),
                    {"kind": "list", "formula1": gender},
                )
            )
        else:
            rows.append(
                (
                    info["women_ratio"].label,
                    None,
                    t("form.prompt_women_ratio", lang, ratio=plan.tie_break.women_ratio),
                    {"kind": "decimal", "operator": "between", "formula1": "0", "formula2": "100"},
                )
            )
    for label, value, prompt, rule in rows:
        _label(ws, row, label)
        ref = _input(ws, row, 3, 5, value)
        if rule:
            rule = dict(rule)
            _validation(ws, ref, str(rule.pop("kind")), prompt, lang, **rule)
        else:
            _validation(ws, ref, "any", prompt, lang)
        if label in (info["registered_on"].label, info["submitted_on"].label):
            ws[ref].number_format = "dd/mm/yyyy"
        if label == info["benefit"].label:
            ws[ref].number_format = "#,##0"
        row += 1

    row += 1
    _section(ws, row, t("form.section_scores", lang))
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
        _validation(
            ws,
            score,
            "decimal",
            t("form.prompt_score", lang, max=crit.max, need=rubric.threshold(crit)),
            lang,
            operator="between",
            formula1="0",
            formula2=f"{crit.max:g}",
            error=t("form.error_score", lang, max=crit.max),
        )
        evidence = _input(ws, row, 5, 5)
        ws[evidence].alignment = Alignment(vertical="top", wrap_text=True)
        _validation(ws, evidence, "any", t("form.prompt_evidence", lang, hint=crit.evidence), lang)
        ws.row_dimensions[row].height = max(30, 15 * (len(crit.title) // 55 + 1))
    last = row
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    total_label = set_text(ws, row, 1, labels().total_label)
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
    _section(ws, row, t("form.section_papers", lang, level=lv.called.upper(), copies=lv.copies))
    row += 1
    heads = (t("form.papers_no", lang), labels().papers_label, t("form.papers_mark", lang))
    for col, text in enumerate(heads, start=1):
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
        _validation(ws, mark, "any", t("form.prompt_mark", lang), lang)

    row += 3
    for col, text in ((2, t("form.sign_head", lang)), (5, t("form.sign_maker", lang))):
        cell = set_text(ws, row, col, text)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = Alignment(horizontal="center")

    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    setup_print(ws, landscape=False)
    save_atomic(wb, path)
