"""People tab: faces, names, counts; filter, show unnamed/hidden, select people for a rule."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from ppl2album_tui.immich.models import Person
from ppl2album_tui.sync.rules import PersonRef
from ppl2album_tui.tui.account_set import ALL
from ppl2album_tui.tui.messages import NewRuleRequested, SelectionForRule
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.people_table import PeopleTable
from ppl2album_tui.tui.widgets.people_view import PeopleView


def visible_people(
    people: list[Person], query: str, *, unnamed: bool, hidden: bool
) -> list[Person]:
    """Named first (server order kept), then unnamed; filtered by name substring."""
    q = query.strip().casefold()
    named = [p for p in people if p.name and (hidden or not p.is_hidden)]
    others = [p for p in people if not p.name and unnamed and (hidden or not p.is_hidden)]
    rows = named + others
    if q:
        rows = [p for p in rows if q in p.name.casefold()]
    return rows


class PeoplePane(Vertical):
    """The People tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("u", "toggle_unnamed", "Unnamed", show=False),
        Binding("h", "toggle_hidden", "Hidden", show=False),
        Binding("n", "new_rule", "New rule"),
        Binding("r", "use_in_rule", "Use in rule", show=False),
        Binding("a", "switch_account", "Account"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(id="people-pane")
        self.services = services
        self.show_unnamed = False
        self.show_hidden = False
        self.loaded = False
        self.account = ""  # the account shown ("": the first; ALL: every account)

    def compose(self) -> ComposeResult:
        with Horizontal(id="people-top"):
            yield Static("People · loading…", id="people-summary")
            yield Input(placeholder="type to filter", id="people-filter", select_on_focus=False)
        yield PeopleView(self.services, id="people-view")
        yield Static("", id="people-selection")

    @property
    def table(self) -> PeopleTable:
        return self.query_one(PeopleTable)

    def people_loaded(self) -> None:
        """The app's people arrived: fill the table."""
        self.loaded = True
        self.refilter()
        self._selection_changed()
        if self.app.focused is None or self.screen.focused is None:
            self.query_one(PeopleView).focus()

    def refilter(self) -> None:
        """Apply the filter and the unnamed/hidden toggles."""
        accounts = self.services.account_set
        people = accounts.shown(self.account or accounts.first, self.services.people)
        rows = visible_people(
            people,
            self.query_one("#people-filter", Input).value,
            unnamed=self.show_unnamed,
            hidden=self.show_hidden,
        )
        self.query_one(PeopleView).show(rows)
        named = sum(1 for p in people if p.name and not p.is_hidden)
        unnamed = sum(1 for p in people if not p.name and not p.is_hidden)
        hidden = sum(1 for p in people if p.is_hidden)
        summary = Text.assemble(("People", "bold"), f" · {named:,} named · {unnamed:,} unnamed ")
        summary.append("(u to hide)" if self.show_unnamed else "(u to show)", style="dim")
        summary.append(f" · {hidden:,} hidden ")
        summary.append("(h to hide)" if self.show_hidden else "(h to show)", style="dim")
        if len(rows) != named:
            summary.append(f" · showing {len(rows):,}")
        if accounts.clients:
            summary.append(f" · account: {self.account or accounts.first} ", style="bold")
            summary.append("(a to switch)", style="dim")
        self.query_one("#people-summary", Static).update(summary)

    @on(Input.Changed, "#people-filter")
    def _filter_changed(self) -> None:
        if self.loaded:
            self.refilter()

    @on(Input.Submitted, "#people-filter")
    def _filter_done(self) -> None:
        self.query_one(PeopleView).focus()

    @on(PeopleTable.TypeAhead)
    def _type_ahead(self, event: PeopleTable.TypeAhead) -> None:
        box = self.query_one("#people-filter", Input)
        box.value += event.character
        box.cursor_position = len(box.value)
        box.focus()

    @on(PeopleTable.Marked)
    def _selection_changed(self) -> None:
        marks = self.table.marks
        chosen = [self.services.person_name(pid) for pid, m in marks.items() if m == "+"]
        excluded = [self.services.person_name(pid) for pid, m in marks.items() if m == "-"]
        if not chosen and not excluded:
            text = Text("space select · x exclude · then n: new rule from the selection", "dim")
        else:
            text = Text.assemble((f"{len(chosen)} selected", "bold"), ": " + ", ".join(chosen))
            if excluded:
                text.append(" · excluding ", style="bold")
                text.append(", ".join(excluded))
            text.append("    n new rule · r use in the rule being edited", style="dim")
        self.query_one("#people-selection", Static).update(text)

    def action_filter(self) -> None:
        """Focus the filter box."""
        self.query_one("#people-filter", Input).focus()

    def action_clear_filter(self) -> None:
        """Empty the filter and go back to the table."""
        self.query_one("#people-filter", Input).value = ""
        self.query_one(PeopleView).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `a` is in the footer only once there are several accounts
        return action != "switch_account" or bool(self.services.account_set.clients)

    def action_switch_account(self) -> None:
        """Show the next account's people, then every account's, then the first's again."""
        accounts = self.services.account_set
        if not accounts.clients:
            self.notify("One account only: add another with ctrl+p → Add an account.")
            return
        views = [*accounts.names, ALL]
        current = self.account or accounts.first
        self.account = views[(views.index(current) + 1) % len(views)]
        self.refilter()

    def action_toggle_unnamed(self) -> None:
        """Show or hide unnamed people."""
        self.show_unnamed = not self.show_unnamed
        self.refilter()

    def action_toggle_hidden(self) -> None:
        """Show or hide hidden people."""
        self.show_hidden = not self.show_hidden
        self.refilter()

    def action_new_rule(self) -> None:
        """A new rule from the selection."""
        if not self.selected_refs():
            self.notify("Select people first (space on a row).", severity="warning")
            return
        self.post_message(NewRuleRequested())

    def action_use_in_rule(self) -> None:
        """Give the selection to the rule being edited."""
        if not self.selected_refs():
            self.notify("Select people first (space on a row).", severity="warning")
            return
        self.post_message(SelectionForRule())

    def _refs(self, mark: str) -> list[PersonRef]:
        accounts = self.services.account_set
        names = {p.id: p.name for p in accounts.shown(ALL, self.services.people)}
        return [  # one per account having the person (several in a cluster group)
            PersonRef(pid, names.get(pid, ""), account)
            for pid, m in self.table.marks.items()
            if m == mark
            for account in accounts.accounts_of(pid)
        ]

    def selected_refs(self) -> list[PersonRef]:
        """The selected people, in selection order."""
        return self._refs("+")

    def excluded_refs(self) -> list[PersonRef]:
        """The people marked for exclusion."""
        return self._refs("-")

    def set_selection(self, people: list[PersonRef], exclude: list[PersonRef]) -> None:
        """Replace the marks by a rule's people."""
        table = self.table
        for pid in list(table.marks):
            table.set_mark(pid, "")
        for ref in people:
            table.set_mark(ref.id, "+")
        for ref in exclude:
            table.set_mark(ref.id, "-")
