"""Opening a Redis store's client from its URL: one Redis (``redis://``) or a cluster (``redis+cluster://``).

A cluster URL names a few nodes as seeds, ``redis+cluster://host:port,host:port``: a client (a gateway, a
supervisor returning a dead worker's leases) must be able to start while one of them is down.  Two query
options are Sergeant's, not redis-py's: ``wait_replicas`` and ``wait_timeout_ms`` (docs/scaling.md).
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from typing import Any

import redis
import redis.cluster

from sergeant.errors import InvalidArgument

CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}


@dataclasses.dataclass(frozen=True, slots=True)
class Link:
    cluster: bool
    where: str  # for error messages: "Redis at host" or "Redis Cluster at host:port,..."
    wait_replicas: int  # 0: answer once the master has a write; n: once n replicas have it too (WAIT)
    wait_timeout_ms: int


def connect(url: str) -> tuple[Any, Link]:
    """The redis-py client a URL names, and how it was reached."""
    url, replicas, timeout_ms = _durability_options(url)
    scheme, _, rest = url.partition("://")
    if scheme not in CLUSTER_SCHEMES:
        client: Any = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=60, health_check_interval=30)
        where = f"Redis at {client.connection_pool.connection_kwargs.get('host', '?')}"
        return client, Link(False, where, replicas, timeout_ms)
    authority, path = rest.partition("/")[0], rest[len(rest.partition("/")[0]):]
    login, _, hosts = authority.rpartition("@")
    node: Any = redis.cluster.ClusterNode  # untyped in redis-py
    seeds = [node(*_host_port(h)) for h in hosts.split(",")]
    first = hosts.split(",")[0]
    client = redis.cluster.RedisCluster.from_url(
        f"{CLUSTER_SCHEMES[scheme]}://{login + '@' if login else ''}{first}{path}", startup_nodes=seeds,
        socket_connect_timeout=3, socket_timeout=60)
    where = "Redis Cluster at " + ",".join(f"{n.host}:{n.port}" for n in client.get_nodes())
    return client, Link(True, where, replicas, timeout_ms)


def _durability_options(url: str) -> tuple[str, int, int]:
    """Take ``wait_replicas`` and ``wait_timeout_ms`` out of the URL's query (redis-py would refuse them)."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    ours = {k: v for k, v in query if k in ("wait_replicas", "wait_timeout_ms")}
    try:
        replicas, timeout_ms = int(ours.get("wait_replicas", 0)), int(ours.get("wait_timeout_ms", 1000))
    except ValueError as exc:
        raise InvalidArgument(f"wait_replicas and wait_timeout_ms take whole numbers: {exc}",
                              op="redis.open") from None
    rest = urllib.parse.urlencode([(k, v) for k, v in query if k not in ours])
    return urllib.parse.urlunsplit(parts._replace(query=rest)), replicas, timeout_ms


def _host_port(seed: str) -> tuple[str, int]:
    host, _, port = seed.rpartition(":")
    return (host, int(port)) if host else (seed, 6379)
