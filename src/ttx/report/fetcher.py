"""The only way a document may load anything: the package's own templates and fonts, and `data:`.

WeasyPrint's default fetcher reads `file:` and `http:` URLs, so a stray tag in a
decision could embed `/etc/passwd` or probe the network. This fetcher serves
files under `ttx/report/templates` and `ttx/report/fonts` (after resolving `..`
and symlinks) and refuses everything else, remembering what it refused.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

REPORT_DIR = Path(__file__).resolve().parent
ASSET_DIRS: tuple[Path, ...] = (REPORT_DIR / "templates", REPORT_DIR / "fonts")
_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".svg": "image/svg+xml"}


class RefusedURL(ValueError):
    """A document asked for something outside the package's own assets."""


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """A URL fetcher that serves only the package's own assets and `data:` URLs."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, **kwargs)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Serve a package asset or a `data:` URL; raise RefusedURL for anything else."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = asset_path(url)
            if path is not None:
                self.served.append(url)
                kind = _TYPES.get(path.suffix.lower()) or (
                    mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                )
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        self.refused.append(url)
        raise RefusedURL(f"ttx documents load only their own assets; refused {url[:200]!r}")


def asset_path(url: str) -> Path | None:
    """The package asset a `file:` URL names, or None when it is anything else."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        path = Path(unquote(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_file():
        return None
    for root in ASSET_DIRS:
        if path.is_relative_to(root.resolve()):
            return path
    return None
