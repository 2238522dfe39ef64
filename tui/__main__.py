"""``python -m tui``: the same command line as the ``broadsheet`` script."""

from tui.cli import main

main()
