"""What an apply may take from the server's per-id answers instead of an album read.

- **The upload watermark's delta** (sync/watermark.py) plans new uploads without reading the
  album: when the album's count and the journal did not move, a photo uploaded since the last
  full reconcile cannot be in the album yet, so the server's ``duplicate`` answer (a hand edit
  racing the tick) only means "already there". A full reconcile always reads the album: only the
  album tells a photo removed by hand from one still there, and ids sent blind into a non-empty
  album could, after a hard kill, be settled as this tool's and undone.
- **Windowed adds.** A sync cycle applies with up to `ADD_WINDOW` chunks in flight (see
  applier.py: each journaled as pending before it is sent and with its answer after).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ppl2album_tui.sync.report import RuleReport

if TYPE_CHECKING:
    from ppl2album_tui.sync.engine import RulePreview

ADD_WINDOW = 4  # add chunks in flight at once


def settle_report(report: RuleReport, preview: RulePreview) -> None:
    """After an apply without the album read: the ``duplicate`` answers were "already there"."""
    if preview.album_read:
        return
    report.already += report.duplicates
    report.to_add = max(0, report.to_add - report.duplicates)
    report.duplicates = 0
