"""weiquan's engine: text → scenario → facts → verdict. No UI code lives here."""


def version() -> str:
    """The installed version (looked up only when asked: importlib.metadata costs ~30 ms at start-up)."""
    from importlib.metadata import PackageNotFoundError, version as _version

    try:
        return _version("weiquan")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0+source"
