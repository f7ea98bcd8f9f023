"""The journal: an append-only JSON-lines record of every album change this tool made.

Records (one JSON object a line, each with ``v``, ``kind`` and ``time``):

- ``pending``  {apply, rule, album, ids, unread?}: written just before a chunk is sent
  (``unread``: the album was not read first, see `unresolved_unread`);
- ``add``      {apply, rule, album, added, duplicate, failed, denied?, unknown?, error?}: written
  right after the server answered that chunk, before anything reports success (``denied``: the
  failed ids answered ``no_permission``, remembered per album, see `denied`; ``unknown``: ids of
  an unread chunk whose answer was lost, found in the album, see `unknown`);
- ``unpending`` {apply, rule, album, ids}: written just before an undo sends its removes;
- ``undo``     {apply, rule, album, removed, kept?}: an undo took `removed` out again (`kept`:
  ids of an ``unpending`` the server left in the album: no longer pending, still added);
- ``clear``    {rule, album, ids}: the user cleared these tombstones or denied ids (they may be
  added again);
- ``removing`` {apply, rule, album, ids}: mirror mode (``remove_unmatched``) is about to take
  these photos this tool added out of the album, because they no longer match;
- ``remove``   {apply, rule, album, removed, kept?}: the server's answer to a ``removing``;
- ``restore``  {apply, rule, album, restored}: an undo of that apply put `restored` back.
- ``share``    {rule, album, user, as, label, role, ours}: the album is shared with `user`
  (written `as` in the rule's ``share_with``, shown as `label`) as `role` (``ours``: this tool
  added them, else they were a member already);
- ``unshare``  {rule, album, user}: that user is no longer kept in step (taken out if ours);
- ``link``     {rule, album, link, key}: the shared link this tool made for the rule's album.

What this tool added to an album (minus undone and cleared ids) is what the planner uses to spot
photos a person removed by hand. A ``pending`` chunk without its ``add`` (the process died
mid-request) is reported by `unresolved` so the engine can settle it against the album; an
``unpending`` without its ``undo`` (an undo whose answer was lost) likewise by
`unresolved_undo` (until settled, the planner does not take its ids for photos a person
removed by hand).
A damaged line (a torn write) is skipped with a warning. Every record is fsynced before
`_append` returns, except inside `batched` (an apply's adds: one fsync for all its chunks).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from ppl2album_tui.sync.fsutil import append_durable, open_append, write_line
from ppl2album_tui.sync.paths import default_journal_path
from ppl2album_tui.sync.rules import Rule

JOURNAL_VERSION = 1
_decode = msgspec.json.Decoder().decode  # a long journal is read at every start: C, not json


def _name(rule: Rule | str) -> str:
    return rule if isinstance(rule, str) else rule.name


@dataclass
class ApplyRecord:
    """One apply of a rule (all its chunks): what it added and what is still to undo."""

    apply_id: str
    rule: str
    album_id: str
    time: str
    added: list[str] = field(default_factory=list)
    undone: set[str] = field(default_factory=set)
    removed: list[str] = field(default_factory=list)  # taken out because they no longer matched
    restored: set[str] = field(default_factory=set)  # of those, put back by an undo

    @property
    def undoable(self) -> list[str]:
        return [i for i in self.added if i not in self.undone]

    @property
    def restorable(self) -> list[str]:
        """Photos this apply removed (mirror mode) that an undo has not put back yet."""
        return [i for i in self.removed if i not in self.restored]

    @property
    def to_undo(self) -> bool:
        return bool(self.undoable or self.restorable)


@dataclass(frozen=True)
class ShareNote:
    """A member of an album that a rule's ``share_with`` keeps in step (see ``share``)."""

    rule: str
    written: str  # the user as share_with names them (email or id)
    label: str  # "Name <email>"
    role: str
    ours: bool  # this tool added them (only then may it take them out)


@dataclass(frozen=True)
class LinkNote:
    """The shared link this tool made for an album."""

    rule: str
    link_id: str
    key: str


@dataclass
class _Pending:
    rule: str
    album_id: str
    ids: set[str]
    unread: set[str] = field(default_factory=set)  # sent without reading the album first


