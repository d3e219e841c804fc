"""The command line: options → one use-case call → the result printed by the console.
Every help text comes from the catalog (`help.*`), in the language of --lang / DANVAN_LANG.

The only module (with options.py and handler.py) that imports typer; no rule lives here.
Errors are never caught here: `handler.DanvanGroup` turns them into messages and exit codes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

# danvan uses no pydantic plugin; skipping their discovery saves start-up time (bench/).
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
if os.environ["PYDANTIC_DISABLE_PLUGINS"] in ("__all__", "1", "true"):
    # pydantic's plugin loader imports importlib.metadata (~10 ms) before it reads that
    # setting; with every plugin disabled its one function answers "none", so say it here.
    import sys
    import types

    if "pydantic.plugin._loader" not in sys.modules:
        _loader = types.ModuleType("pydantic.plugin._loader")
        _loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
        sys.modules["pydantic.plugin._loader"] = _loader

import typer
from typer.core import TyperCommand

from danvan_cli import __version__
from danvan_cli.cli.handler import DanvanCommand, DanvanGroup
from danvan_cli.cli.options import (
    FormatOpt,
    HoldReasonOpt,
    KindOpt,
    LangOpt,
    PlanOpt,
    WorkspaceOpt,
    h,
)

app = typer.Typer(
    name="danvan",
    cls=DanvanGroup,
    help=h("app"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rubric_app = typer.Typer(help=h("rubric_group"), no_args_is_help=True)
app.add_typer(rubric_app, name="rubric")
register_app = typer.Typer(help=h("register_group"), no_args_is_help=True)
app.add_typer(register_app, name="register")
history_app = typer.Typer(help=h("history_group"), no_args_is_help=True)
app.add_typer(history_app, name="history")
papers_app = typer.Typer(help=h("papers_group"), no_args_is_help=True)
app.add_typer(papers_app, name="papers")
hold_app = typer.Typer(help=h("hold_group"), no_args_is_help=True)
app.add_typer(hold_app, name="hold")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"danvan {__version__}")
        raise typer.Exit()


@app.callback(help=h("main_options"))
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=h("main_options.version")),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help=h("main_options.debug")),
    ] = False,
) -> None:
    """The help text is the catalog's help.main_options."""


@app.command(help=h("validate"))
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help=h("validate.arg")),
    ],
    fmt: FormatOpt = "table",
    report: Annotated[
        Path | None,
        typer.Option("--report", help=h("validate.report")),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            help=h("validate.jobs"),
            min=0,
        ),
    ] = 0,
    lang: LangOpt = "vi",
    plan: PlanOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """The help text is the catalog's help.validate."""
    from danvan_cli.cli import console
    from danvan_cli.i18n.catalog import t
    from danvan_cli.usecases.context import context
    from danvan_cli.usecases.validate import validate as run

    ctx = context(plan, workspace)
    with console.progress(t("validate.progress", lang)) as step:
        outcome = run(ctx, paths, report, jobs, step, lang)
    console.print_validate(outcome, fmt, lang)
    console.plan_used(ctx.config, lang)
    raise typer.Exit(outcome.exit_code)


@app.command(help=h("template"))
def template(
    kind: Annotated[KindOpt, typer.Option("--kind", help=h("template.kind"))],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=h("template.output")),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option("--level", help=h("template.level")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=h("template.force"))] = False,
    lang: LangOpt = "vi",
    plan: PlanOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """The help text is the catalog's help.template."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import context
    from danvan_cli.usecases.template import template as run

    ctx = context(plan, workspace)
    outcome = run(ctx, kind, output, level, force, lang)
    console.print_template(outcome, lang)
    console.plan_used(ctx.config, lang)


@app.command(help=h("init"))
def init(
    directory: Annotated[
        Path,
        typer.Argument(help=h("init.arg")),
    ] = Path("."),
    plan: Annotated[
        str | None,
        typer.Option("--plan", help=h("init.plan")),
    ] = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.init."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.workspace import init as run

    outcome = run(directory, plan)
    console.print_init(outcome, lang)
    console.plan_used(outcome.config, lang)


@app.command(help=h("rank"))
def rank(
    year: Annotated[int, typer.Option("--year", help=h("rank.year"))],
    level: Annotated[str, typer.Option("--level", help=h("rank.level"))],
    kind: Annotated[
        KindOpt | None,
        typer.Option("--kind", help=h("rank.kind")),
    ] = None,
    fmt: FormatOpt = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=h("rank.output"),
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help=h("rank.force")),
    ] = False,
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.rank."""
    from danvan_cli.cli import console
    from danvan_cli.i18n.catalog import t
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.rank import rank as run

    ctx = workspace_context(workspace, plan)
    kind_id = kind
    with console.progress(t("validate.progress", lang)) as step:
        outcome = run(ctx, year, level, kind_id, output, force, step, lang)
    console.print_rank(outcome, fmt, lang)
    console.plan_used(ctx.config, lang)
    raise typer.Exit(outcome.exit_code)


