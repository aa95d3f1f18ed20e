"""The web edge and the CLI: configuration, the clock, wiring, HTTP problem documents."""
