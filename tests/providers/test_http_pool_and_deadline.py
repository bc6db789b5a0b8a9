"""Kept clients and the call deadline in the shared HTTP core (narrow: httpx.MockTransport).

A pooled client serves every call to its provider and base URL and never holds the key; a
deadline caps each attempt's timeouts and stops retries that could not end before it, with the
classified error. Time is a scripted clock that the fake sleep advances: nothing here waits.
"""

from __future__ import annotations

import httpx
import pytest

from agentsim.providers.deadline import Deadline
from agentsim.providers.errors import ProviderThrottled, ProviderUnavailable
from agentsim.providers.http import MIN_ATTEMPT_SECONDS, ProviderHttp
from agentsim.providers.retry import RetryPolicy
from agentsim.providers.transport import DEFAULT_TIMEOUT, ClientPool, TimeLeft

SECRET = "sk-live-do-not-leak-0123456789"
BASE = "https://api.example.test/api/v1"


class Clock:
    """Monotonic seconds that move only when the code under test sleeps (or a test says)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class Recorder:
    """A MockTransport handler answering from a script (the last answer repeats), on a clock of
    its own that each request moves by `spend`."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.seen_timeouts: list[dict[str, float | None]] = []
        self.clock = Clock()
        self.spend = 0.0
        """Seconds each request takes on `clock`."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        timeouts = request.extensions["timeout"]  # as httpcore reads them: when a phase begins
        self.seen_timeouts.append(
            {k: timeouts.get(k) for k in ("connect", "read", "write", "pool")}
        )
        self.clock.now += self.spend
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def timeouts(self) -> list[dict[str, float | None]]:
        return self.seen_timeouts


class FixedBackoff(RetryPolicy):
    """The policy without its jitter: every wait is `base_delay`."""

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        return self.base_delay if retry_after is None else retry_after


def http_with(
    recorder: Recorder, *, seconds: float, retry: RetryPolicy | None = None
) -> ProviderHttp:
    """A client over `recorder` with `seconds` left, on the recorder's clock."""
    return ProviderHttp(
        "testprov",
        BASE,
        {"Authorization": f"Bearer {SECRET}"},
        secret=SECRET,
        transport=httpx.MockTransport(recorder),
        sleep=recorder.clock.sleep,
        retry=retry or FixedBackoff(attempts=4, base_delay=2.0),
        deadline=Deadline.after(seconds, clock=recorder.clock),
    )


# Kept clients ------------------------------------------------------------------------------------


def test_a_pool_keeps_one_client_per_provider_and_base_url() -> None:
    pool = ClientPool(transport=httpx.MockTransport(Recorder(httpx.Response(200, json={}))))

    first = ProviderHttp("bluejay", BASE, {"X-API-Key": "k1"}, clients=pool)
    second = ProviderHttp("bluejay", BASE + "/", {"X-API-Key": "k2"}, clients=pool)
    other = ProviderHttp("bluejay", "https://eu.example.test", {"X-API-Key": "k1"}, clients=pool)

    assert first._client is second._client
    assert other._client is not first._client
    assert len(pool) == 2


def test_a_pooled_client_outlives_the_caller_that_closes() -> None:
    recorder = Recorder(httpx.Response(200, json={"ok": True}))
    pool = ClientPool(transport=httpx.MockTransport(recorder))
    first = ProviderHttp("testprov", BASE, {"Authorization": "Bearer a"}, clients=pool)
    first.request("GET", "items/1", operation="get")
    first.close()

    second = ProviderHttp("testprov", BASE, {"Authorization": "Bearer a"}, clients=pool)
    assert second.request("GET", "items/2", operation="get") == {"ok": True}
    assert len(recorder.requests) == 2
    pool.close()
    assert pool.client("testprov", BASE + "/").is_closed is False  # a closed one is replaced


def test_the_key_goes_with_each_request_never_into_the_pooled_client() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    pool = ClientPool(transport=httpx.MockTransport(recorder))
    ProviderHttp("testprov", BASE, {"Authorization": "Bearer key-one"}, clients=pool).request(
        "GET", "a", operation="get"
    )
    ProviderHttp("testprov", BASE, {"Authorization": "Bearer key-two"}, clients=pool).request(
        "GET", "b", operation="get"
    )

    sent = [r.headers["Authorization"] for r in recorder.requests]
    assert sent == ["Bearer key-one", "Bearer key-two"]
    kept = pool.client("testprov", BASE + "/").headers
    assert "Authorization" not in kept
    assert "key-one" not in str(dict(kept)) and "key-two" not in str(dict(kept))


def test_an_own_client_has_no_key_in_its_defaults_either() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    http = ProviderHttp(
        "testprov",
        BASE,
        {"Authorization": f"Bearer {SECRET}"},
        transport=httpx.MockTransport(recorder),
    )
    http.request("GET", "a", operation="get")

    assert SECRET not in str(dict(http._client.headers))
    assert recorder.requests[0].headers["Authorization"] == f"Bearer {SECRET}"