class Journal:
    """Reads the journal lazily, keeps its state in memory, appends durably."""

    def __init__(
        self, path: Path | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.path = path or default_journal_path()
        self.clock = clock or (lambda: datetime.now(UTC))  # each record's time
        self.warnings: list[str] = []
        self._stamp: tuple[int, int] | None = None
        self._batch_fd: int | None = None  # inside `batched`: the open journal, fsynced at its end
        self._reset()

    def _reset(self) -> None:
        self._applies: dict[str, ApplyRecord] = {}
        self._order: list[str] = []
        self._album_added: dict[str, set[str]] = {}
        self._pending: dict[str, _Pending] = {}
        self._undoing: dict[str, _Pending] = {}  # undo sent, answer not recorded yet
        self._denied: dict[str, set[str]] = {}  # album → ids the server refused (no_permission)
        self._removing: dict[str, _Pending] = {}  # mirror removes sent, answer not recorded yet
        self._rule_added: dict[tuple[str, str], set[str]] = {}  # (rule, album) → its photos now
        self._shares: dict[str, dict[str, ShareNote]] = {}  # album → user id → note
        self._links: dict[str, LinkNote] = {}  # album → the link made
        self._albums: set[str] = set()  # every album a record names
        self._unknown: dict[
            str, set[str]
        ] = {}  # album → in it, added by a lost unread chunk or not

    # ---- reading -------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the file when it changed on disk since the last read."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            if self._stamp is not None:
                self._reset()
            self._stamp = None
            return
        stamp = (st.st_size, st.st_mtime_ns)
        if stamp == self._stamp:
            return
        self._reset()
        self.warnings = []
        with self.path.open("rb") as fh:
            lines = fh.read().split(b"\n")
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                rec = _decode(raw)
                if not isinstance(rec, dict):
                    raise ValueError
                self._apply_record(rec)
            except (msgspec.DecodeError, ValueError, KeyError, TypeError):
                last = number == len(lines) or all(not x.strip() for x in lines[number:])
                what = "the last line (an interrupted write)" if last else f"line {number}"
                self.warnings.append(f"The journal {self.path}: ignored a damaged entry on {what}.")
        self._stamp = stamp

    def _apply_record(self, rec: dict[str, Any]) -> None:
        kind = rec["kind"]
        if rec.get("album"):
            self._albums.add(rec["album"])
        if kind == "pending":  # several chunks of one apply may be in flight at once
            pend = self._pending.setdefault(
                rec["apply"], _Pending(rec["rule"], rec["album"], set())
            )
            pend.ids.update(rec["ids"])
            if rec.get("unread"):
                pend.unread.update(rec["ids"])
        elif kind == "add":
            aid, album = rec["apply"], rec["album"]
            added = [str(i) for i in rec["added"]]
            self._record(rec).added.extend(added)
            self._album_added.setdefault(album, set()).update(added)
            self._mine(rec).update(added)
            denied = self._denied.setdefault(album, set())
            denied.difference_update(added, rec.get("duplicate", []))
            denied.update(str(i) for i in rec.get("denied", []))
            waiting = self._pending.get(aid)
            unknown = rec.get("unknown", [])
            if unknown:
                self._unknown.setdefault(album, set()).update(unknown)
            if waiting is not None:
                answered = (added, rec.get("duplicate", []), rec.get("failed", []), unknown)
                waiting.ids.difference_update(*answered)
                waiting.unread.difference_update(*answered)
                if not waiting.ids:
                    del self._pending[aid]
        elif kind == "unpending":
            undoing = self._undoing.setdefault(
                rec["apply"], _Pending(rec["rule"], rec["album"], set())
            )
            undoing.ids.update(rec["ids"])
        elif kind == "undo":
            removed = set(rec["removed"])
            record = self._applies.get(rec["apply"])
            if record is not None:
                record.undone.update(removed)
            self._album_added.get(rec["album"], set()).difference_update(removed)
            self._mine(rec).difference_update(removed)
            sent = self._undoing.get(rec["apply"])
            if sent is not None:
                sent.ids.difference_update(removed, rec.get("kept", []))
                if not sent.ids:
                    del self._undoing[rec["apply"]]
        elif kind == "clear":
            ids = set(rec["ids"])
            albums = [rec["album"]] if rec.get("album") else list(self._album_added)
            for album in albums:
                self._album_added.get(album, set()).difference_update(ids)
            for album in [rec["album"]] if rec.get("album") else list(self._denied):
                self._denied.get(album, set()).difference_update(ids)
        elif kind == "removing":
            removing = self._removing.setdefault(
                rec["apply"], _Pending(rec["rule"], rec["album"], set())
            )
            removing.ids.update(rec["ids"])
        elif kind == "remove":
            out = [str(i) for i in rec["removed"]]
            self._record(rec).removed.extend(out)
            self._album_added.get(rec["album"], set()).difference_update(out)
            self._mine(rec).difference_update(out)
            sending = self._removing.get(rec["apply"])
            if sending is not None:
                sending.ids.difference_update(out, rec.get("kept", []))
                if not sending.ids:
                    del self._removing[rec["apply"]]
        elif kind == "restore":
            restored = [str(i) for i in rec["restored"]]
            self._record(rec).restored.update(restored)
            # back in the album as this tool's, but mirror mode leaves them alone: the undo sticks
            self._album_added.setdefault(rec["album"], set()).update(restored)
        elif kind == "share":
            note = ShareNote(rec["rule"], rec["as"], rec["label"], rec["role"], bool(rec["ours"]))
            self._shares.setdefault(rec["album"], {})[rec["user"]] = note
        elif kind == "unshare":
            self._shares.get(rec["album"], {}).pop(rec["user"], None)
        elif kind == "link":
            self._links[rec["album"]] = LinkNote(rec["rule"], rec["link"], rec["key"])
        else:
            raise ValueError(kind)

    def _record(self, rec: dict[str, Any]) -> ApplyRecord:
        """The apply `rec` belongs to, made on its first answered record."""
        aid = rec["apply"]
        record = self._applies.get(aid)
        if record is None:
            record = ApplyRecord(aid, rec["rule"], rec["album"], rec["time"])
            self._applies[aid] = record
            self._order.append(aid)
        return record

    def _mine(self, rec: dict[str, Any]) -> set[str]:
        return self._rule_added.setdefault((rec["rule"], rec["album"]), set())

    # ---- queries -------------------------------------------------------------------------
    def previously_added(self, album_id: str) -> set[str]:
        """Ids this tool added to `album_id` (any rule), minus undone and cleared ones."""
        self.reload()
        return set(self._album_added.get(album_id, ()))

    def denied(self, album_id: str) -> set[str]:
        """Ids the server answered ``no_permission`` when added to `album_id` (not since added
        or cleared): plans list them as filtered instead of sending them again."""
        self.reload()
        return set(self._denied.get(album_id, ()))

    def added_ids(self, rule: Rule | str, album_id: str) -> set[str]:
        """Ids `rule` added to `album_id` and did not take out again (by undo or mirror mode;
        cleared tombstones included): the only photos its mirror mode may remove."""
        self.reload()
        return set(self._rule_added.get((_name(rule), album_id), ()))

    def last_apply(self, rule: Rule | str) -> ApplyRecord | None:
        """The latest apply of `rule` with something left to undo, or None."""
        self.reload()
        rule = _name(rule)
        for aid in reversed(self._order):
            rec = self._applies[aid]
            if rec.rule == rule and rec.to_undo:
                return rec
        return None

    def applies(self, rule: Rule | str | None = None) -> list[ApplyRecord]:
        """All applies (oldest first), optionally of one rule."""
        self.reload()
        rule = None if rule is None else _name(rule)
        return [self._applies[a] for a in self._order if rule is None or
                self._applies[a].rule == rule]  # fmt: skip

    def albums_of(self, rule: Rule | str) -> set[str]:
        """Every album `rule` added to or sent adds or undos to (answered or not)."""
        self.reload()
        rule = _name(rule)
        sent = [*self._pending.values(), *self._undoing.values(), *self._removing.values()]
        return {r.album_id for r in self._applies.values() if r.rule == rule} | {
            p.album_id for p in sent if p.rule == rule
        }

    def shares(self, album_id: str) -> dict[str, ShareNote]:
        """The members of `album_id` kept in step by a rule's ``share_with``: user id → note."""
        self.reload()
        return dict(self._shares.get(album_id, {}))

    def link(self, album_id: str) -> LinkNote | None:
        """The shared link this tool made for `album_id`, if any."""
        self.reload()
        return self._links.get(album_id)

    def unresolved(self, album_id: str) -> dict[str, tuple[str, set[str]]]:
        """Chunks sent to `album_id` whose answer was never recorded: apply id → (rule, ids)."""
        self.reload()
        return {a: (p.rule, set(p.ids)) for a, p in self._pending.items() if p.album_id == album_id}

    def unresolved_unread(self, album_id: str) -> set[str]:
        """Of `unresolved`, the ids sent without reading the album first (a first sync): found
        in the album, they may have been there before, so they cannot be taken as added."""
        self.reload()
        return {i for p in self._pending.values() if p.album_id == album_id for i in p.unread}

    def unknown(self, album_id: str) -> set[str]:
        """Ids of a first sync's unread chunks whose answers were lost and that the album had
        when settled: maybe this tool's, maybe there before; never taken as added by it."""
        self.reload()
        return set(self._unknown.get(album_id, ()))

    def knows(self, album_id: str) -> bool:
        """True when any record names `album_id` (this tool changed it, or tried to)."""
        self.reload()
        return album_id in self._albums

    def unresolved_undo(self, album_id: str) -> dict[str, tuple[str, set[str]]]:
        """Undos sent to `album_id` whose answer was never recorded: apply id → (rule, ids)."""
        self.reload()
        return {a: (p.rule, set(p.ids)) for a, p in self._undoing.items() if p.album_id == album_id}

    def unresolved_remove(self, album_id: str) -> dict[str, tuple[str, set[str]]]:
        """Mirror removes sent to `album_id` whose answer was never recorded."""
        self.reload()
        return {a: (p.rule, set(p.ids)) for a, p in self._removing.items()
                if p.album_id == album_id}  # fmt: skip

    # ---- writing -------------------------------------------------------------------------
    @staticmethod
    def new_apply_id() -> str:
        return os.urandom(16).hex()

    @contextlib.contextmanager
    def batched(self) -> Iterator[None]:
        """Records appended inside are each written at once, but fsynced once, at the end.

        What that risks, and why it is safe: each record is in the kernel before the request it
        announces is sent, so a killed process (a signal, the OOM killer, a crash of Python)
        loses nothing. Only a power cut or kernel crash inside the block can lose its last
        records (a torn last line is skipped on reading). Lost ``pending`` or ``add`` records
        only make the journal claim fewer photos as this tool's: those stay in the album as
        photos it did not add (undo leaves them, mirror mode never removes them); it never
        claims a photo it did not add. Removals and undos are not batched.
        """
        if self._batch_fd is not None:  # nested: the outer block syncs
            yield
            return
        self._batch_fd = open_append(self.path)
        try:
            yield
        finally:
            fd, self._batch_fd = self._batch_fd, None
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def _append(self, rec: dict[str, Any]) -> None:
        self.reload()
        rec = {"v": JOURNAL_VERSION, "time": self.clock().isoformat(), **rec}
        line = msgspec.json.encode(rec).decode()
        if self._batch_fd is None:
            append_durable(self.path, line)
        else:
            write_line(self._batch_fd, line)
        self._apply_record(rec)
        st = os.stat(self.path)
        self._stamp = (st.st_size, st.st_mtime_ns)

    def record_pending(
        self, apply_id: str, rule: str, album_id: str, ids: Iterable[str], *, unread: bool = False
    ) -> None:
        """Note a chunk about to be sent (so a crash mid-request can be settled later);
        `unread`: the album was not read first, so some ids may be in it already."""
        rec: dict[str, Any] = {"kind": "pending", "apply": apply_id, "rule": rule,
                               "album": album_id, "ids": list(ids)}  # fmt: skip
        if unread:
            rec["unread"] = True
        self._append(rec)

    def record_apply(
        self,
        apply_id: str,
        rule: str,
        album_id: str,
        added: Iterable[str],
        duplicate: Iterable[str] = (),
        failed: Iterable[str] = (),
        error: str | None = None,
        denied: Iterable[str] = (),
        unknown: Iterable[str] = (),
    ) -> None:
        """Record one chunk's confirmed outcome (durable before returning); `denied`: the
        failed ids the server answered ``no_permission``; `unknown`: see `unknown`."""
        rec: dict[str, Any] = {"kind": "add", "apply": apply_id, "rule": rule, "album": album_id,
                               "added": list(added), "duplicate": list(duplicate),
                               "failed": list(failed)}  # fmt: skip
        denied, unknown = list(denied), list(unknown)
        if denied:
            rec["denied"] = denied
        if unknown:
            rec["unknown"] = unknown
        if error:
            rec["error"] = error
        self._append(rec)

    def record_undo_pending(
        self, apply_id: str, rule: str, album_id: str, ids: Iterable[str]
    ) -> None:
        """Note removes an undo of `apply_id` is about to send (settled if the answer is lost)."""
        self._append({"kind": "unpending", "apply": apply_id, "rule": rule, "album": album_id,
                      "ids": list(ids)})  # fmt: skip

    def record_undo(
        self,
        apply_id: str,
        rule: str,
        album_id: str,
        removed: Iterable[str],
        kept: Iterable[str] = (),
        error: str | None = None,
    ) -> None:
        """Record that an undo took `removed` out of the album again (`kept`: ids it sent that
        are still in the album, e.g. no permission)."""
        self._append_removal("undo", apply_id, rule, album_id, removed, kept, error)

    def _append_removal(
        self,
        kind: str,
        apply_id: str,
        rule: str,
        album_id: str,
        removed: Iterable[str],
        kept: Iterable[str],
        error: str | None,
    ) -> None:
        rec: dict[str, Any] = {"kind": kind, "apply": apply_id, "rule": rule,
                               "album": album_id, "removed": list(removed)}  # fmt: skip
        kept = list(kept)
        if kept:
            rec["kept"] = kept
        if error:
            rec["error"] = error
        self._append(rec)

    def record_removing(self, apply_id: str, rule: str, album_id: str, ids: Iterable[str]) -> None:
        """Note photos mirror mode is about to take out (settled if the answer is lost)."""
        self._append({"kind": "removing", "apply": apply_id, "rule": rule, "album": album_id,
                      "ids": list(ids)})  # fmt: skip

    def record_remove(
        self,
        apply_id: str,
        rule: str,
        album_id: str,
        removed: Iterable[str],
        kept: Iterable[str] = (),
        error: str | None = None,
    ) -> None:
        """Record that mirror mode took `removed` out (`kept`: sent, still in the album)."""
        self._append_removal("remove", apply_id, rule, album_id, removed, kept, error)

    def record_restore(
        self, apply_id: str, rule: str, album_id: str, restored: Iterable[str]
    ) -> None:
        """Record that an undo of `apply_id` put photos its mirror mode removed back."""
        self._append({"kind": "restore", "apply": apply_id, "rule": rule, "album": album_id,
                      "restored": list(restored)})  # fmt: skip

    def record_share(self, album_id: str, user_id: str, note: ShareNote) -> None:
        """Note that `album_id` is shared with `user_id` as `note` says."""
        self._append({"kind": "share", "rule": note.rule, "album": album_id, "user": user_id,
                      "as": note.written, "label": note.label, "role": note.role,
                      "ours": note.ours})  # fmt: skip

    def record_unshare(self, rule: str, album_id: str, user_id: str) -> None:
        """Note that `user_id` is no longer kept in step in `album_id`."""
        self._append({"kind": "unshare", "rule": rule, "album": album_id, "user": user_id})

    def record_link(self, rule: str, album_id: str, link_id: str, key: str) -> None:
        """Note the shared link made for `album_id` (never made again)."""
        self._append({"kind": "link", "rule": rule, "album": album_id, "link": link_id,
                      "key": key})  # fmt: skip

    def clear_removed_by_hand(
        self, rule: Rule | str, ids: Iterable[str], album_id: str | None = None
    ) -> None:
        """Clear tombstones: `ids` may be added again to `album_id` (default: the rule's album
        when `rule` is a Rule with an album id; else to any album)."""
        if album_id is None and isinstance(rule, Rule):
            album_id = rule.album_id
        self._append({"kind": "clear", "rule": _name(rule), "album": album_id, "ids": list(ids)})
