"""Load the official Immich OpenAPI 3.0 document and turn it into JSON-Schema-ready pieces.

The document itself is never copied into the repository: it is looked up beside the clone at
``<repo root>/../shared/immich-openapi-specs.json`` (CI puts ``shared/`` there), or wherever the
``IMMICH_OPENAPI_SPEC`` environment variable points. Loading is cached per process.
"""

from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_FILE_NAME = "immich-openapi-specs.json"
SCHEMA_URI = "https://immich-openapi.invalid"
API_PREFIX = "/api"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

JsonDict = dict[str, Any]


def spec_path() -> Path:
    """Where the spec is expected: $IMMICH_OPENAPI_SPEC, else ``<repo>/../shared/``."""
    env = os.environ.get("IMMICH_OPENAPI_SPEC")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / SPEC_FILE_NAME


def spec_missing_reason() -> str | None:
    """A one-sentence skip reason when the spec is absent, else None."""
    path = spec_path()
    if path.is_file():
        return None
    return (
        f"the official Immich OpenAPI document is not at {path} "
        "(contract tests need ../shared/ beside the clone, as in CI)"
    )


_OPENAPI_ONLY = frozenset(
    {"example", "examples", "nullable", "xml", "externalDocs", "discriminator"}
)


def convert_schema(node: Any, *, strict: bool) -> Any:
    """Return an OpenAPI 3.0 schema rewritten for JSON Schema 2020-12.

    ``nullable: true`` becomes a ``null`` alternative; ``$ref`` targets move to the registry URI.
    With ``strict``, objects that list ``properties`` and say nothing about extra ones reject
    unknown properties (Immich drops them silently, so sending or returning one is a bug here).
    """
    if isinstance(node, list):
        return [convert_schema(item, strict=strict) for item in node]
    if not isinstance(node, dict):
        return node
    out: JsonDict = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
            out[key] = _ref_uri(value, strict=strict)
        elif key in ("properties", "patternProperties", "$defs", "definitions"):
            out[key] = {k: convert_schema(v, strict=strict) for k, v in value.items()}
        elif key in _OPENAPI_ONLY or key.startswith("x-"):
            continue
        else:
            out[key] = convert_schema(value, strict=strict)
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable") is True:
        out = _make_nullable(out)
    return out


def _ref_uri(ref: str, *, strict: bool) -> str:
    name = ref.rsplit("/", 1)[-1]
    return f"{schema_base_uri(strict)}#/components/schemas/{name}"


def schema_base_uri(strict: bool) -> str:
    """The registry URI of the strict (request) or lax (response) converted components."""
    return f"{SCHEMA_URI}/{'strict' if strict else 'lax'}.json"


def _make_nullable(schema: JsonDict) -> JsonDict:
    typ = schema.get("type")
    if isinstance(typ, str) and "$ref" not in schema and "allOf" not in schema:
        schema = dict(schema, type=[typ, "null"])
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    return {"anyOf": [{"type": "null"}, schema]}


@dataclass(frozen=True)
class Operation:
    """One method on one path template of the spec."""

    method: str  # upper case
    template: str  # without the /api prefix, e.g. "/people/{id}"
    raw: JsonDict = field(repr=False, compare=False, hash=False)

    @property
    def operation_id(self) -> str:
        return str(self.raw.get("operationId", f"{self.method} {self.template}"))

    @property
    def permission(self) -> str | None:
        value = self.raw.get("x-immich-permission")
        return str(value) if value else None

    @property
    def authenticated(self) -> bool:
        return bool(self.raw.get("security"))

    def parameters(self, location: str) -> dict[str, JsonDict]:
        return {p["name"]: p for p in self.raw.get("parameters", []) if p.get("in") == location}


@dataclass
class PathTemplate:
    template: str
    regex: re.Pattern[str]
    param_names: tuple[str, ...]
    literal_segments: int
    operations: dict[str, Operation]


@dataclass
class LoadedSpec:
    """The spec's path table plus JSON-Schema-converted components (lax and strict)."""

    document: JsonDict = field(repr=False)
    version: str
    templates: list[PathTemplate]
    registry_documents: dict[str, JsonDict] = field(repr=False)

    def match_path(self, api_path: str) -> list[tuple[PathTemplate, dict[str, str]]]:
        """Templates matching an /api-less path, most literal segments first."""
        hits = []
        for tpl in self.templates:
            m = tpl.regex.fullmatch(api_path)
            if m:
                hits.append((tpl, dict(zip(tpl.param_names, m.groups(), strict=True))))
        hits.sort(key=lambda hit: -hit[0].literal_segments)
        return hits

    def operations(self) -> list[Operation]:
        return [op for tpl in self.templates for op in tpl.operations.values()]


def _compile_template(template: str) -> tuple[re.Pattern[str], tuple[str, ...], int]:
    names: list[str] = []
    parts: list[str] = []
    literal = 0
    for segment in template.strip("/").split("/"):
        pieces = re.split(r"(\{[^}]+\})", segment)
        seg_re = ""
        has_param = False
        for piece in pieces:
            if piece.startswith("{") and piece.endswith("}"):
                name = piece[1:-1]
                names.append(name)
                group = re.sub(r"\W", "_", name)
                seg_re += f"(?P<{group}>[^/]+)"
                has_param = True
            else:
                seg_re += re.escape(piece)
        if not has_param:
            literal += 1
        parts.append(seg_re)
    return re.compile("/" + "/".join(parts)), tuple(names), literal


@functools.cache
def load_spec() -> LoadedSpec:
    """Load, convert and index the spec once per process (raises FileNotFoundError if absent)."""
    path = spec_path()
    with path.open("rb") as fh:
        document: JsonDict = json.load(fh)
    schemas = document.get("components", {}).get("schemas", {})
    registry_documents = {
        schema_base_uri(mode == "strict"): {
            "components": {
                "schemas": {
                    name: convert_schema(s, strict=(mode == "strict"))
                    for name, s in schemas.items()
                }
            }
        }
        for mode in ("lax", "strict")
    }
    templates = []
    for template, item in document.get("paths", {}).items():
        regex, names, literal = _compile_template(template)
        ops = {
            m.upper(): Operation(m.upper(), template, op)
            for m, op in item.items()
            if m in HTTP_METHODS and isinstance(op, dict)
        }
        templates.append(PathTemplate(template, regex, names, literal, ops))
    return LoadedSpec(
        document=document,
        version=str(document.get("info", {}).get("version", "")),
        templates=templates,
        registry_documents=registry_documents,
    )
