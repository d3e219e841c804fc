"""`python samples/make_samples.py` reproduces the committed samples byte for byte.

The generator runs once, in a subprocess (it pins openpyxl's XML serializer before openpyxl
is imported, which this test process has already done), into a temporary folder; it starts
when pytest imports this module, so its few seconds pass beside the tests that run before
these (with two cores or more, the suite hardly waits for it). Every file
must equal its committed copy byte for byte: the generator fixes zip entry times, document
dates and the encryption salt. The encrypted file is held to the workbook it encrypts: equal
bytes, or else (msoffcrypto-tool's salt is random unless the generator's pinning of its
internals still holds) both copies decrypted with the password give the same workbook.
A difference is explained file by file: zip entries, then cells (value, number format, font,
wrap, border), or the lines of expected.yaml.
"""

from __future__ import annotations

import atexit
import difflib
import io
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import msoffcrypto
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import ROOT, SAMPLES

ENCRYPTED = "2024/loi-file-dat-mat-khau.xlsx"
ENCRYPTED_SOURCE = "2024/cn-09-truong-thi-my-dung.xlsx"
PASSWORD = "123"
COMMITTED = sorted(
    [f"2024/{p.name}" for p in (SAMPLES / "2024").iterdir()]
    + ["expected.yaml", "lich-su-cong-nhan.xlsx"]
)


class _Generator:
    """make_samples.py writing into a temporary folder, from the moment it is created."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="danvan-samples-"))
        self.process = subprocess.Popen(
            [sys.executable, str(SAMPLES / "make_samples.py"), "--root", str(self.root)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        atexit.register(self.close)  # also when this module's tests are deselected

    def wait(self) -> Path:
        _, errors = self.process.communicate(timeout=120)
        assert self.process.returncode == 0, errors
        return self.root

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.root, ignore_errors=True)


_GENERATOR = _Generator()


@pytest.fixture(scope="module")
def regenerated() -> Path:
    return _GENERATOR.wait()


def test_the_same_files(regenerated: Path) -> None:
    made = sorted(f"2024/{p.name}" for p in (regenerated / "2024").iterdir())
    assert made == [name for name in COMMITTED if name.startswith("2024/")]


@pytest.mark.parametrize("name", [n for n in COMMITTED if n != ENCRYPTED])
def test_same_bytes(name: str, regenerated: Path) -> None:
    old, new = SAMPLES / name, regenerated / name
    if old.read_bytes() != new.read_bytes():
        pytest.fail(f"{name}: regenerated file differs from the committed one\n{explain(old, new)}")


def test_encrypted_file_holds_the_same_workbook(regenerated: Path) -> None:
    old, new = SAMPLES / ENCRYPTED, regenerated / ENCRYPTED
    if old.read_bytes() != new.read_bytes():  # another salt: compare what they hold
        assert decrypt(old) == decrypt(new) == (SAMPLES / ENCRYPTED_SOURCE).read_bytes()


def decrypt(path: Path) -> bytes:
    office = msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes()))
    assert office.is_encrypted(), path
    office.load_key(password=PASSWORD)
    out = io.BytesIO()
    office.decrypt(out)
    return out.getvalue()


# --------------------------------------------------------------------------- failure messages


def explain(old: Path, new: Path, limit: int = 12) -> str:
    """What differs between two versions of a sample, for a person to read."""
    if old.suffix == ".yaml":
        lines = difflib.unified_diff(
            old.read_text(encoding="utf-8").splitlines(),
            new.read_text(encoding="utf-8").splitlines(),
            "committed",
            "regenerated",
            lineterm="",
        )
        return "\n".join(list(lines)[: limit * 3])
    if not (zipfile.is_zipfile(old) and zipfile.is_zipfile(new)):
        a, b = old.read_bytes(), new.read_bytes()
        at = next(
            (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
        )
        return (
            f"sizes {len(a)} / {len(b)} bytes (committed / regenerated), first difference at {at}"
        )
    notes = zip_differences(old, new)
    try:
        cells = cell_differences(old, new)
    except Exception as exc:  # a workbook openpyxl cannot read still gets its zip report
        cells = [f"(cells not compared: {exc})"]
    if not cells:
        cells = [
            "same cells, styles and merges: the XML is written differently (lxml used?"
            " another openpyxl version?)"
        ]
    notes += cells
    more = [f"... {len(notes) - limit} more"] if len(notes) > limit else []
    return "\n".join(notes[:limit] + more)


def zip_differences(old: Path, new: Path) -> list[str]:
    with zipfile.ZipFile(old) as za, zipfile.ZipFile(new) as zb:
        if za.namelist() != zb.namelist():
            return [f"zip entries {za.namelist()} / {zb.namelist()}"]
        notes = []
        for ia, ib in zip(za.infolist(), zb.infolist(), strict=True):
            if za.read(ia) != zb.read(ib):
                notes.append(f"entry {ia.filename} differs")
            elif (ia.date_time, ia.external_attr) != (ib.date_time, ib.external_attr):
                notes.append(f"entry {ia.filename}: same content, other time or attributes")
        if not notes:
            notes.append("same zip entries; only the compressed bytes differ (zlib version?)")
        return notes


def cell_differences(old: Path, new: Path) -> list[str]:
    """Cell by cell (committed / regenerated): only the properties that differ."""
    wa, wb = openpyxl.load_workbook(old), openpyxl.load_workbook(new)
    if wa.sheetnames != wb.sheetnames:
        return [f"sheets {wa.sheetnames} / {wb.sheetnames}"]
    notes = []
    for sa, sb in zip(wa.worksheets, wb.worksheets, strict=True):
        for row, col in sorted(set(sa._cells) | set(sb._cells)):
            pa, pb = _properties(sa, row, col), _properties(sb, row, col)
            diffs = [
                f"{key} {_show(pa[key])} / {_show(pb[key])}" for key in pa if pa[key] != pb[key]
            ]
            if diffs:
                notes.append(f"{sa.title}!{get_column_letter(col)}{row}: " + "; ".join(diffs))
        if sorted(map(str, sa.merged_cells.ranges)) != sorted(map(str, sb.merged_cells.ranges)):
            notes.append(f"{sa.title}: other merged ranges")
    return notes


def _properties(ws: Any, row: int, col: int) -> dict[str, Any]:
    cell = ws._cells.get((row, col))
    if cell is None:
        return dict.fromkeys(("value", "number format", "font", "wrap", "border"))
    return {
        "value": cell.value,
        "number format": cell.number_format,
        "font": (cell.font.name, cell.font.sz, cell.font.b),
        "wrap": cell.alignment.wrap_text,
        "border": cell.border.left.style,
    }


def _show(value: Any) -> str:
    if isinstance(value, str) and unicodedata.is_normalized("NFC", value) is False:
        return f"{value!r} (NFD)"
    return repr(value)
