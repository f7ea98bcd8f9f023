"""The one-line header: server, version, user on the left; auto-sync status on the right."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ppl2album_tui.tui.autosync import AutoSyncState, describe_interval
from ppl2album_tui.tui.services import Services


def sync_status_text(state: AutoSyncState) -> Text:
    """'auto-sync ● every 15 min · next 04:12' (or paused / running)."""
    text = Text()
    if state.running:
        text.append("auto-sync ", style="bold")
        text.append("⟳ syncing…", style="bold yellow")
    elif state.paused:
        text.append("auto-sync ", style="bold")
        text.append("‖ paused", style="bold red")
    else:
        text.append("auto-sync ", style="bold")
        text.append("● ", style="bold green")
        text.append(f"{describe_interval(state.interval)} · next {state.countdown()}")
    return text


class StatusHeader(Static):
    """ppl2album-tui · host (Immich x.y.z) · user          auto-sync ● every 15 min · next 04:12"""

    def __init__(self, services: Services, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.services = services

    def on_mount(self) -> None:
        self.services.watch_sync(self, self.refresh_live)
        self.refresh_live()

    def refresh_live(self) -> None:
        """Redraw (called every timer tick)."""
        session = self.services.session
        left = Text(" ppl2album-tui", style="bold")
        if session is not None:
            left.append(f" · {session.host} (Immich {session.version})")
            if session.user:
                left.append(f" · {session.user.name or session.user.email}")
        right = sync_status_text(self.services.sync_state)
        right.append(" ")
        width = max(self.size.width, 80)
        gap = max(1, width - left.cell_len - right.cell_len)
        # one line, always: no layout (a layout every second repaints the whole top screen,
        # a sixel photo included, in a real terminal)
        self.update(Text.assemble(left, " " * gap, right), layout=False)

    def on_resize(self) -> None:
        self.refresh_live()
