"""danvan's speed and memory, side by side with the usual ways to read workbooks.

    python bench/bench.py                 # N = 100, 1,000 and 10,000 dossiers
    python bench/bench.py --sizes 100,1000

Every measurement runs in its own process on the same files, so peak memory is that
process's own. The dossiers are the samples (three layouts, valid and invalid, broken files)
copied N times under new names.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "2024"
PY = sys.executable

OPENPYXL_LOOP = """
import sys, openpyxl
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob('*.xlsx')):
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                pass
        wb.close()
    except Exception:
        pass
"""

PANDAS_LOOP = """
import sys, pandas
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob('*.xlsx')):
    try:
        pandas.read_excel(p, sheet_name=None, header=None, engine='openpyxl')
    except Exception:
        pass
"""

RANK_AND_WRITE = """
import random, sys
from decimal import Decimal
from pathlib import Path
from danvan_cli.ranking import Entry, rank
from danvan_cli.xlsx_doc import new_workbook, save_atomic, write_table
rnd = random.Random(1)
entries = [Entry(rnd.choice(['collective', 'individual']), Decimal(rnd.randint(180, 200)) / 2,
                 {'difficult': rnd.random() < 0.2}, {'07': Decimal(rnd.randint(8, 10)),
                 '03': Decimal(rnd.randint(13, 20))}, rnd.random() < 0.8) for _ in range(100_000)]
rank(entries, {'collective': 3, 'individual': 5}, ['difficult'],
     {'collective': ['07', '03'], 'individual': ['03', '07']})
rows = [[e.rank, f'Ứng viên số {i}', f'xã {i % 40}', 'Mô hình dân vận khéo', 'Kinh tế',
         float(e.total), e.status, 'Lý do xếp hạng'] for i, e in enumerate(entries[:10_000])]
wb = new_workbook()
write_table(wb.active, 1, ['Hạng', 'Tên', 'Đơn vị', 'Mô hình', 'Lĩnh vực', 'Tổng', 'Kết quả', 'Lý do'], rows)
save_atomic(wb, Path(sys.argv[1]) / 'tong-hop-10000.xlsx')
"""


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


def best_of(cmd: list[str], times: int) -> tuple[float, float]:
    runs = [run(cmd) for _ in range(times)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def make_intake(folder: Path, n: int) -> Path:
    samples = sorted(p for p in SAMPLES.glob("*.xlsx") if not p.name.startswith("~$"))
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        src = samples[i % len(samples)]
        shutil.copyfile(src, folder / f"{i:05d}-{src.name}")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    # the installed `danvan` command, as a user runs it (else the module)
    script = Path(PY).parent / "danvan"
    danvan = [str(script)] if script.exists() else [PY, "-m", "danvan_cli"]
    rows: list[tuple[str, int, float, float, str]] = []
    ratios: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        work = Path(tmp)
        for n in sizes:
            intake = make_intake(work / f"n{n}", n)
            base, base_mem = run([PY, "-c", OPENPYXL_LOOP, str(intake)])
            serial, serial_mem = run(
                [*danvan, "validate", str(intake), "--format", "json", "--jobs", "1"]
            )
            par, par_mem = run(
                [
                    *danvan,
                    "validate",
                    str(intake),
                    "--format",
                    "json",
                    "--jobs",
                    str(os.cpu_count() or 2),
                ]
            )
            pd_time, pd_mem = run([PY, "-c", PANDAS_LOOP, str(intake)])
            for label, secs, mem in (
                ("openpyxl.load_workbook(read_only) loop", base, base_mem),
                ("pandas.read_excel(engine=openpyxl) loop", pd_time, pd_mem),
                ("danvan validate --jobs 1", serial, serial_mem),
                (f"danvan validate --jobs {os.cpu_count() or 2}", par, par_mem),
            ):
                rows.append((label, n, secs, mem, f"{secs / base:.2f}×"))
            ratios[n] = min(serial, par) / base
            shutil.rmtree(intake)
        one = SAMPLES / "tt-01-hoi-nong-dan-van-thang.xlsx"
        start_base, _ = best_of([PY, "-c", "import typer, rich, pydantic"], 7)
        start_help, _ = best_of([*danvan, "--help"], 7)
        start_one, _ = best_of([*danvan, "validate", str(one)], 7)
        rank_secs, rank_mem = run([PY, "-c", RANK_AND_WRITE, str(work)])

    print(f"\ndanvan bench — {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print(
        f"| {'case':44} | {'files':>6} | {'seconds':>8} | {'files/s':>8} | {'peak MB':>7} | {'vs openpyxl':>11} |"
    )
    print(f"|{'-' * 46}|{'-' * 8}|{'-' * 10}|{'-' * 10}|{'-' * 9}|{'-' * 13}|")
    for label, n, secs, mem, ratio in rows:
        print(
            f"| {label:44} | {n:>6} | {secs:>8.2f} | {n / secs:>8.0f} | {mem:>7.0f} | {ratio:>11} |"
        )
    print()
    print(
        f"| {'start-up (median of 7)':44} | {'seconds':>8} | {'vs import typer, rich, pydantic':>32} |"
    )
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 34}|")
    for label, secs in (
        ("python -c 'import typer, rich, pydantic'", start_base),
        ("danvan --help", start_help),
        ("danvan validate <one file>", start_one),
    ):
        print(f"| {label:44} | {secs:>8.3f} | {secs / start_base:>31.2f}× |")
    print()
    print(
        f"rank 100,000 candidates + write a 10,000-row workbook: {rank_secs:.2f} s, peak {rank_mem:.0f} MB"
    )
    print()
    checks = []
    if 1000 in ratios:
        checks.append(
            (
                f"validate 1,000 dossiers ≤ 0.2× the openpyxl loop ({ratios[1000]:.3f}×)",
                ratios[1000] <= 0.2,
            )
        )
    checks.append(
        (
            f"danvan --help ≤ 3× the import baseline ({start_help / start_base:.2f}×)",
            start_help <= 3 * start_base,
        )
    )
    checks.append(
        (
            f"validate one file ≤ 3× the import baseline ({start_one / start_base:.2f}×)",
            start_one <= 3 * start_base,
        )
    )
    checks.append(
        (f"rank 100,000 + 10,000-row workbook < 500 MB ({rank_mem:.0f} MB)", rank_mem < 500)
    )
    for text, ok in checks:
        print(f"{'MET ' if ok else 'MISSED'}  {text}")


if __name__ == "__main__":
    main()
