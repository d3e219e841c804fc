"""Everything danvan prints for people: the only module that imports rich.

Data (JSON) goes to stdout untouched; tables go to stdout; messages and progress to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from danvan_cli.i18n.catalog import Message, t
from danvan_cli.i18n.numbers import fmt_number

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table as RichTable

    from danvan_cli.award.pool import Pool
    from danvan_cli.config.load import Config
    from danvan_cli.register.check import CheckResult
    from danvan_cli.register.store import Hold, Recognition
    from danvan_cli.usecases.export import ExportOutcome
    from danvan_cli.usecases.history import ExportOutcome as HistoryExport
    from danvan_cli.usecases.history import ImportOutcome
    from danvan_cli.usecases.maintenance import PlanView
    from danvan_cli.usecases.papers import PapersOutcome, TemplatesOutcome, Written
    from danvan_cli.usecases.rank import RankOutcome
    from danvan_cli.usecases.recognize import RecognizeOutcome
    from danvan_cli.usecases.report import ReportOutcome
    from danvan_cli.usecases.template import TemplateOutcome
    from danvan_cli.usecases.validate import ValidateOutcome
    from danvan_cli.usecases.workspace import InitOutcome
    from danvan_cli.validate.results import Validation


# rich is imported on first use: a JSON run, or messages to a file or a pipe, never need it
# (start-up time; bench/).
@cache
def _out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, emoji=False)


@cache
def _err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False)


def Table(*args: Any, **kwargs: Any) -> RichTable:
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _plain_stderr() -> bool:
    """Messages to a file or a pipe are plain lines (no colour, no wrapping, no rich)."""
    try:
        return not sys.stderr.isatty()
    except (AttributeError, ValueError):
        return True


def print_json(data: Any) -> None:
    """One JSON document on stdout: indented for a person at a terminal, compact for a pipe."""
    if sys.stdout.isatty():
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    _write_stdout(text + "\n")
    sys.stdout.flush()


def print_json_list(key: str, items: Iterable[dict[str, Any]], rest: dict[str, Any]) -> None:
    """`{key: [items…], **rest}` on stdout, the same text print_json writes; to a file or a
    pipe each item is written as it is made, so a batch of 10,000 files is never held as one
    document (memory flat in the number of files)."""
    if sys.stdout.isatty():
        print_json({key: list(items), **rest})
        return

    def compact(data: Any) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    _write_stdout("{" + json.dumps(key) + ":[")
    for i, item in enumerate(items):
        _write_stdout(("," if i else "") + compact(item))
    tail = compact(rest)
    _write_stdout("]" + ("," + tail[1:] if rest else "}") + "\n")
    sys.stdout.flush()


def _write_stdout(text: str) -> None:
    # a lone surrogate (a file name of undecodable bytes) cannot be written as UTF-8
    sys.stdout.write(text.encode("utf-8", "replace").decode("utf-8"))


def message(text: str) -> None:
    if _plain_stderr():
        _write_stderr(text)
        return
    _err().print(escape(text))


def error(text: str, lines: list[str] | None = None) -> None:
    if _plain_stderr():
        _write_stderr("\n".join([text, *(f"  {line}" for line in lines or [])]))
        return
    _err().print(f"[bold red]{escape(text)}[/]")
    for line in lines or []:
        _err().print(f"  {escape(line)}")


def _write_stderr(text: str) -> None:
    sys.stderr.write(text.encode("utf-8", "replace").decode("utf-8") + "\n")
    sys.stderr.flush()


PROGRESS_FROM = 20  # files: below this a batch is over before a bar helps


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for long batches at a terminal; yields a callback
    (done, total) that starts the bar on its first call."""
    if _plain_stderr() or not _err().is_terminal:
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=_err(),
        transient=True,
    )
    task: list[Any] = []

    def step(done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if not task:
            bar.start()
            task.append(bar.add_task(label, total=total))
        bar.update(task[0], completed=done)

    try:
        yield step
    finally:
        if task:
            bar.stop()


def _short_names(paths: list[str]) -> dict[str, str]:
    """Paths shown relative to the folder they all share, so the table stays narrow."""
    import os.path

    if len(paths) < 2:
        return {p: os.path.basename(p) or p for p in paths}
    base = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in paths])
    return {p: os.path.relpath(os.path.abspath(p), base) for p in paths}


