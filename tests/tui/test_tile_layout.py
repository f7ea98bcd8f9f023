"""The thumbnail grid's pure parts: tiles made only when looked at, rows laid out from counts."""

from __future__ import annotations

from datetime import datetime

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.tui.widgets.asset_view import month_starts
from ppl2album_tui.tui.widgets.tile_layout import LazyTiles, Tile, group_starts, keys_of, layout


def test_lazy_tiles_make_only_the_tiles_asked_for_and_keep_them() -> None:
    made: list[str] = []

    def make(key: str) -> Tile:
        made.append(key)
        return Tile(key, key.upper())

    tiles = LazyTiles([f"k{i}" for i in range(100_000)], make)
    assert len(tiles) == 100_000 and not made
    assert keys_of(tiles)[-1] == "k99999" and not made  # the keys need no tile
    assert [t.label for t in tiles[10:13]] == ["K10", "K11", "K12"]
    assert tiles[-1].key == "k99999" and tiles[10] is tiles[10]
    assert made == ["k10", "k11", "k12", "k99999"]
    tiles[11] = Tile("k11", "marked", mark="✗")
    assert tiles[11].mark == "✗" and made[-1] == "k99999"


def test_group_starts_and_month_starts() -> None:
    assert group_starts(["a", "a", "b", "b", "b", "a", "", ""]) == [0, 2, 5]
    assert group_starts(["", ""]) == []
    day = [datetime(2024, m, d) for m, d in ((6, 30), (6, 1), (5, 31), (5, 2), (4, 1))]
    assets = [Asset(f"a{i}", taken_at=t) for i, t in enumerate(day)] + [Asset("x")]
    assert month_starts(assets) == [0, 2, 4, 5]  # June, May, April, then the one with no date


def test_layout_places_rows_and_their_header_lines() -> None:
    # 10 tiles in rows of 4, 3 lines a tile; groups begin at tiles 0, 2 (row 0) and 9 (row 2)
    grid = layout(10, 4, 3, [0, 2, 9])
    assert (grid.rows, grid.header_rows, grid.height) == (3, [0, 2], 3 * 3 + 2)
    assert [grid.row_y(r) for r in range(3)] == [0, 4, 7]
    assert [grid.has_header(r) for r in range(3)] == [True, False, True]
    # every line falls in the row that covers it, before the first and past the end too
    assert [grid.row_at(y) for y in range(-1, 13)] == [-1] + [0] * 4 + [1] * 3 + [2] * 6
    assert list(grid.tiles_of(2)) == [8, 9]
    assert grid.starts_in(0) == [0, 2] and grid.starts_in(1) == [] and grid.starts_in(2) == [9]
    assert grid.row_of(9) == 2
    empty = layout(0, 6, 10, [])
    assert (empty.rows, empty.height, empty.row_at(0)) == (0, 0, -1)


def test_layout_of_100000_tiles_is_cheap_and_exact_at_the_end() -> None:
    starts = list(range(0, 100_000, 250))  # a month every 250 photos
    grid = layout(100_000, 6, 10, starts)
    last = grid.rows - 1
    assert grid.tiles_of(last) == range(99_996, 100_000)
    assert grid.row_at(grid.height - 1) == last and grid.row_y(last) < grid.height
    assert len(grid.header_rows) == len(starts)
