"""Mentions: entities, places, actors, dates and numbers."""
