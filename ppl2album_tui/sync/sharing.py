"""Who may see a rule's album: its ``share_with`` users and its shared link, kept in step.

`plan_access` says what would change (the preview shows it; it writes nothing), `bring_in_step`
does it and journals each step. The journal remembers every member a rule keeps in step and
whether this tool added them: a user removed from ``share_with`` leaves the album only then (one
who was a member already stays). A member noted in the journal with the wanted role costs no
request, and a shared link is made once and remembered, so a steady rule costs nothing here.

Users are named by email (as Immich shows them, any case) or by user id. Nothing here prints the
link's password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta

from ppl2album_tui.immich.errors import BadRequest, ImmichError, MissingPermission
from ppl2album_tui.immich.models import Album, SharedLink, User
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.journal import Journal, ShareNote
from ppl2album_tui.sync.rules import Rule


@dataclass(frozen=True)
class Member:
    """A user of the album as the plan names them: id, "Name <email>", role, written as."""

    user_id: str
    label: str
    role: str
    written: str = ""


@dataclass
class Access:
    """Who gets access to a rule's album: planned by `plan_access`, done by `bring_in_step`."""

    add: list[Member] = field(default_factory=list)  # shared with them (when made, or now)
    change: list[Member] = field(default_factory=list)  # members given the wanted role
    remove: list[Member] = field(default_factory=list)  # added by this tool, no longer wanted
    keep: list[Member] = field(default_factory=list)  # in step already
    known: list[Member] = field(default_factory=list)  # members already: noted, never removed
    forget: list[str] = field(default_factory=list)  # user ids no longer kept in step
    make_link: bool = False
    link_url: str | None = None
    problems: list[str] = field(default_factory=list)  # one sentence each

    @property
    def changes(self) -> bool:
        """True when applying it writes to the server."""
        return bool(self.add or self.change or self.remove or self.make_link)

    @property
    def members(self) -> list[Member]:
        """Everyone with access once applied (the owner aside)."""
        return [*self.keep, *self.known, *self.change, *self.add]

    def roles(self) -> dict[str, str]:
        """User id → role of those to add (for an album created already shared)."""
        return {m.user_id: m.role for m in self.add}


def link_url(server: str, key: str) -> str:
    """The address of a shared link on `server` (Immich's web app)."""
    return SharedLink("", key).url(server)


def _label(user: User) -> str:
    return f"{user.name} <{user.email}>" if user.email else user.name or user.id


def _find(users: list[User], written: str) -> User | None:
    wanted = written.casefold()
    return next((u for u in users if u.id == written or u.email.casefold() == wanted), None)


async def plan_access(
    client: ImmichApi, journal: Journal, rule: Rule, album: Album | None
) -> Access:
    """What bringing the album's users and link in step with `rule` would do (`album` None:
    it is yet to be made). Reads `GET /users` only when an entry of ``share_with`` is not in
    step according to the journal; problems are sentences in `.problems`, never raised."""
    access = Access()
    notes = journal.shares(album.id) if album else {}
    mine = {uid: n for uid, n in notes.items() if n.rule == rule.name}
    link = journal.link(album.id) if album else None
    if link is not None:
        access.link_url = link_url(client.server, link.key)
    access.make_link = rule.shared_link and link is None
    by_written = {n.written.casefold(): (uid, n) for uid, n in mine.items()}
    wanted = {s.user.casefold() for s in rule.share_with}
    for uid, note in mine.items():
        if note.written.casefold() not in wanted:
            gone = Member(uid, note.label, note.role, note.written)
            access.remove.append(gone) if note.ours else access.forget.append(uid)
    pending = []
    for share in rule.share_with:
        found = by_written.get(share.user.casefold())
        if found is not None and found[1].role == share.role:
            access.keep.append(Member(found[0], found[1].label, share.role, share.user))
        else:
            pending.append(share)
    if not pending:
        return access
    try:
        users = await client.users()
        me = await client.owner_id()
    except ImmichError as err:
        access.problems.append(_sentence(err, "user.read", "see the server's users"))
        return access
    if album is not None and album.owner_id and album.owner_id != me:
        access.problems.append(
            f"the album '{album.name}' belongs to another user: only its owner can share it."
        )
        return access
    for share in pending:
        user = _find(users, share.user)
        if user is None:
            access.problems.append(
                f"share_with names {share.user!r}, but no user of the server has that email or id."
            )
            continue
        if user.id == me:
            access.problems.append(f"share_with names {share.user!r}: the album's owner.")
            continue
        member = Member(user.id, _label(user), share.role, share.user)
        role = album.role_of(user.id) if album else None
        if role is None:
            access.add.append(member)
        elif role != share.role:
            access.change.append(member)
        else:
            access.known.append(member)
    return access


