"""A row of small faces with names: the people of the rule being edited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from ppl2album_tui.sync.rules import PersonRef
from ppl2album_tui.tui.images import picture

if TYPE_CHECKING:
    from ppl2album_tui.tui.app import PplApp

CHIP_W = 6
CHIP_H = 3


class FaceChips(Horizontal):
    """Faces of `PersonRef`s; faces come from the disk cache or the server, in a worker."""

    app: PplApp

    def show(self, people: list[PersonRef]) -> None:
        """Replace the chips."""
        self.remove_children()
        if not people:
            self.mount(Static(Text("nobody yet: select people on the People tab", style="dim")))
            return
        for ref in people:
            face = Static(self._face(ref, None), classes="chip-face")
            chip = Vertical(face, Static(Text(ref.label[:12]), classes="chip-name"), classes="chip")
            self.mount(chip)
            self.run_worker(self._load(ref, face), group="chips", exit_on_error=False)

    def _face(self, ref: PersonRef, data: bytes | None) -> object:
        return picture(
            data,
            protocol=self.app.image_protocol,
            label=ref.label,
            key=ref.id,
            width=CHIP_W,
            height=CHIP_H,
        )

    async def _load(self, ref: PersonRef, face: Static) -> None:
        session = self.app.session
        person = next((p for p in self.app.people if p.id == ref.id), None)
        if session is None or person is None:
            return
        data = await self.app.thumbs.person(session.client, person)
        if data is not None:
            face.update(self._face(ref, data))  # type: ignore[arg-type]
