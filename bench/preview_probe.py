"""The app's Preview of one big rule, driven headless by Pilot; prints one JSON line.

``python -m bench.preview_probe --url URL --root DIR --config FILE`` (key in
``IMMICH_API_KEY``): loads the config's first rule into the Preview the way the Rules tab does
and goes to the Preview tab (key 3). Times: the preview's data arriving (searches, album read
and plan done); from then to the first screen drawn (the grid of photos to add laid out and
painted, its tiles' pictures still loading), and to the pictures on screen loaded (idle); then
each scrolling key pressed on that grid (pagedown, end, home, pageup) until the screen after it
is painted, so a stall shows as a slow key (the pictures load behind, as a person sees it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any

KEYS = ("pagedown",) * 5 + ("end", "home") + ("pagedown",) * 5 + ("pageup",) * 3


async def probe(url: str, key: str, root: Path, config_file: Path) -> dict[str, Any]:
    from ppl2album_tui.sync.config import load_config
    from ppl2album_tui.tui.app import make_app
    from ppl2album_tui.tui.panes.preview import PreviewPane
    from ppl2album_tui.tui.screenshots import wait_idle
    from ppl2album_tui.tui.widgets.asset_view import AssetView

    config = load_config(config_file)
    config.server.url, config.server.api_key = url, key
    arrived: list[float] = []
    show = PreviewPane.show_preview

    def timed(pane: PreviewPane, preview: Any) -> None:  # the data is there: draw it
        arrived.append(time.perf_counter())
        show(pane, preview)

    setattr(PreviewPane, "show_preview", timed)  # noqa: B010 (mypy: a method replaced)
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
        while not view.grid.tiles:
            await pilot.pause()
        await pilot.pause()  # one refresh: the screen painted
        out["first_screen_after_data_s"] = time.perf_counter() - arrived[0]
        await wait_idle(pilot)
        out["pictures_on_screen_after_data_s"] = time.perf_counter() - arrived[0]
        preview = app.screen.query_one(PreviewPane).preview
        assert preview is not None
        out["matched"] = preview.plan.matched_count
        out["to_add"] = len(preview.plan.to_add)
        out["already"] = len(preview.plan.already)
        out["tiles"] = len(view.grid.tiles)
        keys = []
        for name in KEYS:
            t = time.perf_counter()
            await pilot.press(name)
            await pilot.pause()
            keys.append(round((time.perf_counter() - t) * 1000))
        out["keys"] = list(KEYS)
        out["key_ms"] = keys
        await app.action_quit()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()
    key = os.environ.get("IMMICH_API_KEY", "")
    result = asyncio.run(probe(args.url, key, Path(args.root), Path(args.config)))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
