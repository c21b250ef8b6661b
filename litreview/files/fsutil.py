"""Writing files so that a crash, a kill or a second process never leaves a half-written corpus."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias

from litreview.errors import LockError
from litreview.model import Location


@dataclass(frozen=True, slots=True)
class FileSpan:
    """Bytes ``[start, stop)`` of the file at ``path``, holding ``newlines`` line breaks: a piece
    of a new file that is read from an old one as it is written, not held in memory (the
    unchanged entries of a 1.5 GB corpus). ``stamp`` is the file's :func:`file_stamp` when the
    span was found: a span of a file replaced or rewritten since is refused, never read from
    the new file."""

    path: Path
    start: int
    stop: int
    newlines: int = 0
    stamp: tuple[int, ...] = ()

    def __len__(self) -> int:
        return self.stop - self.start

    def open(self) -> BinaryIO:
        """The file, opened for reading, checked to be the one the span was found in."""
        fh = self.path.open("rb")
        if self.stamp and file_stamp(fh) != self.stamp:
            fh.close()
            raise OSError(f"{self.path} changed after it was read")
        return fh


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex, read in blocks (a corpus of 1M records is 1.7 GB
    and is never held). Raises OSError as opening the file does."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


#: What this process last took each input file to hold, by absolute path: the SHA-256 (hex) of
#: the bytes it last parsed, or that a cached result it used was computed from ("" for an absent
#: file). A derived result is cached only when every file its digest names was last taken to
#: hold what the digest hashed (:func:`litreview.files.derived.cached`): a file rewritten
#: between the hashing and the parsing (a ``screen decide`` in another terminal) or parsed
#: before and hashed after a change never has its new bytes keyed to an answer from the old.
_TAKEN: dict[str, str] = {}


def note_taken(path: Path, data: bytes | None) -> None:
    """Record that this process parsed ``data`` as ``path``'s content (None: found no file)."""
    _TAKEN[os.path.abspath(path)] = "" if data is None else hashlib.sha256(data).hexdigest()


def note_taken_digest(key: str, digest: str) -> None:
    """Record that ``key`` (an absolute path) was taken to hold bytes of this SHA-256 ("": absent)."""
    _TAKEN[key] = digest


def taken(key: str) -> str | None:
    """What :func:`note_taken` last recorded for ``key`` (an absolute path), or None."""
    return _TAKEN.get(key)


def forget_taken(path: Path) -> None:
    """``path`` was written by this process: what it was parsed as before is no longer its content."""
    _TAKEN.pop(os.path.abspath(path), None)


#: file state -> its SHA-256, while :func:`digests_kept` is in force (None otherwise)
_DIGESTS: dict[tuple[int, ...], str] | None = None


@contextlib.contextmanager
def digests_kept() -> Iterator[None]:
    """Within: :func:`kept_sha256` hashes each state of a file once. A dedupe asks for the
    digest of records.bib three times (is the last run's result still good, which cache holds
    the corpus, and after the run, for the next), and of the dedupe log and absorbed.bib as
    often: ~1 s of hashing at 100k records for files that did not change in between. A state
    is the file's identity, size and times: a file written since (litreview replaces files,
    which gives a new inode) is hashed again."""
    global _DIGESTS
    outer = _DIGESTS
    if outer is None:
        _DIGESTS = {}
    try:
        yield
    finally:
        if outer is None:
            _DIGESTS = None


def kept_sha256(fh: io.BufferedReader) -> str:
    """:func:`file_sha256` of the open file ``fh``, once per state of it while
    :func:`digests_kept` is in force (hashed, as ever, outside it)."""
    memo = _DIGESTS
    if memo is None:
        return hashlib.file_digest(fh, "sha256").hexdigest()
    st = os.fstat(fh.fileno())
    state = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    found = memo.get(state)
    if found is not None:
        return found
    digest = hashlib.file_digest(fh, "sha256").hexdigest()
    after = os.fstat(fh.fileno())
    if (after.st_size, after.st_mtime_ns, after.st_ctime_ns) == state[2:]:
        memo[state] = digest  # not when it was written to as it was read
    return digest


def file_stamp(fh: Any) -> tuple[int, ...]:
    """Which file ``fh`` is and how it stood: a file replaced (a new inode) or rewritten (size,
    time) since has another stamp."""
    st = os.fstat(fh.fileno())
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


#: a file's bytes given as the pieces it is made of, written one after another: a 170 MB corpus
#: written from its entries is not first joined into one more copy of itself (1.7 GB at 1M)
Part: TypeAlias = bytes | memoryview | FileSpan
Parts: TypeAlias = Sequence[Part]

#: how much of a file a :class:`FileSpan` is read in at a time
_BLOCK = 1 << 22


