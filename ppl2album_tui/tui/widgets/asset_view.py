"""One preview section's photos: a thumbnail grid under month headers, or (`v`) the list.

`AssetView` has AssetTable's calls (`show`, `current_asset`), so a screen swaps one for the other;
the tile's state mark comes from the section (`state`), and the line under the grid tells the
file, date, people and (filtered) why, for the tile under the cursor. Showing 100,000 photos
costs a pass over their dates (the month headers): tiles are made when drawn, and the list is
filled only when it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.asset_table import AssetTable, taken_text
from ppl2album_tui.tui.widgets.grid_or_list import GridOrList
from ppl2album_tui.tui.widgets.thumb_grid import ThumbGrid
from ppl2album_tui.tui.widgets.tile_layout import LazyTiles, Tile, group_starts

# preview section -> (mark, its style, drawn muted)
STATE_MARKS = {
    "to_add": ("+", "bold green", False),
    "already": ("✓", "bold cyan", False),
    "filtered": ("!", "bold yellow", True),
    "vetoed": ("✗", "bold red", True),
    "removed_by_hand": ("↩", "bold magenta", True),
    "to_remove": ("−", "bold red", False),
}


def month_of(asset: Asset) -> str:
    """'June 2024' (the tile's header), or 'No date'."""
    return f"{asset.taken_at:%B %Y}" if asset.taken_at else "No date"


def month_starts(assets: list[Asset]) -> list[int]:
    """The indexes where a new month begins (the grid's headers), without formatting a date."""
    return group_starts(
        (t.year * 12 + t.month) if (t := a.taken_at) is not None else -1 for a in assets
    )


# preview section -> how the large view words the photo's place
STATE_WORDS = {
    "to_add": "to add",
    "already": "in the album",
    "filtered": "filtered",
    "vetoed": "vetoed",
    "removed_by_hand": "removed by hand",
    "to_remove": "to remove",
}


def video_length(asset: Asset) -> str:
    """'0:42' or '1:02:03' for a video whose duration the server sent, else ''."""
    value = asset.duration
    if isinstance(value, str):  # older servers: "0:00:42.000000"
        h, _, ms = value.partition(":")
        m, _, sec = ms.partition(":")
        try:
            seconds = int(h or 0) * 3600 + int(m or 0) * 60 + float(sec or 0)
        except ValueError:
            return ""
    elif value:
        seconds = value / 1000
    else:
        return ""
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def video_badge(asset: Asset) -> str:
    """'▶ 0:42' for a video ('▶' when its length is unknown), '' for a photo."""
    if asset.type != "VIDEO":
        return ""
    length = video_length(asset)
    return f"▶ {length}" if length else "▶"


class AssetView(GridOrList):
    """A section's photos as a grid (default) or a list; `v` switches and keeps the cursor."""

    DEFAULT_CSS = """
    AssetView { height: 1fr; }
    AssetView > .asset-view--status { height: 1; padding-left: 1; color: $text-muted; }
    """

    def __init__(
        self, services: Services, *, state: str, with_reason: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.state = state
        self.assets: dict[str, Asset] = {}
        self.reasons: dict[str, str] = {}
        self.names: Mapping[str, list[str]] = {}
        self._with_reason = with_reason
        self._listed: list[Asset] | None = []  # None: the list is filled

    def compose(self) -> ComposeResult:
        yield ThumbGrid(
            loader=self._picture,
            protocol=self.services.image_protocol,
            classes="asset-view--grid",
        )
        yield AssetTable(self.services, with_reason=self._with_reason, classes="asset-view--list")
        yield Static("", classes="asset-view--status")

    @property
    def table(self) -> AssetTable:
        return self.query_one(AssetTable)

    def show(
        self,
        assets: list[Asset],
        reasons: dict[str, str] | None = None,
        people: Mapping[str, list[str]] | None = None,
    ) -> None:
        """Replace the photos (as AssetTable.show)."""
        self.assets = {a.id: a for a in assets}
        self.reasons = reasons or {}
        self.names = people or {}
        self.grid.show(LazyTiles([a.id for a in assets], self._tile), month_starts(assets))
        self._listed = assets
        if self.table.display:
            self._fill_list()
        self._status(self.current_asset())

    def _tile(self, key: str) -> Tile:
        asset = self.assets[key]
        mark, style, dim = STATE_MARKS.get(self.state, ("", "", False))
        return Tile(
            key,
            asset.original_file_name,
            group=month_of(asset),
            mark=mark,
            mark_style=style,
            badge=video_badge(asset),
            dim=dim,
        )

    def _fill_list(self) -> None:
        if self._listed is not None:
            self.table.show(self._listed, self.reasons, self.names)
            self._listed = None

    def current_asset(self) -> Asset | None:
        """The photo under the cursor, in the grid or the list."""
        key = self.current_key()
        return self.assets.get(key) if key else None

    def people_of(self, asset: Asset) -> list[str]:
        """The names of the people in `asset`."""
        return self.names.get(asset.id) or [self.services.person_name(p) for p in asset.people]

    def set_mode(self, grid: bool) -> None:
        """Show the grid (with the line about the photo under it) or the list."""
        if not grid:
            self._fill_list()
        super().set_mode(grid)
        self.query_one(".asset-view--status").display = grid

    async def _picture(self, key: str) -> bytes | None:
        session, asset = self.services.session, self.assets.get(key)
        if session is None or asset is None:
            return None
        return await self.services.thumbs.asset(session.client, asset)

    @on(ThumbGrid.Highlighted)
    def _highlighted(self, event: ThumbGrid.Highlighted) -> None:
        self._status(self.assets.get(event.key))

    def _status(self, asset: Asset | None) -> None:
        status = self.query_one(".asset-view--status", Static)
        if asset is None:
            status.update("", layout=False)
            return
        text = Text.assemble(
            (asset.original_file_name, "bold"),
            f" · {taken_text(asset)} · {', '.join(self.people_of(asset))}",
        )
        if length := video_length(asset):
            text.append(f" · ▶ {length}")
        if why := self.reasons.get(asset.id):
            text.append(f" · {why}", style="yellow")
        status.update(text, layout=False)  # one line, whatever it says
