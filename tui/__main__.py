"""``python -m tui``: the same command line as the ``broadsheet`` script."""

from tui.cli import main

if __name__ == "__main__":  # indexing workers are spawned: they import this module too
    main()
