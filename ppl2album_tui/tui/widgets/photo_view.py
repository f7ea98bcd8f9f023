"""The large view's picture: the photo fitted to the space, its aspect kept, drawn at once.

It shows the tile's thumbnail first (the disk cache has it: no wait, even while the grid's loads
keep the server busy), then for kitty and sixel the preview-size JPEG, which half blocks do not
need. Half blocks and kitty draw through `images.PictureCell` on a picture shrunk once to the
cell size; sixel uses `SixelPicture` (sent again after every repaint of its cells), at most
`SIXEL_MAX_PIXELS` a side: xterm drops a larger sixel image whole (its default `maxGraphicSize` is
1000x1000), which left it blank.
"""

from __future__ import annotations

import io
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Asset
from ppl2album_tui.tui.images import PictureCell
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.sixel_picture import SixelPicture

SIXEL_MAX_PIXELS = 1000
LARGE_PIXELS = 1600  # a picture is shrunk to this long side before it is drawn


def fit_cells(
    image: tuple[int, int], room: tuple[int, int], cell: tuple[int, int], max_pixels: int = 0
) -> tuple[int, int]:
    """The cells (width, height) that show an `image` of (w, h) pixels as large as fits in `room`
    cells of `cell` pixels, its aspect kept (and no side over `max_pixels`, when given)."""
    (iw, ih), (cols, rows), (cw, ch) = image, room, cell
    box_w, box_h = cols * cw, rows * ch
    if max_pixels:
        box_w, box_h = min(box_w, max_pixels), min(box_h, max_pixels)
    scale = min(box_w / max(1, iw), box_h / max(1, ih))
    return max(1, min(cols, int(iw * scale / cw))), max(1, min(rows, int(ih * scale / ch)))


def cell_pixels() -> tuple[int, int]:
    """The terminal's cell size in pixels (textual-image asked it before the app started)."""
    from textual_image._terminal import get_cell_size

    size = get_cell_size()
    return size.width, size.height


class PhotoView(Widget):
    """An asset's picture, centred and fitted; `data` is what is shown now.

    Its children stay (a note, the picture widget) and only their content and size change: a
    mount or removal racing a resize could hang the screen.
    """

    DEFAULT_CSS = """
    PhotoView { height: 1fr; width: 100%; align: center middle; }
    PhotoView #photo-note { width: auto; height: auto; }
    PhotoView #photo-image { display: none; }
    """

    def __init__(self, services: Services, asset: Asset, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.asset = asset
        self.sixel = services.image_protocol == "sixel"
        self.data: bytes | None = None
        self._image: Any = None  # the decoded picture (PIL), shrunk to LARGE_PIXELS
        self._placed: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…", style="dim"), id="photo-note")
        if self.sixel:
            yield SixelPicture(id="photo-image")
        else:
            yield Static("", id="photo-image")

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="photo")
    async def load(self) -> None:
        """The cached thumbnail now, the preview-size picture next (kitty, sixel)."""
        session, protocol = self.services.session, self.services.image_protocol
        if protocol == "none":
            self._note(Text("Images are off (--image-protocol none).", style="dim"))
            return
        if session is None:
            return
        try:
            small = await self.services.thumbs.asset(session.client, self.asset)
            if small is not None:
                self.show(small)
            if protocol in ("kitty", "sixel"):
                large = await session.client.asset_thumbnail(self.asset.id, "preview")
                self.show(large.data)
        except ImmichError as exc:
            if self.data is None:
                self._note(Text(str(exc), style="red"))

    def show(self, data: bytes) -> None:
        """Draw the picture in `data` (undecodable bytes leave what is shown)."""
        from PIL import Image as PILImage

        try:
            opened = PILImage.open(io.BytesIO(data))
            opened.load()
            image = opened.convert("RGB")
        except Exception:  # not an image: keep the note or the smaller picture
            if self.data is None:
                self._note(Text("This photo's picture cannot be shown.", style="red"))
            return
        image.thumbnail((LARGE_PIXELS, LARGE_PIXELS))
        self.data, self._image, self._placed = data, image, None
        self._place()

    def on_resize(self) -> None:
        self._place()

    def _note(self, text: Text) -> None:
        self.query_one("#photo-note", Static).update(text)

    def _place(self) -> None:
        """Draw the picture at the size that fits now."""
        if self._image is None or not self.size.area:
            return
        width, height = fit_cells(
            self._image.size,
            (self.size.width, self.size.height),
            cell_pixels(),
            SIXEL_MAX_PIXELS if self.sixel else 0,
        )
        if self._placed == (width, height):
            return
        self._placed = (width, height)
        widget: Widget
        if self.sixel:
            widget = self.query_one("#photo-image", SixelPicture)
            widget.show(self._image, (width, height), cell_pixels())
        else:
            assert self.data is not None
            protocol = "kitty" if self.services.image_protocol == "kitty" else "halfcell"
            label = self.asset.original_file_name
            widget = self.query_one("#photo-image", Static)
            widget.update(PictureCell(self.data, protocol, width, height, label))
            widget.styles.width, widget.styles.height = width, height
        widget.display = True
        self.query_one("#photo-note").display = False
