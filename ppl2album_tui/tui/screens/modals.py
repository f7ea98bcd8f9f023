"""Modal screens: confirmation, apply summary, a one-line question, large photo, help."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Asset
from ppl2album_tui.tui.services import Services


class ConfirmScreen(ModalScreen[bool]):
    """A question with the numbers, Cancel and a verb."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("y", "yes", "Yes", show=False),
    ]

    def __init__(self, title: str, body: str, *, yes: str = "OK") -> None:
        super().__init__()
        self.title_text, self.body, self.yes = title, body, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.yes, id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        """Confirm."""
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Cancel."""
        self.dismiss(False)


class SummaryScreen(ModalScreen[None]):
    """The result of an apply: added, duplicates, failures."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "close", "Close")]

    def __init__(
        self,
        rule: str,
        added: int,
        dups: int,
        failed: int,
        errors: list[Any],
        link: str | None = None,
    ) -> None:
        super().__init__()
        self.rule, self.added, self.dups, self.failed = rule, added, dups, failed
        self.errors = [str(e) for e in errors]
        self.link = link  # the album's shared link

    def compose(self) -> ComposeResult:
        body = Text()
        body.append(f"✓ added {self.added:,}\n", style="bold green")
        body.append(f"= already there {self.dups:,}\n")
        body.append(f"✗ failed {self.failed:,}\n", style="bold red" if self.failed else "")
        for err in self.errors[:5]:
            body.append(f"  {err}\n", style="red")
        if self.link:
            body.append(f"Shared link: {self.link}\n")
        with Vertical(classes="dialog"):
            yield Label(f"“{self.rule}” applied", classes="dialog-title")
            yield Static(body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close", variant="primary")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close."""
        self.dismiss()


class AskScreen(ModalScreen[str | None]):
    """One line of input, validated before it is accepted."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, hint: str, value: str, *, validate: Callable[[str], object]
    ) -> None:
        super().__init__()
        self.title_text, self.hint, self.value, self.validate = title, hint, value, validate

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(Text(self.hint, style="dim"))
            yield Input(self.value, id="ask-input")
            yield Static("", id="ask-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("OK", id="ok", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        value = self.query_one("#ask-input", Input).value
        try:
            self.validate(value)
        except ValueError as exc:
            self.query_one("#ask-error", Static).update(Text(str(exc), style="bold red"))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Cancel."""
        self.dismiss(None)


class PhotoScreen(ModalScreen[None]):
    """One photo, large (textual-image's widget for the chosen protocol)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,space", "close", "Close")]

    def __init__(self, services: Services, asset: Asset) -> None:
        super().__init__()
        self.services = services
        self.asset = asset

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog photo"):
            yield Label(self.asset.original_file_name, classes="dialog-title")
            yield Static(Text("loading…", style="dim"), id="photo-body")

    def on_mount(self) -> None:
        self.load()

    @work
    async def load(self) -> None:
        """Fetch the preview-size thumbnail and show it."""
        session = self.services.session
        if session is None:
            return
        body = self.query_one("#photo-body", Static)
        if self.services.image_protocol == "none":
            body.update(Text("Images are off (--image-protocol none).", style="dim"))
            return
        try:
            thumb = await session.client.asset_thumbnail(self.asset.id, "preview")
        except ImmichError as exc:
            body.update(Text(str(exc), style="red"))
            return
        from PIL import Image as PILImage
        from textual_image.widget import HalfcellImage, SixelImage, TGPImage

        widget_cls: Any = {"kitty": TGPImage, "sixel": SixelImage}.get(
            self.services.image_protocol, HalfcellImage
        )
        image = PILImage.open(io.BytesIO(thumb.data))
        await body.remove()
        await self.query_one(".photo").mount(widget_cls(image, id="photo-image"))

    def action_close(self) -> None:
        """Close."""
        self.dismiss()


HELP = [
    ("Everywhere", ""),
    ("1 2 3 4", "People · Rules · Preview · Sync tabs"),
    ("F1-F4", "the same, also inside a form (or alt+1 … alt+4)"),
    ("ctrl+p", "commands: sync now, pause, new rule, connect, add an account, open album, undo"),
    ("s", "sync now"),
    ("p", "pause / resume auto-sync"),
    ("?", "this help"),
    ("q", "quit (a running apply first finishes its chunk)"),
    ("People", ""),
    ("/ or type", "filter by name (esc clears)"),
    ("space", "select a person for the rule"),
    ("x", "exclude a person"),
    ("u / h", "show unnamed / hidden people"),
    ("n", "new rule from the selection"),
    ("r", "use the selection in the rule being edited"),
    ("a", "with several accounts: the next account's people, then every account's"),
    ("Rules", ""),
    ("ctrl+s", "save the rule"),
    ("ctrl+o", "save and preview"),
    ("ctrl+e", "edit the rule's people on the People tab"),
    ("esc", "leave the form (in the form, one-letter keys do nothing)"),
    ("Preview", ""),
    ("space", "veto a photo (To add) / restore it (Vetoed)"),
    ("enter", "large view"),
    ("a", "apply: confirm, then add the photos (and share the album as the rule says)"),
    ("c", "allow again: removed by hand / refused (Filtered)"),
    ("ctrl+r", "recompute"),
    ("Sync", ""),
    ("i", "change the interval"),
    ("e", "enable / disable the rule"),
    ("o", "open the rule's album in the browser"),
    ("w", "review the photos waiting for approval (approve_new)"),
    ("Waiting for approval", ""),
    ("a / x", "approve (add now) / veto (never add) the photo"),
    ("A / X", "approve all / veto all"),
]


class HelpScreen(ModalScreen[None]):
    """Every key binding."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        text = Text()
        for key, what in HELP:
            if not what:
                text.append(f"\n{key}\n", style="bold underline")
            else:
                text.append(f"  {key:<11}", style="bold cyan")
                text.append(f"{what}\n")
        with Vertical(classes="dialog help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(text)

    def action_close(self) -> None:
        """Close."""
        self.dismiss()
