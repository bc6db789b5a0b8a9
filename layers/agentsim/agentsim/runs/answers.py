"""What a workflow step answers the state machine: a frozen dataclass, sent as its fields.

The state machine reads these fields by name (`$.registered.max_polls`, ...), so a step's answer
is exactly its dataclass fields, an enum as its value.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum
from typing import Any


@dataclass(frozen=True)
class StepAnswer:
    def payload(self) -> dict[str, Any]:
        """The answer as the state machine gets it (JSON)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: v.value if isinstance(v, Enum) else v for k, v in values.items()}