@app.command(help=h("recognize"))
def recognize(
    workbook: Annotated[Path, typer.Argument(help=h("recognize.arg"))],
    decision: Annotated[str, typer.Option("--decision", help=h("recognize.decision"))],
    date: Annotated[str, typer.Option("--date", help=h("recognize.date"))],
    allow_over_quota: Annotated[
        bool, typer.Option("--allow-over-quota", help=h("recognize.allow_over_quota"))
    ] = False,
    reason: Annotated[str, typer.Option("--reason", help=h("recognize.reason"))] = "",
    ad_hoc: Annotated[
        bool,
        typer.Option("--ad-hoc", help=h("recognize.ad_hoc")),
    ] = False,
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.recognize."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.recognize import recognize as run

    ctx = workspace_context(workspace, plan)
    outcome = run(ctx, workbook, decision, date, allow_over_quota, reason, ad_hoc)
    console.print_recognized(outcome, lang)
    console.plan_used(ctx.config, lang)
    raise typer.Exit(outcome.exit_code)


@app.command(help=h("export"))
def export(
    for_province: Annotated[
        bool,
        typer.Option("--for-province", help=h("export.for_province")),
    ] = False,
    year: Annotated[int | None, typer.Option("--year", help=h("export.year"))] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=h("export.output")),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            help=h("export.decisions"),
            dir_okay=False,
        ),
    ] = None,
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.export."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.export import export as run

    ctx = workspace_context(workspace, plan)
    outcome = run(ctx, for_province, year, output, decisions, lang)
    console.print_export(outcome, lang)
    console.plan_used(ctx.config, lang)


@app.command(help=h("demo"))
def demo(
    directory: Annotated[
        Path | None,
        typer.Argument(help=h("demo.arg")),
    ] = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.demo."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.demo import run_demo

    root = run_demo(directory, lang, console.message)
    console.plan_used(workspace_context(root).config, lang)


@app.command(help=h("report"))
def report(
    year: Annotated[int | None, typer.Option("--year", help=h("report.year"))] = None,
    first: Annotated[int | None, typer.Option("--from", help=h("report.from"))] = None,
    last: Annotated[int | None, typer.Option("--to", help=h("report.to"))] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=h("report.output")),
    ] = None,
    fmt: FormatOpt = "table",
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.report."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.report import report as run

    ctx = workspace_context(workspace, plan)
    outcome = run(ctx, year, first, last, output, lang)
    console.print_results(outcome, fmt, lang)
    console.plan_used(ctx.config, lang)


@history_app.command("import", help=h("history_import"))
def history_import(
    file: Annotated[
        Path,
        typer.Argument(help=h("history_import.arg")),
    ],
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.history_import."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.history import import_history

    ctx = workspace_context(workspace, plan)
    outcome = import_history(ctx, file)
    console.print_import(outcome, lang)
    console.plan_used(ctx.config, lang)
    raise typer.Exit(outcome.exit_code)


@history_app.command("export", help=h("history_export"))
def history_export(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=h("history_export.output")),
    ] = None,
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.history_export."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.history import export_history

    ctx = workspace_context(workspace, plan)
    outcome = export_history(ctx, output, lang)
    console.print_history_export(outcome, lang)
    console.plan_used(ctx.config, lang)


