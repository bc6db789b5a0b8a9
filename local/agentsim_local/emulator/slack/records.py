"""Slack records: the messages posted to incoming webhooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    id: int
    webhook: str
    """`{team}/{bot}`: which incoming webhook it came through (the token is not kept)."""
    text: str | None
    blocks: list[Any] | None
    received_at: float
