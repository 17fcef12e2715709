"""weiquan's engine: text → scenario → facts → verdict. No UI code lives here."""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("weiquan")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
