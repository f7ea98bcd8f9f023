"""A DataTable whose rows load extra data (images, counts) only when on or near the screen.

DataTable renders only the visible lines, so thousands of rows stay cheap. Loads start for rows
in view plus a margin, run at most `CONCURRENCY` at a time, and are re-checked when their turn
comes: rows scrolled far away meanwhile are skipped (and asked for again when they come back).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

CONCURRENCY = 6
MARGIN_ROWS = 6


class LazyTable(DataTable[Any]):
    """Rows of equal height `row_height`, keyed by string ids."""

    row_height = 1
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self.keys: list[str] = []
        self._index: dict[str, int] = {}
        self._pending: set[str] = set()
        self._sem = asyncio.Semaphore(CONCURRENCY)

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", lambda: self.request_visible(), init=False)

    def on_resize(self) -> None:
        self.request_visible()

    def fill(self, rows: list[tuple[str, list[Any]]]) -> None:
        """Replace all rows by `(key, cells)`; the cursor stays on the same key when possible."""
        current = self.current_key()
        self.clear()
        self.keys = [key for key, _ in rows]
        self._index = {key: i for i, key in enumerate(self.keys)}
        for key, cells in rows:
            self.add_row(*cells, height=self.row_height, key=key)
        if current in self._index:
            self.move_cursor(row=self._index[current])
        self.call_after_refresh(self.request_visible)

    def current_key(self) -> str | None:
        """The key of the row under the cursor."""
        if not self.keys or not 0 <= self.cursor_row < len(self.keys):
            return None
        return self.keys[self.cursor_row]

    def set_cell(self, key: str, column: str, value: Any) -> None:
        """Update a cell if its row is still shown."""
        if key in self._index:
            with contextlib.suppress(Exception):  # the row went away with a new fill
                self.update_cell(key, column, value)

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
