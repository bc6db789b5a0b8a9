"""Slack's incoming-webhook route, and the emulator's listing of what it received."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import PlainTextResponse, Response

from agentsim_local.emulator.slack import schemas, views
from agentsim_local.emulator.slack.backend import SlackBackend
from agentsim_local.emulator.state import Store

PREFIX = "/services"


def router(store: Store) -> APIRouter:
    backend = SlackBackend(store)
    api = APIRouter(tags=["slack"])

    @api.post(PREFIX + "/{team}/{bot}/{token}")
    async def post_message(team: str, bot: str, token: str, request: Request) -> Response:
        message = schemas.parse_message(await request.body())
        backend.post(team, bot, message)
        return PlainTextResponse("ok")

    @api.get("/_emulator/slack/messages")
    def list_messages() -> list[dict[str, Any]]:
        return [views.message_view(m) for m in backend.received()]

    return api
