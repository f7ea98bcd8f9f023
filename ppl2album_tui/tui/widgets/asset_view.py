"""One preview section's photos: a thumbnail grid under month headers, or (`v`) the list.

`AssetView` has AssetTable's calls (`show`, `current_asset`), so a screen swaps one for the other;
the tile's state mark comes from the section (`state`), and the line under the grid tells the
file, date, people and (filtered) why, for the tile under the cursor.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.asset_table import AssetTable, taken_text
from ppl2album_tui.tui.widgets.thumb_grid import ThumbGrid, Tile

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


def video_badge(asset: Asset) -> str:
    """'▶ 0:42' for a video (its duration when the server sent one), '' for a photo."""
    if asset.type != "VIDEO":
        return ""
    duration = str(getattr(asset, "duration", "") or "")  # Immich: "0:00:42.000000"
    hms = duration.split(".")[0].lstrip("0:") if duration else ""
    return f"▶ {hms if ':' in hms else '0:' + hms.zfill(2)}" if hms else "▶"


class AssetView(Vertical):
    """A section's photos as a grid (default) or a list; `v` switches and keeps the cursor."""

    grid_first: ClassVar[bool] = True  # how a section opens
    BINDINGS: ClassVar[list[BindingType]] = [Binding("v", "toggle_view", "Grid/list")]
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
        self.names: dict[str, list[str]] = {}
        self._with_reason = with_reason

    def compose(self) -> ComposeResult:
        yield ThumbGrid(loader=self._picture, classes="asset-view--grid")
        yield AssetTable(self.services, with_reason=self._with_reason, classes="asset-view--list")
        yield Static("", classes="asset-view--status")

    @property
    def grid(self) -> ThumbGrid:
        return self.query_one(ThumbGrid)

    @property
    def table(self) -> AssetTable:
        return self.query_one(AssetTable)

    def focus(self, scroll_visible: bool = True) -> AssetView:
        """Focus the grid or the list, whichever is shown."""
        (self.grid if self.grid.display else self.table).focus(scroll_visible)
        return self

    def on_mount(self) -> None:
        self.grid.protocol = self.services.image_protocol
        self._set_mode(AssetView.grid_first)

    def show(
        self,
        assets: list[Asset],
        reasons: dict[str, str] | None = None,
        people: dict[str, list[str]] | None = None,
    ) -> None:
        """Replace the photos (as AssetTable.show)."""
        self.assets = {a.id: a for a in assets}
        self.reasons = reasons or {}
        self.names = people or {}
        mark, style, dim = STATE_MARKS.get(self.state, ("", "", False))
        self.grid.show(
            [
                Tile(
                    a.id,
                    a.original_file_name,
                    group=month_of(a),
                    mark=mark,
                    mark_style=style,
                    badge=video_badge(a),
                    dim=dim,
                )
                for a in assets
            ]
        )
        self.table.show(assets, reasons, people)
        self._status(self.current_asset())

    def current_asset(self) -> Asset | None:
        """The photo under the cursor, in the grid or the list."""
        if self.grid.display:
            key = self.grid.current_key()
            return self.assets.get(key) if key else None
        return self.table.current_asset()

    def action_toggle_view(self) -> None:
        """Grid ↔ list, on the same photo."""
        asset = self.current_asset()
        self._set_mode(not self.grid.display)
        if asset is not None:
            if self.grid.display:
                self.grid.move_to(asset.id)
            elif asset.id in self.table.keys:
                self.table.move_cursor(row=self.table.keys.index(asset.id))
        self.focus()

    def _set_mode(self, grid: bool) -> None:
        self.grid.display = grid
        self.table.display = not grid
        if grid:
            self.grid.call_after_refresh(self.grid.request_visible)
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
        if asset is None:
            self.query_one(".asset-view--status", Static).update("")
            return
        names = self.names.get(asset.id) or [self.services.person_name(p) for p in asset.people]
        text = Text.assemble(
            (asset.original_file_name, "bold"), f" · {taken_text(asset)} · {', '.join(names)}"
        )
        if why := self.reasons.get(asset.id):
            text.append(f" · {why}", style="yellow")
        self.query_one(".asset-view--status", Static).update(text)
