"""Sergeant: a fast, safe task queue with a gRPC gateway."""

__version__ = "1.0.0a1"
