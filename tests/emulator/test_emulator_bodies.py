"""The request-body parsing the providers share: which way a body is not a JSON object."""

from __future__ import annotations

import pytest

from agentsim_local.emulator.bodies import NotAnObject, NotJSON, json_object


def test_a_json_object_body_is_that_object() -> None:
    assert json_object(b' {"name": "x"} ') == {"name": "x"}


@pytest.mark.parametrize("raw", [b"", b"  ", b"{not json", b'{"a": "\xff"}'], ids=repr)
def test_a_body_that_is_no_json_is_not_json(raw: bytes) -> None:
    with pytest.raises(NotJSON):
        json_object(raw)


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"null", b"3"], ids=repr)
def test_another_json_value_is_not_an_object(raw: bytes) -> None:
    with pytest.raises(NotAnObject):
        json_object(raw)
