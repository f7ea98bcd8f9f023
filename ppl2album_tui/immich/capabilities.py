"""What the connected Immich server can do, derived once from ``GET /server/version``.

- `search_v2` (3.2.0+): ``filter``/``orderBy``/``cursor`` on ``/search/metadata`` and
  ``/search/statistics`` (never mixed with the flat fields; see search_v2.py);
- `merge_v2` (3.2.1+): ``POST /people/merge`` beside the deprecated ``/people/{id}/merge``;
- `people_sharing` (3.3.0+): people shared by other users (``sharedBy`` on a person).

A server newer than `NEWEST_TESTED` is used all the same, with a one-line `note`.
"""

from __future__ import annotations

import msgspec

from ppl2album_tui.immich.models import ServerVersion

NEWEST_TESTED = (3, 3, 5)  # the newest Immich the demo server (and so the test suite) speaks


class Capabilities(msgspec.Struct, frozen=True):
    """The features of one server version that the app uses or works around."""

    version: ServerVersion
    search_v2: bool
    merge_v2: bool
    people_sharing: bool

    @classmethod
    def of(cls, version: ServerVersion) -> Capabilities:
        v = (version.major, version.minor, version.patch)
        return cls(version, v >= (3, 2, 0), v >= (3, 2, 1), v >= (3, 3, 0))

    @property
    def note(self) -> str | None:
        """One sentence when the server is newer than any version the app was tested with."""
        v = self.version
        if (v.major, v.minor, v.patch) <= NEWEST_TESTED:
            return None
        newest = ".".join(map(str, NEWEST_TESTED))
        return (
            f"Immich {v} is newer than {newest}, the newest version ppl2album-tui is tested with."
        )

    def summary(self) -> str:
        """One line for the Connect screen, e.g. ``Immich 3.3.5 · search v2 · people sharing``."""
        parts = [f"Immich {self.version}"]
        parts += [name for on, name in ((self.search_v2, "search v2"),
                                        (self.people_sharing, "people sharing")) if on]  # fmt: skip
        line = " · ".join(parts)
        return f"{line} ({self.note})" if self.note else line
