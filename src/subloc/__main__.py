"""``python -m subloc``: the command line."""

from subloc.cli import main

main()
