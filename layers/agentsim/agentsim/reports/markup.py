"""The few HTML helpers every part of a report uses: escaped text, elements, and links that
only ever point at http(s) (a provider's URL is third-party text too)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from urllib.parse import urlsplit


def text(value: object) -> str:
    """`value` as HTML text: every `<`, `&` and quote escaped."""
    return escape("" if value is None else str(value), quote=True)


def element(tag: str, body: str = "", **attributes: object) -> str:
    """`<tag attributes>body</tag>`; `body` is HTML already, attribute values are escaped
    (`class_` stands for `class`, `None` or `False` leaves the attribute out)."""
    parts = [tag]
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{text(value)}"')
    return f"<{' '.join(parts)}>{body}</{tag}>"


def joined(parts: Iterable[str]) -> str:
    return "".join(parts)


def web_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL, else None (never a `javascript:` link)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def link(label: str, url: str | None) -> str:
    """A link to `url` (opened without referrer), or the label alone when `url` is no web URL."""
    target = web_url(url)
    if target is None:
        return text(label)
    return element("a", text(label), href=target, rel="noreferrer noopener")


def percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate * 100:.0f} %"
