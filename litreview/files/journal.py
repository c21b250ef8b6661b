"""One change to several stored files, all of it or none of it, even through ``kill -9``.

A command that changes more than one file of the corpus (records.bib and duplicates.yaml and
absorbed.bib; records.bib and a rejects file) used to rename them into place one by one, so a
kill or a full disk between two renames left, say, a merged corpus without the log of its merges.
A :class:`Change` is a small write-ahead log instead:

1. every new file is written in full to a temporary file next to its target and flushed to disk
   (in a thread, from the moment the file is given to the change: see :class:`Change`);
2. ``corpus/.litreview-journal`` is written (through its own temporary file, then renamed) with
   each target, its temporary file and the SHA-256 of the content, sealed by a digest of the
   journal's own text: from here on the change is decided;
3. each temporary file is renamed over its target (or the target deleted);
4. the journal is removed.

A process killed before step 2 leaves the old files and some temporary files, which the next
write sweeps. Killed after it, the journal remains, and the next command that takes the corpus
lock or loads the corpus (:func:`recover`) finishes the renames. A journal that does not verify
(cut short, edited) decided nothing: its temporary files are deleted and the old files stay.

``LITREVIEW_TEST_KILL_AT=N`` makes the process SIGKILL itself at the Nth step of its changes
(steps are counted over the whole process), so the tests can stop a real writer at every point.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import threading
from pathlib import Path

from litreview.errors import LitreviewError
from litreview.files.fsutil import (
    Parts,
    as_parts,
    file_sha256,
    forget_taken,
    holds,
    parts_digest,
    umask,
    write_temp,
)
from litreview.model import Location

JOURNAL_NAME = ".litreview-journal"
_FORMAT = "litreview-journal 1"

_steps = 0


def kill_point() -> None:
    """Count one step of a change; the test hook stops the process here when it is the chosen one."""
    global _steps
    _steps += 1
    wanted = os.environ.get("LITREVIEW_TEST_KILL_AT", "")
    if wanted.isdigit() and int(wanted) == _steps:
        os.kill(os.getpid(), signal.SIGKILL)


class WriteError(LitreviewError):
    """A stored file could not be written; the change was not made."""


def nothing_written(shown: str, exc: OSError) -> WriteError:
    """The error for a file that could not be written before anything was changed."""
    return WriteError.at(
        Location(shown),
        f"cannot write: {exc.strerror or exc}; nothing was changed",
        hint="free some disk space or make the folder writable, then run the command again",
        code="write-failed",
    )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Change:
    """Files to replace or delete under ``folder`` as one change: see the module's docstring.

    ``write`` and ``delete`` only collect; :meth:`commit` (or leaving the ``with`` block without an
    exception) makes the change. A file whose new content equals its current content is left alone.
    Step 1 (compare with the target, write the temporary file, flush it) starts in a thread as
    soon as a file is given to ``write``: that is disk time, and the command meanwhile goes on
    with what it still has to compute (the cache of a 170 MB corpus), so ``commit`` mostly finds
    it done. Nothing is decided before ``commit``: until the journal is written, what a thread
    wrote is only a temporary file. Commit or discard a change before forking (``split_map``):
    a process should not fork while its threads write.
    """

    def __init__(self, folder: Path, display: str | None = None) -> None:
        self.folder = folder
        self.display = display or folder.as_posix()
        self._files: dict[Path, _Prepared | None] = {}

    def __enter__(self) -> Change:
        return self

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()

    def write(self, path: Path, text: str | bytes | Parts) -> None:
        """``text``, or its UTF-8 bytes when the caller has them already, or the pieces those
        bytes are made of (a 170 MB corpus as its entries, never joined into one more copy).
        The pieces must not change until the change is committed or discarded."""
        path = self._inside(path)
        self._forget(path)
        self._files[path] = _Prepared(path, as_parts(text))

    def adopt(self, path: Path, temp: Path, digest: str) -> None:
        """``temp``, written in full by the caller (from :func:`open_temp` for ``path``, closed)
        and holding bytes whose SHA-256 is ``digest``, as the new ``path``: for a file too large
        to hand over as its bytes, written as it was made (the corpus of 1M records). Flushed
        to disk in a thread; left out of the change when ``path`` holds those bytes already."""
        path = self._inside(path)
        self._forget(path)
        self._files[path] = _Adopted(path, temp, digest)

    def delete(self, path: Path) -> None:
        path = self._inside(path)
        self._forget(path)
        self._files[path] = None

    def discard(self) -> None:
        """Drop the change: wait for the files being prepared and remove their temporary files."""
        for path in list(self._files):
            self._forget(path)

    def _forget(self, path: Path) -> None:
        earlier = self._files.pop(path, None)
        if earlier is not None:
            earlier.remove()

    def _inside(self, path: Path) -> Path:
        try:
            path.resolve().relative_to(self.folder.resolve())
        except ValueError:
            raise ValueError(f"{path} is not under {self.folder}") from None
        return path

    def _shown(self, path: Path) -> str:
        try:
            rel = path.resolve().relative_to(self.folder.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
        return f"{self.display.rstrip('/')}/{rel}"

    def commit(self) -> None:
        try:
            for prepared in self._files.values():
                if prepared is not None:
                    prepared.wait()
        except BaseException:  # interrupted while waiting (Ctrl-C): nothing is changed
            self.discard()
            raise
        files, self._files = self._files, {}
        # (target, its temporary file or None to delete it, the new content's digest)
        temps: list[tuple[Path, Path | None, str | None]] = []
        failed: tuple[Path, BaseException] | None = None
        for path, prepared in files.items():
            if prepared is None:
                if path.exists():
                    temps.append((path, None, None))
                    kill_point()
            elif prepared.error is not None:
                failed = failed or (path, prepared.error)
            elif prepared.temp is not None:
                temps.append((path, prepared.temp, prepared.digest))
                kill_point()
        if not temps and failed is None:
            return

        def undone(where: Path, exc: BaseException) -> BaseException:
            """Nothing is decided yet: remove the temporary files, and say why."""
            for _path, tmp, _d in temps:
                if tmp is not None:
                    with contextlib.suppress(OSError):
                        tmp.unlink()
            if not isinstance(exc, OSError):
                return exc  # a thread's MemoryError, say: nothing was changed, and it is not hidden
            return nothing_written(self._shown(where), exc)

        if failed is not None:
            raise undone(*failed) from None
        try:
            if len(temps) > 1:
                self._journal(temps)
                kill_point()
        except OSError as exc:
            # only an error writing the journal: an interrupt once it is in place (Ctrl-C) must
            # leave the temporary files it names, for the next command to finish the change
            raise undone(self.folder / JOURNAL_NAME, exc) from None
        try:
            for path, tmp, _d in temps:
                forget_taken(path)
                if tmp is None:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                else:
                    os.replace(tmp, path)
                kill_point()
            for folder in {p.parent for p, _t, _d in temps}:
                _fsync_dir(folder)
            if len(temps) > 1:
                (self.folder / JOURNAL_NAME).unlink()
                _fsync_dir(self.folder)
                kill_point()
        except OSError as exc:  # the journal stays: the next command finishes the change
            raise WriteError.at(
                Location(self._shown(self.folder / JOURNAL_NAME)),
                f"the change was interrupted: {exc.strerror or exc}",
                hint="the next litreview command finishes it once the folder is writable again",
                code="write-failed",
            ) from None

    def _journal(self, temps: list[tuple[Path, Path | None, str | None]]) -> None:
        root = self.folder.resolve()
        files = [
            {
                "target": path.resolve().relative_to(root).as_posix(),
                "temp": None if tmp is None else tmp.name,
                "sha256": digest,
            }
            for path, tmp, digest in temps
        ]
        body = json.dumps({"pid": os.getpid(), "files": files}, sort_keys=True)
        text = f"{_FORMAT}\n{body}\nend {_digest(body.encode('utf-8'))}\n"
        journal = self.folder / JOURNAL_NAME
        tmp = write_temp(journal, as_parts(text))
        os.replace(tmp, journal)
        _fsync_dir(self.folder)


class _Prepared:
    """Step 1 for one new file, in a thread of its own (file I/O and hashing let the command's
    own thread run meanwhile): is the target's content already this, and if not, the temporary
    file holding it and its digest for the journal."""

    def __init__(self, path: Path, data: Parts) -> None:
        self.temp: Path | None = None
        self.digest: str | None = None
        #: anything the thread raised, to be raised by ``commit``: a thread that died unheard
        #: would leave no temporary file, which ``commit`` would read as "unchanged"
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path, data))
        self._thread.start()

    def _run(self, path: Path, data: Parts) -> None:
        try:
            if not holds(path, data):
                self.digest = parts_digest(data)
                self.temp = write_temp(path, data)
        except BaseException as exc:  # handed to commit, which raises it
            self.error = exc

    def wait(self) -> None:
        self._thread.join()

    def remove(self) -> None:
        self.wait()
        if self.temp is not None:
            with contextlib.suppress(OSError):
                self.temp.unlink()
            self.temp = None


class _Adopted(_Prepared):
    """Step 1 for a file the caller wrote itself (:meth:`Change.adopt`)."""

    def __init__(self, path: Path, temp: Path, digest: str) -> None:
        self.temp: Path | None = temp
        self.digest: str | None = digest
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._settle, args=(path, temp, digest))
        self._thread.start()

    def _settle(self, path: Path, temp: Path, digest: str) -> None:
        try:
            with temp.open("r+b") as fh:  # Windows flushes only a file open for writing
                os.fsync(fh.fileno())
            os.chmod(temp, 0o666 & ~umask())
            same_size = path.is_file() and path.stat().st_size == temp.stat().st_size
            if same_size and _file_digest(path) == digest:
                temp.unlink()
                self.temp = None
        except BaseException as exc:  # handed to commit, which raises it
            self.error = exc
            with contextlib.suppress(OSError):
                temp.unlink()  # a file that could not be made sure of is not kept
            self.temp = None


def _read_journal(journal: Path) -> tuple[list[dict[str, str | None]] | None, list[Path]]:
    """The journal's files when it verifies, else None and the temporary files it names."""
    try:
        text = journal.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None, []
    lines = text.split("\n")
    named: list[Path] = []
    with contextlib.suppress(ValueError, TypeError, AttributeError, KeyError):
        doc = json.loads(lines[1])
        for f in doc["files"]:
            temp = f.get("temp")
            target = _safe_target(journal.parent, f.get("target"))
            if target is not None and _safe_temp(target, temp):
                named.append(target.parent / str(temp))
    ok = (
        len(lines) == 4
        and lines[0] == _FORMAT
        and lines[3] == ""
        and lines[2] == f"end {_digest(lines[1].encode('utf-8'))}"
    )
    if not ok:
        return None, named
    try:
        files = json.loads(lines[1])["files"]
        valid = isinstance(files, list) and all(
            isinstance(f, dict)
            and _safe_target(journal.parent, f.get("target")) is not None
            and (f.get("temp") is None) == (f.get("sha256") is None)
            and (
                f.get("temp") is None
                or _safe_temp(_safe_target(journal.parent, f["target"]), f["temp"])
            )
            for f in files
        )
    except (ValueError, TypeError, KeyError):
        return None, named
    return (files if valid else None), named


