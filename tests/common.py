"""Shared checks of the cross-addon tests."""

import shutil
import unittest


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


def require_pdftotext():
    """The PDF text checks need pdftotext (poppler-utils): skip them with the reason when it is missing."""
    if not shutil.which("pdftotext"):
        raise unittest.SkipTest("The PDF documents are read with pdftotext: apt-get install poppler-utils")
