"""The command line: a thin Typer layer over the library. The only module importing typer."""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

# danvan uses no pydantic plugin; skipping their discovery saves start-up time (bench/).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer

from danvan_cli import __version__
from danvan_cli.errors import ConfigError, DanvanError, UsageError

if TYPE_CHECKING:
    from danvan_cli.rubric import Config
    from danvan_cli.workspace import Workspace

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
register_app = typer.Typer(
    help="Sổ theo dõi (.danvan/register.sqlite): kiểm tra.", no_args_is_help=True
)
app.add_typer(register_app, name="register")
history_app = typer.Typer(help="Lịch sử công nhận: nhập, xuất, xem.", no_args_is_help=True)
app.add_typer(history_app, name="history")


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
WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        envvar="DANVAN_WORKSPACE",
        help="Thư mục không gian làm việc (mặc định: thư mục hiện tại hoặc thư mục cha có danvan.yaml).",
        file_okay=False,
    ),
]
_debug = {"on": False}


def _fail(exc: DanvanError, lang: str) -> NoReturn:
    from danvan_cli import console
    from danvan_cli.i18n import t

    lines = getattr(exc, "lines", None)
    console.error(t(exc.key, lang, **exc.params), lines)
    raise typer.Exit(exc.exit_code)


def _load(plan: Path | None, lang: str) -> Config:
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
) -> None:
    """Kiểm tra hồ sơ theo bảng tiêu chí và kế hoạch; không thay đổi tệp nào (trừ --report).

    Mã thoát: 0 tất cả hồ sơ đạt (có thể có cảnh báo); 1 có hồ sơ không đạt; 2 lỗi sử dụng.
    """
    from danvan_cli import console
    from danvan_cli.i18n import t
    from danvan_cli.validate import discover, is_danvan_output, validate_many

    config = _load(plan, lang.value)
    try:
        files = discover(paths)
        if report is not None and report.exists():
            if report.resolve() in {f.resolve() for f in files} and not is_danvan_output(report):
                raise UsageError("validate.report_is_input", path=str(report))
            files = discover(paths, skip=[report])  # last run's report is no dossier
        if report is not None and not report.parent.resolve().is_dir():
            raise UsageError("output.no_folder", path=str(report.parent))
    except UsageError as exc:
        _fail(exc, lang.value)
    if not files:
        console.error(t("validate.none", lang.value))
        raise typer.Exit(2)
    from danvan_cli.validate import Report

    show_bar = len(files) >= 20 and console.err.is_terminal
    with console.progress(len(files), t("validate.progress", lang.value), show_bar) as step:
        reports = validate_many(files, config, jobs=jobs, progress=step)
    result = Report(files=reports, provenance=config.provenance())
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
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
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
    if target.exists() and not force:
        _fail(UsageError("template.exists", path=str(target)), lang.value)
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


def _workspace(path: Path | None, lang: str) -> tuple[Workspace, Config]:
    from danvan_cli import workspace

    try:
        ws = workspace.find(path)
        return ws, ws.config()
    except DanvanError as exc:
        _fail(exc, lang)


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
    from danvan_cli import console, workspace
    from danvan_cli.i18n import t

    try:
        ws, created = workspace.init(directory, plan)
        config = ws.config()
    except DanvanError as exc:
        _fail(exc, lang.value)
    key = "workspace.created" if created else "workspace.exists"
    console.message(t(key, lang.value, path=str(ws.root)))
    year = dt.date.today().year
    console.message(
        t(
            "workspace.next",
            lang.value,
            dossiers=str(ws.dossiers(year)),
            year=year,
            level=config.plan.default_level,
        )
    )


