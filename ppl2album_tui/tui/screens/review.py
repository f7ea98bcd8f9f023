"""The approval queue of an `approve_new` rule: its waiting photos as a grid, approved or vetoed
one by one or all at once (sync/approval.py). Approving adds them now; a veto joins the rule's
never-add list. Dismissed with True when something changed."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from ppl2album_tui.errors import UserError
from ppl2album_tui.immich.models import Asset
from ppl2album_tui.sync.approval import approving, waiting
from ppl2album_tui.sync.engine import RulePreview
from ppl2album_tui.sync.lock import LockBusy
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.asset_view import AssetView
from ppl2album_tui.tui.widgets.key_footer import KeyFooter
from ppl2album_tui.tui.widgets.thumb_grid import ThumbGrid


class ReviewScreen(Screen[bool]):
    """The photos an `approve_new` rule's syncs hold back, to approve or veto."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "Approve"),
        Binding("x", "veto", "Veto"),
        Binding("A", "approve_all", "Approve all", key_display="A"),
        Binding("X", "veto_all", "Veto all", key_display="X"),
        Binding("enter", "view_photo", "Large view"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, services: Services, rule: Rule) -> None:
        super().__init__()
        self.services, self.rule = services, rule
        self.preview: RulePreview | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Label(f"Waiting for approval: “{self.rule.name}”", classes="section-title")
            yield Static(Text("Looking for new photos…", style="italic"), id="review-status")
            yield AssetView(self.services, id="review-grid", state="to_add")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="review")
    async def load(self) -> None:
        """Plan the rule (it writes nothing) and show what waits."""
        engine = self.services.engine
        if engine is None:
            return
        try:
            self.preview = await engine.preview(self.rule)
        except UserError as exc:
            self._say(Text(f"✗ {exc}", style="bold red"))
            return
        self._show()

    def _queue(self) -> list[Asset]:
        return waiting(self.preview) if self.preview else []

    def _show(self) -> None:
        queue = self._queue()
        people = self.preview.matched.people_of if self.preview else {}
        self.query_one(AssetView).show(queue, people=people)
        self.services.sync_state.status(self.rule.name).waiting = len(queue)
        self.services.sync_changed()
        if not queue:
            self._say(Text("Nothing waits: every new photo was approved or vetoed.", style="dim"))
            return
        n = len(queue)
        self._say(Text.assemble((f"{n:,} photo{'s' if n != 1 else ''} waiting", "bold cyan"),
                                " · a approve · x veto · A approve all · X veto all"))  # fmt: skip
        self.query_one(AssetView).focus()

    def _say(self, text: Text) -> None:
        self.query_one("#review-status", Static).update(text)

    def _current(self) -> list[Asset]:
        asset = self.query_one(AssetView).current_asset()
        return [asset] if asset is not None else []

    def action_approve(self) -> None:
        """Add the photo under the cursor to the album now."""
        self._approve(self._current())

    def action_approve_all(self) -> None:
        """Add every waiting photo to the album now."""
        self._approve(self._queue())

    def action_veto(self) -> None:
        """Keep the photo under the cursor out for good (the rule's never_add)."""
        self._veto(self._current())

    def action_veto_all(self) -> None:
        """Keep every waiting photo out for good."""
        self._veto(self._queue())

    def _veto(self, assets: list[Asset]) -> None:
        if not assets or self.preview is None:
            return
        ids = {a.id for a in assets}
        saved = self.services.rule_by_name(self.rule.name)
        for rule in {id(r): r for r in (self.rule, self.preview.rule, saved) if r}.values():
            rule.never_add.extend(i for i in ids if i not in rule.never_add)
        self.services.save_config()
        plan = self.preview.plan
        plan.to_add = [a for a in plan.to_add if a.id not in ids]
        plan.vetoed += assets
        self.changed = True
        self.notify(f"{len(ids):,} vetoed: never added to this album.")
        self._show()

    @work(group="review-apply")
    async def _approve(self, assets: list[Asset]) -> None:
        app, engine, preview = self.services, self.services.engine, self.preview
        if not assets or engine is None or preview is None:
            return
        ids = {a.id for a in assets}
        try:
            async with app.write_lock:
                with app.sync_lock():  # the same lock as `ppl2album-tui sync`
                    result = await engine.apply(approving(preview, ids), stop=app.stop_event)
        except LockBusy as exc:
            self.notify(f"{exc} Try again in a moment.", title="Not added", severity="warning")
            return
        self.changed = True
        if result.album is not None and preview.album is None:
            app.save_config()  # the engine set the created album's id on the rule: keep it
        app.sync_state.log(f"{self.rule.name}: approved {result.added:,} waiting photo(s).")
        for problem in result.problems:
            self.notify(problem.text, title="Approve failed", severity="error")
        if result.problems or preview.album is None:
            self.load()  # plan again from the server
            return
        preview.plan.to_add = [a for a in preview.plan.to_add if a.id not in ids]
        self.notify(f"{result.added:,} approved and added to “{app.album_name(self.rule)}”.")
        self._show()

    def action_view_photo(self) -> None:
        """Show the photo under the cursor large."""
        from ppl2album_tui.tui.screens.modals import PhotoScreen, facts_of

        people = self.preview.matched.people_of if self.preview else {}
        album = self.services.album_name(self.rule)
        for asset in self._current():
            matched = list(people.get(asset.id, []))
            facts = facts_of(asset, album, "waiting", "", matched, self.services.person_name)
            self.app.push_screen(PhotoScreen(self.services, facts))

    @on(ThumbGrid.Selected)
    def _selected(self) -> None:
        self.action_view_photo()

    def action_close(self) -> None:
        """Back to the Sync tab."""
        self.dismiss(self.changed)
