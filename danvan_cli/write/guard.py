"""Where danvan may write: never over a dossier, a history list or anything it did not make."""

from __future__ import annotations

from pathlib import Path

from danvan_cli.config.workspace import CONFIG_FILE, DOSSIERS, Workspace
from danvan_cli.errors import UsageError, no_place
from danvan_cli.read.recognise import output_kind, paper_kind


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _in_dossiers(path: Path, ws: Workspace | None) -> bool:
    """Whether `path` lies among received dossiers: in the ho-so/ folder of the workspace
    given, or of any workspace one of its own folders belongs to (a folder holding
    danvan.yaml) — wherever the command runs from."""
    if ws is not None and _inside(path, ws.root / DOSSIERS):
        return True
    resolved = path.resolve()
    return any(
        folder.name == DOSSIERS and (folder.parent / CONFIG_FILE).is_file()
        for folder in (resolved, *resolved.parents)
    )


WORKBOOKS = frozenset({"rejections", "results", "history", "ranking"})  # the rest: papers


def guard_file(path: Path, ws: Workspace | None, kind: str) -> None:
    """Refuse to write an output among the received dossiers, under a name of another format
    than the one danvan writes it in (.xlsx for a workbook, .docx for a paper: a report
    never lands in `dossier.ods`), or over anything but an earlier output of the same `kind`
    (never a dossier, a history list, someone's own file, nor another of danvan's outputs: a
    ranking the council marked is no rejection report)."""
    if _in_dossiers(path, ws):
        raise UsageError("output.in_dossiers", path=str(path))
    if path.is_dir():
        raise UsageError("output.exists_dir", path=str(path))
    suffix = ".xlsx" if kind in WORKBOOKS else ".docx"
    if path.suffix.lower() != suffix:
        raise UsageError("output.suffix", path=str(path), suffix=suffix)
    if path.exists() or path.is_symlink():
        found = paper_kind(path) if suffix == ".docx" else output_kind(path)
        if path.is_symlink() or found != kind:
            raise UsageError("output.not_ours", path=str(path))
    if not path.parent.resolve().is_dir():
        raise no_place(path, error=UsageError)


def guard_folder(path: Path, ws: Workspace | None, manifest: str) -> None:
    """A package folder may replace only an earlier package (it holds the manifest)."""
    if _in_dossiers(path, ws) or (ws is not None and path.resolve() == ws.root.resolve()):
        raise UsageError("output.in_dossiers", path=str(path))
    if path.is_file():
        raise UsageError("output.not_ours", path=str(path))
    if path.is_dir() and any(path.iterdir()) and not (path / manifest).is_file():
        raise UsageError("output.folder_not_ours", path=str(path))
