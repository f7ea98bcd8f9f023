"""Measuring one contender run: wall time, the child's own peak RSS, and the server's traffic."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class ProcResult:
    """One finished child process."""

    wall: float
    returncode: int
    peak_rss_kb: int
    cpu: float  # the child's user + system CPU seconds
    server_cpu: float  # CPU seconds of this process (the demo server's threads) meanwhile
    stdout: str
    stderr: str


# A tiny launcher between the benchmark and the child: a forked child starts with its parent's
# RSS high-water mark, and the benchmark's own process holds a whole generated library. Forked
# from this small interpreter instead, the child's `ru_maxrss` (via wait4) is its own peak.
_LAUNCHER = """
import os, sys
out, cmd = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(out, "w") as fh:
    fh.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status) & 255)
"""


def run_child(cmd: Sequence[str], env: Mapping[str, str], cwd: Path | None = None) -> ProcResult:
    """Run `cmd` to completion; peak RSS is the child's own (``wait4`` rusage, kB on Linux)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss,
    ):
        launcher = [sys.executable, "-S", "-c", _LAUNCHER, rss.name, *cmd]
        start = time.perf_counter()
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        proc = subprocess.run(launcher, env=dict(env), stdout=out, stderr=err, cwd=cwd, check=False)
        wall = time.perf_counter() - start
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        server_cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
        out.seek(0)
        err.seek(0)
        try:
            rss_kb, cpu = Path(rss.name).read_text().split()
            peak, child_cpu = int(rss_kb), float(cpu)
        except (OSError, ValueError):
            peak, child_cpu = 0, 0.0
        return ProcResult(
            wall=wall,
            returncode=proc.returncode,
            peak_rss_kb=peak,
            cpu=child_cpu,
            server_cpu=server_cpu,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


@dataclass
class Traffic:
    """What the demo server saw during one run."""

    requests: int = 0
    request_bytes: int = 0
    response_bytes: int = 0
    by_endpoint: dict[str, int] = field(default_factory=dict)
    busy: float = 0.0  # service seconds charged by the server's cost model

    @classmethod
    def from_log(cls, records: Iterable[Any]) -> Traffic:
        t = cls()
        for r in records:
            t.requests += 1
            t.request_bytes += int(getattr(r, "request_bytes", 0) or 0)
            t.response_bytes += int(getattr(r, "response_bytes", 0) or 0)
            key = f"{r.method} {endpoint_name(r.path)}"
            t.by_endpoint[key] = t.by_endpoint.get(key, 0) + 1
        return t


def endpoint_name(path: str) -> str:
    """Collapse ids in a path: /api/albums/<uuid>/assets -> /albums/{id}/assets."""
    parts = []
    for p in path.split("?")[0].split("/"):
        if len(p) == 36 and p.count("-") == 4:
            parts.append("{id}")
        elif p != "api":
            parts.append(p)
    return "/".join(parts) or "/"


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def machine() -> dict[str, str]:
    """CPU model, cores, Python, OS: for the header of results.md."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024} MiB"
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "python": sys.version.split()[0],
        "os": f"{platform.system()} {platform.release()}",
    }
