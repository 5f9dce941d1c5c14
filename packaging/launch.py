"""Entry point of the frozen app: the same `workbench` command as the installed package."""

import multiprocessing
import sys

from workbench.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless unless a library starts worker processes
    sys.exit(main())