def as_parts(text: str | bytes | Parts) -> Parts:
    """``text`` as the pieces to write: UTF-8 bytes for text."""
    if isinstance(text, str):
        return (text.encode("utf-8"),)
    if isinstance(text, bytes):
        return (text,)
    return text


class _Window:
    """A file read forward in blocks: spans in increasing order cost one read per block."""

    def __init__(self, span: FileSpan) -> None:
        self.fh = span.open()
        self.block = b""
        self.at = 0

    def read(self, start: int, stop: int) -> Iterator[memoryview]:
        while start < stop:
            if not self.at <= start < self.at + len(self.block):
                self.fh.seek(start)
                self.block = self.fh.read(max(_BLOCK, min(stop - start, 1 << 24)))
                self.at = start
                if not self.block:
                    raise OSError(f"{self.fh.name} is shorter than it was when it was read")
            end = min(stop, self.at + len(self.block))
            yield memoryview(self.block)[start - self.at : end - self.at]
            start = end


def iter_bytes(parts: Iterable[Part]) -> Iterator[bytes | memoryview]:
    """The bytes ``parts`` make, piece by piece, a span's read from its file as it comes."""
    windows: dict[Path, _Window] = {}
    try:
        for part in parts:
            if isinstance(part, FileSpan):
                window = windows.get(part.path)
                if window is None:
                    window = windows[part.path] = _Window(part)
                yield from window.read(part.start, part.stop)
            else:
                yield part
    finally:
        for window in windows.values():
            window.fh.close()


def read_span(span: FileSpan) -> bytes:
    """One span's bytes (an absorbed record's entry, say)."""
    with span.open() as fh:
        fh.seek(span.start)
        data: bytes = fh.read(len(span))
    if len(data) != len(span):
        raise OSError(f"{span.path} is shorter than it was when it was read")
    return data


class SpanReader:
    """Spans read through one open file per file (checked against the span's stamp when it is
    opened), for a caller that reads thousands of them: a dedupe of 100k records keeps ~25,000
    entries as read, and opening the corpus file for each cost ~0.2 s. Close it (or use it as
    a context manager) when done."""

    def __init__(self) -> None:
        self._open: dict[tuple[Path, tuple[int, ...]], BinaryIO] = {}

    def read(self, span: FileSpan) -> bytes:
        """The span's bytes, as :func:`read_span` gives them."""
        fh = self._open.get((span.path, span.stamp))
        if fh is None:
            fh = self._open[(span.path, span.stamp)] = span.open()
        data = os.pread(fh.fileno(), len(span), span.start)
        if len(data) != len(span):
            raise OSError(f"{span.path} is shorter than it was when it was read")
        return data

    def close(self) -> None:
        for fh in self._open.values():
            fh.close()
        self._open.clear()

    def __enter__(self) -> SpanReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parts_digest(parts: Parts) -> str:
    """The SHA-256 of the bytes ``parts`` make, as hex."""
    digest = hashlib.sha256()
    for chunk in iter_bytes(parts):
        digest.update(chunk)
    return digest.hexdigest()


def write_parts(fh: Any, parts: Parts) -> None:
    """Write the bytes ``parts`` make to the binary file ``fh``."""
    for chunk in iter_bytes(parts):
        fh.write(chunk)


def holds(path: Path, parts: Parts) -> bool:
    """Whether the file at ``path`` holds exactly the bytes ``parts`` make (False when it cannot
    be read), compared piece by piece rather than by reading the whole file into memory."""
    try:
        if not path.is_file() or path.stat().st_size != sum(len(p) for p in parts):
            return False
        with path.open("rb") as fh:
            return all(fh.read(len(chunk)) == chunk for chunk in iter_bytes(parts))
    except OSError:
        return False


