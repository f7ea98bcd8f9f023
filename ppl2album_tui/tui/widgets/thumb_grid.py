"""A virtualized grid of picture tiles (photos, faces) under group headers, loaded near the screen.

Tiles fill the width (as many columns as fit; `+`/`-` change their size), each with a picture, a
mark and a label line; rows flow on across groups, and a row in which a group (a month) begins has
a header line naming it above the tile where it begins, so a sparse library still fills the width.
Only the lines on screen are drawn (Textual's line API), and the tiles may be made lazily
(tile_layout.LazyTiles, with the group starts given), so 100,000 tiles cost a list of keys and
the rows where a group begins: showing, scrolling and jumping to the end do not walk the tiles,
and a picture that arrives repaints its own lines only. Pictures load through the `loader` given
to the constructor (bytes or None; the app's disk cache), for the tiles on screen plus one band
each side, at most `CONCURRENCY` at a time, and a load whose turn comes after its tile has
scrolled away is skipped. The grid never scrolls sideways. The grid posts `Highlighted` when the
cursor moves and `Selected` on a double click.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
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
from ppl2album_tui.tui.widgets.tile_layout import Layout, Tile, group_starts, keys_of, layout

CONCURRENCY = 6
CACHED_TILES = 300  # tiles whose drawn lines are kept (a picture: ~1,000 objects for the GC)
CACHED_PICTURES = 3000  # pictures kept in memory (beyond: only those near the screen)
MARGIN_BANDS = 1  # tile rows loaded beyond the screen, above and below
GAP = 2  # blank cells between tiles
TILE_WIDTHS = (12, 16, 20, 26, 34, 44)  # `+` / `-` steps, in cells

Loader = Callable[[str], Awaitable[bytes | None]]


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
    ThumbGrid { height: 1fr; background: $surface; padding-left: 1; overflow-x: hidden; }
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
        self.tiles: Sequence[Tile] = []
        self._starts: list[int] = []  # tile indexes where a group begins
        self._keys_index: dict[str, int] | None = None  # key -> tile index, made when needed
        self._grid = layout(0, 1, self.tile_height, [])
        self._data: dict[str, bytes | None] = {}  # loaded pictures (None: the server had none)
        self._lines: dict[str, list[list[Segment]]] = {}  # pictures rendered at the tile size
        self._pending: set[str] = set()  # pictures being loaded
        self._drawing: set[str] = set()  # pictures being drawn at the tile size
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

    def _layout(self) -> None:
        self._grid = layout(len(self.tiles), self.columns, self.tile_height, self._starts)
        self.virtual_size = Size(self.scrollable_content_region.width, self._grid.height)

    @property
    def grid_layout(self) -> Layout:
        """Where the rows are (the tiles' count, columns and group starts)."""
        return self._grid

    @property
    def _index(self) -> dict[str, int]:
        if self._keys_index is None:
            self._keys_index = {key: i for i, key in enumerate(keys_of(self.tiles))}
        return self._keys_index

    # ---- content -------------------------------------------------------------------------------

    def show(self, tiles: Sequence[Tile], starts: list[int] | None = None) -> None:
        """Replace the tiles; the cursor stays on the same key when it is still there.

        `starts`: the indexes where a group begins (tile_layout.group_starts), so that lazily
        made tiles need not be made to find them; read from the tiles when not given.
        """
        current = self.current_key()
        self.tiles = tiles
        self._starts = group_starts(t.group for t in tiles) if starts is None else starts
        self._keys_index = None
        self._layout()
        self.cursor = self._index.get(current, 0) if current is not None else 0
        self.refresh()
        self.call_after_refresh(self.request_visible)

    def update_tile(self, tile: Tile) -> None:
        """Replace the tile with `tile.key` (new marks or label)."""
        index = self._index.get(tile.key)
        if index is not None:
            self.tiles[index] = tile  # type: ignore[index]  # a list or LazyTiles
            self._refresh_tile(index)

    def current_key(self) -> str | None:
        """The key of the tile under the cursor."""
        return self.tiles[self.cursor].key if 0 <= self.cursor < len(self.tiles) else None

    def move_to(self, key: str) -> None:
        """Put the cursor on tile `key` (if shown)."""
        if key in self._index:
            self.cursor = self._index[key]

    def _refresh_tile(self, index: int, picture: bool = True) -> None:
        """Repaint the lines of tile `index` (its label line only, without `picture`)."""
        grid = self._grid
        if not 0 <= index < grid.count:
            return
        row = grid.row_of(index)
        top = grid.row_y(row) + grid.has_header(row)
        if picture:
            self.refresh_lines(top, self.image_height + 1)
        else:
            self.refresh_lines(top + self.image_height)

    # ---- cursor and keys -----------------------------------------------------------------------

    def watch_cursor(self, old: int, index: int) -> None:
        if not 0 <= index < len(self.tiles):
            return
        grid = self._grid
        row = grid.row_of(index)
        top = grid.row_y(row)
        bottom = top + grid.has_header(row) + self.tile_height
        height = max(1, self.size.height)
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)  # repaints all
        elif bottom > self.scroll_y + height:
            self.scroll_to(y=bottom - height, animate=False)
        else:
            self._refresh_tile(old, picture=False)
            self._refresh_tile(index, picture=False)
        self.post_message(self.Highlighted(self, self.tiles[index].key))

    def action_move(self, dx: int, dy: int) -> None:
        """Move the cursor a tile sideways or `dy` rows up/down (keeping the column)."""
        if not self.tiles:
            return
        if dx:
            self.cursor = max(0, min(len(self.tiles) - 1, self.cursor + dx))
            return
        grid = self._grid
        row = grid.row_of(self.cursor)
        column = self.cursor - row * grid.columns
        target = max(0, min(grid.rows - 1, row + dy))
        if target != row:
            self.cursor = min(target * grid.columns + column, grid.count - 1)

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful of rows."""
        self.action_move(0, direction * max(1, self.size.height // self.tile_height))

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
        grid = self._grid
        row = grid.row_at(y)
        if row < 0 or (grid.has_header(row) and y == grid.row_y(row)):
            return
        column = (event.x - 1) // (self.tile_width + GAP)
        index = row * grid.columns + column
        if 0 <= column < grid.columns and index < grid.count:
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
        grid, line = self._grid, int(self.scroll_y) + y
        row = grid.row_at(line)
        if row < 0 or line >= grid.height:
            return Strip.blank(width, base)
        sub = line - grid.row_y(row)
        if grid.has_header(row):
            if sub == 0:
                return self._header(row, width, base)
            sub -= 1
        segments: list[Segment] = []
        gap = Segment(" " * GAP, base)
        for index in grid.tiles_of(row):
            segments.extend(self._tile_line(index, sub, base))
            segments.append(gap)
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def _header(self, row: int, width: int, base: Style) -> Strip:
        """The names of the groups that begin in `row`, each above its first tile."""
        style = self._style("thumb-grid--header")
        starts, span = self._grid.starts_in(row), self._grid.tiles_of(row)
        step = self.tile_width + GAP
        segments = [Segment(" " * ((starts[0] - span.start) * step), base)]
        for n, i in enumerate(starts):
            room = ((starts[n + 1] if n + 1 < len(starts) else span.stop) - i) * step - 1
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
        """The tile's picture lines; its placeholder while the picture is drawn in a thread."""
        key = tile.key
        lines = self._lines.get(key)
        if lines is None:
            lines = self._draw_picture(tile, None, self.tile_width, self.image_height)
            self._keep(key, lines)
            if self._data.get(key) is not None and key not in self._drawing:  # resized
                self._drawing.add(key)
                self.run_worker(self._draw(key), group="tiles", exit_on_error=False)
        return lines

    def _draw_picture(self, tile: Tile, data: bytes | None, w: int, h: int) -> list[list[Segment]]:
        """The picture's lines at `w`×`h` cells (its placeholder without `data`)."""
        cell = picture(
            data,
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
        return lines + [[Segment(" " * w)]] * (h - len(lines))

    def _keep(self, key: str, lines: list[list[Segment]]) -> None:
        if len(self._lines) > CACHED_TILES:  # a placeholder's lines go when its picture comes
            self._lines.clear()
        self._lines[key] = lines

    # ---- lazy loading ----------------------------------------------------------------------

    def view_range(self) -> tuple[int, int]:
        """Indexes of the first and last tile on screen, widened by MARGIN_BANDS rows."""
        grid = self._grid
        if not grid.count:
            return 0, -1
        first = max(0, grid.row_at(int(self.scroll_y)) - MARGIN_BANDS)
        last = grid.row_at(int(self.scroll_y) + max(1, self.size.height) - 1) + MARGIN_BANDS
        last = min(last, grid.rows - 1)
        return grid.tiles_of(first).start, grid.tiles_of(last).stop - 1

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
                    data: bytes | None = None
                    try:
                        data = await self.loader(key)
                    except Exception as exc:  # the tile keeps its placeholder
                        self.log.error(f"picture of {key}: {exc!r}")
                    await self._arrived(key, data)
        finally:
            self._pending.discard(key)

    async def _arrived(self, key: str, data: bytes | None) -> None:
        if len(self._data) > CACHED_PICTURES:  # the disk cache has them again, quickly
            lo, hi = self.view_range()
            near = set(keys_of(self.tiles)[max(0, lo) : hi + 1])
            self._data = {k: v for k, v in self._data.items() if k in near}
        self._data[key] = data
        if data is not None and key not in self._drawing:
            self._drawing.add(key)
            await self._draw(key)

    async def _draw(self, key: str) -> None:
        """Draw the picture of `key` (in `_drawing`) at the tile size in a thread, then show it:
        decoding and drawing cost milliseconds a picture, which would delay the next repaint
        (a key's) if done while painting."""
        try:
            index = self._index.get(key, -1)
            if not 0 <= index < len(self.tiles):
                return
            tile, w, h = self.tiles[index], self.tile_width, self.image_height
            lines = await asyncio.to_thread(self._draw_picture, tile, self._data.get(key), w, h)
        finally:
            self._drawing.discard(key)
        if (w, h) == (self.tile_width, self.image_height) and key in self._data:
            self._keep(key, lines)
            self._refresh_tile(index)
