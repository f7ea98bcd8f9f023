"""Every headless test runs the command line as a fresh cron job would: none of the original
script's variables or our config path from the caller's shell, and a data dir of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sync_helpers import SCRIPT_ENV_VARS


@pytest.fixture(autouse=True)
def _cron_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in (*SCRIPT_ENV_VARS, "PPL2ALBUM_TUI_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PPL2ALBUM_TUI_DATA_DIR", str(tmp_path / "data"))
