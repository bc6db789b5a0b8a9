"""Slack messages as the emulator's control plane lists them."""

from __future__ import annotations

from typing import Any

from agentsim_local.emulator.slack.records import Message
from agentsim_local.emulator.views import record_view


def message_view(message: Message) -> dict[str, Any]:
    return record_view(message, times=["received_at"])
