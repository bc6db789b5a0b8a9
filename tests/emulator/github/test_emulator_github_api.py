"""The emulated GitHub REST API over HTTP: issue comments and commit statuses as GitHub's docs
describe them (https://docs.github.com/en/rest/issues/comments,
https://docs.github.com/en/rest/commits/statuses), errors in GitHub's shape."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import agentsim_local.emulator.github
from agentsim_local.emulator import EmulatorServer, EmulatorSettings

REPO = "octo-org/voice-agent"
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
AUTH = {"Authorization": "Bearer ghs_test", "Accept": "application/vnd.github+json"}
MODULES = ("__init__", "schemas", "records", "backend", "views", "routes")
PACKAGE = Path(agentsim_local.emulator.github.__file__).parent


@pytest.fixture
def github(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.github_api_url, headers=AUTH) as client:
        yield client


def post_comment(github: httpx.Client, number: int, body: str) -> dict[str, object]:
    answer = github.post(f"/repos/{REPO}/issues/{number}/comments", json={"body": body})
    assert answer.status_code == 201, answer.text
    created: dict[str, object] = answer.json()
    return created


def test_a_created_comment_is_listed_on_its_pull_request(github: httpx.Client) -> None:
    created = post_comment(github, 7, "hello")

    listed = github.get(f"/repos/{REPO}/issues/7/comments").json()

    assert [(c["id"], c["body"]) for c in listed] == [(created["id"], "hello")]
    assert listed[0]["user"]["login"] == "github-actions[bot]"


def test_a_created_comment_answers_201_with_its_location(github: httpx.Client) -> None:
    answer = github.post(f"/repos/{REPO}/issues/7/comments", json={"body": "x"})

    assert answer.status_code == 201
    assert answer.headers["Location"] == answer.json()["url"]
    assert answer.json()["url"].endswith(f"/repos/{REPO}/issues/comments/{answer.json()['id']}")


def test_comments_of_another_pull_request_are_not_listed(github: httpx.Client) -> None:
    post_comment(github, 8, "elsewhere")

    assert github.get(f"/repos/{REPO}/issues/7/comments").json() == []


def test_an_updated_comment_keeps_its_id_and_takes_the_new_body(github: httpx.Client) -> None:
    created = post_comment(github, 7, "first")

    answer = github.patch(f"/repos/{REPO}/issues/comments/{created['id']}", json={"body": "2nd"})

    assert answer.status_code == 200
    assert answer.json()["id"] == created["id"]
    assert [c["body"] for c in github.get(f"/repos/{REPO}/issues/7/comments").json()] == ["2nd"]


def test_comments_come_in_pages_named_by_the_link_header(github: httpx.Client) -> None:
    for index in range(5):
        post_comment(github, 7, f"comment {index}")

    first = github.get(f"/repos/{REPO}/issues/7/comments", params={"per_page": 2})
    last = github.get(f"/repos/{REPO}/issues/7/comments", params={"per_page": 2, "page": 3})

    assert [c["body"] for c in first.json()] == ["comment 0", "comment 1"]
    assert 'page=2>; rel="next"' in first.headers["Link"]
    assert 'page=3>; rel="last"' in first.headers["Link"]
    assert [c["body"] for c in last.json()] == ["comment 4"]
    assert 'rel="next"' not in last.headers["Link"]


def test_a_missing_token_gets_401_requires_authentication(emulator: EmulatorServer) -> None:
    answer = httpx.get(f"{emulator.github_api_url}/repos/{REPO}/issues/7/comments")

    assert answer.status_code == 401
    assert answer.json()["message"] == "Requires authentication"
    assert answer.json()["documentation_url"].startswith("https://docs.github.com/")


def test_a_token_other_than_the_accepted_one_gets_bad_credentials() -> None:
    with EmulatorServer(settings=EmulatorSettings(api_keys={"github": "ghs_right"})) as server:
        url = f"{server.github_api_url}/repos/{REPO}/issues/7/comments"
        wrong = httpx.get(url, headers={"Authorization": "Bearer ghs_wrong"})
        right = httpx.get(url, headers={"Authorization": "token ghs_right"})

    assert (wrong.status_code, wrong.json()["message"]) == (401, "Bad credentials")
    assert right.status_code == 200


def test_a_body_that_is_not_json_gets_400_problems_parsing_json(github: httpx.Client) -> None:
    answer = github.post(f"/repos/{REPO}/issues/7/comments", content=b"{body")

    assert answer.status_code == 400
    assert answer.json()["message"] == "Problems parsing JSON"


def test_a_comment_without_a_body_gets_422_naming_the_field(github: httpx.Client) -> None:
    answer = github.post(f"/repos/{REPO}/issues/7/comments", json={"text": "hi"})

    assert answer.status_code == 422
    assert '"body" wasn\'t supplied' in answer.json()["message"]


def test_a_comment_over_65536_characters_gets_422_validation_failed(github: httpx.Client) -> None:
    answer = github.post(f"/repos/{REPO}/issues/7/comments", json={"body": "x" * 65_537})

    assert answer.status_code == 422
    assert answer.json()["message"] == "Validation Failed"
    assert answer.json()["errors"][0]["field"] == "body"


def test_a_comment_of_another_repository_is_not_found(github: httpx.Client) -> None:
    created = post_comment(github, 7, "mine")

    answer = github.patch(f"/repos/other/repo/issues/comments/{created['id']}", json={"body": "x"})

    assert answer.status_code == 404
    assert answer.json()["message"] == "Not Found"


def test_a_deleted_comment_is_gone(github: httpx.Client) -> None:
    created = post_comment(github, 7, "bye")

    deleted = github.delete(f"/repos/{REPO}/issues/comments/{created['id']}")

    assert deleted.status_code == 204
    assert github.get(f"/repos/{REPO}/issues/comments/{created['id']}").status_code == 404


def test_commit_statuses_are_listed_newest_first(github: httpx.Client) -> None:
    for state in ("pending", "failure"):
        answer = github.post(
            f"/repos/{REPO}/statuses/{SHA}",
            json={"state": state, "context": "agentsim", "description": "voice agent gate"},
        )
        assert answer.status_code == 201, answer.text

    listed = github.get(f"/repos/{REPO}/commits/{SHA}/statuses").json()

    assert [s["state"] for s in listed] == ["failure", "pending"]
    assert {s["context"] for s in listed} == {"agentsim"}


def test_a_status_without_a_context_is_in_the_default_context(github: httpx.Client) -> None:
    answer = github.post(f"/repos/{REPO}/statuses/{SHA}", json={"state": "success"})

    assert answer.json()["context"] == "default"


def test_a_status_with_an_unknown_state_gets_422_naming_it(github: httpx.Client) -> None:
    answer = github.post(f"/repos/{REPO}/statuses/{SHA}", json={"state": "green"})

    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "resource": "Status",
            "code": "custom",
            "field": "state",
            "message": "state is not included in the list",
        }
    ]


def test_a_status_for_something_not_a_sha_gets_422(github: httpx.Client) -> None:
    answer = github.post(f"/repos/{REPO}/statuses/not-a-sha", json={"state": "success"})

    assert answer.status_code == 422
    assert answer.json()["message"] == "No commit found for SHA: not-a-sha"


def test_github_calls_are_in_the_emulator_call_log(
    github: httpx.Client, emulator: EmulatorServer
) -> None:
    post_comment(github, 7, "logged")

    calls = httpx.get(f"{emulator.url}/_emulator/calls", params={"provider": "github"}).json()

    assert [(c["method"], c["status"]) for c in calls["calls"]] == [("POST", 201)]


def test_the_github_package_has_the_provider_package_modules() -> None:
    modules = {p.name for p in PACKAGE.glob("*.py")}

    assert modules == {f"{name}.py" for name in MODULES}


@pytest.mark.parametrize("module", ["schemas.py", "records.py", "backend.py"])
def test_what_lies_under_the_github_routes_imports_no_http_library(module: str) -> None:
    tree = ast.parse((PACKAGE / module).read_text())
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}

    assert not {name.split(".")[0] for name in names} & {"fastapi", "starlette", "uvicorn", "httpx"}
