"""Batches validated in supervised worker processes, so that a native reader dying on one
file (a Rust panic that aborts, the kernel killing a process that ran out of memory, a
hang) costs that file a `file.crashed` finding and the batch goes on.

The gate bounds what python-calamine may allocate, so on the normal path no worker dies;
the supervision costs one process per batch (or per `--jobs` worker), never one per file:
files go to a worker in small chunks over a pipe, results come back one by one in the
chunk's order, and when a worker dies the first file of its chunk without a result is the
one it died on; the rest of the chunk goes back in the queue and a new worker takes over.

Workers are forked where the platform forks safely (Linux: they inherit the loaded plan,
nothing is imported again), by hand (read.isolate: a pipe each way carrying pickled frames),
no multiprocessing (its import and start-up cost more than a one-file run's validation);
elsewhere they are spawned by multiprocessing and load the plan themselves.
"""

from __future__ import annotations

import contextlib
import select
import time
import traceback
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from danvan_cli.config.load import Config, load_config
from danvan_cli.findings import Finding
from danvan_cli.read.isolate import Forked, Pipe, crash_reason, forks, quiet
from danvan_cli.validate.results import FileResult

Task = tuple[int, str, str, int | None]  # index, path, name shown, year of its folder
Validate = Callable[[Path, Config, str, int | None], FileResult]
FILE_TIMEOUT = 120.0  # seconds without a result before a worker is taken for hung
CHUNK = 8


def _spawned(target: Callable[..., None], args: tuple[Any, ...]) -> tuple[Any, Any]:
    """A worker spawned by multiprocessing (platforms that do not fork safely)."""
    from multiprocessing import get_context

    ctx = get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=target, args=(child, *args), daemon=True)
    process.start()
    child.close()
    return process, parent


def _wait(conns: list[Any], timeout: float) -> list[Any]:
    """The connections with something to read (or closed), within `timeout` seconds."""
    if all(isinstance(c, Pipe) for c in conns):
        ready, _, _ = select.select(conns, [], [], timeout)
        return ready
    from multiprocessing import connection

    return list(connection.wait(conns, timeout=timeout))


def _serve(conn: Any, config: Config | None, plan: str, validate: Validate) -> None:
    """A worker: validate each task it is sent, answer each with its result."""
    quiet()
    try:
        cfg = config if config is not None else load_config(Path(plan))
        while True:
            tasks: list[Task] | None = conn.recv()
            if tasks is None:
                return
            for index, path, shown, year in tasks:
                result = validate(Path(path), cfg, shown, year)
                conn.send(("result", index, result))
    except (EOFError, OSError, KeyboardInterrupt):
        return
    except BaseException:  # a bug in danvan, not a property of the file: the supervisor says so
        with contextlib.suppress(OSError, ValueError):
            conn.send(("error", -1, traceback.format_exc()))


class WorkerError(RuntimeError):
    """danvan itself failed inside a worker (its traceback is the message)."""


class _Worker:
    __slots__ = ("chunk", "conn", "done", "process", "since")

    def __init__(self, process: Any, conn: Any) -> None:
        self.process, self.conn = process, conn
        self.chunk: list[Task] = []  # sent, in order; the first `done` answered
        self.done = 0
        self.since = time.monotonic()


def _crashed(task: Task, exitcode: int | None) -> FileResult:
    why = crash_reason(exitcode)
    return FileResult(
        path=task[2], sha256="", findings=[Finding("file.crashed", params={"error": why})]
    )


def run_supervised(
    tasks: list[Task],
    config: Config,
    validate: Validate,
    jobs: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[FileResult]:
    """Validate every task in `jobs` supervised workers; the results in the tasks' order."""
    forked = forks()
    results: list[FileResult | None] = [None] * len(tasks)
    queue: deque[Task] = deque(tasks)
    chunk = CHUNK if len(tasks) > jobs * CHUNK else max(1, len(tasks) // max(jobs, 1))
    workers: dict[Any, _Worker] = {}
    finished = 0

    def start() -> None:
        if forked:
            process: Any = Forked(_serve, (config, str(config.plan_path), validate))
            parent = process.conn
        else:
            process, parent = _spawned(_serve, (None, str(config.plan_path), validate))
        worker = _Worker(process, parent)
        workers[parent] = worker
        feed(worker)
        feed(worker)

    def feed(worker: _Worker) -> None:
        """Keep two chunks in flight, so a worker never waits for its next files; when the
        queue is empty and it has answered everything, it stops."""
        pending = len(worker.chunk) - worker.done
        if pending > chunk:
            return
        more = [queue.popleft() for _ in range(min(chunk, len(queue)))]
        worker.chunk = worker.chunk[worker.done :] + more
        worker.done = 0
        if more:
            worker.conn.send(more)
        elif not worker.chunk:
            worker.conn.send(None)
            retire(worker)

    def retire(worker: _Worker) -> None:
        workers.pop(worker.conn, None)
        worker.conn.close()
        worker.process.join(timeout=5)

    def died(worker: _Worker) -> None:
        nonlocal finished
        workers.pop(worker.conn, None)
        worker.conn.close()
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        rest = worker.chunk[worker.done :]
        if rest:
            culprit = rest[0]
            results[culprit[0]] = _crashed(culprit, worker.process.exitcode)
            finished += 1
            if progress:
                progress(finished, len(tasks))
            queue.extendleft(reversed(rest[1:]))
        if queue:
            start()

    try:
        for _ in range(min(jobs, len(tasks)) or 1):
            if queue:
                start()
        while workers:
            ready = _wait(list(workers), timeout=5.0)
            now = time.monotonic()
            for worker in list(workers.values()):
                if worker.conn not in ready and now - worker.since > FILE_TIMEOUT:
                    worker.process.kill()  # hung on one file: its pipe closes, below
            for conn in ready:
                found = workers.get(conn)
                if found is None:
                    continue
                worker = found
                try:
                    kind, index, payload = worker.conn.recv()
                except (EOFError, OSError):
                    died(worker)
                    continue
                if kind == "error":
                    raise WorkerError(payload)
                results[index] = payload
                finished += 1
                worker.done += 1
                worker.since = time.monotonic()
                if progress:
                    progress(finished, len(tasks))
                feed(worker)
    finally:
        for worker in list(workers.values()):
            worker.process.kill()
            worker.process.join()
            worker.conn.close()
    return [r for r in results if r is not None]
