"""Running one measured process: wall seconds and peak memory summed over its process tree.

Wall time is taken around spawn and reap (the main thread blocks in `os.wait4`, so the end is
exact). A sampler thread reads /proc every `POLL` seconds: it adds every new process whose
parent is already in the tree (pool workers, their children) and sums, over all of them, the
resident set sizes (RSS) and the proportional set sizes (PSS). Summed RSS counts the pages
that forked workers share with their parent once per process (a forked worker starts with
its parent's whole RSS): an upper bound. Summed PSS counts each page once, shared pages
divided among the processes that share them: the memory the run really holds. The peak of
each sum is reported; memory targets are judged on PSS, with RSS beside it.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

POLL = 0.02  # seconds between two samples of the process tree
PAGE = os.sysconf("SC_PAGE_SIZE")


class RunFailed(RuntimeError):
    """A measured process that exited with an unexpected code, timed out or printed nonsense."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float  # peak of the summed PSS of the process tree (RSS where no PSS)
    peak_rss_mb: float  # peak of the summed RSS: shared pages once per process
    processes: int  # how many processes the tree held at most (1 = no pool)
    returncode: int
    cpu: float  # CPU seconds of the process tree
    foreign: float  # CPU seconds the rest of the machine used meanwhile (noise)


class TreeSampler(threading.Thread):
    """Samples the summed PSS and RSS of `root` and its descendants until stopped."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.tree: set[int] = {root}
        self.others: set[int] = set()  # pids seen and known not to descend from root
        self.peak = 0  # PSS
        self.peak_rss = 0
        self.width = 1
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            self.sample()
            if self._done.wait(POLL):
                return

    def stop(self) -> None:
        self._done.set()
        self.join()

    def sample(self) -> None:
        try:
            names = os.listdir("/proc")
        except OSError:
            return
        # /proc lists pids in ascending order, so a parent is met before its children
        for name in names:
            if not name.isdigit():
                continue
            pid = int(name)
            if pid in self.tree or pid in self.others:
                continue
            parent = _parent(pid)
            (self.tree if parent in self.tree else self.others).add(pid)
        total = proportional = 0
        alive = 0
        for pid in self.tree:
            rss = _rss(pid)
            if rss:
                total += rss
                proportional += _pss(pid) or rss
                alive += 1
        self.peak = max(self.peak, proportional)
        self.peak_rss = max(self.peak_rss, total)
        self.width = max(self.width, alive)


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return -1
    # the command name may hold spaces and parentheses: fields after the last ")"
    return int(stat[stat.rfind(b")") + 2 :].split()[1])


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    """Proportional set size in bytes (Linux 4.14+), 0 when unknown."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def run_process(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    stdout: Path | None = None,
    timeout: float = 600.0,
    ok_codes: Sequence[int] = (0,),
    memory: bool = True,
) -> Run:
    """Run `argv` once; stdout goes to a file (or /dev/null), never to a pipe."""
    err_path = (stdout or Path(os.devnull)).with_suffix(".stderr") if stdout else None
    out = open(stdout, "wb") if stdout else open(os.devnull, "wb")  # noqa: SIM115
    err = open(err_path, "wb") if err_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        busy_before, own_before = _machine_busy(), _own_cpu()
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env, start_new_session=True)
        sampler = TreeSampler(proc.pid) if memory else None
        if sampler:
            sampler.start()
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            elapsed = time.perf_counter() - started
            busy = _machine_busy() - busy_before
            own = _own_cpu() - own_before
            timer.cancel()
            if sampler:
                sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        out.close()
        if err_path:
            err.close()  # type: ignore[union-attr]
    if elapsed >= timeout:
        raise RunFailed(f"timed out after {timeout:.0f} s: {' '.join(argv)}")
    if proc.returncode not in ok_codes:
        tail = err_path.read_text(errors="replace")[-1500:].strip() if err_path else ""
        last = tail.splitlines()[-1] if tail else "no message"
        raise RunFailed(f"exit code {proc.returncode}: {last}\n{' '.join(argv)}\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime  # with the workers it waited for
    return Run(
        seconds=elapsed,
        peak_mb=(sampler.peak / 2**20) if sampler else 0.0,
        peak_rss_mb=(sampler.peak_rss / 2**20) if sampler else 0.0,
        processes=sampler.width if sampler else 1,
        returncode=proc.returncode,
        cpu=cpu,
        foreign=max(0.0, busy - cpu - own),
    )


TICK = os.sysconf("SC_CLK_TCK")
EXCLUDED: set[int] = set()  # the bench's own load generators: not noise


def _pid_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return 0.0
    fields = stat[stat.rfind(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    try:
        with open("/proc/stat", "rb") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    guest = sum(fields[8:10])  # already counted in user and nice
    return (sum(fields) - idle - guest) / TICK - sum(_pid_cpu(p) for p in EXCLUDED)


def _own_cpu() -> float:
    """CPU seconds of the bench process itself (its sampler threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _kill_group(pid: int) -> None:
    """End a measured process that ran past its timeout, and only its own process group."""
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)


@dataclass
class Case:
    """One measured command.

    `check(stdout_file, first)` looks at a run's output (raising RunFailed when it is wrong)
    and may return what it read, kept in `notes`; `before` runs before each run, untimed.
    """

    name: str
    argv: list[str]
    env: dict[str, str] | None = None
    timeout: float = 600.0
    ok_codes: tuple[int, ...] = (0,)
    check: Callable[[Path, bool], dict[str, float] | None] | None = None
    before: Callable[[], None] | None = None
    memory: bool = True
    files: int = 0  # how many files the case reads (for ms/file)
    runs: list[Run] = field(default_factory=list)
    notes: list[dict[str, float]] = field(default_factory=list)
    error: str | None = None


@dataclass
class Retries:
    """Runs during which other processes kept the machine busier than `noisy` (a share of
    all cores) are made again, after waiting for a quiet moment, while `seconds` last."""

    seconds: float
    noisy: float = 0.2
    spent: float = 0.0
    repeated: int = 0

    def wanted(self, run: Run) -> bool:
        cores = os.cpu_count() or 1
        load = run.foreign / (run.seconds * cores) if run.seconds else 0.0
        return load > self.noisy and self.spent + run.seconds < self.seconds


def wait_quiet(limit: float, window: float = 0.5, quiet: float = 0.1) -> float:
    """Wait (at most `limit` seconds) until the rest of the machine keeps less than `quiet`
    of all cores busy over a `window`; returns the seconds waited."""
    cores = os.cpu_count() or 1
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        before, own = _machine_busy(), _own_cpu()
        time.sleep(window)
        if (_machine_busy() - before - (_own_cpu() - own)) / (window * cores) < quiet:
            break
    return time.perf_counter() - started


def interleave(
    cases: Sequence[Case],
    rounds: int,
    scratch: Path,
    progress: Callable[[str], None] = lambda _: None,
    retries: Retries | None = None,
) -> None:
    """Run every case once per round, the order rotating each round (A B C, B C A, …), so
    drift and position effects spread evenly. A failing case is dropped with its error."""
    for r in range(rounds):
        k = r % len(cases)
        for case in [*cases[k:], *cases[:k]]:
            if case.error:
                continue
            progress(f"round {r + 1}/{rounds}: {case.name}")
            out = scratch / "out.txt"
            try:
                while True:
                    if case.before:
                        case.before()
                    run = run_process(
                        case.argv,
                        env=case.env,
                        stdout=out,
                        timeout=case.timeout,
                        ok_codes=case.ok_codes,
                        memory=case.memory,
                    )
                    if retries is None or not retries.wanted(run):
                        break
                    progress(f"round {r + 1}/{rounds}: {case.name} again (machine busy)")
                    retries.repeated += 1
                    retries.spent += run.seconds + wait_quiet(10.0)
                case.runs.append(run)
                if case.check:
                    note = case.check(out, r == 0)
                    if note is not None:
                        case.notes.append(note)
            except RunFailed as exc:
                case.error = str(exc)
                progress(f"FAILED {case.name}: {exc}")
            finally:
                out.unlink(missing_ok=True)
                out.with_suffix(".stderr").unlink(missing_ok=True)


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def scaled(self, factor: float) -> Spread:
        return Spread(self.median * factor, self.low * factor, self.high * factor)

    def fmt(self, digits: int = 2, unit: str = "") -> str:
        return (
            f"{self.median:.{digits}f}{unit} [{self.low:.{digits}f}–{self.high:.{digits}f}{unit}]"
        )


def seconds(case: Case) -> Spread:
    return Spread.of([r.seconds for r in case.runs])


def memory(case: Case) -> Spread:
    """Peak memory summed over the process tree (PSS)."""
    return Spread.of([r.peak_mb for r in case.runs])


def memory_rss(case: Case) -> Spread:
    """Peak resident sets summed over the process tree (shared pages once per process)."""
    return Spread.of([r.peak_rss_mb for r in case.runs])


def ratio(a: Case, b: Case) -> Spread:
    """a/b per round (the runs of one round were made side by side), then median and range."""
    return Spread.of([x.seconds / y.seconds for x, y in zip(a.runs, b.runs, strict=False)])


def ok(*cases: Case) -> bool:
    return all(c.runs and not c.error for c in cases)


def foreign_load(cases: Sequence[Case]) -> Spread | None:
    """How busy the rest of the machine kept its cores during these runs, in % of all cores."""
    cores = os.cpu_count() or 1
    loads = [100 * r.foreign / (r.seconds * cores) for c in cases for r in c.runs if r.seconds]
    return Spread.of(loads) if loads else None
