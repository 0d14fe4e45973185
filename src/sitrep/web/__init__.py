"""`sitrep serve`: the web app and JSON API over a ledger."""

from sitrep.web.app import create_app

__all__ = ["create_app"]
