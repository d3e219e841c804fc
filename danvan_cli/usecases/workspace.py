"""`danvan init`: make a workspace (or complete one); running it again changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from danvan_cli.config.load import DEFAULT_PLAN, Config, load_config, plan_file
from danvan_cli.config.workspace import (
    CONFIG_FILE,
    DOSSIERS,
    OUTPUTS,
    REGISTER,
    WORKSPACE_FILE,
    Workspace,
    open_workspace,
)
from danvan_cli.register.store import Register


@dataclass
class InitOutcome:
    workspace: Workspace
    config: Config
    created: bool
    year: int  # the current year, for the next step's folder

    @property
    def next_folder(self) -> Path:
        return self.workspace.dossiers(self.year)


def init(root: Path, plan: str = DEFAULT_PLAN) -> InitOutcome:
    root.mkdir(parents=True, exist_ok=True)
    created = False
    config_path = root / CONFIG_FILE
    if not config_path.exists():
        config = load_config(plan_file(plan, root))
        text = WORKSPACE_FILE.format(
            plan=plan, authority=config.plan.authority.name, place=config.plan.authority.place
        )
        config_path.write_text(text, encoding="utf-8")
        created = True
    for folder in (root / DOSSIERS, root / OUTPUTS, root / REGISTER.parent):
        if not folder.exists():
            folder.mkdir(parents=True)
            created = True
    ws = open_workspace(root.resolve())
    with Register.open(ws.register_path, create=True) as register:
        created = register.migrated or created
    return InitOutcome(ws, ws.config(), created, dt.date.today().year)
