"""Analysis: the stages that turn an article into entities, places, actors, dates, numbers."""