def print_validation(report: Validation, lang: str) -> None:
    short = _short_names([f.path for f in report.files])
    summary = Table(show_lines=False, header_style="bold")
    summary.add_column(t("col.file", lang), overflow="fold", ratio=5, min_width=16)
    summary.add_column(t("col.candidate", lang), overflow="fold", ratio=4, min_width=12)
    summary.add_column(t("col.total", lang), justify="right")
    summary.add_column(t("col.verdict", lang))
    summary.add_column(t("col.errors", lang), justify="right")
    summary.add_column(t("col.warnings", lang), justify="right")
    for f in report.files:
        verdict = t("verdict.valid" if f.valid else "verdict.invalid", lang)
        summary.add_row(
            escape(short[f.path]),
            escape(f.name or ""),
            fmt_number(f.total, lang) if f.total is not None else "—",
            f"[green]{verdict}[/]" if f.valid else f"[red]{verdict}[/]",
            str(f.errors),
            str(f.warnings),
        )
    _out().print(summary)
    for f in report.files:
        if not f.findings:
            continue
        table = Table(
            title=escape(t("validate.findings_of", lang, file=short[f.path])), title_justify="left"
        )
        for key in ("col.severity", "col.position", "col.rule", "col.message", "col.hint"):
            table.add_column(t(key, lang), overflow="fold")
        for finding in f.findings:
            sev = t(f"severity.{finding.severity}", lang)
            table.add_row(
                f"[red]{sev}[/]" if finding.is_error else f"[yellow]{sev}[/]",
                escape(finding.position),
                finding.rule or "",
                escape(finding.message(lang)),
                escape(finding.hint(lang)),
            )
        _out().print(table)
    valid = sum(f.valid for f in report.files)
    _out().print(
        t(
            "validate.summary",
            lang,
            files=len(report.files),
            valid=valid,
            invalid=len(report.files) - valid,
        )
    )


def print_rubrics(view: PlanView, lang: str) -> None:
    config = view.config
    plan = config.plan
    _out().print(
        f"[bold]{t('rubric.plan', lang)}:[/] {escape(plan.title)} ({config.plan_path.name})"
    )
    _out().print(
        escape(
            f"{plan.authority.name} — {plan.achievement_report.form}, "
            f"{plan.achievement_report.reference}"
        )
    )
    for name, spec in plan.deadlines.items():
        _out().print(
            t(f"rubric.deadline_{name}", lang, day=f"{spec.day:02d}", month=f"{spec.month:02d}")
        )
    levels = Table(title=t("rubric.levels", lang), title_justify="left", header_style="bold")
    for key in ("col.code", "col.name", "rubric.quota", "rubric.requires", "rubric.papers"):
        levels.add_column(t(key, lang), overflow="fold")
    for lv in plan.levels:
        quota = (
            ", ".join(f"{t(f'kind.{k}', lang)} {n}" for k, n in lv.quota.items())
            if lv.quota
            else t("rubric.no_quota", lang)
        )
        needs = [m.render(lang) for m in view.requires[lv.id]]
        papers = "\n".join(f"- {p.label}" for p in lv.papers)
        if lv.papers:
            papers += f"\n({t('rubric.copies', lang)}: {lv.copies})"
        levels.add_row(lv.id, escape(lv.name), quota, "; ".join(needs), escape(papers))
    _out().print(levels)
    for kind, rubric in config.rubrics.items():
        table = Table(
            title=f"{t(f'kind.{kind}', lang)}: {escape(rubric.title)}",
            caption=t(
                "rubric.thresholds",
                lang,
                ratio=rubric.thresholds.criterion_ratio * 100,
                total=rubric.thresholds.min_total,
            ),
            title_justify="left",
            header_style="bold",
        )
        table.add_column(t("col.no", lang))
        table.add_column(t("rubric.criteria", lang), overflow="fold", ratio=3)
        table.add_column(t("rubric.max", lang), justify="right")
        table.add_column(t("rubric.min", lang), justify="right")
        table.add_column(t("col.evidence", lang), overflow="fold", ratio=2)
        for c in rubric.criteria:
            table.add_row(
                c.code,
                escape(c.title),
                fmt_number(c.max, lang),
                fmt_number(rubric.threshold(c), lang),
                escape(c.evidence),
            )
        table.add_row(
            "",
            t("col.total", lang),
            fmt_number(rubric.total, lang),
            fmt_number(rubric.thresholds.min_total, lang),
            "",
        )
        _out().print(table)


