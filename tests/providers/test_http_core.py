"""The shared HTTP core: how every provider call is classified and when it is retried."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from pydantic import BaseModel

from agentsim.providers import errors
from agentsim.providers.http import ProviderHttp
from agentsim.providers.messages import fastapi_message
from agentsim.providers.retry import RetryPolicy, parse_retry_after

SECRET = "sk-live-do-not-leak-0123456789"


class Recorder:
    """A MockTransport answering from a script, recording every request it saw."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def make_http(recorder: Recorder, sleeps: list[float] | None = None, **kw: object) -> ProviderHttp:
    sleep: Callable[[float], None] = sleeps.append if sleeps is not None else lambda _: None
    return ProviderHttp(
        "testprov",
        "https://api.example.test/api/v1",
        {"Authorization": f"Bearer {SECRET}"},
        transport=httpx.MockTransport(recorder),
        sleep=sleep,
        **kw,  # type: ignore[arg-type]
    )


def test_paths_join_under_the_base_path() -> None:
    recorder = Recorder(httpx.Response(200, json={"ok": True}))
    make_http(recorder).request("GET", "/simulations/4", operation="get")
    assert str(recorder.requests[0].url) == "https://api.example.test/api/v1/simulations/4"


def test_none_query_parameters_are_dropped() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    make_http(recorder).request("GET", "items", operation="list", params={"a": 1, "b": None})
    assert recorder.requests[0].url.params == httpx.QueryParams({"a": "1"})


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.ProviderRejected),
        (401, errors.ProviderAuthError),
        (403, errors.ProviderAuthError),
        (404, errors.ProviderNotFound),
        (409, errors.ProviderRejected),
        (422, errors.ProviderRejected),
        (429, errors.ProviderThrottled),
        (500, errors.ProviderUnavailable),
        (502, errors.ProviderUnavailable),
        (503, errors.ProviderUnavailable),
    ],
)
def test_status_codes_map_to_error_classes(
    status: int, error_class: type[errors.ProviderError]
) -> None:
    recorder = Recorder(httpx.Response(status, json={"detail": "nope"}))
    http = make_http(recorder, retry=RetryPolicy(attempts=1))
    with pytest.raises(error_class) as caught:
        http.request("GET", "x", operation="get")
    assert caught.value.status_code == status
    assert caught.value.provider == "testprov"
    assert caught.value.message == "nope"


def test_only_throttled_and_unavailable_are_retryable() -> None:
    assert errors.ProviderThrottled.retryable and errors.ProviderUnavailable.retryable
    assert not any(
        cls.retryable
        for cls in (errors.ProviderAuthError, errors.ProviderNotFound, errors.ProviderRejected)
    )


def test_fastapi_validation_detail_becomes_one_line_naming_fields() -> None:
    body = {"detail": [{"loc": ["body", "agent_id"], "msg": "Field required", "type": "missing"}]}
    assert fastapi_message(body) == "agent_id: Field required"


def test_get_is_retried_on_5xx_then_succeeds() -> None:
    recorder = Recorder(
        httpx.Response(503, text="busy"),
        httpx.Response(502, text="<html>bad gateway</html>", headers={"Content-Type": "text/html"}),
        httpx.Response(200, json={"id": 1}),
    )
    assert make_http(recorder).request("GET", "x", operation="get") == {"id": 1}
    assert len(recorder.requests) == 3


def test_retries_are_bounded() -> None:
    recorder = Recorder(httpx.Response(500, text="boom"))
    http = make_http(recorder, retry=RetryPolicy(attempts=3, base_delay=0.01))
    with pytest.raises(errors.ProviderUnavailable):
        http.request("GET", "x", operation="get")
    assert len(recorder.requests) == 3


