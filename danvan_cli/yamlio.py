"""YAML reading: through libyaml when PyYAML has it, and not at all when a JSON copy of the
same content is in the user's cache (PyYAML itself is then never imported: start-up time)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


class YAMLError(Exception):
    """A YAML file that does not parse; `where` is "line:column" when known."""

    def __init__(self, problem: str, where: str = "?") -> None:
        super().__init__(problem)
        self.problem = problem
        self.where = where


def load(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "?"
        raise YAMLError(str(getattr(exc, "problem", None) or exc), where) from None


def _cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "danvan"


def load_cached(text: str) -> Any:
    """Parsed YAML, kept per content as JSON in the user's cache folder, so the next run
    reads JSON. Any cache problem just means parsing the YAML again."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:24]
    try:
        cached = _cache_folder() / f"yaml-{digest}.json"
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError, RuntimeError):  # no cache yet, or no home folder at all
        pass
    data = load(text)
    try:
        cached = _cache_folder() / f"yaml-{digest}.json"
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(tmp, cached)
    except (OSError, TypeError, ValueError, RuntimeError):
        pass
    return data


def load_file_cached(path: Path) -> Any:
    return load_cached(path.read_text(encoding="utf-8"))


def _mark(name: str, digest: str) -> Path:
    from danvan_cli import __version__

    return _cache_folder() / f"checked-{name}-{__version__}-{digest}"


def is_checked(name: str, digest: str) -> bool:
    """Whether content of this digest passed check `name` of this danvan version before."""
    try:
        return _mark(name, digest).exists()
    except (OSError, RuntimeError):
        return False


def mark_checked(name: str, digest: str) -> None:
    """Remember that content of this digest passed check `name` (a cache: failing is fine)."""
    try:
        mark = _mark(name, digest)
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()
    except (OSError, RuntimeError):
        pass


def load_file_checked(path: Path, check: Callable[[Any], object], name: str) -> Any:
    """Parsed YAML that `check` accepted (it raises otherwise). `check` runs once per content
    and danvan version: a mark in the cache folder says this very content passed it, so the
    next runs need neither PyYAML nor the checker (pydantic) to read a bundled file."""
    text = path.read_text(encoding="utf-8")
    data = load_cached(text)
    digest = hashlib.sha256(text.encode()).hexdigest()[:24]
    if not is_checked(name, digest):
        check(data)
        mark_checked(name, digest)
    return data
