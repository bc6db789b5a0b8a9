"""GitHub request bodies and query parameters, refused as GitHub refuses them: a body that is
not JSON gets 400 "Problems parsing JSON"; a missing or mistyped field 422 "Invalid request."
naming it (GitHub validates bodies against its JSON schema before anything else)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError

from agentsim_local.emulator.bodies import json_object
from agentsim_local.emulator.errors import InvalidRequest, ValidationFailed

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


class CommentIn(BaseModel):
    """Create or update an issue comment."""

    model_config = ConfigDict(extra="ignore")

    body: StrictStr


class StatusIn(BaseModel):
    """Create a commit status; `state` is checked by the backend (one of `records.STATES`)."""

    model_config = ConfigDict(extra="ignore")

    state: StrictStr
    target_url: StrictStr | None = None
    description: StrictStr | None = None
    context: StrictStr = "default"


def parse_body[M: BaseModel](model: type[M], raw: bytes) -> M:
    try:
        data = json_object(raw)
    except ValueError:  # not JSON or not an object: GitHub words both alike
        raise InvalidRequest("Problems parsing JSON") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        if first["type"] == "missing":
            raise ValidationFailed(f'Invalid request.\n\n"{field}" wasn\'t supplied.') from None
        value = json.dumps(first.get("input"), default=str)
        raise ValidationFailed(
            f"Invalid request.\n\nFor 'properties/{field}', {value} is not a string."
        ) from None


def page_params(per_page: str | None, page: str | None) -> tuple[int, int]:
    """`per_page` (1-100, default 30) and `page` (from 1); what is not a number is ignored,
    and a `per_page` over 100 is taken as 100, as GitHub does."""
    size = int(per_page) if per_page and per_page.isdecimal() else DEFAULT_PER_PAGE
    number = int(page) if page and page.isdecimal() else 1
    return min(max(size, 1), MAX_PER_PAGE), max(number, 1)


def since_param(value: str | None) -> float | None:
    """`since`: an ISO 8601 time (`YYYY-MM-DDTHH:MM:SSZ`); an unreadable one is refused."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"Invalid request.\n\n{value!r} is not a valid date-time.") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def issue_number(text: str) -> int | None:
    """An issue number in a path; None when it names none (GitHub answers 404)."""
    return int(text) if text.isdecimal() and int(text) > 0 else None
