"""A workspace's own settings (`danvan.yaml`), as a pydantic model: made only when a command
opens a workspace."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from danvan_cli.config.load import DEFAULT_PLAN


class WorkspaceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan: str = DEFAULT_PLAN
    authority: str | None = None
    place: str | None = None
    documents: dict[str, Any] | None = None  # overrides of the plan's `documents:` (signers…)
