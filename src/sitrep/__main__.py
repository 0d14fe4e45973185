"""`python -m sitrep` runs the CLI."""

from sitrep.cli import main

main()
