"""What a workbook is before it is read as a dossier: Excel's lock file, a list of past
recognitions, or a workbook danvan wrote itself."""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element

from danvan_cli.read.gate import OUTPUT_MARK  # the custom property danvan's workbooks carry
from danvan_cli.read.grid import Grid
from danvan_cli.read.labels import HISTORY_REQUIRED, HistoryKey, labels

__all__ = ["OUTPUT_MARK", "is_danvan_output", "is_history", "is_lock_file", "output_kind"]
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_PART_LIMIT = 256 * 1024  # a package's relationships or custom properties are a few hundred bytes


def is_lock_file(path: Path) -> bool:
    """Excel's `~$…` lock file, left beside a workbook that is open."""
    return path.name.startswith("~$")


def history_header(grid: Grid) -> tuple[int, dict[HistoryKey, int]] | None:
    """The header row of a list of past recognitions and each column's position, if any."""
    found = grid.header(labels().history, lambda cols: set(cols) >= HISTORY_REQUIRED)
    return (found.row, found.columns) if found else None


def is_history(grids: list[Grid]) -> bool:
    """A list of past recognitions (for `danvan history import`), not a dossier."""
    return any(history_header(g) is not None for g in grids)


def _part(zf: zipfile.ZipFile, name: str) -> Element | None:
    """A small XML part of the package, parsed safely (no DOCTYPE, no entities)."""
    from defusedxml.ElementTree import fromstring

    try:
        info = zf.getinfo(name)
        if info.file_size > _PART_LIMIT:
            return None
        with zf.open(info) as fh:
            data = fh.read(_PART_LIMIT + 1)
        root: Element = fromstring(data)
    except Exception:  # missing, damaged, or refused as unsafe: not danvan's
        return None
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def output_kind(source: Path | bytes) -> str | None:
    """The kind of danvan output a workbook is ("ranking", "rejections"…), or None when danvan
    did not write it. Found by the package's relationships, as Excel finds the part: the
    custom-properties part and its `danvan-output` property (any prefix or part location).
    Never by a sheet's name: an input that is not danvan's is always validated. `source`: the
    file, or its bytes as the gate read them (.xls and .ods are never danvan's)."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            rels = _part(zf, "_rels/.rels")
            if rels is None:
                return None
            targets = [
                r.get("Target", "")
                for r in rels
                if _local(r.tag) == "Relationship" and r.get("Type") == _CUSTOM
            ]
            for target in targets:
                name = posixpath.normpath(target.lstrip("/"))
                props = _part(zf, name)
                for prop in props if props is not None else []:
                    if _local(prop.tag) == "property" and prop.get("name") == OUTPUT_MARK:
                        return "".join(prop.itertext()).strip() or "?"
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError):
        return None
    return None


def is_danvan_output(source: Path | bytes) -> bool:
    """A workbook danvan wrote (a report, ranking or package): never a dossier."""
    return output_kind(source) is not None
