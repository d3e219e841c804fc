"""Warnings about a plan and rubrics that load but look wrong (`danvan rubric check`)."""

from __future__ import annotations

import datetime as dt

from danvan_cli.config.load import Config
from danvan_cli.i18n.catalog import Message
from danvan_cli.text.normalize import fold


def lint(config: Config) -> list[Message]:
    notes: list[Message] = superseded(config)
    for kind, rubric in config.rubrics.items():
        name = config.rubric_paths[kind].name
        seen: dict[str, str] = {}
        for c in rubric.criteria:
            key = fold(c.title)
            if key in seen:
                notes.append(
                    Message("rubric.lint_same_text", {"file": name, "a": seen[key], "b": c.code})
                )
            else:
                seen[key] = c.code
            if not c.evidence.strip():
                notes.append(Message("rubric.lint_evidence", {"file": name, "code": c.code}))
    return notes


def superseded(config: Config) -> list[Message]:
    """The texts the plan cites that are no longer in force in a year of its phase, and what
    replaced them (the bundled plan still cites Mẫu 07 of Nghị định 91/2017)."""
    plan = config.plan
    name = config.plan_path.name
    years = range(plan.phase.from_, plan.phase.to + 1) if plan.phase else []
    cited = [t for t in plan.legal_basis if t.cited]
    if plan.achievement_report.text is not None:
        cited.insert(0, plan.text(plan.achievement_report.text))
    notes = []
    for text in cited:
        first = next((y for y in years if plan.out_of_force(text, dt.date(y, 12, 31))), None)
        if first is None:
            continue
        chain = plan.out_of_force(text, dt.date(plan.phase.to if plan.phase else first, 12, 31))
        replaced = [
            Message("rubric.replaced_by", {"text": r.number or r.title, "since": r.in_force})
            for r in chain
        ]
        notes.append(
            Message(
                "rubric.lint_superseded",
                {"file": name, "text": text.title, "year": first, "replaced": replaced},
            )
        )
    return notes
