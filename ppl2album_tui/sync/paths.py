"""Where the app keeps its files: the config, the data dir (journal, sync state, watermarks,
locks) and the thumbnail cache. Every file name is spelled here and nowhere else."""

from __future__ import annotations

import os
from pathlib import Path

from ppl2album_tui import APP_NAME

CONFIG_ENV = "PPL2ALBUM_TUI_CONFIG"
DATA_DIR_ENV = "PPL2ALBUM_TUI_DATA_DIR"
CONFIG_FILE = "config.toml"
JOURNAL_FILE = "journal.jsonl"  # in the data dir
STATE_FILE = "sync-state.json"  # beside the journal
WATERMARK_FILE = "sync-watermarks.json"  # beside the journal
RELINKED_FILE = "relinked.json"  # beside the journal: person ids `sync` re-linked by name
LOCK_DIR = "locks"  # in the data dir
THUMB_DIR = "thumbs"  # in the cache dir


def default_config_path() -> Path:
    """`$PPL2ALBUM_TUI_CONFIG`, else ``<user config dir>/ppl2album-tui/config.toml``."""
    env = os.environ.get(CONFIG_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # slow to import; only the default path needs it

    return platformdirs.user_config_path(APP_NAME) / CONFIG_FILE


def data_dir() -> Path:
    """`$PPL2ALBUM_TUI_DATA_DIR`, else the platform's user data dir for ppl2album-tui."""
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # slow to import; only the default directory needs it

    return platformdirs.user_data_path(APP_NAME)


def default_journal_path() -> Path:
    """The journal of applied changes: ``<data dir>/journal.jsonl``."""
    return data_dir() / JOURNAL_FILE


def default_cache_dir() -> Path:
    """The thumbnail cache: ``<user cache dir>/ppl2album-tui/thumbs`` (created on first write)."""
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME) / THUMB_DIR
