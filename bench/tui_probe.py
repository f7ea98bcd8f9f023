"""One headless launch of the TUI against a server, timed; prints one JSON line.

``python -m bench.tui_probe --url URL --root DIR`` (key in ``IMMICH_API_KEY``). Times are from
the start of this process (imports included): the first screen mounted, the People tab filled
with every person, and a key press answered there. Then waits for the lazy faces of the rows on
screen and reports how many faces were downloaded and how many came from the disk cache.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
from pathlib import Path  # noqa: E402


async def probe(url: str, key: str, root: Path, size: tuple[int, int]) -> dict[str, float | int]:
    from ppl2album_tui.sync.config import Config
    from ppl2album_tui.tui.app import make_app
    from ppl2album_tui.tui.panes.people import PeoplePane
    from ppl2album_tui.tui.screens.main import MainScreen
    from ppl2album_tui.tui.screenshots import wait_idle
    from ppl2album_tui.tui.widgets.people_table import PeopleTable

    config = Config()
    config.server.url, config.server.api_key = url, key
    app = make_app(
        config,
        config_path=root / "config.toml",
        data_dir=root / "data",
        cache_dir=root / "cache",
        image_protocol="halfcell",
        autosync=False,
        tick_seconds=3600,
    )
    out: dict[str, float | int] = {}
    async with app.run_test(size=size) as pilot:
        out["first_screen_s"] = time.perf_counter() - T0
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            screen = app.screen
            if isinstance(screen, MainScreen):
                out.setdefault("main_screen_s", time.perf_counter() - T0)
                panes, tables = screen.query(PeoplePane), screen.query(PeopleTable)
                if panes and tables and panes.first().loaded and tables.first().keys:
                    table = tables.first()
                    break
            await asyncio.sleep(0.005)
        out["people_ready_s"] = time.perf_counter() - T0
        out["people_listed"] = len(app.people)
        out["people_rows"] = len(table.keys)
        await wait_idle(pilot)  # the faces and counts of the rows on screen
        out["settled_s"] = time.perf_counter() - T0
        downloads = app.thumbs.downloads
        t = time.perf_counter()
        await pilot.press("down", "down", "down", "down")
        out["down_ms"] = (time.perf_counter() - t) * 1000 / 4
        t = time.perf_counter()
        await pilot.press("end")
        out["end_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        await pilot.press("home")
        out["home_ms"] = (time.perf_counter() - t) * 1000
        await wait_idle(pilot)
        out["faces_after_end_home"] = app.thumbs.downloads - downloads
        out["faces_downloaded"] = app.thumbs.downloads
        out["faces_from_cache"] = app.thumbs.hits
        await app.action_quit()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--width", type=int, default=120)
    parser.add_argument("--height", type=int, default=40)
    args = parser.parse_args()
    key = os.environ.get("IMMICH_API_KEY", "")
    result = asyncio.run(probe(args.url, key, Path(args.root), (args.width, args.height)))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
