"""Loading a plan and its rubrics from YAML, with every problem as `file: key: problem`."""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from danvan_cli import __version__, yamlio
from danvan_cli.config.plan import Plan
from danvan_cli.config.rubric import Kind, Rubric
from danvan_cli.errors import ConfigError
from danvan_cli.i18n.catalog import Message

M = TypeVar("M", bound=BaseModel)
DEFAULT_PLAN = "van-ninh-2023.yaml"


class Config(BaseModel):
    """A loaded plan with its two rubrics, and where they came from."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    plan: Plan
    rubrics: dict[Kind, Rubric]
    plan_path: Path
    rubric_paths: dict[Kind, Path]

    def rubric(self, kind: Kind) -> Rubric:
        return self.rubrics[kind]

    def provenance(self) -> dict[str, object]:
        """Which danvan and which plan and rubric files (by SHA-256) made an output."""
        return {"danvan": __version__, "plan": self.plan.id, "files": dict(self.sources)}

    @cached_property
    def sources(self) -> dict[str, str]:
        """File name → SHA-256 of the plan and rubric files (provenance for outputs)."""
        paths = [self.plan_path, *self.rubric_paths.values()]
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def default_rubrics_dir() -> Path:
    """The rubrics shipped with danvan: inside the package when installed, else the checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "rubrics", here.parent / "rubrics"):
        if candidate.is_dir():
            return candidate
    return here.parent / "rubrics"


def problem(path: Path, where: str, key: str, **params: Any) -> Message:
    """One line of a ConfigError: `file: key: problem`, the problem from the catalog."""
    return Message(
        "config.line", {"file": str(path), "where": where, "problem": Message(key, params)}
    )


def read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("config.not_found", path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("config.not_utf8", path=str(path)) from None
    except OSError as exc:
        from danvan_cli.errors import os_reason

        raise ConfigError("config.unreadable", path=str(path), error=os_reason(exc)) from None
    try:
        return yamlio.load_cached(text)
    except yamlio.YAMLError as exc:
        line = problem(path, exc.where, "config.problem.yaml_syntax")
        raise ConfigError("config.invalid", lines=[line]) from None


_LIMITS = {
    "greater_than": "gt",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "less_than_equal": "le",
}


def validation_lines(path: Path, exc: ValidationError) -> list[Message]:
    """pydantic's errors as catalog lines; our validators put the key path in `where`."""
    lines = []
    for err in exc.errors():
        ctx = dict(err.get("ctx") or {})
        where = str(ctx.pop("where", "")) or ".".join(str(p) for p in err["loc"])
        kind = err["type"]
        params: dict[str, Any] = {k: str(v) for k, v in ctx.items()}
        if kind in _LIMITS:
            params = {"limit": params.get(_LIMITS[kind], "")}
        key = f"config.problem.{kind}"
        if key not in _known_problems():
            key, params = "config.problem.other", {"detail": err["msg"]}
        lines.append(problem(path, where, key, **params))
    return lines


def _known_problems() -> set[str]:
    from danvan_cli.i18n.catalog import catalog

    return {k for k in catalog().ui if k.startswith("config.problem.")}


def load_model(model: type[M], path: Path, data: object | None = None) -> M:
    data = read_yaml(path) if data is None else data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("config.invalid", lines=validation_lines(path, exc)) from None


def check_documents(plan: Plan, path: Path) -> None:
    """The plan's `documents:` checked by its models (config.documents), its problems told
    like any other key's ("file: documents.levels.huyen…: problem")."""
    from danvan_cli.config.documents import Documents

    try:
        Documents.model_validate(plan.documents_data)
    except ValidationError as exc:
        lines = []
        for line in validation_lines(path, exc):
            where = str(line.params["where"])
            if not where.startswith("documents"):
                line = Message(line.key, {**line.params, "where": f"documents.{where}"})
            lines.append(line)
        raise ConfigError("config.invalid", lines=lines) from None


def _plan(path: Path) -> Plan:
    """The plan at `path`, its documents checked when its content is new to this danvan
    (known content: `plan.documents` is made on first use, by the commands that write
    papers)."""
    plan = load_model(Plan, path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
    except OSError:
        digest = ""
    if not digest or not yamlio.is_checked("plan-documents", digest):
        check_documents(plan, path)
        if digest:
            yamlio.mark_checked("plan-documents", digest)
    return plan


def load_rubric(path: Path) -> Rubric:
    return load_model(Rubric, path)


def bundled_plan(name: str | Path) -> Path | None:
    """A plan bundled with danvan named by its bare file name ("van-ninh-2023.yaml")."""
    path = Path(name)
    if path.parent.parts or not path.name:
        return None
    bundled = default_rubrics_dir() / path.name
    return bundled if bundled.is_file() else None


def workspace_plan(name: str | Path, root: Path) -> Path:
    """The plan a workspace's danvan.yaml names: an absolute path as it is; a relative one
    from the workspace folder only (never from the current folder, so every command finds
    the same plan wherever it runs); a bare name that is no file there, a bundled plan."""
    path = Path(name)
    if path.is_absolute():
        return path
    local = root / path
    if local.is_file():
        return local
    return bundled_plan(path) or local


def option_plan(name: str | Path, folder: Path | None = None) -> Path:
    """A plan named on the command line (`--plan`, `DANVAN_PLAN`, `init --plan`): a path as
    typed, from the current folder; else a file of that name in the workspace `folder`; else
    a plan bundled with danvan ("van-ninh-2023.yaml"). Not found: the path as typed (loading
    it says so)."""
    path = Path(name)
    if path.is_file():
        return path.resolve()
    if folder is not None and not path.is_absolute() and (folder / path).is_file():
        return (folder / path).resolve()
    return bundled_plan(path) or path


def load_config(plan_path: Path | None = None) -> Config:
    """Load a plan and the rubrics it names (relative to the plan's folder)."""
    plan_path = plan_path or default_rubrics_dir() / DEFAULT_PLAN
    plan = _plan(plan_path)
    rubric_paths: dict[Kind, Path] = {
        kind: (plan_path.parent / name) for kind, name in plan.rubrics.items()
    }
    rubrics = {kind: load_rubric(p) for kind, p in rubric_paths.items()}
    lines = []
    for kind, rub in rubrics.items():
        if rub.kind != kind:
            lines.append(
                problem(
                    rubric_paths[kind],
                    "kind",
                    "config.problem.rubric_kind",
                    found=rub.kind,
                    kind=kind,
                )
            )
        for code in plan.tie_break.criteria.get(kind, []):
            if rub.criterion(code) is None:
                lines.append(
                    problem(
                        plan_path,
                        f"tie_break.criteria.{kind}",
                        "config.problem.plan_no_criterion",
                        value=code,
                    )
                )
    if lines:
        raise ConfigError("config.invalid", lines=lines)
    return Config(plan=plan, rubrics=rubrics, plan_path=plan_path, rubric_paths=rubric_paths)
