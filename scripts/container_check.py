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
- the default command (the sync loop) logs a cycle, reports healthy and stops on SIGTERM;
- the API key appears in no output of any of these.

It prints the image size and the first sync's time. Needs root (debootstrap, podman as root).
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
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PODMAN = shlex.split(os.environ.get("PODMAN", "podman --runtime runc --cgroup-manager cgroupfs"))
LIMITS = ["--network", "host", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
DEFAULT_BASE = "localhost/ppl2album-base:bookworm"
DEBIAN_MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
IMAGE = "localhost/ppl2album-tui:check"
APP_UID = 1000  # the image's user (Containerfile ARG UID)
# pip settings that say where packages come from; the rest of the machine's config stays out
PIP_INDEX_KEYS = {"index-url", "extra-index-url", "trusted-host", "timeout", "default-timeout",
                  "retries", "proxy"}  # fmt: skip
ALBUM = "Container check"
PEOPLE = 2  # the rule takes the first two named people


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
            ["debootstrap", "--variant=minbase",
             "--include=python3,python3-venv,python3-pip,ca-certificates",
             "bookworm", str(rootfs), DEBIAN_MIRROR],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        subprocess.run([*PODMAN, "import", "-", base], stdin=tar.stdout, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
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
        "build", "--format", "docker", *LIMITS, "--build-arg", f"BASE={base}",
        *(["--no-cache"] if no_cache else []),
        "--secret", f"id=pip.conf,src={pip_conf}", "--secret", f"id=ca.crt,src={ca}",
        "--tag", IMAGE, "--file", str(ROOT / "Containerfile"), str(ROOT),
    )  # fmt: skip
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
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
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


def write_config(directory: Path, url: str, people: list[dict[str, str]]) -> None:
    refs = ", ".join(f'{{ id = "{p["id"]}", name = "{p["name"]}" }}' for p in people)
    text = (
        f'version = 1\n\n[server]\nurl = "{url}"\n'
        'api_key_file = "/run/secrets/immich_api_key"\n\n'
        f'[sync]\ninterval_seconds = 60\n\n[[rules]]\nname = "Kids"\nalbum_name = "{ALBUM}"\n'
        f"people = [{refs}]\n"
    )
    (directory / "config.toml").write_text(text)


def own(path: Path, mode: int) -> None:
    """Give `path` to the image's user (bind mounts keep host ownership)."""
    os.chown(path, APP_UID, APP_UID)
    path.chmod(mode)


class Runs:
    """`podman run` of the image with the test's volumes; keeps every output for the key check."""

    def __init__(self, config: Path, data: Path, key_file: Path) -> None:
        self.mounts = ["-v", f"{config}:/config", "-v", f"{data}:/data",
                       "-v", f"{key_file}:/run/secrets/immich_api_key:ro"]  # fmt: skip
        self.outputs: list[str] = []

    def once(self, *env: str) -> tuple[subprocess.CompletedProcess[str], float]:
        env_args = [arg for e in env for arg in ("-e", e)]
        started = time.perf_counter()
        done = podman("run", "--rm", "--no-healthcheck", *LIMITS, *self.mounts, *env_args,
                      IMAGE, "sync", "--once", "--json")  # fmt: skip
        took = time.perf_counter() - started
        self.outputs += [done.stdout, done.stderr]
        return done, took

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
            deadline = time.monotonic() + 60
            log = ""
            while time.monotonic() < deadline and "Kids" not in log:
                time.sleep(1)
                logs = podman("logs", name)
                log = logs.stdout + logs.stderr
            check("Kids" in log, f"The sync loop logged no cycle within 60 s:\n{log}")
            health = podman("healthcheck", "run", name)
            self.outputs += [health.stdout, health.stderr]
            check(health.returncode == 0 and "unhealthy" not in health.stdout,
                  f"The health check failed: {health.stdout}{health.stderr}")  # fmt: skip
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
            podman("rm", "-f", name)


def rule_report(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    check(len(lines) == 1, f"Expected one JSON line on stdout, got:\n{done.stdout}{done.stderr}")
    report = json.loads(lines[0])
    check(len(report["rules"]) == 1, f"Expected one rule in the report: {report}")
    return dict(report["rules"][0], cycle_ok=report["ok"], started=report["started"],
                finished=report["finished"])  # fmt: skip


def run_checks(url: str, key: str, work: Path) -> None:
    server = Server(url, key)
    people = server.named_people()[:PEOPLE]
    expected = set().union(*(server.timeline_photos_of(p["id"]) for p in people))
    check(bool(expected), "The demo library gave the rule's people no photos.")
    config, data = work / "config", work / "data"
    config.mkdir()
    data.mkdir()
    write_config(config, url, people)
    key_file = work / "immich_api_key"
    key_file.write_text(key + "\n")
    for path, mode in ((config, 0o700), (data, 0o700), (config / "config.toml", 0o600),
                       (key_file, 0o400)):  # fmt: skip
        own(path, mode)
    runs = Runs(config, data, key_file)

    first, first_took = runs.once()
    check(first.returncode == 0, f"The first sync exited {first.returncode}:\n{first.stderr}")
    report = rule_report(first)
    in_album = server.album_assets(ALBUM)
    check(in_album == expected,
          f"The album holds {len(in_album)} photos, the rule's people have {len(expected)} "
          f"({len(in_album - expected)} extra, {len(expected - in_album)} missing).")  # fmt: skip
    check(report["added"] == len(expected), f"The first sync reported {report['added']} added.")
    start = runs.startup()
    print(f"first sync: {report['added']} photos of {', '.join(p['name'] for p in people)} "
          f"added to {ALBUM!r} in {first_took:.2f} s (`podman run`; of which about {start:.2f} s "
          "is starting a container for `ppl2album-tui --version`)")  # fmt: skip

    second, second_took = runs.once(f"IMMICH_API_KEY={key}")
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

    bad, _ = runs.once("IMMICH_API_KEY=not-the-key-0123456789")
    errors = [line for line in bad.stderr.splitlines() if line.strip()]
    check(bad.returncode == 1, f"A wrong key exited {bad.returncode}, not 1:\n{bad.stderr}")
    check(len(errors) == 1 and "Traceback" not in bad.stderr,
          f"A wrong key gave {len(errors)} lines on stderr:\n{bad.stderr}")  # fmt: skip
    print(f"wrong key: exit 1, {errors[0]!r}")

    log = runs.loop()
    print("default command: logged a cycle, healthy, stopped on SIGTERM with exit 0; its log:")
    print("".join(f"  | {line}\n" for line in log.splitlines()), end="")

    leaks = [i for i, text in enumerate(runs.outputs) if key in text]
    check(not leaks, f"The API key appears in {len(leaks)} of the containers' outputs.")
    print(f"the API key appears in none of the {len(runs.outputs)} outputs captured")


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
            print(f"image {IMAGE} built in {took:.0f} s: {size / 1e6:.0f} MB "
                  f"({(size - base_size) / 1e6:.0f} MB on top of {args.base})")  # fmt: skip
            user = podman_ok("run", "--rm", "--no-healthcheck", *LIMITS, "--entrypoint", "id",
                             IMAGE, "-u").strip()  # fmt: skip
            check(user == str(APP_UID), f"The image runs as uid {user}, not {APP_UID}.")
            with demo_server() as (url, key):
                run_checks(url, key, work)
    except (CheckFailed, subprocess.CalledProcessError) as err:
        print(f"FAILED: {err}", file=sys.stderr)
        return 1
    print("container check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