def print_pool(pool: Pool, lang: str) -> None:
    from danvan_cli.award.explain import errors_text, reasons, totals_line
    from danvan_cli.award.pool import display_order
    from danvan_cli.config.rubric import KINDS

    for kind in KINDS:
        members = [m for m in pool.members if m.kind == kind]
        if not members:
            continue
        table = Table(
            title=escape(totals_line(pool, kind, lang)), title_justify="left", header_style="bold"
        )
        table.add_column(t("col.rank", lang), justify="right")
        table.add_column(t("col.name", lang), overflow="fold", ratio=3)
        table.add_column(t("col.unit", lang), overflow="fold", ratio=3)
        table.add_column(t("col.total", lang), justify="right")
        table.add_column(t("col.status", lang), overflow="fold", ratio=2)
        table.add_column(t("col.reasons", lang), overflow="fold", ratio=4)
        members.sort(key=lambda m: (m.entry.rank or 10**9, display_order(m)))
        colour = {"proposed": "green", "tie": "yellow", "reserve": "cyan", "ineligible": "red"}
        for m in members:
            why = errors_text(m, lang) if m.status == "ineligible" else reasons(m, lang)
            total = m.result.total
            table.add_row(
                str(m.entry.rank or ""),
                escape(m.result.name or ""),
                escape(m.result.unit or ""),
                fmt_number(total, lang) if total is not None else "—",
                f"[{colour[m.status]}]{t(f'status.{m.status}', lang)}[/]",
                escape(why),
            )
        _out().print(table)
    for m in pool.members:
        if m.kind is None:
            _out().print(escape(f"{m.path}: " + " ".join(f.message(lang) for f in m.findings)))
    if pool.other_levels:
        _out().print(t("rank.other_levels", lang, count=len(pool.other_levels)))
        for path in pool.other_levels:
            _out().print(f"  - {escape(path)}")
    if pool.with_status("tie"):
        _out().print(f"[bold yellow]{escape(t('rank.ties', lang))}[/]")


def print_rows(headers: list[str], rows: list[list[Any]]) -> None:
    import datetime as dt

    table = Table(header_style="bold")
    for h in headers:
        table.add_column(escape(h), overflow="fold")
    for row in rows:
        table.add_row(
            *[v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else escape(str(v)) for v in row]
        )
    _out().print(table)


def print_init(outcome: InitOutcome, lang: str) -> None:
    ws = outcome.workspace
    message(
        t("workspace.created" if outcome.created else "workspace.exists", lang, path=str(ws.root))
    )
    if outcome.plan_kept is not None:
        message(
            t(
                "workspace.plan_kept",
                lang,
                current=str(ws.plan_path()),
                asked=str(outcome.plan_kept),
                file=str(ws.config_file),
            )
        )
    message(
        t(
            "workspace.next",
            lang,
            dossiers=str(outcome.next_folder),
            year=outcome.year,
            level=outcome.config.plan.default_level,
        )
    )


def print_papers(written: list[Written], lang: str) -> None:
    """Where each paper landed (or that an edited one was kept)."""
    for w in written:
        message(t("paper.kept" if w.kept else "paper.written", lang, path=str(w.path)))


def print_papers_outcome(outcome: PapersOutcome, lang: str) -> None:
    if not outcome.written:
        message(t("paper.notices_none", lang))
    print_papers(outcome.written, lang)
    if outcome.unknown_units:
        message(t("paper.notices_unknown", lang, count=outcome.unknown_units))


def print_templates(outcome: TemplatesOutcome, lang: str) -> None:
    folder = str(outcome.folder)
    if outcome.copied:
        message(t("paper.templates_copied", lang, count=len(outcome.copied), path=folder))
    if outcome.kept:
        message(t("paper.templates_kept", lang, count=len(outcome.kept), path=folder))


