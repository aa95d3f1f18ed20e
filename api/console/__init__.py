"""The operators' web console under ``/console/`` (``api.console.web`` registers it on the app)."""
