"""GitHub's HTTP surface: parse the request, call the backend, answer with a view.

Path parameters are taken as text and read here, so a malformed one gets GitHub's 404 rather
than FastAPI's 422; bodies are parsed by `schemas` for GitHub's 400 and 422 answers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.responses import JSONResponse

from agentsim_local.emulator.errors import NotFound
from agentsim_local.emulator.github import schemas, views
from agentsim_local.emulator.github.backend import GitHubBackend
from agentsim_local.emulator.github.records import ACTIONS_BOT
from agentsim_local.emulator.state import Store, int_id

PREFIX = "/api/v3"


def router(store: Store) -> APIRouter:
    backend = GitHubBackend(store)
    api = APIRouter(prefix=PREFIX, tags=["github"])

    def roots(request: Request) -> tuple[str, str]:
        web = str(request.base_url)
        return web.rstrip("/") + PREFIX, web

    def number_of(text: str) -> int:
        number = schemas.issue_number(text)
        if number is None:
            raise NotFound("Not Found")
        return number

    @api.get("/repos/{owner}/{repo}/issues/{number}/comments")
    def list_comments(owner: str, repo: str, number: str, request: Request) -> Response:
        query = request.query_params
        per_page, page = schemas.page_params(query.get("per_page"), query.get("page"))
        since = schemas.since_param(query.get("since"))
        comments = backend.issue_comments(owner, repo, number_of(number), since)
        api_root, web = roots(request)
        body = [views.comment_view(c, api_root, web) for c in views.page(comments, page, per_page)]
        kept = {"since": query["since"]} if query.get("since") else {}
        url = str(request.url).split("?", 1)[0]
        link = views.link_header(url, kept, page, per_page, len(comments))
        return JSONResponse(body, headers={"Link": link} if link else None)

    @api.post("/repos/{owner}/{repo}/issues/{number}/comments", status_code=201)
    async def create_comment(owner: str, repo: str, number: str, request: Request) -> Response:
        body = schemas.parse_body(schemas.CommentIn, await request.body())
        comment = backend.create_comment(owner, repo, number_of(number), body, ACTIONS_BOT)
        view = views.comment_view(comment, *roots(request))
        return JSONResponse(view, status_code=201, headers={"Location": view["url"]})

    @api.get("/repos/{owner}/{repo}/issues/comments/{comment_id}")
    def get_comment(owner: str, repo: str, comment_id: str, request: Request) -> dict[str, Any]:
        comment = backend.comment(owner, repo, int_id(comment_id))
        return views.comment_view(comment, *roots(request))

    @api.patch("/repos/{owner}/{repo}/issues/comments/{comment_id}")
    async def update_comment(
        owner: str, repo: str, comment_id: str, request: Request
    ) -> dict[str, Any]:
        comment = backend.comment(owner, repo, int_id(comment_id))
        body = schemas.parse_body(schemas.CommentIn, await request.body())
        return views.comment_view(backend.update_comment(comment, body), *roots(request))

    @api.delete("/repos/{owner}/{repo}/issues/comments/{comment_id}", status_code=204)
    def delete_comment(owner: str, repo: str, comment_id: str) -> Response:
        backend.delete_comment(backend.comment(owner, repo, int_id(comment_id)))
        return Response(status_code=204)

    @api.post("/repos/{owner}/{repo}/statuses/{sha}", status_code=201)
    async def create_status(owner: str, repo: str, sha: str, request: Request) -> Response:
        body = schemas.parse_body(schemas.StatusIn, await request.body())
        status = backend.create_status(owner, repo, sha, body, ACTIONS_BOT)
        view = views.status_view(status, *roots(request))
        return JSONResponse(view, status_code=201, headers={"Location": view["url"]})

    @api.get("/repos/{owner}/{repo}/commits/{ref}/statuses")
    def list_statuses(owner: str, repo: str, ref: str, request: Request) -> Response:
        query = request.query_params
        per_page, page = schemas.page_params(query.get("per_page"), query.get("page"))
        statuses = backend.commit_statuses(owner, repo, ref)
        api_root, web = roots(request)
        body = [views.status_view(s, api_root, web) for s in views.page(statuses, page, per_page)]
        url = str(request.url).split("?", 1)[0]
        link = views.link_header(url, {}, page, per_page, len(statuses))
        return JSONResponse(body, headers={"Link": link} if link else None)

    return api
