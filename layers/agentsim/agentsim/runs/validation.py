"""What a refused body names: pydantic's errors as one `Problem` per field, paths dotted.

Shared by every body we validate (a run's envelope, a suite, Powertools' request validation)
so a bad field is named the same way whichever entry point refused it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from agentsim.providers.base import ProviderName
from agentsim.providers.storable import FREE_FORM_ERROR
from agentsim.runs.errors import Problem, RequestInvalid


def validated[T](adapter: TypeAdapter[T], data: Any) -> T:
    """`data` (a JSON object) as `adapter`'s type; RequestInvalid naming each bad field."""
    if not isinstance(data, Mapping):
        raise RequestInvalid([Problem("", "must be a JSON object")])
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise RequestInvalid(problems_from(exc.errors())) from None


def _path(loc: Sequence[int | str], provider_tags: Iterable[str]) -> str:
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    tags = set(provider_tags)
    # the union's tag comes first (a run request) or after a list index (a suite's runs)
    parts = [
        p
        for i, p in enumerate(parts)
        if not (isinstance(p, str) and p in tags and (i == 0 or isinstance(parts[i - 1], int)))
    ]
    # pydantic names function validators in locations ("function-after[...]"): not a field
    parts = [p for p in parts if not (isinstance(p, str) and p.startswith("function-"))]
    return ".".join(str(p) for p in parts)


def _inner(error: Mapping[str, Any]) -> tuple[int | str, ...]:
    """Where inside a free-form map its validator found the problem (`ctx["at"]`)."""
    if error.get("type") != FREE_FORM_ERROR:
        return ()
    at = (error.get("ctx") or {}).get("at")
    return tuple(at) if isinstance(at, list | tuple) else ()


def problems_from(errors: Iterable[Mapping[str, Any]]) -> list[Problem]:
    """pydantic (or Powertools request validation) errors as one Problem per field.

    Only the location and the message are kept: the rejected input is not echoed back, so a
    value sent by mistake (a key in the wrong field) does not travel into logs or records.
    """
    tags = [p.value for p in ProviderName]
    problems: list[Problem] = []
    for error in errors:
        kind = str(error.get("type", ""))
        path = _path((*error.get("loc", ()), *_inner(error)), tags)
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if kind in {"union_tag_not_found", "union_tag_invalid"}:
            path = f"{path}.provider" if path else "provider"
            message = (
                f"Field required: one of {', '.join(tags)}"
                if kind == "union_tag_not_found"
                else f"must be one of {', '.join(tags)}"
            )
        problem = Problem(path, message)
        if problem not in problems:
            problems.append(problem)
    return problems
