"""A virtualized table of photos: thumbnail, file name, date, people (and why, when filtered)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.tui.images import picture
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.lazy_table import LazyTable

THUMB_W = 6


def taken_text(asset: Asset) -> str:
    """'2024-06-01 14:02' or '—'."""
    return f"{asset.taken_at:%Y-%m-%d %H:%M}" if asset.taken_at else "—"


class AssetTable(LazyTable):
    """One row per asset; thumbnails load lazily through the disk cache."""

    row_height = 3

    def __init__(self, services: Services, *, with_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.with_reason = with_reason
        self.assets: dict[str, Asset] = {}
        self._thumbs: dict[str, Any] = {}

        self.columns = (
            ("thumb", "", THUMB_W),
            ("file", "File", 28),
            ("taken", "Taken", 16),
            ("people", "People", 30 if with_reason else 50),
        ) + ((("why", "Why", 30),) if with_reason else ())

    def show(
        self,
        assets: list[Asset],
        reasons: dict[str, str] | None = None,
        people: Mapping[str, list[str]] | None = None,
    ) -> None:
        """Replace the rows; `people`: asset id -> names (else the asset's own people ids)."""
        self.assets = {a.id: a for a in assets}

        def cells(key: str) -> list[Any]:
            asset = self.assets[key]
            kind = "▶ " if asset.type == "VIDEO" else ""
            row: list[Any] = [
                self._thumb(asset),
                Text(kind + asset.original_file_name, overflow="ellipsis", no_wrap=True),
                taken_text(asset),
                Text(", ".join(self._people(asset, people)), overflow="ellipsis", no_wrap=True),
            ]
            if self.with_reason:
                row.append(Text((reasons or {}).get(asset.id, ""), style="yellow"))
            return row

        self.fill([a.id for a in assets], cells)

    def _people(self, asset: Asset, names: Mapping[str, list[str]] | None) -> list[str]:
        if names and asset.id in names:
            return names[asset.id]
        return [self.services.person_name(p) for p in asset.people]

    def current_asset(self) -> Asset | None:
        """The asset under the cursor."""
        key = self.current_key()
        return self.assets.get(key) if key else None

    def _thumb(self, asset: Asset, data: bytes | None = None) -> Any:
        cell = self._thumbs.get(asset.id)
        if cell is None:
            cell = picture(
                data,
                protocol=self.services.image_protocol,
                label=asset.original_file_name.rsplit(".", 1)[0],
                key=asset.id,
                width=THUMB_W,
                height=self.row_height,
            )
        return cell

    def can_load(self) -> bool:
        return self.services.session is not None and self.services.image_protocol != "none"

    def needs_load(self, key: str) -> bool:
        return key not in self._thumbs

    async def load_row(self, key: str) -> None:
        session = self.services.session
        asset = self.assets.get(key)
        if session is None or asset is None:
            return
        data = await self.services.thumbs.asset(session.client, asset)
        self._thumbs[key] = self._thumb(asset, data)
        self.set_cell(key, "thumb", self._thumbs[key])