@app.command()
def rank(
    year: Annotated[int, typer.Option("--year", help="Năm xét (hồ sơ trong ho-so/<năm>/).")],
    level: Annotated[
        str, typer.Option("--level", help="Cấp xét: co-so, huyen, tinh (hoặc tên cấp).")
    ],
    kind: Annotated[
        KindOpt | None,
        typer.Option("--kind", help="Chỉ xét tập thể (collective) hoặc cá nhân (individual)."),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="table: bảng cho người đọc; json: một tài liệu JSON.")
    ] = Format.table,
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
    workspace_dir: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Xét chọn trong chỉ tiêu: điều kiện, xếp hạng, bảng tổng hợp và danh sách không đủ điều kiện.

    Mã thoát: 0 không có hồ sơ nào bị loại; 1 có hồ sơ không đủ điều kiện; 2 lỗi sử dụng.
    """
    from danvan_cli import console
    from danvan_cli.award import build_pool, pool_summary, resolve_level
    from danvan_cli.i18n import t
    from danvan_cli.outputs import guard_file
    from danvan_cli.rank_xlsx import write_ranking
    from danvan_cli.recognize import has_decisions
    from danvan_cli.register import Register

    ws, config = _workspace(workspace_dir, lang.value)
    try:
        lv = resolve_level(config, level)
        with Register.open(ws.register_path) as register:
            total = len(list(ws.dossiers(year).rglob("*"))) if ws.dossiers(year).is_dir() else 0
            with console.progress(
                total, t("validate.progress", lang.value), total >= 20 and console.err.is_terminal
            ) as step:
                pool, changed = build_pool(ws, config, register, year, lv, step)
            if kind is not None:
                pool.members = [m for m in pool.members if m.entry.kind in (kind.value, None)]
            suffix = f"-{kind.value}" if kind is not None else ""
            target = (
                output or ws.outputs / str(year) / f"tong-hop-xet-chon-{lv.id}-{year}{suffix}.xlsx"
            )
            if output is None:
                target.parent.mkdir(parents=True, exist_ok=True)
            guard_file(target, ws)
            if target.exists() and not force and has_decisions(target):
                raise UsageError("rank.has_decisions", path=str(target))
            write_ranking(pool, target, lang.value)
            if changed:
                with register.transaction():
                    register.audit(
                        "rank",
                        {
                            "year": year,
                            "level": lv.id,
                            "files": dict((p, h) for p, h in pool.inputs),
                        },
                        {"workbook": str(target)},
                    )
    except DanvanError as exc:
        _fail(exc, lang.value)
    if fmt is Format.json:
        console.print_json(pool_summary(pool, lang.value))
    else:
        console.print_pool(pool, lang.value)
    console.message(t("rank.written", lang.value, path=str(target)))
    raise typer.Exit(1 if any(m.entry.status == "ineligible" for m in pool.members) else 0)


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
    workspace_dir: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Ghi nhận các dòng Hội đồng ghi "Đồng ý" vào sổ theo dõi, theo số và ngày quyết định."""
    from danvan_cli import console
    from danvan_cli.i18n import t
    from danvan_cli.parse import to_date
    from danvan_cli.recognize import recognize as run
    from danvan_cli.register import Register

    if not decision.strip():
        _fail(UsageError("recognize.need_decision"), lang.value)
    when = to_date(date)
    if when is None:
        _fail(UsageError("recognize.bad_date", date=date), lang.value)
    if allow_over_quota and not reason.strip():
        _fail(UsageError("recognize.need_reason"), lang.value)
    if not workbook.is_file():
        _fail(UsageError("usage.path_not_found", path=str(workbook)), lang.value)
    ws, config = _workspace(workspace_dir, lang.value)
    try:
        with Register.open(ws.register_path) as register:
            outcome, _ = run(
                ws,
                config,
                register,
                workbook,
                decision.strip(),
                when,
                allow_over_quota,
                reason.strip(),
                ad_hoc,
            )
    except DanvanError as exc:
        _fail(exc, lang.value)
    level = outcome.level.name.lower()
    if outcome.added:
        console.message(
            t(
                "recognize.added",
                lang.value,
                count=len(outcome.added),
                level=level,
                year=outcome.year,
            )
        )
        for kind, name, unit in outcome.added:
            console.message(f"  - {t(f'kind.{kind}', lang.value)}: {name} — {unit}")
    if outcome.already:
        console.message(t("recognize.already", lang.value, count=len(outcome.already)))
    for _kind, name, unit, existing in outcome.conflicts:
        console.error(
            t(
                "recognize.conflict",
                lang.value,
                name=name,
                unit=unit,
                level=level,
                year=outcome.year,
                existing=existing,
            )
        )
    if not (outcome.added or outcome.already or outcome.conflicts):
        console.message(t("recognize.none", lang.value))
    raise typer.Exit(1 if outcome.conflicts else 0)


