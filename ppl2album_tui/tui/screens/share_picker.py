"""Pick whom a rule's album is shared with: the server's users (name, email), each with no
access, viewer or editor (space cycles). Dismissed with the new `share_with`, or None."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Static

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import User
from ppl2album_tui.sync.rules import ShareRef
from ppl2album_tui.tui.services import Services

ROLES = ("", "viewer", "editor")  # what space cycles through ('' = not shared)


def share_text(shares: list[ShareRef]) -> Text:
    """The editor's line: 'robin@example.com (viewer), …' or 'nobody'."""
    if not shares:
        return Text("nobody", style="dim")
    return Text(", ".join(f"{s.user} ({s.role})" for s in shares))


class SharePickerScreen(ModalScreen[list[ShareRef] | None]):
    """The server's users with a role each; an entry not on the server is kept as written."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "cycle", "No access / viewer / editor", key_display="space"),
        Binding("ctrl+s", "done", "Done"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, services: Services, shares: list[ShareRef]) -> None:
        super().__init__()
        self.services = services
        self.roles: dict[str, str] = {}  # row key (email, else id) -> role
        self.kept = list(shares)  # entries as written, until the users are known
        self.users: list[User] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Share the album with", classes="dialog-title")
            yield Static(Text("Reading the server's users…", style="italic"), id="share-status")
            yield DataTable(id="share-users", cursor_type="row")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Done", id="share-done", variant="primary")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Name", key="name", width=22)
        table.add_column("Email", key="email", width=30)
        table.add_column("Access", key="role", width=8)
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        """Read the server's users (scope user.read) and show them with their roles."""
        session = self.services.session
        status = self.query_one("#share-status", Static)
        if session is None:
            status.update(Text("Not connected.", style="red"))
            return
        try:
            self.users = await session.client.users()
            me = await session.client.owner_id()
        except ImmichError as exc:
            status.update(Text(str(exc), style="red"))
            return
        self.users = [u for u in self.users if u.id != me]  # the owner has access anyway
        table = self.query_one(DataTable)
        for user in self.users:
            key = user.email or user.id
            share = next((s for s in self.kept if s.user.casefold() in
                          (user.email.casefold(), user.id)), None)  # fmt: skip
            if share is not None:
                self.kept.remove(share)
                self.roles[key] = share.role
            table.add_row(user.name, user.email, self.roles.get(key, "—"), key=key)
        for share in self.kept:  # not on this server (a typo, or the user was deleted)
            self.roles[share.user] = share.role
            table.add_row(Text("not on the server", style="yellow"), share.user, share.role,
                          key=share.user)  # fmt: skip
        status.update(Text("space: no access → viewer → editor · ctrl+s done", style="dim"))
        self.loaded = True
        table.focus()

    def action_cycle(self) -> None:
        """Give the user under the cursor the next role."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        role = ROLES[(ROLES.index(self.roles.get(key, "")) + 1) % len(ROLES)]
        self.roles[key] = role
        table.update_cell(key, "role", role or "—")

    @on(DataTable.RowSelected)
    def _enter(self) -> None:
        self.action_cycle()

    @on(Button.Pressed, "#share-done")
    def action_done(self) -> None:
        """Keep the roles chosen (nothing changes while the users are not known)."""
        if not self.loaded:
            self.dismiss(None)
            return
        self.dismiss([ShareRef(k, r) for k, r in self.roles.items() if r])  # type: ignore[arg-type]

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Leave the rule's sharing as it was."""
        self.dismiss(None)
