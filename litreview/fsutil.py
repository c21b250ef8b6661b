"""Writing files so that a crash, a kill or a second process never leaves a half-written corpus."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from litreview.errors import LockError
from litreview.model import Location


def atomic_write(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over ``path``.

    A reader sees either the old file or the new one, never a mixture.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def inside(root: Path, candidate: Path) -> bool:
    """True when ``candidate`` resolves to a place under ``root`` (no escape through ``..``)."""
    try:
        candidate.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


@contextlib.contextmanager
def corpus_lock(folder: Path, wait: float = 5.0) -> Iterator[None]:
    """Hold ``folder/.litreview.lock`` while writing; a second writer waits, then gives up clearly."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / ".litreview.lock"
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            holder = _read_pid(lock)
            if holder is not None and not _alive(holder):
                with contextlib.suppress(OSError):
                    os.unlink(lock)
                continue
            if time.monotonic() >= deadline:
                raise LockError.at(
                    Location(lock.as_posix()),
                    f"another litreview process (pid {holder}) is writing this corpus",
                    hint="wait for it to finish; if none is running, delete the lock file",
                    code="locked",
                ) from None
            time.sleep(0.1)
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)


def _read_pid(lock: Path) -> int | None:
    try:
        text = lock.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
