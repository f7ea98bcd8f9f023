"""The benchmark, one command: ``python -m bench.run [--quick | --full]``.

Against the demo server on loopback, on one generated library per size: a full sync cycle of
ppl2album-tui, of the peer immich-face-to-album 1.0.17 and of the original script's algorithm,
at 0 ms and 50 ms added latency; then the incremental cycles (no-op, 50 new photos, a face
assigned late to an old photo) and the TUI, headless. Every contender runs as its own process,
so its peak RSS is its own; traffic comes from the server's request log. Writes
``bench/results.md`` (and ``bench/results.json``).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.contenders import ours, peer
from bench.measure import ProcResult, Traffic, machine, median, run_child
from bench.scenario import REAL_LIKE, Scenario, build, build_real_like
from ppl2album_tui.demo.costs import CostModel
from ppl2album_tui.demo.server import DemoServer

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LATENCIES = (0.0, 0.05)
CONTENDERS = ("ppl2album-tui", "immich-face-to-album", "original")
BEFORE = "ppl2album-tui before"  # `--before REF`: that commit of this repository, side by side
# "demo": the demo server as tests see it (no gzip, a Python server's costs); "immich": its
# cost model (demo/costs.py: gzip, a real Immich 3.1's measured service times, `--cores`)
COSTS = ("demo", "immich")


@dataclass
class Measured:
    """One contender, one size, one latency (or one incremental step)."""

    contender: str
    size: int
    latency_ms: int
    label: str = "full"
    costs: str = "demo"
    walls: list[float] = field(default_factory=list)
    wall: float = 0.0
    requests: int = 0
    request_bytes: int = 0
    response_bytes: int = 0
    peak_rss_mb: float = 0.0
    cpu: float = 0.0  # the contender's own CPU seconds (median)
    server_cpu: float = 0.0  # the demo server's CPU seconds meanwhile (median)
    server_busy: float = 0.0  # service seconds the cost model charged (median; "immich" only)
    added: int = 0
    complete: bool = True
    ok: bool = True
    note: str = ""
    endpoints: dict[str, int] = field(default_factory=dict)


Cmd = tuple[list[str], dict[str, str]]


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="ppl2album-bench-"))
        self.full: list[Measured] = []
        self.incremental: list[Measured] = []
        self.scenarios: list[dict[str, Any]] = []
        self.warm: list[dict[str, Any]] = []
        self.calibration: list[dict[str, Any]] = []
        self.floor: dict[str, float] = {}
        self.tui: dict[str, Any] = {}
        self.before_commit = ""
        self.log = print if not args.quiet else (lambda *a, **k: None)

    # ------------------------------------------------------------------ commands
    def cmd(
        self, who: str, sc: Scenario, srv: DemoServer, home: Path, *, full_scan: bool,
        extra: tuple[str, ...] = (),
    ) -> Cmd:  # fmt: skip
        """The command line and environment of one contender run; `home` holds its state."""
        home.mkdir(parents=True, exist_ok=True)
        env = ours.env(home, srv.api_key)
        if who in ("ppl2album-tui", BEFORE):
            cfg = home / "config.toml"
            if not cfg.exists():
                ours.write_config(cfg, srv.url, sc.album_id, sc.people, sc.names)
            return ours.command(cfg, *extra, venv=_venv(who)), env
        if who == "immich-face-to-album":
            state = home / "peer-state.json"
            return peer.command(srv.url, srv.api_key, sc.album_id, sc.people, state,
                                full_scan=full_scan), env  # fmt: skip
        if who == "original":
            # from the same installed venv as ppl2album-tui (no editable-install finder)
            cmd = [str(ours.VENV / "bin" / "python"), "-m", "bench.contenders.original",
                   "--server", srv.url, "--album", sc.album_id]  # fmt: skip
            for p in sc.people:
                cmd += ["--person", p]
            return cmd, env
        raise ValueError(who)

    def run_once(self, cmd: Cmd, srv: DemoServer) -> tuple[ProcResult, Traffic]:
        srv.clear_log()
        busy = srv.costs.busy_seconds if srv.costs else 0.0
        res = run_child(cmd[0], cmd[1], cwd=REPO)
        traffic = Traffic.from_log(srv.request_log)
        traffic.busy = srv.costs.busy_seconds - busy if srv.costs else 0.0
        if res.returncode != 0:
            tail = (res.stderr or res.stdout).strip().splitlines()[-3:]
            self.log(f"    ! exit {res.returncode}: {' | '.join(tail)}")
        return res, traffic

    # ------------------------------------------------------------------ full cycles
    def full_cycles(self, sc: Scenario, srv: DemoServer, repeats: int) -> None:
        """Each contender `repeats` times per latency and cost model, round-robin so that noise
        from other processes on the machine hits every contender alike."""
        for latency, costs in itertools.product(LATENCIES, self.args.costs):
            srv.latency = latency
            srv.costs = CostModel(cores=self.args.cores) if costs == "immich" else None
            everyone = self.with_before(self.contenders())
            rows = {
                who: Measured(who, sc.size, round(latency * 1000), costs=costs) for who in everyone
            }
            rss: dict[str, list[float]] = {who: [] for who in rows}
            cpu: dict[str, list[tuple[float, float, float]]] = {who: [] for who in rows}
            for r in range(repeats):
                for who, m in rows.items():
                    sc.reset_album()
                    home = self.tmp / f"full-{sc.size}-{who}-{r}-{int(latency * 1000)}-{costs}"
                    res, traffic = self.run_once(self.cmd(who, sc, srv, home, full_scan=True), srv)
                    after = sc.album_ids()
                    m.walls.append(res.wall)
                    rss[who].append(res.peak_rss_kb / 1024)
                    cpu[who].append((res.cpu, res.server_cpu, traffic.busy))
                    m.ok = m.ok and res.returncode == 0
                    m.added = len(after) - len(sc.initial_album)
                    m.complete = sc.matches <= after
                    m.requests, m.request_bytes = traffic.requests, traffic.request_bytes
                    m.response_bytes, m.endpoints = traffic.response_bytes, traffic.by_endpoint
                    shutil.rmtree(home, ignore_errors=True)
            for who, m in rows.items():
                m.wall = median(m.walls)
                m.peak_rss_mb = max(rss[who])
                m.cpu = median([c for c, _, _ in cpu[who]])
                m.server_cpu = median([s for _, s, _ in cpu[who]])
                m.server_busy = median([b for _, _, b in cpu[who]])
                self.full.append(m)
                self.log(
                    f"  {sc.size:>6} {m.latency_ms:>2} ms {costs:<6} {who:<22} {m.wall:7.2f} s  "
                    f"{m.requests:>4} req  {m.response_bytes / 1e6:7.2f} MB in  "
                    f"{m.peak_rss_mb:6.1f} MB RSS  cpu {m.cpu:.2f}+{m.server_cpu:.2f} s  "
                    f"added {m.added}"
                    f"{'' if m.complete else ' INCOMPLETE'}  "
                    f"(runs: {', '.join(f'{w:.2f}' for w in m.walls)})"
                )
        srv.latency, srv.costs = 0.0, None

    # ------------------------------------------------------------------ incremental
    def incremental_cycles(self, sc: Scenario, srv: DemoServer) -> None:
        """Per contender: baseline full run, no-op, +50 new photos, a late face on an old one."""
        lib = sc.lib
        srv.latency = 0.0
        old_pool = sorted(
            (a for a in lib.assets.values()
             if a.visibility == "timeline" and a.deleted_at is None and a.type == "IMAGE"
             and not any(p in a.people for p in sc.people)),
            key=lambda a: a.sort_key,
        )  # fmt: skip
        for k, who in enumerate(self.contenders()):
            sc.reset_album()
            home = self.tmp / f"incr-{sc.size}-{who}"
            shutil.rmtree(home, ignore_errors=True)

            def step(
                label: str, home: Path = home, who: str = who, extra: tuple[str, ...] = ()
            ) -> Measured:
                cmd = self.cmd(who, sc, srv, home, full_scan=False, extra=extra)
                res, traffic = self.run_once(cmd, srv)
                m = Measured(who, sc.size, 0, label, walls=[res.wall], wall=res.wall,
                             requests=traffic.requests, request_bytes=traffic.request_bytes,
                             response_bytes=traffic.response_bytes,
                             peak_rss_mb=res.peak_rss_kb / 1024, cpu=res.cpu,
                             server_cpu=res.server_cpu, ok=res.returncode == 0,
                             endpoints=traffic.by_endpoint)  # fmt: skip
                self.incremental.append(m)
                return m

            step("first run (full)")
            noop = step("no-op")
            noop.note = "nothing changed"
            new_ids = []
            for i in range(50):
                a = lib.add_asset(people=[sc.people[i % 3]], file_name=f"NEW_{k}_{i:02d}.JPG")
                new_ids.append(a.id)
            m = step("50 new photos")
            album = sc.album_ids()
            m.added = sum(1 for i in new_ids if i in album)
            m.complete = m.added == len(new_ids)
            m.note = f"{m.added}/50 picked up"
            late = old_pool[len(old_pool) // 2 + k]
            lib.assign_face(late.id, sc.people[0])
            m = step("late face on an old photo")
            m.complete = late.id in sc.album_ids()
            m.added = int(m.complete)
            m.note = "picked up" if m.complete else "MISSED"
            if who == "ppl2album-tui":
                m = step("no-op after changes")
                m = step("forced full reconcile (--full), nothing new", extra=("--full",))
                m.note = "the periodic/on-demand full check"
            self.log(
                "  incremental " + who + ": "
                + ", ".join(f"{x.label}={x.requests} req/{x.response_bytes / 1e3:.1f} kB/"
                            f"{x.wall:.2f}s{' ' + x.note if x.note else ''}"
                            for x in self.incremental if x.contender == who and x.size == sc.size)
            )  # fmt: skip
            shutil.rmtree(home, ignore_errors=True)

    # ------------------------------------------------------------------ warm cycles
    def warm_cycles(self, sc: Scenario, srv: DemoServer, repeats: int) -> None:
        """ppl2album-tui (and `before`) making two first syncs, of two albums alike, in one
        process (Immich-like costs, 0 ms): the second is a full cycle of the running sync loop,
        whose start-up was paid by the first (`bench/contenders/warm.py`)."""
        srv.latency, srv.costs = 0.0, CostModel(cores=self.args.cores)
        albums = (sc.album_id, sc.twin_album())
        runs: dict[str, list[dict[str, Any]]] = {
            who: [] for who in self.with_before(["ppl2album-tui"])
        }
        for r in range(repeats):
            for who, got in runs.items():
                sc.reset_album()
                home = self.tmp / f"warm-{sc.size}-{who}-{r}"
                argv: list[str] = []
                for k, album in enumerate(albums):
                    cfg = ours.write_config(
                        home / f"config-{k}.toml", srv.url, album, sc.people, sc.names
                    )
                    argv += [str(cfg), str(home / f"data-{k}")]
                python = _venv(who) / "bin" / "python"
                cmd = [str(python), str(HERE / "contenders" / "warm.py"), *argv]
                res = run_child(cmd, ours.env(home, srv.api_key), cwd=REPO)
                try:
                    out = json.loads(res.stdout.strip().splitlines()[-1])
                except (IndexError, ValueError):
                    out = {"start": 0.0, "cycles": [0.0, 0.0], "codes": [res.returncode]}
                out["complete"] = all(sc.matches <= sc.album_ids(a) for a in albums)
                out["ok"] = res.returncode == 0 and not any(out["codes"])
                got.append(out)
                shutil.rmtree(home, ignore_errors=True)
        for who, got in runs.items():
            row = {
                "contender": who,
                "size": sc.size,
                "start": median([g["start"] for g in got]),
                "first": median([g["cycles"][0] for g in got]),
                "second": median([g["cycles"][1] for g in got]),
                "seconds": [g["cycles"][1] for g in got],
                "complete": all(g["complete"] for g in got),
                "ok": all(g["ok"] for g in got),
            }
            self.warm.append(row)
            self.log(
                f"  {sc.size:>6} warm   {who:<22} start {row['start']:.3f}  first cycle "
                f"{row['first']:.3f}  second {row['second']:.3f} CPU s"
                f"{'' if row['complete'] and row['ok'] else '  FAILED'}"
            )
        srv.latency, srv.costs = 0.0, None

    def calibrate(self, sc: Scenario, srv: DemoServer, repeats: int) -> None:
        """The real-server library again with the Immich-like costs serving the other count of
        requests at once (two for one, one for two): which reproduces the real run
        (report.REAL_RUN)."""
        other = 2 if self.args.cores == 1 else 1
        everyone = self.with_before(self.contenders())
        for latency in LATENCIES:
            srv.latency = latency
            for who in everyone:
                walls = []
                for r in range(repeats):
                    srv.costs = CostModel(cores=other)
                    sc.reset_album()
                    home = self.tmp / f"calibrate-{who}-{r}-{int(latency * 1000)}"
                    res, _ = self.run_once(self.cmd(who, sc, srv, home, full_scan=True), srv)
                    walls.append(res.wall)
                    shutil.rmtree(home, ignore_errors=True)
                row = {"contender": who, "latency_ms": round(latency * 1000), "cores": other,
                       "wall": median(walls), "walls": walls}  # fmt: skip
                self.calibration.append(row)
                self.log(f"  calibration, {other} at once: {who:<22} {row['latency_ms']:>2} ms "
                         f"{row['wall']:.2f} s")  # fmt: skip
        srv.latency, srv.costs = 0.0, None

    def start_up_floor(self, repeats: int) -> None:
        """CPU seconds of the interpreter alone and of importing the HTTP stack every
        ppl2album-tui version imports (asyncio, httpx and what httpx's async transport loads on
        its first request), in ppl2album-tui's venv: the part of a cycle no code of ours sets."""
        python = str(ours.VENV / "bin" / "python")
        stack = "import asyncio, httpx, httpcore, h11, anyio._backends._asyncio"
        env = ours.env(self.tmp / "floor", "")
        for label, code in (("interpreter", "pass"), ("interpreter + HTTP stack", stack)):
            cpus = [run_child([python, "-c", code], env).cpu for _ in range(repeats)]
            self.floor[label] = min(cpus)  # a floor: the least any run needed

    def contenders(self) -> list[str]:
        return [c for c in CONTENDERS if c not in self.args.skip]

    def with_before(self, names: list[str]) -> list[str]:
        """`names` and, with `--before`, that commit beside them."""
        return [*names, *([BEFORE] if self.args.before else [])]

    # ------------------------------------------------------------------ main
    def run(self) -> int:
        started = time.perf_counter()
        load_before = os.getloadavg()
        if "immich-face-to-album" in self.contenders():
            peer.ensure_venv()
        ours.install()
        if self.args.before:
            self.before_commit = ours.install_before(self.args.before)
        for size in self.args.sizes:
            self.log(f"library of {size} assets: generating ...")
            sc = build_real_like() if size == REAL_LIKE else build(size)
            self.log(
                f"  rule: {', '.join(sc.names)}; {len(sc.matches)} matches "
                f"({', '.join(str(n) for n in sc.per_person.values())} per person), "
                f"{len(sc.initial_album)} already in the album, {sc.new} new; "
                f"minimum {sc.minimum_requests()} requests ({sc.build_seconds:.1f} s to build)"
            )
            self.scenarios.append({
                "size": sc.size, "people": sc.names, "matches": len(sc.matches),
                "per_person": list(sc.per_person.values()), "in_album": len(sc.initial_album),
                "new": sc.new, "minimum_requests": sc.minimum_requests(),
            })  # fmt: skip
            with DemoServer(sc.lib) as srv:
                self.full_cycles(sc, srv, self.args.repeats)
                if not self.args.no_incremental and sc.size != REAL_LIKE:
                    self.incremental_cycles(sc, srv)
                if "immich" in self.args.costs:
                    self.warm_cycles(sc, srv, self.args.repeats)
                    if sc.size == REAL_LIKE:
                        self.calibrate(sc, srv, self.args.repeats)
            del sc
            gc.unfreeze()  # scenario.build froze it; now it may go
            gc.collect()
        self.start_up_floor(max(5, self.args.repeats))
        if not self.args.no_tui:
            from bench import tui_bench

            self.tui = tui_bench.run(self.tmp, people=self.args.tui_people, log=self.log)
        elapsed = time.perf_counter() - started
        meta = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "versions": versions(),
            "mode": self.args.mode,
            "cores": self.args.cores,
            "repeats": self.args.repeats,
            "before": self.before_commit,
            "elapsed_s": round(elapsed, 1),
            "load": [round(x, 1) for x in (*load_before, *os.getloadavg())],
        }
        data = {
            "meta": meta,
            "scenarios": self.scenarios,
            "full": [asdict(m) for m in self.full],
            "incremental": [asdict(m) for m in self.incremental],
            "warm": self.warm,
            "calibration": self.calibration,
            "floor": self.floor,
            "tui": self.tui,
        }
        out = Path(self.args.out)
        out.with_suffix(".json").write_text(json.dumps(data, indent=1) + "\n")
        out.write_text(report.markdown(data))
        self.log(f"wrote {out} in {elapsed:.0f} s")
        shutil.rmtree(self.tmp, ignore_errors=True)
        return 0


