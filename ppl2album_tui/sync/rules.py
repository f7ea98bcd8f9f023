"""A rule: which people's photos belong in which album, and which of them to leave out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

MatchMode = Literal["any", "all"]
MediaType = Literal["all", "image", "video"]
MATCH_MODES: tuple[str, ...] = ("any", "all")
MEDIA_TYPES: tuple[str, ...] = ("all", "image", "video")


class RuleError(Exception):
    """A rule cannot run as written (unknown person, ambiguous album...); one clear sentence."""


@dataclass
class PersonRef:
    """A person by id; the name is kept beside it for display and for re-mapping."""

    id: str
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass
class Rule:
    """One rule of the config (a `[[rules]]` table)."""

    name: str
    people: list[PersonRef]
    album_id: str | None = None
    album_name: str | None = None
    match: MatchMode = "any"
    exclude: list[PersonRef] = field(default_factory=list)
    globs: list[str] = field(default_factory=list)
    case_sensitive_globs: bool = False
    media_type: MediaType = "all"
    taken_after: date | None = None
    taken_before: date | None = None
    include_archived: bool = False
    favorites_only: bool = False
    never_add: list[str] = field(default_factory=list)
    auto_apply: bool = True
    enabled: bool = True
    include_partners: bool = False  # partners' photos of the people too (default: own only)

    @property
    def album_label(self) -> str:
        """The album as a person would name it: its name when known, else its id."""
        return self.album_name or self.album_id or "(no album)"
