"""The main view: header, four tabs (People, Rules, Preview, Sync), footer."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, TabbedContent, TabPane

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.tui.screens.people import PeoplePane
from ppl2album_tui.tui.screens.preview import PreviewPane
from ppl2album_tui.tui.screens.rules import RulesPane
from ppl2album_tui.tui.screens.sync import SyncPane
from ppl2album_tui.tui.widgets.header import StatusHeader

if TYPE_CHECKING:
    from ppl2album_tui.tui.app import PplApp


class MainScreen(Screen[None]):
    """Everything after connecting."""

    app: PplApp
    BINDINGS: ClassVar[list[BindingType]] = [
        # 1-4 are swallowed inside a form (widgets/form.py); F1-F4 and alt+1-alt+4 work there too
        Binding("1,f1,alt+1", "tab('people')", "People", show=False),
        Binding("2,f2,alt+2", "tab('rules')", "Rules", show=False),
        Binding("3,f3,alt+3", "tab('preview')", "Preview", show=False),
        Binding("4,f4,alt+4", "tab('sync')", "Sync", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="status-header")
        with TabbedContent(initial="people", id="tabs"):
            with TabPane("1 People", id="people"):
                yield PeoplePane()
            with TabPane("2 Rules", id="rules"):
                yield RulesPane()
            with TabPane("3 Preview", id="preview"):
                yield PreviewPane()
            with TabPane("4 Sync", id="sync"):
                yield SyncPane()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PeoplePane).table.focus()
        self.load_server_data()

    def action_tab(self, tab: str) -> None:
        """Switch to `tab`."""
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # keys of a tab work at once: focus its main widget
        target = {
            "people": "#people-table",
            "rules": "#rules-list",  # not the name field: 1-4 would be typed
            "preview": "#table-to_add",
            "sync": "#sync-rules",
        }.get(event.pane.id or "")
        if target:
            focused = self.focused
            if focused is None or event.pane not in focused.ancestors_with_self:
                self.query_one(target).focus()

    def show_tab(self, tab: str) -> None:
        """Switch to `tab` (public alias for panes)."""
        self.action_tab(tab)

    @work(group="load")
    async def load_server_data(self) -> None:
        """People and albums, once after connecting (people screen fills as soon as they arrive)."""
        session = self.app.session
        if session is None:
            return
        task = self.app.people_task
        try:
            if task is None:
                task = asyncio.ensure_future(session.client.people(with_hidden=True))
            self.app.people = await task
        except ImmichError as exc:
            self.notify(str(exc), title="Could not load people", severity="error")
        self.query_one(PeoplePane).people_loaded()
        await self.reload_albums()

    async def reload_albums(self) -> None:
        """Refresh the server's album list (rule editor, names everywhere)."""
        session = self.app.session
        if session is None:
            return
        try:
            self.app.albums = await session.client.albums()
        except ImmichError as exc:
            self.notify(str(exc), title="Could not load albums", severity="error")
        self.data_changed("albums")

    def data_changed(self, what: str) -> None:
        """Something panes show changed (sync, rules, albums)."""
        self.query_one(RulesPane).data_changed(what)
        self.query_one(SyncPane).data_changed(what)

    def new_rule(self) -> None:
        """A new rule from the People selection, opened in the editor."""
        people = self.query_one(PeoplePane)
        self.query_one(RulesPane).edit_new(people.selected_refs(), people.excluded_refs())
        self.show_tab("rules")

    def use_selection(self) -> None:
        """Put the People selection into the rule being edited."""
        people = self.query_one(PeoplePane)
        self.query_one(RulesPane).set_people(people.selected_refs(), people.excluded_refs())
        self.show_tab("rules")

    def select_people_of(self, rule: Rule) -> None:
        """Mark the rule's people in the People tab (to edit them) and switch there."""
        self.query_one(PeoplePane).set_selection(rule.people, rule.exclude)
        self.show_tab("people")

    def preview_rule(self, rule: Rule) -> None:
        """Compute the rule's preview and show it."""
        self.query_one(PreviewPane).load(rule)
        self.show_tab("preview")
