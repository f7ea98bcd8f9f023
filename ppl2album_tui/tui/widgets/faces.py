"""A row of small faces with names: the people of the rule being edited."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from ppl2album_tui.sync.rules import PersonRef
from ppl2album_tui.tui.account_set import ALL
from ppl2album_tui.tui.images import InitialsBlock, PictureCell, picture
from ppl2album_tui.tui.services import Services

CHIP_W = 6
CHIP_H = 3


class FaceChips(Horizontal):
    """Faces of `PersonRef`s; faces come from the disk cache or the server, in a worker."""

    def __init__(self, services: Services, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.services = services

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

    def _face(self, ref: PersonRef, data: bytes | None) -> InitialsBlock | PictureCell:
        return picture(
            data,
            protocol=self.services.image_protocol,
            label=ref.label,
            key=ref.id,
            width=CHIP_W,
            height=CHIP_H,
        )

    async def _load(self, ref: PersonRef, face: Static) -> None:
        session, accounts = self.services.session, self.services.account_set
        everyone = accounts.shown(ALL, self.services.people)
        person = next((p for p in everyone if p.id == ref.id), None)
        if session is None or person is None:
            return
        client = accounts.client_of(ref.id) or session.client  # the person's account's
        data = await self.services.thumbs.person(client, person)
        if data is not None:
            face.update(self._face(ref, data))
