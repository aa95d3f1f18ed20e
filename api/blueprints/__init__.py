"""Thin Flask blueprints: read the request, call the domain, shape the JSON. No rules live here."""