def _venv(who: str) -> Path:
    """The venv a ppl2album-tui contender runs from: this checkout's, or `--before`'s."""
    return ours.BEFORE_VENV if who == BEFORE else ours.VENV


def versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for name in ("ppl2album-tui", "httpx", "textual"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "?"
    try:
        import subprocess

        out["ppl2album-tui git"] = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
    except OSError:
        pass
    out["immich-face-to-album"] = peer.version()
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_const", dest="mode", const="quick",
                      help="10k assets only, 1 repeat (for iteration)")  # fmt: skip
    mode.add_argument("--full", action="store_const", dest="mode", const="full",
                      help="10k and 100k assets, 7 repeats (default)")  # fmt: skip
    p.add_argument("--repeats", type=int, help="runs per measurement (median wall time)")
    p.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",")],
        help=f"e.g. 10000; {REAL_LIKE} is the library of the real-server measurement",
    )
    p.add_argument(
        "--costs",
        type=lambda s: [c for c in s.split(",") if c],
        default=list(COSTS),
        help="cost models, comma-separated: demo (tests' demo server), immich (measured costs)",
    )
    p.add_argument(
        "--cores",
        type=int,
        default=1,
        help="requests the Immich-like server serves at once (1, calibrated on the real run; "
        "the calibration runs the real-server library with the other of 1 and 2 too)",
    )
    p.add_argument("--skip", action="append", default=[], choices=CONTENDERS)
    p.add_argument(
        "--before",
        metavar="REF",
        help="also run this commit of the repository (e.g. 7387dc7) in the full cycles",
    )
    p.add_argument("--no-incremental", action="store_true")
    p.add_argument("--no-tui", action="store_true")
    p.add_argument("--tui-people", type=int, default=2000)
    p.add_argument("--out", default=str(HERE / "results.md"))
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(mode="full")
    args = p.parse_args(argv)
    if args.sizes is None:
        args.sizes = [10_000] if args.mode == "quick" else [10_000, REAL_LIKE, 100_000]
    if args.repeats is None:
        args.repeats = 1 if args.mode == "quick" else 5
    return args


def main(argv: list[str] | None = None) -> int:
    return Bench(parse_args(argv)).run()


if __name__ == "__main__":
    raise SystemExit(main())
