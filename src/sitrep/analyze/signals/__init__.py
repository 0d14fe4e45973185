"""Signals: unattributed assertions and anonymous sources."""
