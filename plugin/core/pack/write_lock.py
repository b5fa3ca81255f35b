"""One writer at a time per pack file: a lock the file system holds, beside the pack's real path.

Every writer of a GeoPackage pack (adding a layer, publishing a version, checking edits in) takes this lock
first, on the path a symbolic link leads to, so two writers queue instead of one silently undoing the other.
The lock is an advisory ``flock`` (POSIX) or ``msvcrt.locking`` (Windows) on ``.<pack name>.lock``: the
operating system releases it when its holder dies, so a killed writer never leaves the pack locked (a lock
file left by a killed writer is simply locked again by the next one). While it
holds the lock, a writer removes the scratch copies a killed writer left (``.<pack name>.<pid>.tmp`` and
their journals): nobody else can be using them.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError, PackError

#: How long a writer waits for another one to finish before refusing with a sentence.
WRITE_LOCK_SECONDS = 60.0
_POLL_SECONDS = 0.05


def real_path(path: str | Path) -> Path:
    """The file a write to ``path`` must change: symbolic links followed (a link is never replaced by a copy)."""
    return Path(os.path.realpath(Path(path)))


def lock_path(path: str | Path) -> Path:
    real = real_path(path)
    return real.with_name(f".{real.name}.lock")


def scratch_paths(path: str | Path, pid: int | None = None) -> list[Path]:
    """A writer's scratch copy of the pack and its SQLite side files (every writer's when ``pid`` is None)."""
    real = real_path(path)
    if pid is not None:
        tmp = real.with_name(f".{real.name}.{pid}.tmp")
        return [tmp, *(Path(f"{tmp}{suffix}") for suffix in ("-journal", "-wal", "-shm"))]
    return sorted(real.parent.glob(f".{_glob_escape(real.name)}.*.tmp*"))


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _open_lock_file(lock: Path) -> int:
    if not lock.parent.is_dir():
        raise InputError(f"the folder {lock.parent} does not exist.")
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError:
        raise InputError(f"the folder {lock.parent} is not writable; choose another place for the pack.") from None
    except OSError as exc:
        raise PackError(f"the pack {lock.parent / lock.name[1:-5]} cannot be locked for writing "
                        f"({exc.strerror or exc}); nothing was changed.") from exc


def _still_ours(fd: int, lock: Path) -> bool:
    """True when ``lock`` is still the file ``fd`` holds (a releasing writer removes it)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(lock))
    except OSError:
        return False


@contextlib.contextmanager
def pack_write_lock(path: str | Path, timeout: float | None = None) -> Iterator[Path]:
    """Hold the pack's write lock (waiting up to ``timeout`` s for another writer); yield the pack's real path.

    Refuses with :class:`PackError` when another writer keeps the lock longer; removes a dead writer's scratch.
    The lock file is removed on release (POSIX), so a folder holds nothing but the pack between writes; a waiter
    that finds its file removed opens the new one.
    """
    real = real_path(path)
    lock = lock_path(real)
    wait = WRITE_LOCK_SECONDS if timeout is None else timeout
    deadline = time.monotonic() + wait
    while True:
        fd = _open_lock_file(lock)
        if _try_lock(fd) and (sys.platform == "win32" or _still_ours(fd, lock)):
            break
        os.close(fd)  # closing drops a lock taken on a removed file too
        if time.monotonic() >= deadline:
            raise PackError(f"Another user or program is writing to the pack {real.name} and has not finished "
                            f"after {wait:g} s; nothing was changed. Try again when it has finished.")
        time.sleep(_POLL_SECONDS)
    try:
        for leftover in scratch_paths(real):  # a killed writer's: no live writer holds the lock
            with contextlib.suppress(OSError):
                leftover.unlink()
        yield real
    finally:
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                lock.unlink()
        _unlock(fd)
        os.close(fd)
