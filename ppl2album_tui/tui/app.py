"""The Textual application: the Services the panes use, the auto-sync timer, global actions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen

from ppl2album_tui import APP_NAME
from ppl2album_tui.errors import UserError
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Album, Person
from ppl2album_tui.immich.thumbcache import ThumbCache
from ppl2album_tui.sync.accounts import last_applies
from ppl2album_tui.sync.config import Config, ConfigError, load_config, save_config
from ppl2album_tui.sync.connection import make_client, tls_warning
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.lock import LockBusy, SyncLock
from ppl2album_tui.sync.paths import JOURNAL_FILE
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.tui.account_set import ALL, AccountSet
from ppl2album_tui.tui.autosync import AutoSyncState, describe_interval
from ppl2album_tui.tui.messages import CycleFinished, NewRuleRequested
from ppl2album_tui.tui.services import Clock
from ppl2album_tui.tui.session import ClientFactory, Session, open_session

if TYPE_CHECKING:
    from ppl2album_tui.sync.engine import SyncEngine


def _now() -> datetime:
    return datetime.now().astimezone()


class PplApp(App[int]):
    """ppl2album-tui: people → rules → preview → apply, and an auto-sync that keeps albums full.

    It implements tui/services.py's Services for the panes.
    """

    CSS_PATH = "app.tcss"
    TITLE = APP_NAME
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("s", "sync_now", "Sync now"),
        Binding("p", "toggle_pause", "Pause/resume"),
    ]
    # bumped on every change of `sync_state` (each tick, each result): what watch_sync watches
    # a var, not a reactive: a reactive repaints the whole screen on each change (every second),
    # which real terminals redraw (150 kB a second of half blocks; a sixel image sent again)
    sync_revision: var[int] = var(0, init=False)

    def __init__(
        self,
        *,
        config: Config,
        config_path: Path,
        data_dir: Path,
        cache_dir: Path,
        image_protocol: str = "halfcell",
        clock: Clock | None = None,
        client_factory: ClientFactory | None = None,
        autosync: bool = True,
        tick_seconds: float = 1.0,
        banner: str = "",
    ) -> None:
        super().__init__()
        self.config = config
        self.config_path = config_path
        self.data_dir = data_dir
        self.image_protocol = image_protocol
        self.clock: Clock = clock or _now
        self.client_factory = client_factory
        self.thumbs = ThumbCache(cache_dir)
        self.banner = banner
        self.session: Session | None = None
        self.account_set = AccountSet(config)
        self.engine: SyncEngine | None = None
        self.journal: Journal | None = None
        self.people: list[Person] = []
        self.people_task: asyncio.Future[list[Person]] | None = None
        self.albums: list[Album] = []
        self.sync_state = AutoSyncState(clock=self.clock, interval=config.sync.interval_seconds)
        self.sync_state.paused = not autosync
        self.tick_seconds = tick_seconds
        self.write_lock = asyncio.Lock()
        self.stop_event = asyncio.Event()
        self._quitting = False

    # ---- startup and connection -------------------------------------------------------------

    def on_mount(self) -> None:
        from ppl2album_tui.tui.screens.connect import ConnectScreen

        server = self.config.server
        if server.url and self.saved_api_key():
            self.push_screen(ConnectScreen(self, auto_connect=True))
        else:
            self.push_screen(ConnectScreen(self))
        self.set_interval(self.tick_seconds, self.tick, name="autosync")

    def saved_api_key(self) -> str:
        """The configured API key ('' when there is none or it cannot be read)."""
        from ppl2album_tui.sync.config import ConfigError, resolve_api_key

        try:
            return resolve_api_key(self.config)
        except (ConfigError, OSError):
            return ""

    async def open_session(self, url: str, api_key: str) -> Session:
        """Connect (without adopting the session): the Connect screen's Test."""
        factory = self.client_factory or (lambda u, k: make_client(self.config.server, k, u))
        return await open_session(url, api_key, factory)

    async def adopt_session(self, session: Session) -> None:
        """Make `session` the app's connection and show the main view."""
        from ppl2album_tui.sync.engine import SyncEngine
        from ppl2album_tui.tui.screens.main import MainScreen

        old = self.session
        self.session = session
        self.journal = Journal(self.data_dir / JOURNAL_FILE, clock=self.clock)
        self.engine = SyncEngine(session.client, self.config, self.journal)
        if old is not None and old.client is not session.client:
            await old.client.aclose()
        await self.account_set.connect(self.engine, self.account_client)
        for problem in self.account_set.problems:
            self.notify(problem, title="Account left out", severity="warning", timeout=20)
        # people load while the main view mounts (it awaits this task)
        self.people_task = asyncio.ensure_future(session.client.people(with_hidden=True))
        self.sync_state.schedule()
        self.sync_state.log(
            f"Connected to {session.host} (Immich {session.version})"
            + (f" as {session.user.name}" if session.user else "")
        )
        if warning := tls_warning(self.config.server):
            self.sync_state.log(f"Warning: {warning}")
            self.notify(warning, title="Insecure connection", severity="warning", timeout=30)
        if self.banner:
            self.notify(self.banner, timeout=12)
        # last: this runs in the Connect screen's worker, which ends when that screen goes
        while len(self.screen_stack) > 1:  # the main view replaces every screen
            self.pop_screen()
        await self.push_screen(MainScreen(self, self.people_task))

    def account_client(self, api_key: str) -> ImmichClient:
        """A client of another account on the connected server."""
        url = self.session.url if self.session else self.config.server.url
        factory = self.client_factory or (lambda u, k: make_client(self.config.server, k, u))
        return factory(url, api_key)

    async def add_account(self, name: str, api_key: str, session: Session) -> None:
        """Keep a tested account: in the config (saved) and connected."""
        from ppl2album_tui.sync.settings import AccountSettings

        self.config.accounts.append(AccountSettings(name, api_key))
        self.save_config()
        if await self.account_set.open(name, session.client):
            self.sync_state.log(f"Account {name} added.")

    def save_config(self) -> None:
        """Write the config (rules included) to its TOML file; errors become a notification."""
        try:
            save_config(self.config, self.config_path)
        except ConfigError as exc:
            self.notify(str(exc), severity="error")
        except OSError as exc:
            self.notify(f"Could not save {self.config_path}: {exc.strerror}.", severity="error")

    # ---- rules -----------------------------------------------------------------------------

    def sync_lock(self) -> SyncLock:
        """The lock `ppl2album-tui sync` takes for this config (held while writing albums)."""
        return SyncLock(self.config_path, self.data_dir)

    def rule_by_name(self, name: str) -> Rule | None:
        """The configured rule called `name`."""
        return next((r for r in self.config.rules if r.name == name), None)

    def album_name(self, rule: Rule) -> str:
        """The target album's name for display."""
        if rule.album_id:
            album = next((a for a in self.albums if a.id == rule.album_id), None)
            if album:
                return album.name
        return rule.album_name or "(no album)"

    def person_name(self, person_id: str) -> str:
        """A person's display name from the loaded people (every account's)."""
        everyone = self.account_set.shown(ALL, self.people)
        person = next((p for p in everyone if p.id == person_id), None)
        return person.display_name if person else person_id[:8]

    # ---- auto-sync ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # sync keys mean nothing before connecting: hidden from the footer then
        return not (action in ("sync_now", "toggle_pause") and self.engine is None)

    def tick(self) -> None:
        """The timer: start a cycle when one is due, refresh the countdowns."""
        state = self.sync_state
        if self.engine is not None and state.due():
            self.start_cycle("timer")
        self.sync_changed()  # the countdowns moved

    def sync_changed(self) -> None:
        """The auto-sync state changed: every `watch_sync` callback runs."""
        self.sync_revision += 1

    def watch_sync(self, node: DOMNode, callback: Callable[[], None]) -> None:
        """Call `callback` on every change of the auto-sync state while `node` is mounted."""
        node.watch(self, "sync_revision", callback, init=False)

    def announce(self, message: Message) -> None:
        """Post `message` to the main view (also under a modal), where it is routed."""
        from ppl2album_tui.tui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.post_message(message)

    def start_cycle(self, why: str) -> bool:
        """Start a cycle in a worker unless one is running; False when not started."""
        state = self.sync_state
        if self.engine is None or state.running or self._quitting:
            return False
        state.running = True
        self.sync_changed()
        self.run_worker(self._cycle_worker(why), name="cycle", group="cycle", exit_on_error=False)
        return True

    async def _cycle_worker(self, why: str) -> None:
        from ppl2album_tui.tui.cycle import cycle_and_report

        state = self.sync_state
        try:
            async with self.write_lock:
                await cycle_and_report(self, why)
        except Exception as exc:  # survive everything: show, log, retry at the next tick
            message = str(exc) if isinstance(exc, ImmichError) else f"{type(exc).__name__}: {exc}"
            state.log(f"Cycle failed: {message} Retrying at the next tick.")
            self.notify(message, title="Auto-sync failed", severity="error")
        finally:
            state.running = False
            state.last_cycle = self.clock()
            state.cycles += 1
            state.schedule()
            self.sync_changed()
            self.announce(CycleFinished())

    def action_sync_now(self) -> None:
        """Run a cycle now."""
        if self.engine is None:
            self.notify("Connect to a server first.", severity="warning")
            return
        if not self.config.rules:
            self.notify("No rules yet: pick people and press n to make one.", severity="warning")
            return
        if not self.start_cycle("sync now"):
            self.notify("A sync is already running.")

    def action_toggle_pause(self) -> None:
        """Pause or resume the auto-sync timer (a running cycle finishes)."""
        state = self.sync_state
        state.paused = not state.paused
        if not state.paused:
            state.schedule()
        word = "paused" if state.paused else f"resumed ({describe_interval(state.interval)})"
        state.log(f"Auto-sync {word}.")
        self.notify(f"Auto-sync {word}.")
        self.sync_changed()
        self.announce(CycleFinished())

    def set_interval_seconds(self, seconds: int) -> None:
        """Change the auto-sync interval and save it."""
        self.config.sync.interval_seconds = seconds
        self.sync_state.interval = seconds
        self.sync_state.schedule()
        self.sync_state.log(f"Interval set to {describe_interval(seconds)}.")
        self.save_config()
        self.sync_changed()
        self.announce(CycleFinished())

    # ---- global actions ----------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the key bindings."""
        from ppl2album_tui.tui.screens.modals import HelpScreen

        self.push_screen(HelpScreen())

    def action_connect(self) -> None:
        """Open the Connect screen."""
        from ppl2album_tui.tui.screens.connect import ConnectScreen

        self.push_screen(ConnectScreen(self, can_cancel=self.session is not None))

    def action_add_account(self) -> None:
        """Open the Add account dialog."""
        from ppl2album_tui.tui.screens.add_account import AddAccountScreen

        self.push_screen(AddAccountScreen(self))

    def action_new_rule(self) -> None:
        """Start a new rule from the People selection."""
        self.announce(NewRuleRequested())

    def open_album(self, rule_name: str) -> None:
        """Open the rule's album in the browser."""
        rule = self.rule_by_name(rule_name)
        if self.session is None or rule is None or not rule.album_id:
            self.notify("That rule has no album on the server yet.", severity="warning")
            return
        self.open_url(album_url(self.session.url, rule.album_id))

    def action_undo(self, rule_name: str) -> None:
        """Confirm, then take out of the album what the rule's last apply added."""
        from ppl2album_tui.tui.screens.modals import ConfirmScreen

        rule = self.rule_by_name(rule_name)
        records = last_applies(self.journal, rule, self.config) if self.journal and rule else {}
        if rule is None or not records:
            self.notify("Nothing to undo for that rule.", severity="warning")
            return
        n = sum(len(r.undoable) for r in records.values())
        m = sum(len(r.restorable) for r in records.values())
        back = f" and {m:,} it removed (mirror mode) put back" if m else ""
        if len(records) > 1:  # each account's own last apply, with its key
            back += f" (accounts {', '.join(records)}: each its own last apply, with its key)"

        def done(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._undo(rule), group="undo")

        self.push_screen(
            ConfirmScreen(
                f"Undo the last apply of “{rule.name}”?",
                f"{n:,} photo{'s' if n != 1 else ''} it added will be taken out of "
                f"“{self.album_name(rule)}”{back} (nothing else is touched).",
                yes="Undo",
            ),
            done,
        )

    async def _undo(self, rule: Rule) -> None:
        if self.engine is None:
            return
        try:
            async with self.write_lock:
                with self.sync_lock():  # as apply and every cycle
                    runner = self.account_set.runner  # each account's part with its key
                    if runner is not None:
                        undo = await runner.plan_undo(rule)
                        removed = sum((await runner.undo(undo)).values())
                        restored = sum(plan.restored for _, plan in undo.plans)
                        for sentence in undo.failed.values():  # the others were undone
                            self.notify(sentence, title="Not undone", severity="error")
                    else:
                        plan = await self.engine.plan_undo(rule)
                        removed, restored = await self.engine.undo(plan), plan.restored
        except LockBusy as exc:
            self.notify(f"{exc} Try again in a moment.", title="Not undone", severity="warning")
            return
        except UserError as exc:
            self.notify(str(exc), title="Undo failed", severity="error")
            return
        self.sync_state.log(f"{rule.name}: undo took {removed:,} photos out of the album.")
        status = self.sync_state.status(rule.name)
        status.last_run, status.undone, status.restored = self.clock(), removed, restored
        status.added = status.pending = 0
        self.notify(f"{removed:,} photos taken out of “{self.album_name(rule)}”.", title="Undone")
        self.sync_changed()
        self.announce(CycleFinished())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("Sync now", "Run an auto-sync cycle now", self.action_sync_now)
        paused = self.sync_state.paused
        yield SystemCommand(
            "Resume auto-sync" if paused else "Pause auto-sync",
            "Start or stop the timer",
            self.action_toggle_pause,
        )
        yield SystemCommand("New rule", "A rule from the selected people", self.action_new_rule)
        yield SystemCommand("Connect", "Change the server or API key", self.action_connect)
        if self.session is not None:
            yield SystemCommand(
                "Add an account",
                "Another user's API key on this server (tested first)",
                self.action_add_account,
            )
        for rule in self.config.rules:
            if rule.album_id:
                yield SystemCommand(
                    f"Open album “{self.album_name(rule)}” in the browser",
                    f"Rule {rule.name}",
                    lambda name=rule.name: self.open_album(name),
                )
            if self.journal is not None and self.journal.last_apply(rule.name) is not None:
                yield SystemCommand(
                    f"Undo the last apply of “{rule.name}”",
                    "Take out of the album exactly what it added (asks first)",
                    lambda name=rule.name: self.action_undo(name),
                )
        yield SystemCommand("Help", "Key bindings", self.action_help)
        yield SystemCommand("Quit", "Quit (waits for a running chunk)", self.action_quit)

    async def action_quit(self) -> None:
        """Quit; a running apply or cycle first finishes its current chunk."""
        if self._quitting:
            return
        self._quitting = True
        if self.write_lock.locked():
            self.stop_event.set()
            self.notify("Finishing the current chunk, then quitting…")
            self.run_worker(self._quit_when_idle(), group="quit")
            return
        await self._close_and_exit()

    async def _quit_when_idle(self) -> None:
        async with self.write_lock:
            pass
        await self._close_and_exit()

    async def _close_and_exit(self) -> None:
        if self.session is not None:
            await self.session.client.aclose()
        await self.account_set.close()
        self.exit(0)


def album_url(server_url: str, album_id: str) -> str:
    """The web UI address of an album."""
    base = server_url.rstrip("/")
    if base.endswith("/api"):
        base = base[:-4]
    return f"{base}/albums/{album_id}"


def make_app(config: Config | None = None, *, config_path: Path, **options: Any) -> PplApp:
    """Build the app (the test seam): every path is explicit and nothing global is read.

    `config` defaults to what `config_path` holds (raising ConfigError for a broken file);
    `options` are PplApp's keyword arguments (data_dir, cache_dir, image_protocol, clock, ...).
    """
    if config is None:
        config = load_config(config_path)
    return PplApp(config=config, config_path=config_path, **options)
