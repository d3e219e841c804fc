"""Warnings about a plan and rubrics that load but look wrong (`danvan rubric check`)."""

from __future__ import annotations

from danvan_cli.config.load import Config
from danvan_cli.i18n.catalog import Message
from danvan_cli.text.normalize import fold


def lint(config: Config) -> list[Message]:
    notes: list[Message] = []
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
