"""The thumbnail grid's pure parts: tiles made when first looked at, and rows laid out from counts.

A grid of 100,000 photos must not build 100,000 tiles, nor look at each to lay out its rows:
`LazyTiles` makes a tile from its key when it is first drawn (or read), and `layout` places the
rows from the number of tiles, the columns and the indexes where a group (a month) begins, in
time proportional to the rows and groups. `group_starts` finds those indexes in one cheap pass.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import overload


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


class LazyTiles(Sequence[Tile]):
    """The tiles of `keys`, each made by `make(key)` when first asked for and then kept."""

    def __init__(self, keys: Sequence[str], make: Callable[[str], Tile]) -> None:
        self.keys = keys
        self._make = make
        self._made: dict[int, Tile] = {}

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Tile: ...
    @overload
    def __getitem__(self, index: slice) -> list[Tile]: ...
    def __getitem__(self, index: int | slice) -> Tile | list[Tile]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.keys)))]
        if index < 0:
            index += len(self.keys)
        tile = self._made.get(index)
        if tile is None:
            tile = self._made[index] = self._make(self.keys[index])  # IndexError past the end
        return tile

    def __setitem__(self, index: int, tile: Tile) -> None:
        self._made[index] = tile


def keys_of(tiles: Sequence[Tile]) -> Sequence[str]:
    """The tiles' keys, without making lazy tiles."""
    return tiles.keys if isinstance(tiles, LazyTiles) else [t.key for t in tiles]


def group_starts(groups: Iterable[Hashable]) -> list[int]:
    """The indexes where the group changes (0 first, when there is one); a falsy group (no group)
    starts nothing."""
    starts: list[int] = []
    previous: Hashable = None
    for i, group in enumerate(groups):
        if group != previous and group:
            starts.append(i)
        previous = group
    return starts


@dataclass(frozen=True, slots=True)
class Layout:
    """Rows of `columns` tiles, `tile_height` lines each plus a header line over each row in
    which a group begins (`header_rows`, sorted)."""

    count: int
    columns: int
    tile_height: int
    header_rows: list[int]
    starts: list[int]  # tile indexes where a group begins

    @property
    def rows(self) -> int:
        return -(-self.count // self.columns)

    @property
    def height(self) -> int:
        """Lines of the whole grid."""
        return self.rows * self.tile_height + len(self.header_rows)

    def row_of(self, index: int) -> int:
        """The row of tile `index`."""
        return index // self.columns

    def has_header(self, row: int) -> bool:
        i = bisect_left(self.header_rows, row)
        return i < len(self.header_rows) and self.header_rows[i] == row

    def row_y(self, row: int) -> int:
        """The first line of `row` (its header line, when it has one)."""
        return row * self.tile_height + bisect_left(self.header_rows, row)

    def row_at(self, y: int) -> int:
        """The row line `y` falls in (-1 above the first, the last row below the end)."""
        if y < 0 or not self.count:
            return -1
        lo, hi = 0, self.rows - 1  # the last row whose first line is at or above y
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.row_y(mid) <= y:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def tiles_of(self, row: int) -> range:
        """The tile indexes in `row`."""
        start = row * self.columns
        return range(start, min(start + self.columns, self.count))

    def starts_in(self, row: int) -> list[int]:
        """The tile indexes in `row` where a group begins."""
        span, starts = self.tiles_of(row), self.starts
        return starts[bisect_left(starts, span.start) : bisect_right(starts, span.stop - 1)]


def layout(count: int, columns: int, tile_height: int, starts: Sequence[int]) -> Layout:
    """Lay out `count` tiles in rows of `columns`; a row gets a header line when a group begins
    in it (`starts`: sorted tile indexes)."""
    columns = max(1, columns)
    header_rows = sorted({s // columns for s in starts if 0 <= s < count})
    return Layout(count, columns, tile_height, header_rows, list(starts))
