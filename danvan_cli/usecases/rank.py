"""`danvan rank`: eligibility and ranking within the quota, the consolidated workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from danvan_cli.award.council import (
    KIND_FILES,
    has_decisions,
    inputs_digest,
    plan_digest,
    proposed_entries,
)
from danvan_cli.award.pool import Pool, build_pool, read_year
from danvan_cli.config.rubric import Kind
from danvan_cli.errors import UsageError, make_folder
from danvan_cli.register.store import Proposed
from danvan_cli.usecases.context import Context, changing, resolve_level
from danvan_cli.usecases.papers import Written, rank_drafts, save_drafts
from danvan_cli.validate.run import Progress
from danvan_cli.write.document import report_date
from danvan_cli.write.guard import guard_file
from danvan_cli.write.ranking import write_ranking


@dataclass
class RankOutcome:
    pool: Pool
    workbook: Path
    papers: list[Written] = field(default_factory=list)  # the Tờ trình and Biên bản drafts

    @property
    def exit_code(self) -> int:
        return 1 if self.pool.with_status("ineligible") else 0


def ranking_name(level_id: str, year: int, kind: Kind | None = None) -> str:
    suffix = f"-{KIND_FILES[kind]}" if kind is not None else ""
    return f"tong-hop-xet-chon-{level_id}-{year}{suffix}.xlsx"


def rank(
    ctx: Context,
    year: int,
    level: str,
    kind: Kind | None = None,
    output: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    lang: str = "vi",
) -> RankOutcome:
    ws, config = ctx.ws, ctx.config
    lv = resolve_level(config, level)
    target = output or ws.output(year, ranking_name(lv.id, year, kind))
    if output is None:
        make_folder(target.parent)
    guard_file(target, ws, "ranking")
    if target.exists() and not force and has_decisions(target):
        raise UsageError("rank.has_decisions", path=str(target))
    files = read_year(ws, config, year, progress)  # before the register's lock
    # One transaction for all rank records (candidates, dossiers, the proposal) and its audit
    # row: a ranking that cannot be written leaves the register as it was.
    with changing(ctx, "rank") as (register, audit):
        entries: dict[str, Proposed] = {}

        def record(pool: Pool) -> bool:
            """What is proposed, for recognize to check against (in build_pool's transaction)."""
            entries.update(
                proposed_entries([(m.result.sha256, m.kind, m.status) for m in pool.members])
            )
            return register.record_proposal(
                year, lv.id, plan_digest(config), inputs_digest(dict(pool.inputs)), entries
            )

        pool, _ = build_pool(
            ws, config, register, year, lv, progress, report_date(), record=record, files=files
        )
        if kind is not None:
            pool = pool.only(kind)
        # the papers rendered first: a broken template stops here, the workbook untouched
        drafts = rank_drafts(ctx, pool, register, target.parent, kind, force)
        write_ranking(pool, target)
        papers = save_drafts(drafts)
        audit.inputs = {"year": year, "level": lv.id, "files": dict(pool.inputs)}
        audit.outputs = {
            "workbook": ws.relative(target),
            "proposed": {sha: e.status for sha, e in entries.items()},
            "papers": [ws.relative(p.path) for p in papers if not p.kept],
        }
    return RankOutcome(pool, target, papers)
