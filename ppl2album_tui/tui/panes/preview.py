"""Preview tab: what a rule would add, in diff sections; veto/restore; apply with confirmation."""

from __future__ import annotations

import bisect
import gc
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static, TabbedContent, TabPane

from ppl2album_tui.errors import UserError
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Album, Asset
from ppl2album_tui.sync.accounts import AccountsPreview, spans_accounts
from ppl2album_tui.sync.applier import ApplyResult
from ppl2album_tui.sync.engine import RulePreview
from ppl2album_tui.sync.lock import LockBusy
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.sync.yearly import album_reports
from ppl2album_tui.tui.messages import AlbumsChanged, ConfigChanged
from ppl2album_tui.tui.remove_details import bare, with_details
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.asset_table import AssetTable
from ppl2album_tui.tui.widgets.asset_view import AssetView
from ppl2album_tui.tui.widgets.thumb_grid import ThumbGrid

if TYPE_CHECKING:
    from ppl2album_tui.tui.screens.modals import PhotoFacts

REFUSED = "no permission"  # the planner's reason for photos the server refused before

# section id -> tab label
SECTIONS = {
    "to_add": "To add",
    "already": "In album",
    "filtered": "Filtered",
    "vetoed": "Vetoed",
    "removed_by_hand": "Removed by hand",
    "to_remove": "To remove",  # mirror mode only (remove_unmatched): its tab is hidden otherwise
}
WITH_REASON = ("filtered", "to_remove")


def _sections(rule: Rule) -> dict[str, str]:
    """The sections a rule's preview shows."""
    return {k: v for k, v in SECTIONS.items() if k != "to_remove" or rule.remove_unmatched}


def counts_text(preview: RulePreview) -> Text:
    """'Kids → “Kids”   matched 1,532 · in album 1,204 · to add 312 · ...'."""
    rule = preview.rule
    counts = preview.plan.counts()
    album = preview.album.name if preview.album else (rule.album_name or "(new album)")
    text = Text.assemble((rule.name, "bold"), " → ", (f"“{album}”", "bold"))
    if preview.album is None:
        text.append(" (will be created)", style="italic")
    text.append(f"   matched {preview.plan.matched_count:,}")
    for key, label in _sections(rule).items():
        style = "bold green" if key == "to_add" and counts[key] else ""
        text.append(" · ")
        text.append(f"{label.lower()} {counts[key]:,}", style=style)
    for year in album_reports(preview.plan, preview.years):  # one album per year: each
        text.append(f"\n  {year.album}", style="bold")
        if year.new:
            text.append(" (new)", style="italic")
        text.append(f": to add {year.to_add:,} · in album {year.already:,}")
        if preview.rule.remove_unmatched:
            text.append(f" · to remove {year.to_remove:,}")
    for note in preview.matched.notes:  # partners' photos left out, people re-linked by name
        text.append(f"\n{note}", style="italic")
    access = access_text(preview)
    if access:
        text.append("\n")
        text.append_text(access)
    if rule.approve_new and counts["to_add"]:
        text.append(
            f"\napprove_new: a sync leaves these {counts['to_add']:,} waiting (w on the Sync tab);"
            " applying here approves them all.",
            style="cyan",
        )
    return text


def access_text(preview: RulePreview) -> Text:
    """Who gets access to the album: its users with their roles (new ones marked) and the shared
    link; empty when the rule shares nothing."""
    access, text = preview.access, Text()
    members = [(m, "new") for m in access.add] + [(m, "new role") for m in access.change]
    members += [(m, "") for m in (*access.keep, *access.known)]
    if members:
        text.append("Shared with: ", style="bold")
        for i, (m, how) in enumerate(members):
            text.append(", " if i else "")
            text.append(f"{m.label} ({m.role}{', ' + how if how else ''})",
                        style="bold green" if how else "")  # fmt: skip
    for m in access.remove:
        text.append(f"\nNo longer shared with: {m.label} (this app added them)", style="yellow")
    if access.make_link:
        text.append("\nA shared link will be created", style="bold green")
        text.append(" (for people without an account).")
    elif access.link_url:
        text.append(f"\nShared link: {access.link_url}")
    for problem in access.problems:
        text.append(f"\n⚠ {problem}", style="yellow")
    return Text("\n").join(line for line in text.split() if line.plain) if text else text


