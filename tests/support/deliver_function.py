"""The deliver function invoked as EventBridge invokes it, one event at a time."""

from __future__ import annotations

from typing import Any

from support.handlers import LambdaContext


def delivered(handler: Any, event: dict[str, Any]) -> None:
    """`event` handed to the deliver function, which tells every target and leaves nothing to
    retry (no delivery pending, no wait before another pass)."""
    answer = handler.lambda_handler(event, LambdaContext())
    assert answer == {"pending": False, "wait_seconds": 0}
