"""The app's Preview of one big rule, driven headless by Pilot; prints one JSON line.

``python -m bench.preview_probe --url URL --root DIR --config FILE`` (key in
``IMMICH_API_KEY``): loads the config's first rule into the Preview the way the Rules tab does
and goes to the Preview tab (key 3). Times: the preview's data arriving (searches, album read
and plan done); from then to the first screen drawn (the grid of photos to add laid out and
painted, its tiles' pictures still loading), and to the pictures on screen loaded (idle); then
each scrolling key pressed on that grid (pagedown, end, home, pageup) until the screen has been
painted after the key moved the cursor, so a stall shows as a slow key (the pictures load behind,
as a person sees it), the app's CPU meanwhile, and until the app is idle again (its pictures in,
as far as Pilot's pause waits: at most a second more).
``--profile FILE`` writes a cProfile of the app from the data arriving to the last key.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import time
from pathlib import Path
from typing import Any

KEYS = ("pagedown",) * 5 + ("end", "home") + ("pagedown",) * 5 + ("pageup",) * 3


async def painted(widget: Any) -> None:
    """Until the screen has been painted after what is queued now."""
    done = asyncio.Event()
    widget.call_after_refresh(done.set)
    await done.wait()


async def probe(
    url: str, key: str, root: Path, config_file: Path, profile: Path | None = None
) -> dict[str, Any]:
    from textual.screen import Screen

    from ppl2album_tui.sync.config import load_config
    from ppl2album_tui.tui.app import make_app
    from ppl2album_tui.tui.panes.preview import PreviewPane
    from ppl2album_tui.tui.screenshots import wait_idle
    from ppl2album_tui.tui.widgets.asset_view import AssetView

    config = load_config(config_file)
    config.server.url, config.server.api_key = url, key
    arrived: list[float] = []
    arrived_cpu: list[float] = []
    show = PreviewPane.show_preview
    profiler = cProfile.Profile()

    def timed(pane: PreviewPane, preview: Any) -> None:  # the data is there: draw it
        arrived.append(time.perf_counter())
        arrived_cpu.append(time.process_time())
        if profile:
            profiler.enable()
        show(pane, preview)

    setattr(PreviewPane, "show_preview", timed)  # noqa: B010 (mypy: a method replaced)
    paints: list[float] = []  # when each screen update was written out
    collecting: list[float] = []  # seconds of each cycle collection, and when it ended
    collections: list[tuple[float, float]] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        now = time.perf_counter()
        if phase == "start":
            collecting[:] = [now]
        elif collecting:
            collections.append((now, now - collecting[0]))

    gc.callbacks.append(on_gc)
    paint = Screen._compositor_refresh

    def timed_paint(screen: Screen[Any]) -> None:
        paint(screen)
        paints.append(time.perf_counter())

    setattr(Screen, "_compositor_refresh", timed_paint)  # noqa: B010
    app = make_app(
        config,
        config_path=root / "config.toml",
        data_dir=root / "data",
        cache_dir=root / "cache",
        image_protocol="halfcell",
        autosync=False,
        tick_seconds=3600,
    )
    out: dict[str, Any] = {}
    async with app.run_test(size=(140, 44)) as pilot:
        await wait_idle(pilot)
        start = time.perf_counter()
        app.screen.query_one(PreviewPane).load(app.config.rules[0])
        await pilot.press("3")
        while not arrived and time.perf_counter() - start < 600:
            await asyncio.sleep(0.01)
        if not arrived:
            raise SystemExit("the preview never arrived")
        out["data_s"] = arrived[0] - start
        view = app.screen.query_one("#table-to_add", AssetView)
        view.focus()
        while not view.grid.tiles or not view.grid.size:
            await asyncio.sleep(0.002)
        await painted(view.grid)
        out["first_screen_after_data_s"] = time.perf_counter() - arrived[0]
        out["first_screen_cpu_s"] = time.process_time() - arrived_cpu[0]
        await wait_idle(pilot)
        out["pictures_on_screen_after_data_s"] = time.perf_counter() - arrived[0]
        preview = app.screen.query_one(PreviewPane).preview
        assert preview is not None
        out["matched"] = preview.plan.matched_count
        out["to_add"] = len(preview.plan.to_add)
        out["already"] = len(preview.plan.already)
        out["tiles"] = len(view.grid.tiles)
        moved: list[float] = []  # when the cursor moved
        view.grid.watch(view.grid, "cursor", lambda: moved.append(time.perf_counter()), init=False)
        keys, cpu, idle, in_gc = [], [], [], []
        for name in KEYS:
            t, c = time.perf_counter(), time.process_time()
            await pilot.press(name)
            await painted(view.grid)
            after = max([t, *moved])
            keys.append(round((min(p for p in paints if p > after) - t) * 1000))
            cpu.append(round((time.process_time() - c) * 1000))
            in_gc.append(round(sum(d for end, d in collections if end > t) * 1000))
            await pilot.pause()
            idle.append(round((time.perf_counter() - t) * 1000))
        out["keys"] = list(KEYS)
        out["key_ms"] = keys
        out["key_cpu_ms"] = cpu  # the app's CPU meanwhile (a loaded machine stretches walls)
        out["key_gc_ms"] = in_gc  # of which the cycle collector (a stop-the-world pause)
        out["key_idle_ms"] = idle
        if profile:
            profiler.disable()
            profiler.dump_stats(profile)
        await app.action_quit()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--profile", type=Path, help="cProfile from the data on, to this file")
    args = parser.parse_args()
    key = os.environ.get("IMMICH_API_KEY", "")
    result = asyncio.run(probe(args.url, key, Path(args.root), Path(args.config), args.profile))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