def noted(journal: Journal, server: str, rule: Rule, album_id: str | None) -> Access:
    """The album's users and link as the journal knows them (no request): what a tick that
    changed nothing reports."""
    access = Access()
    if album_id is None:
        return access
    for uid, note in journal.shares(album_id).items():
        if note.rule == rule.name:
            access.keep.append(Member(uid, note.label, note.role, note.written))
    link = journal.link(album_id)
    access.link_url = link_url(server, link.key) if link else None
    return access


async def bring_in_step(
    client: ImmichApi,
    journal: Journal,
    rule: Rule,
    album: Album,
    access: Access,
    *,
    created: bool = False,
) -> Access:
    """Apply `access` (from `plan_access`) to `album`, journaling each step; `created`: the
    album was just made already shared with `access.add`. Returns `access` with the link's
    address set and each failure as a sentence in `.problems` (the other steps still run)."""
    access = replace(access, problems=list(access.problems))
    notes = journal.shares(album.id)

    def note(member: Member, ours: bool) -> None:
        shown = ShareNote(rule.name, member.written, member.label, member.role, ours)
        journal.record_share(album.id, member.user_id, shown)

    for member in access.add:
        if not created:
            try:
                await client.add_album_users(album.id, {member.user_id: member.role})
            except ImmichError as err:
                access.problems.append(_sentence(err, "albumUser.create", "share albums"))
                continue
        note(member, True)
    for member in access.change:
        try:
            await client.set_album_user_role(album.id, member.user_id, member.role)
        except ImmichError as err:
            access.problems.append(_sentence(err, "albumUser.update", "change a member's role"))
            continue
        known = notes.get(member.user_id)
        note(member, known.ours if known and known.rule == rule.name else False)
    for member in access.known:
        note(member, False)
    for member in access.remove:
        try:
            await client.remove_album_user(album.id, member.user_id)
        except BadRequest:
            pass  # not a member any more (left, or removed in Immich): nothing to take out
        except ImmichError as err:
            access.problems.append(_sentence(err, "albumUser.delete", "stop sharing albums"))
            continue
        journal.record_unshare(rule.name, album.id, member.user_id)
    for user_id in access.forget:
        journal.record_unshare(rule.name, album.id, user_id)
    if access.make_link:
        try:
            made = await client.create_shared_link(
                album.id,
                expires_at=_expiry(rule),
                password=rule.shared_link_password or None,
                allow_download=rule.shared_link_allow_download,
            )
        except ImmichError as err:
            access.problems.append(_sentence(err, "sharedLink.create", "make shared links"))
        else:
            journal.record_link(rule.name, album.id, made.id, made.key)
            access.link_url = link_url(client.server, made.key)
            access.make_link = False
    return access


def _expiry(rule: Rule) -> datetime | None:
    """The link's expiry: the end of its last day (UTC), or None for never."""
    day = rule.shared_link_expires
    return datetime.combine(day + timedelta(days=1), time(), UTC) if day else None


def _sentence(err: ImmichError, scope: str, what: str) -> str:
    """One sentence for a sharing step that failed: a missing scope is named as on Connect."""
    if isinstance(err, MissingPermission):
        return f"the API key may not {what} (it lacks the {err.scope or scope} permission)."
    return str(err)


def shared_labels(access: Access) -> Mapping[str, list[str]]:
    """The preview's lines: role → labels of everyone with that role once applied."""
    out: dict[str, list[str]] = {}
    for m in access.members:
        out.setdefault(m.role, []).append(m.label)
    return out
