"""Request values that DynamoDB can store, as reusable pydantic types.

A run keeps its request in its DynamoDB item, so anything a request model accepts must be
storable, and readable back, there. DynamoDB's rules
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html):
numbers have at most 38 significant digits, positive values from 1E-130 to below 1E+126 (and the
same negated, or 0); map keys (attribute names) are non-empty; documents nest at most 32 levels;
strings are UTF-8, so a lone surrogate (which UTF-8 cannot encode) cannot be stored.

`FreeForm` is the one type for provider-native maps we pass through without knowing their shape
(LiveKit metadata, Pipecat configuration, Synthflow custom variables): JSON values only, every
key non-empty, bounded depth and size, every number storable, every string valid Unicode.
A problem is reported with its place inside the map (`ctx["at"]`), which the request envelope
appends to the field's path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

MAX_DIGITS = 38
"""DynamoDB numbers: up to 38 significant digits."""
MAX_INT = 10**MAX_DIGITS - 1
SMALLEST_MAGNITUDE = 1e-130
"""DynamoDB's smallest positive number; anything closer to 0 (but not 0) underflows."""
LARGEST_MAGNITUDE = 1e126
"""DynamoDB's numbers stay below this (9.99...E+125)."""

MAX_INT32 = 2**31 - 1
"""Upper bound of counts and durations a provider did not bound itself (a 32-bit column)."""
MAX_INT64 = 2**63 - 1
"""Upper bound of numeric ids (a 64-bit column)."""

MAX_FREE_FORM_DEPTH = 16
"""Levels of nesting in a free-form map, the map itself being level 1. A run item nests it
under `request` and the envelope (three levels), far within DynamoDB's 32."""
MAX_FREE_FORM_BYTES = 16_384
"""A free-form map's size as compact JSON (UTF-8)."""
MAX_FREE_FORM_KEY = 256
"""Characters in one key of a free-form map."""

FREE_FORM_ERROR = "free_form"


def has_lone_surrogate(text: str) -> bool:
    """True when `text` holds a code point UTF-8 cannot encode (an unpaired UTF-16 half)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def number_problem(value: float) -> str | None:
    """Why DynamoDB cannot store `value`, or None when it can."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if abs(value) <= MAX_INT else f"must have at most {MAX_DIGITS} digits"
    if not math.isfinite(value):
        return "must be a finite number"
    magnitude = abs(value)
    if magnitude != 0 and magnitude < SMALLEST_MAGNITUDE:
        return f"must be 0 or at least {SMALLEST_MAGNITUDE:g} in magnitude"
    if magnitude >= LARGEST_MAGNITUDE:
        return f"must be less than {LARGEST_MAGNITUDE:g} in magnitude"
    return None


def _storable_float(value: float) -> float:
    problem = number_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


StorableFloat = Annotated[float, Field(allow_inf_nan=False), AfterValidator(_storable_float)]
"""A float DynamoDB can store: finite, and 0 or within 1E-130..1E+126 in magnitude."""


def _fail(at: Sequence[str | int], problem: str) -> PydanticCustomError:
    return PydanticCustomError(FREE_FORM_ERROR, problem, {"at": list(at)})


def _check(value: Any, at: list[str | int], depth: int, limit: int = MAX_FREE_FORM_DEPTH) -> None:
    """Raise for the first value under `at` that DynamoDB could not store or list back."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        if has_lone_surrogate(value):
            raise _fail(at, "must be valid Unicode (no lone surrogate)")
        return
    if isinstance(value, int | float):
        problem = number_problem(value)
        if problem is not None:
            raise _fail(at, problem)
        return
    if isinstance(value, list | dict):
        if depth >= limit:
            raise _fail(at, f"must nest at most {limit} levels")
        if isinstance(value, list):
            for index, item in enumerate(value):
                _check(item, [*at, index], depth + 1, limit)
            return
        for key, item in value.items():
            if not isinstance(key, str) or not 1 <= len(key) <= MAX_FREE_FORM_KEY:
                raise _fail(at, f"keys must be 1 to {MAX_FREE_FORM_KEY} characters")
            if has_lone_surrogate(key):
                raise _fail(at, "keys must be valid Unicode (no lone surrogate)")
            _check(item, [*at, key], depth + 1, limit)
        return
    raise _fail(at, "must be a JSON value (object, array, string, number, boolean or null)")


def storable_problem(document: Any, levels: int = 30) -> str | None:
    """Why DynamoDB could not store `document` nested `levels` deep at most, or None if it can
    (for a value kept as it came, such as a refused request stored for debugging)."""
    try:
        _check(document, [], 0, levels)
    except PydanticCustomError as exc:
        return str(exc)
    return None


def _free_form(value: dict[str, Any]) -> dict[str, Any]:
    # Structure first: the size is measured only once the nesting is known to be bounded.
    for key, item in value.items():
        if not 1 <= len(key) <= MAX_FREE_FORM_KEY:
            raise _fail([], f"keys must be 1 to {MAX_FREE_FORM_KEY} characters")
        if has_lone_surrogate(key):
            raise _fail([], "keys must be valid Unicode (no lone surrogate)")
        _check(item, [key], 1)
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_FREE_FORM_BYTES:
        raise _fail([], f"must be at most {MAX_FREE_FORM_BYTES} bytes as JSON")
    return value


FreeForm = Annotated[
    dict[str, Any],
    AfterValidator(_free_form),
    Field(
        description=f"Free-form JSON object: keys 1..{MAX_FREE_FORM_KEY} characters, at most "
        f"{MAX_FREE_FORM_DEPTH} levels deep and {MAX_FREE_FORM_BYTES} bytes, numbers within "
        "DynamoDB's range."
    ),
]
"""A provider-native JSON object passed through as it is, within what DynamoDB stores."""