def open_temp(path: Path) -> tuple[BinaryIO, Path]:
    """A new temporary file next to ``path``, open for writing, named as the sweeps of files a
    killed writer left behind expect (``.NAME.PID.RANDOM.tmp``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale_temps(path)
    fd, name = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    return os.fdopen(fd, "wb"), Path(name)


def write_temp(path: Path, parts: Parts) -> Path:
    """A temporary file next to ``path`` holding the bytes ``parts`` make, flushed to disk and
    given the permissions a new file would get (not mkstemp's 0600); removed if that fails."""
    fh, tmp = open_temp(path)
    try:
        with fh:
            write_parts(fh, parts)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~umask())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def atomic_write(path: Path, text: str | bytes | Parts) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over ``path``.
    ``text`` is written as UTF-8 with ``\\n`` line ends; bytes (or the pieces of the file, see
    :data:`Parts`) are written as they are.

    A reader sees either the old file or the new one, never a mixture. The temporary file's
    name carries the writer's process id (``.records.bib.<pid>.<random>.tmp``); one left behind
    by a writer that was killed is removed by the next write of the same file.
    """
    tmp: Path | None = None
    try:
        tmp = write_temp(path, as_parts(text))
        os.replace(tmp, path)
        forget_taken(path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(exc, OSError) and (
            exc.filename is None  # name the file being written, not our temporary
            or os.path.basename(exc.filename).startswith(f".{path.name}.")
        ):
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def temp_files(path: Path) -> list[Path]:
    """Temporary files :func:`atomic_write` made for ``path`` and has not (yet) renamed."""
    prefix = f".{path.name}."
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return sorted(path.parent / n for n in names if n.startswith(prefix) and n.endswith(".tmp"))


def sweep_stale_temps(path: Path) -> None:
    """Remove temporary files for ``path`` whose writer process is gone."""
    for tmp in temp_files(path):
        _sweep_one(tmp, f".{path.name}.")


def _sweep_one(tmp: Path, prefix: str | None = None) -> None:
    """Delete ``.NAME.PID.RANDOM.tmp`` when process PID is gone (and is not this one)."""
    rest = tmp.name[len(prefix) :] if prefix else tmp.name[1 : -len(".tmp")]
    fields = rest.split(".")
    # NAME may hold dots itself: without the prefix the pid is the second-last part
    pid = fields[0] if prefix else fields[-2] if len(fields) >= 3 else ""
    if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
        with contextlib.suppress(OSError):
            tmp.unlink()


# --- sealed caches ----------------------------------------------------------------------------
# A pickle runs code when loaded, and a cache folder inside a review repository can arrive in a
# clone or a pull request. Caches are therefore sealed with a key that never leaves this
# machine's user: a planted or altered cache file fails the check and is simply not used.

_SEAL = 32  # bytes of HMAC-SHA256 in front of the data


def _cache_key() -> bytes:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "litreview"
    key_file = base / "cache-key"
    try:
        key = key_file.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    base.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32)
    fd, tmp = tempfile.mkstemp(prefix=".cache-key.", dir=base)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    os.chmod(tmp, 0o600)
    try:
        os.link(tmp, key_file)  # first writer wins; a concurrent one reads the winner's key
    except FileExistsError:
        key = key_file.read_bytes()
    finally:
        os.unlink(tmp)
    return key


def seal(data: bytes) -> bytes:
    """``data`` with a keyed digest in front, for :func:`unseal` to check before it is trusted."""
    return seal_digest(data) + data


def seal_digest(data: bytes | memoryview) -> bytes:
    """The keyed digest :func:`seal` puts in front of ``data`` (for a writer that writes the two
    parts one after the other rather than joining 100 MB)."""
    import hashlib
    import hmac

    return hmac.new(_cache_key(), data, hashlib.sha256).digest()


class SealedWriter:
    """A file written as :func:`seal` would write it, without the data in memory first: the
    data goes to ``fh`` as it comes (a pickler writing a 1.4 GB cache at 1M records), after
    room for the digest, which :meth:`close` writes in front once all the data is through."""

    def __init__(self, fh: Any) -> None:
        import hashlib
        import hmac

        self.fh = fh
        self.mac = hmac.new(_cache_key(), digestmod=hashlib.sha256)
        fh.write(bytes(_SEAL))

    def write(self, data: bytes | memoryview) -> int:
        self.mac.update(data)
        return int(self.fh.write(data))

    def close(self) -> None:
        self.fh.seek(0)
        self.fh.write(self.mac.digest())


def unseal(blob: bytes) -> memoryview | None:
    """The data :func:`seal` wrapped, or None when the blob was not sealed by this user.

    A view, not a copy: the data of a large corpus's cache is over 100 MB."""
    import hashlib
    import hmac

    if len(blob) < _SEAL:
        return None
    data = memoryview(blob)[_SEAL:]
    try:
        expected = hmac.new(_cache_key(), data, hashlib.sha256).digest()
    except OSError:
        return None
    return data if hmac.compare_digest(expected, blob[:_SEAL]) else None


def umask() -> int:
    """This process's umask (read by setting it and putting it back): a file written to a
    temporary name gets the permissions a new file would, not mkstemp's 0600."""
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


#: Seconds a second writer waits for the corpus lock before it gives up; the environment
#: variable ``LITREVIEW_LOCK_WAIT`` overrides it (CI jobs that queue writers may want longer).
LOCK_WAIT = 5.0
LOCK_NAME = ".litreview.lock"


