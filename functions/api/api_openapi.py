"""`GET /openapi.json`: the API's OpenAPI document, unsigned (screening lets it through)."""

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types

from agentsim.runs import intake, signing

OPENAPI_PATH = "/openapi.json"
DESCRIPTION = (
    "Sign every request: X-Agentsim-Timestamp (unix seconds) and "
    "X-Agentsim-Signature: v1=<hex HMAC-SHA256(webhook secret, timestamp + '.' + raw body)>, "
    f"within five minutes. Bodies are JSON (UTF-8, I-JSON), at most {intake.MAX_BODY_BYTES} "
    f"bytes, nested at most {intake.MAX_JSON_DEPTH} levels."
)


def register(app: APIGatewayRestResolver) -> None:
    @app.get(OPENAPI_PATH, include_in_schema=False)
    def openapi_document() -> Response[str]:
        from aws_lambda_powertools.event_handler.openapi.models import (  # noqa: PLC0415
            APIKey,
            APIKeyIn,
        )

        document = app.get_openapi_json_schema(
            title="agentsim",
            version="1.0.0",
            summary="Start and follow voice-agent simulations on OmniDimension, Bluejay, Synthflow",
            description=DESCRIPTION,
            security_schemes={
                "timestamp": APIKey(name=signing.TIMESTAMP_HEADER, in_=APIKeyIn.header),
                "signature": APIKey(name=signing.SIGNATURE_HEADER, in_=APIKeyIn.header),
            },
            security=[{"timestamp": [], "signature": []}],
        )
        return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=document)
