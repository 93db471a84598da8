"""The gRPC gateway: producers, worker sessions and operations over one store."""
