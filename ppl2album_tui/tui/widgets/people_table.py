"""The virtualized people table: face, name, photo count, mark; faces and counts load lazily."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Person
from ppl2album_tui.tui.images import picture
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.lazy_table import LazyTable

FACE_W = 8
# keys that are bindings on the table or the People tab; other letters go to the filter box
RESERVED = frozenset({"space", "x", "v", "n", "u", "h", "r", "s", "p", "q", "1", "2", "3", "4"})


def reserved_keys(services: Services) -> frozenset[str]:
    """The keys that are bindings, not type-ahead (`a` switches accounts once there are two)."""
    return RESERVED | {"a"} if services.account_set.clients else RESERVED


def name_cell(person: Person, account: str = "") -> Text:
    """Name in bold plus a dim line of facts (the account it belongs to, when given)."""
    text = Text(person.display_name, style="bold" if person.name else "italic")
    facts = [f"account {account}"] if account else []
    if person.birth_date:
        facts.append(f"born {person.birth_date[:4]}")
    if person.is_favorite:
        facts.append("★ favourite")
    if person.is_hidden:
        facts.append("hidden")
    if facts:
        text.append("\n" + " · ".join(facts), style="dim")
    return text


def mark_cell(mark: str) -> Text:
    """✓ selected, ✗ excluded, blank otherwise."""
    if mark == "+":
        return Text(" ✓", style="bold green")
    if mark == "-":
        return Text(" ✗", style="bold red")
    return Text("")


class PeopleTable(LazyTable):
    """One row per person; `space` selects, `x` excludes."""

    row_height = 4
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Select", key_display="space"),
        Binding("x", "exclude", "Exclude"),
    ]

    class Marked(Message):
        """The selection changed."""

    class TypeAhead(Message):
        """A letter typed on the table, meant for the filter."""

        def __init__(self, character: str) -> None:
            super().__init__()
            self.character = character

    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.people: dict[str, Person] = {}
        self.marks: dict[str, str] = {}  # id -> "+" (include) or "-" (exclude), in marking order
        self.counts: dict[str, int | None] = {}
        self._faces: dict[str, Any] = {}

    columns = (
        ("face", "", FACE_W),
        ("name", "Name", 30),
        ("count", "  Photos", 8),
        ("mark", "", 3),
    )

    def show(self, people: list[Person]) -> None:
        """Replace the rows by `people`."""
        self.people = {p.id: p for p in people}
        self.fill([p.id for p in people], self._row_cells)

    def _row_cells(self, key: str) -> list[Any]:
        person = self.people[key]
        return [
            self._face(person),
            name_cell(person, self.account_label(key)),
            self._count_text(key),
            mark_cell(self.marks.get(key, "")),
        ]

    def account_label(self, person_id: str) -> str:
        """The person's account, named when several are connected."""
        accounts = self.services.account_set
        if not accounts.clients:
            return ""
        return accounts.label(person_id)

    def _face(self, person: Person, data: bytes | None = None) -> Any:
        face = self._faces.get(person.id)
        if face is None:
            face = picture(
                data,
                protocol=self.services.image_protocol,
                label=person.display_name,
                key=person.id,
                width=FACE_W,
                height=self.row_height,
            )
        return face

    def _count_text(self, person_id: str) -> Text:
        if person_id not in self.counts:
            return Text("…", style="dim", justify="right")
        count = self.counts[person_id]
        return Text("–" if count is None else f"{count:,}", justify="right")

    # ---- marks -----------------------------------------------------------------------------

    def set_mark(self, person_id: str, mark: str) -> None:
        """Set "+", "-" or "" on a person."""
        if mark:
            self.marks.pop(person_id, None)
            self.marks[person_id] = mark
        else:
            self.marks.pop(person_id, None)
        self.set_cell(person_id, "mark", mark_cell(mark))
        self.post_message(self.Marked())

    def _toggle(self, mark: str) -> None:
        person_id = self.current_key()
        if person_id is not None:
            self.set_mark(person_id, "" if self.marks.get(person_id) == mark else mark)

    def action_select(self) -> None:
        """Select or unselect the person under the cursor."""
        self._toggle("+")

    def action_exclude(self) -> None:
        """Exclude (or un-exclude) the person under the cursor."""
        self._toggle("-")

    def on_key(self, event: events.Key) -> None:
        if (
            event.character
            and event.character.isalnum()
            and event.key not in reserved_keys(self.services)
        ):
            event.stop()
            event.prevent_default()
            self.post_message(self.TypeAhead(event.character))

    # ---- lazy loading ----------------------------------------------------------------------

    def can_load(self) -> bool:
        return self.services.session is not None

    def needs_load(self, key: str) -> bool:
        return key not in self._faces or key not in self.counts

    async def load_row(self, key: str) -> None:
        session = self.services.session
        person = self.people.get(key)
        if session is None or person is None:
            return
        client = self.services.account_set.client_of(key) or session.client
        if key not in self._faces and self.services.image_protocol == "none":
            self._faces[key] = self._face(person)  # initials: nothing to download
        if key not in self._faces:
            try:
                data = await self.services.thumbs.person(client, person)
            except Exception as exc:  # the face stays a placeholder; the count still loads
                self.log.error(f"face of {key}: {exc!r}")
                data = None
            self._faces[key] = self._face(person, data)
            self.set_cell(key, "face", self._faces[key])
        if key not in self.counts:
            try:
                self.counts[key] = await client.person_statistics(key)
            except ImmichError:
                self.counts[key] = None
            self.set_cell(key, "count", self._count_text(key))
