"""What the Start and Poll tasks hand back to the state machine's loop."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class PollStep(BaseModel):
    """`count` polls done; wait `wait_seconds`, unless `terminal` or `past_deadline`.

    `terminal` means the provider (or the record) reached an end: collect the results next.
    """

    count: int
    wait_seconds: int
    status: str
    terminal: bool
    past_deadline: bool

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
