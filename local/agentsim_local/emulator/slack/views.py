"""Slack messages as the emulator's control plane lists them."""

from __future__ import annotations

from typing import Any

from agentsim_local.emulator.slack.records import Message
from agentsim_local.emulator.state import iso


def message_view(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "webhook": message.webhook,
        "text": message.text,
        "blocks": message.blocks,
        "received_at": iso(message.received_at),
    }
