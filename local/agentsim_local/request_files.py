"""Reading a request file: JSON, then the run envelope (or a suite, a file with `suite`), each
problem named in one line.

`load_request` checks what the CLI needs to know where a request goes (JSON, a known provider);
`validated` checks it as the API will, with the layer's own envelope models, so a bad field is
refused before anything is sent; `with_gate` merges `--gate KEY=VALUE` overrides into its gate.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
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
    def is_suite(self) -> bool:
        return "suite" in self.data

    @property
    def provider(self) -> ProviderName:
        return ProviderName(self.data["provider"])

    @property
    def providers(self) -> set[ProviderName]:
        """The providers its runs go to (one for a run; a suite's runs may go to several)."""
        if not self.is_suite:
            return {self.provider}
        suite = self.data.get("suite")
        runs = suite.get("runs") if isinstance(suite, dict) else None
        wanted = {r.get("provider") for r in runs or [] if isinstance(r, dict)}
        return {ProviderName(p) for p in wanted if p in {n.value for n in ProviderName}}

    @property
    def label(self) -> str:
        """What progress lines call it: its provider, or the suite's name."""
        if not self.is_suite:
            return self.provider.value
        suite = self.data.get("suite")
        name = suite.get("name") if isinstance(suite, dict) else None
        return f"suite {name}"


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
    if "suite" in data:
        return data  # a suite's runs are checked with it (`validated`)
    provider = data.get("provider")
    if provider is None:
        raise CliError(f"{source}: field 'provider' is missing (one of: {PROVIDERS})")
    if provider not in {p.value for p in ProviderName}:
        raise CliError(f"{source}: unknown provider {provider!r} (expected one of: {PROVIDERS})")
    return data


def validated(request: RequestFile) -> RequestFile:
    """`request` if the API's envelope models accept it (`agentsim.runs.envelope`), else a
    CliError naming every bad field in one line."""
    from agentsim.runs.envelope import parse_request as parse_envelope  # noqa: PLC0415 (0.5 s)
    from agentsim.runs.errors import RequestInvalid  # noqa: PLC0415
    from agentsim.suites.request import parse_suite  # noqa: PLC0415

    try:
        if request.is_suite:
            parse_suite(request.data)
        else:
            parse_envelope(request.body)
    except RequestInvalid as exc:
        raise CliError(f"{request.path}: {exc}") from None
    return request


def gate_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    """`KEY=VALUE` pairs as gate fields; a VALUE that reads as JSON (`0.8`, `true`) is taken as
    that, any other as a string (the envelope's model judges it)."""
    overrides: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise CliError(f"--gate {pair!r}: expected KEY=VALUE, e.g. min_pass_rate=0.8")
        try:
            overrides[key] = json.loads(text)
        except ValueError:
            overrides[key] = text
    return overrides


def with_gate(request: RequestFile, overrides: Mapping[str, Any]) -> RequestFile:
    """`request` with `overrides` merged into its `gate` (the body re-serialised: that is what
    gets signed and sent)."""
    if not overrides:
        return request
    gate = request.data.get("gate")
    if gate is not None and not isinstance(gate, dict):
        raise CliError(f"{request.path}: 'gate' must be an object to take --gate overrides")
    data = {**request.data, "gate": {**(gate or {}), **overrides}}
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return RequestFile(request.path, body, data)
