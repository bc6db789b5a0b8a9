"""`POST /webhooks/bluejay`: Bluejay's webhook deliveries. Bluejay signs them, not an agentsim
client: screening checks `X-Bluejay-Signature` (the key: the stack secret's
`bluejay_webhook_secret`) on this route instead of agentsim's signature, so an unsigned or
badly signed delivery is refused with 401 and writes nothing. The layer's `receive_bluejay`
records the result and wakes the run's wait; a repeated delivery (`X-Bluejay-Delivery`), or
one about a run that is not waiting, is acknowledged and changes nothing. The answer is quick
(a few DynamoDB calls and at most one SendTaskSuccess), well within Bluejay's 5 seconds."""

import base64
from collections.abc import Callable

import api_answers
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router

from agentsim.observability import logger
from agentsim.providers.bluejay.webhooks import DELIVERY_HEADER, delivery_id, parse_event
from agentsim.runs.callbacks import receive_bluejay
from agentsim.runs.errors import Problem, RequestInvalid
from agentsim.runs.services import Services
from agentsim.runs.views import WebhookReceived

BLUEJAY_WEBHOOK_PATH = "/webhooks/bluejay"


def router(services: Callable[[], Services]) -> Router:
    routes = api_answers.new_router()

    @api_answers.route(routes, f"POST {BLUEJAY_WEBHOOK_PATH}", 422, body=WebhookReceived)
    def bluejay_webhook() -> Response[WebhookReceived]:
        """Receive a Bluejay webhook

        A signed Bluejay event (simulation_result_evaluated, simulation_ended): records the
        result on its run and, with the last expected one, wakes the run's wait.
        """
        event = routes.current_event
        body = event.body or ""
        raw = base64.b64decode(body) if event.is_base64_encoded else body.encode()
        try:
            parsed = parse_event(raw)
        except ValueError as exc:
            raise RequestInvalid([Problem("body", str(exc))]) from None
        delivery = delivery_id(event.headers.get(DELIVERY_HEADER))
        received = WebhookReceived(outcome=receive_bluejay(services(), parsed, delivery))
        logger().info("bluejay webhook", extra={"outcome": received.outcome, "delivery": delivery})
        return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=received)

    return routes
