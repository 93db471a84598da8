"""Stores: one protocol (``base.Store``), three backends, chosen by URL."""

from __future__ import annotations

import os

from sergeant.errors import InvalidArgument
from sergeant.store.base import Clock, Store, StoreSettings

DEFAULT_STORE_URL = "sqlite:///sergeant.db"


def open_store(url: str | None = None, settings: StoreSettings | None = None, clock: Clock | None = None) -> Store:
    """Open the store a URL names: ``redis://``, ``rediss://``, ``mongodb://`` or ``sqlite:///path``.

    A Redis Cluster is ``redis+cluster://host:port,host:port`` (or ``rediss+cluster://``): a few nodes as seeds
    (any one that answers will do; the client discovers the others).  ``?wait_replicas=1&wait_timeout_ms=1000``
    answers a push or an outcome only once that many replicas hold it (Redis ``WAIT``), on one Redis too; other
    query options are redis-py's.  ``docs/scaling.md`` tells how to move from one Redis to a cluster.

    With no URL, ``$SERGEANT_STORE`` or the embedded SQLite default is used.
    """
    url = url or os.environ.get("SERGEANT_STORE") or DEFAULT_STORE_URL
    settings = settings or StoreSettings()
    scheme = url.partition("://")[0]
    if scheme in ("redis", "rediss", "unix", "redis+cluster", "rediss+cluster"):
        from sergeant.store.redis_store import RedisStore

        return RedisStore(url, settings, clock=clock)
    if scheme in ("mongodb", "mongodb+srv"):
        from sergeant.store.mongo_store import MongoStore

        return MongoStore(url, settings, clock=clock)
    if scheme == "sqlite":
        from sergeant.store.sqlite_store import SQLiteStore

        # sqlite:///relative.db and sqlite:////absolute/path.db, as SQLAlchemy spells them
        return SQLiteStore(url.removeprefix("sqlite:///"), settings, clock=clock)
    raise InvalidArgument(
        f"unsupported store URL {url!r}: use redis://, rediss://, redis+cluster://, mongodb:// or sqlite:///path",
        op="open_store",
    )
