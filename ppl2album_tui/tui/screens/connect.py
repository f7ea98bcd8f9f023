"""Connect: server URL and API key, Test (version, user, scopes), Save (writes the TOML config)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.session import REQUIRED_SCOPES, Session
from ppl2album_tui.tui.widgets.form import Form
from ppl2album_tui.tui.widgets.key_footer import KeyFooter


def describe_session(session: Session) -> Text:
    """The Test result: version, user, granted and missing scopes."""
    text = Text()
    who = f" · signed in as {session.user.name or session.user.email}" if session.user else ""
    text.append("✓ ", style="bold green")
    text.append(f"{session.capabilities.summary()}{who}\n")
    if session.key is None:
        text.append("? ", style="bold yellow")
        text.append("could not read this key's permissions\n")
        return text
    if "all" in session.key.permissions:
        text.append("✓ ", style="bold green")
        text.append(f"key “{session.key.name}” has every permission\n")
        return text
    granted = [s for s in REQUIRED_SCOPES if s not in session.missing]
    if granted:
        text.append("✓ ", style="bold green")
        text.append("  ".join(granted) + "\n")
    for scope in session.missing:
        text.append("✗ ", style="bold red")
        text.append(f"{scope}", style="bold")
        text.append(f" — needed to {REQUIRED_SCOPES[scope]}\n")
    return text


class ConnectScreen(Screen[None]):
    """First run, or from the command palette."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", show=False),
        Binding("ctrl+r", "reveal", "Reveal key"),
        Binding("ctrl+t", "test", "Test"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(
        self, services: Services, *, auto_connect: bool = False, can_cancel: bool = False
    ) -> None:
        super().__init__()
        self.services = services
        self.auto_connect = auto_connect
        self.can_cancel = can_cancel
        self._prefilled_key = ""

    def compose(self) -> ComposeResult:
        server = self.services.config.server
        self._prefilled_key = self.services.saved_api_key()
        with Form(id="connect-box"):
            yield Label("Connect to Immich", id="connect-title")
            if self.services.banner:
                yield Static(self.services.banner, id="connect-banner")
            with Horizontal(classes="field"):
                yield Label("Server URL", classes="field-label")
                yield Input(
                    server.url,
                    placeholder="http://photos.local:2283",
                    id="url",
                    select_on_focus=False,
                )
            with Horizontal(classes="field"):
                yield Label("API key", classes="field-label")
                yield Input(
                    self._prefilled_key,
                    placeholder="paste the key (Account settings → API keys)",
                    password=True,
                    id="key",
                )
                yield Button("◉", id="reveal", tooltip="Show or hide the key you typed")
            with Horizontal(id="connect-buttons"):
                yield Button("Test", id="test", variant="primary")
                yield Button("Save", id="save", variant="success")
                if self.can_cancel:
                    yield Button("Cancel", id="cancel")
            yield Static("", id="connect-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reveal", Button).disabled = bool(self._prefilled_key)
        if self.auto_connect:
            self._result(Text("Connecting…", style="italic"))
            self.connect(save=False, auto=True)
        else:
            self.query_one("#url" if not self.services.config.server.url else "#key", Input).focus()

    def _result(self, text: Text | str) -> None:
        self.query_one("#connect-result", Static).update(text)

    @on(Input.Changed, "#key")
    def _key_edited(self, event: Input.Changed) -> None:
        # a key loaded from the config (or the demo's) is never revealed; a retyped one may be
        if event.value != self._prefilled_key:
            self.query_one("#reveal", Button).disabled = False

    @on(Button.Pressed, "#reveal")
    def action_reveal(self) -> None:
        """Show or hide the typed key (never a saved one)."""
        key = self.query_one("#key", Input)
        if key.value == self._prefilled_key and key.password:
            self.notify("Retype the key to reveal it: a saved key is never shown.")
            return
        key.password = not key.password

    @on(Button.Pressed, "#test")
    def action_test(self) -> None:
        """Check the server and the key."""
        self.connect(save=False)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Check, then save the config and open the main view."""
        self.connect(save=True)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.connect(save=True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Back to the main view, unchanged."""
        if self.can_cancel:
            self.dismiss()

    @work(exclusive=True, group="connect")
    async def connect(self, *, save: bool, auto: bool = False) -> None:
        """Open a session; on success maybe save and adopt it."""
        url = self.query_one("#url", Input).value
        key = self.query_one("#key", Input).value
        for button in self.query(Button):
            if button.id in ("test", "save"):
                button.disabled = True
        try:
            session = await self.services.open_session(url, key)
        except ImmichError as exc:
            self._result(Text.assemble(("✗ ", "bold red"), str(exc)))
            if auto:
                self.notify(str(exc), title="Could not connect", severity="error")
            return
        finally:
            for button in self.query(Button):
                if button.id in ("test", "save"):
                    button.disabled = False
        self._result(describe_session(session))
        if not (save or auto):
            await session.client.aclose()
            return
        if save:
            server = self.services.config.server
            server.url = session.url
            if key.strip() != self._prefilled_key:  # unchanged: keep its source (env, file)
                server.api_key = key.strip()
                server.api_key_file = None
            self.services.save_config()
            self.notify(f"Saved {self.services.config_path}.")
        await self.services.adopt_session(session)
