"""The stack's one secret: the webhook secret and the provider API keys, as JSON.

Read with Powertools Parameters (cached for `max_age` seconds, so a warm function does not call
Secrets Manager per request). Values are `SecretStr`: they print as `**********` in logs,
reprs and errors, and a malformed secret is reported by field name only.

Keys for other purposes are derived from the webhook secret (`page_token_key`,
`report_link_key`), so the stack keeps one secret to rotate and no derived key can give the
webhook secret back.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from aws_lambda_powertools.utilities import parameters
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from agentsim.providers.base import ProviderName
from agentsim.runs.errors import ApiKeyMissing, SecretInvalid

PAGE_TOKEN_LABEL = b"agentsim/page-token/v1"
REPORT_LINK_LABEL = b"agentsim/report-link/v1"


class AgentsimSecrets(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    webhook_secret: SecretStr = SecretStr("")
    omnidimension_api_key: SecretStr = SecretStr("")
    bluejay_api_key: SecretStr = SecretStr("")
    synthflow_api_key: SecretStr = SecretStr("")
    bluejay_webhook_secret: SecretStr = SecretStr("")
    """The signing secret of the Bluejay webhook set up for this stack; empty: none is, and
    Bluejay runs are polled like the others."""

    github_token: SecretStr = SecretStr("")
    """Sets commit statuses for requests naming a `github` commit (`repo:status` scope)."""
    slack_webhook_url: SecretStr = SecretStr("")
    """A Slack incoming webhook told of failed and regressed runs (none: no message)."""

    def calls_back(self, provider: ProviderName | str) -> bool:
        """Whether `provider` calls us back when a run ends (its webhook is set up)."""
        name = ProviderName(provider)
        return name is ProviderName.BLUEJAY and bool(self.bluejay_webhook_secret.get_secret_value())

    def bluejay_signing_key(self) -> bytes:
        """Empty when no Bluejay webhook is set up: every delivery is then refused as unsigned
        (401), a caller's mistake rather than a fault of ours."""
        return self.bluejay_webhook_secret.get_secret_value().encode()

    def api_key(self, provider: ProviderName | str) -> str:
        name = ProviderName(provider).value
        secret: SecretStr = getattr(self, f"{name}_api_key")
        value = secret.get_secret_value().strip()
        if not value:
            raise ApiKeyMissing(name)
        return value

    def webhook(self) -> str:
        value = self.webhook_secret.get_secret_value()
        if not value:
            raise SecretInvalid("the stack's secret has no webhook_secret")
        return value

    def page_token_key(self) -> bytes:
        """The key that signs page tokens: HMAC-SHA256 of a fixed label under the webhook secret
        (a one-block KDF as in NIST SP 800-108), so tokens and webhooks never share a key."""
        return self._derived(PAGE_TOKEN_LABEL)

    def report_link_key(self) -> bytes:
        """The key that signs report share links, derived as `page_token_key` is."""
        return self._derived(REPORT_LINK_LABEL)

    def _derived(self, label: bytes) -> bytes:
        return hmac.new(self.webhook().encode(), label, hashlib.sha256).digest()


RESPONSE_BODY_LOGGER = "botocore.parsers"
"""botocore logs every response body at DEBUG here, a GetSecretValue answer included."""


def load_secrets(secret_arn: str, *, max_age: int = 300) -> AgentsimSecrets:
    # Even with DEBUG logging (LogLevel, AWS_LAMBDA_LOG_LEVEL) the secret must not be logged.
    logging.getLogger(RESPONSE_BODY_LOGGER).setLevel(logging.INFO)
    try:
        value: Any = parameters.get_secret(secret_arn, transform="json", max_age=max_age)
    except parameters.exceptions.TransformParameterError:
        raise SecretInvalid("the stack's secret is not a JSON object") from None
    if not isinstance(value, dict):
        raise SecretInvalid("the stack's secret is not a JSON object")
    try:
        return AgentsimSecrets.model_validate(value)
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
        raise SecretInvalid(f"the stack's secret has malformed values: {fields}") from None
