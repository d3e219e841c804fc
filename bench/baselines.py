"""The loops danvan is measured against, each run as its own process on a folder of dossiers.

    python bench/baselines.py calamine DIR   # read every sheet with python-calamine + SHA-256
    python bench/baselines.py zip DIR        # inflate the sheet XML only: the I/O floor
    python bench/baselines.py openpyxl DIR   # openpyxl read_only, every row (xlsx only)
    python bench/baselines.py pandas DIR     # pandas.read_excel, every sheet (xlsx only)

Each prints how many files it read, so the bench can check it read them all. Every import is
inside its loop's function: a loop's start-up costs only what the loop needs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


def dossiers(folder: Path, suffixes: set[str] = SUFFIXES) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes)


def calamine(folder: Path) -> int:
    """The floor danvan can reach: the same reader danvan uses, every cell of every sheet,
    and the SHA-256 of the file bytes that danvan reports."""
    import hashlib

    from python_calamine import CalamineWorkbook

    files = dossiers(folder)
    for path in files:
        hashlib.sha256(path.read_bytes()).hexdigest()
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        wb.close()
    return len(files)


def inflate(folder: Path) -> int:
    """Reading and inflating the XML that holds the cells, no parsing: below this no reader
    of these files can go (.ods: content.xml; .xls is no zip: its bytes)."""
    import zipfile

    files = dossiers(folder)
    for path in files:
        suffix = path.suffix.lower()
        if suffix == ".xls":
            path.read_bytes()
            continue
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if suffix == ".ods":
                    wanted = name == "content.xml"
                else:
                    wanted = name == "xl/sharedStrings.xml" or (
                        name.startswith("xl/worksheets/") and name.endswith(".xml")
                    )
                if wanted:
                    zf.read(name)
    return len(files)


def openpyxl_loop(folder: Path) -> int:
    import openpyxl

    files = dossiers(folder, {".xlsx", ".xlsm"})
    for path in files:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _row in ws.iter_rows(values_only=True):
                pass
        wb.close()
    return len(files)


def pandas_loop(folder: Path) -> int:
    import pandas

    files = dossiers(folder, {".xlsx", ".xlsm"})
    for path in files:
        pandas.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    return len(files)


LOOPS: dict[str, Callable[[Path], int]] = {
    "calamine": calamine,
    "zip": inflate,
    "openpyxl": openpyxl_loop,
    "pandas": pandas_loop,
}


def main() -> None:
    name, folder = sys.argv[1], Path(sys.argv[2])
    print(LOOPS[name](folder))


if __name__ == "__main__":
    main()
