"""Regenerate the SVG screenshots in `screenshots/`: `python -m ppl2album_tui.tui.screenshots`.

Each screen is reached by the same scene the snapshot tests use, on the seeded demo library,
with a fixed clock and halfcell images, so the files only change when the app does.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from ppl2album_tui.demo.library import generate_library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.tui.scenes import SCENES, SIZE, scene_app


async def capture(name: str) -> str:
    """The SVG of screen `name`."""
    with DemoServer(generate_library(seed=7)) as server, tempfile.TemporaryDirectory() as tmp:
        app = scene_app(name, server, Path(tmp))
        async with app.run_test(size=SIZE) as pilot:
            await SCENES[name][0](pilot)
            app.clear_notifications()
            await pilot.pause()
            return app.export_screenshot(title=f"ppl2album-tui · {name}")


def main() -> int:
    """Write one SVG per screen."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", help="directory (default: screenshots)")
    parser.add_argument("names", nargs="*", help=f"screens (default: all of {', '.join(SCENES)})")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.names or list(SCENES):
        svg = asyncio.run(capture(name))
        (out / f"{name}.svg").write_text(svg, encoding="utf-8")
        print(f"wrote {out / f'{name}.svg'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