def test_a_transport_belongs_to_the_pool_not_to_a_pooled_caller() -> None:
    with pytest.raises(TypeError):
        ProviderHttp(
            "testprov",
            BASE,
            {},
            clients=ClientPool(),
            transport=httpx.MockTransport(Recorder(httpx.Response(200))),
        )


# Deadline --------------------------------------------------------------------------------------


def test_each_attempt_waits_no_longer_than_the_time_left() -> None:
    recorder = Recorder(httpx.Response(200, json={"ok": True}))

    http_with(recorder, seconds=7.5).request("GET", "items/1", operation="get")

    (timeout,) = recorder.timeouts()
    assert timeout == {"connect": 7.5, "read": 7.5, "write": 7.5, "pool": 7.5}


def test_each_phase_of_an_attempt_gets_only_what_is_left_when_it_begins() -> None:
    # httpcore reads a phase's timeout as the phase begins (connect, send, headers, body)
    clock = Clock()
    timeouts = TimeLeft(httpx.Timeout(30.0, connect=10.0), Deadline.after(12.0, clock=clock))

    assert (timeouts.get("connect"), timeouts.get("read")) == (10.0, 12.0)
    clock.now += 9.5  # the headers took 9.5 s
    assert timeouts.get("read") == pytest.approx(2.5)  # so the body gets what is left
    clock.now += 5.0
    assert timeouts["read"] == 0.0  # past the deadline: no wait at all
    with pytest.raises(KeyError):
        timeouts["think"]


def test_without_a_deadline_the_configured_timeouts_apply() -> None:
    recorder = Recorder(httpx.Response(200, json={}))
    http = ProviderHttp("testprov", BASE, {}, transport=httpx.MockTransport(recorder))
    http.request("GET", "a", operation="get")

    assert recorder.timeouts() == [DEFAULT_TIMEOUT.as_dict()]


def test_retries_stop_when_the_next_could_not_end_before_the_deadline() -> None:
    # Given a provider that keeps answering 503, 1.5 s per answer, and 6 s left
    recorder = Recorder(httpx.Response(503, json={"detail": "busy"}))
    recorder.spend = 1.5

    # When the call is made (4 attempts allowed, 2 s between them)
    with pytest.raises(ProviderUnavailable) as caught:
        http_with(recorder, seconds=6.0).request("GET", "items/1", operation="get")

    # Then the third attempt (after 5 s and a 2 s wait) was never begun: the provider's own
    # error is raised, and the second attempt only waited for what was left
    assert len(recorder.requests) == 2
    assert caught.value.status_code == 503
    assert recorder.clock.slept == [2.0]
    assert recorder.timeouts()[1]["read"] == pytest.approx(6.0 - 1.5 - 2.0)


def test_a_throttle_whose_retry_after_passes_the_deadline_is_raised_at_once() -> None:
    recorder = Recorder(
        httpx.Response(429, json={"detail": "slow down"}, headers={"Retry-After": "20"})
    )

    with pytest.raises(ProviderThrottled) as caught:
        http_with(recorder, seconds=10.0).request("GET", "items/1", operation="get")

    assert caught.value.retry_after == 20
    assert len(recorder.requests) == 1
    assert recorder.clock.slept == []


def test_no_attempt_begins_with_less_than_the_minimum_left() -> None:
    recorder = Recorder(httpx.Response(200, json={}))

    with pytest.raises(ProviderUnavailable) as caught:
        http_with(recorder, seconds=MIN_ATTEMPT_SECONDS / 2).request(
            "POST", "simulations/1/start", operation="start", idempotent=False
        )

    assert recorder.requests == []  # nothing was sent, so nothing can have started
    assert caught.value.ambiguous is False
    assert "deadline" in caught.value.message


def test_a_paid_call_cut_short_by_the_deadline_is_ambiguous_and_not_repeated() -> None:
    recorder = Recorder(httpx.ReadTimeout("timed out"))

    with pytest.raises(ProviderUnavailable) as caught:
        http_with(recorder, seconds=20.0).request(
            "POST", "simulations/1/start", operation="start", idempotent=False
        )

    assert caught.value.ambiguous is True
    assert len(recorder.requests) == 1


def test_an_ambiguous_failure_with_no_time_to_retry_is_raised_as_it_is() -> None:
    # Given an idempotent update whose first attempt timed out after 3 of the 3.5 s left
    recorder = Recorder(httpx.ReadTimeout("timed out"))
    recorder.spend = 3.0
    http = http_with(recorder, seconds=3.5, retry=FixedBackoff(attempts=4, base_delay=0.1))

    with pytest.raises(ProviderUnavailable) as caught:
        http.request("PUT", "simulations/1", operation="update", json={})

    # Then it is not retried, and still says the provider may have done it
    assert caught.value.ambiguous is True
    assert len(recorder.requests) == 1
    assert recorder.clock.slept == []


def test_a_deadline_error_never_carries_the_key() -> None:
    recorder = Recorder(httpx.Response(200, json={}))

    with pytest.raises(ProviderUnavailable) as caught:
        http_with(recorder, seconds=0).request("GET", "a", operation="get")

    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value.args)
