"""The record a running server leaves beside its store (`FILE.server.json`), so that a CLI command on a
store the server holds can go through it rather than fail on DuckDB's lock."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ServerAddress:
    url: str  # "http://127.0.0.1:8000"
    pid: int
    token_required: bool


def address_file(db: str | os.PathLike[str]) -> Path:
    return Path(f"{os.fspath(db)}.server.json")


def write_address(db: str | os.PathLike[str], address: ServerAddress) -> Path:
    path = address_file(db)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(
        json.dumps({"url": address.url, "pid": address.pid, "token_required": address.token_required}) + "\n",
        encoding="utf-8",
    )
    os.replace(temporary, path)
    return path


def remove_address(db: str | os.PathLike[str], pid: int) -> None:
    """Remove the record if it is this process's (a second server refused the store leaves the first's)."""
    found = running_server(db, check_alive=False)
    if found is not None and found.pid == pid:
        address_file(db).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def running_server(db: str | os.PathLike[str], *, check_alive: bool = True) -> ServerAddress | None:
    """The server that holds the store at `db`, or None (no record, an unreadable one, or its process
    is gone: a server killed without cleaning up)."""
    try:
        data = json.loads(address_file(db).read_text(encoding="utf-8"))
        address = ServerAddress(str(data["url"]), int(data["pid"]), bool(data.get("token_required")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if check_alive and not _alive(address.pid):
        return None
    return address
