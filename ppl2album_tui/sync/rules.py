"""A rule: which people's photos belong in which album, and which of them to leave out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ppl2album_tui.errors import UserError
from ppl2album_tui.sync.keys import key

MatchMode = Literal["any", "all"]
MediaType = Literal["all", "image", "video"]
MATCH_MODES: tuple[str, ...] = ("any", "all")
MEDIA_TYPES: tuple[str, ...] = ("all", "image", "video")
ShareRole = Literal["editor", "viewer"]
SHARE_ROLES: tuple[str, ...] = ("viewer", "editor")


class RuleError(UserError):
    """A rule cannot run as written (unknown person, ambiguous album...); one clear sentence,
    `rule` naming the rule when the sentence does not."""


@dataclass
class PersonRef:
    """A person by id; the name is kept beside it for display and for re-mapping.

    An empty `id` is a person known by name only (not on the server yet): see names.py.
    `account`: the `[[accounts]]` name whose person this is ("" for the first account).
    """

    id: str
    name: str = ""
    account: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass
class ShareRef:
    """A user of the server the rule's album is shared with: `user` is their email (as Immich
    shows it, matched case-insensitively) or their user id."""

    user: str
    role: ShareRole = "viewer"


@dataclass
class Rule:
    """One rule of the config (a `[[rules]]` table)."""

    name: str = field(
        metadata=key(
            "string", "unique; `--rule NAME`, `undo --rule NAME`", required=True, strip=True
        )
    )
    people: list[PersonRef] = field(
        metadata=key(
            "people",
            'whose photos: `{ id = "…", name = "…" }`; ids count, names are for display (a name '
            "alone waits, with a warning each sync, until a person of that exact name exists)",
            required=True,
        )
    )
    album_id: str | None = field(
        default=None, metadata=key("id", "the album by id (wins over album_name)")
    )
    album_name: str | None = field(
        default=None,
        metadata=key(
            "string",
            "the album by name: created on the first apply if missing; with `{year}` in it "
            '(`"Kids {year}"`), one album per year of the photos\' local dates',
        ),
    )
    match: MatchMode = field(
        default="any",
        metadata=key(
            "choice", "any: photos of anyone listed; all: of every one", choices=MATCH_MODES
        ),
    )
    exclude: list[PersonRef] = field(
        default_factory=list,
        metadata=key("people", "no photo showing one of these people"),
    )
    globs: list[str] = field(
        default_factory=list,
        metadata=key("strings", "fnmatch patterns on the original file name; empty: all"),
    )
    case_sensitive_globs: bool = field(
        default=False,
        metadata=key("boolean", "false: `*.jpg` matches IMG_0001.JPG"),
    )
    media_type: MediaType = field(
        default="all", metadata=key("choice", "which assets", choices=MEDIA_TYPES)
    )
    taken_after: date | None = field(
        default=None,
        metadata=key("date", "first day, inclusive (the UTC day of Immich's fileCreatedAt)"),
    )
    taken_before: date | None = field(
        default=None,
        metadata=key("date", "last day, inclusive; a photo without a date is left out"),
    )
    include_archived: bool = field(
        default=False,
        metadata=key("boolean", "false: only timeline photos (Immich visibility=timeline)"),
    )
    favorites_only: bool = field(default=False, metadata=key("boolean", "only favorites"))
    never_add: list[str] = field(
        default_factory=list,
        metadata=key("ids", "vetoed asset ids (the app fills this)"),
    )
    auto_apply: bool = field(
        default=True,
        metadata=key("boolean", "applied by every sync tick; false: only when named or in the app"),
    )
    enabled: bool = field(default=True, metadata=key("boolean", "false: skipped everywhere"))
    include_partners: bool = field(
        default=False,
        metadata=key(
            "boolean",
            "partners' photos of the people too (default: only the key owner's)",
            omit_empty=True,
        ),
    )
    remove_unmatched: bool = field(
        default=False,
        metadata=key(
            "boolean",
            "mirror mode: photos this rule added that no longer match are taken out again "
            "(never one added by hand or by another rule); written when true",
            omit_empty=True,
        ),
    )
    only: bool = field(
        default=False,
        metadata=key(
            "boolean",
            "only photos in which nobody but the rule's people appears; written when true",
            omit_empty=True,
        ),
    )
    only_ignore_unnamed: bool = field(
        default=False,
        metadata=key(
            "boolean",
            "with `only`: unnamed face clusters do not count as somebody; written when true",
            omit_empty=True,
        ),
    )
    age: list[int] = field(
        default_factory=list,
        metadata=key(
            "integers",
            "`[0, 2]`: photos taken from the birth date of `birthday_of` to the day before their "
            "3rd birthday (ages in whole years, both inclusive, on the photo's local date)",
            omit_empty=True,
        ),
    )
    yearly: list[str] = field(
        default_factory=list,
        metadata=key(
            "strings",
            '`["12-20", "01-06"]`: the same days every year, first and last day (MM-DD, '
            "inclusive; across the new year when the first is later), on the photo's local date",
            omit_empty=True,
        ),
    )
    birthday_days: int | None = field(
        default=None,
        metadata=key(
            "integer",
            "`3`: photos taken within 3 days of the birthday of `birthday_of`, every year "
            "(0: the birthday itself; not with `yearly`)",
            min=0,
            max=183,
        ),
    )
    birthday_of: str | None = field(
        default=None,
        metadata=key(
            "string",
            "whose birth date (from Immich) `age` and `birthday_days` count from: one of the "
            "rule's people, by name or id (default: the rule's only person)",
            strip=True,
        ),
    )

    share_with: list[ShareRef] = field(
        default_factory=list,
        metadata=key(
            "shares",
            'share the album with these users: `{ user = "email or user id", role = "viewer" }` '
            "(or `editor`); one removed from the list leaves the album only if this app added them",
        ),
    )
    shared_link: bool = field(
        default=False,
        metadata=key(
            "boolean",
            "make one shared link to the album (for people without an account); written when true",
            omit_empty=True,
        ),
    )
    shared_link_expires: date | None = field(
        default=None,
        metadata=key("date", "the shared link's last day (UTC); unset: it never expires"),
    )
    shared_link_password: str = field(
        default="",
        metadata=key(
            "string",
            "a password the shared link asks for (never printed or shown)",
            omit_empty=True,
            secret=True,
        ),
    )
    shared_link_allow_download: bool = field(
        default=True,
        metadata=key("boolean", "visitors of the shared link may download the photos"),
    )
    approve_new: bool = field(
        default=False,
        metadata=key(
            "boolean",
            "new matches found by a sync wait for approval in the app instead of being added; "
            "written when true",
            omit_empty=True,
        ),
    )

    album_account: str = field(
        default="",
        metadata=key(
            "string",
            "the account that owns the album (and creates it) when the rule's people come from "
            "several accounts; default: the first account; written when set",
            strip=True,
            omit_empty=True,
        ),
    )

    @property
    def album_label(self) -> str:
        """The album as a person would name it: its name when known, else its id."""
        return self.album_name or self.album_id or "(no album)"
