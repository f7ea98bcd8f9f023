"""Every route the demo server implements is in the official spec, with the spec's scope."""

from __future__ import annotations

import pytest

from tests.spec import APP_ENDPOINTS, get_validator, load_spec, spec_missing_reason

SKIP_REASON = spec_missing_reason()
pytestmark = pytest.mark.skipif(SKIP_REASON is not None, reason=str(SKIP_REASON))


def demo_routes() -> dict[tuple[str, str], str | None]:
    api = pytest.importorskip("ppl2album_tui.demo.api")
    table: dict[tuple[str, str], str | None] = api.scope_table()
    return table


def test_demo_routes_exist_in_the_spec() -> None:
    spec = load_spec()
    documented = {(op.method, op.template) for op in spec.operations()}
    missing = sorted(set(demo_routes()) - documented)
    assert not missing, f"demo server routes absent from the Immich 3.1 spec: {missing}"


def test_demo_route_scopes_match_the_spec() -> None:
    api = pytest.importorskip("ppl2album_tui.demo.api")
    validator = get_validator()
    spec = load_spec()
    ops = {(op.method, op.template): op for op in spec.operations()}
    wrong = []
    for key, scope in sorted(demo_routes().items()):
        op = ops.get(key)
        if op is None:
            continue  # reported by the test above
        if not op.authenticated:
            expected: str | None = api.PUBLIC
        else:
            expected = validator.required_scope(op) or api.ANY_KEY
        if scope != expected:
            wrong.append(f"{key[0]} {key[1]}: demo {scope!r}, spec {expected!r}")
    assert not wrong, "scopes differ from x-immich-permission:\n" + "\n".join(wrong)


def test_demo_covers_every_endpoint_the_app_needs() -> None:
    assert not APP_ENDPOINTS - set(demo_routes())
