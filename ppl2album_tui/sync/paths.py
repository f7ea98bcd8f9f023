"""Where the app keeps its state (journal, locks, sync state)."""

from __future__ import annotations

import os
from pathlib import Path

from ppl2album_tui import APP_NAME

DATA_DIR_ENV = "PPL2ALBUM_TUI_DATA_DIR"


def data_dir() -> Path:
    """`$PPL2ALBUM_TUI_DATA_DIR`, else the platform's user data dir for ppl2album-tui."""
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # slow to import; only the default directory needs it

    return platformdirs.user_data_path(APP_NAME)


def default_journal_path() -> Path:
    """The journal of applied changes: ``<data dir>/journal.jsonl``."""
    return data_dir() / "journal.jsonl"
