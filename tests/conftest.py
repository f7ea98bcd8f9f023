"""Core fixtures: a small deterministic demo library, a real demo server on a free port, a client.

Other engineers add their fixtures below with small edits.
"""

from __future__ import annotations

import compileall
import gc
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from ppl2album_tui.demo.library import Library, generate_library
from ppl2album_tui.demo.server import DemoServer
from tests.fault_report import (  # noqa: F401  (hooks: the fault figures, summed across workers)
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)
from tests.spec import attach_contract_checker
from tests.spec.immichpy_contract import attach_immichpy_checker

if TYPE_CHECKING:
    from ppl2album_tui.immich.client import ImmichClient

# With PYTHONDONTWRITEBYTECODE set (as on the CI machine), every xdist worker and every
# `python -m ppl2album_tui` a test starts compiles the package and rewrites the test modules
# from source again (~7 CPU s per worker): let them cache bytecode in __pycache__ (gitignored).
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# Longest first, so that no long test starts last on one worker while the other waits idle
# (with --dist worksteal, each worker starts on its own slice and steals from the others' rest).
SLOW_FIRST = (
    "tests/tui/test_tui_controls.py::test_main_screen_controls",
    "tests/tui/test_tui_mirror.py",
    "tests/tui/test_tui_grid.py",
    "tests/tui/test_tui_snapshots.py",
    "tests/tui/",
)


@pytest.fixture
def demo_library(request: pytest.FixtureRequest) -> Library:
    """12 named people, 600 assets, seed 7 (facts: see ppl2album_tui/demo/library.py); a test
    or module marked ``pytest.mark.accounts(2)`` gets further accounts too (demo/users.py)."""
    marker = request.node.get_closest_marker("accounts")
    users = marker.args[0] if marker else 1
    return generate_library(people=12, assets=600, seed=7, users=users)


@pytest.fixture
def robin_id(demo_library: Library) -> str:
    """The second account's user id (Robin Roe) in a test marked ``accounts(2)``."""
    return next(iter(demo_library.users))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "accounts(n): the demo library has n accounts")
    if not hasattr(config, "workerinput"):  # once, before the workers start: on a fresh clone
        # each of them would compile the package and the test helpers at once
        root = Path(__file__).parents[1]
        for folder in ("ppl2album_tui", "tests"):
            compileall.compile_dir(root / folder, quiet=1, workers=0)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Three workers per core for `-n auto`: a test spends much of its time waiting (retry
    back-offs, timeouts, a subprocess starting), so one per core left the cores a third idle
    (measured on 2 cores: 4 workers 95-99 s, 6 workers 87 s, 8 workers 87 s)."""
    return 3 * (os.cpu_count() or 1)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Fewer, cheaper garbage collections in each worker: at Python's default (a collection per
    700 new objects) the collector took about a fifth of the Pilot tests' CPU, most of it
    walking the modules, the spec and the libraries every test keeps; frozen after collection,
    those are left out of its passes."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the run longest first (SLOW_FIRST), the rest as collected."""

    def rank(item: pytest.Item) -> int:
        ranks = (i for i, prefix in enumerate(SLOW_FIRST) if item.nodeid.startswith(prefix))
        return next(ranks, len(SLOW_FIRST))

    items.sort(key=rank)


@contextmanager
def running_server(library: Library, immich_version: str = "3.1.0") -> Iterator[DemoServer]:
    """A started DemoServer on 127.0.0.1 and a free port, stopped on exit."""
    with DemoServer(library, "127.0.0.1", 0, immich_version) as server:
        # Contract hook: every exchange is validated against ../shared/immich-openapi-specs.json
        # on 3.1 (nothing is installed when the spec is absent), against immichpy's 3.3.5
        # models on 3.3.5 (3.2.2 has neither document); violations fail the test at teardown,
        # and so does a search that mixed the flat and the v2 shape (or sent v2 to 3.1).
        checkers = {"3.1.0": attach_contract_checker, "3.3.5": attach_immichpy_checker}
        attach = checkers.get(immich_version)
        contract = attach(server) if attach else None
        yield server
        if contract is not None and (report := contract.report()):
            pytest.fail(report, pytrace=False)
        if server.api.profile.violations:
            pytest.fail("\n".join(server.api.profile.violations), pytrace=False)


@pytest.fixture
def immich_version() -> str:
    """The Immich version the demo server speaks; parametrise a test with
    ``@pytest.mark.parametrize("immich_version", VERSIONS)`` to run it on several."""
    return "3.1.0"


@pytest.fixture
def demo_server(demo_library: Library, immich_version: str) -> Iterator[DemoServer]:
    """The demo library served over real HTTP for the duration of one test."""
    with running_server(demo_library, immich_version) as server:
        yield server


@pytest.fixture
def big_demo_server() -> Callable[..., AbstractContextManager[DemoServer]]:
    """Factory: `with big_demo_server(people=20, assets=5000, seed=7) as srv: ...`."""

    def start(
        people: int = 12, assets: int = 5000, seed: int = 7
    ) -> AbstractContextManager[DemoServer]:
        return running_server(generate_library(people=people, assets=assets, seed=seed))

    return start


@pytest.fixture
def demo_http(demo_server: DemoServer) -> Iterator[httpx.Client]:
    """A plain sync httpx client on `<url>/api` with the all-permission key (raw HTTP tests)."""
    headers = {"x-api-key": demo_server.api_key}
    with httpx.Client(base_url=f"{demo_server.url}/api", headers=headers, timeout=10) as http:
        yield http


@pytest.fixture
async def client(demo_server: DemoServer) -> AsyncIterator[ImmichClient]:
    """An ImmichClient on the demo server with its all-permission key."""
    from ppl2album_tui.immich.client import ImmichClient

    async with ImmichClient(demo_server.url, demo_server.api_key) as c:
        yield c
