"""Entry point: `earned` / `python -m app` opens the window, or runs a command (see app.cli)."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    # In a frozen bundle, research's page parser (app.research.worker) starts this same executable:
    # this turns that start into the parser child instead of a second Earned. A no-op otherwise.
    multiprocessing.freeze_support()
    from app import cli

    args = cli.build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command:
        return cli.run(args)
    from app.gui import run_gui  # PySide6 is imported only when a window is wanted

    return run_gui(quit_after_startup=args.quit_after_startup)


if __name__ == "__main__":
    sys.exit(main())
