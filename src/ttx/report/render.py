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

from ttx.errors import TtxError
from ttx.report.libraries import import_weasyprint
from ttx.report.templates import TEMPLATES

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF (PDF/UA-1): structure, document language and title for screen readers."""


class RenderError(TtxError):
    """A document could not be rendered or written; the message is for the user (exit code 1)."""


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


class _PageReferences:
    """`pydyf.PDF.page_references`, computed once per page count instead of on every read.

    pydyf 0.13 builds a new tuple of every page's reference each time the property
    is read, and WeasyPrint 70's tagging (`weasyprint/pdf/tags.py`) reads it for
    every structure element: pages x elements, quadratic in the document's length.
    Pages are only ever appended (`PDF.add_page`), so the tuple stays right while
    the number of page entries is unchanged; a new page computes it again.
    """

    def __init__(self, original: property) -> None:
        self.original = original

    def __get__(self, pdf: Any, owner: type | None = None) -> Any:
        if pdf is None:
            return self
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_ttx_page_references")
        if cached is None or cached[0] is not kids or cached[1] != len(kids):
            assert self.original.fget is not None
            cached = (kids, len(kids), self.original.fget(pdf))
            pdf.__dict__["_ttx_page_references"] = cached
        return cached[2]


def _cache_page_references() -> None:
    import pydyf  # type: ignore[import-untyped]

    current = pydyf.PDF.__dict__.get("page_references")
    if isinstance(current, property):
        pydyf.PDF.page_references = _PageReferences(current)  # type: ignore[assignment,method-assign]


_WRITE_CACHE: dict[int, tuple[Any, bytes]] | None = None
"""Each numbered object's bytes while `pydyf.PDF.write` runs; `None` at any other time."""


class _SerializedOnce:
    """An object's `data` property that, while a PDF is being written, is computed once.

    pydyf 0.13's `PDF.write`, given an identifier (we always give one, for
    reproducible files), serializes every object a second time to hash the file:
    every dictionary of the tagged structure tree, and every stream compressed
    again at level 9. Nothing changes an object during `write`, so its bytes are
    kept from the first time and given again; the file is byte for byte the same.
    Only numbered (indirect) objects are kept, each with the object itself, so a
    temporary object never answers for another that reuses its `id`.
    """

    def __init__(self, original: property) -> None:
        self.original = original

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        assert self.original.fget is not None
        cache = _WRITE_CACHE
        if cache is None or getattr(obj, "number", None) is None:
            return self.original.fget(obj)
        hit = cache.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        data = self.original.fget(obj)
        cache[id(obj)] = (obj, data)
        return data


def _serialize_once(pdf_class: Any) -> None:
    """Make `pdf_class.write` compute each object's bytes once (see `_SerializedOnce`)."""
    original = pdf_class.write
    if getattr(original, "_ttx_once", False):
        return

    def write(self: Any, *args: Any, **kwargs: Any) -> Any:
        global _WRITE_CACHE
        for kind in {type(obj) for obj in self.objects}:
            for klass in kind.__mro__:
                prop = klass.__dict__.get("data")
                if isinstance(prop, property):
                    klass.data = _SerializedOnce(prop)  # type: ignore[attr-defined]
                if prop is not None:
                    break
        _WRITE_CACHE = {}
        try:
            return original(self, *args, **kwargs)
        finally:
            _WRITE_CACHE = None

    write._ttx_once = True  # type: ignore[attr-defined]
    write.__wrapped__ = original  # type: ignore[attr-defined]
    pdf_class.write = write


def _weasyprint() -> Any:
    weasyprint = import_weasyprint()
    import weasyprint.pdf.fonts as pdf_fonts

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if not isinstance(pdf_fonts.ffi, _OpenArrayFFI):
        pdf_fonts.ffi = _OpenArrayFFI(pdf_fonts.ffi)
    _cache_page_references()
    import pydyf

    _serialize_once(pydyf.PDF)
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
