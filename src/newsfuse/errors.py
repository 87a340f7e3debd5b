"""One exception tree. Messages say what went wrong, with which input, and what to do."""

from __future__ import annotations


class NewsfuseError(Exception):
    """Base of every error newsfuse raises on purpose. The CLI prints these as one line and exits 2."""


class InputError(NewsfuseError):
    """An input the user gave cannot be read: a missing file, an unknown format, a malformed record."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(NewsfuseError):
    """A setting has a value newsfuse cannot use."""


class OutputError(NewsfuseError):
    """The output folder cannot be created or written."""


class StoreError(NewsfuseError):
    """The database cannot be opened or written."""


class NotFoundError(NewsfuseError):
    """A story or article id that is not in the store."""


class StoreBusyError(StoreError):
    """Another process holds the store (DuckDB lets one process write, or several read, not both)."""


class StoreOutdatedError(StoreError):
    """The store's schema is older than this newsfuse's and it was opened read-only, so not upgraded."""
