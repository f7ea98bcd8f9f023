"""Birthdays, ages and years in the app, made the way a person does: people marked with space on
the People tab, n for a new rule, the editor's fields typed into, Preview ▶, a to apply and the
dialog's button; what lands in the albums is checked on the demo server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from ppl2album_tui.demo.library import DemoAsset, Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.tui.app import PplApp
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.screens.modals import ConfirmScreen
from ppl2album_tui.tui.screenshots import SIZE, select_people, wait_idle
from tests.fault_helpers import album_now, albums_named
from tests.sync_helpers import photos_of, visible
from tests.tui.helpers import build_app

# each flow connects, loads the people and applies over HTTP: slow on a loaded 2-core machine
pytestmark = pytest.mark.timeout(300)


def local(a: DemoAsset) -> date:
    return (a.file_created_at + timedelta(minutes=a.utc_offset_minutes)).date()


async def new_rule(pilot: Pilot[int], people: list[str], typed: dict[str, str]) -> None:
    """People tab: v for the list, mark `people`, n; then type each `typed` value into the
    editor field of that id (``rule-more-<key>``, ``rule-new-album``), replacing its text."""
    await pilot.press("v")  # the list: its cursor is the one select_people moves
    await wait_idle(pilot)
    await select_people(pilot, people)
    await pilot.press("n")
    await wait_idle(pilot)
    for field, text in typed.items():
        widget = pilot.app.screen.query_one(f"#{field}")
        widget.scroll_visible(animate=False)
        await wait_idle(pilot)
        await pilot.click(f"#{widget.id}")
        await pilot.press("home", "ctrl+k", *text)
        await wait_idle(pilot)


async def until(pilot: Pilot[int], done: Callable[[], bool]) -> None:
    """Let the app work until `done()` (a loaded machine may need more than one idle wait)."""
    for _ in range(1200):
        if done():
            return
        await pilot.pause(0.05)
    assert done()


def dates_line(app: PplApp) -> str:
    return str(app.screen.query_one("#rule-dates", Static).render())


async def preview_and_apply(pilot: Pilot[int]) -> tuple[PreviewPane, str]:
    """Preview ▶, a, and the dialog's Add; returns the pane and the dialog's text."""
    await pilot.click("#rule-preview")
    await wait_idle(pilot)
    pane = pilot.app.screen.query_one(PreviewPane)
    await until(pilot, lambda: pane.preview is not None)
    await pilot.press("a")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ConfirmScreen)
    said = f"{screen.title_text}\n{screen.body}"
    await pilot.click("#yes")
    await wait_idle(pilot)
    await pilot.press("escape")
    await wait_idle(pilot)
    return pane, said


async def test_emma_age_0_to_2_shows_her_dates_and_fills_the_album(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    lib.people[lib.person_by_name("Emma").id].birth_date = "2019-03-10"
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await new_rule(pilot, ["Emma"], {"rule-more-age": "0-2"})
        assert dates_line(app) == "Emma, age 0–2: 2019-03-10 to 2022-03-09."
        pane, _ = await preview_and_apply(pilot)
        want = {i for i in photos_of(lib, "Emma")
                if date(2019, 3, 10) <= local(lib.assets[i]) <= date(2022, 3, 9)}  # fmt: skip
        [album] = albums_named(lib, "Emma")
        assert want and album_now(lib, album) == want
        assert pane.preview is not None


async def test_a_person_without_a_birth_date_is_told_in_the_editor_and_the_preview(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await new_rule(pilot, ["Emma"], {"rule-more-age": "0-2"})
        sentence = "Emma has no birth date in Immich, so this rule adds nothing"
        assert dates_line(app).startswith(sentence)
        button = app.screen.query_one("#rule-preview")
        button.scroll_visible(animate=False)  # the longer sentence pushes it below the fold
        await wait_idle(pilot)
        await pilot.click("#rule-preview")
        await wait_idle(pilot)
        pane = app.screen.query_one(PreviewPane)
        await until(pilot, lambda: pane.preview is not None)
        assert pane.preview is not None and pane.preview.plan.to_add == []
        assert sentence in str(pane.query_one("#preview-counts", Static).render())


async def test_christmas_every_year_through_the_editor(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await new_rule(pilot, ["Anna"], {"rule-more-yearly": "12-20, 01-06",
                                          "rule-new-album": "Christmas"})  # fmt: skip
        assert dates_line(app) == "every year from 12-20 to 01-06 (across the new year)."
        await preview_and_apply(pilot)
    anna = lib.person_by_name("Anna").id
    days = {a.id: (local(a).month, local(a).day) for a in lib.assets_of(anna) if visible(a)}
    want = {i for i, md in days.items() if md >= (12, 20) or md <= (1, 6)}
    [album] = albums_named(lib, "Christmas")
    assert want and album_now(lib, album) == want


async def test_kids_year_previews_each_album_and_creates_them(
    demo_server: DemoServer, demo_library: Library, tmp_path: Path
) -> None:
    lib = demo_library
    ids = photos_of(lib, "Emma", "Jonas")
    years = sorted({local(lib.assets[i]).year for i in ids})
    app = build_app(demo_server, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await new_rule(pilot, ["Emma", "Jonas"], {"rule-new-album": "Kids {year}"})
        assert "One album per year: Kids 2019, Kids 2020, …" in dates_line(app)
        await pilot.click("#rule-preview")
        await wait_idle(pilot)
        pane = app.screen.query_one(PreviewPane)
        counts = str(pane.query_one("#preview-counts", Static).render())
        for year in years:
            n = sum(1 for i in ids if local(lib.assets[i]).year == year)
            assert f"Kids {year} (new): to add {n:,} · in album 0" in counts
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        screen = app.screen
        assert isinstance(screen, ConfirmScreen)
        assert f"New albums, created first: Kids {years[0]}," in screen.body
        await pilot.click("#yes")
        await until(pilot, lambda: bool(albums_named(lib, f"Kids {years[-1]}")))
        await wait_idle(pilot)
    for year in years:
        [album] = albums_named(lib, f"Kids {year}")
        assert album_now(lib, album) == {i for i in ids if local(lib.assets[i]).year == year}
