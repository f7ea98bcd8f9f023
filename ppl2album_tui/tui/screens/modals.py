"""Modal screens: confirmation, apply summary, a one-line question, large photo, help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.asset_table import taken_text
from ppl2album_tui.tui.widgets.asset_view import video_length
from ppl2album_tui.tui.widgets.photo_view import PhotoView


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


@dataclass(frozen=True, slots=True)
class PhotoFacts:
    """What the large view tells of a photo: who is in it and where it stands with the album."""

    asset: Asset
    people: list[str]
    album: str
    state: str  # the preview section it is in (to_add, already, filtered, vetoed, ...)
    reason: str = ""  # why it is filtered (or will be removed)
    everyone: bool = True  # `people` is everyone in it (False: the rule's people it matched)


def facts_of(
    asset: Asset,
    album: str,
    state: str,
    reason: str,
    matched: list[str],
    person_name: Callable[[str], str],
) -> PhotoFacts:
    """The large view's facts: everyone in the photo when it was searched with its faces, else
    the rule's people it matched (`matched`, names)."""
    if asset.people:
        return PhotoFacts(asset, [person_name(p) for p in asset.people], album, state, reason)
    return PhotoFacts(asset, matched, album, state, reason, everyone=False)


def membership_text(facts: PhotoFacts) -> Text:
    """'To add to “Kids” on the next apply', 'Filtered out: no permission', … ."""
    album = f"“{facts.album}”"
    words = {
        "to_add": ("To add", f" to {album} on the next apply", "bold green"),
        "already": ("In the album", f" {album}", "bold cyan"),
        "filtered": ("Filtered out", f": {facts.reason}", "bold yellow"),
        "vetoed": ("Vetoed", f": never added to {album}", "bold red"),
        "removed_by_hand": ("Removed by hand", f" from {album}: kept out", "bold magenta"),
        "to_remove": ("To remove", f" from {album}: {facts.reason}", "bold red"),
        "waiting": ("Waiting", f" for your approval to join {album}", "bold yellow"),
    }
    head, rest, style = words.get(facts.state, (facts.state, "", ""))
    return Text.assemble((head, style), rest)


# the large view's veto button: the section it works in -> its label
VETO_LABELS = {"to_add": "Veto", "vetoed": "Restore"}


class PhotoScreen(ModalScreen[None]):
    """One photo, large, with its file name, date, people and place in the album; `space` vetoes
    (To add) or restores it (Vetoed) through `toggle`, which answers the photo's new facts; the
    arrows show the previous / next photo through `step` (photo id, -1 or 1 -> its facts)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close"),
        Binding("space", "veto", "Veto/restore"),
        Binding("left", "step(-1)", "Previous"),
        Binding("right", "step(1)", "Next"),
    ]

    def __init__(
        self,
        services: Services,
        facts: PhotoFacts,
        toggle: Callable[[str], PhotoFacts | None] | None = None,
        step: Callable[[str, int], PhotoFacts | None] | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.facts = facts
        self.toggle = toggle
        self.step = step

    @property
    def asset(self) -> Asset:
        return self.facts.asset

    def refresh(self, *regions: Region, **kwargs: Any) -> Self:
        # Only the screens beneath refresh a screen by regions (what changed on them); this one
        # is opaque, so it keeps its cells: repainting them would wipe a sixel picture in xterm
        # (the Sync pane's clock beneath repaints the whole screen every second)
        if regions and not kwargs:
            return self
        return super().refresh(*regions, **kwargs)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog photo"):
            yield Label(self.asset.original_file_name, classes="dialog-title", id="photo-title")
            yield PhotoView(self.services, self.asset, id="photo-view")
            yield Static("", id="photo-facts")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Veto", id="photo-veto")
                yield Button("Close", id="photo-close", variant="primary")

    def on_mount(self) -> None:
        self._show_facts()

    def _show_facts(self) -> None:
        facts, asset = self.facts, self.facts.asset
        text = Text(taken_text(asset))
        if length := video_length(asset):
            text.append(f" · video ▶ {length}")
        text.append("\nPeople: " if facts.everyone else "\nThe rule's people in it: ", "bold")
        text.append(", ".join(facts.people) or "nobody recognised")
        text.append("\nAlbum: ", style="bold")
        text.append_text(membership_text(facts))
        if self.step is not None:
            text.append("\n← → the previous / next photo", style="dim")
        self.query_one("#photo-facts", Static).update(text)
        button = self.query_one("#photo-veto", Button)
        label = VETO_LABELS.get(facts.state)
        button.display = label is not None and self.toggle is not None
        button.label = label or ""

    @on(Button.Pressed, "#photo-veto")
    def action_veto(self) -> None:
        """Veto the photo (To add) or restore it (Vetoed); the view stays on it."""
        if self.toggle is None or self.facts.state not in VETO_LABELS:
            self.notify("Only photos to add can be vetoed, and vetoed ones restored.")
            return
        facts = self.toggle(self.asset.id)
        if facts is not None:
            self.facts = facts
            self._show_facts()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.step is not None if action == "step" else True

    async def action_step(self, delta: int) -> None:
        """Show the previous (-1) or next (1) photo of the section; a bell past either end."""
        facts = self.step(self.asset.id, delta) if self.step is not None else None
        if facts is None:
            self.app.bell()
            return
        self.facts = facts
        self.query_one("#photo-title", Label).update(facts.asset.original_file_name)
        await self.query_one("#photo-view", PhotoView).remove()
        await self.query_one(".dialog", Vertical).mount(
            PhotoView(self.services, facts.asset, id="photo-view"), before="#photo-facts"
        )
        self._show_facts()

    @on(Button.Pressed, "#photo-close")
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
    ("v", "grid ↔ list (People, Preview), on the same face or photo"),
    ("+ / -", "bigger / smaller tiles in a grid; arrows move, a click selects"),
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
    ("enter", "large view (or a double click): file, date, people, album; space there too"),
    ("← / →", "in the large view: the previous / next photo of the section"),
    ("a", "apply: confirm, then add the photos (and share the album as the rule says)"),
    ("c", "allow again: removed by hand / refused (Filtered)"),
    ("k", "several accounts: use one account's key alone, when it sees every photo"),
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
        table = Table.grid(padding=(0, 0, 0, 2))  # a long line wraps under its own column
        table.add_column(style="bold cyan", width=11, no_wrap=True)
        table.add_column()
        for key, what in HELP:
            if not what:
                table.add_row(Text(f"\n{key}", style="bold underline"), "")
            else:
                table.add_row(key, what)
        with Vertical(classes="dialog help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(table)

    def action_close(self) -> None:
        """Close."""
        self.dismiss()
