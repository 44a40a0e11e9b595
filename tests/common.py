"""Shared checks of the cross-addon tests."""

import shutil


def require_browser():
    """Browser tests must fail, never skip, when the browser or its driver library is missing."""
    missing = []
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        missing.append("chromium (apt-get install chromium)")
    try:
        import websocket  # noqa: F401  pylint: disable=import-outside-toplevel
    except ImportError:
        missing.append("the Python package websocket-client")
    if missing:
        raise RuntimeError("Browser tests cannot run without " + " and ".join(missing))
