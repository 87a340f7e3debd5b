"""`newsfuse serve`: the HTTP API and pages over one store (see app.py), run by uvicorn."""

from __future__ import annotations

import ipaddress
import os
import signal
import sys

from newsfuse.config import Settings
from newsfuse.errors import NewsfuseError

__all__ = ["is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    """Whether `host` names only this machine: localhost or a loopback address (127.0.0.0/8, ::1)."""
    if host.lower() in {"localhost", "localhost."}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    db: str,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    max_body_bytes: int = 8 << 20,
    max_articles: int = 100,
) -> None:
    """Serve the store at `db` until interrupted. Raises NewsfuseError (the CLI's exit 2) when the host is
    not loopback and no token is given, or the store is held by another process."""
    if not is_loopback(host) and not token:
        raise NewsfuseError(
            f"refusing to serve on {host}, which other machines can reach, without a token: "
            "give --token SECRET (write routes then require it), or serve on 127.0.0.1"
        )
    import uvicorn

    from newsfuse.serve.address import ServerAddress, remove_address, running_server, write_address
    from newsfuse.serve.app import create_app
    from newsfuse.serve.newsroom import Newsroom

    other = running_server(db)
    if other is not None:
        raise NewsfuseError(
            f"{db} is already served at {other.url} (pid {other.pid}); stop that server first"
        )
    newsroom = Newsroom.open(db, settings, max_articles)
    newsroom.warm()
    app = create_app(newsroom, token=token, max_body_bytes=max_body_bytes, max_articles=max_articles)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}"
    # uvicorn shuts down on SIGINT and SIGTERM, then raises the signal again under the handler found
    # before it: SIGTERM's default would end the process before the address record is removed.
    previous = signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        write_address(db, ServerAddress(url, os.getpid(), token is not None))
        print(f"newsfuse: serving {db} at {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
        uvicorn.Server(config).run()
    except KeyboardInterrupt:
        pass
    finally:
        remove_address(db, os.getpid())
        newsroom.close()
        signal.signal(signal.SIGTERM, previous)
        print("newsfuse: server stopped", file=sys.stderr)


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)
