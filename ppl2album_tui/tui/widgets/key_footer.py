"""The footer: the focused widget's keys on one line, each clickable, the palette key on the right.

Textual's Footer builds a widget per key and rebuilds them all whenever the bindings change (two
or three times per tab switch: about a third of a tab switch's CPU); this is one widget that
redraws its line only when the keys it shows change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


class FooterItem(NamedTuple):
    """One key as the footer shows it."""

    key: str  # what simulate_key presses
    display: str  # how the key is written
    description: str
    enabled: bool
    tooltip: str


class KeyFooter(Widget, can_focus=False):
    """The keys of the focused widget and its ancestors (Binding.show), as Textual's Footer."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-footer--key", "key-footer--description"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[FooterItem] = []
        self.palette: FooterItem | None = None
        self._spans: list[tuple[int, int, FooterItem]] = []  # x range of each item, as drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        app = self.app
        active = screen.active_bindings
        items, seen = [], set()
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in seen:  # one item per action
                seen.add(binding.action)
                display = app.get_key_display(binding)
                items.append(
                    FooterItem(binding.key, display, binding.description, enabled, tooltip)
                )
        palette = None
        if app.ENABLE_COMMAND_PALETTE and (found := active.get(app.COMMAND_PALETTE_BINDING)):
            _, binding, enabled, _ = found
            tip = binding.tooltip or binding.description
            palette = FooterItem(
                binding.key, app.get_key_display(binding), binding.description, enabled, tip
            )
        if (items, palette) != (self.items, self.palette):
            self.items, self.palette = items, palette
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        line, spans = Text(no_wrap=True, overflow="crop"), []

        def add(item: FooterItem) -> None:
            start = line.cell_len
            line.append(f" {item.display} ", key_style)
            line.append(f"{item.description} ", description_style)
            if not item.enabled:
                line.stylize("dim", start)
            spans.append((start, line.cell_len, item))

        for item in self.items:
            add(item)
        if self.palette is not None:  # on the right, over the keys that do not fit
            room = self.size.width - len(self.palette.display) - len(self.palette.description) - 4
            line.truncate(max(0, room))
            spans = [(start, min(end, room), item) for start, end, item in spans if start < room]
            line.pad_right(room - line.cell_len)
            line.append("▏", "dim")
            add(self.palette)
        self._spans = spans
        return line

    def item_at(self, x: int) -> FooterItem | None:
        """The key drawn at column `x`."""
        return next((item for start, end, item in self._spans if start <= x < end), None)

    def offset_of(self, key: str) -> tuple[int, int]:
        """Where `key` is drawn (for a click), relative to the footer."""
        return next((start + 1, 0) for start, _, item in self._spans if item.key == key)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self.item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self.item_at(event.x)
        self.tooltip = (item.tooltip or item.description) if item is not None else None

    def on_leave(self) -> None:
        self.tooltip = None
