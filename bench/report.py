"""Render the benchmark's numbers as ``bench/results.md``: machine, tables, ratios, targets."""

from __future__ import annotations

from typing import Any

OURS, PEER, ORIG = "ppl2album-tui", "immich-face-to-album", "original"
COSTS_NAME = {"demo": "demo costs", "immich": "Immich-like costs"}
REAL_LIKE = 35_000  # bench.scenario.REAL_LIKE
# The real Immich 3.1.0 measurement (issue 15): peer wall / ppl2album-tui wall, by latency
REAL_PEER_RATIO = {0: 6.1 / 2.0, 50: 8.0 / 2.2}
# ...and its walls (s) by latency: the app of that day (23 requests, reading the album) and the peer
REAL_RUN = {0: {"app": 2.0, PEER: 6.1}, 50: {"app": 2.2, PEER: 8.0}}
BEFORE = "ppl2album-tui before"  # bench.run.BEFORE: an older commit, run side by side
KEYS = "key 'down' / 'end' / 'home' on People, after it settled (ms)"

NOTES = """\
## How to read this

- **Contenders.** *ppl2album-tui*: `ppl2album-tui sync --once --config <tmp>` with its own empty
  data dir (a first run = full reconcile), installed by the benchmark into its own venv (`pip
  install .`, refreshed every run; `PPL2ALBUM_BENCH_OURS_VENV`, default `bench/.cache/ours-venv`).
  *immich-face-to-album* 1.0.17 from PyPI, in its own venv: `--face` ×3 `--album` `--full-scan`
  `--state-file <tmp>`. *original*: a plain re-implementation of the original script's algorithm
  (`bench/contenders/original.py`: one all-together search, one search per person, the album
  re-read, the difference added; sequential synchronous httpx), run from ppl2album-tui's venv.
- Every contender runs as its own process (so peak RSS is its own: `wait4` rusage); requests and
  bytes are counted by the demo server (`request_log`: HTTP bodies, not headers); the album is put
  back to its initial content before every run. Wall time is the median of the repeats and
  includes interpreter start-up. The demo server runs in the benchmark's process, so its CPU time
  (one Python process, GIL) is part of every contender's wall time: ratios matter, not absolute
  times.
- **Cost models.** *demo costs*: the demo server as the tests see it (no gzip, a Python server's
  own speed). *Immich-like costs* (`ppl2album_tui/demo/costs.py`): JSON answers gzipped, every
  request holding one of `--cores` slots (1 by default: one request at a time, which reproduces
  the real run, see "Calibration") for the service time measured on a real Immich 3.1.0 (search
  page 90 ms, `withPeople` page 179 ms + 72 ms per page deeper, album page 70 ms, statistics
  13 / 40 ms, PUT 34 ms per 500 new ids, 17 ms per 500 already there); "server time charged" is
  their sum. The modelled server sleeps, so it takes no CPU from the contender (a real one does).
- **Before**: with `--before REF`, that commit of this repository installed in its own venv
  (`bench/.cache/before-venv`) runs in the full cycles beside the working tree, so CPU figures
  are compared in the same run, under the same load.
- **Minimum** = ⌈matches per person/1000⌉ searches + ⌈album/1000⌉ album pages + ⌈new/1000⌉ adds.
  ppl2album-tui also asks each person's statistics (its change signals, also used as paging
  hints), the server version and the album once; it reads the album's content (a true diff:
  tombstones, undo safety) except on a first sync, when the journal has no record of the album
  (every run here is one: every match is sent and the server's `duplicate` answers counted).
  Order: the person searches' first pages, the statistics and the album go out at once; a
  search's further pages as soon as its count arrives; the adds in equal chunks of at most
  5,000 ids (its default `chunk_size`; the `before` commit's default is 1,000), of several the
  first alone and of at most 500 ids (the `before` commit's: a whole chunk), then up to 4 in
  flight.
- **Full cycles in a running sync**: the sync loop (the container's default command, or
  `sync` without `--once`) imports once and then runs cycle after cycle; cron and the systemd
  timer start a process per cycle, which the full-cycle table measures. The start-up floor is
  what a process pays before any code of ours runs a request: the interpreter, asyncio and the
  HTTP stack (both versions import the same).
- **Incremental cycles** run on a persistent state dir per contender: a first full run, then a
  no-op, then 50 new photos (`lib.add_asset`), then a face assigned to an old photo
  (`lib.assign_face`, which leaves `updatedAt` alone). ppl2album-tui's no-op costs the people's
  statistics + the album; new uploads go through the upload watermark (`sync/watermark.py`: one
  `updatedAfter` search); the late face makes the counts disagree and triggers a full reconcile.
- **The peer adds archived photos too** (it sends no `visibility`), and sends every matched id
  again (chunks of 500) letting the server answer `duplicate`; it never reads the album.
  Its incremental mode searches `createdAfter=<last run>`: new uploads only.
- The *original* has no incremental mode: every cycle is a full scan (so it catches everything,
  at full price).
- **TUI**: `bench/tui_probe.py` in its own process, `make_app` + `run_test` (120×40), against a
  library of 2,000 named people (2,441 listed with the unnamed clusters). Times count from the
  process start (imports included). "People screen ready after the main screen" covers mounting
  the main screen, the three `GET /people` pages (the demo server's first page computes every
  person's face count: about 1 s of it on this machine) and filling the table. Key latencies are
  taken after the rows on screen got their faces and counts; `end`/`home` include loading the
  faces of the rows they bring into view. The second launch uses the same cache dir.
"""


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


