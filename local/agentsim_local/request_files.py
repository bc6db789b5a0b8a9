"""Reading a request file: JSON, then the run envelope, each problem named in one line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentsim.providers.base import ProviderName
from agentsim_local.errors import CliError

PROVIDERS = ", ".join(p.value for p in ProviderName)


@dataclass(frozen=True)
class RequestFile:
    """A request as sent (`body`, the exact bytes that get signed) and as parsed (`data`)."""

    path: Path
    body: bytes
    data: dict[str, Any]

    @property
    def provider(self) -> ProviderName:
        return ProviderName(self.data["provider"])


def load_request(path: str | Path) -> RequestFile:
    """The request in `path`, checked as far as the CLI can before anything starts."""
    file = Path(path)
    try:
        body = file.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{file}: no such file") from None
    except OSError as exc:
        raise CliError(f"{file}: cannot read ({exc.strerror})") from None
    return RequestFile(file, body, parse_request(body, source=str(file)))


def parse_request(body: bytes, *, source: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise CliError(f"{source}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise CliError(
            f"{source}: malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise CliError(f"{source}: a request is a JSON object, got {type(data).__name__}")
    provider = data.get("provider")
    if provider is None:
        raise CliError(f"{source}: field 'provider' is missing (one of: {PROVIDERS})")
    if provider not in {p.value for p in ProviderName}:
        raise CliError(f"{source}: unknown provider {provider!r} (expected one of: {PROVIDERS})")
    return data