def print_recognized(outcome: RecognizeOutcome, lang: str) -> None:
    level = outcome.level.called.lower()
    if outcome.added:
        message(
            t("recognize.added", lang, count=len(outcome.added), level=level, year=outcome.year)
        )
        for kind, name, unit in outcome.added:
            message(f"  - {t(f'kind.{kind}', lang)}: {name} — {unit}")
    if outcome.already:
        message(t("recognize.already", lang, count=len(outcome.already)))
    for _kind, name, unit, existing in outcome.conflicts:
        error(
            t(
                "recognize.conflict",
                lang,
                name=name,
                unit=unit,
                level=level,
                year=outcome.year,
                existing=existing,
            )
        )
    if not (outcome.added or outcome.already or outcome.conflicts):
        message(t("recognize.none", lang))
    print_papers(outcome.papers, lang)


def print_export(outcome: ExportOutcome, lang: str) -> None:
    from danvan_cli.award.explain import errors_text

    package = outcome.contents
    level = package.level.called.lower()
    folder, files = outcome.written.folder, len(outcome.written.files) + 1
    message(t("export.written", lang, level=level, path=str(folder), files=files))
    for name, _digest, _size in outcome.written.files:
        if name.endswith(".docx"):
            message(t("paper.written", lang, path=str(folder / name)))
    message(t("export.proposed", lang))
    for p in package.proposals:
        m = p.member
        message(f"  - {t(f'kind.{m.kind}', lang)}: {m.result.name} — {m.result.unit}")
    if package.refused:
        message(t("export.refused", lang))
        for m in package.refused:
            why = errors_text(m, lang) or t(f"status.{m.status}", lang)
            message(f"  - {m.result.name}: {why}")


def print_results(outcome: ReportOutcome, fmt: str, lang: str) -> None:
    if fmt == "json":
        years = [f.as_dict() for f in outcome.figures]
        print_json({"provenance": outcome.provenance, "years": years})
    else:
        _print_figures(outcome, lang)
    message(t("annual.written", lang, path=str(outcome.path)))


def _print_figures(outcome: ReportOutcome, lang: str) -> None:
    for f in outcome.figures:
        recognized = sum(n for kinds in f.recognitions.values() for n in kinds.values())
        if not f.has_dossiers:
            _out().print(t("annual.no_folder", lang, year=f.year, recognized=recognized))
            continue
        _out().print(
            t(
                "annual.summary",
                lang,
                year=f.year,
                dossiers=f.dossiers,
                valid=f.valid,
                invalid=f.invalid,
                recognized=recognized,
            )
        )


def print_import(outcome: ImportOutcome, lang: str) -> None:
    message(t("history.imported", lang, added=outcome.added, same=outcome.same))
    if outcome.near:
        message(t("history.near", lang))
        for line in outcome.near:
            message(f"  {line}")
    if outcome.conflicts:
        error(t("history.conflicts", lang), outcome.conflicts)


def print_recognitions(recognitions: list[Recognition], config: Config, lang: str) -> None:
    """The register's recognitions with their numbers (for history correct / revoke); a
    revoked one says so. The history columns in the user's language (the Vietnamese headers
    are the workbooks' contract, not the console's); names, units and levels as recorded."""
    from danvan_cli.register.rows import history_rows

    if not recognitions:
        message(t("history.empty", lang))
        return
    rows = []
    for r, row in zip(recognitions, history_rows(recognitions, config), strict=True):
        note = (
            t("history.revoked_note", lang, date=r.revoked_on, document=r.revoked_document or "")
            if r.revoked
            else (t("history.ad_hoc_note", lang) if r.ad_hoc else "")
        )
        row[2] = t(f"kind.{r.candidate.kind}", lang)
        rows.append([r.id, *row, note])
    heads = ["col.year", "col.level", "col.kind", "col.name", "col.unit", "col.decision"]
    heads = ["col.hold_id", *heads, "col.date", "col.note"]
    print_rows([t(h, lang) for h in heads], rows)


def print_correction(before: Recognition, after: Recognition, lang: str) -> None:
    def decision(r: Recognition) -> str:  # dates as offices write them: 20/09/2024
        return t(
            "history.decision_ref", lang, number=r.decision_no or "—", date=r.decision_date or "—"
        )

    message(
        t(
            "history.corrected",
            lang,
            id=after.id,
            name=after.name,
            old=decision(before),
            new=decision(after),
        )
    )


def print_revoked(r: Recognition, lang: str) -> None:
    message(t("history.revoked", lang, id=r.id, name=r.name, year=r.year, date=r.revoked_on))


