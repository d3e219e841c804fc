"""The plan's rules applied to a typed dossier. Each check yields findings naming its rule."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext

from danvan_cli.config.load import Config
from danvan_cli.config.plan import DeadlineName, Level, Paper
from danvan_cli.dossier.model import Dossier, PaperMark
from danvan_cli.findings import Finding
from danvan_cli.read.labels import labels
from danvan_cli.text.normalize import words

Check = Callable[[Dossier, Config], Iterator[Finding]]
_DIGIT = re.compile(r"\d")


def total_of(dossier: Dossier, config: Config) -> Decimal | None:
    """The recomputed total, only when every criterion of the rubric has a valid score."""
    if dossier.kind is None:
        return None
    rubric = config.rubric(dossier.kind)
    scores = dossier.scores
    if any(c.code not in scores for c in rubric.criteria):
        return None
    with localcontext() as ctx:
        ctx.prec = 80  # exact for any score a person can type
        return sum((scores[c.code] for c in rubric.criteria), Decimal(0))


def _level(dossier: Dossier, config: Config) -> Level | None:
    level_id = dossier.info.level
    return config.plan.level(level_id) if level_id else None


def check_scores(dossier: Dossier, config: Config) -> Iterator[Finding]:
    """R1: each criterion at least 90 % of its maximum; the total at least 90."""
    if dossier.kind is None:
        return
    rubric = config.rubric(dossier.kind)
    for crit in dossier.rows:
        rule = rubric.criterion(crit.code)
        if rule is None or crit.score is None:
            continue
        need = rubric.threshold(rule)
        if crit.score.value < need:
            yield Finding(
                "score.below_threshold",
                sheet=crit.score.sheet,
                cell=crit.score.cell,
                criterion=crit.code,
                params={
                    "score": crit.score.value,
                    "max": rule.max,
                    "need": need,
                    "short": need - crit.score.value,
                    "percent": rubric.thresholds.criterion_ratio * 100,
                },
            )
    total = total_of(dossier, config)
    if total is None:
        return
    minimum = rubric.thresholds.min_total
    where = dossier.declared_total
    if total < minimum:
        yield Finding(
            "total.below_threshold",
            sheet=where.sheet if where else dossier.table_sheet,
            cell=where.cell if where else None,
            params={"total": total, "need": minimum, "short": minimum - total},
        )
    if where is not None and where.value != total:
        yield Finding(
            "total.mismatch",
            sheet=where.sheet,
            cell=where.cell,
            params={"declared": where.value, "total": total},
        )


def check_evidence(dossier: Dossier, config: Config) -> Iterator[Finding]:
    """R2: each criterion lists its evidence, with concrete figures."""
    if not dossier.has_evidence_column:
        return
    for crit in dossier.rows:
        spot = crit.evidence_spot
        sheet, cell = (spot.sheet, spot.cell) if spot else (None, None)
        if crit.evidence is None:
            yield Finding("evidence.missing", sheet=sheet, cell=cell, criterion=crit.code)
        elif not _DIGIT.search(crit.evidence.value):
            yield Finding("evidence.no_figure", sheet=sheet, cell=cell, criterion=crit.code)


def _deadline_date(config: Config, name: DeadlineName, year: int) -> dt.date:
    spec = config.plan.deadlines[name]
    return dt.date(year, spec.month, spec.day)


def check_deadlines(dossier: Dossier, config: Config) -> Iterator[Finding]:
    """R7: registration before 15 Feb, dossier to the Board before 1 Sep of the year."""
    year = dossier.info.year
    level = _level(dossier, config)
    if year is None or level is None:
        return
    info = dossier.info
    for name, date, key, code in (
        ("registration", info.registered_on, "registered_on", "deadline.registration_late"),
        ("submission", info.submitted_on, "submitted_on", "deadline.submission_late"),
    ):
        if name not in level.deadlines or date is None:
            continue
        limit = _deadline_date(config, name, year)
        if date > limit:
            sheet, cell = dossier.where(key)  # type: ignore[arg-type]
            yield Finding(
                code,
                sheet=sheet,
                cell=cell,
                params={"date": date, "limit": limit, "days": (date - limit).days},
            )


def missing_papers(papers: list[PaperMark], level: Level) -> list[tuple[Paper, PaperMark | None]]:
    """The level's papers not marked present, with the dossier's row for it when it has one."""
    rows = [(words(mark.label), mark) for mark in papers]
    missing = []
    for paper in level.papers:
        keys = [words(m) for m in paper.match]
        hit = next((mark for text, mark in rows if any(k in text for k in keys)), None)
        if hit is None or not hit.present:
            missing.append((paper, hit))
    return missing


def check_papers(dossier: Dossier, config: Config) -> Iterator[Finding]:
    """R8: the papers the proposed level requires are all in the dossier."""
    level = _level(dossier, config)
    if level is None or not level.papers:
        return
    if dossier.papers_sheet is None:
        yield Finding(
            "document.table_missing",
            params={"level": level.called.lower(), "papers": [p.label for p in level.papers]},
        )
        return
    for paper, mark in missing_papers(dossier.papers, level):
        yield Finding(
            "document.missing",
            sheet=mark.sheet if mark else dossier.papers_sheet,
            cell=mark.cell if mark else dossier.papers_cell,
            params={"paper": paper.label, "level": level.called.lower(), "copies": level.copies},
        )


def check_benefit(dossier: Dossier, config: Config) -> Iterator[Finding]:
    """R9: an economic model states its economic benefit as a figure."""
    if dossier.info.field is None or dossier.info.field != config.plan.economic_field:
        return
    if dossier.info.benefit is None:
        sheet, cell = dossier.where("field")
        yield Finding("info.benefit_missing", sheet=sheet, cell=cell)


def check_lower_decision(dossier: Dossier, config: Config) -> Iterator[Finding]:
    """R4: a higher-level typical cites its lower-level recognition decision."""
    level = _level(dossier, config)
    if level is None or not level.requires.cite_lower_decision:
        return
    if dossier.info.lower_decision is None:
        lower = config.plan.level(level.requires.lower_level or level.id)
        label = labels().info["lower_decision"].label
        # the label belongs with the other information: on the sheet of the level it proposes
        sheet, _ = dossier.where("level")
        sheet = sheet or next((s for s, _ in dossier.cells.values()), None)
        yield Finding(
            "eligibility.lower_decision_missing",
            sheet=sheet,
            params={"level": level.called.lower(), "lower": lower.called.lower(), "label": label},
        )


def check_citations(dossier: Dossier, config: Config) -> Iterator[Finding]:
    """A dossier of year Y citing a text no longer in force in Y: say what replaced it."""
    year = dossier.info.year
    if year is None:
        return
    plan = config.plan
    seen: set[str] = set()
    for citation in dossier.citations:
        if citation.text in seen:
            continue
        seen.add(citation.text)
        text = plan.text(citation.text)
        newer = plan.out_of_force(text, dt.date(year, 12, 31))
        if newer:
            yield Finding(
                "document.superseded_text",
                sheet=citation.sheet,
                cell=citation.cell,
                params={
                    "text": text.number or text.title,
                    "year": year,
                    "by": newer[-1].number or newer[-1].title,
                    "since": newer[0].in_force,
                },
            )


CHECKS: tuple[Check, ...] = (
    check_scores,
    check_evidence,
    check_deadlines,
    check_papers,
    check_benefit,
    check_lower_decision,
    check_citations,
)


def run_checks(dossier: Dossier, config: Config) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(dossier, config)]
