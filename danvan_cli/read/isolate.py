"""A workbook read in a process of its own: a native reader that aborts, or work that runs
away, costs that read a `file.crashed`, never the command that asked for it.

Batches are validated in supervised workers (validate/workers.py, built on the same forked
process and pipe); the commands that read one workbook in passing — `recognize`, `export
--decisions`, `history import`, the check of a ranking before it is replaced — read it
through `apart`, one fork per read (a few milliseconds). Where the platform does not fork
safely the read runs in-process, bounded by the gate's counts alone.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from danvan_cli.i18n.catalog import Message
from danvan_cli.read.limits import FileProblem

T = TypeVar("T")
READ_TIMEOUT = 120.0  # seconds without an answer before a read is taken for hung


def forks() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class Pipe:
    """Two ends of pipes between a parent and a process forked by hand: pickled objects in
    frames of a 4-byte length. `fileno` is the end to wait on for reading."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd, self.write_fd = read_fd, write_fd

    def fileno(self) -> int:
        return self.read_fd

    def send(self, obj: Any) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(struct.pack("<I", len(data)) + data)
        while view:
            view = view[os.write(self.write_fd, view) :]

    def recv(self) -> Any:
        (size,) = struct.unpack("<I", self._read(4))
        return pickle.loads(self._read(size))

    def _read(self, size: int) -> bytes:
        parts, left = [], size
        while left:
            part = os.read(self.read_fd, min(left, 1 << 20))
            if not part:
                raise EOFError
            parts.append(part)
            left -= len(part)
        return b"".join(parts)

    def close(self) -> None:
        for fd in (self.read_fd, self.write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


class Forked:
    """A process forked by hand; the same face as multiprocessing's Process."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...]) -> None:
        down_r, down_w = os.pipe()  # parent → child
        up_r, up_w = os.pipe()  # child → parent
        pid = os.fork()
        if pid == 0:  # the child: never returns into the parent's code
            code = 0
            try:
                os.close(down_w)
                os.close(up_r)
                target(Pipe(down_r, up_w), *args)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(down_r)
        os.close(up_w)
        self.pid = pid
        self.conn = Pipe(up_r, down_w)
        self.exitcode: int | None = None

    def is_alive(self) -> bool:
        if self.exitcode is not None:
            return False
        done, status = os.waitpid(self.pid, os.WNOHANG)
        if done:
            self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode is None

    def join(self, timeout: float | None = None) -> None:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.is_alive():
            if deadline is not None and time.monotonic() >= deadline:
                return
            time.sleep(0.001)

    def kill(self) -> None:
        if self.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


def quiet() -> None:
    """A child's own stderr goes nowhere (what it has to say comes back over the pipe), and
    Ctrl+C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.environ.get("DANVAN_DEBUG"):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def crash_reason(exitcode: int | None) -> Message:
    """Why a process ended without an answer: the signal that killed it, or its exit code."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return Message("crash.signal", {"signal": name})
    return Message("crash.exit", {"code": "?" if exitcode is None else exitcode})


class IsolatedError(RuntimeError):
    """danvan itself failed in the reading process (its traceback is the message)."""


def apart(read: Callable[..., T], *args: Any, timeout: float = READ_TIMEOUT) -> T:
    """`read(*args)` in a forked process: its result, or the FileProblem it raised; a process
    that dies or does not answer within `timeout` seconds is a `file.crashed` problem."""
    if not forks():
        return read(*args)
    child = Forked(_serve, (read, args))
    try:
        ready, _, _ = select.select([child.conn], [], [], timeout)
        answer = None
        if ready:
            with contextlib.suppress(EOFError, OSError):
                answer = child.conn.recv()
        if answer is None:
            child.kill()
            child.join()
            raise FileProblem("file.crashed", error=crash_reason(child.exitcode))
        kind, payload = answer
        if kind == "problem":
            code, params, sha = payload
            problem = FileProblem(code, **params)
            problem.sha256 = sha
            raise problem
        if kind == "error":
            raise IsolatedError(payload)
        result: T = payload
        return result
    finally:
        child.kill()
        child.join(timeout=5)
        child.conn.close()


def _serve(conn: Pipe, read: Callable[..., Any], args: tuple[Any, ...]) -> None:
    quiet()
    try:
        answer: tuple[str, Any] = ("ok", read(*args))
    except FileProblem as problem:
        answer = ("problem", (problem.code, problem.params, problem.sha256))
    except BaseException:
        answer = ("error", traceback.format_exc())
    conn.send(answer)
