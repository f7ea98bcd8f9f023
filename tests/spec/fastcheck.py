"""Compile the JSON Schema subset the Immich spec uses into plain Python predicates.

jsonschema needs ~0.4 s for a 1000-asset search page; these predicates answer "valid or not" in a
fraction of that. They only decide validity: when one says "invalid", the caller asks jsonschema
for readable error messages. A schema using a keyword this module does not know is not compiled
(``compile`` raises ``Unsupported``) and the caller keeps using jsonschema for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Pred = Callable[[Any], bool]

ANNOTATIONS = frozenset(
    {"description", "title", "default", "deprecated", "readOnly", "writeOnly", "$comment"}
)

_OBJECT_KEYS = ANNOTATIONS | {"type", "properties", "required", "additionalProperties"}
PY_TYPES: dict[str, type] = {
    "string": str,
    "null": type(None),
    "object": dict,
    "array": list,
}


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not implement."""


def _is_int(v: Any) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool)) or (
        isinstance(v, float) and v.is_integer()
    )


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


TYPE_TESTS: dict[str, Pred] = {
    "string": lambda v: isinstance(v, str),
    "integer": _is_int,
    "number": _is_num,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


class FastCompiler:
    """Compiles converted (JSON Schema 2020-12) schemas; ``$ref``s resolve in ``documents``."""

    def __init__(
        self, documents: Mapping[str, Any], formats: Mapping[str, Callable[[Any], bool]]
    ) -> None:
        self.documents = documents
        self.formats = formats
        self._refs: dict[str, list[Pred]] = {}

    def compile(self, schema: Any) -> Pred:
        """A predicate equivalent to validating against ``schema`` (raises Unsupported)."""
        if schema is True or schema == {}:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported(repr(schema))
        if schema.get("type") == "object" and set(schema) <= _OBJECT_KEYS:
            return self._object(schema)
        checks: list[Pred] = []
        for key, value in schema.items():
            if key in ANNOTATIONS:
                continue
            checks.append(self._keyword(key, value, schema))
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            a, b = checks
            return lambda v: a(v) and b(v)
        if len(checks) == 3:
            a, b, c = checks
            return lambda v: a(v) and b(v) and c(v)
        return lambda v: all(c(v) for c in checks)

    def _object(self, schema: dict[str, Any]) -> Pred:
        """type: object with properties/required/additionalProperties, in one closure."""
        props = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}
        required = frozenset(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        closed = extra is False
        extra_pred = None if extra in (True, False) else self.compile(extra)
        known = props.keys()

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return False
            keys = v.keys()
            if required and not required <= keys:
                return False
            if closed and not keys <= known:
                return False
            for k, x in v.items():
                p = props.get(k)
                if p is not None:
                    if not p(x):
                        return False
                elif extra_pred is not None and not extra_pred(x):
                    return False
            return True

        return check

    def _keyword(self, key: str, value: Any, schema: dict[str, Any]) -> Pred:
        maker = getattr(self, "_kw_" + key.lstrip("$"), None)
        if maker is None:
            raise Unsupported(key)
        pred: Pred = maker(value, schema)
        return pred

    # keywords -------------------------------------------------------------------------

    def _kw_ref(self, ref: str, _schema: dict[str, Any]) -> Pred:
        cell = self._refs.get(ref)
        if cell is None:
            cell = []
            self._refs[ref] = cell
            base, _, fragment = ref.partition("#")
            target: Any = self.documents[base]
            for part in fragment.strip("/").split("/"):
                if part:
                    target = target[part]
            cell.append(self.compile(target))
        return lambda v: cell[0](v)

    def _kw_type(self, value: str | list[str], _schema: dict[str, Any]) -> Pred:
        names = [value] if isinstance(value, str) else value
        if not {"integer", "number", "boolean"} & set(names):
            pytypes = tuple(PY_TYPES[t] for t in names)
            return lambda v: isinstance(v, pytypes)
        tests = [TYPE_TESTS[t] for t in names]
        if len(tests) == 1:
            return tests[0]
        return lambda v: any(t(v) for t in tests)

    def _kw_enum(self, value: list[Any], _schema: dict[str, Any]) -> Pred:
        if all(isinstance(o, str) or o is None for o in value):
            allowed = frozenset(value)
            return lambda v: (v is None or isinstance(v, str)) and v in allowed
        # bool == int in Python: compare the JSON type as well.
        return lambda v: any(v == o and isinstance(v, bool) == isinstance(o, bool) for o in value)

    def _kw_const(self, value: Any, _schema: dict[str, Any]) -> Pred:
        return lambda v: v == value and isinstance(v, bool) == isinstance(value, bool)

    def _kw_properties(self, value: dict[str, Any], _schema: dict[str, Any]) -> Pred:
        props = {name: self.compile(sub) for name, sub in value.items()}

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            return all(pred(v[name]) for name, pred in props.items() if name in v)

        return check

    def _kw_required(self, value: list[str], _schema: dict[str, Any]) -> Pred:
        names = tuple(value)
        return lambda v: not isinstance(v, dict) or all(n in v for n in names)

    def _kw_additionalProperties(self, value: Any, schema: dict[str, Any]) -> Pred:
        known = frozenset(schema.get("properties", {}))
        if "patternProperties" in schema:
            raise Unsupported("patternProperties")
        if value is False:
            return lambda v: not isinstance(v, dict) or all(k in known for k in v)
        pred = self.compile(value)
        return lambda v: (
            not isinstance(v, dict) or all(pred(x) for k, x in v.items() if k not in known)
        )

    def _kw_items(self, value: Any, _schema: dict[str, Any]) -> Pred:
        if isinstance(value, list):
            raise Unsupported("items as a list")
        pred = self.compile(value)
        return lambda v: not isinstance(v, list) or all(pred(x) for x in v)

    def _kw_minItems(self, value: int, _schema: dict[str, Any]) -> Pred:
        return lambda v: not isinstance(v, list) or len(v) >= value

    def _kw_maxItems(self, value: int, _schema: dict[str, Any]) -> Pred:
        return lambda v: not isinstance(v, list) or len(v) <= value

    def _kw_uniqueItems(self, value: bool, _schema: dict[str, Any]) -> Pred:
        if not value:
            return lambda v: True
        raise Unsupported("uniqueItems")

    def _kw_minimum(self, value: float, _schema: dict[str, Any]) -> Pred:
        return lambda v: not _is_num(v) or v >= value

    def _kw_maximum(self, value: float, _schema: dict[str, Any]) -> Pred:
        return lambda v: not _is_num(v) or v <= value

    def _kw_exclusiveMinimum(self, value: float, _schema: dict[str, Any]) -> Pred:
        return lambda v: not _is_num(v) or v > value

    def _kw_exclusiveMaximum(self, value: float, _schema: dict[str, Any]) -> Pred:
        return lambda v: not _is_num(v) or v < value

    def _kw_minLength(self, value: int, _schema: dict[str, Any]) -> Pred:
        return lambda v: not isinstance(v, str) or len(v) >= value

    def _kw_maxLength(self, value: int, _schema: dict[str, Any]) -> Pred:
        return lambda v: not isinstance(v, str) or len(v) <= value

    def _kw_pattern(self, value: str, _schema: dict[str, Any]) -> Pred:
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    def _kw_format(self, value: str, _schema: dict[str, Any]) -> Pred:
        check = self.formats.get(value)
        if check is None:
            return lambda v: True  # formats not enabled are annotations
        return check

    def _kw_anyOf(self, value: list[Any], _schema: dict[str, Any]) -> Pred:
        preds = [self.compile(s) for s in value]
        return lambda v: any(p(v) for p in preds)

    def _kw_allOf(self, value: list[Any], _schema: dict[str, Any]) -> Pred:
        preds = [self.compile(s) for s in value]
        return lambda v: all(p(v) for p in preds)

    def _kw_oneOf(self, value: list[Any], _schema: dict[str, Any]) -> Pred:
        preds = [self.compile(s) for s in value]
        return lambda v: sum(1 for p in preds if p(v)) == 1
