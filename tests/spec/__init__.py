"""Contract checking against the official Immich OpenAPI document (never copied into the repo)."""

from __future__ import annotations

import functools

from .hook import (
    ContractRecorder,
    attach_contract_checker,
    recorder_for,
    spec_violations_allowed,
)
from .loader import LoadedSpec, load_spec, spec_missing_reason, spec_path
from .validator import ContractValidator, ExchangeLike, Violation, describe

__all__ = [
    "APP_ENDPOINTS",
    "ContractRecorder",
    "ContractValidator",
    "ExchangeLike",
    "LoadedSpec",
    "Violation",
    "attach_contract_checker",
    "describe",
    "get_validator",
    "load_spec",
    "recorder_for",
    "spec_missing_reason",
    "spec_path",
    "spec_violations_allowed",
]

# (method, spec path template) of every call the app makes (CONTRACT.md, client API).
APP_ENDPOINTS = {
    ("GET", "/server/ping"),
    ("GET", "/server/version"),
    ("GET", "/server/about"),
    ("GET", "/users/me"),
    ("GET", "/api-keys/me"),
    ("GET", "/people"),
    ("GET", "/people/{id}"),
    ("GET", "/people/{id}/thumbnail"),
    ("GET", "/people/{id}/statistics"),
    ("POST", "/search/metadata"),
    ("GET", "/albums"),
    ("GET", "/albums/{id}"),
    ("POST", "/albums"),
    ("PUT", "/albums/{id}/assets"),
    ("DELETE", "/albums/{id}/assets"),
    ("GET", "/assets/{id}/thumbnail"),
}


@functools.cache
def get_validator() -> ContractValidator:
    """The session-wide validator (spec loaded once, compiled schemas shared)."""
    return ContractValidator(load_spec())