@app.command()
def export(
    for_province: Annotated[
        bool,
        typer.Option(
            "--for-province", help="Lập bộ hồ sơ đề nghị cấp tỉnh (cấp cao nhất của kế hoạch)."
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
            help="Thư mục bộ hồ sơ (mặc định: ket-qua/<năm>/de-nghi-cap-tinh-<năm>/).",
            file_okay=False,
        ),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            help='Bảng xét chọn cấp tỉnh có cột "Quyết định của Hội đồng" đã ghi (cần khi có bằng điểm).',
            dir_okay=False,
        ),
    ] = None,
    workspace_dir: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Lập bộ hồ sơ đề nghị cấp tỉnh: bảng kê, bản sao hồ sơ gốc, danh mục tệp kèm SHA-256."""
    from danvan_cli import console
    from danvan_cli.award import build_pool
    from danvan_cli.export import MANIFEST, build_package, chosen, council_choice, slug, top_level
    from danvan_cli.i18n import t
    from danvan_cli.outputs import guard_folder
    from danvan_cli.register import Register

    if not for_province:
        _fail(UsageError("export.need_target"), lang.value)
    ws, config = _workspace(workspace_dir, lang.value)
    if year is None:
        folder = ws.root / "ho-so"
        years = (
            [
                int(p.name)
                for p in folder.iterdir()
                if p.is_dir() and p.name.isdigit() and any(p.iterdir())
            ]
            if folder.is_dir()
            else []
        )
        if not years:
            _fail(UsageError("export.no_year", path=str(folder)), lang.value)
        year = max(years)
    level = top_level(config)
    target = output or ws.outputs / str(year) / f"de-nghi-cap-{slug(level.name)}-{year}"
    try:
        guard_folder(target, ws, MANIFEST)
        with Register.open(ws.register_path) as register:
            pool, _ = build_pool(ws, config, register, year, level)
            agreed = None
            if decisions is not None:
                agreed = council_choice(ws, config, decisions, year, level)
            tied = [m for m in pool.members if m.entry.status == "tie"]
            if tied and agreed is None:
                console.error(
                    t("export.ties", lang.value, level=level.name.lower()),
                    [str(m.report.info("name")) for m in tied],
                )
                raise typer.Exit(1)
            if not chosen(pool, agreed):
                console.error(t("export.none", lang.value, level=level.name.lower(), year=year))
                raise typer.Exit(1)
            package = build_package(pool, register, ws.root, target, lang.value, agreed)
            with register.transaction():
                register.audit(
                    "export",
                    {"year": year, "level": level.id},
                    {"folder": str(package.folder), "files": {n: h for n, h, _ in package.files}},
                )
    except DanvanError as exc:
        _fail(exc, lang.value)
    console.message(
        t(
            "export.written",
            lang.value,
            level=level.name.lower(),
            path=str(package.folder),
            files=len(package.files) + 1,
        )
    )
    console.message(t("export.proposed", lang.value))
    for m in package.proposed:
        console.message(
            f"  - {t(f'kind.{m.entry.kind}', lang.value)}: {m.report.info('name')} — {m.report.info('unit')}"
        )
    if package.refused:
        console.message(t("export.refused", lang.value))
        for m in package.refused:
            why = " ".join(f.message(lang.value) for f in m.findings if f.is_error) or t(
                f"status.{m.entry.status}", lang.value
            )
            console.message(f"  - {m.report.info('name')}: {why}")


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
    """Chạy thử cả năm trên bộ hồ sơ mẫu: kiểm tra, xét chọn, Hội đồng, ghi nhận, đề nghị cấp tỉnh."""
    import tempfile

    from danvan_cli import console
    from danvan_cli.demo import run_demo

    folder = directory or Path(tempfile.mkdtemp(prefix="danvan-demo-"))
    try:
        run_demo(folder, lang.value, console.message)
    except DanvanError as exc:
        _fail(exc, lang.value)


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
    fmt: Annotated[
        Format, typer.Option("--format", help="table: bảng cho người đọc; json: một tài liệu JSON.")
    ] = Format.table,
    workspace_dir: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Báo cáo kết quả năm (--year) hoặc giai đoạn (--from … --to …), có biểu đồ."""
    from danvan_cli import console
    from danvan_cli.annual import phase_figures
    from danvan_cli.annual_xlsx import write_annual
    from danvan_cli.i18n import t
    from danvan_cli.outputs import guard_file
    from danvan_cli.register import Register

    if year is not None and first is None and last is None:
        first = last = year
    if first is not None and last is not None and first > last:
        _fail(UsageError("annual.bad_range", first=first, last=last), lang.value)
    if first is None or last is None or (year is not None and first != last):
        _fail(UsageError("annual.need_year"), lang.value)
    ws, config = _workspace(workspace_dir, lang.value)
    name = (
        f"bao-cao-ket-qua-{first}.xlsx" if first == last else f"bao-cao-ket-qua-{first}-{last}.xlsx"
    )
    target = output or ws.outputs / name
    try:
        if output is None:
            target.parent.mkdir(parents=True, exist_ok=True)
        guard_file(target, ws)
        with Register.open(ws.register_path) as register:
            figures = phase_figures(ws, config, register, first, last)
        write_annual(figures, config, target, lang.value)
    except DanvanError as exc:
        _fail(exc, lang.value)
    if fmt is Format.json:
        console.print_json(
            {"provenance": config.provenance(), "years": [f.as_dict() for f in figures]}
        )
    else:
        for f in figures:
            recognized = sum(n for kinds in f.recognitions.values() for n in kinds.values())
            if not f.has_dossiers:
                console.out.print(
                    t("annual.no_folder", lang.value, year=f.year, recognized=recognized)
                )
                continue
            console.out.print(
                t(
                    "annual.summary",
                    lang.value,
                    year=f.year,
                    dossiers=f.dossiers,
                    valid=f.valid,
                    invalid=f.invalid,
                    recognized=recognized,
                )
            )
    console.message(t("annual.written", lang.value, path=str(target)))


