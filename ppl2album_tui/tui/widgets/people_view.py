"""The People tab's people as a face grid or (`v`) the list; the list's PeopleTable keeps the marks.

In the grid each tile is a face with the name and photo count under it and the selection (✓) or
exclusion (✗) mark; `space` and `x` mark the face under the cursor, letters go to the filter as
on the list. Faces and counts load only for tiles near the screen (the grid's loader), through the
same disk cache and into the same `counts` as the list's.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Person
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.grid_or_list import GridOrList
from ppl2album_tui.tui.widgets.people_table import PeopleTable, reserved_keys
from ppl2album_tui.tui.widgets.thumb_grid import ThumbGrid
from ppl2album_tui.tui.widgets.tile_layout import Tile

MARKS = {"+": ("✓", "bold green"), "-": ("✗", "bold red")}


class PeopleView(GridOrList):
    """Faces as a grid (default) or the PeopleTable list; `v` switches, on the same person."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "mark('+')", "Select"),
        Binding("x", "mark('-')", "Exclude"),
    ]
    DEFAULT_CSS = "PeopleView { height: 1fr; }"

    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services

    def compose(self) -> ComposeResult:
        yield ThumbGrid(
            loader=self._load,
            protocol=self.services.image_protocol,
            aspect=1.0,
            tile_width=16,
            classes="people-view--grid",
        )
        yield PeopleTable(self.services, id="people-table")

    @property
    def table(self) -> PeopleTable:
        return self.query_one(PeopleTable)

    def show(self, people: list[Person]) -> None:
        """Replace the people (as PeopleTable.show)."""
        self.table.show(people)
        self._retile()

    def _tile(self, person: Person) -> Tile:
        mark, style = MARKS.get(self.table.marks.get(person.id, ""), ("", ""))
        count = self.table.counts.get(person.id)
        account = self.table.account_label(person.id)  # named when several accounts are connected
        return Tile(
            person.id,
            f"{person.display_name} · {account}" if account else person.display_name,
            mark=mark,
            mark_style=style,
            badge="" if count is None else f"{count:,}",
            dim=person.is_hidden,
        )

    def _retile(self) -> None:
        table = self.table
        self.grid.show([self._tile(table.people[key]) for key in table.keys])

    @on(PeopleTable.Marked)
    def _marked(self) -> None:
        self._retile()

    def grid_shown(self) -> None:
        """Marks and counts the list changed meanwhile."""
        if self.is_mounted:
            self._retile()

    def action_mark(self, mark: str) -> None:
        """Select (+) or exclude (-) the face under the grid's cursor, or clear that mark."""
        key = self.grid.current_key()
        if key is not None:
            self.table.set_mark(key, "" if self.table.marks.get(key) == mark else mark)

    def on_key(self, event: events.Key) -> None:
        if not self.grid.has_focus:
            return
        reserved = reserved_keys(self.services)
        if event.character and event.character.isalnum() and event.key not in reserved:
            event.stop()
            event.prevent_default()
            self.post_message(PeopleTable.TypeAhead(event.character))

    async def _load(self, key: str) -> bytes | None:
        """The face of `key` (and its count, for the tile's label)."""
        session, person = self.services.session, self.table.people.get(key)
        if session is None or person is None:
            return None
        client = self.services.account_set.client_of(key) or session.client  # its account's
        if key not in self.table.counts:
            try:
                self.table.counts[key] = await client.person_statistics(key)
            except ImmichError:
                self.table.counts[key] = None
        self.grid.update_tile(self._tile(person))  # the count, also when the list loaded it
        if self.services.image_protocol == "none":
            return None
        return await self.services.thumbs.person(client, person)
