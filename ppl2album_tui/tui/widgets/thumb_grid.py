"""A virtualized grid of picture tiles (photos, faces) under group headers, loaded near the screen.

Tiles fill the width (as many columns as fit; `+`/`-` change their size), each with a picture, a
mark and a label line; rows flow on across groups, and a row in which a group (a month) begins has
a header line naming it above the tile where it begins, so a sparse library still fills the width.
Only the lines on screen are drawn (Textual's line API), so 30,000 tiles cost a list of `Tile`s
and a table of band offsets. Pictures load through the `loader` given to the constructor (bytes or
None; the app's disk cache), for the tiles on screen plus one band each side, at most
`CONCURRENCY` at a time, and a load whose turn comes after its tile has scrolled away is skipped.
The grid posts `Highlighted` when the cursor moves and `Selected` on a double click.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_right
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ppl2album_tui.tui.images import picture

CONCURRENCY = 6
MARGIN_BANDS = 1  # tile rows loaded beyond the screen, above and below
GAP = 2  # blank cells between tiles
TILE_WIDTHS = (12, 16, 20, 26, 34, 44)  # `+` / `-` steps, in cells

Loader = Callable[[str], Awaitable[bytes | None]]


@dataclass(frozen=True, slots=True)
class Tile:
    """One tile: its picture's key, the line under it, its group header and marks."""

    key: str
    label: str
    group: str = ""  # header over a run of tiles, e.g. "June 2024"
    mark: str = ""  # one character before the label (✓, ✗, …)
    mark_style: str = ""
    badge: str = ""  # at the label's right end (a video's duration)
    dim: bool = False  # drawn muted (left out)


@dataclass(frozen=True, slots=True)
class _Band:
    """A row of tiles `start`..`end` (indexes into the tiles) at line `y`, with a header line when
    a group begins in it."""

    y: int
    start: int
    end: int
    header: bool