def _find(
    rows: list[dict[str, Any]], who: str, size: int, lat: int, costs: str = "demo"
) -> dict[str, Any] | None:
    for r in rows:
        if (
            r["contender"] == who
            and r["size"] == size
            and r["latency_ms"] == lat
            and r.get("costs", "demo") == costs
        ):
            return r
    return None


def markdown(data: dict[str, Any]) -> str:
    meta, full, incr, tui = data["meta"], data["full"], data["incremental"], data["tui"]
    m, v = meta["machine"], meta["versions"]
    out: list[str] = ["# Benchmark results", ""]
    out.append(
        f"Generated by `python -m bench.run{' --quick' if meta['mode'] == 'quick' else ''}` on "
        f"{meta['date']} in {meta['elapsed_s']} s ({meta['repeats']} repeat(s) per measurement)."
    )
    out.append("")
    out.append(f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}")
    out.append(f"- Python {m['python']}; " + ", ".join(f"{k} {val}" for k, val in v.items()))
    out.append(
        "- Every contender runs from its own venv as pip installs it (compiled bytecode, no "
        "editable-install finder): the peer's, and one the benchmark installs this checkout into"
    )
    if meta.get("load"):
        ld = meta["load"]
        out.append(
            f"- Load average (1/5/15 min) at the start {ld[0]}/{ld[1]}/{ld[2]}, at the end "
            f"{ld[3]}/{ld[4]}/{ld[5]}: other processes shared the {m['cores']} cores; "
            "wall times are noisy, the CPU seconds and request/byte counts are not"
        )
    out.append("")
    out.append("## Scenarios")
    out.append("")
    out.append("| library | rule (any of) | matches | per person | already in album | new "
               "| minimum requests |")  # fmt: skip
    out.append("|---:|---|---:|---|---:|---:|---:|")
    for s in data["scenarios"]:
        out.append(
            f"| {s['size']:,} | {', '.join(s['people'])} | {s['matches']:,} | "
            f"{' / '.join(f'{n:,}' for n in s['per_person'])} | {s['in_album']:,} | "
            f"{s['new']:,} | {s['minimum_requests']} |"
        )
    out.append("")
    out.append("## Full sync cycle")
    out.append("")
    out.append("| library | latency | costs | contender | wall (s) | runs (s) "
               "| CPU own + server (s) | server time charged (s) "
               "| requests | sent (MB) | received (MB) | peak RSS (MB) | added "
               "| complete |")  # fmt: skip
    out.append("|---:|---:|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in full:
        costs = r.get("costs", "demo")
        busy = f"{r.get('server_busy', 0):.2f}" if costs == "immich" else "–"
        out.append(
            f"| {r['size']:,} | {r['latency_ms']} ms | {COSTS_NAME[costs]} | {r['contender']} | "
            f"{r['wall']:.2f} | {' '.join(f'{w:.2f}' for w in r['walls'])} | "
            f"{r['cpu']:.2f} + {r['server_cpu']:.2f} | {busy} | {r['requests']} | "
            f"{_mb(r['request_bytes'])} | {_mb(r['response_bytes'])} | "
            f"{r['peak_rss_mb']:.0f} | {r['added']:,} | "
            f"{'yes' if r['complete'] else 'NO'}{'' if r['ok'] else ' (exit ≠ 0)'} |"
        )
    out.append("")
    out.append("### Ratios (other / ppl2album-tui; > 1 means ppl2album-tui is better)")
    out.append("")
    out.append("| library | latency | costs | vs | wall | CPU own + server | requests "
               "| received bytes | peak RSS |")  # fmt: skip
    out.append("|---:|---:|---|---|---:|---:|---:|---:|---:|")
    sizes = sorted({r["size"] for r in full})
    lats = sorted({r["latency_ms"] for r in full})
    costs_used = [c for c in COSTS_NAME if any(r.get("costs", "demo") == c for r in full)]
    for size, lat, costs in ((s, la, c) for s in sizes for la in lats for c in costs_used):
        o = _find(full, OURS, size, lat, costs)
        if not o:
            continue
        for who in (PEER, ORIG, BEFORE):
            x = _find(full, who, size, lat, costs)
            if not x:
                continue
            out.append(
                f"| {size:,} | {lat} ms | {COSTS_NAME[costs]} | {who} | "
                f"**{_ratio(x['wall'], o['wall'])}** | "
                f"{_ratio(x['cpu'] + x['server_cpu'], o['cpu'] + o['server_cpu'])} | "
                f"{_ratio(x['requests'], o['requests'])} | "
                f"{_ratio(x['response_bytes'], o['response_bytes'])} | "
                f"{_ratio(x['peak_rss_mb'], o['peak_rss_mb'])} |"
            )
    out.append("")
    out.extend(real_server(full))
    out.extend(calibration(data))
    out.append("### ppl2album-tui's requests against the minimum")
    out.append("")
    out.append("| library | minimum | ppl2album-tui | over the minimum | by endpoint |")
    out.append("|---:|---:|---:|---:|---|")
    for s in data["scenarios"]:
        o = _find(full, OURS, s["size"], 0)
        if not o:
            continue
        over = o["requests"] / s["minimum_requests"] - 1
        eps = ", ".join(f"{k} ×{n}" for k, n in sorted(o["endpoints"].items()))
        out.append(
            f"| {s['size']:,} | {s['minimum_requests']} | {o['requests']} | {over:+.0%} | {eps} |"
        )
    out.append("")
    out.extend(warm_section(data))
    if incr:
        out.append("## Incremental cycles (0 ms latency)")
        out.append("")
        out.append("| library | contender | cycle | wall (s) | requests | received (kB) "
                   "| picked up |")  # fmt: skip
        out.append("|---:|---|---|---:|---:|---:|---|")
        for r in incr:
            out.append(
                f"| {r['size']:,} | {r['contender']} | {r['label']} | {r['wall']:.2f} | "
                f"{r['requests']} | {r['response_bytes'] / 1e3:.1f} | {r['note']} |"
            )
        out.append("")
    if tui:
        out.append("## TUI, headless (Textual `run_test`)")
        out.append("")
        out.append("| measure | value |")
        out.append("|---|---|")
        for k, val in tui.items():
            out.append(f"| {k} | {val} |")
        out.append("")
    out.append("## Targets")
    out.append("")
    for line in targets(data):
        out.append(f"- {line}")
    out.append("")
    out.append(NOTES)
    return "\n".join(out) + "\n"


def _at_once(n: int) -> str:
    return "one at a time" if n == 1 else f"{n} at once"


def calibration(data: dict[str, Any]) -> list[str]:
    """The real-server library under Immich-like costs serving `cores` requests at once (the
    full cycles above) and the other count, beside the real run's walls."""
    rows = data.get("calibration") or []
    if not rows:
        return []
    main, other = _at_once(data["meta"].get("cores", 2)), _at_once(rows[0]["cores"])
    out = ["### Calibration: how many requests a real Immich serves at once", ""]
    out.append(
        f"The real-server library under the Immich-like costs serving {main} (as above) and "
        f"{other}, beside the walls of the real run (issue 15: 2 cores shared by Immich and the "
        "client; the app of that day, which read the album, and the peer). Median walls in "
        "seconds."
    )
    out.append("")
    out.append(f"| latency | contender | {main} | {other} | real Immich 3.1.0 |")
    out.append("|---:|---|---:|---:|---:|")
    walls: dict[tuple[int, str], tuple[float, float]] = {}
    for r in rows:
        lat, who = r["latency_ms"], r["contender"]
        here = _find(data["full"], who, REAL_LIKE, lat, "immich")
        if not here:
            continue
        walls[lat, who] = (here["wall"], r["wall"])
        real = REAL_RUN.get(lat, {}).get({PEER: PEER, BEFORE: "app"}.get(who, ""))
        shown = f"{real:.1f}" if real else "–"
        out.append(f"| {lat} ms | {who} | {here['wall']:.2f} | {r['wall']:.2f} | {shown} |")
    out.append("")
    for (lat, who), (as_above, as_other) in walls.items():
        peer = walls.get((lat, PEER))
        if who not in (OURS, BEFORE) or peer is None:
            continue
        line = (
            f"{lat} ms, peer / {who}: {peer[0] / as_above:.2f}× {main}, "
            f"{peer[1] / as_other:.2f}× {other}"
        )
        if who == BEFORE and lat in REAL_PEER_RATIO:
            line += f" (real: {REAL_PEER_RATIO[lat]:.2f}× against the app of that day)"
        out.append(f"- {line}")
    out.append("")
    return out


def warm_section(data: dict[str, Any]) -> list[str]:
    """Two first syncs in one process (the sync loop) and the start-up floor."""
    warm, floor = data.get("warm") or [], data.get("floor") or {}
    out: list[str] = []
    if warm:
        out += [
            "## Full cycles in a running sync (start-up paid once; Immich-like costs, 0 ms)",
            "",
        ]
        out.append(
            "`bench/contenders/warm.py`: one process makes a first sync of the album, then one of "
            "a second album with the same content, each with its own data dir, as the sync loop "
            "(the container's default command) does cycle after cycle; CPU seconds of each."
        )
        out.append("")
        out.append("| library | contender | interpreter | first cycle (imports included) "
                   "| second cycle | runs of the second | complete |")  # fmt: skip
        out.append("|---:|---|---:|---:|---:|---|---|")
        for r in warm:
            out.append(
                f"| {r['size']:,} | {r['contender']} | {r['start']:.3f} | {r['first']:.3f} | "
                f"{r['second']:.3f} | {' '.join(f'{x:.3f}' for x in r['seconds'])} | "
                f"{'yes' if r['complete'] and r['ok'] else 'NO'} |"
            )
        out.append("")
    if floor:
        figures = ", ".join(f"{k} {v:.3f}" for k, v in floor.items())
        out.append(
            f"Start-up floor, CPU seconds (the least of the runs, in ppl2album-tui's venv): "
            f"{figures}. "
            "The HTTP stack is asyncio, httpx, and httpcore, h11 and anyio's asyncio backend, "
            "which httpx's async transport imports on its first request."
        )
        out.append("")
    return out


def real_server(full: list[dict[str, Any]]) -> list[str]:
    """The real-server library's peer ratios under both cost models, beside the real figures."""
    out: list[str] = []
    rows: list[str] = []
    for lat, real in REAL_PEER_RATIO.items():
        got = []
        for costs in COSTS_NAME:
            o = _find(full, OURS, REAL_LIKE, lat, costs)
            x = _find(full, PEER, REAL_LIKE, lat, costs)
            got.append(_ratio(x["wall"], o["wall"]) if o and x else "–")
        rows.append(f"| {lat} ms | {' | '.join(got)} | {real:.2f}× |")
    if all("– | –" in r for r in rows):
        return out
    out.append("### Against the real server (the 35,000 library: one person, ~10,000 matches)")
    out.append("")
    out.append(
        "Peer wall / ppl2album-tui wall, beside the same ratio measured on a real Immich 3.1.0 "
        "(30,000 assets, one person on 10,000, 5,000 in the album; issue 15)."
    )
    out.append("")
    out.append(f"| latency | {' | '.join(COSTS_NAME.values())} | real Immich 3.1.0 |")
    out.append("|---:|---:|---:|---:|")
    out.extend(rows)
    out.append("")
    return out


def targets(data: dict[str, Any]) -> list[str]:
    """The issue's targets, each with its figure and a verdict."""
    full, incr, tui = data["full"], data["incremental"], data["tui"]
    lines: list[str] = []
    if not data["scenarios"]:
        return lines
    big = max(s["size"] for s in data["scenarios"])
    scen = next(s for s in data["scenarios"] if s["size"] == big)

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**NOT met**"

    floor = (data.get("floor") or {}).get("interpreter + HTTP stack")

    for size in sorted({s["size"] for s in data["scenarios"]}, reverse=True):
        for lat, goal, who in ((0, 3.0, PEER), (50, 3.5, PEER), (0, 1.3, ORIG)):
            o, x = _find(full, OURS, size, lat, "immich"), _find(full, who, size, lat, "immich")
            if o and x:
                k = x["wall"] / o["wall"]
                lines.append(
                    f"Immich-like costs, {size:,}, {lat} ms: at least {goal}× faster than {who}: "
                    f"{k:.2f}× — {verdict(k >= goal)}"
                )
        for lat in (0, 50):  # every full cycle here is a first sync (an empty data dir)
            o, b = _find(full, OURS, size, lat, "immich"), _find(full, BEFORE, size, lat, "immich")
            if o and b:
                k = o["wall"] / b["wall"]
                lines.append(
                    f"First sync at most 0.7× the wall time of before ({size:,}, Immich-like "
                    f"costs, {lat} ms): {o['wall']:.2f} s against {b['wall']:.2f} s ({k:.2f}×; "
                    f"server time charged {o['server_busy']:.2f} s against "
                    f"{b['server_busy']:.2f} s) — {verdict(k <= 0.7)}"
                )
        for costs in COSTS_NAME:
            o, b = _find(full, OURS, size, 0, costs), _find(full, BEFORE, size, 0, costs)
            if o and b:
                beyond = (
                    f"; beyond the {floor:.3f} s start-up floor {o['cpu'] - floor:.2f} s against "
                    f"{b['cpu'] - floor:.2f} s, {(o['cpu'] - floor) / (b['cpu'] - floor):.2f}×"
                    if floor and b["cpu"] > floor
                    else ""
                )
                lines.append(
                    f"Client CPU per full cycle at most half of before ({size:,}, "
                    f"{COSTS_NAME[costs]}, 0 ms, a process per cycle): {o['cpu']:.2f} s against "
                    f"{b['cpu']:.2f} s at git {data['meta'].get('before') or '?'} "
                    f"({o['cpu'] / b['cpu']:.2f}×{beyond}) — {verdict(o['cpu'] <= b['cpu'] / 2)}"
                )

    for size in sorted({r["size"] for r in data.get("warm") or []}, reverse=True):
        o = next((r for r in data["warm"] if r["size"] == size and r["contender"] == OURS), None)
        b = next((r for r in data["warm"] if r["size"] == size and r["contender"] == BEFORE), None)
        if o and b:
            lines.append(
                f"Client CPU per full cycle at most half of before, in a running sync ({size:,}, "
                f"Immich-like costs, 0 ms; start-up paid once): {o['second']:.3f} s against "
                f"{b['second']:.3f} s ({o['second'] / b['second']:.2f}×) — "
                f"{verdict(o['second'] <= b['second'] / 2)}"
            )

    o0 = _find(full, OURS, big, 0)
    for sc in sorted(data["scenarios"], key=lambda x: -x["size"]):
        row = _find(full, OURS, sc["size"], 0)
        if row:
            over = row["requests"] / sc["minimum_requests"] - 1
            signals = len(sc["people"]) + 1
            beyond = row["requests"] - sc["minimum_requests"] - signals
            lines.append(
                f"Full cycle requests within 10% of the minimum ({sc['size']:,}): "
                f"{row['requests']} vs {sc['minimum_requests']} ({over:+.0%}) — "
                f"{verdict(over <= 0.10)}; of these, {signals} are the change signals (each "
                f"person's statistics and the album, which the next no-op tick compares "
                f"against and which serve as paging hints), {beyond:+d} beyond the minimum and "
                "the signals"
            )
    for size in sorted({s["size"] for s in data["scenarios"]}, reverse=True):
        a0, b0 = _find(full, OURS, size, 0), _find(full, PEER, size, 0)
        a50, b50 = _find(full, OURS, size, 50), _find(full, PEER, size, 50)
        if a0 and b0:
            lines.append(
                f"Never slower than the peer at 0 ms ({size:,}): peer/ours = "
                f"{b0['wall'] / a0['wall']:.2f}× wall, "
                f"{(b0['cpu'] + b0['server_cpu']) / (a0['cpu'] + a0['server_cpu']):.2f}× CPU "
                f"(own + server) — {verdict(b0['wall'] >= a0['wall'])}"
            )
        if a50 and b50:
            lines.append(
                f"At least 2× faster than the peer at 50 ms ({size:,}): peer/ours = "
                f"{b50['wall'] / a50['wall']:.2f}× — {verdict(b50['wall'] >= 2 * a50['wall'])}"
            )
    if o0:
        rss = max(r["peak_rss_mb"] for r in full if r["contender"] == OURS and r["size"] == big)
        lines.append(
            f"Peak RSS during a {big:,} cycle < 150 MB: {rss:.0f} MB — {verdict(rss < 150)}"
        )
    small = min(s["size"] for s in data["scenarios"])
    s0, s1 = _find(full, OURS, small, 0), o0
    if s0 and s1 and small != big:
        k = big / small
        lines.append(
            f"Growth from {small:,} to {big:,} assets ({k:.0f}× the matches): CPU "
            f"{s0['cpu']:.2f} → {s1['cpu']:.2f} s ({s1['cpu'] / s0['cpu']:.1f}×), peak RSS "
            f"{s0['peak_rss_mb']:.0f} → {s1['peak_rss_mb']:.0f} MB "
            f"({s1['peak_rss_mb'] / s0['peak_rss_mb']:.1f}×), wall {s0['wall']:.2f} → "
            f"{s1['wall']:.2f} s — {verdict(s1['cpu'] <= k * s0['cpu'] * 1.1)} (at most linear; "
            "interpreter start-up is the fixed part)"
        )
    ours_incr = [r for r in incr if r["contender"] == OURS and r["size"] == big]
    noop = next((r for r in ours_incr if r["label"] == "no-op"), None)
    if noop and o0:
        people = len(scen["people"])
        ratio = o0["response_bytes"] / max(1, noop["response_bytes"])
        lines.append(
            f"No-op tick: {noop['requests']} requests (limit {people + 2}) — "
            f"{verdict(noop['requests'] <= people + 2)}; {ratio:.0f}× fewer response bytes than a "
            f"full cycle ({_mb(noop['response_bytes'])} vs {_mb(o0['response_bytes'])} MB) — "
            f"{verdict(ratio >= 20)}"
        )
    late = next((r for r in ours_incr if r["label"].startswith("late face")), None)
    if late:
        lines.append(f"Incremental mode catches the late-assigned face: {late['note']} — "
                     f"{verdict(late['complete'])}")  # fmt: skip
    if tui:
        ready = tui.get("people screen ready after the main screen (s)")
        if isinstance(ready, int | float):
            lines.append(f"People screen with {tui.get('people', '?')} people interactive: "
                         f"filled {ready:.2f} s after the main screen appeared, keys "
                         f"{tui.get(KEYS, '?')} ms — {verdict(ready < 1.0)}")  # fmt: skip
        again = tui.get("thumbnails downloaded again (fetched by the first launch)")
        second = tui.get("thumbnail requests, second launch")
        if isinstance(again, int) and isinstance(second, int):
            lines.append(f"A thumbnail is never downloaded twice: the second launch fetched "
                         f"{again} face(s) the first one had ({second} thumbnail requests in "
                         f"all, for rows the first launch never showed) — "
                         f"{verdict(again == 0)}")  # fmt: skip
    return lines
