"""danvan's bench: danvan side by side with the floors it is judged against, and a verdict.

    python bench/bench.py                  # the full run (about ten minutes on 2 cores)
    python bench/bench.py --quick          # a smoke run on small sizes (under a minute)
    python bench/bench.py --only startup   # one section: startup, validate, crossover, write
    python bench/bench.py --code DIR       # measure the danvan_cli of another checkout

Every measurement is a process of its own, reading the same generated files as every other
case of its section, its runs interleaved with theirs round by round. Times are wall seconds
(median and min–max over the rounds), ratios are taken per round and then summarised, peak
memory is the RSS summed over the process and its workers. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import measure
import mixes
from measure import (
    Case,
    RunFailed,
    Spread,
    interleave,
    memory,
    memory_rss,
    ok,
    ratio,
    seconds,
)

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = sys.executable
ONE = mixes.SAMPLES / "tt-01-hoi-nong-dan-van-thang.xlsx"
SECTIONS = ("startup", "validate", "crossover", "write")
LOOPS = ("calamine", "zip", "openpyxl", "pandas")
LIBRARY_WARM_UP = (["rank", "20", "200"], ["rejections", "20"])

# the targets of issue 13
RATIO_TARGET = 2.0  # validate (serial) / calamine + SHA-256 loop
FLAT_TARGET = 1.10  # time per file at the largest size / at the ratio size
MEMORY_TARGET = 150.0  # MB, validate at the largest size, summed over processes
START_ONE_TARGET = 2.0  # validate one file / python -c "import typer, rich, pydantic"
START_HELP_TARGET = 1.2  # danvan --help / the same
WRITE_MB_TARGET = 300.0
LINEAR_TARGET = 0.15  # time per row at each size within ±15 % of that at the largest
SLOWER_MARGIN = 1.03  # "slower beyond noise": slower in every round and the median above this
QUIET = 10.0  # % of the machine others may keep busy before one-process verdicts go by CPU


@dataclass
class Plan:
    """What one run measures (the defaults, or --quick's small version)."""

    rounds: int
    big_rounds: int  # rounds for the expensive blocks (largest sizes, loaded, writing)
    sizes: list[int]  # first: the ratio size (both mixes); the rest: the scale sizes
    references: int  # size of the openpyxl/pandas reference block (0: none)
    crossover: list[int]
    cross_rounds: int
    loaded: list[int]
    startup_runs: int
    rows: list[int]  # writing: rows of the workbook (candidates ranked: 10× the rows)


FULL = Plan(5, 2, [1000, 10000], 100, [50, 100, 200, 400, 800], 3, [400, 800], 15, [2500, 10000])
QUICK = Plan(2, 2, [50, 150], 0, [100], 2, [100], 3, [50, 100])


@dataclass
class Verdict:
    section: str
    target: str
    met: bool
    measured: str

    def line(self) -> str:
        return f"{'MET' if self.met else 'MISSED':<7}{self.target} ({self.measured})"


@dataclass
class Bench:
    plan: Plan
    work: Path
    code: Path | None
    retries: measure.Retries
    verdicts: list[Verdict] = field(default_factory=list)
    pairs: list[tuple[str, Case, Case]] = field(default_factory=list)  # (label, serial, default)
    started: float = field(default_factory=time.perf_counter)
    section: str = "start-up"
    measured: list[Case] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.scratch = self.work / "scratch"
        self.scratch.mkdir()
        self.cache = self.work / "cache-warm"
        env = dict(os.environ)
        env["XDG_CACHE_HOME"] = str(self.cache)  # never the user's own cache
        env.pop("PYTHONPROFILEIMPORTTIME", None)
        # Bytecode compiled once (in the warm-up) and reused, as for an installed package,
        # kept in the bench's folder: no checkout gets a __pycache__, whatever
        # PYTHONDONTWRITEBYTECODE says outside.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.work / "pycache")
        if self.code is not None:
            env["PYTHONPATH"] = os.pathsep.join(
                [str(self.code), *filter(None, [os.environ.get("PYTHONPATH")])]
            )
        self.env = env
        script = Path(PY).parent / "danvan"  # the installed command, without a pyenv shim
        self.danvan_args = [str(script)] if script.exists() else ["-m", "danvan_cli"]
        self.danvan = [PY, *self.danvan_args]
        self.templates: dict[str, list[Path]] = {}

    # -- output --------------------------------------------------------------------------

    def log(self, text: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[{elapsed:5.0f} s] {text}", file=sys.stderr, flush=True)

    @staticmethod
    def out(text: str = "") -> None:
        print(text, flush=True)

    def noise(self, cases: Sequence[Case]) -> None:
        load = measure.foreign_load(cases)
        if load is not None:
            self.out()
            self.out(
                f"Other processes kept {load.fmt(0, ' %')} of the machine busy during these runs"
            )

    def by_cpu(self, cases: Sequence[Case]) -> tuple[bool, str]:
        """Whether a verdict on one process's time goes by CPU seconds: when other processes
        kept the machine busy during these runs, wall time measures them as much as danvan."""
        load = measure.foreign_load(cases)
        if load is None or load.median <= QUIET:
            return False, ""
        return True, f"; judged in CPU seconds: others kept {load.median:.0f} % busy"

    def judge(self, target: str, met: bool, measured: str) -> None:
        self.verdicts.append(Verdict(self.section, target, met, measured))

    def failed(self, target: str, cases: Sequence[Case]) -> None:
        errors = dict.fromkeys((c.error or "").splitlines()[0] for c in cases if c.error)
        self.judge(target, False, "not measured: " + "; ".join(errors or ["no run"]))

    # -- cases ---------------------------------------------------------------------------

    def mix(self, name: str, n: int) -> Path:
        folder = self.work / f"{name}-{n}"
        if not folder.exists():
            if name not in self.templates:
                self.templates[name] = (
                    mixes.sample_files()
                    if name == "samples"
                    else mixes.layout_templates(self.work / "templates")
                )
            self.log(f"generating the {name} mix, {n} files")
            mixes.make_mix(folder, n, self.templates[name])
        return folder

    def validate_case(self, name: str, folder: Path, n: int, jobs: int | None) -> Case:
        argv = [*self.danvan, "validate", str(folder), "--format", "json"]
        if jobs is not None:
            argv += ["--jobs", str(jobs)]

        def check(out: Path, first: bool) -> None:
            if not first:
                return
            try:
                found = json.loads(out.read_bytes())["summary"]["files"]
            except (ValueError, KeyError) as exc:
                raise RunFailed(f"{name}: no JSON report on stdout ({exc})") from None
            if found != n:
                raise RunFailed(f"{name}: danvan reported {found} files of {n}")

        return Case(name, argv, self.env, 120 + 0.05 * n, (0, 1), check, files=n, memory=True)

    def loop_case(self, name: str, loop: str, folder: Path, n: int) -> Case:
        argv = [PY, str(BENCH / "baselines.py"), loop, str(folder)]
        expected = (
            n
            if loop in ("calamine", "zip")
            else sum(1 for p in folder.iterdir() if p.suffix in (".xlsx", ".xlsm"))
        )

        def check(out: Path, first: bool) -> None:
            found = out.read_text().strip()
            if found != str(expected):
                raise RunFailed(f"{name}: read {found} files of {expected}")

        return Case(name, argv, self.env, 120 + 0.1 * n, (0,), check, files=n)

    def run(self, cases: Sequence[Case], rounds: int, label: str) -> None:
        def progress(text: str) -> None:
            self.log(f"{label}: {text}")

        interleave(cases, rounds, self.scratch, progress, self.retries)
        self.measured += cases

    # -- warm-up -------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Compile bytecode, fill the warm cache, read the samples once; fail early when
        danvan does not start."""
        self.log("warm-up")
        tiny = self.work / "warm-up"
        mixes.make_mix(tiny, 3, mixes.sample_files())
        loops = [[PY, str(BENCH / "baselines.py"), loop, str(tiny)] for loop in LOOPS]
        lib = str(BENCH / "library.py")
        optional = [
            *loops[2:],  # openpyxl and pandas: reference only
            *[[PY, lib, *what, str(self.scratch / "w.xlsx")] for what in LIBRARY_WARM_UP],
        ]
        for argv, codes in (
            ([*self.danvan, "--help"], (0,)),
            ([*self.danvan, "validate", str(tiny), "--format", "json"], (0, 1)),
            ([*self.danvan, "validate", str(tiny), "--format", "json", "--jobs", "2"], (0, 1)),
            ([*self.danvan, "validate", str(ONE)], (0, 1)),
            ([PY, "-c", "import typer, rich, pydantic"], (0,)),
            *[(argv, (0,)) for argv in loops[:2]],
        ):
            try:
                measure.run_process(
                    argv,
                    env=self.env,
                    stdout=self.scratch / "w.txt",
                    ok_codes=codes,
                    memory=False,
                    timeout=120,
                )
            except RunFailed as exc:
                raise SystemExit(
                    f"cannot measure: {exc}\n(--code DIR measures the danvan_cli of another "
                    "checkout)"
                ) from None
        for argv in optional:
            # a missing pandas or a library adapter that no longer fits fails its own cases
            with contextlib.suppress(RunFailed):
                measure.run_process(argv, env=self.env, memory=False, timeout=120)
        shutil.rmtree(tiny)

    def describe(self) -> None:
        probe = subprocess.run(
            [PY, "-c", "import danvan_cli as d; print(d.__file__); print(d.__version__)"],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        where, version = ([*probe.stdout.split(), "?", "?"])[:2]
        code_dir = Path(where).parent.parent if where != "?" else ROOT
        self.code_dir = code_dir
        self.fingerprint = _fingerprint(code_dir / "danvan_cli")
        commit = _git(code_dir, "rev-parse", "--short", "HEAD")
        dirty = _git(code_dir, "status", "--porcelain", "--", "danvan_cli")
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        self.out("# danvan bench")
        self.out()
        self.out(
            f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, danvan {version} from "
            f"{code_dir} (commit {commit or '?'}{', uncommitted changes' if dirty else ''}); "
            f"load average {load} at start"
        )
        self.out(
            f"rounds {self.plan.rounds} ({self.plan.cross_rounds} for the crossover, "
            f"{self.plan.big_rounds} for the largest sizes, the loaded machine and writing; "
            f"{self.plan.startup_runs} start-up runs); command `{' '.join(Path(a).name for a in self.danvan[1:])}` "
            f"run as `{PY} {' '.join(self.danvan_args)}`"
        )
        self.out(
            "every case its own process, stdout to a file; bytecode compiled once in the warm-up "
            "and cached in the bench's temporary folder (PYTHONPYCACHEPREFIX); the plan's YAML "
            "cache warm unless said otherwise (XDG_CACHE_HOME in the same folder)"
        )

    # -- start-up ------------------------------------------------------------------------

    def startup(self) -> None:
        base = [PY, "-c", "import typer, rich, pydantic"]
        help_ = [*self.danvan, "--help"]
        one = [*self.danvan, "validate", str(ONE), "--format", "json"]
        empty = self.work / "cache-empty"
        cases: dict[tuple[str, str], Case] = {}
        for cache in ("warm", "empty"):
            env = dict(self.env)
            before = None
            if cache == "empty":
                env["XDG_CACHE_HOME"] = str(empty)
                before = _wiper(empty)
            for key, argv, codes in (
                ("base", base, (0,)),
                ("help", help_, (0,)),
                ("one", one, (0, 1)),
            ):
                cases[key, cache] = Case(
                    f"{key} ({cache} cache)", argv, env, 60, codes, None, before, memory=False
                )
        self.run(list(cases.values()), self.plan.startup_runs, "start-up")
        self.out()
        self.out(f"## Start-up (median [min–max] of {self.plan.startup_runs} interleaved runs)")
        self.out()
        self.out("| command | cache | seconds | × `import typer, rich, pydantic` |")
        self.out("|---|---|---:|---:|")
        labels = {
            "base": '`python -c "import typer, rich, pydantic"`',
            "help": "`danvan --help`",
            "one": f"`danvan validate {ONE.name} --format json`",
        }
        for cache in ("warm", "empty"):
            b = cases["base", cache]
            for key in ("base", "help", "one"):
                c = cases[key, cache]
                if not ok(c, b):
                    self.out(f"| {labels[key]} | {cache} | failed | |")
                    continue
                self.out(
                    f"| {labels[key]} | {cache} | {seconds(c).fmt(3)} | {ratio(c, b).fmt(2, '×')} |"
                )
        self.noise(list(cases.values()))
        for key, target, limit in (
            (
                "one",
                f"start-up: danvan validate one.xlsx --format json ≤ {START_ONE_TARGET}×",
                START_ONE_TARGET,
            ),
            ("help", f"start-up: danvan --help ≤ {START_HELP_TARGET}×", START_HELP_TARGET),
        ):
            w, e = cases[key, "warm"], cases[key, "empty"]
            bw, be = cases["base", "warm"], cases["base", "empty"]
            target += ' python -c "import typer, rich, pydantic", warm cache'
            if not ok(w, e, bw, be):
                self.failed(target, [w, e, bw, be])
                continue
            rw, re_ = ratio(w, bw), ratio(e, be)
            self.judge(
                target, rw.median <= limit, f"{rw.fmt(2, '×')}; empty cache {re_.fmt(2, '×')}"
            )
        self.importtime(one, "validate one file")
        self.importtime(help_, "--help")

    def importtime(self, argv: list[str], label: str) -> None:
        """Where a start-up goes: the slowest top-level imports of one run (-X importtime)."""
        err = self.scratch / "importtime.stderr"
        with open(err, "wb") as fh:
            subprocess.run(
                [PY, "-X", "importtime", *argv[1:]],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=fh,
                check=False,
                timeout=60,
            )
        top: list[tuple[int, str]] = []
        total = 0
        for line in err.read_text(errors="replace").splitlines():
            if not line.startswith("import time:") or "|" not in line:
                continue
            _, cumulative, name = line[len("import time:") :].split("|")
            if not cumulative.strip().isdigit() or name.startswith("  "):
                continue  # the header line, or a nested import (counted in its parent)
            micros = int(cumulative)
            total += micros
            top.append((micros, name.strip()))
        top.sort(reverse=True)
        shown = ", ".join(f"{name} {us / 1000:.0f}" for us, name in top[:8])
        self.out()
        self.out(
            f"Imports of `danvan {label}` (`python -X importtime`, one warm run): "
            f"{total / 1000:.0f} ms in all; slowest top-level, ms: {shown}"
        )

    # -- validate ------------------------------------------------------------------------

    def validate(self) -> None:
        n = self.plan.sizes[0]
        cases: dict[tuple[str, str], Case] = {}
        for mix in mixes.MIXES:
            folder = self.mix(mix, n)
            cases[mix, "serial"] = self.validate_case(f"{mix} serial", folder, n, 1)
            cases[mix, "default"] = self.validate_case(f"{mix} default jobs", folder, n, None)
            cases[mix, "jobs2"] = self.validate_case(f"{mix} --jobs 2", folder, n, 2)
            cases[mix, "calamine"] = self.loop_case(f"{mix} calamine", "calamine", folder, n)
            cases[mix, "zip"] = self.loop_case(f"{mix} zip", "zip", folder, n)
        self.run(list(cases.values()), self.plan.rounds, f"validate N={n}")
        self.out()
        self.out(f"## Validate {n:,} dossiers ({self.plan.rounds} interleaved rounds)")
        self.out()
        self.table(
            cases,
            [
                (m, c)
                for m in mixes.MIXES
                for c in ("serial", "default", "jobs2", "calamine", "zip")
            ],
        )
        for mix in mixes.MIXES:
            s, c = cases[mix, "serial"], cases[mix, "calamine"]
            target = f"validate {n:,} {mix}, serial ≤ {RATIO_TARGET}× calamine + SHA-256 loop"
            if not ok(s, c):
                self.failed(target, [s, c])
                continue
            r = ratio(s, c)
            cpu = Spread.of([x.cpu / y.cpu for x, y in zip(s.runs, c.runs, strict=False)])
            on_cpu, why = self.by_cpu([s, c])
            self.judge(
                target,
                (cpu if on_cpu else r).median <= RATIO_TARGET,
                f"{r.fmt(2, '×')}; in CPU seconds {cpu.fmt(2, '×')}{why}",
            )
        self.pairs += [
            (f"{m} N={n:,}", cases[m, "serial"], cases[m, "default"]) for m in mixes.MIXES
        ]
        if self.plan.references:
            self.references()
        for big in self.plan.sizes[1:]:
            self.scale(big, n)
        for mix in mixes.MIXES:
            shutil.rmtree(self.work / f"{mix}-{n}", ignore_errors=True)

    def references(self) -> None:
        n = self.plan.references
        rounds = min(self.plan.rounds, 3)
        cases: dict[tuple[str, str], Case] = {}
        for mix in mixes.MIXES:
            folder = self.mix(mix, n)
            cases[mix, "serial"] = self.validate_case(f"{mix} serial", folder, n, 1)
            cases[mix, "calamine"] = self.loop_case(f"{mix} calamine", "calamine", folder, n)
            cases[mix, "zip"] = self.loop_case(f"{mix} zip", "zip", folder, n)
            cases[mix, "openpyxl"] = self.loop_case(f"{mix} openpyxl", "openpyxl", folder, n)
            cases[mix, "pandas"] = self.loop_case(f"{mix} pandas", "pandas", folder, n)
        self.run(list(cases.values()), rounds, f"references N={n}")
        self.out()
        self.out(f"## For reference: the usual readers on {n:,} dossiers ({rounds} rounds)")
        self.out()
        self.table(
            cases,
            [
                (m, c)
                for m in mixes.MIXES
                for c in ("serial", "calamine", "zip", "openpyxl", "pandas")
            ],
        )
        self.out()
        self.out(
            "(openpyxl and pandas read the .xlsx files only: the layouts mix's 3 .xls/.ods "
            "templates are skipped, so their ms/file is per .xlsx read)"
        )
        for mix in mixes.MIXES:
            shutil.rmtree(self.work / f"{mix}-{n}", ignore_errors=True)

    def scale(self, big: int, small: int) -> None:
        """The largest size against the ratio size, and a one-file run for the fixed cost
        (start-up, plan loading) that a per-file time must not be credited with."""
        rounds = self.plan.big_rounds
        large, base, single = (
            self.mix("samples", big),
            self.mix("samples", small),
            self.mix("samples", 1),
        )
        cases = {
            ("samples", f"serial {big}"): self.validate_case(f"serial N={big}", large, big, 1),
            ("samples", f"default {big}"): self.validate_case(f"default N={big}", large, big, None),
            ("samples", f"serial {small}"): self.validate_case(f"serial N={small}", base, small, 1),
            ("samples", f"default {small}"): self.validate_case(
                f"default N={small}", base, small, None
            ),
            ("samples", "one"): self.validate_case("one file", single, 1, 1),
        }
        self.run(list(cases.values()), rounds, f"scale N={big}")
        self.out()
        self.out(
            f"## Scale: {big:,} against {small:,} dossiers, samples mix ({rounds} interleaved rounds)"
        )
        self.out()
        self.table(cases, list(cases))
        target = f"validate: time per file at {big:,} ≤ {FLAT_TARGET}× that at {small:,}"
        one = cases["samples", "one"]
        flats: list[str] = []
        met = True
        on_cpu, why = self.by_cpu(list(cases.values()))
        for mode in ("serial", "default"):
            b, s = cases["samples", f"{mode} {big}"], cases["samples", f"{mode} {small}"]
            if not ok(b, s, one):
                self.failed(target, [b, s, one])
                return
            triples = list(zip(b.runs, s.runs, one.runs, strict=False))
            nets = [
                ((x.seconds - f.seconds) / (big - 1)) / ((y.seconds - f.seconds) / (small - 1))
                for x, y, f in triples
                if y.seconds > f.seconds  # else noise swamped the small run: no figure
            ]
            if not nets:
                self.failed(target, [b, s, one])
                return
            net = Spread.of(nets)
            raw = ratio(b, s).scaled(small / big)
            cpu = Spread.of(
                [
                    ((x.cpu - f.cpu) / (big - 1)) / ((y.cpu - f.cpu) / (small - 1))
                    for x, y, f in triples
                    if y.cpu > f.cpu
                ]
                or [float("nan")]
            )
            flats.append(
                f"{mode} {net.fmt(2, '×')} net of start-up, {raw.median:.2f}× gross, "
                f"{cpu.median:.2f}× in CPU seconds"
            )
            met &= (cpu if on_cpu else net).median <= FLAT_TARGET
        self.out()
        self.out(
            f"Time per file net of start-up: (seconds − seconds of the one-file run) ÷ (files − 1), "
            f"per round; the one-file run takes {seconds(one).fmt(3)} s"
        )
        self.judge(target, met, "; ".join(flats) + why)
        peaks = {m: memory(cases["samples", f"{m} {big}"]) for m in ("serial", "default")}
        rss = {m: memory_rss(cases["samples", f"{m} {big}"]) for m in ("serial", "default")}
        procs = max(r.processes for r in cases["samples", f"default {big}"].runs)
        self.judge(
            f"validate {big:,} files < {MEMORY_TARGET:.0f} MB summed over processes (PSS)",
            all(p.high < MEMORY_TARGET for p in peaks.values()),
            f"serial {peaks['serial'].fmt(0, ' MB')}; default jobs {peaks['default'].fmt(0, ' MB')}"
            f" over {procs} processes; summed RSS, shared pages once per process: serial "
            f"{rss['serial'].fmt(0, ' MB')}, default {rss['default'].fmt(0, ' MB')}",
        )
        self.pairs.append(
            (
                f"samples N={big:,}",
                cases["samples", f"serial {big}"],
                cases["samples", f"default {big}"],
            )
        )
        shutil.rmtree(large, ignore_errors=True)
        shutil.rmtree(single, ignore_errors=True)

    def table(self, cases: dict[tuple[str, str], Case], keys: list[tuple[str, str]]) -> None:
        self.out(
            "| mix | case | files | seconds | ms/file | CPU s | peak MB | processes | × calamine |"
        )
        self.out("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for key in keys:
            c = cases[key]
            base = cases.get((key[0], "calamine"))
            if not ok(c):
                self.out(
                    f"| {key[0]} | {c.name} | {c.files} | failed: {(c.error or '').splitlines()[0]} | | | | | |"
                )
                continue
            s = seconds(c)
            versus = ratio(c, base).fmt(2, "×") if base is not None and ok(base) else ""
            procs = max(r.processes for r in c.runs)
            self.out(
                f"| {key[0]} | {_label(c, key[0])} | {c.files:,} | {s.fmt(2)} | {1000 * s.median / c.files:.2f} "
                f"| {Spread.of([r.cpu for r in c.runs]).median:.2f} | {memory(c).fmt(0)} | {procs} | {versus} |"
            )
        self.noise([cases[k] for k in keys])

    # -- crossover -----------------------------------------------------------------------

    def crossover(self) -> None:
        rounds = self.plan.cross_rounds
        per_n: list[tuple[int, Case, Case, Case]] = []
        for n in self.plan.crossover:
            folder = self.mix("samples", n)
            per_n.append(
                (
                    n,
                    self.validate_case(f"serial N={n}", folder, n, 1),
                    self.validate_case(f"default N={n}", folder, n, None),
                    self.validate_case(f"--jobs 2 N={n}", folder, n, 2),
                )
            )
        self.run([c for _, *three in per_n for c in three], rounds, "crossover")
        self.out()
        self.out(
            f"## Crossover: default jobs and --jobs 2 against serial, samples mix ({rounds} interleaved rounds)"
        )
        self.out()
        self.out(
            "| files | serial s | default s | --jobs 2 s | default ÷ serial | --jobs 2 ÷ serial | default processes |"
        )
        self.out("|---:|---:|---:|---:|---:|---:|---:|")
        wins: list[tuple[int, bool]] = []
        for n, s, d, j in per_n:
            if not ok(s, d, j):
                self.out(f"| {n:,} | failed | | | | | |")
                continue
            rj = ratio(j, s)
            wins.append((n, rj.high < 1.0))
            self.out(
                f"| {n:,} | {seconds(s).fmt(3)} | {seconds(d).fmt(3)} | {seconds(j).fmt(3)} "
                f"| {ratio(d, s).fmt(2, '×')} | {rj.fmt(2, '×')} | {max(r.processes for r in d.runs)} |"
            )
            self.pairs.append((f"samples N={n:,}", s, d))
        since = next((n for i, (n, _) in enumerate(wins) if all(w for _, w in wins[i:])), None)
        self.out()
        self.out(
            f"--jobs 2 beats serial in every round from N = {since:,} on"
            if since is not None
            else "--jobs 2 never beat serial in every round at these sizes"
        )
        self.noise([c for _, *three in per_n for c in three])
        for n in self.plan.crossover:
            shutil.rmtree(self.work / f"samples-{n}", ignore_errors=True)
        self.loaded()

    def loaded(self) -> None:
        """Default jobs against serial while another process keeps one core busy."""
        rounds = self.plan.big_rounds
        per_n = []
        for n in self.plan.loaded:
            folder = self.mix("samples", n)
            per_n.append(
                (
                    n,
                    self.validate_case(f"loaded serial N={n}", folder, n, 1),
                    self.validate_case(f"loaded default N={n}", folder, n, None),
                )
            )
        hog = subprocess.Popen([PY, "-c", "while True: pass"])
        measure.EXCLUDED.add(hog.pid)
        try:
            self.run([c for _, *two in per_n for c in two], rounds, "loaded machine")
        finally:
            hog.kill()
            hog.wait()
            measure.EXCLUDED.discard(hog.pid)
        self.out()
        self.out(f"## Loaded machine: one core kept busy by another process ({rounds} rounds)")
        self.out()
        self.out("| files | serial s | default s | default ÷ serial | default processes |")
        self.out("|---:|---:|---:|---:|---:|")
        pairs = []
        for n, s, d in per_n:
            if not ok(s, d):
                self.out(f"| {n:,} | failed | | | |")
                continue
            self.out(
                f"| {n:,} | {seconds(s).fmt(3)} | {seconds(d).fmt(3)} | {ratio(d, s).fmt(2, '×')} "
                f"| {max(r.processes for r in d.runs)} |"
            )
            pairs.append((f"N={n:,}", s, d))
            shutil.rmtree(self.work / f"samples-{n}", ignore_errors=True)
        self.out()
        self.out("(the busy process is the bench's own; it is left out of the figure below)")
        self.noise([c for _, *two in per_n for c in two])
        self.never_slower("validate, loaded machine: default jobs never slower than serial", pairs)

    def never_slower(self, target: str, pairs: list[tuple[str, Case, Case]]) -> None:
        """MISSED where default jobs is slower than serial beyond noise: slower in every
        round (the range of the per-round ratios lies above 1) and by more than the margin
        (the median ratio)."""
        measured = [(label, s, d) for label, s, d in pairs if ok(s, d) and len(s.runs) > 1]
        if not measured:
            self.failed(target, [c for _, s, d in pairs for c in (s, d)])
            return
        slower = [
            label
            for label, s, d in measured
            if ratio(d, s).low > 1.0 and ratio(d, s).median > SLOWER_MARGIN
        ]
        label, s, d = max(measured, key=lambda p: ratio(p[2], p[1]).median)
        worst = f"worst default ÷ serial {ratio(d, s).fmt(2, '×')} at {label}"
        sizes = sorted(
            {lb.split("N=")[1] for lb, _, _ in measured}, key=lambda x: int(x.replace(",", ""))
        )
        text = f"{worst}; {len(measured)} measurements at N = {', '.join(sizes)}"
        if slower:
            text += "; slower at " + ", ".join(slower)
        self.judge(target, not slower, text)

    # -- writing -------------------------------------------------------------------------

    def write(self) -> None:
        rounds = self.plan.big_rounds
        out = self.work / "written"
        out.mkdir(exist_ok=True)
        lib = str(BENCH / "library.py")
        cases: dict[tuple[str, int], Case] = {}
        for rows in self.plan.rows:
            cases["rank", rows] = Case(
                f"rank {rows * 10} candidates, {rows}-row workbook",
                [PY, lib, "rank", str(rows), str(rows * 10), str(out / f"rank-{rows}.xlsx")],
                self.env,
                60 + 0.02 * rows,
                (0,),
                _phases,
                files=rows,
            )
            cases["rejections", rows] = Case(
                f"rejection report, {rows} rows",
                [PY, lib, "rejections", str(rows), str(out / f"rejections-{rows}.xlsx")],
                self.env,
                60 + 0.02 * rows,
                (0,),
                _phases,
                files=rows,
            )
        self.run(list(cases.values()), rounds, "write")
        self.out()
        self.out(f"## Writing workbooks ({rounds} interleaved rounds)")
        self.out()
        self.out(
            "| case | rows | process s | rank s | write s | ms/row (rank + write) | CPU ms/row "
            "| peak MB |"
        )
        self.out("|---|---:|---:|---:|---:|---:|---:|---:|")
        for (what, rows), c in cases.items():
            if not ok(c):
                self.out(
                    f"| {c.name} | {rows:,} | failed: {(c.error or '').splitlines()[0]} | | | | | |"
                )
                continue
            rank_s = Spread.of([n.get("rank", 0.0) for n in c.notes])
            write_s = Spread.of([n["write"] for n in c.notes])
            per_row = _per_row(c)
            self.out(
                f"| {'rank' if what == 'rank' else 'rejections'}: {c.name} | {rows:,} | {seconds(c).fmt(2)} "
                f"| {rank_s.fmt(2) if what == 'rank' else '–'} | {write_s.fmt(2)} | {per_row.fmt(3)} "
                f"| {_per_row(c, cpu=True).median:.3f} | {memory(c).fmt(0)} |"
            )
        self.out()
        self.out(
            "(rank: the real `rank` over 10× the rows in candidates, then the real "
            "`write_ranking` of the rows as pool members; rejections: the real "
            "`write_rejection_report`. ms/row excludes interpreter start-up and building "
            "the synthetic inputs; peak MB includes them)"
        )
        self.noise(list(cases.values()))
        largest = max(self.plan.rows)
        for what, title in (
            ("rank", f"rank {largest * 10:,} candidates with its {largest:,}-row workbook"),
            ("rejections", f"{largest:,}-row rejection report"),
        ):
            group = [cases[what, r] for r in self.plan.rows]
            if not ok(*group):
                self.failed(f"{title}: linear in rows and < {WRITE_MB_TARGET:.0f} MB", group)
                continue
            ref = _per_row(cases[what, largest]).median
            devs = {r: _per_row(cases[what, r]).median / ref - 1 for r in self.plan.rows}
            ref_cpu = _per_row(cases[what, largest], cpu=True).median
            cpu_devs = {
                r: _per_row(cases[what, r], cpu=True).median / ref_cpu - 1 for r in self.plan.rows
            }
            on_cpu, why = self.by_cpu(group)
            spread = ", ".join(
                f"{r:,}: {devs[r]:+.0%} (CPU {cpu_devs[r]:+.0%})"
                for r in self.plan.rows
                if r != largest
            )
            self.judge(
                f"{title}: time per row within ±{LINEAR_TARGET:.0%} across {', '.join(f'{r:,}' for r in self.plan.rows)} rows",
                all(abs(d) <= LINEAR_TARGET for d in (cpu_devs if on_cpu else devs).values()),
                f"{_per_row(cases[what, largest]).fmt(3, ' ms/row')} at {largest:,}; {spread}{why}",
            )
            peak = memory(cases[what, largest])
            self.judge(
                f"{title} < {WRITE_MB_TARGET:.0f} MB",
                peak.high < WRITE_MB_TARGET,
                peak.fmt(0, " MB"),
            )
        shutil.rmtree(out, ignore_errors=True)

    # -- verdict -------------------------------------------------------------------------

    def verdict(self) -> bool:
        if self.pairs:
            self.section = "validate"
            self.never_slower(
                "validate: default jobs never slower than serial at any N", self.pairs
            )
        order = ["start-up", "validate", "write"]
        self.verdicts.sort(key=lambda v: order.index(v.section))
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        self.out()
        self.out(
            f"## Verdict ({time.perf_counter() - self.started:.0f} s; load average {load} at the end)"
        )
        self.out()
        if _fingerprint(self.code_dir / "danvan_cli") != self.fingerprint:
            self.out(
                f"WARNING: files under {self.code_dir / 'danvan_cli'} changed during the run: "
                "the cases may have measured different code"
            )
            self.out()
        other = measure.foreign_load(self.measured)
        if other is not None:
            self.out(
                f"Other processes kept {other.fmt(0, ' %')} of the machine busy during the "
                f"{sum(len(c.runs) for c in self.measured)} measured runs (median [min–max] per "
                f"run); {self.retries.repeated} runs made again because of them "
                f"({self.retries.spent:.0f} s)"
            )
            self.out()
            if other.median > 10:
                self.out(
                    "WARNING: the machine was not quiet: the start-up and parallel verdicts "
                    "(wall time) are not to be trusted; measure again when nothing else runs"
                )
                self.out()
        self.out("```text")
        for v in self.verdicts:
            self.out(v.line())
        self.out("```")
        return all(v.met for v in self.verdicts)


def _wiper(folder: Path) -> Callable[[], None]:
    def wipe() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    return wipe


def _label(c: Case, mix: str) -> str:
    return c.name.removeprefix(f"{mix} ")


def _phases(out: Path, first: bool) -> dict[str, float]:
    try:
        return dict(json.loads(out.read_text()))
    except ValueError as exc:
        raise RunFailed(f"no timings on stdout ({exc})") from None


def _per_row(c: Case, cpu: bool = False) -> Spread:
    """ms per row of rank + write, in wall or in CPU seconds."""
    suffix = "_cpu" if cpu else ""
    return Spread.of(
        [1000 * (n.get("rank" + suffix, 0.0) + n["write" + suffix]) / c.files for n in c.notes]
    )


def _fingerprint(folder: Path) -> list[tuple[str, int, int]]:
    """Name, size and modification time of every file of the measured package."""
    found = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            st = p.stat()
            found.append((str(p), st.st_size, st.st_mtime_ns))
    return found


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=_ints,
        help="validate sizes: the first is judged against "
        "calamine (both mixes), the others against it for scale (default 1000,10000)",
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 5)")
    parser.add_argument(
        "--big-rounds",
        type=int,
        help="rounds for the largest sizes, the loaded machine and writing (default 2)",
    )
    parser.add_argument(
        "--crossover", type=_ints, help="crossover sizes (default 50,100,200,400,800)"
    )
    parser.add_argument(
        "--references", type=int, help="size of the openpyxl/pandas block (0: none; default 200)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes: a smoke run of under a minute"
    )
    parser.add_argument(
        "--only",
        type=lambda s: s.split(","),
        default=list(SECTIONS),
        help="sections, comma-separated: " + ", ".join(SECTIONS),
    )
    parser.add_argument(
        "--code",
        type=Path,
        help="measure the danvan_cli under this checkout "
        "(put first on PYTHONPATH) instead of the installed one",
    )
    parser.add_argument(
        "--retry-budget",
        type=float,
        help="seconds a run may spend repeating runs during which other processes kept the "
        "machine over 20 %% busy (default 120; --quick 20; 0: never repeat)",
    )
    parser.add_argument("--strict", action="store_true", help="exit code 1 when a target is missed")
    args = parser.parse_args()
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}: use {', '.join(SECTIONS)}")
    plan = QUICK if args.quick else FULL
    plan = Plan(
        rounds=args.rounds or plan.rounds,
        big_rounds=args.big_rounds or min(plan.big_rounds, args.rounds or plan.big_rounds),
        sizes=args.sizes or plan.sizes,
        references=plan.references if args.references is None else args.references,
        crossover=args.crossover or plan.crossover,
        cross_rounds=min(plan.cross_rounds, args.rounds or plan.cross_rounds),
        loaded=plan.loaded,
        startup_runs=max(plan.startup_runs, args.rounds or 0),
        rows=plan.rows,
    )
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as tmp:
        os.chdir(tmp)  # `python -c` and `-m` put the current folder first on sys.path
        bench = Bench(
            plan,
            Path(tmp),
            args.code.resolve() if args.code else None,
            measure.Retries(
                args.retry_budget if args.retry_budget is not None else (20 if args.quick else 120)
            ),
        )
        bench.describe()
        bench.warm_up()
        for section in SECTIONS:
            if section in args.only:
                bench.section = "write" if section == "write" else "validate"
                bench.section = "start-up" if section == "startup" else bench.section
                getattr(bench, section)()
        met = bench.verdict()
        os.chdir(here)
    sys.exit(1 if args.strict and not met else 0)


if __name__ == "__main__":
    main()
