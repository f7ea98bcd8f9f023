"""The large view's sixel picture: what it sends to the terminal and when, without a terminal.

xterm wipes sixel pixels wherever characters are written over them, so the picture is sent again
after every update that paints any of its cells, only where no other widget covers it, and the
opaque large view does not repaint for the screen beneath it.
"""

from __future__ import annotations

import io
import re
from types import SimpleNamespace
from typing import cast

from PIL import Image
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Label, Static
from textual_image._sixel import image_to_sixels

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.tui.screens.modals import HelpScreen, PhotoFacts, PhotoScreen
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.photo_view import PhotoView
from ppl2album_tui.tui.widgets.sixel_picture import (
    SixelPicture,
    for_xterm,
    free_spans,
    move_to,
    rectangles,
)

SIXEL_START = "\x1bP0;1;0q"


def test_pieces_leave_out_the_cells_another_widget_covers() -> None:
    toast = Region(6, 2, 4, 2)  # over the right of rows 2 and 3 of a 10 x 5 picture
    spans = free_spans(10, 5, lambda x, y: not toast.contains(x, y))
    assert spans[1] == [(0, 10)] and spans[2] == [(0, 6)]
    assert list(rectangles(spans)) == [Region(0, 0, 10, 2), Region(0, 2, 6, 2), Region(0, 4, 10, 1)]
    hole = Region(3, 1, 2, 1)  # a widget in the middle of a row: the row's two sides
    assert list(rectangles(free_spans(10, 3, lambda x, y: not hole.contains(x, y)))) == [
        Region(0, 0, 10, 1),
        Region(0, 1, 3, 1),
        Region(5, 1, 5, 1),
        Region(0, 2, 10, 1),
    ]
    assert list(rectangles(free_spans(10, 5, lambda x, y: True))) == [Region(0, 0, 10, 5)]
    assert list(rectangles(free_spans(10, 5, lambda x, y: False))) == []


def test_for_xterm_selects_each_colour_it_defines_and_leaves_unset_pixels() -> None:
    image = Image.new("RGB", (30, 17), (153, 186, 230))
    image.paste((53, 145, 48), (0, 12, 30, 17))
    sixel = image_to_sixels(image)
    fixed = for_xterm(sixel)
    assert fixed.startswith(SIXEL_START)  # P2=1: the last band's spare row stays as it was
    definitions = re.findall(r"(#\d+);2;\d+;\d+;\d+", sixel)
    assert len(definitions) == 2
    # xterm draws on in the colour selected before a definition: each is selected after it
    assert re.findall(r"(#\d+);2;\d+;\d+;\d+(#\d+)", fixed) == [(d, d) for d in definitions]


def jpeg(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (153, 186, 230))
    image.paste((53, 145, 48), (0, height // 2, width, height))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


class Beneath(App[None]):
    """A screen whose text under the large view changes (as the Sync pane's clock does)."""

    CSS = "#tick { height: 100%; }"

    def compose(self) -> ComposeResult:
        yield Static("tick 0", id="tick")


async def test_the_picture_is_sent_again_after_each_repaint_of_its_cells() -> None:
    sent: list[str] = []
    services = cast(Services, SimpleNamespace(image_protocol="sixel", session=None))
    asset = Asset(id="a1", original_file_name="IMG_1.JPG")
    facts = PhotoFacts(asset, ["Anna"], "Kids", "to_add")
    app = Beneath()
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        screen = PhotoScreen(services, facts)
        await app.push_screen(screen)
        view = screen.query_one(PhotoView)
        picture = screen.query_one(SixelPicture)
        picture._send = sent.append
        view.show(jpeg(400, 300))
        await pilot.pause()
        await pilot.pause()
        assert sent and len(set(sent)) == 1  # once per update that painted it (layout, then paint)
        region = picture.region
        data, shown = sent[0], len(sent)
        # the whole picture, one piece at its top left cell, the cursor saved and restored
        assert data.startswith("\x1b7") and data.endswith("\x1b8")
        assert data.count(SIXEL_START) == 1 and move_to(region.x, region.y) + SIXEL_START in data

        # a repaint of one line of it (the compositor writes blanks there): sent again, whole
        picture.refresh(Region(0, region.height // 2, region.width, 1))
        await pilot.pause()
        await pilot.pause()
        assert sent[shown:] == [data]

        # a repaint above it (the title) sends nothing; nor does the screen beneath changing
        screen.query_one("#photo-title", Label).update("IMG_2.JPG")
        app.screen_stack[0].query_one("#tick", Static).update("tick 1")
        await pilot.pause()
        await pilot.pause()
        assert len(sent) == shown + 1

        # notifications stacked up over the picture's right: sent around them, left readable
        for n in range(6):
            app.notify(f"Message {n} that covers a part of the photo", timeout=30)
        for _ in range(20):
            await pilot.pause()
            if len(screen.query("Toast")) == 6:
                break
        await pilot.pause()
        toasts = [t.region for t in screen.query("Toast")]
        assert any(t.overlaps(region) for t in toasts)
        pieces = re.findall(r"\x1b\[(\d+);(\d+)H\x1bP0;1;0q\"1;1;(\d+);(\d+)", sent[-1])
        assert len(pieces) > 1
        cw, ch = picture._cell
        drawn = [
            Region(int(col) - 1, int(row) - 1, int(w) // cw, int(h) // ch)
            for row, col, w, h in pieces
        ]
        for cells in drawn:
            assert region.contains_region(cells) and not any(cells.overlaps(t) for t in toasts)
        covered = {(x, y) for t in toasts for x, y in _cells(t.intersection(region))}
        assert sum(cells.area for cells in drawn) == region.area - len(covered)

        # under Help (seen through) it is not sent: it would cover the Help
        app.clear_notifications()
        await app.push_screen(HelpScreen())
        before = len(sent)
        picture.refresh()
        await pilot.pause()
        await pilot.pause()
        assert len(sent) == before


def _cells(region: Region) -> list[tuple[int, int]]:
    return [(x, y) for y in range(region.y, region.bottom) for x in range(region.x, region.right)]
