"""Secrets (issue 5): the API key never appears in output, logs (every logger at DEBUG, httpx and
httpcore included), exception messages, `--json` reports, reprs, snapshots or screenshots; the
config is written 0600; TLS is verified by default and a CA bundle makes a self-signed server
work.
"""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ppl2album_tui.cli import main
from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer, demo_key
from ppl2album_tui.headless.context import Target
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.sync.config import Config, load_config, save_config
from ppl2album_tui.sync.envfile import EnvSettings
from ppl2album_tui.sync.rules import Rule
from tests.fault_helpers import ref, tls_server_context

REPO = Path(__file__).resolve().parents[2]


def fragments(key: str) -> list[str]:
    """The key and its halves: a partial leak counts too."""
    half = len(key) // 2
    return [key, key[:half], key[half:]]


def assert_no_key(text: str, key: str, where: str) -> None:
    for part in fragments(key):
        assert part not in text, f"the API key (or part of it) is in {where}"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for var in list(os.environ):
        if var.startswith(("IMMICH_", "PPL2ALBUM_", "SYNC_INTERVAL")):
            monkeypatch.delenv(var)
    monkeypatch.setenv("PPL2ALBUM_TUI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture
def all_logs() -> Iterator[io.StringIO]:
    """Every logger at DEBUG into one buffer (httpx/httpcore/asyncio/hpack... included)."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    touched = []
    for name in ("httpx", "httpcore", "ppl2album_tui", "asyncio", "tenacity"):
        lg = logging.getLogger(name)
        touched.append((lg, lg.level))
        lg.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for lg, level in touched:
            lg.setLevel(level)


def write_config(path: Path, srv: DemoServer, lib: Library, key: str) -> Path:
    config = Config(rules=[Rule("kids", [ref(lib, "Anna"), ref(lib, "Ben")],
                                album_id=lib.album_by_name("Drafts").id)])  # fmt: skip
    config.server.url, config.server.api_key = srv.url, key
    save_config(config, path)
    return path


CONDITIONS = [
    "ok",
    "dry-run",
    "server 500",
    "html page",
    "key revoked",
    "unreachable",
    "undo",
    "env file",
]


@pytest.mark.parametrize("condition", CONDITIONS)
def test_key_is_never_in_output_logs_or_json(
    demo_server: DemoServer,
    demo_library: Library,
    env: Path,
    all_logs: io.StringIO,
    capsys: pytest.CaptureFixture[str],
    condition: str,
) -> None:
    srv, lib = demo_server, demo_library
    key = srv.add_api_key(["all"], name="secret-under-test")
    config = write_config(env / "config.toml", srv, lib, key)
    argv = ["sync", "--once", "--json", "--config", str(config)]
    if condition == "dry-run":
        argv = ["sync", "--dry-run", "--json", "--config", str(config)]
    elif condition == "server 500":
        srv.faults.add(path="/api/search/metadata", method="POST", status=500, count=None)
    elif condition == "html page":
        srv.faults.add(path="/api/albums/*", method="GET", kind="html", status=200, count=None)
    elif condition == "key revoked":
        srv.revoke_api_key(key)
    elif condition == "unreachable":
        cfg = load_config(config)
        cfg.server.url = "http://127.0.0.1:9"  # discard port: connection refused
        save_config(cfg, config)
    elif condition == "undo":
        assert main(argv) == 0
        argv = ["undo", "--rule", "kids", "--yes", "--config", str(config)]
    elif condition == "env file":
        dotenv = env / ".env"
        dotenv.write_text(
            f'IMMICH_BASE_URL={srv.url}\nIMMICH_API_KEY="{key}"\n'
            f"IMMICH_ALBUM_ID={lib.album_by_name('Drafts').id}\nIMMICH_PERSONS=Anna,Nobody\n"
        )
        argv = ["sync", "--once", "--json", "--env-file", str(dotenv)]
    code = main(argv)
    captured = capsys.readouterr()
    logs = all_logs.getvalue()
    assert logs, "nothing was logged: the DEBUG capture is not working"
    assert_no_key(captured.out, key, "stdout")
    assert_no_key(captured.err, key, "stderr")
    assert_no_key(logs, key, "the DEBUG log")
    assert "Traceback" not in captured.err + captured.out
    if "--json" in argv:
        for line in captured.out.splitlines():
            json.loads(line)  # only JSON on stdout
    expected = {"ok": 0, "dry-run": 0, "undo": 0, "env file": 0}.get(condition, 1)
    assert code == expected, captured.err


async def test_exception_messages_and_reprs_hold_no_key(
    demo_server: DemoServer, demo_library: Library
) -> None:
    srv = demo_server
    key = srv.add_api_key(["person.read"], name="narrow")
    messages: list[str] = []
    async with ImmichClient(srv.url, key) as client:
        for call in (client.albums, client.me, client.key_permissions, client.people):
            try:
                await call()
            except ImmichError as err:
                messages.append(f"{err} {err!r} {err.args!r}")
        srv.revoke_api_key(key)  # now every call is a 401
        for call in (client.albums, client.people):
            try:
                await call()
            except ImmichError as err:
                messages.append(f"{err} {err!r} {err.args!r}")
        messages.append(repr(client))
    config = Config()
    config.server.api_key = key
    messages.append(repr(config))
    messages.append(repr(Target(config, key, Path("x"), "x")))
    messages.append(repr(EnvSettings("http://h", key, "a", ["Anna"])))
    assert len(messages) >= 6
    for text in messages:
        assert_no_key(text, key, f"an exception or repr: {text[:60]}")


def test_demo_key_is_fixed_per_seed(demo_server: DemoServer, demo_library: Library) -> None:
    """Snapshot files are made by other runs; the key they could show is known per seed."""
    assert demo_server.api_key == demo_key(demo_library.seed)
    assert demo_key(7) != demo_key(8)


def stored_images() -> list[Path]:
    found: list[Path] = []
    for folder in (REPO / "screenshots", REPO / "tests"):
        if folder.is_dir():
            found += [p for p in folder.rglob("*") if p.suffix in (".svg", ".txt", ".ambr", ".raw")]
    return found


def test_stored_snapshots_and_screenshots_hold_no_demo_key() -> None:
    """Every SVG/snapshot in the repo was made on a seeded demo library (seeds 0..99 checked)."""
    keys = [demo_key(seed) for seed in range(100)]
    for path in stored_images():
        text = path.read_text(encoding="utf-8", errors="replace")
        for key in keys:
            for part in fragments(key):
                assert part not in text, f"{path.relative_to(REPO)} shows a demo API key"


# Every scene of the app, rendered live, masks the key: tests/tui/test_tui_snapshots.py checks
# each screen it pins (one scene per test, so that the workers share them out).


def test_config_files_are_written_0600(
    demo_server: DemoServer, demo_library: Library, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = env / "sub" / "config.toml"
    write_config(path, demo_server, demo_library, demo_server.api_key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o644)  # the user loosened it; the next save makes it private again
    save_config(load_config(path), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    dotenv = env / ".env"
    dotenv.write_text(
        f"IMMICH_BASE_URL={demo_server.url}\nIMMICH_API_KEY={demo_server.api_key}\n"
        f"IMMICH_ALBUM_ID={demo_library.album_by_name('Drafts').id}\nIMMICH_PERSONS=Anna\n"
    )
    out = env / "imported.toml"
    assert main(["import-env", str(dotenv), "--config", str(out)]) == 0
    captured = capsys.readouterr()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert_no_key(captured.out + captured.err, demo_server.api_key, "import-env output")


# ------------------------------------------------------------------------------------------ TLS


@pytest.fixture
def tls_demo(demo_server: DemoServer, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The demo server behind TLS with a self-signed certificate: (https url, certificate)."""
    context, cert = tls_server_context(tmp_path)
    httpd = demo_server._httpd
    assert httpd is not None
    # the handshake in the handler's thread, not in accept(): one stalled client (a request the
    # sync cancelled after another one failed) must not stall every later connection
    httpd.socket = context.wrap_socket(
        httpd.socket, server_side=True, do_handshake_on_connect=False
    )
    yield f"https://127.0.0.1:{demo_server.port}", cert


@pytest.mark.parametrize("setting", ["default", "ca_bundle", "insecure"])
def test_tls_verified_by_default_ca_bundle_and_insecure(
    demo_server: DemoServer,
    demo_library: Library,
    env: Path,
    tls_demo: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    setting: str,
) -> None:
    url, cert = tls_demo
    path = write_config(env / "config.toml", demo_server, demo_library, demo_server.api_key)
    config = load_config(path)
    config.server.url = url
    if setting == "ca_bundle":
        config.server.ca_bundle = str(cert)
    elif setting == "insecure":
        config.server.insecure = True
    save_config(config, path)
    code = main(["sync", "--once", "--config", str(path)])
    err = capsys.readouterr().err
    drafts = set(demo_library.album_by_name("Drafts").asset_ids)
    assert "Traceback" not in err
    assert_no_key(err, demo_server.api_key, "stderr")
    if setting == "default":
        assert code == 1 and drafts == set()
        assert "certificate" in err and "securely" in err
        assert len([x for x in err.splitlines() if x.strip()]) == 1, err
    else:
        assert code == 0 and drafts, err
        warned = "TLS certificate checks are off" in err
        assert warned == (setting == "insecure")


@pytest.mark.parametrize("insecure", [True, False])
async def test_tui_warns_visibly_when_tls_checks_are_off(
    demo_server: DemoServer, tmp_path: Path, insecure: bool
) -> None:
    pytest.importorskip("textual")
    from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
    from tests.tui.helpers import build_app

    config = demo_config(demo_server.api_key)
    config.server.insecure = insecure
    app = build_app(demo_server, tmp_path, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        assert app.engine is not None  # connected
        log = "\n".join(app.sync_state.activity)
        toasts = [n.message for n in app._notifications]
    said = "TLS certificate checks are off"
    assert (said in log) == insecure
    assert any(said in t for t in toasts) == insecure


def test_readable_config_is_warned_about_in_the_tui_too(
    demo_server: DemoServer,
    demo_library: Library,
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_config(env / "config.toml", demo_server, demo_library, demo_server.api_key)
    os.chmod(path, 0o640)
    banners: list[str] = []

    def run_app(*args: str) -> int:
        banners.append(args[-1])
        return 0

    monkeypatch.setattr("ppl2album_tui.tui.launch._run_app", run_app)
    assert main(["--config", str(path)]) == 0
    err = capsys.readouterr().err
    assert "readable by other users" in err  # before the app takes the screen
    assert banners and "readable by other users" in banners[0]  # and inside the app
    assert f"chmod 600 {path}" in banners[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # warned, not changed behind their back