def lock_wait() -> float:
    raw = os.environ.get("LITREVIEW_LOCK_WAIT", "")
    try:
        return max(0.0, float(raw)) if raw.strip() else LOCK_WAIT
    except ValueError:
        return LOCK_WAIT


@contextlib.contextmanager
def corpus_lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold ``folder/.litreview.lock`` while writing; a second writer waits, then gives up clearly.

    On POSIX the lock is an ``flock`` on that file, which the kernel releases when the holder
    exits however it exits (a SIGKILL leaves no stale lock). Elsewhere the file is created
    exclusively and holds the owner's process id, and a lock whose owner is gone is taken over.

    Whoever takes the lock first finishes or rolls back a change a killed writer left
    (:func:`litreview.files.journal.recover`), so every writer starts from a whole state.
    """
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK_NAME
    limit = lock_wait() if wait is None else wait
    deadline = time.monotonic() + limit
    held = str(folder.resolve())
    if os.name == "posix":
        fd = _acquire_flock(lock, deadline, limit)
        _HELD.add(held)
        try:
            _recover(folder)
            yield
        finally:
            _HELD.discard(held)
            # unlink while still holding the lock: a waiter that then locks the old file sees
            # that it is no longer the one at the path and tries again
            with contextlib.suppress(OSError):
                os.unlink(lock)
            os.close(fd)
        return
    fd = _acquire_exclusive(lock, deadline, limit)
    _HELD.add(held)
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        _recover(folder)
        yield
    finally:
        _HELD.discard(held)
        with contextlib.suppress(OSError):
            os.unlink(lock)


#: folders whose corpus lock this process holds (the lock is not re-entrant)
_HELD: set[str] = set()


def lock_held(folder: Path) -> bool:
    """Whether this process holds ``folder``'s :func:`corpus_lock` now: no other litreview can
    change the files in it until it lets go."""
    return str(folder.resolve()) in _HELD


def _recover(folder: Path) -> None:
    from litreview.files.journal import pending, recover

    if pending(folder):
        recover(folder, _shown(folder))
    # temporary files of writers killed before their change was decided: the old files stand
    subs = [p for p in (folder / "rejects").glob("*") if p.is_dir()]
    if (folder / "screening").is_dir():  # each reviewer's decisions file
        subs.append(folder / "screening")
    for sub in (folder, *subs):
        with contextlib.suppress(OSError):
            for name in os.listdir(sub):
                if name.startswith(".") and name.endswith(".tmp"):
                    _sweep_one(sub / name)


def _shown(folder: Path) -> str:
    try:
        return folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return folder.as_posix()


def settle(folder: Path) -> None:
    """Before reading ``folder``: wait for a change in progress, or finish one a killed writer left.

    Costs one ``stat`` when there is none. A reader inside a writer's lock has nothing to wait for.
    """
    from litreview.files.journal import WriteError, pending

    if not pending(folder) or str(folder.resolve()) in _HELD:
        return
    try:
        with corpus_lock(folder):
            pass
    except OSError as exc:
        raise WriteError.at(
            Location(_shown(folder / LOCK_NAME)),
            f"an interrupted change waits to be finished here, but: {exc.strerror or exc}",
            hint="run litreview where the corpus folder is writable",
            code="write-failed",
        ) from None


def _locked(lock: Path, holder: int | None, limit: float) -> LockError:
    who = f"another litreview process (pid {holder})" if holder else "another litreview process"
    return LockError.at(
        Location(lock.as_posix()),
        f"{who} is writing this corpus; gave up after waiting {limit:g} s",
        hint="run the command again when it has finished; if no litreview is running, delete the lock file",
        code="locked",
    )


def _acquire_flock(lock: Path, deadline: float, limit: float) -> int:
    import fcntl

    while True:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _pid_from(os.pread(fd, 32, 0))
            os.close(fd)
            if time.monotonic() >= deadline:
                raise _locked(lock, holder, limit) from None
            time.sleep(0.05)
            continue
        try:
            current = os.stat(lock)
        except FileNotFoundError:
            current = None
        if current is None or not os.path.samestat(os.fstat(fd), current):
            os.close(fd)  # the holder removed this file as it let go: lock the new one
            continue
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        return fd


def _acquire_exclusive(lock: Path, deadline: float, limit: float) -> int:
    while True:
        try:
            return os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _read_pid(lock)
            if holder is not None and not _alive(holder):
                with contextlib.suppress(OSError):
                    os.unlink(lock)
                continue
            if time.monotonic() >= deadline:
                raise _locked(lock, holder, limit) from None
            time.sleep(0.1)


def _pid_from(data: bytes) -> int | None:
    text = data.decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _read_pid(lock: Path) -> int | None:
    try:
        return _pid_from(lock.read_bytes()[:32])
    except OSError:
        return None


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
