"""Sync tab: the auto-sync dashboard (a row per rule, status, activity log)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Label, RichLog, Static

from ppl2album_tui.tui.autosync import RuleStatus, describe_interval, parse_interval, rule_outcome
from ppl2album_tui.tui.messages import AlbumsChanged, ConfigChanged
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.growth import GrowthChart
from ppl2album_tui.tui.widgets.header import sync_status_text


def last_run_text(now: datetime, status: RuleStatus) -> str:
    """'10:42 (2 min ago)' or 'never'."""
    if status.last_run is None:
        return "never"
    ago = int((now - status.last_run).total_seconds())
    if ago < 60:
        rel = "just now"
    elif ago < 3600:
        rel = f"{ago // 60} min ago"
    else:
        rel = f"{ago // 3600} h ago"
    return f"{status.last_run:%H:%M} ({rel})"


OUTCOME_STYLES = {
    "off": "dim",
    "error": "yellow",
    "waiting": "dim",
    "review": "cyan",
    "ok": "green",
    "undone": "magenta",
}


class SyncPane(Vertical):
    """The Sync tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "interval", "Interval"),
        Binding("e", "toggle_enabled", "Enable/disable"),
        Binding("o", "open_album", "Open album"),
        Binding("w", "review", "Review waiting"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(id="sync-pane")
        self.services = services
        self._logged = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="sync-status")
        yield DataTable(id="sync-rules", cursor_type="row")
        yield Static("", id="sync-detail")
        yield GrowthChart(id="sync-growth")
        yield Label("Activity", classes="section-title")
        yield RichLog(id="sync-log", wrap=True, markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#sync-rules", DataTable)
        table.add_column("Rule", key="rule", width=18)
        table.add_column("Album", key="album", width=18)
        table.add_column("On", key="on", width=4)
        table.add_column("Auto", key="auto", width=5)
        table.add_column("Last run", key="last", width=18)
        table.add_column("Added", key="added", width=6)
        table.add_column("Errors", key="errors", width=6)
        table.add_column("Next", key="next", width=7)
        table.add_column("Status", key="status", width=34)
        self.services.watch_sync(self, self.refresh_live)
        self.refresh_rows()
        self.refresh_live()

    def results_changed(self) -> None:
        """Rules or results changed."""
        if self.is_mounted:
            self.refresh_rows()
            self.refresh_live()

    def refresh_rows(self) -> None:
        """Rebuild the per-rule table."""
        table = self.query_one("#sync-rules", DataTable)
        row = table.cursor_row
        table.clear()
        state = self.services.sync_state
        for rule in self.services.config.rules:
            status = state.status(rule.name)
            outcome = rule_outcome(status, enabled=rule.enabled, auto=rule.auto_apply)
            added = f"{status.added:,}" if rule.auto_apply else f"({status.pending:,})"
            if status.undone is not None:
                added = f"−{status.undone:,}"
            table.add_row(
                Text(rule.name, style="bold"),
                self.services.album_name(rule),
                "on" if rule.enabled else "off",
                "on" if rule.auto_apply else "off",
                last_run_text(self.services.clock(), status),
                Text(added, justify="right"),
                Text(
                    str(len(status.errors)), justify="right", style="red" if status.errors else ""
                ),
                self._next_text(rule.enabled),
                Text(outcome.short, style=OUTCOME_STYLES[outcome.kind]),
                key=rule.name,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self._show_detail()

    @on(DataTable.RowHighlighted, "#sync-rules")
    def _show_detail(self) -> None:
        """The whole sentence of the rule under the cursor, the rule named once."""
        rule = self.services.rule_by_name(self._current_rule() or "")
        detail = Text()
        if rule is not None:
            status = self.services.sync_state.status(rule.name)
            album = f"“{self.services.album_name(rule)}”"
            outcome = rule_outcome(status, enabled=rule.enabled, auto=rule.auto_apply, album=album)
            detail.append(f"{rule.name}: ", style="bold")
            detail.append(outcome.sentence, style=OUTCOME_STYLES[outcome.kind])
            if status.shared_link:
                detail.append(f"\nShared link: {status.shared_link}")
        self.query_one("#sync-detail", Static).update(detail)
        chart, journal = self.query_one(GrowthChart), self.services.journal
        chart.display = rule is not None and journal is not None
        if rule is not None and journal is not None:  # the album's growth, from the journal
            chart.show(journal.applies(rule.name), self.services.clock().date())

    def _next_text(self, enabled: bool) -> Text:
        state = self.services.sync_state
        if not enabled:
            return Text("—", style="dim")
        if state.running:
            return Text("now", style="yellow")
        if state.paused:
            return Text("paused", style="red")
        return Text(state.countdown())

    def refresh_live(self) -> None:
        """Status line, countdowns and new activity lines (every timer tick)."""
        state = self.services.sync_state
        table = self.query_one("#sync-rules", DataTable)
        for rule in self.services.config.rules:
            if rule.name in table.rows:
                table.update_cell(rule.name, "next", self._next_text(rule.enabled))
        line = sync_status_text(state)
        line.append("   s sync now · p pause/resume · i interval · e enable/disable", style="dim")
        if any(r.approve_new for r in self.services.config.rules):
            line.append(" · w review waiting", style="dim")
        if not self.services.config.rules:
            line.append("\nNo rules yet: select people on the People tab and press n.", style="dim")
        self.query_one("#sync-status", Static).update(line)
        log = self.query_one("#sync-log", RichLog)
        fresh = min(state.logged - self._logged, len(state.activity))
        for text in list(state.activity)[len(state.activity) - fresh :]:
            log.write(text)
        self._logged = state.logged

    def _current_rule(self) -> str | None:
        table = self.query_one("#sync-rules", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_toggle_enabled(self) -> None:
        """Enable or disable the rule under the cursor."""
        rule = self.services.rule_by_name(self._current_rule() or "")
        if rule is None:
            return
        rule.enabled = not rule.enabled
        self.services.save_config()
        self.services.sync_state.log(f"{rule.name}: {'enabled' if rule.enabled else 'disabled'}.")
        self.services.sync_changed()
        self.post_message(ConfigChanged())

    def action_open_album(self) -> None:
        """Open the album of the rule under the cursor in the browser."""
        name = self._current_rule()
        if name:
            self.services.open_album(name)

    def action_review(self) -> None:
        """Review the photos waiting for approval of the rule under the cursor."""
        from ppl2album_tui.tui.screens.review import ReviewScreen

        rule = self.services.rule_by_name(self._current_rule() or "")
        if rule is None:
            return
        if not rule.approve_new:
            self.notify(
                f"“{rule.name}” adds new photos itself: turn on approve_new in the rule editor "
                "to approve them first.",
                severity="warning",
            )
            return

        def done(changed: bool | None) -> None:
            if changed:
                self.post_message(ConfigChanged())
                self.post_message(AlbumsChanged())

        self.app.push_screen(ReviewScreen(self.services, rule), done)

    def action_interval(self) -> None:
        """Ask for a new interval."""
        from ppl2album_tui.tui.screens.modals import AskScreen

        def done(value: str | None) -> None:
            if value:
                self.services.set_interval_seconds(parse_interval(value))

        self.app.push_screen(
            AskScreen(
                "Auto-sync interval",
                f"Now {describe_interval(self.services.sync_state.interval)}. e.g. 900, 15m, 1h",
                str(self.services.sync_state.interval),
                validate=parse_interval,
            ),
            done,
        )
