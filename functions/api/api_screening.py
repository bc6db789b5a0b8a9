"""What every request but the unsigned pages (`GET /openapi.json`, the Swagger UI, a report
page, which checks its share link instead) passes before Powertools sees it, in this order:
signature headers and HMAC (401, `agentsim.runs.signing`; Bluejay's own signature on
`POST /webhooks/bluejay`, `agentsim.providers.bluejay.webhooks`), body size (413), media type (415),
UTF-8 JSON within the nesting limit (400, `agentsim.runs.intake`), valid Unicode in parameters
(400).

Powertools validates the request before user middlewares run and parses the body its own way,
so these checks cannot be a middleware: the handler runs them first, and an unsigned or
unreadable request never reaches a route, so nothing is written.
"""

import base64
import binascii
from collections.abc import Callable
from typing import Any

import api_answers
import api_report
from api_bluejay import BLUEJAY_WEBHOOK_PATH
from api_openapi import UNSIGNED_PATHS
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from agentsim.providers.bluejay import webhooks
from agentsim.runs import intake, signing
from agentsim.runs.errors import BodyMalformed, Problem

SUITES_PATH = "/suites"


def refusal(
    event: dict[str, Any], secret: Callable[[], str], bluejay_key: Callable[[], bytes]
) -> dict[str, Any] | None:
    """None when the request may go on to the routes, else the answer refusing it."""
    request = APIGatewayProxyEvent(event)
    method = request.http_method.upper()
    if method == "GET" and request.path in UNSIGNED_PATHS:
        return None
    if api_report.is_report(request):
        return None
    try:
        if method == "POST" and request.path == BLUEJAY_WEBHOOK_PATH:
            screen(request, lambda body: _bluejay_signed(request, bluejay_key, body))
        else:
            screen(request, lambda body: _agentsim_signed(request, secret, body))
    except api_answers.REFUSALS as exc:
        return api_answers.proxy_error(*api_answers.refusal(exc))
    return None


def screen(event: APIGatewayProxyEvent, signed: Callable[[bytes], None]) -> None:
    """Raise unless the request is signed (`signed` checks its raw body) and readable; nothing
    else has looked at it yet."""
    body = _raw_body(event)
    signed(body or b"")
    if body is None:
        raise BodyMalformed("malformed request body", [Problem("body", "is not valid base64")])
    limit = intake.MAX_SUITE_BODY_BYTES if event.path == SUITES_PATH else intake.MAX_BODY_BYTES
    intake.read_json(body, event.headers.get("content-type"), max_bytes=limit)
    problems = _parameters(event)
    if problems:
        raise BodyMalformed("malformed request", problems)


def _agentsim_signed(event: APIGatewayProxyEvent, secret: Callable[[], str], body: bytes) -> None:
    signing.verify(secret(), body, _signature_headers(event))


def _bluejay_signed(event: APIGatewayProxyEvent, key: Callable[[], bytes], body: bytes) -> None:
    webhooks.verify(key(), body, event.headers.get(webhooks.SIGNATURE_HEADER))
    webhooks.delivery_id(event.headers.get(webhooks.DELIVERY_HEADER))


def _raw_body(event: APIGatewayProxyEvent) -> bytes | None:
    """The body's bytes as the caller signed them; None when API Gateway's base64 is broken."""
    body = event.body or ""
    if event.is_base64_encoded:
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return None
    return body.encode("utf-8", "surrogatepass")  # a lone surrogate fails the UTF-8 check


def _signature_headers(event: APIGatewayProxyEvent) -> dict[str, signing.HeaderValue]:
    """The headers, each with all its values when API Gateway saw it more than once."""
    headers: dict[str, signing.HeaderValue] = dict(event.get("headers") or {})
    for name, values in (event.get("multiValueHeaders") or {}).items():
        if name in headers and isinstance(values, list) and len(values) > 1:
            headers[name] = [str(v) for v in values]
    return headers


def _parameters(event: APIGatewayProxyEvent) -> list[Problem]:
    query = event.get("multiValueQueryStringParameters") or {}
    pairs = [(name, value) for name, values in query.items() for value in values or ()]
    pairs += list((event.get("queryStringParameters") or {}).items())
    path = list((event.get("pathParameters") or {}).items())
    return intake.parameter_problems("query", pairs) + intake.parameter_problems("path", path)
