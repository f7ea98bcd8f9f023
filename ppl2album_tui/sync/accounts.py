"""Rules whose people come from several accounts of one server: one album, and each account
adds its own matches with its own key (Immich lets a user add only what they may share).

A rule's people carry the account they belong to (`PersonRef.account`, "" for the first one).
`split_rule` makes one *part* per account: an ordinary rule for that account's engine, named
`part_name` (the rule's own name for the first account, ``Kids @ Ben`` for the others), so the
journal, the change signals and the watermarks keep each account's adds apart, and every part
goes through the same plan → apply → journal path against the same album. The album belongs to
one account (`album_account`, default the first): it finds or creates the album and shares it
with the other accounts as editors; an account that is only a viewer of it, or whose key is
refused, fails alone and the others go on. There is one journal, so tombstones and vetoes hold
per album for every account: a photo removed by hand is added again by none of them. Undo and
mirror mode work per part, with that part's key (an editor may remove only their own photos).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace

from ppl2album_tui.errors import UserError
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Album
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.applier import ProgressFn
from ppl2album_tui.sync.engine import SAMPLE_NAMES, Planned, RulePreview, SyncEngine, UndoPlan
from ppl2album_tui.sync.journal import ApplyRecord, Journal
from ppl2album_tui.sync.matcher import Matched
from ppl2album_tui.sync.onekey import OneKey, find_one_key
from ppl2album_tui.sync.ownership import PARTNER_HINT
from ppl2album_tui.sync.planner import Plan
from ppl2album_tui.sync.report import Problem, RuleReport
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError
from ppl2album_tui.sync.settings import Config
from ppl2album_tui.sync.sharing import Access, Member, bring_in_step

SEPARATOR = " @ "  # between a rule's name and an account's in a part's name
MEMBERS = " (accounts)"  # the journal's name for the accounts a rule's album is shared with
EDITOR = "editor"
SUMMED = (*Plan().counts(), "added", "duplicates", "failed", "removed", "held")


def account_of(ref: PersonRef, config: Config) -> str:
    """The account a person of a rule belongs to."""
    return ref.account or config.server.account_label


def rule_accounts(rule: Rule, config: Config) -> list[str]:
    """The accounts whose people the rule names, in the config's order."""
    named = {account_of(ref, config) for ref in rule.people}
    return [name for name in config.account_names if name in named]


def album_owner(rule: Rule, config: Config) -> str:
    """The account that owns (or creates) the rule's album."""
    return rule.album_account or config.server.account_label


def spans_accounts(rule: Rule, config: Config) -> bool:
    """True when the rule needs another account than the first (its people's or its album's)."""
    first = config.server.account_label
    return bool(set(rule_accounts(rule, config)) - {first}) or album_owner(rule, config) != first


def part_name(rule_name: str, account: str, config: Config) -> str:
    """The name a rule's part for `account` runs (and is journaled) under."""
    if account == config.server.account_label:
        return rule_name
    return f"{rule_name}{SEPARATOR}{account}"


def split_rule(rule: Rule, config: Config) -> list[tuple[str, Rule]]:
    """(account, the rule's part for it) per account with people in the rule."""
    parts = []
    for name in rule_accounts(rule, config):
        people = [ref for ref in rule.people if account_of(ref, config) == name]
        exclude = [ref for ref in rule.exclude if account_of(ref, config) == name]
        part = replace(
            rule,
            name=part_name(rule.name, name, config),
            people=people,
            exclude=exclude,
            album_account="",
        )
        parts.append((name, part))
    return parts


@dataclass
class Setup:
    """A rule over several accounts, ready to run: its album (None: not made yet), the account
    that owns it, the parts (with the album's id), the accounts the album is (to be) shared with
    as editors, and those that cannot add (the sentence why)."""

    album: Album | None
    owner: str
    parts: list[tuple[str, Rule]]
    shared: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


