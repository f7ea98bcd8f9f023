"""Check one HTTP exchange (request + response) against the official Immich OpenAPI document.

Request half: path template, method, path/query parameter types (query booleans exactly
``true``/``false``), JSON body against the requestBody schema (unknown fields rejected: Immich
drops them silently, so sending one is a client bug), and the operation's ``x-immich-permission``
scope against the permissions of the key used. Response half: documented status (or an Immich
error status with a ``{message}`` body), content type, JSON body against the response schema.

Requests that break the spec are excused when the server rejected them (400, or 401/403, which
Immich's guards answer before validation); fault-injected responses are not checked as server
behaviour, but their requests are.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from .fastcheck import FastCompiler, Unsupported
from .loader import API_PREFIX, JsonDict, LoadedSpec, Operation, convert_schema

# Endpoints declared `@Authenticated({ permission: false })` in the Immich source accept any
# valid key. The spec cannot tell them from `@Authenticated()` with no argument (which needs
# "all"), so they are listed here: /api-keys/me from the notes (../shared/immich-api-notes.md,
# checked live), the other two from the v3 controllers (auth, workflow).
PERMISSION_FALSE: frozenset[tuple[str, str]] = frozenset(
    {("GET", "/api-keys/me"), ("POST", "/auth/validateToken"), ("GET", "/workflows/triggers")}
)

# Statuses Immich answers on any operation: validation, auth, scope, not found, crash.
# 413: the 10 MB JSON body limit (express `json({limit: '10mb'})`, notes §2.4).
ERROR_STATUSES = frozenset({400, 401, 403, 404, 413, 500})

# Statuses the real server answers that the spec does not document (see the notes, §2.5).
EXTRA_STATUSES: dict[tuple[str, str], frozenset[int]] = {
    ("GET", "/assets/{id}/thumbnail"): frozenset({302}),
}

# Query parameters valid on every authenticated endpoint (an API key in the query, §1).
UNIVERSAL_QUERY = frozenset({"apiKey"})

# Headers that would mean the client sends session credentials besides its API key.
FORBIDDEN_REQUEST_HEADERS = ("cookie", "authorization", "x-immich-user-token")

MAX_SCHEMA_ERRORS = 5

_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_DATE_TIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$"
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_RE = re.compile(r"^-?\d+$")
_NUMBER_RE = re.compile(r"^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME_RE.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_RE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or bool(_UUID_RE.match(value))


def make_format_checker() -> FormatChecker:
    """A FormatChecker with uuid, date-time (offset required) and date enabled."""
    checker = FormatChecker(formats=())
    checker.checks("uuid")(_is_uuid)
    checker.checks("date-time")(_is_date_time)
    checker.checks("date")(_is_date)
    return checker


class ExchangeLike(Protocol):
    """What the validator reads from the demo server's Exchange (or a hand-made one); read-only."""

    @property
    def method(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def query(self) -> Mapping[str, list[str]]: ...

    @property
    def request_headers(self) -> Any: ...

    @property
    def request_body(self) -> bytes: ...

    @property
    def status(self) -> int: ...

    @property
    def response_headers(self) -> Any: ...

    @property
    def response_body(self) -> bytes: ...

    @property
    def permissions(self) -> Iterable[str] | None: ...

    @property
    def injected(self) -> bool: ...


@dataclass(frozen=True)
class _Compiled:
    fast: Callable[[Any], bool] | None  # quick yes/no; None when the schema is not supported
    slow: Draft202012Validator  # readable errors


@dataclass(frozen=True)
class Violation:
    """One way an exchange breaks the spec."""

    exchange: str  # "GET /api/people?withHidden=True -> 200"
    half: str  # "request", "scope", "response" or "route"
    message: str

    def __str__(self) -> str:
        return f"{self.exchange}: {self.half}: {self.message}"


def header(headers: Any, name: str) -> str | None:
    """Case-insensitive header lookup in a mapping, Message or list of pairs."""
    if headers is None:
        return None
    items: Iterable[tuple[str, str]]
    if hasattr(headers, "items"):
        direct = headers.get(name) if hasattr(headers, "get") else None
        if direct is not None:
            return str(direct)
        items = headers.items()
    else:
        items = headers
    lname = name.lower()
    for key, value in items:
        if str(key).lower() == lname:
            return str(value)
    return None


def describe(ex: ExchangeLike) -> str:
    """A short one-line name for an exchange, for violation lists."""
    query = "&".join(
        f"{k}={'***' if k in UNIVERSAL_QUERY else v}"
        for k, values in ex.query.items()
        for v in values
    )
    flag = " (injected)" if getattr(ex, "injected", False) else ""
    return f"{ex.method} {ex.path}{'?' + query if query else ''} -> {ex.status}{flag}"


class ContractValidator:
    """Validates exchanges against a loaded spec; compiled schema validators are cached."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.format_checker = make_format_checker()
        self.registry: Registry[Any] = Registry().with_resources(
            (uri, DRAFT202012.create_resource(doc)) for uri, doc in spec.registry_documents.items()
        )
        self._validators: dict[tuple[Any, ...], _Compiled] = {}
        self._compile_lock = threading.Lock()
        self._fast = FastCompiler(
            spec.registry_documents,
            {"uuid": _is_uuid, "date-time": _is_date_time, "date": _is_date},
        )

    # -- schema helpers -------------------------------------------------------------------

    def _validator(self, key: tuple[Any, ...], raw_schema: JsonDict) -> _Compiled:
        """The compiled checker of one schema, cached by (method, template, status or part)."""
        found = self._validators.get(key)
        if found is not None:
            return found
        with self._compile_lock:  # several servers (threads) may share this validator
            return self._validators.get(key) or self._compile(key, raw_schema)

    def _compile(self, key: tuple[Any, ...], raw_schema: JsonDict) -> _Compiled:
        schema = convert_schema(raw_schema, strict=True)
        slow = Draft202012Validator(
            schema, registry=self.registry, format_checker=self.format_checker
        )
        try:
            fast: Callable[[Any], bool] | None = self._fast.compile(schema)
        except Unsupported:
            fast = None
        found = _Compiled(fast, slow)
        self._validators[key] = found
        return found

    def _schema_errors(self, compiled: _Compiled, instance: object) -> list[str]:
        if compiled.fast is not None and compiled.fast(instance):
            return []
        errors = sorted(compiled.slow.iter_errors(instance), key=lambda e: list(e.absolute_path))
        # A bad uuid/date-time fails both its format and its long pattern: keep the format one.
        formats = {tuple(e.absolute_path) for e in errors if e.validator == "format"}
        errors = [
            e
            for e in errors
            if not (e.validator == "pattern" and tuple(e.absolute_path) in formats)
        ]
        shown = errors[:MAX_SCHEMA_ERRORS]
        out = [f"{_where(e.absolute_path)}: {_short(e.message)}" for e in shown]
        if len(errors) > MAX_SCHEMA_ERRORS:
            out.append(f"... and {len(errors) - MAX_SCHEMA_ERRORS} more schema errors")
        return out

    def _resolved_type(self, raw_schema: JsonDict) -> str | None:
        ref = raw_schema.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            target = self.spec.document["components"]["schemas"].get(name, {})
            return self._resolved_type(target)
        typ = raw_schema.get("type")
        return typ if isinstance(typ, str) else None

    # -- entry point ----------------------------------------------------------------------

    def check(self, ex: ExchangeLike) -> list[Violation]:
        """Every violation in one exchange (empty list when it conforms)."""
        name = describe(ex)
        injected = bool(getattr(ex, "injected", False))
        path = ex.path.split("?", 1)[0]
        if not path.startswith(API_PREFIX + "/"):
            if (ex.status == 404 or path == "/") and not injected:
                return []  # outside the API: Immich serves its web app there
            return [Violation(name, "route", f"path is not under {API_PREFIX}/")]
        api_path = path[len(API_PREFIX) :]
        matches = self.spec.match_path(api_path)
        method = ex.method.upper()
        if not matches:
            if ex.status == 404 and not injected:
                return []
            return [Violation(name, "route", "no path of the spec matches")]
        head_as_get = False
        if method == "HEAD" and not any("HEAD" in t.operations for t, _ in matches):
            method, head_as_get = "GET", True  # Express answers HEAD on every GET route
        chosen = next(((t, p) for t, p in matches if method in t.operations), None)
        if chosen is None:
            if ex.status in (404, 405) and not injected:
                return []
            allowed = sorted({m for t, _ in matches for m in t.operations})
            return [Violation(name, "route", f"method not in the spec (only {allowed})")]
        template, path_params = chosen
        op = template.operations[method]

        out: list[Violation] = []
        routed = getattr(ex, "spec_path", None)
        if routed is not None and routed != op.template:
            out.append(
                Violation(name, "route", f"server routed to {routed}, spec says {op.template}")
            )
        request_problems = self.request_problems(op, ex, path_params)
        excused = not injected and ex.status in (400, 401, 403)
        if request_problems and not excused:
            suffix = "" if injected else f" (and the server answered {ex.status})"
            out.extend(Violation(name, "request", p + suffix) for p in request_problems)
        out.extend(Violation(name, "scope", p) for p in self.scope_problems(op, ex, injected))
        if not injected:
            problems = self.response_problems(op, ex)
            if head_as_get:  # no body on HEAD: only the status and headers can be checked
                problems = [p for p in problems if not p.startswith(("body", "empty body"))]
            out.extend(Violation(name, "response", p) for p in problems)
        return out

    # -- request --------------------------------------------------------------------------

    def request_problems(
        self, op: Operation, ex: ExchangeLike, path_params: Mapping[str, str]
    ) -> list[str]:
        """Ways the request breaks the operation's parameters and body."""
        problems: list[str] = []
        for hname in FORBIDDEN_REQUEST_HEADERS:
            if header(ex.request_headers, hname) is not None:
                problems.append(f"sends a {hname} header (the app sends only x-api-key)")
        declared_path = op.parameters("path")
        for pname, value in path_params.items():
            param = declared_path.get(pname)
            if param is not None:
                problems.extend(self._param_problems(op, param, [value], "path"))
        declared_query = op.parameters("query")
        for qname, values in ex.query.items():
            param = declared_query.get(qname)
            if param is None:
                if qname not in UNIVERSAL_QUERY:
                    problems.append(f"unknown query parameter {qname!r}")
                continue
            problems.extend(self._param_problems(op, param, list(values), "query"))
        for qname, param in declared_query.items():
            if param.get("required") and qname not in ex.query:
                problems.append(f"required query parameter {qname!r} is missing")
        problems.extend(self._body_problems(op, ex))
        return problems

    def _param_problems(
        self, op: Operation, param: JsonDict, values: list[str], location: str
    ) -> list[str]:
        pname = param["name"]
        schema: JsonDict = param.get("schema", {})
        label = f"{location} parameter {pname!r}"
        if self._resolved_type(schema) == "array":
            item_schema = schema.get("items", {})
            coerced = []
            for value in values:
                item, err = self._coerce(item_schema, value)
                if err:
                    return [f"{label}: {err}"]
                coerced.append(item)
            instance: object = coerced
        else:
            if len(values) != 1:
                return [f"{label} given {len(values)} times"]
            instance, err = self._coerce(schema, values[0])
            if err:
                return [f"{label}: {err}"]
        validator = self._validator((op.method, op.template, location, pname), schema)
        return [f"{label} {e}" for e in self._schema_errors(validator, instance)]

    def _coerce(self, schema: JsonDict, value: str) -> tuple[object, str | None]:
        typ = self._resolved_type(schema)
        if typ == "boolean":
            if value in ("true", "false"):
                return value == "true", None
            return value, f"{value!r} is not exactly 'true' or 'false'"
        if typ == "integer":
            if _INT_RE.match(value):
                return int(value), None
            return value, f"{value!r} is not an integer"
        if typ == "number":
            if _NUMBER_RE.match(value):
                return float(value), None
            return value, f"{value!r} is not a number"
        return value, None

    def _body_problems(self, op: Operation, ex: ExchangeLike) -> list[str]:
        body = ex.request_body or b""
        spec_body: JsonDict | None = op.raw.get("requestBody")
        if spec_body is None:
            return ["sends a body the operation does not take"] if body.strip() else []
        if not body.strip():
            return ["the required request body is missing"] if spec_body.get("required") else []
        content: JsonDict = spec_body.get("content", {})
        ctype = (header(ex.request_headers, "content-type") or "").split(";")[0].strip().lower()
        if "application/json" not in content:
            if ctype not in content:
                return [f"request content type {ctype!r} is not one of {sorted(content)}"]
            return []
        if ctype != "application/json":
            return [f"request content type is {ctype!r}, not application/json"]
        try:
            instance = json.loads(body)
        except ValueError:
            return ["request body is not valid JSON"]
        schema = content["application/json"].get("schema", {})
        validator = self._validator((op.method, op.template, "body"), schema)
        return [f"body {e}" for e in self._schema_errors(validator, instance)]

    # -- scope ----------------------------------------------------------------------------

    def required_scope(self, op: Operation) -> str | None:
        """The scope an API key needs: None for public and `permission: false` endpoints."""
        if not op.authenticated:
            return None
        if (op.method, op.template) in PERMISSION_FALSE:
            return None
        return op.permission or "all"

    def scope_problems(self, op: Operation, ex: ExchangeLike, injected: bool) -> list[str]:
        """Key/scope mismatches: a missing scope must be answered 403, no key 401."""
        if not op.authenticated:
            return []
        perms = None if ex.permissions is None else set(ex.permissions)
        if perms is None:
            if injected or ex.status == 401:
                return []
            return [f"made without a valid API key, answered {ex.status} instead of 401"]
        needed = self.required_scope(op)
        granted = needed is None or "all" in perms or needed in perms
        if not granted:
            if ex.status == 403:
                return self._forbidden_message_problems(ex, needed) if not injected else []
            return [f"the key lacks {needed!r} (has {sorted(perms)}) yet got {ex.status}, not 403"]
        if ex.status == 403 and not injected:
            return [f"answered 403 though the key grants {needed or 'any key'!r}"]
        return []

    def _forbidden_message_problems(self, ex: ExchangeLike, needed: str | None) -> list[str]:
        body = _json_or_none(ex.response_body)
        expected = f"Missing required permission: {needed}"
        if isinstance(body, dict) and body.get("message") == expected:
            return []
        got = body.get("message") if isinstance(body, dict) else body
        return [f"403 message should be {expected!r}, got {got!r}"]

    # -- response -------------------------------------------------------------------------

    def response_problems(self, op: Operation, ex: ExchangeLike) -> list[str]:
        """Ways the response breaks the operation's documented responses."""
        documented: JsonDict = op.raw.get("responses", {})
        spec_resp = documented.get(str(ex.status))
        if spec_resp is None:
            if ex.status in ERROR_STATUSES:
                return self._error_body_problems(ex)
            if ex.status in EXTRA_STATUSES.get((op.method, op.template), frozenset()):
                if 300 <= ex.status < 400 and not header(ex.response_headers, "location"):
                    return [f"redirect {ex.status} without a Location header"]
                return []
            return [f"status {ex.status} is not documented (spec: {sorted(documented)})"]
        content: JsonDict = spec_resp.get("content") or {}
        body = ex.response_body or b""
        ctype = (header(ex.response_headers, "content-type") or "").split(";")[0].strip().lower()
        if not content:
            return [f"status {ex.status} takes no body, got {len(body)} bytes"] if body else []
        if "application/json" in content:
            if ctype != "application/json":
                return [f"content type {ctype!r}, not application/json"]
            try:
                instance = json.loads(body)
            except ValueError:
                return ["body is not valid JSON"]
            schema = content["application/json"].get("schema", {})
            validator = self._validator((op.method, op.template, ex.status), schema)
            return [f"body {e}" for e in self._schema_errors(validator, instance)]
        if op.template.endswith("/thumbnail"):
            problems = [] if ctype.startswith("image/") else [f"thumbnail content type {ctype!r}"]
        elif ctype in content or ctype.split("/")[0] in ("image", "video"):
            problems = []
        else:
            problems = [f"content type {ctype!r} is not one of {sorted(content)}"]
        if not body:
            problems.append("empty body")
        return problems

    def _error_body_problems(self, ex: ExchangeLike) -> list[str]:
        ctype = (header(ex.response_headers, "content-type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return [f"error {ex.status} has content type {ctype!r}, not application/json"]
        body = _json_or_none(ex.response_body)
        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
            return [f"error {ex.status} body is not {{message: string}}: {_short(repr(body))}"]
        stale = sorted(k for k in ("statusCode", "error") if k in body)
        if stale:
            return [f"error body has {stale}, removed from Immich v3 error bodies"]
        if "errors" in body and not isinstance(body["errors"], list):
            return ["error body 'errors' is not a list"]
        return []


def _json_or_none(raw: bytes | None) -> Any:
    try:
        return json.loads(raw or b"")
    except ValueError:
        return None


def _where(path: Iterable[object]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".") or "(root)"


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
