"""Answer values: which value[x] a question type takes, whether a value is well formed, and how
two values compare (https://hl7.org/fhir/R4/datatypes.html)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from mappings.sdc.questionnaire import value_key
from vocabulary.fhir import JSONView

KINDS: Mapping[str, frozenset[str]] = {
    "boolean": frozenset({"Boolean"}), "decimal": frozenset({"Decimal"}),
    "integer": frozenset({"Integer"}), "date": frozenset({"Date"}),
    "dateTime": frozenset({"DateTime"}), "time": frozenset({"Time"}),
    "string": frozenset({"String"}), "text": frozenset({"String"}), "url": frozenset({"Uri"}),
    "attachment": frozenset({"Attachment"}), "reference": frozenset({"Reference"}),
    "quantity": frozenset({"Quantity"}),
}
NUMERIC = frozenset({"Integer", "Decimal"})
TEXTUAL = frozenset({"String", "Uri", "Date", "DateTime", "Time"})
_YEAR = r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)"
_DATE = _YEAR + r"(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?"
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?"
_ZONE = r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
PATTERNS: Mapping[str, re.Pattern[str]] = {
    "Date": re.compile(_DATE),
    "DateTime": re.compile(_DATE + rf"(T{_TIME}{_ZONE})?"),
    "Time": re.compile(_TIME),
    "Uri": re.compile(r"\S+"),
}
INT32 = range(-(2**31), 2**31)
LATEST_YEAR = 2200  # no date a form asks about lies beyond it
# The fields of complex answer types whose JSONView type the checks below rely on.
COMPLEX: Mapping[str, Mapping[str, type | tuple[type, ...]]] = {
    "Coding": {"system": str, "code": str, "display": str},
    "Quantity": {"value": (int, float, Decimal), "unit": str, "system": str, "code": str},
    "Reference": {"reference": str, "type": str, "display": str},
    "Attachment": {"contentType": str, "data": str, "url": str},
}


@dataclass(frozen=True)
class Value:
    """One value[x] (or answer[x]): its FHIR type name as in the key, and its JSONView data."""

    kind: str
    data: Any


def value_of(element: JSONView, prefix: str = "value") -> Value | None:
    keys = value_key(element, prefix)
    return Value(keys[0].removeprefix(prefix), element[keys[0]]) if keys else None


def format_problem(value: Value) -> str | None:
    """Why a value is not a well-formed instance of its type, or None."""
    data, kind = value.data, value.kind
    if kind in COMPLEX:
        return _complex_problem(kind, data)
    if kind == "Boolean":
        return None if isinstance(data, bool) else "is not true or false"
    if kind in NUMERIC:
        return _number_problem(kind, data)
    if not isinstance(data, str) or not data.strip():
        return "is empty" if isinstance(data, str) else "is not a string"
    pattern = PATTERNS.get(kind)
    if pattern and (not pattern.fullmatch(data) or not _real_calendar(kind, data)):
        return f"is not a valid {kind[0].lower()}{kind[1:]}: {data!r}"
    if kind in {"Date", "DateTime"} and int(data[:4]) > LATEST_YEAR:
        return f"is past the year {LATEST_YEAR}: {data!r}"
    return None


def _complex_problem(kind: str, data: Any) -> str | None:
    if not isinstance(data, Mapping):
        return f"is not a {kind} object"
    wrong = [k for k, types in COMPLEX[kind].items()
             if k in data and (not isinstance(data[k], types) or isinstance(data[k], bool))]
    return f"has a malformed {', '.join(wrong)}" if wrong else None


def _number_problem(kind: str, data: Any) -> str | None:
    if isinstance(data, bool) or not isinstance(data, int | float | Decimal):
        return "is not a number"
    if kind == "Integer" and (not isinstance(data, int) or data not in INT32):
        return f"is not a 32-bit integer: {data}"
    return None if math.isfinite(data) else "is not a finite number"


def _real_calendar(kind: str, data: str) -> bool:
    """Whether a well-formed date names a real day (no 2023-02-30)."""
    day = data[:10]
    if kind not in {"Date", "DateTime"} or len(day) < 10:
        return True
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True


def compare(a: Value, b: Value) -> int | None:
    """-1, 0 or 1 when a and b are ordered values of comparable types; None when they are not
    comparable (other types, other units, or dates of different precision that agree)."""
    if a.kind in NUMERIC and b.kind in NUMERIC:
        return _sign(Decimal(str(a.data)) - Decimal(str(b.data)))
    if a.kind != b.kind:
        return None
    if a.kind == "Quantity":
        return _compare_quantities(a.data, b.data)
    if a.kind in {"Date", "DateTime"}:
        return _compare_moments(a.data, b.data)
    if a.kind == "Time":
        return _compare_parsed(time.fromisoformat, a.data, b.data)
    if a.kind in {"String", "Uri"}:
        return _sign_of(a.data, b.data)
    return None


def equal(a: Value, b: Value) -> bool:
    """Whether an answer equals an expected value, as enableWhen '=' and answerOption mean it."""
    if a.kind == "Coding" and b.kind == "Coding":
        return _same_coding(a.data, b.data)
    if a.kind == "Reference" and b.kind == "Reference":
        return bool(a.data.get("reference")) and a.data.get("reference") == b.data.get("reference")
    if a.kind == "Boolean" and b.kind == "Boolean":
        return bool(a.data is b.data)
    return compare(a, b) == 0


def _same_coding(actual: JSONView, expected: JSONView) -> bool:
    if "system" in expected and actual.get("system") != expected["system"]:
        return False
    return actual.get("code") == expected.get("code")


def _compare_quantities(a: JSONView, b: JSONView) -> int | None:
    units = [(q.get("system"), q.get("code")) if "code" in q else q.get("unit") for q in (a, b)]
    if units[0] != units[1] or "value" not in a or "value" not in b:
        return None
    return compare(Value("Decimal", a["value"]), Value("Decimal", b["value"]))


def _compare_moments(a: str, b: str) -> int | None:
    if "T" in a and "T" in b:
        return _compare_parsed(datetime.fromisoformat, a, b)
    x, y = _parts(a.partition("T")[0]), _parts(b.partition("T")[0])
    common = min(len(x), len(y))
    if x[:common] != y[:common]:
        return _sign_of(x[:common], y[:common])
    return 0 if "T" not in a + b and len(x) == len(y) else None


def _compare_parsed(parse: Callable[[str], Any], a: str, b: str) -> int | None:
    try:
        return _sign_of(parse(a), parse(b))
    except ValueError:  # a leap second, which Python's clock has no room for
        return None


def _parts(day: str) -> tuple[int, ...]:
    return tuple(int(p) for p in day.split("-"))


def _sign(number: Decimal) -> int:
    return (number > 0) - (number < 0)


def _sign_of(a: Any, b: Any) -> int:
    return int((a > b) - (a < b))