@dataclass
class AccountsPreview:
    """What applying a rule over several accounts would do: each account's own preview."""

    rule: Rule
    setup: Setup
    previews: dict[str, RulePreview]
    one_key: OneKey | None = None  # the owner's key alone sees every photo (onekey.py)

    @property
    def album_label(self) -> str:
        return self.setup.album.name if self.setup.album else self.rule.album_label

    def text(self) -> list[str]:
        """The preview's lines about accounts: each one's counts, the sharing to be done and
        the accounts that cannot add."""
        lines = []
        for name, part in self.previews.items():
            c = part.plan.counts()
            lines.append(
                f"account {name}: matched {c['matched']:,} · in album "
                f"{c['already']:,} · to add {c['to_add']:,}"
            )
        if self.setup.shared:
            lines.append(
                f"Applying shares “{self.album_label}” with "
                f"{', '.join(self.setup.shared)} as editor (owner: {self.setup.owner})."
            )
        lines += [f"✗ {why}" for why in self.setup.refused.values()]
        if self.one_key is not None:
            lines.append(self.one_key.sentence())
        return lines

    def combined(self) -> RulePreview:
        """One preview holding every account's buckets (what the app's sections show)."""
        plan, matched = Plan(), Matched()
        album_ids: set[str] = set()
        for part in self.previews.values():
            for bucket in vars(plan):
                getattr(plan, bucket).extend(getattr(part.plan, bucket))
            matched.assets += part.matched.assets
            matched.excluded.update(part.matched.excluded)
            # a partner's photos one part leaves out are the other accounts' parts' to add
            matched.notes += [n for n in part.matched.notes if not n.endswith(PARTNER_HINT)]
            matched.searches += part.matched.searches
            album_ids |= part.album_ids
        owner = self.previews.get(self.setup.owner)  # its part keeps the rule's share_with
        combined = RulePreview(self.rule, self.setup.album, plan, matched, album_ids)
        if owner is not None:
            combined.access = owner.access
        return combined


@dataclass
class UndoSet:
    """An undo of a rule over several accounts: each account's part to undo, and the accounts
    whose part could not be planned (the sentence why)."""

    plans: list[tuple[str, UndoPlan]]
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(plan.count for _, plan in self.plans)

    @property
    def to_restore(self) -> int:
        return sum(plan.to_restore for _, plan in self.plans)