class ThumbGrid(ScrollView, can_focus=True):
    """Tiles of pictures in rows; arrow keys move the cursor, `+`/`-` resize the tiles."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1, 0)", "Left", show=False),
        Binding("right", "move(1, 0)", "Right", show=False),
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("plus,equals_sign", "resize(1)", "Bigger", key_display="+"),
        Binding("minus", "resize(-1)", "Smaller", key_display="-"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "thumb-grid--header",
        "thumb-grid--label",
        "thumb-grid--cursor",
        "thumb-grid--dim",
    }
    DEFAULT_CSS = """
    ThumbGrid { height: 1fr; background: $surface; padding-left: 1; }
    ThumbGrid > .thumb-grid--header { text-style: bold; color: $text-accent; }
    ThumbGrid > .thumb-grid--label { color: $text; }
    ThumbGrid > .thumb-grid--dim { color: $text-muted; }
    ThumbGrid > .thumb-grid--cursor { background: $surface-lighten-2; text-style: bold; }
    ThumbGrid:focus > .thumb-grid--cursor { background: $accent; color: $text; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor is on the tile `key`."""

        def __init__(self, grid: ThumbGrid, key: str) -> None:
            super().__init__()
            self.grid = grid
            self.key = key

        @property
        def control(self) -> ThumbGrid:
            return self.grid

    class Selected(Highlighted):
        """A double click on the tile `key` (enter is left to the screen's binding)."""

    def __init__(
        self,
        *,
        loader: Loader | None = None,
        protocol: str = "halfcell",
        tile_width: int = 20,
        aspect: float = 0.75,
        **kwargs: Any,
    ) -> None:
        """`loader(key)` fetches a tile's picture; `aspect` is the pictures' height / width."""
        super().__init__(**kwargs)
        self.loader = loader
        self.protocol = protocol
        self.tile_width = tile_width
        self.aspect = aspect
        self.tiles: list[Tile] = []
        self._index: dict[str, int] = {}
        self._bands: list[_Band] = []
        self._tile_band: list[int] = []
        self._band_ys: list[int] = []
        self._data: dict[str, bytes | None] = {}  # loaded pictures (None: the server had none)
        self._lines: dict[str, list[list[Segment]]] = {}  # pictures rendered at the tile size
        self._pending: set[str] = set()
        self._sem = asyncio.Semaphore(CONCURRENCY)
        self._styles: dict[str, Style] = {}

    # ---- geometry ------------------------------------------------------------------------------

    @property
    def image_height(self) -> int:
        """Picture lines per tile (cells are about twice as tall as wide)."""
        return max(2, round(self.tile_width * self.aspect / 2))

    @property
    def tile_height(self) -> int:
        """Lines per tile row: picture, label, a blank line."""
        return self.image_height + 2

    @property
    def columns(self) -> int:
        """Tiles per row at the current width."""
        width = max(1, self.size.width - 1)
        return max(1, (width + GAP) // (self.tile_width + GAP))

    def _starts_group(self, index: int) -> bool:
        group = self.tiles[index].group
        return bool(group) and (index == 0 or self.tiles[index - 1].group != group)

    def _layout(self) -> None:
        cols, th, n = self.columns, self.tile_height, len(self.tiles)
        bands: list[_Band] = []
        tile_band: list[int] = []  # tile index -> its band
        y = 0
        for start in range(0, n, cols):
            end = min(start + cols, n)
            header = any(self._starts_group(i) for i in range(start, end))
            tile_band.extend([len(bands)] * (end - start))
            bands.append(_Band(y, start, end, header))
            y += th + header
        self._bands, self._tile_band = bands, tile_band
        self._band_ys = [b.y for b in bands]
        self.virtual_size = Size(self.size.width, y)

    def _band_at(self, y: int) -> int:
        return bisect_right(self._band_ys, y) - 1

    def _band_of(self, index: int) -> int:
        return self._tile_band[index] if 0 <= index < len(self._tile_band) else 0

    # ---- content -------------------------------------------------------------------------------

    def show(self, tiles: list[Tile]) -> None:
        """Replace the tiles; the cursor stays on the same key when it is still there."""
        current = self.current_key()
        self.tiles = list(tiles)
        self._index = {t.key: i for i, t in enumerate(self.tiles)}
        self._layout()
        self.cursor = self._index.get(current, 0) if current is not None else 0
        self.refresh()
        self.call_after_refresh(self.request_visible)

    def update_tile(self, tile: Tile) -> None:
        """Replace the tile with `tile.key` (new marks or label)."""
        index = self._index.get(tile.key)
        if index is not None:
            self.tiles[index] = tile
            self.refresh()

    def current_key(self) -> str | None:
        """The key of the tile under the cursor."""
        return self.tiles[self.cursor].key if 0 <= self.cursor < len(self.tiles) else None

    def move_to(self, key: str) -> None:
        """Put the cursor on tile `key` (if shown)."""
        if key in self._index:
            self.cursor = self._index[key]

    # ---- cursor and keys -----------------------------------------------------------------------

    def watch_cursor(self, index: int) -> None:
        if not self.tiles:
            return
        band = self._bands[self._band_of(index)]
        bottom = band.y + band.header + self.tile_height
        height = max(1, self.size.height)
        if band.y < self.scroll_y:
            self.scroll_to(y=band.y, animate=False)
        elif bottom > self.scroll_y + height:
            self.scroll_to(y=bottom - height, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self, self.tiles[index].key))

    def action_move(self, dx: int, dy: int) -> None:
        """Move the cursor a tile sideways or a row up/down (keeping the column)."""
        if not self.tiles:
            return
        if dx:
            self.cursor = max(0, min(len(self.tiles) - 1, self.cursor + dx))
            return
        band_no = self._band_of(self.cursor)
        column = self.cursor - self._bands[band_no].start
        step = band_no + dy
        if 0 <= step < len(self._bands):
            target = self._bands[step]
            self.cursor = min(target.start + column, target.end - 1)

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful of rows."""
        for _ in range(max(1, self.size.height // self.tile_height)):
            self.action_move(0, direction)

    def action_first(self) -> None:
        """First tile."""
        self.cursor = 0

    def action_last(self) -> None:
        """Last tile."""
        self.cursor = max(0, len(self.tiles) - 1)

    def action_resize(self, step: int) -> None:
        """Bigger or smaller tiles; the cursor's tile stays in view."""
        widths = TILE_WIDTHS
        now = min(range(len(widths)), key=lambda i: abs(widths[i] - self.tile_width))
        self.tile_width = widths[max(0, min(len(widths) - 1, now + step))]
        self._lines.clear()
        self._layout()
        self.cursor = self.cursor
        self.call_after_refresh(self.request_visible)

    def on_click(self, event: events.Click) -> None:
        y = int(self.scroll_y) + event.y
        band_no = self._band_at(y)
        if band_no < 0:
            return
        band = self._bands[band_no]
        if band.header and y == band.y:
            return
        column = (event.x - 1) // (self.tile_width + GAP)
        index = band.start + column
        if column >= 0 and index < band.end:
            self.cursor = index
            if event.chain >= 2:
                self.post_message(self.Selected(self, self.tiles[index].key))

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", lambda: self.request_visible(), init=False)

    def on_resize(self) -> None:
        self._layout()
        self.request_visible()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.rich_style + (
                self.get_component_rich_style(name) if name else Style()
            )
        return style

    # ---- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._style("")
        band_no = self._band_at(int(self.scroll_y) + y)
        if band_no < 0:
            return Strip.blank(width, base)
        band = self._bands[band_no]
        sub = int(self.scroll_y) + y - band.y
        if band.header:
            if sub == 0:
                return self._header(band, width, base)
            sub -= 1
        segments: list[Segment] = []
        gap = Segment(" " * GAP, base)
        for index in range(band.start, band.end):
            segments.extend(self._tile_line(index, sub, base))
            segments.append(gap)
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def _header(self, band: _Band, width: int, base: Style) -> Strip:
        """The names of the groups that begin in `band`, each above its first tile."""
        style = self._style("thumb-grid--header")
        starts = [i for i in range(band.start, band.end) if self._starts_group(i)]
        step = self.tile_width + GAP
        segments = [Segment(" " * ((starts[0] - band.start) * step), base)]
        for n, i in enumerate(starts):
            room = ((starts[n + 1] if n + 1 < len(starts) else band.end) - i) * step - 1
            segments.append(Segment(self.tiles[i].group[:room].ljust(room + 1), style))
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def _tile_line(self, index: int, sub: int, base: Style) -> list[Segment]:
        w = self.tile_width
        tile = self.tiles[index]
        if sub < self.image_height:
            return self._picture(tile)[sub]
        if sub > self.image_height:
            return [Segment(" " * w, base)]
        name = "thumb-grid--cursor" if index == self.cursor else "thumb-grid--label"
        style = self._style(name)
        if tile.dim and index != self.cursor:
            style = self._style("thumb-grid--dim")
        mark = (tile.mark or " ")[:1]
        badge = f" {tile.badge}" if tile.badge else ""
        room = max(0, w - 2 - len(badge))
        label = tile.label if len(tile.label) <= room else tile.label[: max(0, room - 1)] + "…"
        mark_style = style + Style.parse(tile.mark_style) if tile.mark_style else style
        return [
            Segment(mark, mark_style),
            Segment(" " + label.ljust(room) + badge, style),
        ]

    def _picture(self, tile: Tile) -> list[list[Segment]]:
        lines = self._lines.get(tile.key)
        if lines is None:
            w, h = self.tile_width, self.image_height
            cell = picture(
                self._data.get(tile.key),
                protocol=self.protocol,
                label=tile.label.rsplit(".", 1)[0],
                key=tile.key,
                width=w,
                height=h,
            )
            console = self.app.console
            options = console.options.update(width=w, height=h)
            rendered = console.render_lines(cell, options, pad=True)
            lines = [Segment.adjust_line_length(line, w) for line in rendered[:h]]
            lines += [[Segment(" " * w)]] * (h - len(lines))
            if tile.key in self._data:  # placeholders are drawn again once the picture is in
                if len(self._lines) > 4000:
                    self._lines.clear()
                self._lines[tile.key] = lines
        return lines

    # ---- lazy loading ----------------------------------------------------------------------

    def view_range(self) -> tuple[int, int]:
        """Indexes of the first and last tile on screen, widened by MARGIN_BANDS rows."""
        if not self._bands:
            return 0, -1
        first = max(0, self._band_at(int(self.scroll_y)) - MARGIN_BANDS)
        last = self._band_at(int(self.scroll_y) + max(1, self.size.height) - 1) + MARGIN_BANDS
        last = min(last, len(self._bands) - 1)
        return self._bands[first].start, self._bands[last].end - 1

    def near_view(self, key: str) -> bool:
        """True when tile `key` is on or near the screen."""
        index = self._index.get(key)
        lo, hi = self.view_range()
        return index is not None and lo <= index <= hi

    def request_visible(self) -> None:
        """Start the loads of the tiles on or near the screen that have no picture yet."""
        if self.loader is None or self.protocol == "none" or not self.tiles or not self.display:
            return  # a hidden grid (its view shows the list) asks for nothing
        lo, hi = self.view_range()
        for tile in self.tiles[lo : hi + 1]:
            if tile.key in self._data or tile.key in self._pending:
                continue
            self._pending.add(tile.key)
            self.run_worker(self._load(tile.key), group="tiles", exit_on_error=False)

    async def _load(self, key: str) -> None:
        try:
            async with self._sem:
                if self.loader is not None and self.near_view(key):
                    try:
                        self._data[key] = await self.loader(key)
                    except Exception as exc:  # the tile keeps its placeholder
                        self.log.error(f"picture of {key}: {exc!r}")
                        self._data[key] = None
                    self._lines.pop(key, None)
                    self.refresh()
        finally:
            self._pending.discard(key)
