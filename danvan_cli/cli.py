"""The command line: a thin Typer layer over the library. The only module importing typer."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from danvan_cli import __version__
from danvan_cli.errors import ConfigError, DanvanError, UsageError

app = typer.Typer(
    name="danvan",
    help='danvan — kiểm tra, chấm điểm và tổng hợp hồ sơ thi đua "Dân vận khéo".',
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rubric_app = typer.Typer(help="Xem hoặc kiểm tra kế hoạch và bảng tiêu chí.", no_args_is_help=True)
app.add_typer(rubric_app, name="rubric")


class Lang(str, Enum):
    vi = "vi"
    en = "en"


class Format(str, Enum):
    table = "table"
    json = "json"


class KindOpt(str, Enum):
    collective = "collective"
    individual = "individual"


LangOpt = Annotated[
    Lang,
    typer.Option("--lang", envvar="DANVAN_LANG", help="Ngôn ngữ thông báo: vi (mặc định) hoặc en."),
]
PlanOpt = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        envvar="DANVAN_PLAN",
        help="Tệp kế hoạch YAML (mặc định: rubrics/van-ninh-2023.yaml đi kèm danvan).",
        dir_okay=False,
    ),
]
_debug = {"on": False}


def _fail(exc: DanvanError, lang: str) -> NoReturn:
    from danvan_cli import console
    from danvan_cli.i18n import t

    lines = exc.lines if isinstance(exc, ConfigError) else None
    console.error(t(exc.key, lang, **exc.params), lines)
    raise typer.Exit(exc.exit_code)


def _load(plan: Path | None, lang: str):  # type: ignore[no-untyped-def]
    from danvan_cli.rubric import load_config

    try:
        return load_config(plan)
    except ConfigError as exc:
        _fail(exc, lang)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"danvan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Khi có lỗi ngoài dự kiến, in chi tiết (traceback) để báo lỗi."
        ),
    ] = False,
) -> None:
    """danvan — kiểm tra, chấm điểm và tổng hợp hồ sơ thi đua "Dân vận khéo"."""
    _debug["on"] = debug


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Tệp hồ sơ (.xlsx, .xlsm, .xls, .ods) hoặc thư mục chứa hồ sơ."),
    ],
    fmt: Annotated[
        Format, typer.Option("--format", help="table: bảng cho người đọc; json: một tài liệu JSON.")
    ] = Format.table,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Ghi báo cáo kiểm tra hồ sơ (tệp .xlsx) để in và gửi đơn vị."
        ),
    ] = None,
    lang: LangOpt = Lang.vi,
    plan: PlanOpt = None,
) -> None:
    """Kiểm tra hồ sơ theo bảng tiêu chí và kế hoạch; không thay đổi tệp nào (trừ --report).

    Mã thoát: 0 tất cả hồ sơ đạt (có thể có cảnh báo); 1 có hồ sơ không đạt; 2 lỗi sử dụng.
    """
    from danvan_cli import console
    from danvan_cli.i18n import t
    from danvan_cli.validate import discover, validate_file

    config = _load(plan, lang.value)
    try:
        files = discover(paths)
    except UsageError as exc:
        _fail(exc, lang.value)
    if not files:
        console.error(t("validate.none", lang.value))
        raise typer.Exit(2)
    reports = []
    from danvan_cli.validate import Report

    show_bar = len(files) >= 20 and console.err.is_terminal
    with console.progress(len(files), t("validate.progress", lang.value), show_bar) as step:
        for i, path in enumerate(files):
            reports.append(validate_file(path, config))
            step(i + 1, len(files))
    result = Report(files=reports)
    if fmt is Format.json:
        console.print_json(result.to_dict(lang.value))
    else:
        console.print_validation(result, lang.value)
    if report is not None:
        from danvan_cli.report_xlsx import write_rejection_report

        try:
            write_rejection_report(result, config, report, lang.value)
        except DanvanError as exc:
            _fail(exc, lang.value)
        console.message(t("validate.report_written", lang.value, path=str(report)))
    raise typer.Exit(0 if result.valid else 1)


@app.command()
def template(
    kind: Annotated[
        KindOpt, typer.Option("--kind", help="collective (tập thể) hoặc individual (cá nhân).")
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Tệp .xlsx sẽ ghi (mặc định: mau-ho-so-<loại>.xlsx)."),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option("--level", help="Cấp đề nghị khen thưởng (mặc định theo kế hoạch: huyen)."),
    ] = None,
    lang: LangOpt = Lang.vi,
    plan: PlanOpt = None,
) -> None:
    """Ghi mẫu hồ sơ trống (bản tự chấm điểm) để các đơn vị điền."""
    from danvan_cli import console
    from danvan_cli.i18n import t
    from danvan_cli.parse import choice
    from danvan_cli.template import write_template

    config = _load(plan, lang.value)
    level_id = config.plan.default_level
    if level is not None:
        found = choice(level, {lv.id: [lv.name, *lv.aliases] for lv in config.plan.levels})
        if found is None:
            names = ", ".join(lv.id for lv in config.plan.levels)
            _fail(UsageError("usage.bad_level", level=level, levels=names), lang.value)
        level_id = found
    default_name = (
        "mau-ho-so-tap-the.xlsx" if kind is KindOpt.collective else "mau-ho-so-ca-nhan.xlsx"
    )
    target = output or Path(default_name)
    try:
        write_template(target, kind.value, level_id, config=config)
    except DanvanError as exc:
        _fail(exc, lang.value)
    console.message(
        t(
            "template.written",
            lang.value,
            kind=t(f"kind.{kind.value}", lang.value),
            path=str(target),
        )
    )


@rubric_app.command("show")
def rubric_show(lang: LangOpt = Lang.vi, plan: PlanOpt = None) -> None:
    """In kế hoạch (các cấp, chỉ tiêu, thời hạn, thành phần hồ sơ) và hai bảng tiêu chí."""
    from danvan_cli import console

    console.print_rubrics(_load(plan, lang.value), lang.value)


@rubric_app.command("check")
def rubric_check(lang: LangOpt = Lang.vi, plan: PlanOpt = None) -> None:
    """Kiểm tra kế hoạch và bảng tiêu chí: lỗi thì thoát mã 2; cảnh báo thì vẫn thoát 0."""
    from danvan_cli import console
    from danvan_cli.i18n import t
    from danvan_cli.rubric import lint

    config = _load(plan, lang.value)
    notes = lint(config)
    for key, params in notes:
        console.message(t(key, lang.value, **params))
    console.message(t("rubric.check_ok", lang.value))
    if notes:
        console.message(t("rubric.warnings", lang.value, count=len(notes)))


def main() -> None:
    """Entry point: run the app; an unexpected error is a short message, not a traceback."""
    try:
        app()
    except SystemExit:
        raise
    except Exception:  # a bug: say so plainly; --debug shows the traceback
        if _debug["on"] or os.environ.get("DANVAN_DEBUG"):
            raise
        sys.stderr.write(
            "danvan gặp lỗi ngoài dự kiến (lỗi của chương trình, không phải của hồ sơ). "
            "Chạy lại với --debug và gửi nội dung hiển thị cho nhóm phát triển.\n"
        )
        sys.exit(2)
