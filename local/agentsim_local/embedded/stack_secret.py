"""The stack's Secrets Manager secret: its generated webhook secret, and the provider keys the
local tooling writes into it (so the functions read keys exactly as they do in AWS)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


class StackSecret:
    def __init__(self, secretsmanager: Any, secret_id: str) -> None:
        self._client = secretsmanager
        self._id = secret_id

    def read(self) -> dict[str, Any]:
        answer = self._client.get_secret_value(SecretId=self._id)
        value: dict[str, Any] = json.loads(answer["SecretString"])
        return value

    def store_api_keys(
        self, keys: Mapping[str, str], more: Mapping[str, str] | None = None
    ) -> None:
        """`<provider>_api_key` for each provider and the `more` values, the generated webhook
        secret kept."""
        secret = self.read()
        secret.update({f"{provider}_api_key": key for provider, key in keys.items()})
        secret.update(more or {})
        self._client.put_secret_value(SecretId=self._id, SecretString=json.dumps(secret))
