"""Why a candidate stands where it does, in words: the tie-break that decided, the ties the
council must decide, the pool's totals per kind."""

from __future__ import annotations

from collections.abc import Callable

from danvan_cli.award.pool import Pool, Pooled
from danvan_cli.config.load import Config
from danvan_cli.config.plan import Level
from danvan_cli.config.rubric import Kind
from danvan_cli.i18n.catalog import t


def reasons(m: Pooled, lang: str) -> str:
    e = m.entry
    parts = []
    if e.status == "tie":
        parts.append(t("rank.tie_note", lang))
    elif e.decided_by:
        side = "ahead" if e.ahead else "behind"
        if e.decided_by.isdigit():
            parts.append(t(f"rank.{side}_criterion", lang, code=e.decided_by))
        else:
            parts.append(t(f"rank.{side}_flag", lang, flag=t(f"flag.{e.decided_by}", lang)))
    parts += [f.message(lang) for f in m.findings if not f.is_error]
    return " ".join(parts)


def quota_text(pool: Pool, kind: Kind, lang: str) -> str:
    quota = (pool.quota or {}).get(kind)
    return t("rubric.no_quota", lang) if quota is None else str(quota)


def errors_text(m: Pooled, lang: str) -> str:
    """The messages of the errors that exclude a candidate, one after the other."""
    return " ".join(f.message(lang) for f in m.findings if f.is_error)


def totals_line(pool: Pool, kind: Kind, lang: str) -> str:
    counts = pool.counts(kind)
    return t(
        "rank.summary",
        lang,
        level=pool.level.called.lower(),
        year=pool.year,
        kind=t(f"kind.{kind}", lang),
        quota=quota_text(pool, kind, lang),
        **counts,
    )


def _level_where(config: Config, test: Callable[[Level], bool]) -> Level | None:
    return next((lv for lv in config.plan.levels if test(lv)), None)


def rule_text(rule: str, config: Config, lang: str) -> str:
    """What a rule says (rule.R1 …), with the plan's own thresholds, levels and years: the one
    wording of a rule for every paper and workbook (never a "{level}" left unfilled; a rule
    that names a level the plan does not have is said without it)."""
    plan = config.plan
    key, params = f"rule.{rule}", dict[str, object]()
    if rule == "R1":
        rubrics = list(config.rubrics.values())
        params = {
            "percent": rubrics[0].thresholds.criterion_ratio * 100,
            "total": rubrics[0].thresholds.min_total,
        }
    elif rule == "R3":
        found = _level_where(config, lambda lv: lv.requires.registration)
        if found is None:
            key = "rule.R3_plain"
        else:
            params = {"level": found.called.lower()}
    elif rule in ("R4", "R5"):
        cite = rule == "R4"
        found = _level_where(
            config,
            lambda lv: (
                lv.requires.lower_level is not None and lv.requires.cite_lower_decision == cite
            ),
        )
        if found is None or found.requires.lower_level is None:
            key = f"rule.{rule}_plain"
        else:
            params = {
                "level": found.called.lower(),
                "lower": plan.level(found.requires.lower_level).called.lower(),
                "years": found.requires.consecutive_years,
            }
    return t(key, lang, **params)
