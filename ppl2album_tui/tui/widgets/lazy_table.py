"""A virtual list of equal-height rows whose extra data (images, counts) loads only near the screen.

Only the lines on screen are rendered (Textual's line API), and a row is rendered once and cached
until one of its cells changes, so 2,000 people cost a list of keys, not 2,000 table rows or
widgets: filling, scrolling and jumping to the end stay constant-time. Loads start for the rows
in view plus a margin, run at most `CONCURRENCY` at a time, and are re-checked when their turn
comes: rows scrolled far away meanwhile are skipped (and asked for again when they come back).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

CONCURRENCY = 6
MARGIN_ROWS = 6
GAP = 1  # blank cells between columns


class LazyTable(ScrollView, can_focus=True):
    """Rows of `row_height` lines keyed by string ids; a fixed header line; a row cursor."""

    row_height = 1
    columns: tuple[tuple[str, str, int], ...] = ()  # (key, label, width)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"lazy-table--cursor", "lazy-table--header"}
    DEFAULT_CSS = """
    LazyTable { height: 1fr; background: $surface; padding-left: 1; }
    LazyTable > .lazy-table--header { text-style: bold; color: $text-muted; }
    LazyTable > .lazy-table--cursor { background: $surface-lighten-2; }
    LazyTable:focus > .lazy-table--cursor { background: $accent 45%; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class RowSelected(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, table: LazyTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> LazyTable:
            return self.table

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys: list[str] = []
        self._cells: dict[str, list[Any]] = {}
        self._index: dict[str, int] = {}
        self._strips: dict[tuple[str, bool, bool], list[Strip]] = {}
        self._cells_factory: Callable[[str], list[Any]] = lambda key: []
        self._styles: dict[str, Style] = {}  # component styles, looked up once per style change
        self._pending: set[str] = set()
        self._sem = asyncio.Semaphore(CONCURRENCY)

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", lambda: self.request_visible(), init=False)

    def on_resize(self) -> None:
        self._strips.clear()
        self._update_virtual_size()
        self.request_visible()

    # ---- rows ------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.keys)

    def fill(self, keys: list[str], make_cells: Callable[[str], list[Any]]) -> None:
        """Replace all rows; a row's cells are made by `make_cells(key)` when first drawn.

        The cursor stays on the same key when possible.
        """
        current = self.current_key()
        self.keys = list(keys)
        self._cells_factory = make_cells
        self._cells = {}
        self._index = {key: i for i, key in enumerate(self.keys)}
        self._strips.clear()
        self._update_virtual_size()
        row = self._index.get(current, 0) if current is not None else 0
        self.cursor_row = min(row, max(0, len(self.keys) - 1))
        self.refresh()
        self.call_after_refresh(self.request_visible)

    def _update_virtual_size(self) -> None:
        width = sum(w for _, _, w in self.columns) + GAP * len(self.columns)
        self.virtual_size = Size(width, len(self.keys) * self.row_height + 1)

    def current_key(self) -> str | None:
        """The key of the row under the cursor."""
        if not self.keys or not 0 <= self.cursor_row < len(self.keys):
            return None
        return self.keys[self.cursor_row]

    def move_cursor(self, *, row: int) -> None:
        """Put the cursor on row `row` and scroll it into view."""
        self.cursor_row = max(0, min(row, len(self.keys) - 1))

    def set_cell(self, key: str, column: str, value: Any) -> None:
        """Update a cell if its row is still shown."""
        if key not in self._index:
            return
        cells = self._cells_of(key)
        cells[[c for c, _, _ in self.columns].index(column)] = value
        for cursor in (False, True):
            for focused in (False, True):
                self._strips.pop((key, cursor, focused), None)
        if self.near_view(key):
            self.refresh()

    def _cells_of(self, key: str) -> list[Any]:
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells[key] = list(self._cells_factory(key))
        return cells

    # ---- cursor ------------------------------------------------------------------------------

    def watch_cursor_row(self, row: int) -> None:
        h = self.row_height
        visible = max(1, self.size.height - 1)
        top = row * h
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + h > self.scroll_y + visible:
            self.scroll_to(y=top + h - visible, animate=False)
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        """Move the cursor by `delta` rows."""
        self.move_cursor(row=self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        """Move the cursor by a screenful."""
        rows = max(1, (self.size.height - 1) // self.row_height)
        self.move_cursor(row=self.cursor_row + direction * rows)

    def action_scroll_top(self) -> None:
        """First row."""
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        """Last row."""
        self.move_cursor(row=len(self.keys) - 1)

    def action_select(self) -> None:
        """Tell the parent the row under the cursor was chosen."""
        key = self.current_key()
        if key is not None:
            self.post_message(self.RowSelected(self, key))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        row = (int(self.scroll_y) + event.y - 1) // self.row_height
        if 0 <= row < len(self.keys):
            self.move_cursor(row=row)
            if event.chain >= 2:
                self.action_select()

    def on_focus(self) -> None:
        self._styles.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._styles.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            base = self._styles.get("") or self.rich_style
            self._styles[""] = base
            style = self._styles[name] = (
                base + self.get_component_rich_style(name) if name else base
            )
        return style

    # ---- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._header(width)
        line = int(self.scroll_y) + y - 1
        index, sub = divmod(line, self.row_height)
        if index >= len(self.keys):
            return Strip.blank(width, self._style(""))
        strips = self._row(index)
        return strips[sub].extend_cell_length(width, self._style("")).crop(0, width)

    def _header(self, width: int) -> Strip:
        style = self._style("lazy-table--header")
        segments: list[Segment] = []
        for _, label, w in self.columns:
            segments.append(Segment(label[:w].ljust(w) + " " * GAP, style))
        return Strip(segments).extend_cell_length(width, style).crop(0, width)

    def _row(self, index: int) -> list[Strip]:
        key = self.keys[index]
        cursor = index == self.cursor_row
        cache_key = (key, cursor, self.has_focus)
        strips = self._strips.get(cache_key)
        if strips is None:
            strips = self._render_row(key, cursor)
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[cache_key] = strips
        return strips

    def _render_row(self, key: str, cursor: bool) -> list[Strip]:
        console = self.app.console
        base = self._style("lazy-table--cursor" if cursor else "")
        h = self.row_height
        lines: list[list[Segment]] = [[] for _ in range(h)]
        gap = Segment(" " * GAP, base)
        for (_, _, w), cell in zip(self.columns, self._cells_of(key), strict=False):
            renderable: RenderableType = cell if cell is not None else Text("")
            options = console.options.update(width=w, height=h, no_wrap=False)
            rendered = console.render_lines(renderable, options, style=base, pad=True)
            for i in range(h):
                part = rendered[i] if i < len(rendered) else [Segment(" " * w, base)]
                lines[i].extend(Segment.adjust_line_length(part, w, style=base))
                lines[i].append(gap)
        return [Strip(line) for line in lines]

    # ---- lazy loading ----------------------------------------------------------------------

    def view_range(self) -> tuple[int, int]:
        """Row indexes on screen, widened by the margin."""
        first = max(0, int(self.scroll_y) // self.row_height)
        last = first + max(1, self.size.height // self.row_height) + 1
        return first - MARGIN_ROWS, last + MARGIN_ROWS

    def near_view(self, key: str) -> bool:
        """True when row `key` is on or near the screen."""
        index = self._index.get(key)
        if index is None:
            return False
        lo, hi = self.view_range()
        return lo <= index <= hi

    def request_visible(self) -> None:
        """Start the loads of rows on or near the screen."""
        if not self.keys or not self.can_load():
            return
        lo, hi = self.view_range()
        for key in self.keys[max(0, lo) : hi + 1]:
            if key in self._pending or not self.needs_load(key):
                continue
            self._pending.add(key)
            self.run_worker(self._load(key), group="rows", exit_on_error=False)

    async def _load(self, key: str) -> None:
        try:
            async with self._sem:
                if self.near_view(key):
                    await self.load_row(key)
        finally:
            self._pending.discard(key)

    # ---- for subclasses ----------------------------------------------------------------------

    def can_load(self) -> bool:
        """False while loads make no sense (not connected)."""
        return True

    def needs_load(self, key: str) -> bool:
        """True when row `key` still lacks data."""
        return False

    async def load_row(self, key: str) -> None:
        """Fetch row `key`'s data and update its cells."""