@history_app.command("show", help=h("history_show"))
def history_show(
    name: Annotated[str | None, typer.Option("--name", help=h("history_show.name"))] = None,
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.history_show."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.history import show_history

    found, config = show_history(workspace_context(workspace, plan), name)
    console.print_recognitions(found, config, lang)
    console.plan_used(config, lang)


@papers_app.command("write", help=h("papers_write"))
def papers_write(
    paper: Annotated[str, typer.Argument(help=h("papers_write.arg"))],
    year: Annotated[int, typer.Option("--year", help=h("papers_write.year"))],
    level: Annotated[str | None, typer.Option("--level", help=h("papers_write.level"))] = None,
    decisions: Annotated[
        Path | None,
        typer.Option("--decisions", help=h("papers_write.decisions"), dir_okay=False),
    ] = None,
    decision: Annotated[
        str | None, typer.Option("--decision", help=h("papers_write.decision"))
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help=h("papers_write.output")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=h("papers_write.force"))] = False,
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.papers_write."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.papers import write_papers

    ctx = workspace_context(workspace, plan)
    outcome = write_papers(ctx, paper, year, level, decisions, decision, output, force)
    console.print_papers_outcome(outcome, lang)
    console.plan_used(ctx.config, lang)


@papers_app.command("templates", help=h("papers_templates"))
def papers_templates(
    force: Annotated[bool, typer.Option("--force", help=h("papers_templates.force"))] = False,
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.papers_templates."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.papers import copy_templates

    ctx = workspace_context(workspace, plan)
    console.print_templates(copy_templates(ctx, force), lang)
    console.plan_used(ctx.config, lang)


@history_app.command("correct", help=h("history_correct"))
def history_correct(
    recognition_id: Annotated[int, typer.Argument(help=h("history_correct.arg"))],
    reason: Annotated[str, typer.Option("--reason", help=h("history_correct.reason"))],
    decision: Annotated[
        str | None, typer.Option("--decision", help=h("history_correct.decision"))
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help=h("history_correct.date"))] = None,
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.history_correct."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.history import correct_recognition

    ctx = workspace_context(workspace, plan)
    outcome = correct_recognition(ctx, recognition_id, decision, date, reason)
    console.print_correction(outcome.before, outcome.after, lang)
    console.plan_used(ctx.config, lang)


@history_app.command("revoke", help=h("history_revoke"))
def history_revoke(
    recognition_id: Annotated[int, typer.Argument(help=h("history_revoke.arg"))],
    reason: Annotated[str, typer.Option("--reason", help=h("history_revoke.reason"))],
    document: Annotated[str, typer.Option("--document", help=h("history_revoke.document"))],
    date: Annotated[str, typer.Option("--date", help=h("history_revoke.date"))],
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.history_revoke."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.history import revoke_recognition

    ctx = workspace_context(workspace, plan)
    console.print_revoked(revoke_recognition(ctx, recognition_id, reason, document, date), lang)
    console.plan_used(ctx.config, lang)


@hold_app.command("add", help=h("hold_add"))
def hold_add(
    kind: Annotated[KindOpt, typer.Option("--kind", help=h("hold_add.kind"))],
    name: Annotated[str, typer.Option("--name", help=h("hold_add.name"))],
    unit: Annotated[str, typer.Option("--unit", help=h("hold_add.unit"))],
    reason: Annotated[HoldReasonOpt, typer.Option("--reason", help=h("hold_add.reason"))],
    document: Annotated[str, typer.Option("--document", help=h("hold_add.document"))],
    date: Annotated[str, typer.Option("--date", help=h("hold_add.date"))],
    note: Annotated[str, typer.Option("--note", help=h("hold_add.note"))] = "",
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.hold_add."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.holds import add_hold

    ctx = workspace_context(workspace, plan)
    outcome = add_hold(ctx, kind, name, unit, reason, document, date, note)
    console.print_hold(outcome.hold, "hold.added", lang)
    console.plan_used(ctx.config, lang)


@hold_app.command("lift", help=h("hold_lift"))
def hold_lift(
    hold_id: Annotated[int, typer.Argument(help=h("hold_lift.arg"))],
    document: Annotated[str, typer.Option("--document", help=h("hold_lift.document"))],
    date: Annotated[str, typer.Option("--date", help=h("hold_lift.date"))],
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.hold_lift."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.holds import lift_hold

    ctx = workspace_context(workspace, plan)
    outcome = lift_hold(ctx, hold_id, document, date)
    console.print_hold(outcome.hold, "hold.lifted", lang)
    console.plan_used(ctx.config, lang)


@hold_app.command("list", help=h("hold_list"))
def hold_list(
    everything: Annotated[bool, typer.Option("--all", help=h("hold_list.all"))] = False,
    workspace: WorkspaceOpt = None,
    plan: PlanOpt = None,
    lang: LangOpt = "vi",
) -> None:
    """The help text is the catalog's help.hold_list."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.holds import list_holds

    ctx = workspace_context(workspace, plan)
    console.print_holds(list_holds(ctx, everything), lang)
    console.plan_used(ctx.config, lang)


@register_app.command("check", help=h("register_check"))
def register_check(
    workspace: WorkspaceOpt = None, plan: PlanOpt = None, lang: LangOpt = "vi"
) -> None:
    """The help text is the catalog's help.register_check."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import workspace_context
    from danvan_cli.usecases.maintenance import check_register

    ctx = workspace_context(workspace, plan)
    result = check_register(ctx)
    console.print_register_check(result, str(ctx.ws.register_path), lang)
    console.plan_used(ctx.config, lang)
    raise typer.Exit(result.exit_code)


@rubric_app.command("show", help=h("rubric_show"))
def rubric_show(lang: LangOpt = "vi", plan: PlanOpt = None, workspace: WorkspaceOpt = None) -> None:
    """The help text is the catalog's help.rubric_show."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import context
    from danvan_cli.usecases.maintenance import show_rubrics

    ctx = context(plan, workspace)
    console.print_rubrics(show_rubrics(ctx), lang)
    console.plan_used(ctx.config, lang)


@rubric_app.command("check", help=h("rubric_check"))
def rubric_check(
    lang: LangOpt = "vi", plan: PlanOpt = None, workspace: WorkspaceOpt = None
) -> None:
    """The help text is the catalog's help.rubric_check."""
    from danvan_cli.cli import console
    from danvan_cli.usecases.context import context
    from danvan_cli.usecases.maintenance import check_rubrics

    ctx = context(plan, workspace)
    console.print_rubric_check(check_rubrics(ctx), lang)
    console.plan_used(ctx.config, lang)


# Every command parses as a DanvanCommand (its usage errors told through the catalog).
for _commands in (app, rubric_app, register_app, history_app, papers_app, hold_app):
    for _info in _commands.registered_commands:
        if _info.cls in (None, TyperCommand):
            _info.cls = DanvanCommand