def test_backoff_grows_exponentially_with_full_jitter() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    for attempt, ceiling in [(0, 1.0), (1, 2.0), (2, 4.0), (5, 8.0)]:
        delays = [policy.backoff(attempt) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling / 2  # jitter spreads over the whole interval


def test_retry_after_seconds_is_honoured() -> None:
    sleeps: list[float] = []
    recorder = Recorder(
        httpx.Response(429, json={"detail": "slow down"}, headers={"Retry-After": "3"}),
        httpx.Response(200, json={}),
    )
    make_http(recorder, sleeps).request("GET", "x", operation="get")
    assert sleeps == [3.0]


def test_retry_after_beyond_the_cap_is_not_waited_out() -> None:
    recorder = Recorder(httpx.Response(429, json={}, headers={"Retry-After": "3600"}))
    with pytest.raises(errors.ProviderThrottled) as caught:
        make_http(recorder).request("GET", "x", operation="get")
    assert caught.value.retry_after == 3600.0
    assert len(recorder.requests) == 1


def test_retry_after_http_date_is_parsed() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("not a date") is None
    assert parse_retry_after(None) is None


def test_non_idempotent_post_is_not_repeated_after_a_read_timeout() -> None:
    recorder = Recorder(httpx.ReadTimeout("slow"), httpx.Response(200, json={}))
    with pytest.raises(errors.ProviderUnavailable) as caught:
        make_http(recorder).request("POST", "start", operation="start")
    assert caught.value.ambiguous
    assert len(recorder.requests) == 1


def test_non_idempotent_post_is_not_repeated_after_a_5xx() -> None:
    recorder = Recorder(httpx.Response(500, text="oops"), httpx.Response(200, json={}))
    with pytest.raises(errors.ProviderUnavailable):
        make_http(recorder).request("POST", "start", operation="start")
    assert len(recorder.requests) == 1


def test_non_idempotent_post_is_retried_after_429_and_connect_errors() -> None:
    recorder = Recorder(
        httpx.Response(429, json={}),
        httpx.ConnectError("refused"),
        httpx.Response(200, json={"started": True}),
    )
    result = make_http(recorder).request("POST", "start", operation="start")
    assert result == {"started": True}
    assert len(recorder.requests) == 3


def test_malformed_2xx_body_is_unavailable_and_ambiguous() -> None:
    recorder = Recorder(httpx.Response(200, text='{"success": tr'))
    with pytest.raises(errors.ProviderUnavailable) as caught:
        make_http(recorder, retry=RetryPolicy(attempts=1)).request("GET", "x", operation="get")
    assert caught.value.ambiguous
    assert "malformed" in caught.value.message


def test_empty_body_is_accepted_only_when_no_body_is_expected() -> None:
    recorder = Recorder(httpx.Response(204))
    http = make_http(recorder, retry=RetryPolicy(attempts=1))
    assert http.request("DELETE", "x", operation="delete", expect_body=False) is None
    with pytest.raises(errors.ProviderUnavailable):
        http.request("DELETE", "x", operation="delete")


def test_errors_never_carry_the_api_key() -> None:
    recorder = Recorder(httpx.Response(401, json={"detail": "bad key"}))
    with pytest.raises(errors.ProviderAuthError) as caught:
        make_http(recorder).request("GET", "x", operation="get")
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value.to_dict())


def test_error_dict_names_class_provider_and_status() -> None:
    error = errors.ProviderThrottled("bluejay", "slow down", retry_after=2.0, operation="queue")
    assert error.to_dict() == {
        "type": "ProviderThrottled",
        "provider": "bluejay",
        "operation": "queue",
        "status_code": 429,
        "message": "slow down",
    }


def test_a_key_echoed_back_by_the_provider_is_redacted() -> None:
    recorder = Recorder(httpx.Response(400, json={"detail": f"key {SECRET} lacks a scope"}))
    with pytest.raises(errors.ProviderRejected) as caught:
        make_http(recorder, secret=SECRET).request("POST", "x", operation="create")
    assert SECRET not in str(caught.value)
    assert SECRET not in caught.value.message
    assert "[redacted]" in caught.value.message
    assert caught.value.detail is None


def test_an_unusable_answer_shape_is_unavailable_naming_the_field() -> None:
    class Answer(BaseModel):
        id: int

    http = make_http(Recorder(httpx.Response(200, json={})), secret=SECRET)
    with pytest.raises(errors.ProviderUnavailable) as caught:
        http.parse(Answer, {"id": "not a number"}, "start", ambiguous=True)
    assert "id:" in caught.value.message
    assert caught.value.ambiguous is True
    assert caught.value.status_code == 200
