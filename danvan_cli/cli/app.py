"""The command line: options → one use-case call → the result printed by the console.

The only module (with options.py and handler.py) that imports typer; no rule lives here.
Errors are never caught here: `handler.DanvanGroup` turns them into messages and exit codes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

# danvan uses no pydantic plugin; skipping their discovery saves start-up time (bench/).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from danvan_cli import __version__
from danvan_cli.cli.handler import DanvanGroup
from danvan_cli.cli.options import Format, FormatOpt, KindOpt, Lang, LangOpt, PlanOpt, WorkspaceOpt

app = typer.Typer(
    name="danvan",
    cls=DanvanGroup,
    help='danvan — kiểm tra, chấm điểm và tổng hợp hồ sơ thi đua "Dân vận khéo".',
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rubric_app = typer.Typer(help="Xem hoặc kiểm tra kế hoạch và bảng tiêu chí.", no_args_is_help=True)
app.add_typer(rubric_app, name="rubric")
register_app = typer.Typer(
    help="Sổ theo dõi (.danvan/register.sqlite): kiểm tra.", no_args_is_help=True
)
app.add_typer(register_app, name="register")
history_app = typer.Typer(help="Lịch sử công nhận: nhập, xuất, xem.", no_args_is_help=True)
app.add_typer(history_app, name="history")


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


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Tệp hồ sơ (.xlsx, .xlsm, .xls, .ods) hoặc thư mục chứa hồ sơ."),
    ],
    fmt: FormatOpt = Format.table,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Ghi báo cáo kiểm tra hồ sơ (tệp .xlsx) để in và gửi đơn vị."
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            help="Số tiến trình song song (0: tự chọn theo số lõi khi có nhiều hồ sơ).",
            min=0,
        ),
    ] = 0,
    lang: LangOpt = Lang.vi,
    plan: PlanOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Kiểm tra hồ sơ theo bảng tiêu chí và kế hoạch; không thay đổi tệp nào (trừ --report).

    Mã thoát: 0 tất cả hồ sơ đạt (có thể có cảnh báo); 1 có hồ sơ không đạt; 2 lỗi sử dụng.
    """
    from danvan_cli.cli import console
    from danvan_cli.i18n.catalog import t
    from danvan_cli.usecases.context import context
    from danvan_cli.usecases.validate import validate as run

    with console.progress(t("validate.progress", lang.value)) as step:
        outcome = run(context(plan, workspace), paths, report, jobs, step, lang.value)
    console.print_validate(outcome, fmt.value, lang.value)
    raise typer.Exit(outcome.exit_code)


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
        typer.Option("--level", help="Cấp đề nghị khen thưởng (mặc định theo kế hoạch)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
    lang: LangOpt = Lang.vi,
    plan: PlanOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Ghi mẫu hồ sơ trống (bản tự chấm điểm) để các đơn vị điền."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import context
    from danvan_cli.usecases.template import template as run

    outcome = run(context(plan, workspace), kind.id, output, level, force)
    console.print_template(outcome, lang.value)


@app.command()
def init(
    directory: Annotated[
        Path,
        typer.Argument(help="Thư mục sẽ làm không gian làm việc (mặc định: thư mục hiện tại)."),
    ] = Path("."),
    plan: Annotated[
        str,
        typer.Option("--plan", help="Tên kế hoạch đi kèm danvan hoặc tệp kế hoạch trong thư mục."),
    ] = "van-ninh-2023.yaml",
    lang: LangOpt = Lang.vi,
) -> None:
    """Tạo không gian làm việc: danvan.yaml, ho-so/, ket-qua/ và sổ theo dõi .danvan/."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.workspace import init as run

    console.print_init(run(directory, plan), lang.value)


@app.command()
def rank(
    year: Annotated[int, typer.Option("--year", help="Năm xét (hồ sơ trong ho-so/<năm>/).")],
    level: Annotated[
        str, typer.Option("--level", help="Cấp xét: mã cấp hoặc tên cấp của kế hoạch.")
    ],
    kind: Annotated[
        KindOpt | None,
        typer.Option("--kind", help="Chỉ xét tập thể (collective) hoặc cá nhân (individual)."),
    ] = None,
    fmt: FormatOpt = Format.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Tệp tổng hợp .xlsx (mặc định: ket-qua/<năm>/tong-hop-xet-chon-<cấp>-<năm>.xlsx).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Ghi đè bảng tổng hợp dù Hội đồng đã ghi quyết định vào đó."),
    ] = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Xét chọn trong chỉ tiêu: điều kiện, xếp hạng, bảng tổng hợp và danh sách không đủ điều kiện.

    Mã thoát: 0 không có hồ sơ nào bị loại; 1 có hồ sơ không đủ điều kiện; 2 lỗi sử dụng.
    """
    from danvan_cli.cli import console
    from danvan_cli.i18n.catalog import t
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.rank import rank as run

    ctx = workspace_context(workspace)
    kind_id = kind.id if kind is not None else None
    with console.progress(t("validate.progress", lang.value)) as step:
        outcome = run(ctx, year, level, kind_id, output, force, step, lang.value)
    console.print_rank(outcome, fmt.value, lang.value)
    raise typer.Exit(outcome.exit_code)


@app.command()
def recognize(
    workbook: Annotated[
        Path, typer.Argument(help='Bảng tổng hợp xét chọn đã có cột "Quyết định của Hội đồng".')
    ],
    decision: Annotated[
        str, typer.Option("--decision", help='Số quyết định, ví dụ "123/QĐ-UBND".')
    ],
    date: Annotated[str, typer.Option("--date", help="Ngày quyết định, ví dụ 20/09/2024.")],
    allow_over_quota: Annotated[
        bool, typer.Option("--allow-over-quota", help="Cho phép vượt chỉ tiêu (phải kèm --reason).")
    ] = False,
    reason: Annotated[
        str, typer.Option("--reason", help="Lý do vượt chỉ tiêu, ghi vào nhật ký.")
    ] = "",
    ad_hoc: Annotated[
        bool,
        typer.Option("--ad-hoc", help="Khen thưởng đột xuất: ngoài chỉ tiêu theo kế hoạch (R11)."),
    ] = False,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Ghi nhận các dòng Hội đồng ghi "Đồng ý" vào sổ theo dõi, theo số và ngày quyết định."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.recognize import recognize as run

    outcome = run(
        workspace_context(workspace), workbook, decision, date, allow_over_quota, reason, ad_hoc
    )
    console.print_recognized(outcome, lang.value)
    raise typer.Exit(outcome.exit_code)


@app.command()
def export(
    for_province: Annotated[
        bool,
        typer.Option(
            "--for-province", help="Lập bộ hồ sơ đề nghị cấp trên (cấp cao nhất của kế hoạch)."
        ),
    ] = False,
    year: Annotated[
        int | None, typer.Option("--year", help="Năm (mặc định: năm mới nhất trong ho-so/).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Thư mục bộ hồ sơ (mặc định: ket-qua/<năm>/de-nghi-cap-<cấp>-<năm>/).",
            file_okay=False,
        ),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            help='Bảng xét chọn cấp trên có cột "Quyết định của Hội đồng" đã ghi (cần khi có bằng điểm).',
            dir_okay=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Lập bộ hồ sơ đề nghị cấp trên: bảng kê, bản sao hồ sơ gốc, danh mục tệp kèm SHA-256."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.export import export as run

    outcome = run(workspace_context(workspace), for_province, year, output, decisions, lang.value)
    console.print_export(outcome, lang.value)


@app.command()
def demo(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Thư mục mới hoặc trống cho bản chạy thử (mặc định: một thư mục tạm mới).",
            file_okay=False,
        ),
    ] = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Chạy thử cả năm trên bộ hồ sơ mẫu: kiểm tra, xét chọn, Hội đồng, ghi nhận, đề nghị cấp trên."""
    import tempfile

    from danvan_cli.cli import console
    from danvan_cli.usecases.demo import run_demo

    folder = directory or Path(tempfile.mkdtemp(prefix="danvan-demo-"))
    run_demo(folder, lang.value, console.message)


@app.command()
def report(
    year: Annotated[int | None, typer.Option("--year", help="Năm của báo cáo năm.")] = None,
    first: Annotated[
        int | None, typer.Option("--from", help="Năm đầu của báo cáo giai đoạn.")
    ] = None,
    last: Annotated[
        int | None, typer.Option("--to", help="Năm cuối của báo cáo giai đoạn.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Tệp .xlsx (mặc định: ket-qua/bao-cao-ket-qua-<năm>.xlsx)."
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Báo cáo kết quả năm (--year) hoặc giai đoạn (--from … --to …), có biểu đồ."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.report import report as run

    outcome = run(workspace_context(workspace), year, first, last, output, lang.value)
    console.print_results(outcome, fmt.value, lang.value)


@history_app.command("import")
def history_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="Tệp Excel: Năm | Cấp | Loại | Tên | Đơn vị | Số quyết định | Ngày quyết định."
        ),
    ],
    workspace: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Nhập các lượt công nhận của những năm trước vào sổ theo dõi."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.history import import_history

    outcome = import_history(workspace_context(workspace), file)
    console.print_import(outcome, lang.value)
    raise typer.Exit(outcome.exit_code)


@history_app.command("export")
def history_export(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Tệp .xlsx (mặc định: ket-qua/lich-su-cong-nhan.xlsx)."
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Xuất toàn bộ lượt công nhận (cùng các cột để nhập ở nơi khác)."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.history import export_history

    outcome = export_history(workspace_context(workspace), output, lang.value)
    console.print_history_export(outcome, lang.value)


@history_app.command("show")
def history_show(
    name: Annotated[
        str | None, typer.Option("--name", help="Chỉ hiện tên hoặc đơn vị có chứa chữ này.")
    ] = None,
    workspace: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """In các lượt công nhận trong sổ theo dõi."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.history import show_history

    found, config = show_history(workspace_context(workspace), name)
    console.print_recognitions(found, config, lang.value)


@register_app.command("check")
def register_check(workspace: WorkspaceOpt = None, lang: LangOpt = Lang.vi) -> None:
    """Kiểm tra sổ theo dõi: toàn vẹn của SQLite và các ràng buộc của danvan."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.maintenance import check_register

    ctx = workspace_context(workspace)
    result = check_register(ctx)
    console.print_register_check(result, str(ctx.ws.register_path), lang.value)
    raise typer.Exit(1 if result.problems else 0)


@rubric_app.command("show")
def rubric_show(
    lang: LangOpt = Lang.vi, plan: PlanOpt = None, workspace: WorkspaceOpt = None
) -> None:
    """In kế hoạch (các cấp, chỉ tiêu, thời hạn, thành phần hồ sơ) và hai bảng tiêu chí."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import context

    console.print_rubrics(context(plan, workspace).config, lang.value)


@rubric_app.command("check")
def rubric_check(
    lang: LangOpt = Lang.vi, plan: PlanOpt = None, workspace: WorkspaceOpt = None
) -> None:
    """Kiểm tra kế hoạch và bảng tiêu chí: lỗi thì thoát mã 2; cảnh báo thì vẫn thoát 0."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import context
    from danvan_cli.usecases.maintenance import check_rubrics

    console.print_rubric_check(check_rubrics(context(plan, workspace)), lang.value)
