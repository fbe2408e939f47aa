"""HTML to PDF with WeasyPrint, safely and reproducibly, and the atomic write of the result.

Runs inside the rendering worker process (`ttx.report.worker`), never in the
UI process: `weasyprint` is imported here only, on first use. Every render gets
the asset-only fetcher and the PDF/UA (tagged) variant, then one post-processing
step (`ttx.report.pdf_tags.finish_tags`: table header scopes). WeasyPrint is used
as it ships, unpatched; its output is byte-identical for the same HTML.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from ttx.errors import TtxError
from ttx.report.libraries import import_weasyprint
from ttx.report.templates import TEMPLATES

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF (PDF/UA-1): structure, document language and title for screen readers."""


class RenderError(TtxError):
    """A document could not be rendered or written; the message is for the user (exit code 1)."""


_font_config: Any = None


def _weasyprint() -> Any:
    weasyprint = import_weasyprint()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


_warm = False


def warm_up() -> None:
    """Import WeasyPrint and load the fonts (once), so that the next render starts at once."""
    global _warm
    if not _warm:
        render_pdf(_WARM_UP)
        _warm = True


_WARM_UP = (
    '<html lang="en"><head><title>warm-up</title><link rel="stylesheet" href="base/base.css">'
    "</head><body><h1>Á</h1><p>ñ <em>¿</em> <strong>x</strong> <code>x</code></p></body></html>"
)


def render_document(html: str, fetcher: Any = None) -> Any:
    """WeasyPrint's laid-out pages of one HTML document (a `weasyprint.Document`)."""
    global _font_config
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    from ttx.report.fetcher import AssetFetcher

    if _font_config is None:
        _font_config = FontConfiguration()
    document = weasyprint.HTML(
        string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher or AssetFetcher()
    )
    return document.render(font_config=_font_config, pdf_variant=PDF_VARIANT)


def render_pdf(html: str) -> tuple[bytes, list[str]]:
    """The PDF bytes of one HTML document, and the URLs the fetcher refused."""
    from ttx.report.fetcher import AssetFetcher
    from ttx.report.pdf_tags import finish_tags

    fetcher = AssetFetcher()
    data = render_document(html, fetcher).write_pdf(pdf_variant=PDF_VARIANT)
    if not isinstance(data, bytes):
        raise RenderError("the PDF renderer returned nothing")
    return finish_tags(data), list(fetcher.refused)


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `target`, flush it to disk, then move it into place."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise RenderError(f"cannot write to {target.parent}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from exc
