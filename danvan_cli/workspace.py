"""The workspace: a folder with danvan.yaml, ho-so/<year>/, ket-qua/ and the register.

Found like git: the given folder, DANVAN_WORKSPACE, or the current folder and its parents.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from danvan_cli import yamlio
from danvan_cli.errors import ConfigError, UsageError
from danvan_cli.rubric import (
    Authority,
    Config,
    default_rubrics_dir,
    load_config,
    validation_lines,
)

CONFIG_FILE = "danvan.yaml"
DOSSIERS = "ho-so"
OUTPUTS = "ket-qua"
REGISTER = Path(".danvan") / "register.sqlite"


class WorkspaceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan: str = "van-ninh-2023.yaml"
    authority: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: WorkspaceFile

    @property
    def register_path(self) -> Path:
        return self.root / REGISTER

    @property
    def outputs(self) -> Path:
        return self.root / OUTPUTS

    def relative(self, path: Path) -> str:
        """How a file is named in outputs and in the register: relative to the workspace."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def dossiers(self, year: int) -> Path:
        return self.root / DOSSIERS / str(year)

    def plan_path(self) -> Path:
        local = self.root / self.settings.plan
        return local if local.is_file() else default_rubrics_dir() / self.settings.plan

    def config(self) -> Config:
        config = load_config(self.plan_path())
        if self.settings.authority is None and self.settings.place is None:
            return config
        authority = Authority(
            name=self.settings.authority or config.plan.authority.name,
            place=self.settings.place or config.plan.authority.place,
        )
        plan = config.plan.model_copy(update={"authority": authority})
        return config.model_copy(update={"plan": plan})


def find(start: Path | None = None) -> Workspace:
    """The workspace at `start`, DANVAN_WORKSPACE, or the current folder or a parent."""
    if start is None and os.environ.get("DANVAN_WORKSPACE"):
        start = Path(os.environ["DANVAN_WORKSPACE"])
    if start is not None:
        if not (start / CONFIG_FILE).is_file():
            raise UsageError("workspace.not_here", path=str(start))
        return _open(start.resolve())
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return _open(folder)
    raise UsageError("workspace.not_found", path=str(here))


def _open(root: Path) -> Workspace:
    path = root / CONFIG_FILE
    try:
        data = yamlio.load(path.read_text(encoding="utf-8")) or {}
        settings = WorkspaceFile.model_validate(data)
    except (OSError, UnicodeDecodeError, yamlio.YAMLError) as exc:
        raise ConfigError("config.unreadable", path=str(path), error=str(exc)) from None
    except ValidationError as exc:
        lines = validation_lines(path, exc)
        raise ConfigError("config.invalid", lines=lines) from None
    return Workspace(root=root, settings=settings)


_TEMPLATE = """\
# Không gian làm việc danvan (danvan workspace).
# plan: tệp kế hoạch — tên một kế hoạch đi kèm danvan (rubrics/) hoặc đường dẫn trong thư mục này.
# authority / place: tên cơ quan và địa danh in ở đầu các văn bản (bỏ trống: lấy theo kế hoạch).
plan: {plan}
authority: {authority}
place: {place}
"""


def init(root: Path, plan: str = "van-ninh-2023.yaml") -> tuple[Workspace, bool]:
    """Create a workspace (or complete one); returns it and whether anything was created."""
    from danvan_cli.register import Register

    root.mkdir(parents=True, exist_ok=True)
    created = False
    config_path = root / CONFIG_FILE
    if not config_path.exists():
        local = root / plan
        config = load_config(local if local.is_file() else default_rubrics_dir() / plan)
        text = _TEMPLATE.format(
            plan=plan,
            authority=config.plan.authority.name,
            place=config.plan.authority.place,
        )
        config_path.write_text(text, encoding="utf-8")
        created = True
    for folder in (root / DOSSIERS, root / OUTPUTS, root / REGISTER.parent):
        if not folder.exists():
            folder.mkdir(parents=True)
            created = True
    workspace = _open(root.resolve())
    with Register.open(workspace.register_path) as register:
        created = register.migrated or created
    return workspace, created
