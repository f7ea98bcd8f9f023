"""`ppl2album-tui` without a subcommand: open the app (or `--demo`: on a generated library).

Textual is imported only inside `run`, so building the CLI parser stays cheap.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ppl2album_tui.sync.schema import IMAGE_PROTOCOLS

DEMO_INTERVAL = 60  # seconds between demo auto-sync ticks
DEMO_UPLOAD_EVERY = 40.0  # seconds between "new photos" arriving on the demo server


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the interactive app."""
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a generated demo library served in-process (touches no real config)",
    )
    parser.add_argument("--config", metavar="PATH", help="config file (default: the user's)")
    parser.add_argument(
        "--image-protocol",
        choices=IMAGE_PROTOCOLS,
        default=None,
        help="how to draw faces and photos (default: the config's ui.image_protocol, else auto)",
    )
    from ppl2album_tui.demo.cli import add_version_arguments

    add_version_arguments(parser)  # for --demo


def run(args: argparse.Namespace) -> int:
    """Run the app; returns the exit code."""
    from ppl2album_tui.sync.config import ConfigError, load_config, resolve_config_path
    from ppl2album_tui.tui.images import detect_protocol

    if args.demo:
        demo = _demo(args.immich_version, args.partner_photos)
        with demo as (config, config_path, data_dir, cache_dir, banner):
            protocol = detect_protocol(args.image_protocol or "auto")
            return _run_app(config, config_path, data_dir, cache_dir, protocol, banner)
    config_path = resolve_config_path(args.config)
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    for warning in config.warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    try:
        protocol = detect_protocol(args.image_protocol or config.ui.image_protocol or "auto")
    except ValueError as exc:
        print(f"ui.image_protocol: {exc}", file=sys.stderr)
        return 2
    from ppl2album_tui.sync.paths import data_dir as default_data_dir
    from ppl2album_tui.sync.paths import default_cache_dir

    # the warnings (e.g. a config others can read) are also shown in the app: the terminal's
    # alternate screen hides what was printed before it
    banner = " ".join(f"Warning: {warning}" for warning in config.warnings)
    return _run_app(config, config_path, default_data_dir(), default_cache_dir(), protocol, banner)


def _run_app(
    config: Any, config_path: Path, data_dir: Path, cache_dir: Path, protocol: str, banner: str
) -> int:
    from ppl2album_tui.tui.app import make_app

    app = make_app(
        config,
        config_path=config_path,
        data_dir=data_dir,
        cache_dir=cache_dir,
        image_protocol=protocol,
        banner=banner,
    )
    result = app.run()
    return int(result or 0)


@contextlib.contextmanager
def _demo(
    immich_version: str = "3.1.0", partner_photos: int = 0
) -> Iterator[tuple[Any, Path, Path, Path, str]]:
    """A generated library served on a free loopback port, with a throw-away config and dirs."""
    from ppl2album_tui.demo.library import generate_library
    from ppl2album_tui.demo.partners import add_partner_photos
    from ppl2album_tui.demo.server import DemoServer
    from ppl2album_tui.sync.config import Config, save_config

    library = generate_library(seed=7)
    add_partner_photos(library, partner_photos)
    with (
        tempfile.TemporaryDirectory(prefix="ppl2album-demo-") as tmp,
        DemoServer(library, "127.0.0.1", 0, immich_version) as server,
    ):
        root = Path(tmp)
        config = Config()
        config.server.url = server.url
        config.server.api_key = server.api_key
        config.sync.interval_seconds = DEMO_INTERVAL
        config_path = root / "config.toml"
        save_config(config, config_path)
        stop = threading.Event()
        uploader = threading.Thread(
            target=_demo_uploads, args=(library, config, stop), name="demo-uploads", daemon=True
        )
        uploader.start()
        banner = (
            f"Demo: a generated library on {server.url}; config in {config_path} "
            f"(deleted on exit). A new photo arrives every {int(DEMO_UPLOAD_EVERY)} s."
        )
        try:
            yield config, config_path, root / "data", root / "cache", banner
        finally:
            stop.set()


def _demo_uploads(library: Any, config: Any, stop: threading.Event) -> None:
    """Every DEMO_UPLOAD_EVERY seconds a new photo of someone in a rule arrives."""
    import random

    rng = random.Random(11)
    n = 0
    while not stop.wait(DEMO_UPLOAD_EVERY):
        in_rules = list(dict.fromkeys(p.id for r in list(config.rules) for p in r.people))
        people = in_rules or [p.id for p in library.named_people()]
        if not people:
            continue
        n += 1
        chosen = rng.sample(people, k=min(len(people), rng.choice((1, 1, 2))))
        library.add_asset(people=chosen, file_name=f"NEW_{n:04d}.JPG")
