"""Immich 3.1 vs 3.3 on the demo server: which search shape pays, and what a no-op tick costs.

``python -m bench.versions [--sizes 10000] [--repeats 5]``: in one process (client and server
share the CPU, so compare ratios, not absolute times), for the benchmark's 3-person rule
(people overlapping, ~30% of the library):

- finding its photos the legacy way (one flat search per person, pages fetched concurrently with
  the person's statistics as the hint, the union on the client) against one v2 ``personIds.any``
  search (pages one after another: the cursor is sequential), at 0 and 50 ms per request;
- the incremental no-op tick of the engine on 3.1.0 and 3.3.5: requests and wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.scenario import build
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.models import AssetQuery
from ppl2album_tui.immich.search_v2 import V2Query
from ppl2album_tui.sync.config import Config
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule


async def _legacy(client: ImmichClient, people: list[str]) -> set[str]:
    counts = await asyncio.gather(*(client.person_statistics(p) for p in people))
    queries = [AssetQuery(person_ids=(p,)) for p in people]
    found = await client.search_many(queries, list(counts))
    return {a.id for res in found for a in res}


async def _v2(client: ImmichClient, people: list[str]) -> set[str]:
    return {a.id for a in await client.search_v2(V2Query(any_people=tuple(people)))}


async def _search_runs(
    srv: DemoServer, people: list[str], repeats: int
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, fn in (("legacy", _legacy), ("v2 any", _v2)):
        walls, reqs, got = [], 0, 0
        for _ in range(repeats):
            srv.library.version += 1  # no server cache survives between runs
            async with ImmichClient(srv.url, srv.api_key) as client:
                await client.capabilities()
                start = time.perf_counter()
                ids = await fn(client, people)
                walls.append(time.perf_counter() - start)
                reqs, got = client.requests_made - 1, client.bytes_received
        out[name] = {"wall": statistics.median(walls), "requests": reqs, "bytes": got,
                     "found": len(ids)}  # fmt: skip
    return out


async def _noop_tick(srv: DemoServer, rule: Rule, tmp: Path, repeats: int) -> dict[str, float]:
    config = Config(rules=[rule])
    journal = Journal(tmp / "journal.jsonl")
    async with ImmichClient(srv.url, srv.api_key) as client:
        engine = SyncEngine(client, config, journal)
        await engine.run_cycle(incremental=True)  # the full reconcile that stores the signals
    walls, reqs = [], 0
    for _ in range(repeats):
        async with ImmichClient(srv.url, srv.api_key) as client:  # a new headless run
            engine = SyncEngine(client, config, journal)
            start = time.perf_counter()
            report = (await engine.run_cycle(incremental=True)).rules[0]
            walls.append(time.perf_counter() - start)
            assert report.unchanged, report
            reqs = client.requests_made
    return {"wall": statistics.median(walls), "requests": reqs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.versions")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    for size in args.sizes:
        for version in ("3.1.0", "3.3.5"):
            sc = build(size)
            refs = [PersonRef(p, n) for p, n in zip(sc.people, sc.names, strict=True)]
            rule = Rule("bench", refs, album_id=sc.album_id)
            with (
                DemoServer(sc.lib, immich_version=version) as srv,
                tempfile.TemporaryDirectory() as tmp,
            ):
                tick = asyncio.run(_noop_tick(srv, rule, Path(tmp), args.repeats))
                print(f"{size:>7} {version} no-op tick: {tick['requests']} requests, "
                      f"{tick['wall'] * 1000:.1f} ms")  # fmt: skip
                if version == "3.1.0":
                    continue
                eight = [p.id for p in sc.lib.named_people()[:8]]
                for label, people, latency in (
                    ("3 people", sc.people, 0.0), ("3 people", sc.people, 0.05),
                    ("8 people", eight, 0.0), ("8 people", eight, 0.05),
                ):  # fmt: skip
                    srv.latency = latency
                    runs = asyncio.run(_search_runs(srv, people, args.repeats))
                    for name, r in runs.items():
                        print(f"{size:>7} {version} {label} {int(latency * 1000):>2} ms {name:>7}: "
                              f"{r['wall'] * 1000:7.1f} ms, {r['requests']} requests, "
                              f"{r['bytes'] / 1e6:.1f} MB, {r['found']} photos")  # fmt: skip
                    srv.latency = 0.0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
