"""`danvan init`: make a workspace (or complete one); running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from danvan_cli import yamlio
from danvan_cli.config.load import DEFAULT_PLAN, Config, bundled_plan, load_config, option_plan
from danvan_cli.config.workspace import (
    CONFIG_FILE,
    DOSSIERS,
    OUTPUTS,
    REGISTER,
    WORKSPACE_FILE,
    Workspace,
    open_workspace,
)
from danvan_cli.errors import OutputError, make_folder, os_reason
from danvan_cli.register.store import Register


@dataclass
class InitOutcome:
    workspace: Workspace
    config: Config
    created: bool
    year: int  # the current year, for the next step's folder
    plan_kept: Path | None = None  # `--plan` asked for another plan than the workspace's: kept

    @property
    def next_folder(self) -> Path:
        return self.workspace.dossiers(self.year)


def stored_plan(plan: str, root: Path) -> str:
    """How danvan.yaml names the plan `--plan` chose, so that it resolves from the workspace
    whatever folder a later command runs in: a bundled plan by its name; a file inside the
    workspace by its path from there; any other file by its absolute path."""
    path = option_plan(plan, root)
    if path == bundled_plan(plan):
        return Path(plan).name
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _yaml_text(value: str) -> str:
    """A value written into danvan.yaml: plain when YAML reads it back as it is, else quoted."""
    try:
        if yamlio.load(f"v: {value}") == {"v": value}:
            return value
    except yamlio.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def init(root: Path, plan: str | None = None) -> InitOutcome:
    """Make the workspace `root` under `plan` (a bundled plan's name or a plan file, see
    `option_plan`; default the bundled plan). An existing workspace keeps its plan: a
    different `plan` is reported in `plan_kept`, never silently taken or ignored."""
    make_folder(root)
    created = False
    config_path = root / CONFIG_FILE
    chosen = plan if plan is not None else DEFAULT_PLAN
    existed = config_path.exists()
    if not existed:
        name = stored_plan(chosen, root)
        config = load_config(option_plan(chosen, root))
        text = WORKSPACE_FILE.format(
            plan=_yaml_text(name),
            authority=config.plan.authority.name,
            place=config.plan.authority.place,
        )
        try:
            config_path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(
                "output.failed", path=str(config_path), error=os_reason(exc)
            ) from None
        created = True
    for folder in (root / DOSSIERS, root / OUTPUTS, root / REGISTER.parent):
        if not folder.is_dir():
            make_folder(folder)
            created = True
    ws = open_workspace(root.resolve())
    kept = None
    if plan is not None and existed:
        asked = option_plan(plan, ws.root).resolve()
        if asked != ws.plan_path().resolve():
            kept = asked
    with Register.open(ws.register_path, create=True) as register:
        created = register.migrated or created
    return InitOutcome(ws, ws.config(), created, dt.date.today().year, kept)