class PreviewPane(Vertical):
    """The Preview tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "veto", "Veto/restore", key_display="space"),
        Binding("a", "apply", "Apply"),
        Binding("c", "allow_again", "Allow again"),
        Binding("ctrl+r", "reload", "Recompute"),
        Binding("enter", "view_photo", "Large view", show=False),
        Binding("k", "one_key", "One key"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(id="preview-pane")
        self.services = services
        self.preview: RulePreview | None = None
        self.multi: AccountsPreview | None = None  # a rule over several accounts: each's part
        self.rule: Rule | None = None
        self.computed_at: datetime | None = None  # when `preview` was computed
        self.stale = ""  # why the last recompute failed: `preview` may be out of date

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`k` only while one account's key can do the rule alone."""
        if action == "one_key":
            return self.multi is not None and self.multi.one_key is not None
        return True

    def compose(self) -> ComposeResult:
        yield Static(
            Text("No preview yet: open a rule and press Preview ▶.", style="dim"),
            id="preview-counts",
        )
        with TabbedContent(id="preview-tabs"):
            for key, label in SECTIONS.items():
                with TabPane(label, id=f"sec-{key}"):
                    yield AssetView(
                        self.services, id=f"table-{key}", state=key, with_reason=key in WITH_REASON
                    )
        yield ProgressBar(id="apply-progress", show_eta=False)
        yield Static("", id="preview-hint")

    def on_mount(self) -> None:
        self.query_one("#apply-progress").display = False
        self.query_one("#preview-tabs", TabbedContent).hide_tab("sec-to_remove")

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
        engine = self.services.engine
        if engine is None:
            return
        gc.unfreeze()  # the shown preview's objects may be collected again (see show_preview)
        accounts = self.services.account_set.runner
        try:
            if accounts is not None and spans_accounts(rule, accounts.config):
                multi: AccountsPreview | None = await accounts.preview(rule)
                assert multi is not None
                preview = multi.combined()
            else:
                multi, preview = None, await engine.preview(rule)
        except UserError as exc:  # one sentence
            self.notify(str(exc), title="Preview failed", severity="error")
            if self.preview is None:
                self.query_one("#preview-counts", Static).update(Text(f"✗ {exc}", style="bold red"))
            else:
                self.stale = str(exc)
                self._update_counts()
            return
        self.computed_at, self.stale, self.multi = self.services.clock(), "", multi
        self.refresh_bindings()
        self.show_preview(preview)

    def show_preview(self, preview: RulePreview) -> None:
        """Fill the sections from a RulePreview."""
        self.preview = preview
        if preview.matched.relinked:  # a person id changed on the server: keep the new one
            for rule in self._rules():
                rule.people, rule.exclude = list(preview.rule.people), list(preview.rule.exclude)
            self.services.save_config()
        plan, people = preview.plan, preview.matched.people_of
        tabs = self.query_one("#preview-tabs", TabbedContent)
        if preview.rule.remove_unmatched:
            tabs.show_tab("sec-to_remove")
        else:
            tabs.hide_tab("sec-to_remove")
        for key in SECTIONS:
            table = self.query_one(f"#table-{key}", AssetView)
            if key in WITH_REASON:
                pairs: list[tuple[Asset, str]] = getattr(plan, key)
                reasons = {a.id: why for a, why in pairs}
                table.show([a for a, _ in pairs], reasons, people)
            else:
                table.show(list(getattr(plan, key)), people=people)
        self._update_counts()
        if bare(plan.to_remove):
            self._read_to_remove(preview)
        # A 100,000-photo preview is a million objects that live until the next one: left to the
        # cycle collector, each of its full passes over them stops the app for up to a second
        # while scrolling. Frozen, they are left out of those passes (freed as usual when no
        # longer referenced; the next compute unfreezes them for cycles).
        gc.freeze()

    @work(exclusive=True, group="to-remove")
    async def _read_to_remove(self, preview: RulePreview) -> None:
        """Name the To remove rows the album read gave by id only (see tui/remove_details)."""
        session, plan = self.services.session, preview.plan
        if session is None:
            return
        plan.to_remove[:] = await with_details(session.client, plan.to_remove)
        reasons = {a.id: why for a, why in plan.to_remove}
        for view in self.query("#table-to_remove").results(AssetView):  # none once unmounted
            if self.preview is preview:
                view.show([a for a, _ in plan.to_remove], reasons, preview.matched.people_of)

    def _update_counts(self) -> None:
        preview = self.preview
        if preview is None:
            return
        line = counts_text(preview)
        if self.multi is not None:
            for text in self.multi.text():
                line.append(f"\n{text}", style="bold red" if text.startswith("✗") else "")
        if self.stale:  # say so, and keep no number on the tabs that may be wrong
            when = f"{self.computed_at:%H:%M:%S}" if self.computed_at else "earlier"
            head = Text("⚠ This preview could not be refreshed", style="bold yellow")
            head.append(f": {self.stale} Shown: the preview computed at {when}; ")
            head.append("ctrl+r tries again.\n")
            line.stylize("dim")
            line = Text.assemble(head, line)
        self.query_one("#preview-counts", Static).update(line)
        counts = preview.plan.counts()
        tabs = self.query_one("#preview-tabs", TabbedContent)
        for key, label in SECTIONS.items():
            text = label if self.stale else f"{label} {counts[key]:,}"
            tabs.get_tab(f"sec-{key}").label = Content(text)
        hint = Text("space veto/restore · enter large view · ", style="dim")
        hint.append(f"a apply {counts['to_add']:,}…", style="bold" if counts["to_add"] else "dim")
        refused = sum(1 for _, why in preview.plan.filtered if why == REFUSED)
        if counts["removed_by_hand"]:
            hint.append(f" · c allow {counts['removed_by_hand']:,} removed by hand…", style="dim")
        if refused:
            hint.append(f" · c retry {refused:,} refused (Filtered)…", style="dim")
        if self.multi is not None and self.multi.one_key is not None:
            hint.append(f" · k use {self.multi.one_key.account}'s key alone…", style="bold")
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
        if self.preview is None:
            return
        plan = self.preview.plan
        asset = next(a for a in plan.to_add if a.id == asset_id)
        plan.to_add.remove(asset)
        self._put_back(plan.vetoed, asset)
        for rule in self._rules():
            if asset_id not in rule.never_add:
                rule.never_add.append(asset_id)
        self._after_veto(asset.original_file_name, "vetoed: it will never be added")

    def restore(self, asset_id: str) -> None:
        """Move a vetoed photo back to To add."""
        if self.preview is None:
            return
        plan = self.preview.plan
        asset = next(a for a in plan.vetoed if a.id == asset_id)
        plan.vetoed.remove(asset)
        self._put_back(plan.to_add, asset)
        for rule in self._rules():
            if asset_id in rule.never_add:
                rule.never_add.remove(asset_id)
        self._after_veto(asset.original_file_name, "restored to To add")

    def _put_back(self, section: list[Asset], asset: Asset) -> None:
        """Insert `asset` where the search results have it (not at the end, under a month of
        its own)."""
        assert self.preview is not None
        rank = self.preview.matched.rank
        bisect.insort(section, asset, key=lambda a: rank.get(a.id, len(rank)))

    def _rules(self) -> list[Rule]:
        """The previewed rule and its saved copy (if it was edited since), both kept in step."""
        if self.preview is None:
            return []
        rule = self.preview.rule
        saved = self.services.rule_by_name(rule.name)
        return [rule] if saved is None or saved is rule else [rule, saved]

    def _after_veto(self, file_name: str, what: str) -> None:
        self.services.save_config()
        if self.preview is None:
            return
        plan, people = self.preview.plan, self.preview.matched.people_of
        self.query_one("#table-to_add", AssetView).show(list(plan.to_add), people=people)
        self.query_one("#table-vetoed", AssetView).show(list(plan.vetoed), people=people)
        self._update_counts()
        self.notify(f"{file_name} {what}.")
        self.post_message(ConfigChanged())

    def action_one_key(self) -> None:
        """Show what the rule becomes with one account's key alone, and rewrite it (saved)
        after a confirmation; the Preview then shows the rewritten rule."""
        from ppl2album_tui.tui.screens.modals import ConfirmScreen

        one = self.multi.one_key if self.multi is not None else None
        saved = self.services.rule_by_name(one.rule.name) if one is not None else None
        if one is None or saved is None:
            return
        counts = one.preview.plan.counts()
        people = ", ".join(dict.fromkeys(ref.label for ref in one.rule.people))
        body = (
            f"The rule will name {one.account}'s people only ({people}) and take "
            "the photos its partners share (include_partners = true), so one key does it all.\n"
            f"With that key it matches {counts['matched']:,} photos ({one.from_where()}); "
            f"{counts['already']:,} are in the album, {counts['to_add']:,} to add.\n"
            "Nothing is added until you apply."
        )

        def done(yes: bool | None) -> None:
            if yes:
                saved.people, saved.exclude = list(one.rule.people), list(one.rule.exclude)
                saved.include_partners, saved.album_account = True, one.rule.album_account
                self.services.save_config()
                self.post_message(ConfigChanged())
                self.load(saved)

        title = f"Use {one.account}'s key alone for “{one.rule.name}”?"
        self.app.push_screen(ConfirmScreen(title, body, yes="Rewrite rule"), done)

    def action_allow_again(self) -> None:
        """Confirm, then let the photos removed by hand (on Removed by hand) or the ones the
        server refused (on Filtered) be added again: they go back to To add."""
        from ppl2album_tui.tui.screens.modals import ConfirmScreen

        preview = self.preview
        if preview is None or (preview.album is None and not preview.years):
            self.notify("Nothing was kept out of an album that does not exist yet.")
            return
        album = preview.album.name if preview.album else preview.album_label
        section, plan = self._section(), preview.plan
        if section == "removed_by_hand":
            ids = [a.id for a in plan.removed_by_hand]
            what = f"photo{'s' if len(ids) != 1 else ''} removed by hand"
            title = f"Allow {len(ids):,} {what} again?"
            body = (
                f"Someone took them out of “{album}” after this tool added them, so they are "
                "kept out. Allowed again, they go back to To add; the next apply adds them."
            )
        elif section == "filtered":
            ids = [a.id for a, why in plan.filtered if why == REFUSED]
            what = f"refused photo{'s' if len(ids) != 1 else ''}"
            title = f"Retry {len(ids):,} {what}?"
            body = (
                f"The server refused to add them to “{album}” (no permission), so they are "
                "kept out. Retried, they go back to To add; the next apply sends them again."
            )
        else:
            self.notify(
                "c allows photos again on “Removed by hand” and refused ones on “Filtered”.",
                severity="warning",
            )
            return
        if not ids:
            self.notify(f"No {what} in this preview.")
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.allow_again(ids)

        self.app.push_screen(ConfirmScreen(title, body, yes="Allow again"), done)

    def allow_again(self, ids: list[str]) -> None:
        """Clear the journal's tombstones and refusals of `ids` and plan the preview again."""
        preview, engine, journal = self.preview, self.services.engine, self.services.journal
        if preview is None or engine is None or journal is None:
            return
        albums = [y.album for y in preview.years] if preview.years else [preview.album]
        for album in albums:  # one album per year: each clears its own
            if album is not None:
                journal.clear_removed_by_hand(preview.rule, ids, album.id)
        self.preview = engine.replan(preview)
        self.show_preview(self.preview)
        n = len(ids)
        self.notify(f"{n:,} photo{'s' if n != 1 else ''} back in To add.")

    def action_view_photo(self) -> None:
        """Show the photo under the cursor large, with its facts; veto/restore work from there."""
        from ppl2album_tui.tui.screens.modals import PhotoScreen

        if self.preview is None:
            return
        asset = self.query_one(f"#table-{self._section()}", AssetView).current_asset()
        facts = self.photo_facts(asset.id) if asset is not None else None
        if facts is not None:
            self.app.push_screen(PhotoScreen(self.services, facts, self._toggle_veto, self._step))

    def photo_facts(self, asset_id: str) -> PhotoFacts | None:
        """The file, date, people and album membership of a photo of the preview."""
        from ppl2album_tui.tui.screens.modals import facts_of

        preview = self.preview
        if preview is None:
            return None
        album = preview.album.name if preview.album else (preview.rule.album_name or "")
        plan, names = preview.plan, preview.matched.people_of
        for state in SECTIONS:
            items = getattr(plan, state)
            pairs = items if state in WITH_REASON else [(a, "") for a in items]
            for asset, why in pairs:
                if asset.id == asset_id:
                    matched = list(names.get(asset.id, []))
                    return facts_of(asset, album, state, why, matched, self.services.person_name)
        return None

    def _toggle_veto(self, asset_id: str) -> PhotoFacts | None:
        facts = self.photo_facts(asset_id)
        if facts is not None and facts.state == "to_add":
            self.veto(asset_id)
        elif facts is not None and facts.state == "vetoed":
            self.restore(asset_id)
        return self.photo_facts(asset_id)

    def _step(self, asset_id: str, delta: int) -> PhotoFacts | None:
        """The facts of the photo `delta` places from `asset_id` in the section, the cursor moved
        there (the large view's arrows); None past either end."""
        view = self.query_one(f"#table-{self._section()}", AssetView)
        view.move_to(asset_id)
        if view.current_key() != asset_id and delta > 0:  # vetoed or restored away: the next
            key = view.current_key()  # photo has taken its place
        else:
            key = view.step(delta)
        return self.photo_facts(key) if key is not None else None

    @on(AssetTable.RowSelected)
    @on(ThumbGrid.Selected)
    def _row_enter(self) -> None:
        self.action_view_photo()

    # ---- apply -----------------------------------------------------------------------------

    async def _send(
        self,
        preview: RulePreview,
        multi: AccountsPreview | None,
        progress: Callable[[int, int], None],
    ) -> ApplyResult:
        """Apply (its removals were shown and confirmed): each account's part with its key
        when the rule spans accounts."""
        app = self.services
        runner = app.account_set.runner
        if multi is None or runner is None:
            assert app.engine is not None
            return await app.engine.apply(
                preview, on_progress=progress, stop=app.stop_event, remove=True
            )
        report = await runner.apply(
            multi, on_progress=lambda _, d, t: progress(d, t), stop=app.stop_event, remove=True
        )
        result = ApplyResult(
            added=report.added,
            duplicates=report.duplicates,
            failed=report.failed,
            removed=report.removed,
        )
        result.problems, result.stopped = report.problems, report.stopped
        if multi.setup.album is None and report.album_id:
            result.album = Album(report.album_id, report.album)
        return result

    def action_apply(self) -> None:
        """Confirm, then add the To add photos to the album."""
        from ppl2album_tui.tui.screens.modals import ConfirmScreen

        preview = self.preview
        if preview is None:
            self.notify("Preview a rule first.", severity="warning")
            return
        if self.stale:
            self.notify("This preview is out of date: ctrl+r recomputes it.", severity="warning")
            return
        ran = self.services.sync_state.status(preview.rule.name).last_run
        if ran is not None and self.computed_at is not None and ran > self.computed_at:
            self.notify("A sync ran since this preview: recomputed. Check it, then press a again.")
            self.load(preview.rule)
            return
        counts = preview.plan.counts()
        n, gone = counts["to_add"], counts["to_remove"]
        sharing = preview.access.changes and preview.album is not None
        if not n and not gone and not sharing:
            self.notify("Nothing to add: the album is up to date.")
            return
        album = preview.album.name if preview.album else (preview.rule.album_name or "")
        body = (
            f"{counts['to_add']:,} photos will be added.\n"
            f"{counts['already']:,} are in the album already.\n"
            f"Left out: {counts['vetoed']:,} vetoed, {counts['filtered']:,} filtered, "
            f"{counts['removed_by_hand']:,} removed by hand."
        )
        if gone:
            them = (
                f"{gone:,} photos this rule added no longer match"
                if gone != 1
                else ("1 photo this rule added no longer matches")
            )
            body += f"\n{them} and will be removed."
        new = [y.album for y in album_reports(preview.plan, preview.years) if y.new and y.to_add]
        if preview.years:
            if new:
                body += f"\nNew albums, created first: {', '.join(new)}."
        elif preview.album is None:
            body += f"\nThe album “{album}” will be created first."
        if preview.access.changes:
            body += "\n" + access_text(preview).plain
        if self.multi is not None:
            body += "\n" + "\n".join(self.multi.text())
        title = f"Add {n:,} photo{'s' if n != 1 else ''} to “{album}”?"
        if gone:
            title = f"Add {n:,} and remove {gone:,} photo{'s' if gone != 1 else ''} in “{album}”?"
        elif not n:
            title = f"Share “{album}” as the rule says?"

        multi = self.multi

        def done(yes: bool | None) -> None:
            if yes:
                self._apply(preview, multi)

        self.app.push_screen(
            ConfirmScreen(title, body, yes="Apply" if gone else "Add"),
            done,
        )

    @work(group="apply")
    async def _apply(self, preview: RulePreview, multi: AccountsPreview | None = None) -> None:
        from ppl2album_tui.tui.screens.modals import SummaryScreen

        app, engine = self.services, self.services.engine
        if engine is None:
            return
        bar = self.query_one("#apply-progress", ProgressBar)
        bar.update(total=len(preview.plan.to_add), progress=0)
        bar.display = True

        def progress(done: int, total: int) -> None:
            bar.update(total=total, progress=done)

        if app.write_lock.locked():
            self.notify("Waiting for the running sync to finish…")
        try:
            async with app.write_lock:
                with app.sync_lock():  # the same lock as `ppl2album-tui sync`
                    result = await self._send(preview, multi, progress)
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
        gone = f", -{result.removed} removed" if result.removed else ""
        app.sync_state.log(f"{rule.name}: applied by hand: +{added} added{gone}, "
                           f"{dups} already there, {failed} failed.")  # fmt: skip
        status = app.sync_state.status(rule.name)
        status.last_run, status.added, status.pending = app.clock(), added, 0
        status.undone = None
        status.errors = [p.text for p in result.problems]
        if preview.album is None and result.album is not None:
            app.save_config()  # the engine set the created album's id on the rule: keep it
        app.sync_changed()
        self.post_message(ConfigChanged())
        self.notify(
            f"{added:,} added{f' · {result.removed:,} removed' if result.removed else ''} · "
            f"{dups:,} already there · {failed:,} failed.",
            title=f"{rule.name}: applied",
            severity="error" if failed else "information",
        )
        if result.access is not None and result.access.link_url:
            status.shared_link = result.access.link_url
        self.app.push_screen(
            SummaryScreen(rule.name, added, dups, failed, status.errors, status.shared_link)
        )
        self.post_message(AlbumsChanged())
        self.load(rule)
