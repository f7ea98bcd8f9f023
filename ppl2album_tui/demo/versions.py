"""What the demo server does differently as Immich 3.1.0, 3.2.2 or 3.3.5 (immich-3.3-changes.md).

- 3.2+: Search API v2 (`filter`/`orderBy`/`cursor`, see search_v2.py); a body mixing those with a
  deprecated flat field is a 400; every search answer carries ``nextCursor`` (null on the flat
  path); ``clusterGroupId`` on the user; person ids are cluster-group ids, so a person's search
  also finds partner-owned photos of them; 13 more permission names.
- 3.2.1+: ``POST /people/merge`` beside the deprecated ``POST /people/{id}/merge``.
- 3.3: people sharing (``sharedBy``/``sharedWith``/``otherPeople`` on every person).
- 3.1: ``filter``/``orderBy``/``cursor`` are dropped silently (an unfiltered search); the demo
  answers like 3.1 does and records the request in `Profile.violations` for the tests.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ppl2album_tui.demo.validate import ApiError

VERSIONS = ("3.1.0", "3.2.2", "3.3.5")
DEFAULT_VERSION = "3.1.0"
NEW_SHAPE_KEYS = ("filter", "orderBy", "cursor")
# Every flat MetadataSearchDto/StatisticsSearchDto field deprecated in 3.2.0 (changes §2.4).
DEPRECATED_FLAT = frozenset(
    (
        "personIds", "albumIds", "type", "visibility", "isFavorite", "takenAfter", "takenBefore",
        "updatedAfter", "createdAfter", "withDeleted", "page", "createdBefore", "updatedBefore",
        "trashedAfter", "trashedBefore", "city", "state", "country", "make", "model", "lensModel",
        "libraryId", "id", "checksum", "description", "originalFileName", "originalPath",
        "previewPath", "thumbnailPath", "encodedVideoPath", "isMotion", "isOffline", "isEncoded",
        "isNotInAlbum", "tagIds", "rating", "ocr", "order",
    )
)  # fmt: skip
PERMISSIONS_3_2 = (
    "apiKey.rotate", "assetFile.read", "assetFile.delete", "assetFile.download",
    "clusterGroup.read", "clusterGroup.leave", "clusterGroupRequest.create",
    "clusterGroupRequest.read", "clusterGroupRequest.delete", "adminConfig.read",
    "adminConfig.update", "userConfig.read", "workflow.logs",
)  # fmt: skip


def parse_version(text: str) -> tuple[int, int, int]:
    """``"3.3.5"`` (a leading ``v`` allowed) as a tuple; ValueError for any other version."""
    cleaned = text.strip().removeprefix("v")
    if cleaned not in VERSIONS:
        raise ValueError(f"the demo server speaks Immich {', '.join(VERSIONS)}, not {text!r}")
    major, minor, patch = (int(p) for p in cleaned.split("."))
    return major, minor, patch


@dataclass
class Profile:
    """One Immich version's behaviour, plus the contract violations clients committed on it."""

    version: tuple[int, int, int]
    violations: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def of(cls, text: str = DEFAULT_VERSION) -> Profile:
        return cls(parse_version(text))

    @property
    def label(self) -> str:
        return "{}.{}.{}".format(*self.version)

    @property
    def search_v2(self) -> bool:
        return self.version >= (3, 2, 0)

    @property
    def clustered(self) -> bool:
        """Person ids are cluster-group ids: they match partners' faces too (3.2.0+)."""
        return self.version >= (3, 2, 0)

    @property
    def merge_v2(self) -> bool:
        return self.version >= (3, 2, 1)

    @property
    def people_sharing(self) -> bool:
        return self.version >= (3, 3, 0)

    def violation(self, text: str) -> None:
        with self._lock:
            self.violations.append(text)

    # ---- hooks of api.py
    def search_shape(self, body: Mapping[str, Any], what: str) -> bool:
        """True when `body` is a v2 (new-shape) search this version runs as such; 400 for a mix
        on 3.2+; on 3.1 a new-shape key is recorded as a violation and the flat path runs."""
        new = [k for k in NEW_SHAPE_KEYS if k in body]
        if not new:
            return False
        if not self.search_v2:
            self.violation(
                f"{what}: {'/'.join(new)} sent to Immich {self.label}, which drops it silently "
                "(an unfiltered search)"
            )
            return False
        mixed = sorted(k for k in body if k in DEPRECATED_FLAT)
        if mixed:
            self.violation(f"{what}: flat {', '.join(mixed)} mixed with {'/'.join(new)}")
            raise ApiError(
                400,
                "Validation failed",
                [
                    {
                        "code": "custom",
                        "path": [k],
                        "message": f"Deprecated field {k} cannot be combined with "
                        "filter/orderBy/cursor",
                    }
                    for k in mixed
                ],
            )
        return True

    def legacy_tail(self) -> bytes:
        """What the flat search answer carries after ``nextPage``: ``nextCursor`` from 3.2."""
        return b',"nextCursor":null' if self.search_v2 else b""

    def user(self, dto: dict[str, Any], cluster_group_id: str) -> dict[str, Any]:
        if self.version >= (3, 2, 0):
            dto["clusterGroupId"] = cluster_group_id
        return dto

    def person(self, dto: dict[str, Any]) -> dict[str, Any]:
        if self.people_sharing:
            dto.update(sharedBy=[], sharedWith=[], otherPeople=[])
        return dto
