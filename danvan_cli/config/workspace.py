"""The workspace: a folder with danvan.yaml, ho-so/<year>/, ket-qua/ and the register.

Found like git: the given folder, DANVAN_WORKSPACE, or the current folder and its parents.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from danvan_cli import yamlio
from danvan_cli.config.load import (
    Config,
    load_config,
    validation_lines,
    workspace_plan,
)
from danvan_cli.config.plan import Authority
from danvan_cli.errors import ConfigError, UsageError, os_reason

CONFIG_FILE = "danvan.yaml"
DOSSIERS = "ho-so"
OUTPUTS = "ket-qua"
REGISTER = Path(".danvan") / "register.sqlite"


if TYPE_CHECKING:  # its model is made only when a workspace is opened
    from danvan_cli.config.settings import WorkspaceFile


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: WorkspaceFile

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def register_path(self) -> Path:
        return self.root / REGISTER

    @property
    def outputs(self) -> Path:
        return self.root / OUTPUTS

    @property
    def dossier_root(self) -> Path:
        return self.root / DOSSIERS

    def relative(self, path: Path) -> str:
        """How a file is named in outputs and in the register: relative to the workspace."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def dossiers(self, year: int) -> Path:
        return self.root / DOSSIERS / str(year)

    def years(self) -> list[int]:
        """The years that have a non-empty ho-so/<year>/ folder, oldest first."""
        folder = self.dossier_root
        if not folder.is_dir():
            return []
        return sorted(
            int(p.name)
            for p in folder.iterdir()
            if p.is_dir() and p.name.isdigit() and any(p.iterdir())
        )

    def output(self, year: int | None, name: str) -> Path:
        """Where a default output goes: ket-qua/<year>/<name> (or ket-qua/<name>)."""
        folder = self.outputs / str(year) if year is not None else self.outputs
        return folder / name

    def plan_path(self) -> Path:
        """The workspace's plan: a relative path in danvan.yaml is from this folder only."""
        return workspace_plan(self.settings.plan, self.root)

    def config(self) -> Config:
        config = self._documents(load_config(self.plan_path()))
        if self.settings.authority is None and self.settings.place is None:
            return config
        authority = Authority(
            name=self.settings.authority or config.plan.authority.name,
            place=self.settings.place or config.plan.authority.place,
        )
        plan = config.plan.model_copy(update={"authority": authority})
        return config.model_copy(update={"plan": plan})

    def _documents(self, config: Config) -> Config:
        """The plan with danvan.yaml's `documents:` merged in, checked like the plan itself."""
        if not self.settings.documents:
            return config
        from danvan_cli.config.documents import merge
        from danvan_cli.config.load import check_documents
        from danvan_cli.config.plan import Plan

        data = config.plan.model_dump(mode="python", by_alias=True)
        data["documents"] = merge(data["documents"], self.settings.documents)
        path = self.root / CONFIG_FILE
        try:
            plan = Plan.model_validate(data)
        except ValidationError as exc:
            raise ConfigError("config.invalid", lines=validation_lines(path, exc)) from None
        check_documents(plan, path)
        return config.model_copy(update={"plan": plan})


def locate(start: Path | None = None) -> Path | None:
    """The workspace folder at `start`, DANVAN_WORKSPACE, or the current folder or a parent;
    None when there is none (and none was asked for)."""
    if start is None and os.environ.get("DANVAN_WORKSPACE"):
        start = Path(os.environ["DANVAN_WORKSPACE"])
    if start is not None:
        if start.exists() and not start.is_dir():
            raise UsageError("workspace.is_file", path=str(start))
        if not (start / CONFIG_FILE).is_file():
            raise UsageError("workspace.not_here", path=str(start))
        return start.resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def find(start: Path | None = None) -> Workspace:
    """The workspace (see `locate`); outside one a usage error."""
    root = locate(start)
    if root is None:
        raise UsageError("workspace.not_found", path=str(Path.cwd().resolve()))
    return open_workspace(root)


def open_workspace(root: Path) -> Workspace:
    from danvan_cli.config.settings import WorkspaceFile

    path = root / CONFIG_FILE
    try:
        data = yamlio.load_cached(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError("config.unreadable", path=str(path), error=os_reason(exc)) from None
    except UnicodeDecodeError:
        raise ConfigError("config.not_utf8", path=str(path)) from None
    except yamlio.YAMLError as exc:
        from danvan_cli.config.load import problem

        lines = [problem(path, exc.where, "config.problem.yaml_syntax")]
        raise ConfigError("config.invalid", lines=lines) from None
    try:
        settings = WorkspaceFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("config.invalid", lines=validation_lines(path, exc)) from None
    return Workspace(root=root, settings=settings)


WORKSPACE_FILE = """\
# Không gian làm việc danvan (danvan workspace).
# plan: tệp kế hoạch — tên một kế hoạch đi kèm danvan (rubrics/), hoặc đường dẫn tới tệp kế hoạch
#   (đường dẫn tương đối tính từ thư mục này, thư mục chứa danvan.yaml).
# authority / place: tên cơ quan và địa danh in ở đầu các văn bản (bỏ trống: lấy theo kế hoạch).
plan: {plan}
authority: {authority}
place: {place}
"""
