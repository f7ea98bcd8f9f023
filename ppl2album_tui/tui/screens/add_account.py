"""Add account: another user's API key on the connected server, tested before it is kept."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.tui.screens.connect import describe_session
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.session import Session


class AddAccountScreen(ModalScreen[None]):
    """A name and a key (masked); Test shows whose key it is, Add keeps it (and tests first)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="account-box"):
            yield Label("Add an account on this server", classes="dialog-title")
            yield Static(
                "Another person's API key (Immich: their Account settings → API keys). Their "
                "people and photos join yours; rules may take people from both.",
                classes="dialog-body",
            )
            with Horizontal(classes="field"):
                yield Label("Name", classes="field-label")
                yield Input(placeholder="e.g. Ben", id="account-name")
            with Horizontal(classes="field"):
                yield Label("API key", classes="field-label")
                yield Input(placeholder="paste the key", password=True, id="account-key")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Test", id="account-test")
                yield Button("Add", id="account-add", variant="primary")
            yield Static("", id="account-result")

    def on_mount(self) -> None:
        self.query_one("#account-name", Input).focus()

    def _result(self, text: Text | str) -> None:
        self.query_one("#account-result", Static).update(text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without adding."""
        self.dismiss()

    @on(Button.Pressed, "#account-test")
    def _test(self) -> None:
        self.check(keep=False)

    @on(Button.Pressed, "#account-add")
    @on(Input.Submitted)
    def _add(self) -> None:
        self.check(keep=True)

    def _name_problem(self, name: str) -> str | None:
        if not name:
            return "Give the account a name (rules and the People tab show it)."
        if name in self.services.config.account_names:
            return f"An account is named {name!r} already."
        return None

    @work(exclusive=True, group="account")
    async def check(self, *, keep: bool) -> None:
        """Test the key (whose it is, what it may do); with `keep`, add the account."""
        name = self.query_one("#account-name", Input).value.strip()
        key = self.query_one("#account-key", Input).value.strip()
        if keep and (problem := self._name_problem(name)):
            self._result(Text.assemble(("✗ ", "bold red"), problem))
            return
        url = self.services.session.url if self.services.session else ""
        try:
            session = await self.services.open_session(url, key)
        except ImmichError as exc:
            self._result(Text.assemble(("✗ ", "bold red"), str(exc)))
            return
        if problem := self._same_user(session):
            await session.client.aclose()
            self._result(Text.assemble(("✗ ", "bold red"), problem))
            return
        self._result(describe_session(session))
        if not keep:
            await session.client.aclose()
            return
        await self.services.add_account(name, key, session)
        self.notify(f"Account {name} added: press a on People to see their people.")
        self.dismiss()

    def _same_user(self, session: Session) -> str | None:
        """A sentence when the key is of an account already connected."""
        mine = self.services.session
        if session.user is None or mine is None or mine.user is None:
            return None
        if session.user.id == mine.user.id:
            return "This key is of the account you are connected with; paste another user's."
        return None
