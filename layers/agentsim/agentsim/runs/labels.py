"""A run's labels: what a request may carry, and the `label=key:value` filters of a listing.

Keys `[A-Za-z0-9_./-]{1,64}`, string values of at most 256 characters, 20 labels at most; a
label is also a DynamoDB map key of the stored run, so an empty key could not be stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from pydantic import StringConstraints

from agentsim.providers.storable import has_lone_surrogate

MAX_LABELS = 20
MAX_LABEL_KEY = 64
MAX_LABEL_VALUE = 256
LABEL_KEY_PATTERN = rf"^[A-Za-z0-9_./-]{{1,{MAX_LABEL_KEY}}}$"
LabelKey = Annotated[str, StringConstraints(pattern=LABEL_KEY_PATTERN)]
LabelValue = Annotated[str, StringConstraints(max_length=MAX_LABEL_VALUE)]


def parse_filters(filters: Iterable[str]) -> dict[str, str] | None:
    """`key:value` filters as labels; None when one is not shaped as a label."""
    parsed: dict[str, str] = {}
    for item in filters:
        key, sep, value = item.partition(":")
        if not sep or not re.fullmatch(LABEL_KEY_PATTERN, key) or len(value) > MAX_LABEL_VALUE:
            return None
        parsed[key] = value
    return parsed


def salvaged(raw: Any) -> dict[str, str]:
    """The labels of an invalid request that could be kept as they are (cut to the limits)."""
    labels = raw.get("labels") if isinstance(raw, Mapping) else None
    if not isinstance(labels, Mapping):
        return {}
    kept = [
        (k, v)
        for k, v in labels.items()
        if isinstance(k, str)
        and re.fullmatch(LABEL_KEY_PATTERN, k)
        and isinstance(v, str)
        and not has_lone_surrogate(v)
    ]
    return {k: v[:MAX_LABEL_VALUE] for k, v in kept[:MAX_LABELS]}
