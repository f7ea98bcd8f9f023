"""Build the container image with podman and run it against the demo server (not part of CI).

    .venv/bin/python scripts/container_check.py [--base IMAGE] [--rebuild-base]

Without ``--base`` the base image is Debian bookworm's own Python, made once with debootstrap and
``podman import`` (Docker Hub's ``python:3.12-slim``, the Containerfile's default, may be out of
reach). The build gets this machine's pip index settings and CA bundle as build secrets. Then,
against ``ppl2album-tui demo-server`` on 127.0.0.1 (the containers use the host network):

- ``sync --once`` with the key in a mounted secret file adds exactly the photos of the rule's
  people to a new album (read back from the server over HTTP);
- a second ``sync --once`` (the key from IMMICH_API_KEY) adds nothing;
- a wrong key exits 1 with one sentence on stderr;
- with no config, the original script's variables alone (IMMICH_BASE_URL, …) fill an album;
- the default command (the sync loop) logs a cycle, reports healthy and stops on SIGTERM; the
  health check with a wrong key fails with one sentence;
- the API key appears in no output of any of these;
- compose.yaml, run by podman-compose on a network with a stand-in for Immich's `immich-server`
  (the demo server in this image), reaches it by that name and fills the album.

It prints the image size and the first sync's time. Needs root (debootstrap, podman as root) and
podman-compose. The image is tagged `ppl2album-tui:latest`, the name compose.yaml uses.
"""

from __future__ import annotations

import argparse
import configparser
import contextlib
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PODMAN = shlex.split(os.environ.get("PODMAN", "podman --runtime runc --cgroup-manager cgroupfs"))
ULIMITS = ("nofile=1024:1024", "nproc=4096:4096")
LIMITS = ["--network", "host", *(arg for u in ULIMITS for arg in ("--ulimit", u))]
# podman-compose runs plain `podman`: the same runtime and limits come from a containers.conf
COMPOSE_CONF = (
    f"[containers]\ndefault_ulimits = {json.dumps(list(ULIMITS))}\n\n"
    '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n'
)
COMPOSE_PROJECT = "ppl2album-check"
DEFAULT_BASE = "localhost/ppl2album-base:bookworm"
DEBIAN_MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
IMAGE = "localhost/ppl2album-tui:latest"  # the name compose.yaml uses
APP_UID = 1000  # the image's user (Containerfile ARG UID)
# pip settings that say where packages come from; the rest of the machine's config stays out
PIP_INDEX_KEYS = {
    "index-url",
    "extra-index-url",
    "trusted-host",
    "timeout",
    "default-timeout",
    "retries",
    "proxy",
}
ALBUM = "Container check"
ENV_ALBUM = "Container check from variables"
WRONG_KEY = {"IMMICH_API_KEY": "not-the-key-0123456789"}
PEOPLE = 2  # named people per rule (the first two; the last two through compose)


