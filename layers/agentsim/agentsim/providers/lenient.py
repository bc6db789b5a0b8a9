"""Tolerant pieces for provider response models, shared by every provider.

Why: real providers send fields their reference does not list, ids as int from one endpoint and
as str from another, `null` where a list is documented, and dates nobody can parse. A response
model exists to read what we need from a body; it must never fail a run over a cosmetic field.
So unknown fields are kept, ids are held as str, a missing or null list is empty, and an
unparseable date or number becomes None instead of failing the whole body.

Provider-specific quirks (a date format, `string | false`, a number wrapped in an array) stay in
the provider's own module, composed from these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    JsonValue,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

T = TypeVar("T")


class LenientResponse(BaseModel):
    """Base of a provider's response bodies: unknown fields kept, fields settable by name."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def raw(self) -> dict[str, JsonValue]:
        """The body as received (ids normalized to str), extra fields included."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def id_to_str(value: object) -> object:
    """An int id (not a bool) as str; anything else left to the field's own validation."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def as_utc(moment: datetime) -> datetime:
    """A naive date-time taken as UTC; an aware one as it is."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def none_to_list(value: object) -> object:
    """A null list as an empty one."""
    return [] if value is None else value


def _none_when_invalid(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    try:
        return handler(value)
    except ValueError:
        return None


def lenient_datetime(
    *, pre: Callable[[object], object] | None = None, assume_utc: bool = False
) -> WrapValidator:
    """A validator for `datetime | None` that gives None for what it cannot parse.

    `pre` rewrites the raw value first (a provider's own date format); `assume_utc` makes a
    naive result aware, in UTC.
    """

    def validate(value: object, handler: ValidatorFunctionWrapHandler) -> datetime | None:
        try:
            parsed: datetime | None = handler(value if pre is None else pre(value))
        except ValueError:
            return None
        if assume_utc and parsed is not None:
            parsed = as_utc(parsed)
        return parsed

    return WrapValidator(validate)


LooseId = Annotated[str, BeforeValidator(id_to_str)]
"""An id sent as int or as str; always held as str."""

LooseList = Annotated[list[T], BeforeValidator(none_to_list)]
"""A list that may be sent as null: held as an empty list."""

LooseTime = Annotated[datetime | None, lenient_datetime()]
"""A date-time as pydantic parses it (ISO 8601 and the like); None when unparseable."""

LooseNumber = Annotated[float | None, WrapValidator(_none_when_invalid)]
"""A number; None when it is not one."""
