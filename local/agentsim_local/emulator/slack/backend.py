"""Slack operations on its records, independent of HTTP."""

from __future__ import annotations

from agentsim_local.emulator.slack.records import Message
from agentsim_local.emulator.slack.schemas import MessageIn
from agentsim_local.emulator.state import Backend


class SlackBackend(Backend):
    """Messages received by any incoming webhook."""

    messages: dict[int, Message]

    def post(self, team: str, bot: str, body: MessageIn) -> Message:
        with self.store.lock:
            message = Message(
                id=self.store.next_id("slack-message"),
                webhook=f"{team}/{bot}",
                text=body.text,
                blocks=body.blocks,
                received_at=self.store.now(),
            )
            return self.add(self.messages, message)

    def received(self) -> list[Message]:
        """Every message, oldest first."""
        with self.store.lock:
            return sorted(self.messages.values(), key=lambda m: m.id)
