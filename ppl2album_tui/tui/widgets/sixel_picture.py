"""A picture in sixel that stays on screen whatever Textual repaints around or over it.

Textual repaints lines and parts of lines (a tile loading on the screen beneath, a notification
coming and going), and every character it writes over a sixel image wipes those pixels in xterm.
So this widget takes part in Textual's rendering as plain blank cells, and whenever the compositor
renders any of its lines it sends the picture again, straight after that update: the pieces of it
no other widget covers (a notification over the picture stays readable), each placed at its cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from textual.errors import NoWidget
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

# xterm's DECSDM off: a sixel image starts at the cursor (else, where sixelScrolling is false, at
# the screen's top left); the cursor is saved before and restored after
_AT_CURSOR = "\x1b[?80l"
_SAVE, _RESTORE = "\x1b7", "\x1b8"
_DEFINITION = re.compile(r"(#\d+);2;\d+;\d+;\d+")  # a colour register defined (RGB)


Spans = list[list[tuple[int, int]]]  # per row, the [x0, x1) spans of cells


def move_to(x: int, y: int) -> str:
    """The escape sequence that puts the cursor at cell (x, y), 0-based."""
    return f"\x1b[{y + 1};{x + 1}H"


def rectangles(spans: Spans) -> Iterator[Region]:
    """Rectangles covering `spans` (per row, the [x0, x1) spans to draw), consecutive rows with the
    same spans joined: one rectangle for a picture nothing covers."""
    start = 0
    for y in range(1, len(spans) + 1):
        if y == len(spans) or spans[y] != spans[start]:
            for x0, x1 in spans[start]:
                yield Region(x0, start, x1 - x0, y - start)
            start = y


def free_spans(width: int, height: int, mine: Callable[[int, int], bool]) -> Spans:
    """Per row of a width x height area, the [x0, x1) spans where `mine(x, y)` holds."""
    rows: Spans = []
    for y in range(height):
        row: list[tuple[int, int]] = []
        x0: int | None = None
        for x in range(width + 1):
            if x < width and mine(x, y):
                x0 = x if x0 is None else x0
            elif x0 is not None:
                row.append((x0, x))
                x0 = None
        rows.append(row)
    return rows


def sixel_sequence(pieces: list[tuple[int, int, str]]) -> str:
    """The bytes that draw sixel `pieces` (cell x, cell y, sixel data), the cursor kept."""
    body = "".join(move_to(x, y) + data for x, y, data in pieces)
    return _SAVE + _AT_CURSOR + body + _RESTORE if body else ""


def for_xterm(sixel: str) -> str:
    """`sixel` as xterm draws it right: its unset pixels left as they are (P2=1), not painted in
    the background (a piece's last band runs past its cells when the cell height is not a multiple
    of six), and each colour selected after it is defined: xterm 379 draws on in the colour
    selected before, so a photo's first bands came out in another image's flat colour."""
    sixel = sixel.replace("\x1bP0;0;0q", "\x1bP0;1;0q", 1)
    return _DEFINITION.sub(lambda m: m[0] + m[1], sixel)


class SixelPicture(Widget):
    """A picture of (width, height) cells drawn in sixel, sent again after every repaint of its
    cells; `send` writes to the terminal (the app's driver unless given)."""

    DEFAULT_CSS = "SixelPicture { width: auto; height: auto; }"

    def __init__(self, *, send: Callable[[str], None] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._image: Any = None  # PIL, exactly the cells' pixels
        self._cell = (0, 0)
        self._pieces: dict[Region, str] = {}  # sixel data of the picture's parts, by cells
        self._due = False
        self._send = send

    def show(self, image: Any, cells: tuple[int, int], cell: tuple[int, int]) -> None:
        """Draw `image` (PIL) on (width, height) `cells` of `cell` pixels, stretched to fit them."""
        (width, height), (cw, ch) = cells, cell
        self._image = image.convert("RGB").resize((width * cw, height * ch))
        self._cell = cell
        self._pieces.clear()
        self.styles.width, self.styles.height = width, height
        self.refresh()

    def render_line(self, y: int) -> Strip:
        return Strip.blank(self.size.width, self.rich_style)

    def render_lines(self, crop: Region) -> list[Strip]:
        # the compositor is drawing some of these lines now: the picture goes again after them
        if self._image is not None and not self._due:
            self._due = True
            self.call_after_refresh(self._resend)
        return super().render_lines(crop)

    def _resend(self) -> None:
        self._due = False
        # not under another screen (Help, the command palette): it would be drawn over them
        if self._image is None or not self.is_mounted or self.app.screen is not self.screen:
            return
        data = self.sequence()
        if not data:
            return
        if self._send is not None:
            self._send(data)
        elif self.app._driver is not None:  # the app's own writer: in order with its updates
            self.app._driver.write(data)

    def sequence(self) -> str:
        """What draws the picture where no other widget covers it now (empty when hidden)."""
        screen = self.screen
        try:
            region = self.region.intersection(screen.find_widget(self).visible_region)
        except NoWidget:  # not laid out (hidden)
            return ""
        if not region or self._image is None:
            return ""

        def mine(x: int, y: int) -> bool:
            try:
                return screen.get_widget_at(region.x + x, region.y + y)[0] is self
            except NoWidget:
                return False

        pieces: list[tuple[int, int, str]] = []
        dx, dy = region.x - self.region.x, region.y - self.region.y
        for rect in rectangles(free_spans(region.width, region.height, mine)):
            part = rect.translate((dx, dy))  # in the picture's cells
            pieces.append((region.x + rect.x, region.y + rect.y, self._piece(part)))
        return sixel_sequence(pieces)

    def _piece(self, part: Region) -> str:
        if (cached := self._pieces.get(part)) is None:
            from textual_image._sixel import image_to_sixels

            cw, ch = self._cell
            box = (part.x * cw, part.y * ch, part.right * cw, part.bottom * ch)
            cached = self._pieces[part] = for_xterm(image_to_sixels(self._image.crop(box)))
        return cached
