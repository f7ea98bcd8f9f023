"""`ppl2album-tui demo-server`: generate a library and serve it until Ctrl-C."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading
import time
from types import FrameType


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the demo-server subcommand."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=2283, help="port (0 = any free port)")
    parser.add_argument("--people", type=int, default=12, help="named people (default 12)")
    parser.add_argument("--assets", type=int, default=2000, help="photos and videos (default 2000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same library)")
    parser.add_argument(
        "--immich-costs",
        action="store_true",
        help="answer at a real Immich's costs: gzip, measured service times, one request at a time",
    )
    parser.add_argument(
        "--users",
        type=int,
        default=1,
        metavar="N",
        help="accounts, each with their own people, photos and key (default 1)",
    )
    parser.add_argument(
        "--cluster-group",
        action="store_true",
        help="Immich 3.2+ with --users 2 or more: every account in one cluster group (one id per "
        "person), each further account sharing its photos with the first in the timeline",
    )
    add_version_arguments(parser)


def add_version_arguments(parser: argparse.ArgumentParser) -> None:
    """--immich-version and --partner-photos (demo-server and the app's --demo)."""
    from ppl2album_tui.demo.versions import DEFAULT_VERSION, VERSIONS

    parser.add_argument(
        "--immich-version",
        choices=VERSIONS,
        default=DEFAULT_VERSION,
        help=f"the Immich version the demo server behaves as (default {DEFAULT_VERSION})",
    )
    parser.add_argument(
        "--partner-photos",
        type=int,
        default=0,
        metavar="N",
        help="add N photos of your people shared by a partner (default 0)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve the generated library; returns the exit code (2 for bad options or a busy port)."""
    from ppl2album_tui.demo.library import generate_library
    from ppl2album_tui.demo.server import DemoServer

    if args.people < 1 or args.assets < 1 or args.users < 1:
        print("--people, --assets and --users must be at least 1.", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print(f"--port must be between 0 and 65535, not {args.port}.", file=sys.stderr)
        return 2
    from ppl2album_tui.demo.versions import parse_version

    if args.cluster_group and (args.users < 2 or parse_version(args.immich_version) < (3, 2, 0)):
        print("--cluster-group needs --users 2 or more and Immich 3.2 or later.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    library = generate_library(args.people, args.assets, args.seed, args.users)
    if args.cluster_group:
        from ppl2album_tui.demo.clusters import join_cluster_group
        from ppl2album_tui.demo.partners import share_partner

        join_cluster_group(library, [library.user.id, *library.users])
        for user_id in library.users:
            share_partner(library, user_id, library.user.id, in_timeline=True)
    if args.partner_photos > 0:
        from ppl2album_tui.demo.partners import add_partner_photos

        add_partner_photos(library, args.partner_photos)
    server = DemoServer(library, args.host, args.port, args.immich_version)
    if args.immich_costs:
        from ppl2album_tui.demo.costs import CostModel

        server.costs = CostModel()
    try:
        server.start()
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            print(
                f"Port {args.port} on {args.host} is already in use; choose another with --port.",
                file=sys.stderr,
            )
        else:
            print(f"Cannot listen on {args.host}:{args.port}: {err.strerror}.", file=sys.stderr)
        return 2
    took = time.perf_counter() - started
    print(
        f"Demo library: {len(library.people)} people, {len(library.assets)} assets, "
        f"{len(library.albums)} albums (seed {args.seed}, {took:.1f}s)."
    )
    costs = " at Immich-like costs" if server.costs else ""
    print(f"Immich {args.immich_version} demo server listening on {server.url}{costs}")
    print(f"API key: {server.api_key}")
    for user in library.users.values():
        print(f"API key of {user.name} <{user.email}>: {server.user_key(user.id)}")
    print("Press Ctrl-C to stop.", flush=True)
    _stop_on_signals()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()
        print("\nDemo server stopped.")
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM stop the server cleanly, even when started with SIGINT ignored."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)


def main(argv: list[str] | None = None) -> int:
    """`python -m ppl2album_tui.demo.cli`: the demo server without the app's other commands."""
    parser = argparse.ArgumentParser(prog="ppl2album-tui demo-server")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
