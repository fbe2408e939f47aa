"""SVG drawings as exercise pictures: parsed with defusedxml, self-contained or refused.

A drawing may only refer to itself. It is refused when it declares a DTD or
entities, holds a script, an event handler (`onclick=`), a `foreignObject`
(embedded HTML), or points anywhere but at its own parts: every `href`/`xlink:href`
must be a `#fragment`, and every `url(...)` in an attribute or a style sheet must be
`url(#fragment)`. Nothing it names is ever fetched.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object"})
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_IMPORT = re.compile(r"@import", re.IGNORECASE)


def looks_like_svg(data: bytes, name: str) -> bool:
    """True when a file is meant as an SVG drawing (by its start, or by its name)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return b"<svg" in head or head.startswith(b"<?xml") or name.lower().endswith(".svg")


def svg_problem(data: bytes) -> str | None:
    """Why an SVG drawing cannot be shown (a phrase), or None when it is safe and self-contained."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        return "declares a DTD or entities, which may reach other files"
    except ParseError as exc:
        return f"is not well-formed SVG ({exc})"
    if not isinstance(root, Element) or _local(root.tag) != "svg":
        return "is XML but not an SVG drawing (its root is not <svg>)"
    for element in root.iter():
        problem = _element_problem(element)
        if problem is not None:
            return problem
    return None


def _local(tag: object) -> str:
    """An element's or attribute's name without its namespace, lower-cased."""
    text = str(tag)
    return text.rsplit("}", 1)[-1].lower()


def _element_problem(element: Element) -> str | None:
    name = _local(element.tag)
    if name in _FORBIDDEN_ELEMENTS:
        return f"holds a <{name}> element, which could run or load something"
    for key, value in element.attrib.items():
        attribute = _local(key)
        if attribute.startswith("on"):
            return f"has an event handler ({attribute}=), which could run a script"
        if attribute == "href" and not value.strip().startswith("#"):
            return f"refers to '{_clip(value)}' outside the drawing"
        outside = _outside_url(value)
        if outside is not None:
            return f"refers to '{_clip(outside)}' outside the drawing"
    if name == "style":
        text = element.text or ""
        if _IMPORT.search(text):
            return "imports a style sheet from outside the drawing"
        outside = _outside_url(text)
        if outside is not None:
            return f"refers to '{_clip(outside)}' outside the drawing"
    return None


def _outside_url(text: str) -> str | None:
    """The first `url(...)` in a text that is not a `#fragment`, or None."""
    for target in _URL.findall(text):
        if not target.startswith("#"):
            return target or "url()"
    return None


def _clip(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
