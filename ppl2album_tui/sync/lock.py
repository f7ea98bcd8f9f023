"""One sync per config at a time: a lock file in the data dir, keyed by the config's path.

The file holds the owner's pid. It is held with `fcntl.flock` where available (the kernel lets
go when the process dies), and on top of that a lock whose pid is no longer alive is stale and
taken over, so a crash never blocks the next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from types import TracebackType

from ppl2album_tui.errors import UserError
from ppl2album_tui.sync.paths import LOCK_DIR, data_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class LockBusy(UserError):
    """Another live process is syncing the same config; one sentence, `path` the lock file."""


def lock_path_for(key: Path, directory: Path | None = None) -> Path:
    """The lock file for config (or .env) `key`: ``<data dir>/locks/<hash>.lock``."""
    digest = hashlib.sha256(str(key.expanduser().resolve()).encode()).hexdigest()[:16]
    return (directory or data_dir()) / LOCK_DIR / f"{digest}.lock"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SyncLock:
    """Context manager: `with SyncLock(config_path): ...`; raises LockBusy when taken."""

    def __init__(self, key: Path, directory: Path | None = None) -> None:
        self.key = key
        self.path = lock_path_for(key, directory)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    pid = self._read_pid(fd)
                    os.close(fd)
                    raise self._busy(pid) from None
            pid = self._read_pid(fd)
            if pid and pid != os.getpid() and _pid_alive(pid) and fcntl is None:
                os.close(fd)
                raise self._busy(pid)
            # free or stale: the file may have been replaced meanwhile; make sure we hold it
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n{self.key}\n".encode(), 0)
            os.fsync(fd)
            self._fd = fd
            return
        raise LockBusy(f"Could not take the sync lock {self.path}; try again.", path=str(self.path))

    @staticmethod
    def _read_pid(fd: int) -> int:
        try:
            return int(os.pread(fd, 64, 0).split(b"\n", 1)[0].strip() or 0)
        except ValueError:
            return 0

    def _busy(self, pid: int) -> LockBusy:
        who = f" (pid {pid})" if pid else ""
        return LockBusy(
            f"Another sync is already running for {self.key}{who}; wait for it or stop it.",
            path=str(self.path),
        )

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> SyncLock:
        self.acquire()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