def _safe_target(folder: Path, target: object) -> Path | None:
    """A target only inside the corpus folder: a planted journal must not reach anything else."""
    if not isinstance(target, str) or not target or target.startswith("/") or "\\" in target:
        return None
    parts = target.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    return folder.joinpath(*parts)


def _safe_temp(target: Path | None, temp: object) -> bool:
    return (
        target is not None
        and isinstance(temp, str)
        and "/" not in temp
        and "\\" not in temp
        and temp.startswith(f".{target.name}.")
        and temp.endswith(".tmp")
    )


def pending(folder: Path) -> bool:
    """True when an interrupted change waits in ``folder`` (a cheap check for readers)."""
    return (folder / JOURNAL_NAME).exists()


def recover(folder: Path, display: str | None = None) -> str | None:
    """Finish or roll back an interrupted change in ``folder``; the caller holds the corpus lock.

    Returns what was done ("finished" or "rolled back"), or None when there was nothing to do.
    """
    journal = folder / JOURNAL_NAME
    if not journal.exists():
        return None
    shown = f"{(display or folder.as_posix()).rstrip('/')}/{JOURNAL_NAME}"
    files, named = _read_journal(journal)
    if files is None:
        for tmp in named:
            with contextlib.suppress(OSError):
                tmp.unlink()
        journal.unlink()
        _fsync_dir(folder)
        return "rolled back"
    plan: list[tuple[Path, Path | None]] = []
    for f in files:
        target = _safe_target(folder, f["target"])
        assert target is not None  # checked by _read_journal
        temp, digest = f.get("temp"), f.get("sha256")
        if temp is None:
            plan.append((target, None))
            continue
        tmp = target.parent / temp
        if tmp.exists() and _file_digest(tmp) == digest:
            plan.append((target, tmp))
        elif target.exists() and _file_digest(target) == digest:
            continue  # renamed before the interruption
        else:
            raise WriteError.at(
                Location(shown),
                f"an interrupted change cannot be finished: {f['target']} is neither "
                "its new content nor a complete temporary file",
                hint="restore the corpus folder from version control (`git status`, `git checkout`), "
                "then delete this journal",
                code="journal",
            )
    for dest, src in plan:
        forget_taken(dest)
        if src is None:
            with contextlib.suppress(FileNotFoundError):
                dest.unlink()
        else:
            os.replace(src, dest)
    for folder_ in {t.parent for t, _ in plan} | {folder}:
        _fsync_dir(folder_)
    journal.unlink()
    _fsync_dir(folder)
    return "finished"


def _file_digest(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None
