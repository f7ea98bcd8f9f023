"""Request validation with Immich 3.x (zod) semantics: 400 "Validation failed" + issue list."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

UUID4_PATTERN = (
    "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12})$"
)
_UUID4 = re.compile(UUID4_PATTERN)
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$")
_INT = re.compile(r"^-?\d+$")


class ApiError(Exception):
    """An error answer: status and Immich-style body ({"message"} plus "errors" for 400s)."""

    def __init__(
        self, status: int, message: str, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            out["errors"] = self.errors
        return out


class Checker:
    """Collects zod-like issues; `done()` raises ApiError(400) when there are any."""

    def __init__(self) -> None:
        self.issues: list[dict[str, Any]] = []

    def _issue(self, path: Sequence[str | int], code: str, message: str, **extra: Any) -> None:
        self.issues.append({"code": code, **extra, "path": list(path), "message": message})

    def type_error(self, path: Sequence[str | int], expected: str, value: object) -> None:
        received = "null" if value is None else type(value).__name__
        received = {
            "str": "string",
            "int": "number",
            "float": "number",
            "bool": "boolean",
            "list": "array",
            "dict": "object",
        }.get(received, received)
        self._issue(
            path,
            "invalid_type",
            f"Invalid input: expected {expected}, received {received}",
            expected=expected,
        )

    def done(self) -> None:
        if self.issues:
            raise ApiError(400, "Validation failed", self.issues)

    def required(self, body: Mapping[str, Any], key: str, expected: str) -> Any:
        """`body[key]`, recording a missing-field issue (and returning None) when absent."""
        if key not in body:
            self.type_error([key], expected, None)
            return None
        return body[key]

    # ---- body (JSON) fields: value is None when absent
    def uuid(self, path: Sequence[str | int], value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.type_error(path, "string", value)
            return None
        if not _UUID4.match(value):
            self._issue(
                path,
                "invalid_format",
                "Invalid UUID",
                format="uuid",
                origin="string",
                pattern=UUID4_PATTERN,
            )
            return None
        return value

    def uuid_list(self, path: Sequence[str | int], value: object) -> list[str] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.type_error(path, "array", value)
            return None
        out = [self.uuid([*path, i], v) for i, v in enumerate(value)]
        if len(self.issues):
            return None
        return [v for v in out if v is not None]

    def boolean(self, path: Sequence[str | int], value: object) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.type_error(path, "boolean", value)
            return None
        return value

    def string(self, path: Sequence[str | int], value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.type_error(path, "string", value)
            return None
        return value

    def integer(
        self, path: Sequence[str | int], value: object, lo: int | None = None, hi: int | None = None
    ) -> int | None:
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.type_error(path, "number" if not isinstance(value, float) else "int", value)
            return None
        if lo is not None and value < lo:
            self._issue(
                path,
                "too_small",
                f"Too small: expected number to be >={lo}",
                origin="number",
                minimum=lo,
                inclusive=True,
            )
            return None
        if hi is not None and value > hi:
            self._issue(
                path,
                "too_big",
                f"Too big: expected number to be <={hi}",
                origin="number",
                maximum=hi,
                inclusive=True,
            )
            return None
        return value

    def choice(self, path: Sequence[str | int], value: object, values: Sequence[str]) -> str | None:
        if value is None:
            return None
        if value not in values:
            options = "|".join(f'"{v}"' for v in values)
            self._issue(
                path,
                "invalid_value",
                f"Invalid option: expected one of {options}",
                values=list(values),
            )
            return None
        return str(value)

    def datetime(self, path: Sequence[str | int], value: object) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.type_error(path, "string", value)
            return None
        if _DATETIME.match(value):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                pass
        self._issue(
            path, "invalid_format", "Invalid ISO datetime", format="datetime", origin="string"
        )
        return None

    # ---- query strings (value is the raw string or None)
    def query_bool(self, query: Mapping[str, str], key: str) -> bool | None:
        raw = query.get(key)
        if raw is None:
            return None
        if raw == "true":
            return True
        if raw == "false":
            return False
        self._issue(
            [key],
            "invalid_value",
            'Invalid input: expected "true" | "false"',
            values=["true", "false"],
        )
        return None

    def query_int(
        self, query: Mapping[str, str], key: str, lo: int | None = None, hi: int | None = None
    ) -> int | None:
        raw = query.get(key)
        if raw is None:
            return None
        if not _INT.match(raw.strip()):
            self.type_error([key], "number", raw)
            return None
        return self.integer([key], int(raw), lo, hi)

    def query_uuid(self, query: Mapping[str, str], key: str) -> str | None:
        return self.uuid([key], query.get(key))


def object_body(body: object) -> Mapping[str, Any]:
    """The JSON body as an object, or a 400 like Immich's for a non-object body."""
    if body is None:
        return {}
    if not isinstance(body, Mapping):
        raise ApiError(
            400,
            "Validation failed",
            [
                {
                    "code": "invalid_type",
                    "expected": "object",
                    "path": [],
                    "message": "Invalid input: expected object",
                }
            ],
        )
    return body