def print_register_check(result: CheckResult, path: str, lang: str) -> None:
    message(t("register.counts", lang, path=path, **result.counts))
    if result.notes:
        message(t("register.notes", lang))
        for note in result.notes:
            message(f"  {note.render(lang)}")
    if result.problems:
        error(t("register.problems", lang), [p.render(lang) for p in result.problems])
    else:
        message(t("register.ok", lang))


def print_notes(notes: list[str], lang: str) -> None:
    for note in notes:
        message(note)


def print_skipped(files: list[str], lang: str) -> None:
    """danvan's own workbooks found among the inputs and left out: said, never silent."""
    if files:
        message(t("validate.skipped_outputs", lang, count=len(files), files=files))


def print_left_out(files: list[str], lang: str) -> None:
    """Files of a folder that are no spreadsheet by their name: said, never silent."""
    if files:
        message(t("validate.left_out", lang, count=len(files), files=files))


def print_validate(outcome: ValidateOutcome, fmt: str, lang: str) -> None:
    print_skipped(outcome.skipped, lang)
    print_left_out(outcome.left_out, lang)
    if fmt == "json":
        validation = outcome.validation
        rest = validation.to_dict(lang, files=False)
        print_json_list("files", (f.to_dict(lang) for f in validation.files), rest)
    else:
        print_validation(outcome.validation, lang)
    if outcome.report is not None:
        message(t("validate.report_written", lang, path=str(outcome.report)))
    if outcome.notices:
        from danvan_cli.usecases.papers import notice_counts

        folder = str(outcome.notices[0].path.parent)
        message(t("paper.notices_written", lang, path=folder, **notice_counts(outcome.notices)))
    if outcome.unknown_units:
        message(t("paper.notices_unknown", lang, count=outcome.unknown_units))


def print_template(outcome: TemplateOutcome, lang: str) -> None:
    kind = t(f"kind.{outcome.kind}", lang)
    message(t("template.written", lang, kind=kind, path=str(outcome.path)))


def print_rank(outcome: RankOutcome, fmt: str, lang: str) -> None:
    from danvan_cli.award.pool import pool_summary

    print_skipped(outcome.pool.skipped, lang)
    print_left_out(outcome.pool.left_out, lang)
    if fmt == "json":
        print_json(pool_summary(outcome.pool, lang))
    else:
        print_pool(outcome.pool, lang)
    message(t("rank.written", lang, path=str(outcome.workbook)))
    print_papers(outcome.papers, lang)


def print_history_export(outcome: HistoryExport, lang: str) -> None:
    message(t("history.exported", lang, count=outcome.count, path=str(outcome.path)))


def print_rubric_check(notes: list[Message], lang: str) -> None:
    for note in notes:
        message(note.render(lang))
    message(t("rubric.check_ok", lang))
    if notes:
        message(t("rubric.warnings", lang, count=len(notes)))


def plan_used(config: Config, lang: str) -> None:
    """Which plan decided: every command that applies one says so (on stderr)."""
    plan = config.plan
    message(t("plan.used", lang, id=plan.id, file=config.plan_path.name))


def print_hold(hold: Hold, key: str, lang: str) -> None:
    message(
        t(
            key,
            lang,
            id=hold.id,
            name=hold.name,
            unit=hold.unit,
            reason=t(f"hold.reason.{hold.reason}", lang),
            document=hold.lifted_document if hold.lifted_on else hold.document,
            since=hold.since,
            date=hold.lifted_on or hold.since,
        )
    )


def print_holds(holds: list[Hold], lang: str) -> None:
    if not holds:
        message(t("hold.none", lang))
        return
    heads = ["col.hold_id", "col.kind", "col.name", "col.unit", "col.reason", "col.document"]
    heads += ["col.since", "col.lifted"]
    rows = [
        [
            h.id,
            t(f"kind.{h.kind}", lang),
            h.name,
            h.unit,
            t(f"hold.reason.{h.reason}", lang),
            h.document,
            h.since,
            f"{h.lifted_on.strftime('%d/%m/%Y')} — {h.lifted_document}" if h.lifted_on else "",
        ]
        for h in holds
    ]
    print_rows([t(k, lang) for k in heads], rows)