class CheckFailed(Exception):
    """One of the checks did not hold; the message says which."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def podman(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PODMAN, *args], text=True, capture_output=True)


def podman_ok(*args: str) -> str:
    done = podman(*args)
    if done.returncode != 0:
        raise CheckFailed(f"podman {' '.join(args[:2])} failed:\n{done.stderr.strip()}")
    return done.stdout


def ensure_base(base: str, rebuild: bool) -> None:
    """Make `base` from Debian's packages (debootstrap + podman import) unless it exists."""
    if not rebuild and podman("image", "exists", base).returncode == 0:
        print(f"base image {base} exists")
        return
    if not shutil.which("debootstrap"):
        raise CheckFailed("debootstrap is not installed (apt-get install debootstrap).")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ppl2album-rootfs-", dir="/var/tmp") as tmp:
        rootfs = Path(tmp) / "rootfs"
        print(f"debootstrap bookworm into {rootfs} (a few minutes)…", flush=True)
        subprocess.run(
            [
                "debootstrap",
                "--variant=minbase",
                "--include=python3,python3-venv,python3-pip,ca-certificates",
                "bookworm",
                str(rootfs),
                DEBIAN_MIRROR,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(
            [*PODMAN, "import", "-", base], stdin=tar.stdout, check=True, stdout=subprocess.DEVNULL
        )
        tar.wait()
    print(f"base image {base} made in {time.perf_counter() - started:.0f} s")


def pip_build_config(directory: Path) -> tuple[Path, Path]:
    """This machine's pip index settings (all scopes, env included) and CA bundle, as files.

    Local paths and file:// indexes are left out: they do not exist inside the build.
    """
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], text=True, capture_output=True
    ).stdout
    settings: dict[str, str] = {}
    cert = ""
    for line in listed.splitlines():  # `global.index-url='https://…'`, `:env:.cert='…'`
        match = re.fullmatch(r"[^.]*\.([\w-]+)='(.*)'", line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key == "cert":
            cert = value
        elif key in PIP_INDEX_KEYS:
            kept = [v for v in value.split() if not v.startswith(("file:", "/"))]
            if kept:
                settings[key] = " ".join(kept)
    conf = configparser.ConfigParser()
    conf["global"] = settings
    pip_conf = directory / "pip.conf"
    with pip_conf.open("w") as f:
        conf.write(f)
    ca = Path(cert or os.environ.get("SSL_CERT_FILE") or "/etc/ssl/certs/ca-certificates.crt")
    check(ca.is_file(), f"No CA bundle at {ca}.")
    print(f"pip settings for the build: {settings or 'none (PyPI)'}; CA bundle {ca}")
    return pip_conf, ca


def build(base: str, pip_conf: Path, ca: Path, no_cache: bool) -> float:
    started = time.perf_counter()
    done = podman(
        "build",
        "--format",
        "docker",
        *LIMITS,
        "--build-arg",
        f"BASE={base}",
        *(["--no-cache"] if no_cache else []),
        "--secret",
        f"id=pip.conf,src={pip_conf}",
        "--secret",
        f"id=ca.crt,src={ca}",
        "--tag",
        IMAGE,
        "--file",
        str(ROOT / "Containerfile"),
        str(ROOT),
    )
    if done.returncode != 0:
        raise CheckFailed(f"The image did not build:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return time.perf_counter() - started


def image_size(image: str) -> int:
    return int(podman_ok("image", "inspect", "--format", "{{.Size}}", image).strip())


@contextlib.contextmanager
def demo_server() -> Iterator[tuple[str, str]]:
    """`ppl2album-tui demo-server` on a free loopback port; yields (url, api key)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "ppl2album_tui", "demo-server", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = key = ""
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("Immich demo server listening on "):
                url = line.split()[-1]
            elif line.startswith("API key: "):
                key = line.split()[-1]
            if url and key:
                break
        check(bool(url and key), "The demo server did not start.")
        yield url, key
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Server:
    """The checks' own view of the server: plain HTTP, independent of the app's client."""

    def __init__(self, url: str, key: str) -> None:
        self.http = httpx.Client(base_url=url.rstrip("/") + "/api", headers={"x-api-key": key})

    def _search(self, body: dict[str, object]) -> set[str]:
        ids: set[str] = set()
        page: str | None = "1"
        while page:
            query = {**body, "page": int(page), "size": 1000}
            answer = self.http.post("/search/metadata", json=query)
            answer.raise_for_status()
            assets = answer.json()["assets"]
            ids |= {item["id"] for item in assets["items"]}
            page = assets["nextPage"]
        return ids

    def named_people(self) -> list[dict[str, str]]:
        answer = self.http.get("/people", params={"size": 1000})
        answer.raise_for_status()
        return [p for p in answer.json()["people"] if p["name"]]

    def timeline_photos_of(self, person_id: str) -> set[str]:
        return self._search({"personIds": [person_id], "visibility": "timeline"})

    def album_assets(self, name: str) -> set[str]:
        answer = self.http.get("/albums")
        answer.raise_for_status()
        ids = [a["id"] for a in answer.json() if a["albumName"] == name]
        check(len(ids) == 1, f"Expected one album named {name!r} on the server, found {len(ids)}.")
        return self._search({"albumIds": ids})

    def create_album(self, name: str) -> str:
        answer = self.http.post("/albums", json={"albumName": name})
        answer.raise_for_status()
        return str(answer.json()["id"])


def prepare(directory: Path, url: str, key: str, people: list[dict[str, str]]) -> Path:
    """`directory`/config/config.toml (key from the secret file) and the key file beside it,
    owned by the image's user (bind mounts keep host ownership); returns the key file."""
    refs = ", ".join(f'{{ id = "{p["id"]}", name = "{p["name"]}" }}' for p in people)
    config = directory / "config"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        f'version = 1\n\n[server]\nurl = "{url}"\n'
        'api_key_file = "/run/secrets/immich_api_key"\n\n'
        f'[sync]\ninterval_seconds = 60\n\n[[rules]]\nname = "Kids"\nalbum_name = "{ALBUM}"\n'
        f"people = [{refs}]\n"
    )
    key_file = directory / "immich_api_key.txt"
    key_file.write_text(key + "\n")
    for path, mode in ((config, 0o700), (config / "config.toml", 0o600), (key_file, 0o400)):
        os.chown(path, APP_UID, APP_UID)
        path.chmod(mode)
    return key_file


def wait_for_log(container: str, text: str, seconds: float = 60) -> str:
    """The container's log once it holds `text` (CheckFailed after `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        logs = podman("logs", container)
        log = logs.stdout + logs.stderr
        if text in log:
            return log
        if time.monotonic() > deadline:
            raise CheckFailed(f"{container} did not log {text!r} within {seconds:.0f} s:\n{log}")
        time.sleep(1)


class Runs:
    """`podman run` of the image with the test's volumes; keeps every output for the key check."""

    def __init__(self, config: Path, data: Path, key_file: Path) -> None:
        self.mounts = [
            "-v",
            f"{config}:/config",
            "-v",
            f"{data}:/data",
            "-v",
            f"{key_file}:/run/secrets/immich_api_key:ro",
        ]
        self.outputs: list[str] = []

    def run(
        self,
        *command: str,
        env: dict[str, str] | None = None,
        mounted: bool = True,
        entrypoint: str = "",
    ) -> subprocess.CompletedProcess[str]:
        """A one-shot container of the image (`command` after it), its output kept."""
        options = [*LIMITS, *(self.mounts if mounted else [])]
        options += [arg for k, v in (env or {}).items() for arg in ("-e", f"{k}={v}")]
        options += ["--entrypoint", entrypoint] if entrypoint else []
        done = podman("run", "--rm", "--no-healthcheck", *options, IMAGE, *command)
        self.outputs += [done.stdout, done.stderr]
        return done

    def once(
        self, env: dict[str, str] | None = None
    ) -> tuple[subprocess.CompletedProcess[str], float]:
        """`sync --once --json` and its wall time."""
        started = time.perf_counter()
        done = self.run("sync", "--once", "--json", env=env)
        return done, time.perf_counter() - started

    def health(self, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        """The image's health check command, run on its own."""
        return self.run("/opt/ppl2album-tui/healthcheck.py", env=env, entrypoint="python")

    def startup(self) -> float:
        """Wall time of `podman run … --version`: the container's and Python's start-up."""
        started = time.perf_counter()
        podman_ok("run", "--rm", "--no-healthcheck", *LIMITS, IMAGE, "--version")
        return time.perf_counter() - started

    def loop(self) -> str:
        """The default command, detached: its log, its health, its stop on SIGTERM."""
        name = f"ppl2album-check-{os.getpid()}"
        podman_ok("run", "-d", "--name", name, *LIMITS, *self.mounts, IMAGE)
        try:
            wait_for_log(name, "Kids")
            health = podman("healthcheck", "run", name)
            self.outputs += [health.stdout, health.stderr]
            check(
                health.returncode == 0 and "unhealthy" not in health.stdout,
                f"The health check failed: {health.stdout}{health.stderr}",
            )
            started = time.perf_counter()
            podman_ok("stop", "--time", "20", name)
            stop_took = time.perf_counter() - started
            code = podman_ok("inspect", "--format", "{{.State.ExitCode}}", name).strip()
            logs = podman("logs", name)
            log = logs.stdout + logs.stderr
            self.outputs.append(log)
            check(code == "0", f"The sync loop exited {code} on SIGTERM, not 0:\n{log}")
            check(stop_took < 15, f"The sync loop took {stop_took:.1f} s to stop on SIGTERM.")
            return log
        finally:
            podman("rm", "--force", "--volumes", name)


def rule_report(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    check(len(lines) == 1, f"Expected one JSON line on stdout, got:\n{done.stdout}{done.stderr}")
    report = json.loads(lines[0])
    check(len(report["rules"]) == 1, f"Expected one rule in the report: {report}")
    return dict(
        report["rules"][0],
        cycle_ok=report["ok"],
        started=report["started"],
        finished=report["finished"],
    )


def run_checks(url: str, key: str, work: Path) -> None:
    server = Server(url, key)
    people = server.named_people()[:PEOPLE]
    expected = set().union(*(server.timeline_photos_of(p["id"]) for p in people))
    check(bool(expected), "The demo library gave the rule's people no photos.")
    key_file = prepare(work, url, key, people)
    data = work / "data"
    data.mkdir()
    os.chown(data, APP_UID, APP_UID)
    runs = Runs(work / "config", data, key_file)

    first, first_took = runs.once()
    check(first.returncode == 0, f"The first sync exited {first.returncode}:\n{first.stderr}")
    report = rule_report(first)
    in_album = server.album_assets(ALBUM)
    check(
        in_album == expected,
        f"The album holds {len(in_album)} photos, the rule's people have {len(expected)} "
        f"({len(in_album - expected)} extra, {len(expected - in_album)} missing).",
    )
    check(report["added"] == len(expected), f"The first sync reported {report['added']} added.")
    start = runs.startup()
    print(
        f"first sync: {report['added']} photos of {', '.join(p['name'] for p in people)} "
        f"added to {ALBUM!r} in {first_took:.2f} s (`podman run`; of which about {start:.2f} s "
        "is starting a container for `ppl2album-tui --version`)"
    )

    second, second_took = runs.once({"IMMICH_API_KEY": key})
    check(second.returncode == 0, f"The second sync exited {second.returncode}:\n{second.stderr}")
    again = rule_report(second)
    check(again["added"] == 0 and again["to_add"] == 0, f"The second sync was no no-op: {again}")
    check(server.album_assets(ALBUM) == expected, "The second sync changed the album.")
    kind = "unchanged: no search" if again["unchanged"] else "a full reconcile"
    print(f"second sync: nothing to add, {second_took:.2f} s ({kind})")
    if not again["unchanged"]:
        third, third_took = runs.once()
        check(third.returncode == 0, f"The third sync exited {third.returncode}:\n{third.stderr}")
        last = rule_report(third)
        check(last["added"] == 0 and bool(last["unchanged"]), f"The third sync was busy: {last}")
        print(f"third sync: unchanged (no search), {third_took:.2f} s")

    bad, _ = runs.once(WRONG_KEY)
    errors = [line for line in bad.stderr.splitlines() if line.strip()]
    check(bad.returncode == 1, f"A wrong key exited {bad.returncode}, not 1:\n{bad.stderr}")
    check(
        len(errors) == 1 and "Traceback" not in bad.stderr,
        f"A wrong key gave {len(errors)} lines on stderr:\n{bad.stderr}",
    )
    print(f"wrong key: exit 1, {errors[0]!r}")
    sick = runs.health(WRONG_KEY)
    check(
        sick.returncode == 1 and len(sick.stderr.strip().splitlines()) == 1,
        f"The health check with a wrong key: exit {sick.returncode}, {sick.stderr!r}",
    )
    print(f"health check with a wrong key: exit 1, {sick.stderr.strip()!r}")

    album = server.create_album(ENV_ALBUM)
    names = ",".join(p["name"] for p in people)
    script_env = {
        "IMMICH_BASE_URL": url,
        "IMMICH_API_KEY": key,
        "IMMICH_ALBUM_ID": album,
        "IMMICH_PERSONS": names,
    }
    plain = runs.run("sync", "--once", env=script_env, mounted=False)
    check(
        plain.returncode == 0, f"The sync from variables exited {plain.returncode}:\n{plain.stderr}"
    )
    check(server.album_assets(ENV_ALBUM) == expected, "The sync from variables missed photos.")
    print(
        f"no config, the original script's variables only: {len(expected)} photos into "
        f"{ENV_ALBUM!r}; {plain.stdout.strip()!r}"
    )

    log = runs.loop()
    print("default command: logged a cycle, healthy, stopped on SIGTERM with exit 0; its log:")
    print("".join(f"  | {line}\n" for line in log.splitlines()), end="")

    leaks = [i for i, text in enumerate(runs.outputs) if key in text]
    check(not leaks, f"The API key appears in {len(leaks)} of the containers' outputs.")
    print(f"the API key appears in none of the {len(runs.outputs)} outputs captured")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def compose_check(work: Path) -> None:
    """compose.yaml as a user runs it, with podman-compose, on the network of a stand-in for
    Immich's `immich-server` (the demo server in this image, reached by that name)."""
    if not shutil.which("podman-compose"):
        raise CheckFailed("podman-compose is not installed (apt-get install podman-compose).")
    network, stand_in = f"{COMPOSE_PROJECT}-immich", f"{COMPOSE_PROJECT}-immich-server"
    project = work / "compose"
    project.mkdir()
    shutil.copy(ROOT / "compose.yaml", project)
    (work / "containers.conf").write_text(COMPOSE_CONF)
    env = {
        **os.environ,
        "CONTAINERS_CONF": str(work / "containers.conf"),
        "IMMICH_NETWORK": network,
    }
    compose = ["podman-compose", "--project-name", COMPOSE_PROJECT, "--file", "compose.yaml"]
    port = free_port()
    podman_ok("network", "create", network)
    try:
        podman_ok(
            "run",
            "-d",
            "--name",
            stand_in,
            "--no-healthcheck",
            *LIMITS[2:],
            "--network",
            network,
            "--network-alias",
            "immich-server",
            "--publish",
            f"127.0.0.1:{port}:2283",
            IMAGE,
            "demo-server",
            "--host",
            "0.0.0.0",
            "--port",
            "2283",
        )
        key = wait_for_log(stand_in, "Press Ctrl-C").split("API key: ")[1].split()[0]
        server = Server(f"http://127.0.0.1:{port}", key)
        people = server.named_people()[-PEOPLE:]
        expected = set().union(*(server.timeline_photos_of(p["id"]) for p in people))
        prepare(project, "http://immich-server:2283", key, people)
        up = subprocess.run(
            [*compose, "up", "-d", "--no-build"],
            cwd=project,
            env=env,
            text=True,
            capture_output=True,
        )
        check(up.returncode == 0, f"podman-compose up failed:\n{up.stdout}{up.stderr}")
        names = podman_ok(
            "ps",
            "--filter",
            f"label=io.podman.compose.project={COMPOSE_PROJECT}",
            "--format",
            "{{.Names}}",
        ).split()
        check(len(names) == 1, f"Expected one compose container, found {names}.")
        log = wait_for_log(names[0], "Kids")
        in_album = server.album_assets(ALBUM)
        check(
            in_album == expected,
            f"Through compose the album holds {len(in_album)} photos, not {len(expected)}.",
        )
        check(key not in log, "The API key appears in the compose service's log.")
        print(
            f"compose: the service reached http://immich-server:2283 on {network} and added "
            f"{len(in_album)} photos of {', '.join(p['name'] for p in people)}; its log:"
        )
        print("".join(f"  | {line}\n" for line in log.splitlines()), end="")
    finally:
        subprocess.run([*compose, "down", "--volumes"], cwd=project, env=env, capture_output=True)
        podman("rm", "--force", "--volumes", stand_in)
        podman("network", "rm", network)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base", default=DEFAULT_BASE, help=f"base image (default {DEFAULT_BASE}, debootstrapped)"
    )
    parser.add_argument("--rebuild-base", action="store_true", help="debootstrap it again")
    parser.add_argument("--no-cache", action="store_true", help="build every layer again")
    args = parser.parse_args()
    try:
        if args.base == DEFAULT_BASE:
            ensure_base(args.base, args.rebuild_base)
        with tempfile.TemporaryDirectory(prefix="ppl2album-container-") as tmp:
            work = Path(tmp)
            pip_conf, ca = pip_build_config(work)
            took = build(args.base, pip_conf, ca, args.no_cache)
            size, base_size = image_size(IMAGE), image_size(args.base)
            print(
                f"image {IMAGE} built in {took:.0f} s: {size / 1e6:.0f} MB "
                f"({(size - base_size) / 1e6:.0f} MB on top of {args.base})"
            )
            user = podman_ok(
                "run", "--rm", "--no-healthcheck", *LIMITS, "--entrypoint", "id", IMAGE, "-u"
            ).strip()
            check(user == str(APP_UID), f"The image runs as uid {user}, not {APP_UID}.")
            with demo_server() as (url, key):
                run_checks(url, key, work)
            compose_check(work)
    except (CheckFailed, subprocess.CalledProcessError) as err:
        print(f"FAILED: {err}", file=sys.stderr)
        return 1
    print("container check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
