"""Regenerate the SVG screenshots in `screenshots/`: `python -m ppl2album_tui.tui.screenshots`.

This module holds the scenes it draws: each brings a fresh app on a seeded demo library, with a
fixed clock and halfcell images, to one screen by pressing and clicking what a user would. The
snapshot tests (tests/test_tui_snapshots.py) pin the same scenes, so the README's pictures are
the tested screens. Everything else the tests use lives in tests/tui/helpers.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.retry import RetryPolicy
from ppl2album_tui.sync.config import Config
from ppl2album_tui.sync.rules import PersonRef, Rule
from ppl2album_tui.tui.session import ClientFactory

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from ppl2album_tui.demo.server import DemoServer
    from ppl2album_tui.tui.app import PplApp

DISPLAY_URL = "http://photos.local:2283"
FIXED_NOW = datetime(2026, 6, 1, 10, 42, 0, tzinfo=UTC)
SIZE = (120, 40)


def redirecting_factory(real_url: str, *, attempts: int = 2) -> ClientFactory:
    """Clients that talk to `real_url` whatever URL the user typed (so screens show
    DISPLAY_URL, never a random port), with fast retries."""

    def factory(url: str, api_key: str) -> ImmichClient:
        return ImmichClient(
            real_url, api_key, retry=RetryPolicy(attempts=attempts, base=0.01, max_wait=0.05)
        )

    return factory


def demo_config(api_key: str = "", rules: list[Rule] | None = None) -> Config:
    """A config pointing at DISPLAY_URL with `api_key` (empty: first run)."""
    config = Config()
    if api_key:
        config.server.url = DISPLAY_URL
        config.server.api_key = api_key
    config.rules = list(rules or [])
    return config


def kids_rule(server: DemoServer) -> Rule:
    """Anna and Ben into a new album 'Kids' (a rule as the editor would save it)."""
    lib = server.library
    people = [lib.person_by_name(n) for n in ("Anna", "Ben")]
    return Rule(name="Kids", people=[PersonRef(p.id, p.name) for p in people], album_name="Kids")


def _busy(app: App[Any]) -> bool:
    """Whether anything is left to do: a worker, a message queued for the app or a widget of its
    screen, a layout, repaint or after-refresh callback, an animation (Textual's
    internals, read so that the check costs microseconds, not a message round through every
    widget)."""
    if any(not worker.is_finished for worker in app.workers):
        return True
    screen = app.screen
    if (
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
        or screen._callbacks
        or app.animator._animations
        or app.animator._scheduled
    ):
        return True
    return any(
        node._message_queue.qsize() or node._pending_message is not None or node._next_callbacks
        for node in (app, *screen.walk_children(with_self=True))
    )


async def wait_idle(pilot: Pilot[int]) -> None:
    """Wait until every worker is done and the screen has caught up (text cursors steady)."""
    from textual._wait import wait_for_idle
    from textual.widgets import Input
    from textual.worker import WorkerCancelled, WorkerFailed

    app = pilot.app
    quiet = 0
    for _ in range(5000):
        if any(w.is_running for w in app.workers):
            with contextlib.suppress(WorkerCancelled, WorkerFailed, TimeoutError):
                # bounded: a stuck worker makes the test's assertions fail instead of hanging it
                await asyncio.wait_for(app.workers.wait_for_complete(), timeout=30)
        if _busy(app):
            quiet = 0
            app.screen._on_timer_update()  # paint now rather than at the next frame
            await asyncio.sleep(0.001)
            continue
        quiet += 1
        if quiet >= 3:  # quiet for a few turns: confirm with one message round through every
            await pilot._wait_for_screen()  # widget (a handler may be awaiting something)
            await wait_for_idle(0)  # and one moment without CPU (threads, timers)
            if not _busy(app):
                break
            quiet = 0
        await asyncio.sleep(0)
    for field in app.screen.query(Input):  # a blinking cursor would make pictures differ
        field.cursor_blink = False


async def select_people(pilot: Pilot[int], names: list[str]) -> None:
    """On the People tab (face grid or list): put the cursor on each named person, press space."""
    from ppl2album_tui.tui.widgets.people_view import PeopleView

    view = pilot.app.screen.query_one(PeopleView)
    for name in names:
        key = next(k for k in view.table.keys if view.table.people[k].name == name)
        view.move_to(key)
        await pilot.press("space")
    await wait_idle(pilot)


# ---- scenes: each brings a fresh app to one screen (`key`: the demo server's API key) ---------

Scene = Callable[["Pilot[int]", str], Awaitable[None]]


async def connect_scene(pilot: Pilot[int], key: str) -> None:
    """First run: URL and key typed, Test pressed."""
    from textual.widgets import Input

    await wait_idle(pilot)
    screen = pilot.app.screen
    screen.query_one("#url", Input).value = DISPLAY_URL
    screen.query_one("#key", Input).value = key
    await pilot.click("#test")
    await wait_idle(pilot)


async def people_scene(pilot: Pilot[int], key: str) -> None:
    """People with faces; Anna and Ben selected."""
    await wait_idle(pilot)
    await select_people(pilot, ["Anna", "Ben"])


async def rules_scene(pilot: Pilot[int], key: str) -> None:
    """The editor with Anna and Ben, a new album 'Kids'."""
    from textual.widgets import Input

    await people_scene(pilot, key)
    await pilot.press("n")
    await wait_idle(pilot)
    pilot.app.screen.query_one("#rule-name", Input).value = "Kids"
    pilot.app.screen.query_one("#rule-new-album", Input).value = "Kids"
    await wait_idle(pilot)


async def preview_scene(pilot: Pilot[int], key: str) -> None:
    """The preview of that rule, first photo vetoed."""
    await rules_scene(pilot, key)
    await pilot.click("#rule-preview")
    await wait_idle(pilot)
    await pilot.press("space")
    await wait_idle(pilot)


async def large_scene(pilot: Pilot[int], key: str) -> None:
    """The large view of the photo under the cursor: its picture, file, date, people, album."""
    await preview_scene(pilot, key)
    pilot.app.clear_notifications()  # the veto's toast
    await wait_idle(pilot)
    await pilot.press("enter")
    await wait_idle(pilot)


async def confirm_scene(pilot: Pilot[int], key: str) -> None:
    """The apply confirmation with its numbers."""
    await preview_scene(pilot, key)
    # the veto's toast goes before the modal: cleared later, it would stay drawn beneath it
    pilot.app.clear_notifications()
    await wait_idle(pilot)
    await pilot.press("a")
    await wait_idle(pilot)


async def sync_scene(pilot: Pilot[int], key: str) -> None:
    """The dashboard after one cycle (the app starts with the saved rule)."""
    await wait_idle(pilot)
    await pilot.press("s")
    await wait_idle(pilot)
    await pilot.press("4")
    await wait_idle(pilot)


async def help_scene(pilot: Pilot[int], key: str) -> None:
    """The key help."""
    await wait_idle(pilot)
    await pilot.press("question_mark")
    await wait_idle(pilot)


# name -> (scene, needs a saved rule, starts on first run)
SCENES: dict[str, tuple[Scene, bool, bool]] = {
    "connect": (connect_scene, False, True),
    "people": (people_scene, False, False),
    "rules": (rules_scene, False, False),
    "preview": (preview_scene, False, False),
    "large": (large_scene, False, False),
    "confirm": (confirm_scene, False, False),
    "sync": (sync_scene, True, False),
    "help": (help_scene, False, False),
}


def scene_app(name: str, server: DemoServer, root: Path, **options: Any) -> PplApp:
    """A fresh app for scene `name` on `server`, every file under `root`, the clock fixed, no
    animations (a tab switch slides the tab's underline over 18 frames, each a full repaint)."""
    from ppl2album_tui.tui.app import make_app

    _, with_rule, first_run = SCENES[name]
    rules = [kids_rule(server)] if with_rule else []
    app = make_app(
        demo_config("" if first_run else server.api_key, rules),
        config_path=root / "config.toml",
        data_dir=root / "data",
        cache_dir=root / "cache",
        image_protocol="halfcell",
        clock=lambda: FIXED_NOW,
        client_factory=redirecting_factory(server.url),
        tick_seconds=3600,  # no timer tick while a scene is drawn
        **options,
    )
    app.animation_level = "none"
    return app


async def run_scene(name: str, pilot: Pilot[int], key: str) -> None:
    """Play scene `name`, then clear the toasts (they would make pictures differ)."""
    await SCENES[name][0](pilot, key)
    pilot.app.clear_notifications()
    await pilot.pause()


async def capture(name: str) -> str:
    """The SVG of screen `name`."""
    from ppl2album_tui.demo.library import generate_library
    from ppl2album_tui.demo.server import DemoServer

    with DemoServer(generate_library(seed=7)) as server, tempfile.TemporaryDirectory() as tmp:
        app = scene_app(name, server, Path(tmp))
        async with app.run_test(size=SIZE) as pilot:
            await run_scene(name, pilot, server.api_key)
            return app.export_screenshot(title=f"ppl2album-tui · {name}")


def main() -> int:
    """Write one SVG per screen."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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
