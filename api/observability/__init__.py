"""Operational signals of a running service: Prometheus metrics, readiness, structured request logs."""
