"""Deterministic apps and the steps that bring them to each screen.

Used by the Pilot tests, the snapshot tests and `python -m ppl2album_tui.tui.screenshots`: a fixed
clock, halfcell images, and a client factory that sends every request to a demo server whatever
URL was typed (so screens show `http://photos.local:2283`, never a random port).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.retry import RetryPolicy
from ppl2album_tui.sync.config import Config
from ppl2album_tui.sync.rules import PersonRef, Rule
from ppl2album_tui.tui.app import PplApp, make_app
from ppl2album_tui.tui.session import ClientFactory

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from ppl2album_tui.demo.server import DemoServer

DISPLAY_URL = "http://photos.local:2283"
FIXED_NOW = datetime(2026, 6, 1, 10, 42, 0, tzinfo=UTC)
SIZE = (120, 40)


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(seconds=seconds)


def redirecting_factory(real_url: str, *, attempts: int = 2) -> ClientFactory:
    """Clients that talk to `real_url` whatever URL the user typed (fast retries for tests)."""

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


def build_app(
    server: DemoServer,
    root: Path,
    *,
    config: Config | None = None,
    clock: FakeClock | None = None,
    autosync: bool = True,
) -> PplApp:
    """The app on `server`, with every file under `root` and a fixed clock."""
    return make_app(
        config if config is not None else demo_config(server.api_key),
        config_path=root / "config.toml",
        data_dir=root / "data",
        cache_dir=root / "cache",
        image_protocol="halfcell",
        clock=clock or FakeClock(),
        client_factory=redirecting_factory(server.url),
        autosync=autosync,
        tick_seconds=3600,  # tests call app.tick() themselves
    )


def anna_ben_rule(server: DemoServer, **fields: Any) -> Rule:
    """Anna and Ben into a new album 'Kids' (a rule as the editor would save it)."""
    lib = server.library
    people = [lib.person_by_name(n) for n in ("Anna", "Ben")]
    return Rule(
        name="Kids",
        people=[PersonRef(p.id, p.name) for p in people],
        album_name="Kids",
        **fields,
    )


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every worker is done and the screen has caught up (text cursors steady)."""
    from textual.widgets import Input
    from textual.worker import WorkerCancelled, WorkerFailed

    app = pilot.app
    idle = 0
    for _ in range(200):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled, WorkerFailed, TimeoutError):
            # bounded: a stuck worker makes the test's assertions fail instead of hanging it
            await asyncio.wait_for(app.workers.wait_for_complete(), timeout=30)
        await pilot.pause()
        idle = 0 if any(w.is_running for w in app.workers) else idle + 1
        if idle >= 3:  # callbacks after a refresh may start new workers: look a few times
            break
    for field in app.screen.query(Input):  # a blinking cursor would make pictures differ
        field.cursor_blink = False
    await pilot.wait_for_scheduled_animations()  # and deferred scrolls and refreshes


# ---- scenes: each brings a fresh app to one screen --------------------------------------------

Scene = Callable[["Pilot[Any]"], Awaitable[None]]


async def connect_scene(pilot: Pilot[Any]) -> None:
    """First run: URL and key typed, Test pressed."""
    from textual.widgets import Input

    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#url", Input).value = DISPLAY_URL
    screen.query_one("#key", Input).value = pilot.app.demo_key  # type: ignore[attr-defined]
    await pilot.click("#test")
    await settle(pilot)


async def select_people(pilot: Pilot[Any], names: list[str]) -> None:
    """On the People tab: put the cursor on each named person and press space."""
    from ppl2album_tui.tui.widgets.people_table import PeopleTable

    table = pilot.app.screen.query_one(PeopleTable)
    for name in names:
        key = next(k for k in table.keys if table.people[k].name == name)
        table.move_cursor(row=table.keys.index(key))
        await pilot.press("space")
    await settle(pilot)


async def people_scene(pilot: Pilot[Any]) -> None:
    """People with faces; Anna and Ben selected."""
    await settle(pilot)
    await select_people(pilot, ["Anna", "Ben"])


async def rules_scene(pilot: Pilot[Any]) -> None:
    """The editor with Anna and Ben, a new album 'Kids'."""
    from textual.widgets import Input

    await people_scene(pilot)
    await pilot.press("n")
    await settle(pilot)
    pilot.app.screen.query_one("#rule-name", Input).value = "Kids"
    pilot.app.screen.query_one("#rule-new-album", Input).value = "Kids"
    await settle(pilot)


async def preview_scene(pilot: Pilot[Any]) -> None:
    """The preview of that rule, first photo vetoed."""
    await rules_scene(pilot)
    await pilot.click("#rule-preview")
    await settle(pilot)
    pilot.app.screen.query_one("#table-to_add").focus()
    await pilot.press("space")
    await settle(pilot)


async def confirm_scene(pilot: Pilot[Any]) -> None:
    """The apply confirmation with its numbers."""
    await preview_scene(pilot)
    await pilot.press("a")
    await settle(pilot)


async def sync_scene(pilot: Pilot[Any]) -> None:
    """The dashboard after one cycle (the app starts with the saved rule)."""
    await settle(pilot)
    pilot.app.action_sync_now()  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)


async def help_scene(pilot: Pilot[Any]) -> None:
    """The key help."""
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


# name -> (scene, needs a saved rule, starts on first run)
SCENES: dict[str, tuple[Scene, bool, bool]] = {
    "connect": (connect_scene, False, True),
    "people": (people_scene, False, False),
    "rules": (rules_scene, False, False),
    "preview": (preview_scene, False, False),
    "confirm": (confirm_scene, False, False),
    "sync": (sync_scene, True, False),
    "help": (help_scene, False, False),
}


def scene_app(name: str, server: DemoServer, root: Path) -> PplApp:
    """A fresh app set up for scene `name`."""
    _, with_rule, first_run = SCENES[name]
    rules = [anna_ben_rule(server)] if with_rule else []
    config = demo_config("" if first_run else server.api_key, rules)
    app = build_app(server, root, config=config)
    app.demo_key = server.api_key  # type: ignore[attr-defined]
    return app