class Accounts:
    """One engine per account over the same journal, signals and watermarks; `run_rule` runs
    a cycle's rule over its accounts (installed as the first engine's `rule_runner`)."""

    def __init__(self, engine: SyncEngine, clients: Mapping[str, ImmichApi]) -> None:
        """`engine`: the first account's; `clients`: every account's client by name (the
        first's is `engine.client`)."""
        self.engine, self.config, self.clients = engine, engine.config, dict(clients)
        self.engines: dict[str, SyncEngine] = {}
        for name, client in clients.items():
            if name == engine.config.server.account_label:
                self.engines[name] = engine
                continue
            other = SyncEngine(client, engine.config, engine.journal, engine.state)
            other.watermarks = engine.watermarks
            self.engines[name] = other
        engine.rule_runner = self.run_rule

    def _engine(self, name: str) -> SyncEngine:
        try:
            return self.engines[name]
        except KeyError:
            raise RuleError(f"The account {name!r} is not configured.") from None

    # ---- the album and its members -------------------------------------------------------
    async def _user_ids(self, names: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        """(account → its user id, account → why its key cannot be used)."""
        found = await asyncio.gather(
            *(self._engine(n).client.owner_id() for n in names), return_exceptions=True
        )
        ids, refused = {}, {}
        for name, result in zip(names, found, strict=True):
            if isinstance(result, ImmichError):
                refused[name] = f"account '{name}' cannot be used: {result}"
            elif isinstance(result, BaseException):
                raise result
            else:
                ids[name] = result
        return ids, refused

    async def prepare(self, rule: Rule, *, write: bool) -> Setup:
        """Find the album (as its owner), and with `write` create it when missing and share it
        with the accounts that are no members yet, as editors. Raises UserError when the
        owner's key or the album cannot be used (nothing then runs)."""
        parts = split_rule(rule, self.config)
        owner = album_owner(rule, self.config)
        names = list(dict.fromkeys([owner, *(name for name, _ in parts)]))
        ids, refused = await self._user_ids(names)
        if owner in refused:
            raise RuleError(f"the album's owner {refused[owner]}")
        album = await self._engine(owner).resolve_album(rule)
        if album is not None and album.owner_id not in (None, ids[owner]):
            owner = next((n for n, uid in ids.items() if uid == album.owner_id), owner)
        setup = Setup(album, owner, parts, refused=refused)
        others = {n: ids[n] for n, _ in parts if n != owner and n in ids}
        if album is None:
            setup.shared = list(others)
        else:
            self._members(setup, album, others, ids.get(owner))
        if write:
            setup.album = await self._share(rule, setup, others)
        if setup.album is not None:
            setup.parts = [(n, replace(p, album_id=setup.album.id)) for n, p in parts]
        return setup

    async def _share(self, rule: Rule, setup: Setup, others: Mapping[str, str]) -> Album | None:
        """Create the album (already shared) when missing, or share it with `setup.shared`, as
        sharing.py keeps an album's users in step (journaled under the rule's MEMBERS name, so
        the rule's own `share_with` never takes the accounts out); returns the album as now."""
        sharer, album = self.clients[setup.owner], setup.album
        access = Access(add=[Member(others[n], n, EDITOR, others[n]) for n in setup.shared])
        if album is None and setup.parts:
            name = rule.album_name or rule.name
            album = await sharer.create_album(name, access.roles() or None)
            rule.album_id = album.id  # remembered for this run (saved if the app saves)
            setup.notices.append(_made(album, setup.owner, setup.shared))
            created = True
        elif album is not None and setup.shared:
            setup.notices.append(
                f"album '{album.name}' shared with {_names(setup.shared)} as "
                f"editor by account '{setup.owner}'."
            )
            created = False
        else:
            return album
        members = replace(rule, name=rule.name + MEMBERS)
        done = await bring_in_step(
            sharer, self.engine.journal, members, album, access, created=created
        )
        for name in setup.shared if done.problems else ():
            setup.refused[name] = (
                f"account '{name}' could not be made an editor of album "
                f"'{album.name}': {done.problems[0]}"
            )
        return await sharer.album(album.id) if access.add and not created else album

    def _members(
        self, setup: Setup, album: Album, others: Mapping[str, str], owner_id: str | None
    ) -> None:
        """Sort the other accounts by their role in `album`: editors add, viewers are
        refused, non-members are to be shared with (by the owner, when it is ours)."""
        ours = owner_id is not None and album.owner_id in (None, owner_id)
        for name, uid in others.items():
            role = album.role_of(uid)
            if role == "viewer":
                setup.refused[name] = (
                    f"account '{name}' is a viewer of album '{album.name}' and may not add "
                    "photos to it; make it an editor of the album in Immich."
                )
            elif role is None and ours:
                setup.shared.append(name)
            elif role is None:
                setup.refused[name] = (
                    f"account '{name}' is not a member of album '{album.name}', which none of "
                    "the configured accounts owns; ask its owner to share it as editor."
                )

    # ---- a cycle's rule ------------------------------------------------------------------
    async def run_rule(
        self,
        rule: Rule,
        *,
        dry_run: bool = False,
        on_progress: ProgressFn | None = None,
        stop: asyncio.Event | None = None,
        incremental: bool = False,
        allow_removals: bool = False,
    ) -> RuleReport:
        """`SyncEngine.run_rule` for a rule over several accounts: each account's part in
        turn, the owner's first; one account failing does not stop the others."""

        def run(engine: SyncEngine, part: Rule) -> Awaitable[RuleReport]:
            return engine.run_rule(
                part,
                dry_run=dry_run,
                on_progress=on_progress,
                stop=stop,
                incremental=incremental,
                allow_removals=allow_removals,
            )

        if not spans_accounts(rule, self.config):
            return await run(self.engine, rule)
        report = RuleReport(rule=rule.name, album=rule.album_label, album_id=rule.album_id)
        if not rule.enabled:
            report.fail("it is disabled in the config.")
            return report
        try:
            setup = await self.prepare(rule, write=not dry_run)
        except UserError as err:
            report.fail(err)
            return report
        report.notices += [Problem(rule.name, note) for note in setup.notices]
        if dry_run and setup.shared:
            report.notices.append(Problem(rule.name, _would_share(setup)))
        for name, part in _owner_first(setup):
            if stop is not None and stop.is_set():
                report.stopped = True
                break
            report.accounts[name] = await self._run_part(setup, name, part, run)
        return _merged(report, setup)

    async def _run_part(
        self,
        setup: Setup,
        name: str,
        part: Rule,
        run: Callable[[SyncEngine, Rule], Awaitable[RuleReport]],
    ) -> RuleReport:
        report = RuleReport(rule=part.name, album=part.album_label, album_id=part.album_id)
        if name in setup.refused:
            report.fail(setup.refused[name])
            return report
        engine = self._engine(name)
        if setup.album is None:  # a dry run before the album exists: everything is to add
            return await _guarded(report, self._dry_part(engine, part, report))
        shared_cache = engine is not self.engine
        if shared_cache:  # one cycle, one view of each album's contents
            engine._album_ids = self.engine._album_ids
        try:
            return await run(engine, part)
        finally:
            if shared_cache:
                engine._album_ids = None

    async def _dry_part(self, engine: SyncEngine, part: Rule, report: RuleReport) -> RuleReport:
        preview = await engine.preview(part, album=None)
        planned = Planned("full", None, preview, None, None)
        return await engine._apply_and_report(
            planned, report, dry_run=True, on_progress=None, stop=None
        )

    # ---- the app's preview and apply -----------------------------------------------------
    async def preview(self, rule: Rule) -> AccountsPreview:
        """Every account's preview of `rule` (nothing written: the album is neither made nor
        shared). An account that cannot add has no preview (`setup.refused` says why)."""
        setup = await self.prepare(rule, write=False)
        previews: dict[str, RulePreview] = {}
        for name, part in _owner_first(setup):
            if name not in setup.refused:
                previews[name] = await self._engine(name).preview(part, album=setup.album)
        shown = AccountsPreview(rule, setup, previews)
        if len(previews) > 1 and not setup.refused and setup.owner in previews:
            shown.one_key = await find_one_key(
                rule, self.config, self.engines, previews, setup.album
            )
        return shown

    async def apply(
        self,
        preview: AccountsPreview,
        *,
        on_progress: Callable[[str, int, int], None] | None = None,
        stop: asyncio.Event | None = None,
        remove: bool = False,
    ) -> RuleReport:
        """Share (or create) the album as the preview said, then apply each account's plan
        with its key; the report has each account's part."""
        rule = preview.rule
        report = RuleReport(rule=rule.name, album=preview.album_label, album_id=rule.album_id)
        try:
            setup = await self.prepare(rule, write=True)
        except UserError as err:
            report.fail(err)
            return report
        report.notices += [Problem(rule.name, note) for note in setup.notices]
        for name, _ in _owner_first(setup):
            part = RuleReport(rule=name)
            report.accounts[name] = part
            shown = preview.previews.get(name)
            if name in setup.refused or shown is None:
                part.fail(setup.refused.get(name, "it had no preview."))
                continue
            assert setup.album is not None

            def progress(done: int, total: int, who: str = name) -> None:
                if on_progress:
                    on_progress(who, done, total)

            engine = self._engine(name)  # planned again: vetoes made since the preview hold
            shown = engine.replan(replace(shown, album=setup.album))
            result = await engine.apply(shown, on_progress=progress, stop=stop, remove=remove)
            for key, value in shown.plan.counts().items():
                setattr(part, key, value)
            part.added, part.duplicates, part.failed = (
                result.added,
                result.duplicates,
                result.failed,
            )
            part.removed, part.stopped = result.removed, result.stopped
            part.problems += result.problems
        return _merged(report, setup)

    # ---- undo ----------------------------------------------------------------------------
    async def plan_undo(self, rule: Rule) -> UndoSet:
        """What undoing the rule's last apply takes out, per account (each account's part goes
        one apply back); RuleError when no account has anything left to undo."""
        if not spans_accounts(rule, self.config) and not self._other_parts(rule):
            return UndoSet([(self.config.server.account_label, await self.engine.plan_undo(rule))])
        undo = UndoSet([])
        nothing: list[str] = []
        for name in self.config.account_names:
            pname = part_name(rule.name, name, self.config)
            if not self.engine.journal.applies(pname) or name not in self.engines:
                continue
            try:
                plan = await self._engine(name).plan_undo(replace(rule, name=pname))
                undo.plans.append((name, plan))
            except RuleError as err:
                nothing.append(str(err))
            except ImmichError as err:
                undo.failed[name] = f"account '{name}': {err}"
        if not undo.plans and not undo.failed:
            raise RuleError(
                f"Nothing to undo for rule '{rule.name}': "
                + (
                    "none of its accounts has added photos yet."
                    if not nothing
                    else "every account's last apply was undone already."
                ),
                rule=rule.name,
            )
        return undo

    def _other_parts(self, rule: Rule) -> bool:
        """True when the journal holds applies of the rule by an account but the first."""
        return any(
            self.engine.journal.applies(part_name(rule.name, name, self.config))
            for name in self.config.account_names[1:]
        )

    async def undo(self, undo: UndoSet) -> dict[str, int]:
        """Undo each account's part with its key: account → photos taken out; an account
        failing goes into `undo.failed` and the others go on."""
        removed: dict[str, int] = {}
        for name, plan in undo.plans:
            try:
                removed[name] = await self._engine(name).undo(plan)
            except ImmichError as err:
                undo.failed[name] = f"account '{name}': {err}"
        return removed


def last_applies(journal: Journal, rule: Rule, config: Config) -> dict[str, ApplyRecord]:
    """Each account's last apply of `rule` with something left to undo (what an undo takes
    back: every account's own last apply, not the last cycle's)."""
    found = {name: journal.last_apply(part_name(rule.name, name, config))
             for name in config.account_names}  # fmt: skip
    return {name: record for name, record in found.items() if record is not None}


def _owner_first(setup: Setup) -> list[tuple[str, Rule]]:
    return sorted(setup.parts, key=lambda item: item[0] != setup.owner)


async def _guarded(report: RuleReport, work: Awaitable[RuleReport]) -> RuleReport:
    try:
        return await work
    except UserError as err:
        report.fail(err)
        return report


def _names(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _made(album: Album, owner: str, shared: list[str]) -> str:
    made = f"album '{album.name}' created by account '{owner}'"
    return f"{made}, shared with {_names(shared)} as editor." if shared else f"{made}."


def _would_share(setup: Setup) -> str:
    label = f"album '{setup.album.name}'" if setup.album else "the new album"
    return (
        f"{label} would be shared with {_names(setup.shared)} as editor by account '{setup.owner}'."
    )


def _merged(report: RuleReport, setup: Setup) -> RuleReport:
    """The rule's report from its accounts' parts: counts summed, each part's problems and
    notices named by account."""
    if setup.album is not None:
        report.album, report.album_id = setup.album.name, setup.album.id
    for name, part in report.accounts.items():
        for key in SUMMED:
            setattr(report, key, getattr(report, key) + getattr(part, key))
        report.sample += part.sample[: SAMPLE_NAMES - len(report.sample)]
        report.problems += [_named(report.rule, name, p) for p in part.problems]
        report.notices += [_named(report.rule, name, p) for p in part.notices]
        report.stopped = report.stopped or part.stopped
    report.unchanged = bool(report.accounts) and all(p.unchanged for p in report.accounts.values())
    return report


def _named(rule: str, account: str, problem: Problem) -> Problem:
    """A part's problem as the rule's, naming the account once."""
    text = problem.text
    return Problem(
        rule, text if text.startswith(f"account '{account}'") else f"account '{account}': {text}"
    )
