"""GitHub's REST API, the parts agentsim's action uses, under `/api/v3` (where GitHub Enterprise
Server serves it, so `GITHUB_API_URL=http://127.0.0.1:<port>/api/v3`).

Issue comments (https://docs.github.com/en/rest/issues/comments): list a pull request's or
issue's comments (oldest first, `per_page` up to 100, `page`, `since`, a `Link` header naming
the next and last pages), create, get, update and delete one. Commit statuses
(https://docs.github.com/en/rest/commits/statuses): create one for a SHA, list a ref's (newest
first). Every call needs `Authorization: Bearer <token>` (or `token <token>`); any token is
accepted unless `EmulatorSettings.api_keys["github"]` names one, and every comment and status
is made by `github-actions[bot]`, as with a workflow's `GITHUB_TOKEN`. Repositories, issues and
commits are not modelled: any `owner/repo`, issue number and SHA exist. Errors are GitHub's
`{message, documentation_url, status}` (with `errors` for a 422 "Validation Failed").

`schemas` (requests), `records` (what is stored), `backend` (operations, raising emulator errors),
`views` (records as the API shows them), `routes` (the HTTP surface).
"""

from agentsim_local.emulator.github.backend import GitHubBackend
from agentsim_local.emulator.github.routes import router

__all__ = ["GitHubBackend", "router"]
