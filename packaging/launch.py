"""The bundle's entry point (PyInstaller runs a script, not a module)."""
import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
