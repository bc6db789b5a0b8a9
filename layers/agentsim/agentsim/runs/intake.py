"""A request's raw parts, checked before anything parses them: body size, media type, UTF-8,
JSON syntax and nesting, and text that cannot be stored.

Bodies are read as I-JSON (RFC 7493, https://www.rfc-editor.org/rfc/rfc7493): UTF-8, no lone
surrogates, unique member names, no NaN or Infinity. A body that breaks one of these, or nests
past `MAX_JSON_DEPTH`, is refused as a whole (`BodyMalformed`, 400) before any model sees it;
the fields of a readable document are the envelope's to judge (422).

The size limit keeps a stored run within one DynamoDB item (400 KB): a body of `MAX_BODY_BYTES`
stores in at most about 1.5 times as many bytes (DynamoDB counts a byte per list element and
per number digit pair, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/
CapacityUnitCalculations.html), with ample room left for the record's own fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

from agentsim.providers.storable import has_lone_surrogate
from agentsim.runs.errors import BodyMalformed, BodyTooLarge, MediaTypeUnsupported, Problem

MAX_BODY_BYTES = 65_536
MAX_SUITE_BODY_BYTES = 1_048_576
"""A suite's body: its runs are stored one record each, so only each run has `MAX_BODY_BYTES`'
reason to be small (`agentsim.suites.request` bounds each run's stored size)."""
MAX_JSON_DEPTH = 32
"""Nesting of a whole request body: DynamoDB stores documents at most 32 levels deep."""
JSON_MEDIA_TYPE = "application/json"
CONTENT_TYPE_PATH = "headers.Content-Type"
BODY_PATH = "body"
MAX_REPORTED = 10
"""Problems listed at most per answer: enough to fix a request, bounded for a hostile one."""

# A JSON string (an unterminated one runs to the end, so scanning stays linear) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*+"?|[\[\]{}]')
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _malformed(problem: str, path: str = BODY_PATH) -> BodyMalformed:
    return BodyMalformed("malformed request body", [Problem(path, problem)])


def check_size(size: int, limit: int = MAX_BODY_BYTES) -> None:
    """Raise BodyTooLarge when a body of `size` bytes is over `limit`."""
    if size > limit:
        raise BodyTooLarge(
            "request body too large",
            [Problem(BODY_PATH, f"must be at most {limit} bytes")],
        )


def check_media_type(content_type: str | None) -> None:
    """Raise MediaTypeUnsupported unless the body is JSON (or untyped, taken as JSON) in UTF-8."""
    if content_type is None or not content_type.strip():
        return
    media, *params = (part.strip().lower() for part in content_type.split(";"))
    charsets = [p.partition("=")[2].strip('"') for p in params if p.startswith("charset=")]
    if media == JSON_MEDIA_TYPE and all(c == "utf-8" for c in charsets):
        return
    raise MediaTypeUnsupported(
        "unsupported media type",
        [Problem(CONTENT_TYPE_PATH, f"must be {JSON_MEDIA_TYPE} (UTF-8)")],
    )


def _depth(text: str) -> int:
    """How deep `text` nests arrays and objects (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return 0  # cannot nest deeper than its brackets: no scan needed
    brackets = (m.group() for m in _TOKENS.finditer(text))
    steps = (1 if b in "[{" else -1 for b in brackets if b in "[]{}")
    return max(accumulate(steps), default=0)


class _NotIJson(ValueError):
    """Raised by the parser's hooks for what RFC 8259 parses but I-JSON forbids."""


def _no_constants(name: str) -> Any:
    raise _NotIJson(f"{name} is not a JSON number")


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise _NotIJson("an object repeats a member name")
    return members


def _dotted(path: Iterable[str | int]) -> str:
    return ".".join(str(part) for part in path) or BODY_PATH


def document_problems(document: Any) -> list[Problem]:
    """What in a parsed document could not be stored: lone surrogates in keys or strings, and
    nesting past MAX_JSON_DEPTH. One Problem per place (a key's place is its object's).

    Iterative, so a document from elsewhere (an event, a record) cannot exhaust the stack.
    """
    problems: list[Problem] = []
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while pending and len(problems) < MAX_REPORTED:
        path, value = pending.pop()
        found: Problem | None = None
        if isinstance(value, str):
            if has_lone_surrogate(value):
                found = Problem(_dotted(path), "must be valid Unicode (no lone surrogate)")
        elif isinstance(value, list | dict):
            if len(path) >= MAX_JSON_DEPTH:
                found = Problem(_dotted(path), f"must nest at most {MAX_JSON_DEPTH} levels")
            else:
                items = list(enumerate(value) if isinstance(value, list) else value.items())
                valid = [
                    (k, v) for k, v in items if not (isinstance(k, str) and has_lone_surrogate(k))
                ]
                if len(valid) < len(items):  # reported here; never part of a path below
                    found = Problem(_dotted(path), "keys must be valid Unicode")
                # reversed onto the stack, so problems come in document order
                pending.extend(((*path, key), item) for key, item in reversed(valid))
        if found is not None and found not in problems:
            problems.append(found)
    return problems


def read_json(
    body: bytes, content_type: str | None = None, *, max_bytes: int = MAX_BODY_BYTES
) -> Any:
    """The JSON document in `body` (None for an empty body), read as I-JSON within the limits;
    a `content_type`, when given, must be JSON.

    Raises BodyTooLarge, MediaTypeUnsupported or BodyMalformed naming what is wrong.
    """
    check_size(len(body), max_bytes)
    check_media_type(content_type)  # even without a body: a form type makes Powertools parse one
    if not body:
        return None
    try:
        text = body.decode("utf-8")  # strict: also refuses UTF-8-encoded surrogates
    except UnicodeDecodeError as exc:
        raise _malformed(f"must be UTF-8 (invalid byte at offset {exc.start})") from None
    if _depth(text) > MAX_JSON_DEPTH:
        raise _malformed(f"must nest at most {MAX_JSON_DEPTH} levels")
    try:
        document = json.loads(text, parse_constant=_no_constants, object_pairs_hook=_unique_members)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise _malformed(f"not valid JSON: {exc.msg} ({where})") from None
    except _NotIJson as exc:
        raise _malformed(f"not valid JSON: {exc}") from None
    except ValueError:  # an integer past Python's digit limit (sys.get_int_max_str_digits)
        raise _malformed("not valid JSON: a number has too many digits") from None
    if _SURROGATE_ESCAPE.search(text):
        problems = document_problems(document)
        if problems:
            raise BodyMalformed("malformed request body", problems)
    return document


def parameter_problems(kind: str, values: Iterable[tuple[str, str]]) -> list[Problem]:
    """A Problem per query, path or header value that is not valid Unicode (`kind.name`)."""
    problems: list[Problem] = []
    for name, value in values:
        if has_lone_surrogate(name) or has_lone_surrogate(value):
            printable = name.encode("utf-8", "replace").decode("utf-8")
            problem = Problem(f"{kind}.{printable}", "must be valid Unicode")
            if problem not in problems:
                problems.append(problem)
    return problems[:MAX_REPORTED]
