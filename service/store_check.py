"""Whether a worker leases from its gateway's store: one on another store would look healthy and run nothing.

A worker's hello carries its store's identity (kind, location, key prefix).  The kind, the key prefix and the
database must match: the SQLite file's absolute path, the Redis db number, the MongoDB database.  Server hosts
are compared only where the answer is certain, as a gateway and its workers may reach one server by different
names (localhost and an IP, a container's service name): two loopback addresses on different ports are two servers.
"""

from __future__ import annotations

from sergeant.errors import StoreMismatch
from sergeant.store.base import StoreIdentity
from sergeant.v1 import worker_pb2

_LOOPBACK = ("localhost", "127.", "::1", "[::1]")


def _servers(identity: StoreIdentity) -> tuple[str, str]:
    """(servers, database) of a network store's location: "h1:p1,h2:p2/db"."""
    servers, _, database = identity.location.rpartition("/")
    return servers, database


def _loopback_ports(servers: str) -> frozenset[str] | None:
    """The ports, when every server is on this machine's loopback; None otherwise."""
    ports = set()
    for server in servers.split(","):
        host, _, port = server.rpartition(":")
        if not host.startswith(_LOOPBACK):
            return None
        ports.add(port)
    return frozenset(ports)


_CLUSTER = "cluster "  # how a Redis Cluster's identity begins (RedisStore.identity)


def same_store(a: StoreIdentity, b: StoreIdentity) -> bool:
    if (a.kind, a.key_prefix) != (b.kind, b.key_prefix):
        return False
    # A SQLite file is its path; a Redis Cluster is its cluster id (its nodes change with failovers and reshards).
    if a.kind == "sqlite" or a.location.startswith(_CLUSTER) or b.location.startswith(_CLUSTER):
        return a.location == b.location
    (a_servers, a_database), (b_servers, b_database) = _servers(a), _servers(b)
    a_ports, b_ports = _loopback_ports(a_servers), _loopback_ports(b_servers)
    if a_ports is not None and b_ports is not None and not a_ports & b_ports:
        return False
    return a_database == b_database


def check_worker_store(hello: worker_pb2.Hello, ours: StoreIdentity) -> None:
    """Refuse a worker on another store or namespace; let in one whose hello has no store (an older worker)."""
    if not hello.HasField("store"):
        return
    theirs = StoreIdentity(hello.store.kind, hello.store.location, hello.store.key_prefix)
    if not same_store(theirs, ours):
        raise StoreMismatch(
            f"this worker uses {theirs}, but this gateway uses {ours}; give the worker the gateway's store "
            "(sergeant supervise --store and --key-prefix, or SERGEANT_STORE and SERGEANT_KEY_PREFIX)",
            op="Workers.Session", queue=hello.queue)
