"""Preview tab: what a rule would add, in diff sections; veto/restore; apply with confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static, TabbedContent, TabPane

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.sync.lock import LockBusy, SyncLock
from ppl2album_tui.sync.rules import Rule, RuleError
from ppl2album_tui.tui.widgets.asset_table import AssetTable
from ppl2album_tui.tui.widgets.asset_view import AssetView
from ppl2album_tui.tui.widgets.thumb_grid import ThumbGrid

if TYPE_CHECKING:
    from ppl2album_tui.tui.app import PplApp

# section id -> tab label
SECTIONS = {
    "to_add": "To add",
    "already": "In album",
    "filtered": "Filtered",
    "vetoed": "Vetoed",
    "removed_by_hand": "Removed by hand",
}


def plan_counts(preview: Any) -> dict[str, int]:
    """Section sizes of a RulePreview."""
    plan = preview.plan
    return {key: len(getattr(plan, key)) for key in SECTIONS}


def counts_text(app: PplApp, preview: Any) -> Text:
    """'Kids → “Kids”   matched 1,532 · in album 1,204 · to add 312 · ...'."""
    rule: Rule = preview.rule
    counts = plan_counts(preview)
    album = preview.album.name if preview.album else (rule.album_name or "(new album)")
    text = Text.assemble((rule.name, "bold"), " → ", (f"“{album}”", "bold"))
    if preview.album is None:
        text.append(" (will be created)", style="italic")
    text.append(f"   matched {preview.plan.matched_count:,}")
    for key, label in SECTIONS.items():
        style = "bold green" if key == "to_add" and counts[key] else ""
        text.append(" · ")
        text.append(f"{label.lower()} {counts[key]:,}", style=style)
    return text


class PreviewPane(Vertical):
    """The Preview tab."""

    app: PplApp
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "veto", "Veto/restore", key_display="space"),
        Binding("a", "apply", "Apply"),
        Binding("ctrl+r", "reload", "Recompute"),
        Binding("enter", "view_photo", "Large view", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="preview-pane")
        self.preview: Any = None
        self.rule: Rule | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            Text("No preview yet: open a rule and press Preview ▶.", style="dim"),
            id="preview-counts",
        )
        with TabbedContent(id="preview-tabs"):
            for key, label in SECTIONS.items():
                with TabPane(label, id=f"sec-{key}"):
                    yield AssetView(id=f"table-{key}", state=key, with_reason=key == "filtered")
        yield ProgressBar(id="apply-progress", show_eta=False)
        yield Static("", id="preview-hint")

    def on_mount(self) -> None:
        self.query_one("#apply-progress").display = False

    # ---- loading ---------------------------------------------------------------------------

    def load(self, rule: Rule) -> None:
        """Compute the preview of `rule` (in a worker)."""
        self.rule = rule
        self.query_one("#preview-counts", Static).update(
            Text(f"Computing what “{rule.name}” would add…", style="italic")
        )
        self._compute(rule)

    def action_reload(self) -> None:
        """Compute the preview again."""
        if self.rule is not None:
            self.load(self.rule)

    @work(exclusive=True, group="preview")
    async def _compute(self, rule: Rule) -> None:
        try:
            preview = await self.app.engine.preview(rule)
        except (ImmichError, RuleError) as exc:  # both read as one sentence
            self.query_one("#preview-counts", Static).update(Text(f"✗ {exc}", style="bold red"))
            self.notify(str(exc), title="Preview failed", severity="error")
            return
        self.show_preview(preview)

    def show_preview(self, preview: Any) -> None:
        """Fill the sections from a RulePreview."""
        self.preview = preview
        plan, people = preview.plan, preview.matched.people_of
        for key in SECTIONS:
            table = self.query_one(f"#table-{key}", AssetView)
            if key == "filtered":
                reasons = {a.id: why for a, why in plan.filtered}
                table.show([a for a, _ in plan.filtered], reasons, people)
            else:
                table.show(list(getattr(plan, key)), people=people)
        self._update_counts()

    def _update_counts(self) -> None:
        preview = self.preview
        if preview is None:
            return
        self.query_one("#preview-counts", Static).update(counts_text(self.app, preview))
        counts = plan_counts(preview)
        tabs = self.query_one("#preview-tabs", TabbedContent)
        for key, label in SECTIONS.items():
            tabs.get_tab(f"sec-{key}").label = f"{label} {counts[key]:,}"  # type: ignore[assignment]
        hint = Text("space veto/restore · enter large view · ", style="dim")
        hint.append(f"a apply {counts['to_add']:,}…", style="bold" if counts["to_add"] else "dim")
        self.query_one("#preview-hint", Static).update(hint)

    # ---- veto / restore --------------------------------------------------------------------

    def _section(self) -> str:
        active = self.query_one("#preview-tabs", TabbedContent).active
        return active.removeprefix("sec-")

    def action_veto(self) -> None:
        """Veto the photo under the cursor (To add), or restore it (Vetoed)."""
        if self.preview is None:
            return
        section = self._section()
        table = self.query_one(f"#table-{section}", AssetView)
        asset = table.current_asset()
        if asset is None:
            return
        if section == "to_add":
            self.veto(asset.id)
        elif section == "vetoed":
            self.restore(asset.id)
        else:
            self.notify("Veto photos on “To add”, restore them on “Vetoed”.", severity="warning")

    def veto(self, asset_id: str) -> None:
        """Move a photo from To add to Vetoed and keep it out for good (the rule's never_add)."""
        plan = self.preview.plan
        asset = next(a for a in plan.to_add if a.id == asset_id)
        plan.to_add.remove(asset)
        plan.vetoed.append(asset)
        for rule in self._rules():
            if asset_id not in rule.never_add:
                rule.never_add.append(asset_id)
        self._after_veto(asset.original_file_name, "vetoed: it will never be added")

    def restore(self, asset_id: str) -> None:
        """Move a vetoed photo back to To add."""
        plan = self.preview.plan
        asset = next(a for a in plan.vetoed if a.id == asset_id)
        plan.vetoed.remove(asset)
        plan.to_add.append(asset)
        for rule in self._rules():
            if asset_id in rule.never_add:
                rule.never_add.remove(asset_id)
        self._after_veto(asset.original_file_name, "restored to To add")

    def _rules(self) -> list[Rule]:
        """The previewed rule and its saved copy (if it was edited since), both kept in step."""
        rule: Rule = self.preview.rule
        saved = self.app.rule_by_name(rule.name)
        return [rule] if saved is None or saved is rule else [rule, saved]

    def _after_veto(self, file_name: str, what: str) -> None:
        self.app.save_config()
        plan, people = self.preview.plan, self.preview.matched.people_of
        self.query_one("#table-to_add", AssetView).show(list(plan.to_add), people=people)
        self.query_one("#table-vetoed", AssetView).show(list(plan.vetoed), people=people)
        self._update_counts()
        self.notify(f"{file_name} {what}.")

    def action_view_photo(self) -> None:
        """Show the photo under the cursor large."""
        from ppl2album_tui.tui.screens.modals import PhotoScreen

        if self.preview is None:
            return
        asset = self.query_one(f"#table-{self._section()}", AssetView).current_asset()
        if asset is not None:
            self.app.push_screen(PhotoScreen(asset))

    @on(AssetTable.RowSelected)
    @on(ThumbGrid.Selected)
    def _row_enter(self) -> None:
        self.action_view_photo()

    # ---- apply -----------------------------------------------------------------------------

    def action_apply(self) -> None:
        """Confirm, then add the To add photos to the album."""
        from ppl2album_tui.tui.screens.modals import ConfirmScreen

        preview = self.preview
        if preview is None:
            self.notify("Preview a rule first.", severity="warning")
            return
        counts = plan_counts(preview)
        if not counts["to_add"]:
            self.notify("Nothing to add: the album is up to date.")
            return
        album = preview.album.name if preview.album else (preview.rule.album_name or "")
        body = (
            f"{counts['to_add']:,} photos will be added.\n"
            f"{counts['already']:,} are in the album already.\n"
            f"Left out: {counts['vetoed']:,} vetoed, {counts['filtered']:,} filtered, "
            f"{counts['removed_by_hand']:,} removed by hand."
        )
        if preview.album is None:
            body += f"\nThe album “{album}” will be created first."
        n = counts["to_add"]
        self.app.push_screen(
            ConfirmScreen(f"Add {n:,} photo{'s' if n != 1 else ''} to “{album}”?", body, yes="Add"),
            lambda yes: self._apply() if yes else None,
        )

    @work(group="apply")
    async def _apply(self) -> None:
        from ppl2album_tui.tui.screens.modals import SummaryScreen

        app, preview = self.app, self.preview
        bar = self.query_one("#apply-progress", ProgressBar)
        bar.update(total=len(preview.plan.to_add), progress=0)
        bar.display = True

        def progress(done: int, total: int) -> None:
            bar.update(total=total, progress=done)

        if app.write_lock.locked():
            self.notify("Waiting for the running sync to finish…")
        lock = SyncLock(app.config_path, app.data_dir)  # the same lock as `ppl2album-tui sync`
        try:
            async with app.write_lock:
                with lock:
                    result = await app.engine.apply(
                        preview, on_progress=progress, stop=app.stop_event
                    )
        except LockBusy as exc:
            self.notify(f"{exc} Try again in a moment.", title="Not applied", severity="warning")
            return
        except ImmichError as exc:
            self.notify(str(exc), title="Apply failed", severity="error")
            app.sync_state.log(f"{preview.rule.name}: apply failed: {exc}")
            return
        finally:
            bar.display = False
        rule = preview.rule
        added, dups, failed = int(result.added), int(result.duplicates), int(result.failed)
        app.sync_state.log(
            f"{rule.name}: applied by hand: +{added} added, {dups} already there, {failed} failed."
        )
        status = app.sync_state.status(rule.name)
        status.last_run, status.added, status.pending = app.clock(), added, 0
        status.errors = list(result.errors)
        app.post_refresh("sync")
        if preview.album is None and result.album is not None:
            rule.album_id = result.album.id  # the album was created by name: keep its id
            app.save_config()
        self.notify(
            f"{added:,} added · {dups:,} already there · {failed:,} failed.",
            title=f"{rule.name}: applied",
            severity="error" if failed else "information",
        )
        app.push_screen(SummaryScreen(rule.name, added, dups, failed, list(result.errors)))
        await self.screen.reload_albums()  # type: ignore[attr-defined]
        self.load(rule)
