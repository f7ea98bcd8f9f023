"""Image protocol choice and the small image renderables used in tables (faces, photo thumbnails).

`detect_protocol` runs before the app starts (textual-image queries the terminal at import time,
which is impossible once Textual owns it). Table cells are Rich renderables so that thousands of
rows stay virtualized: kitty (where the terminal draws Unicode placeholders) uses textual-image's
Terminal Graphics Protocol renderable, halfcell its half-block renderable; sixel cannot live
inside a line-based table, so cells fall back to halfcell (the large photo view uses the real
sixel widget). `none` draws initials on a colour.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Mapping
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

from ppl2album_tui.sync.schema import IMAGE_PROTOCOLS
from ppl2album_tui.tui.terminal import TerminalReport, kitty_placeholders, query_terminal

_PALETTE = (
    "#b5475b",
    "#4a7fb5",
    "#4f9d69",
    "#c2843a",
    "#8a5cb5",
    "#3a9ca3",
    "#b55c8f",
    "#7a8b3a",
)


def detect_protocol(requested: str, environ: Mapping[str, str] | None = None) -> str:
    """Resolve `requested` (one of IMAGE_PROTOCOLS) to kitty, sixel, halfcell or none.

    `TERM=dumb` and `NO_COLOR` force `none`; otherwise the terminal is asked (through
    textual-image, and `terminal.query_terminal` for kitty's placeholders) and `choose_protocol`
    decides.
    """
    env = os.environ if environ is None else environ
    if requested not in IMAGE_PROTOCOLS:
        raise ValueError(
            f"Unknown image protocol '{requested}': choose one of {', '.join(IMAGE_PROTOCOLS)}."
        )
    if env.get("TERM") == "dumb" or env.get("NO_COLOR") or requested == "none":
        return "none"
    try:
        # textual-image asks the terminal (cell size, sixel/kitty support) once and caches the
        # answers; this must happen now, as the terminal cannot be queried once Textual runs
        from textual_image import renderable
        from textual_image._terminal import get_cell_size

        get_cell_size()
    except Exception:
        return "halfcell"
    found = {
        renderable.TGPImage: "kitty",
        renderable.SixelImage: "sixel",
        renderable.HalfcellImage: "halfcell",
    }.get(renderable.Image, "none")
    # always asked, also as a fence: it reads every reply up to its own DA1 answer, so a late
    # answer to textual-image's queries (a loaded machine) is not typed into the app
    return choose_protocol(requested, found, query_terminal())


def choose_protocol(requested: str, found: str, report: TerminalReport) -> str:
    """The protocol to draw with: `requested`, or what textual-image `found` for `auto`.

    Kitty images are drawn as Unicode placeholders, so kitty becomes halfcell wherever the
    terminal would show them as empty boxes (kitty before 0.28, or a terminal that did not
    accept the placeholder probe).
    """
    chosen = found if requested == "auto" else requested
    if chosen == "kitty" and not kitty_placeholders(report):
        return "halfcell"
    return chosen


def initials(name: str) -> str:
    """Up to two initials of `name` ('?' for unnamed)."""
    parts = [p for p in name.replace("(", " ").replace(")", " ").split() if p[:1].isalnum()]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].title()
    return (parts[0][0] + parts[-1][0]).upper()


def colour_for(key: str) -> str:
    """A stable colour for `key` (a person or asset id)."""
    return _PALETTE[int(hashlib.md5(key.encode()).hexdigest(), 16) % len(_PALETTE)]


class InitialsBlock:
    """A coloured block with centred initials: the `none` protocol, and the placeholder."""

    def __init__(self, label: str, key: str, width: int, height: int, *, dim: bool = False) -> None:
        self.label = initials(label)
        self.style = Style(
            color="#f0f0f0", bgcolor="#3a3a3a" if dim else colour_for(key), bold=True
        )
        self.width = width
        self.height = height

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = min(self.width, options.max_width)
        mid = (self.height - 1) // 2
        for row in range(self.height):
            text = self.label if row == mid else ""
            yield Segment(text.center(width)[:width], self.style)
            yield Segment.line()


class PictureCell:
    """Image bytes at a fixed cell size, rendered once and replayed (tables re-render often)."""

    def __init__(
        self, data: bytes, protocol: str, width: int, height: int, label: str = "", key: str = ""
    ) -> None:
        self.protocol = protocol
        self.label, self.key = label, key
        self.width = width
        self.height = height
        self._renderable: Any = None
        self._lines: list[list[Segment]] | None = None
        from PIL import Image as PILImage

        opened = PILImage.open(io.BytesIO(data))
        opened.load()
        img = opened.convert("RGB")
        # pre-shrink: the renderable then scales a tiny image on every render
        img.thumbnail((width * 4, height * 8))
        self._image = img

    def _make(self) -> Any:
        if self.protocol == "kitty":
            from textual_image.renderable.tgp import Image as TGPImage

            return TGPImage(self._image, width=self.width, height=self.height)
        from textual_image.renderable.halfcell import Image as HalfcellImage

        return HalfcellImage(self._image, width=self.width, height=self.height)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self._lines is None:
            opts = options.update(width=self.width, height=self.height)
            try:
                if self._renderable is None:
                    self._renderable = self._make()
                self._lines = console.render_lines(self._renderable, opts, pad=True)
            except Exception:  # a terminal or image problem: never break the table over it
                block = InitialsBlock(self.label, self.key, self.width, self.height)
                self._lines = console.render_lines(block, opts, pad=True)
        for line in self._lines:
            yield from line
            yield Segment.line()


def picture(
    data: bytes | None, *, protocol: str, label: str, key: str, width: int, height: int
) -> InitialsBlock | PictureCell:
    """The cell for an image: the picture when there are bytes and images are on, else initials."""
    if data is None or protocol == "none":
        return InitialsBlock(label, key, width, height, dim=data is None and protocol != "none")
    try:
        return PictureCell(data, protocol, width, height, label, key)
    except Exception:  # undecodable bytes: never crash a table over one thumbnail
        return InitialsBlock(label, key, width, height)
