"""`GET /openapi.json`, the API's OpenAPI document, and `GET /swagger`, Powertools' Swagger UI of
it with its script and styles bundled in the page (no CDN): both unsigned (screening lets them
through).

`enable_swagger` imports Powertools' OpenAPI models when it is called, which a cold start should
not pay for every route: the Swagger route is added on the first request for it.
"""

import functools
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types

from agentsim.runs import intake, signing

OPENAPI_PATH = "/openapi.json"
SWAGGER_PATH = "/swagger"
UNSIGNED_PATHS = frozenset({OPENAPI_PATH, SWAGGER_PATH})
DESCRIPTION = (
    "Sign every request: X-Agentsim-Timestamp (unix seconds) and "
    "X-Agentsim-Signature: v1=<hex HMAC-SHA256(webhook secret, timestamp + '.' + raw body)>, "
    f"within five minutes. Bodies are JSON (UTF-8, I-JSON), at most {intake.MAX_BODY_BYTES} "
    f"bytes, nested at most {intake.MAX_JSON_DEPTH} levels. A report page is opened by the "
    "share link in a run's report_url instead."
)


def document_fields() -> dict[str, Any]:
    """What the OpenAPI document says of the API as a whole (both pages show the same)."""
    from aws_lambda_powertools.event_handler.openapi.models import (  # noqa: PLC0415
        APIKey,
        APIKeyIn,
    )

    return {
        "title": "agentsim",
        "version": "1.0.0",
        "summary": "Start and follow voice-agent simulations on OmniDimension, Bluejay, Synthflow",
        "description": DESCRIPTION,
        "security_schemes": {
            "timestamp": APIKey(name=signing.TIMESTAMP_HEADER, in_=APIKeyIn.header),
            "signature": APIKey(name=signing.SIGNATURE_HEADER, in_=APIKeyIn.header),
        },
        "security": [{"timestamp": [], "signature": []}],
    }


def register(app: APIGatewayRestResolver) -> None:
    @app.get(OPENAPI_PATH, include_in_schema=False)
    def openapi_document() -> Response[str]:
        document = app.get_openapi_json_schema(**document_fields())
        return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=document)


@functools.cache
def enable_swagger(app: APIGatewayRestResolver) -> None:
    """Add the Swagger UI route to `app`, once."""
    app.enable_swagger(path=SWAGGER_PATH, **document_fields())


def prepare(app: APIGatewayRestResolver, method: str, path: str) -> None:
    """Before `app` resolves a request: add the Swagger UI route when the request is for it."""
    if method.upper() == "GET" and path == SWAGGER_PATH:
        enable_swagger(app)
