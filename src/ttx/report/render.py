"""HTML to PDF with WeasyPrint, safely and reproducibly, and the atomic write of the result.

Runs inside the rendering worker process (`ttx.report.worker`), never in the
UI process: `weasyprint` is imported here only, on first use. Every render gets
the asset-only fetcher, a PDF/UA (tagged) variant and an identifier derived
from the HTML, so the same input always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ttx.report.templates import TEMPLATES

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF (PDF/UA-1): structure, document language and title for screen readers."""


class RenderError(Exception):
    """A document could not be rendered or written; the message is for the user."""


_font_config: Any = None


_SIZED_ARRAY = re.compile(r"^(\w+)\[\d+\]$")


class _OpenArrayFFI:
    """The cffi object WeasyPrint's font subsetter uses, asking for open arrays (`T[]`).

    WeasyPrint 70 writes `ffi.new(f"hb_codepoint_t[{n}]", ...)`: every new length
    is a new C type that cffi parses with pycparser (~15 ms each, two per font face
    per document, ~20 % of a short document). `T[]` with the same initialiser
    gives the same array, and its type is parsed once.
    """

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def new(self, cdecl: str, init: Any = None) -> Any:
        """`ffi.new`, with a sized array type turned into an open one when it has an initialiser."""
        match = _SIZED_ARRAY.match(cdecl) if isinstance(init, (list, tuple)) else None
        if match is not None:
            return self._ffi.new(f"{match.group(1)}[]", list(init))
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)


def _weasyprint() -> Any:
    import weasyprint
    import weasyprint.pdf.fonts as pdf_fonts

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if not isinstance(pdf_fonts.ffi, _OpenArrayFFI):
        pdf_fonts.ffi = _OpenArrayFFI(pdf_fonts.ffi)
    return weasyprint


def render_pdf(html: str) -> tuple[bytes, list[str]]:
    """The PDF bytes of one HTML document, and the URLs the fetcher refused."""
    global _font_config
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    from ttx.report.fetcher import AssetFetcher

    if _font_config is None:
        _font_config = FontConfiguration()
    fetcher = AssetFetcher()
    document = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    data = document.write_pdf(
        font_config=_font_config,
        pdf_variant=PDF_VARIANT,
        pdf_identifier=identifier,
        uncompressed_pdf=False,
    )
    if not isinstance(data, bytes):
        raise RenderError("the PDF renderer returned nothing")
    return data, list(fetcher.refused)


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
