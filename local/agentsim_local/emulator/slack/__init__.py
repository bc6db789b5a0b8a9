"""Slack incoming webhooks (https://api.slack.com/messaging/webhooks), as agentsim posts to them.

`POST /services/{team}/{bot}/{token}` with a JSON message (`text`, or `blocks`) answers 200 with
the plain-text body `ok`; a body that is not a JSON object 400 `invalid_payload`, a message with
neither text nor blocks 400 `no_text`, another token than `EmulatorSettings.api_keys["slack"]`
(when set) 403 `invalid_token`, Slack's plain-text error words. Slack has no route to read a
webhook's messages back: the emulator lists them at `GET /_emulator/slack/messages`.

`schemas` (requests), `records` (what is stored), `backend` (operations, raising emulator errors),
`views` (records as listed), `routes` (the HTTP surface).
"""

from agentsim_local.emulator.slack.backend import SlackBackend
from agentsim_local.emulator.slack.routes import router

__all__ = ["SlackBackend", "router"]
