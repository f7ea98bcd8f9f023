"""The main view: header, four tabs (People, Rules, Preview, Sync), footer; routes the panes'
messages (panes never call each other)."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import TabbedContent, TabPane

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Person
from ppl2album_tui.tui.messages import (
    AlbumsChanged,
    ConfigChanged,
    CycleFinished,
    EditPeopleRequested,
    NewRuleRequested,
    PreviewRequested,
    RuleSaved,
    SelectionForRule,
)
from ppl2album_tui.tui.panes.people import PeoplePane
from ppl2album_tui.tui.panes.preview import PreviewPane
from ppl2album_tui.tui.panes.rules import RulesPane
from ppl2album_tui.tui.panes.sync import SyncPane
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.grid_or_list import GridOrList
from ppl2album_tui.tui.widgets.header import StatusHeader
from ppl2album_tui.tui.widgets.key_footer import KeyFooter

# tab -> the widget that gets the focus when it is shown (its keys work at once)
TAB_FOCUS = {
    "people": "#people-table",
    "rules": "#rules-list",  # not the name field: 1-4 would be typed into it
    "preview": "#table-to_add",
    "sync": "#sync-rules",
}


class MainScreen(Screen[None]):
    """Everything after connecting."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # 1-4 are swallowed inside a form (widgets/form.py); F1-F4 and alt+1-alt+4 work there too
        Binding("1,f1,alt+1", "tab('people')", "People", show=False),
        Binding("2,f2,alt+2", "tab('rules')", "Rules", show=False),
        Binding("3,f3,alt+3", "tab('preview')", "Preview", show=False),
        Binding("4,f4,alt+4", "tab('sync')", "Sync", show=False),
    ]

    def __init__(self, services: Services, people: asyncio.Future[list[Person]] | None) -> None:
        super().__init__()
        self.services = services
        self._people_task = people  # started while this screen mounts

    def compose(self) -> ComposeResult:
        services = self.services
        yield StatusHeader(services, id="status-header")
        with TabbedContent(initial="people", id="tabs"):
            with TabPane("1 People", id="people"):
                yield PeoplePane(services)
            with TabPane("2 Rules", id="rules"):
                yield RulesPane(services)
            with TabPane("3 Preview", id="preview"):
                yield PreviewPane(services)
            with TabPane("4 Sync", id="sync"):
                yield SyncPane(services)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(PeoplePane).table.focus()
        self.load_server_data()

    def action_tab(self, tab: str) -> None:
        """Switch to `tab` and focus its main widget (its keys work at once)."""
        # the focus first and at once: a focused widget left in the hidden pane would hand the
        # focus to a neighbour there, whose pane would then take the tab back (a grid-or-list is
        # a container: set_focus would ignore it)
        target = self.query_one(TAB_FOCUS[tab])
        self.set_focus(target.shown if isinstance(target, GridOrList) else target)
        self.query_one(TabbedContent).active = tab

    def show_tab(self, tab: str) -> None:
        """Switch to `tab` once the event that asked has been handled: a clicked button takes
        the focus after its Pressed message, and the focus would pull its own tab back."""
        self.call_after_refresh(self.action_tab, tab)

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or ""
        target = TAB_FOCUS.get(tab)
        focused = self.focused
        if target and (focused is None or event.pane not in focused.ancestors_with_self):
            self.query_one(target).focus()

    @work(group="load")
    async def load_server_data(self) -> None:
        """People and albums, once after connecting (people screen fills as soon as they arrive)."""
        session = self.services.session
        if session is None:
            return
        task = self._people_task
        try:
            self.services.people = await (task or session.client.people(with_hidden=True))
            self.services.account_set.first_ids = {p.id for p in self.services.people}
        except ImmichError as exc:
            self.notify(str(exc), title="Could not load people", severity="error")
        self.query_one(PeoplePane).people_loaded()
        await self.reload_albums()

    async def reload_albums(self) -> None:
        """Refresh the server's album list (rule editor, names everywhere)."""
        session = self.services.session
        if session is None:
            return
        try:
            self.services.albums = await session.client.albums()
        except ImmichError as exc:
            self.notify(str(exc), title="Could not load albums", severity="error")
        self._config_changed()

    # ---- routing ---------------------------------------------------------------------------

    @on(ConfigChanged)
    @on(RuleSaved)
    def _config_changed(self) -> None:
        self.query_one(RulesPane).config_changed()
        self.query_one(SyncPane).results_changed()

    @on(CycleFinished)
    def _cycle_finished(self) -> None:
        self._config_changed()  # a cycle may have learnt the id of an album it created

    @on(AlbumsChanged)
    async def _albums_changed(self) -> None:
        await self.reload_albums()

    @on(NewRuleRequested)
    def _new_rule(self) -> None:
        people = self.query_one(PeoplePane)
        self.query_one(RulesPane).edit_new(people.selected_refs(), people.excluded_refs())
        self.show_tab("rules")

    @on(SelectionForRule)
    def _use_selection(self) -> None:
        people = self.query_one(PeoplePane)
        self.query_one(RulesPane).set_people(people.selected_refs(), people.excluded_refs())
        self.show_tab("rules")

    @on(EditPeopleRequested)
    def _edit_people(self, event: EditPeopleRequested) -> None:
        self.query_one(PeoplePane).set_selection(event.people, event.exclude)
        self.show_tab("people")

    @on(PreviewRequested)
    def _preview(self, event: PreviewRequested) -> None:
        self.query_one(PreviewPane).load(event.rule)
        self.show_tab("preview")
