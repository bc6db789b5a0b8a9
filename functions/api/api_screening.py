"""What every request but the unsigned pages (`GET /openapi.json`, the Swagger UI, a report
page, which checks its share link instead) passes before Powertools sees it, in this order:
signature headers and HMAC (401, `agentsim.runs.signing`), body size (413), media type (415),
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
from api_openapi import UNSIGNED_PATHS
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from agentsim.runs import intake, signing
from agentsim.runs.errors import BodyMalformed, Problem


def refusal(event: dict[str, Any], secret: Callable[[], str]) -> dict[str, Any] | None:
    """None when the request may go on to the routes, else the answer refusing it."""
    request = APIGatewayProxyEvent(event)
    if request.http_method.upper() == "GET" and request.path in UNSIGNED_PATHS:
        return None
    if api_report.is_report(request):
        return None
    try:
        screen(request, secret)
    except api_answers.REFUSALS as exc:
        return api_answers.proxy_error(*api_answers.refusal(exc))
    return None


def screen(event: APIGatewayProxyEvent, secret: Callable[[], str]) -> None:
    """Raise unless the request is signed and readable; nothing else has looked at it yet."""
    body = _raw_body(event)
    signing.verify(secret(), body or b"", _signature_headers(event))
    if body is None:
        raise BodyMalformed("malformed request body", [Problem("body", "is not valid base64")])
    intake.read_json(body, event.headers.get("content-type"))
    problems = _parameters(event)
    if problems:
        raise BodyMalformed("malformed request", problems)


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
