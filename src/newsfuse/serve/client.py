"""The CLI's read commands through a running server (the one process that may hold a store)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

from newsfuse.errors import NewsfuseError
from newsfuse.serve.address import ServerAddress

PAGE = 200


def get_json(server: ServerAddress, path: str, params: dict[str, Any] | None = None) -> Any:
    """GET `path` of the server as JSON. Raises NewsfuseError with the server's own error message."""
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    url = f"{server.url}{path}{query}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (a loopback http URL)
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read())["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = f"HTTP {exc.code}"
        raise NewsfuseError(message) from None
    except (urllib.error.URLError, OSError) as exc:
        raise NewsfuseError(
            f"the store is held by the newsfuse server at {server.url} (pid {server.pid}), which does not "
            f"answer ({getattr(exc, 'reason', exc)}); wait, or stop that server"
        ) from None


def paged(server: ServerAddress, path: str, params: dict[str, Any] | None = None) -> Iterator[Any]:
    """Every item of a paged listing (`{items, total, offset, limit}`), a page at a time."""
    offset = 0
    while True:
        page = get_json(server, path, {**(params or {}), "offset": offset, "limit": PAGE})
        yield from page["items"]
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            return
