"""What pydantic names when a request model refuses a body: the request-model tests' check that
each documented constraint is enforced on its own field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError


def rejected_fields(model: type[BaseModel], data: dict[str, Any]) -> list[str]:
    """The dotted field paths pydantic names when it rejects `data`."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [".".join(str(p) for p in e["loc"]) for e in caught.value.errors()]
