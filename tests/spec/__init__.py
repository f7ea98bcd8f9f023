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


@functools.cache
def get_validator() -> ContractValidator:
    """The session-wide validator (spec loaded once, compiled schemas shared)."""
    return ContractValidator(load_spec())
