"""Contract checking against the official Immich OpenAPI document (never copied into the repo)."""

from __future__ import annotations

import functools

from .loader import LoadedSpec, load_spec, spec_missing_reason, spec_path
from .validator import ContractValidator, ExchangeLike, Violation, describe

__all__ = [
    "ContractValidator",
    "ExchangeLike",
    "LoadedSpec",
    "Violation",
    "describe",
    "get_validator",
    "load_spec",
    "spec_missing_reason",
    "spec_path",
]


@functools.cache
def get_validator() -> ContractValidator:
    """The session-wide validator (spec loaded once, compiled schemas shared)."""
    return ContractValidator(load_spec())
