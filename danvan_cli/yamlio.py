"""YAML reading through libyaml when PyYAML has it (ten times faster than pure Python)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)


def load_cached(path: Path) -> Any:
    """A bundled YAML file, parsed once per content: later runs read a JSON copy kept in the
    user's cache folder (a few milliseconds saved on every command). Any cache problem just
    means parsing the YAML again."""
    import hashlib
    import json
    import os

    text = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "danvan"
    cached = base / f"{path.stem}-{digest}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = load(text)
    try:
        base.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass
    return data
