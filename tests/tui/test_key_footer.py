"""The footer (tui/widgets/key_footer.py) on a small app of its own: what it shows, what a click
does, and that it redraws only when its keys change."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.widgets import Static

from ppl2album_tui.tui.widgets.key_footer import KeyFooter


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "count('a')", "Add"),
        Binding("b", "count('b')", "Blocked"),
        Binding("c", "count('c')", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.bells = 0
        self.blocked = True

    def compose(self) -> ComposeResult:
        yield Static("keys below")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "count" and parameters == ("b",) and self.blocked:
            return None  # shown, dimmed
        return True

    def action_count(self, what: str) -> None:
        self.pressed.append(what)

    def bell(self) -> None:
        self.bells += 1


async def test_the_footer_shows_the_keys_and_a_click_presses_them() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        shown = [(i.key, i.description, i.enabled) for i in footer.items]
        assert shown[:2] == [("a", "Add", True), ("b", "Blocked", False)]
        assert "c" not in {i.key for i in footer.items}  # show=False
        line = footer.render().plain
        assert line.startswith(" a Add  b Blocked ") and line.rstrip().endswith("^p palette")
        assert len(line) == 80

        await pilot.click(footer, offset=footer.offset_of("a"))
        await pilot.click(footer, offset=footer.offset_of("b"))
        assert (app.pressed, app.bells) == (["a"], 1)  # the dimmed key rings the bell

        await pilot.hover(footer, offset=footer.offset_of("a"))
        assert footer.tooltip == "Add"

        app.blocked = False
        app.refresh_bindings()
        await pilot.pause()
        assert [i.enabled for i in footer.items[:2]] == [True, True]
        await pilot.click(footer, offset=footer.offset_of("b"))
        assert app.pressed == ["a", "b"]

        await pilot.click(footer, offset=footer.offset_of("ctrl+p"))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_the_footer_redraws_only_when_its_keys_change() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        items = footer.items
        app.refresh_bindings()  # the same keys: the same list, no new line drawn
        await pilot.pause()
        assert footer.items is items
        app.blocked = False
        app.refresh_bindings()
        await pilot.pause()
        assert footer.items is not items