@history_app.command("import")
def history_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="Tệp Excel: Năm | Cấp | Loại | Tên | Đơn vị | Số quyết định | Ngày quyết định."
        ),
    ],
    workspace_dir: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Nhập các lượt công nhận của những năm trước vào sổ theo dõi."""
    from danvan_cli import console
    from danvan_cli.history import import_history
    from danvan_cli.i18n import t
    from danvan_cli.register import Register

    if not file.is_file():
        _fail(UsageError("usage.path_not_found", path=str(file)), lang.value)
    ws, config = _workspace(workspace_dir, lang.value)
    try:
        with Register.open(ws.register_path) as register:
            result = import_history(register, config, file)
    except DanvanError as exc:
        _fail(exc, lang.value)
    console.message(t("history.imported", lang.value, added=result.added, same=result.same))
    if result.warnings:
        console.message(t("history.near", lang.value))
        for line in result.warnings:
            console.message(f"  {line}")
    if result.conflicts:
        console.error(t("history.conflicts", lang.value), result.conflicts)
    raise typer.Exit(1 if result.conflicts else 0)


@history_app.command("export")
def history_export(
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Tệp .xlsx (mặc định: ket-qua/lich-su-cong-nhan.xlsx)."
        ),
    ] = None,
    workspace_dir: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Xuất toàn bộ lượt công nhận (cùng các cột để nhập ở nơi khác)."""
    from danvan_cli import console
    from danvan_cli.history import export_history
    from danvan_cli.i18n import t
    from danvan_cli.outputs import guard_file
    from danvan_cli.register import Register

    ws, config = _workspace(workspace_dir, lang.value)
    target = output or ws.outputs / "lich-su-cong-nhan.xlsx"
    try:
        guard_file(target, ws)
        with Register.open(ws.register_path) as register:
            count = export_history(register, config, target, lang.value)
    except DanvanError as exc:
        _fail(exc, lang.value)
    console.message(t("history.exported", lang.value, count=count, path=str(target)))


