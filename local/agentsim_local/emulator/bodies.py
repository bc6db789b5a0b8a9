"""What the providers' request parsing shares: the JSON object a request body holds.

Each provider refuses what is not one in its own words, so this says only which way it is not:
`NotJSON` (empty, not JSON, or not UTF-8) or `NotAnObject` (JSON, but another value).
"""

from __future__ import annotations

import json
from typing import Any


class NotJSON(ValueError):
    """The body is not JSON at all."""


class NotAnObject(ValueError):
    """The body is JSON, but not an object."""


def json_object(raw: bytes) -> dict[str, Any]:
    try:
        data: Any = json.loads(raw)
    except ValueError:  # UnicodeDecodeError included
        raise NotJSON from None
    if not isinstance(data, dict):
        raise NotAnObject
    return data
