"""Small file-system helpers: atomic private writes, small JSON state files, fsynced appends."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def atomic_write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (temp file in the same dir, fsync, replace), 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o600)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def read_json_object(path: Path) -> dict[str, Any]:
    """The JSON object in `path`; ``{}`` when the file is missing, unreadable or not an object."""
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    return {}


def write_json_private(path: Path, data: dict[str, Any]) -> None:
    """Write `data` as indented JSON to `path` atomically, 0600."""
    atomic_write_private(path, json.dumps(data, indent=1).encode("utf-8"))


def open_append(path: Path) -> int:
    """`path` opened for appending (made 0600 when new). A file left without a final newline
    (a torn write) first gets one, so the next line never glues onto the broken fragment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        os.write(fd, b"\n")
    return fd


def write_line(fd: int, line: str) -> None:
    """Append one text line through `fd` (an `open_append` descriptor), in one write."""
    os.write(fd, line.rstrip("\n").encode("utf-8") + b"\n")


def append_durable(path: Path, line: str) -> None:
    """Append one text line to `path`, flushed and fsynced before returning."""
    fd = open_append(path)
    try:
        write_line(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
