"""Everything danvan prints for people: the only module that imports rich.

Data (JSON) goes to stdout untouched; tables go to stdout; messages and progress to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from danvan_cli.i18n import fmt_number, t

if TYPE_CHECKING:
    from danvan_cli.award import Pool
    from danvan_cli.rubric import Config
    from danvan_cli.validate import Report

out = Console(highlight=False, soft_wrap=False, emoji=False)
err = Console(stderr=True, highlight=False, emoji=False)


def print_json(data: Any) -> None:
    """One JSON document on stdout: indented for a person at a terminal, compact for a pipe."""
    if sys.stdout.isatty():
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def message(text: str) -> None:
    err.print(escape(text))


def error(text: str, lines: list[str] | None = None) -> None:
    err.print(f"[bold red]{escape(text)}[/]")
    for line in lines or []:
        err.print(f"  {escape(line)}")


@contextmanager
def progress(total: int, label: str, enabled: bool) -> Iterator[Any]:
    """A progress bar on stderr; yields a callback (done, total) -> None."""
    if not enabled:
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done, total: bar.update(task, completed=done)


def _short_names(paths: list[str]) -> dict[str, str]:
    """Paths shown relative to the folder they all share, so the table stays narrow."""
    import os.path

    if len(paths) < 2:
        return {p: os.path.basename(p) or p for p in paths}
    base = os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in paths])
    return {p: os.path.relpath(os.path.abspath(p), base) for p in paths}


def print_validation(report: Report, lang: str) -> None:
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
            escape(str(f.info("name") or "")),
            fmt_number(f.total, lang) if f.total is not None else "—",
            f"[green]{verdict}[/]" if f.valid else f"[red]{verdict}[/]",
            str(f.errors),
            str(f.warnings),
        )
    out.print(summary)
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
        out.print(table)
    valid = sum(f.valid for f in report.files)
    out.print(
        t(
            "validate.summary",
            lang,
            files=len(report.files),
            valid=valid,
            invalid=len(report.files) - valid,
        )
    )


def print_rubrics(config: Config, lang: str) -> None:
    plan = config.plan
    out.print(f"[bold]{t('rubric.plan', lang)}:[/] {escape(plan.title)} ({config.plan_path.name})")
    out.print(
        escape(
            f"{plan.authority.name} — {plan.achievement_report.form}, "
            f"{plan.achievement_report.reference}"
        )
    )
    for name, spec in plan.deadlines.items():
        out.print(
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
        needs = []
        if lv.requires.registration:
            needs.append(t("rubric.registration", lang))
        if lv.requires.lower_level and not lv.requires.cite_lower_decision:
            lower = plan.level(lv.requires.lower_level).name.lower()
            needs.append(t("rubric.lower", lang, level=lower, years=lv.requires.consecutive_years))
        if lv.requires.cite_lower_decision:
            needs.append(t("rubric.cite", lang))
        papers = "\n".join(f"- {p.label}" for p in lv.papers)
        if lv.papers:
            papers += f"\n({t('rubric.copies', lang)}: {lv.copies})"
        levels.add_row(lv.id, escape(lv.name), quota, "; ".join(needs), escape(papers))
    out.print(levels)
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
        out.print(table)


def print_pool(pool: Pool, lang: str) -> None:
    from danvan_cli.award import display_order
    from danvan_cli.rank_xlsx import reasons, totals_line

    for kind in ("collective", "individual"):
        members = [m for m in pool.members if m.entry.kind == kind]
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
            why = reasons(m, lang)
            if m.entry.status == "ineligible":
                why = " ".join(f.message(lang) for f in m.findings if f.is_error)
            table.add_row(
                str(m.entry.rank or ""),
                escape(str(m.report.info("name") or "")),
                escape(str(m.report.info("unit") or "")),
                fmt_number(m.report.total, lang) if m.report.total is not None else "—",
                f"[{colour[m.entry.status]}]{t(f'status.{m.entry.status}', lang)}[/]",
                escape(why),
            )
        out.print(table)
    unread = [m for m in pool.members if m.entry.kind is None]
    for m in unread:
        out.print(escape(f"{m.report.path}: " + " ".join(f.message(lang) for f in m.findings)))
    if pool.other_levels:
        out.print(t("rank.other_levels", lang, count=len(pool.other_levels)))
        for path in pool.other_levels:
            out.print(f"  - {escape(path)}")
    if any(m.entry.status == "tie" for m in pool.members):
        out.print(f"[bold yellow]{escape(t('rank.ties', lang))}[/]")


def print_rows(headers: list[str], rows: list[list[Any]]) -> None:
    import datetime as dt

    table = Table(header_style="bold")
    for h in headers:
        table.add_column(escape(h), overflow="fold")
    for row in rows:
        table.add_row(
            *[v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else escape(str(v)) for v in row]
        )
    out.print(table)
