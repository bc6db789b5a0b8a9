"""A webhook message's body, refused in Slack's words: `invalid_payload` for what is not a JSON
object, `no_text` for a message with neither `text` nor `blocks`."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError

from agentsim_local.emulator.errors import InvalidRequest


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: StrictStr | None = None
    blocks: list[Any] | None = None


def parse_message(raw: bytes) -> MessageIn:
    try:
        data: Any = json.loads(raw)
        message = MessageIn.model_validate(data)
    except (ValueError, ValidationError):
        raise InvalidRequest("invalid_payload", slug="invalid_payload") from None
    if not message.text and not message.blocks:
        raise InvalidRequest("no_text", slug="no_text")
    return message
