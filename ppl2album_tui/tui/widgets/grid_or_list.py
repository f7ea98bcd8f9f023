"""A ThumbGrid and a LazyTable over the same keys, one shown at a time; `v` switches, on one key.

The base of the Preview's sections (AssetView) and the People tab's faces (PeopleView): subclasses
compose a ThumbGrid and a LazyTable and may refresh the grid's tiles when it comes back
(`grid_shown`).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from ppl2album_tui.tui.widgets.lazy_table import LazyTable
from ppl2album_tui.tui.widgets.thumb_grid import ThumbGrid
from ppl2album_tui.tui.widgets.tile_layout import keys_of


class GridOrList(Vertical):
    """A grid (or list) of keyed items; `v` toggles between the two, the cursor kept."""

    grid_first: ClassVar[bool] = True  # how the view opens
    BINDINGS: ClassVar[list[BindingType]] = [Binding("v", "toggle_view", "Grid/list")]

    @property
    def grid(self) -> ThumbGrid:
        return self.query_one(ThumbGrid)

    @property
    def table(self) -> LazyTable:
        return self.query_one(LazyTable)

    @property
    def shown(self) -> ThumbGrid | LazyTable:
        """The grid or the list, whichever is shown (the one that takes the focus)."""
        return self.grid if self.grid.display else self.table

    def on_mount(self) -> None:
        self.set_mode(type(self).grid_first)

    def current_key(self) -> str | None:
        """The key under the cursor, in the grid or the list."""
        return self.shown.current_key()

    def move_to(self, key: str) -> None:
        """Put the cursor on `key`, in the grid or the list."""
        if self.grid.display:
            self.grid.move_to(key)
        elif key in self.table.keys:
            self.table.move_cursor(row=self.table.keys.index(key))

    def step(self, delta: int) -> str | None:
        """Move the cursor `delta` items on, in the order shown; the key there (None past an end,
        the cursor left where it was)."""
        if self.grid.display:
            keys, index = keys_of(self.grid.tiles), self.grid.cursor
        else:
            keys, index = self.table.keys, self.table.cursor_row
        if not keys or not 0 <= index + delta < len(keys):
            return None
        self.move_to(keys[index + delta])
        return keys[index + delta]

    def focus(self, scroll_visible: bool = True) -> GridOrList:
        """Focus the grid or the list, whichever is shown."""
        self.shown.focus(scroll_visible)
        return self

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is self.table and self.grid.display:  # e.g. a tab's focus target
            self.grid.focus()

    def action_toggle_view(self) -> None:
        """Grid ↔ list, on the same item."""
        key = self.current_key()
        self.set_mode(not self.grid.display)
        if key is not None:
            self.move_to(key)
        self.focus()

    def set_mode(self, grid: bool) -> None:
        """Show the grid (True) or the list."""
        self.grid.display = grid
        self.table.display = not grid
        if grid:
            self.grid_shown()
            self.grid.call_after_refresh(self.grid.request_visible)

    def grid_shown(self) -> None:
        """The grid was shown again: bring its tiles up to date (for subclasses)."""