@history_app.command("show")
def history_show(
    name: Annotated[
        str | None, typer.Option("--name", help="Chỉ hiện tên hoặc đơn vị có chứa chữ này.")
    ] = None,
    workspace_dir: WorkspaceOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """In các lượt công nhận trong sổ theo dõi."""
    from danvan_cli import console
    from danvan_cli.history import HEADERS, export_rows
    from danvan_cli.i18n import t
    from danvan_cli.register import Register
    from danvan_cli.textnorm import fold

    ws, config = _workspace(workspace_dir, lang.value)
    try:
        with Register.open(ws.register_path) as register:
            recs = register.recognitions()
    except DanvanError as exc:
        _fail(exc, lang.value)
    if name:
        needle = fold(name)
        recs = [
            r for r in recs if needle in fold(r.candidate.name) or needle in fold(r.candidate.unit)
        ]
    if not recs:
        console.message(t("history.empty", lang.value))
        return
    console.print_rows(HEADERS, export_rows(recs, config))


@register_app.command("check")
def register_check(workspace_dir: WorkspaceOpt = None, lang: LangOpt = Lang.vi) -> None:
    """Kiểm tra sổ theo dõi: toàn vẹn của SQLite và các ràng buộc của danvan."""
    from danvan_cli import console
    from danvan_cli.i18n import t
    from danvan_cli.register import Register, check

    ws, config = _workspace(workspace_dir, lang.value)
    identity = config.plan.identity()
    try:
        with Register.open(ws.register_path) as register:
            result = check(register, {lv.id for lv in config.plan.levels}, identity.key)
    except DanvanError as exc:
        _fail(exc, lang.value)
    console.message(t("register.counts", lang.value, path=str(ws.register_path), **result.counts))
    if result.notes:
        console.message(
            t("register.notes", lang.value),
        )
        for line in result.notes:
            console.message(f"  {line}")
    if result.problems:
        console.error(t("register.problems", lang.value), result.problems)
        raise typer.Exit(1)
    console.message(t("register.ok", lang.value))


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


def _usage_message(exc: Exception, lang: str) -> str:
    """Typer's own usage errors (English) told in the user's language."""
    import re

    from danvan_cli.i18n import t

    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    name = (getattr(param, "opts", None) or [getattr(param, "name", "")])[0] if param else ""
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if kind == "NoSuchOption":
        return t("usage.no_option", lang, option=getattr(exc, "option_name", text))
    if kind == "MissingParameter":
        what = getattr(param, "help", None) or name
        return t("usage.missing", lang, param=name if name.startswith("-") else what)
    if kind == "BadParameter":
        choices = getattr(getattr(param, "type", None), "choices", None)
        if not choices:
            found = re.findall(r"'([^']+)'", text.split("is not one of", 1)[-1])
            choices = found if "is not one of" in text else None
        if not choices:
            if "integer" in text:
                return t("usage.bad_number", lang, param=name)
            return t("usage.bad_value_plain", lang, param=name)
        return t("usage.bad_value", lang, param=name, choices=", ".join(str(c) for c in choices))
    command = re.search(r"No such command '([^']+)'", text)
    if command:
        return t("usage.no_command", lang, command=command.group(1))
    return t("usage.other", lang, detail=text)


def main() -> None:
    """Entry point: run the app; an unexpected error is a short message, not a traceback;
    a usage error is said in Vietnamese (or English with --lang en) with exit code 2."""
    if not os.environ.get("DANVAN_DEBUG"):
        os.environ["RUST_BACKTRACE"] = "0"  # calamine's rare panics: one line, not a backtrace
    args = sys.argv[1:]
    lang = "en" if os.environ.get("DANVAN_LANG") == "en" else "vi"
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in ("vi", "en"):
            lang = args[i + 1]
        elif arg in ("--lang=en", "--lang=vi"):
            lang = arg.split("=", 1)[1]
    try:
        code = typer.main.get_command(app).main(
            args=args, prog_name="danvan", standalone_mode=False
        )
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    except Exception as exc:
        if type(exc).__name__ in (
            "UsageError",
            "BadParameter",
            "MissingParameter",
            "NoSuchOption",
            "BadOptionUsage",
            "BadArgumentUsage",
            "NoArgsIsHelpError",
        ):
            if type(exc).__name__ == "NoArgsIsHelpError":
                exc.show()  # type: ignore[attr-defined]
                sys.exit(2)
            from danvan_cli import console
            from danvan_cli.i18n import t

            ctx = getattr(exc, "ctx", None)
            console.error(_usage_message(exc, lang))
            path = ctx.command_path if ctx is not None else "danvan"
            console.message(t("usage.see_help", lang, command=path))
            sys.exit(2)
        if type(exc).__name__ == "Abort":
            sys.exit(1)
        if _debug["on"] or os.environ.get("DANVAN_DEBUG"):
            raise
        sys.stderr.write(
            "danvan gặp lỗi ngoài dự kiến (lỗi của chương trình, không phải của hồ sơ). "
            "Chạy lại với --debug và gửi nội dung hiển thị cho nhóm phát triển.\n"
        )
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
