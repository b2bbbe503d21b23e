"""What the scanner needs that the readers do not expose: embedded images by zone (header,
footer, slide master and layout, cover) and PDF XMP metadata — read under the readers' limits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from clauselint.documents.limits import Limits
from clauselint.errors import DocumentError

# Images worth hashing are logos: a few per zone. Caps keep a deck of 300 photos cheap.
MAX_IMAGES = 40
MAX_IMAGE_BYTES = 20 * 1024 * 1024
BODY_IMAGES = 3  # the first images of the body (a cover logo comes first)
PDF_IMAGE_PAGES = 2
MAX_IMAGE_PIXELS = 40_000_000

_EMBED_RE = re.compile(rb'(?:r:embed|r:link|r:id)="([^"]+)"')
_ODF_HREF_RE = re.compile(rb'xlink:href="(Pictures/[^"]+)"')

FIX = "ouvrez-le dans son logiciel et enregistrez-le à nouveau"


@dataclass
class ImageRef:
    name: str  # the part name inside the package, or "page 1 / Im0" for a PDF
    zone: str  # "header", "footer", "master", "layout", "cover", "body", "page"
    data: bytes = b""


@dataclass
class Extras:
    images: list[ImageRef] = field(default_factory=list)
    xmp: list[tuple[str, str]] = field(default_factory=list)  # (property, value) from PDF XMP
    notes: list[str] = field(default_factory=list)  # what could not be analysed (French)


def _safezip(path: Path, limits: Limits):
    from clauselint.documents.safety import SafeZip

    return SafeZip(path, limits, FIX)


def _rels(package, part: str) -> dict[str, str]:
    from clauselint.documents.ooxml import relationships

    return {rid: target for rid, _kind, target in relationships(package, part)}


def _rels_typed(package, part: str) -> list[tuple[str, str, str]]:
    from clauselint.documents.ooxml import relationships

    return relationships(package, part)


def _is_image(name: str) -> bool:
    return "/media/" in name or name.startswith("Pictures/")


def _add_image(extras: Extras, package, name: str, zone: str, seen: set[str]) -> None:
    if name in seen or len(extras.images) >= MAX_IMAGES or not _is_image(name):
        return
    seen.add(name)
    size = package.declared_size(name)
    if size is None:
        return
    if size > MAX_IMAGE_BYTES:
        extras.notes.append(f"image trop volumineuse non analysée : {name}")
        return
    data = package.read(name)
    if data:
        extras.images.append(ImageRef(name, zone, data))


def _images_of_part(extras: Extras, package, part: str, zone: str, seen: set[str], limit: int | None = None) -> None:
    data = package.read(part)
    if not data:
        return
    rels = _rels(package, part)
    added = 0
    for rid in _EMBED_RE.findall(data):
        target = rels.get(rid.decode("ascii", "replace"))
        if target and _is_image(target) and target not in seen:
            _add_image(extras, package, target, zone, seen)
            added += 1
            if limit is not None and added >= limit:
                break


def _docx(path: Path, limits: Limits) -> Extras:
    extras = Extras()
    seen: set[str] = set()
    with _safezip(path, limits) as package:
        main = next((t for _, k, t in _rels_typed(package, "") if k == "officeDocument"), "word/document.xml")
        for _rid, kind, target in _rels_typed(package, main):
            if kind in ("header", "footer"):
                _images_of_part(extras, package, target, kind, seen)
        _images_of_part(extras, package, main, "body", seen, limit=BODY_IMAGES)
    return extras


def _slide_number(name: str) -> int:
    match = re.search(r"(\d+)\.xml$", name)
    return int(match.group(1)) if match else 0


def _pptx(path: Path, limits: Limits) -> Extras:
    extras = Extras()
    seen: set[str] = set()
    with _safezip(path, limits) as package:
        names = package.names()
        pres = next((t for _, k, t in _rels_typed(package, "") if k == "officeDocument"), "ppt/presentation.xml")
        slides = sorted((t for _, k, t in _rels_typed(package, pres) if k == "slide"), key=_slide_number)
        masters = sorted(n for n in names if re.fullmatch(r"ppt/slideMasters/slideMaster\d+\.xml", n))
        layouts = sorted(n for n in names if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", n))
        for zone, parts in (("master", masters), ("layout", layouts)):
            for part in parts:
                _images_of_part(extras, package, part, zone, seen)
        if slides:
            _images_of_part(extras, package, slides[0], "cover", seen)
    return extras


def _odt(path: Path, limits: Limits) -> Extras:
    extras = Extras()
    seen: set[str] = set()
    with _safezip(path, limits) as package:
        styles = package.read("styles.xml") or b""
        for href in _ODF_HREF_RE.findall(styles):
            _add_image(extras, package, href.decode("utf-8", "replace"), "header", seen)
        content = package.read("content.xml") or b""
        for href in _ODF_HREF_RE.findall(content)[:BODY_IMAGES]:
            _add_image(extras, package, href.decode("utf-8", "replace"), "body", seen)
    return extras


def _xmp_values(root) -> Iterator[tuple[str, str]]:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        text = (element.text or "").strip()
        name = element.tag.rpartition("}")[2]
        if text and name not in ("li", "Seq", "Bag", "Alt"):
            yield name, text
        elif text and name == "li":
            parent = element.getparent().getparent() if element.getparent() is not None else None
            owner = parent.tag.rpartition("}")[2] if parent is not None and isinstance(parent.tag, str) else "li"
            yield owner, text
        for key, value in element.attrib.items():
            local = key.rpartition("}")[2]
            if value.strip() and local not in ("about", "lang", "parseType", "resource"):
                yield local, value.strip()


def _pdf(path: Path, limits: Limits) -> Extras:
    from pypdf import PdfReader

    from clauselint.documents.safety import parse_xml

    extras = Extras()
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            return extras  # the reader reports it; nothing more to learn here
        root = reader.trailer["/Root"]
        metadata = root.get("/Metadata") if hasattr(root, "get") else None
        if metadata is not None:
            stream = metadata.get_object()
            data = stream.get_data()
            if len(data) <= 4 * 1024 * 1024:
                try:
                    extras.xmp = list(_xmp_values(parse_xml(data, path, "XMP", FIX)))
                except DocumentError as exc:
                    extras.notes.append(f"métadonnées XMP illisibles ({exc.message})")
        for number, page in enumerate(reader.pages[:PDF_IMAGE_PAGES], 1):
            for ref in _pdf_page_images(page, number, extras):
                if len(extras.images) >= MAX_IMAGES:
                    break
                extras.images.append(ref)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file; images are a bonus
        extras.notes.append(f"images ou XMP du PDF illisibles ({type(exc).__name__})")
    return extras


def _pdf_page_images(page, number: int, extras: Extras) -> Iterator[ImageRef]:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return
    xobjects = xobjects.get_object()
    wanted = []
    for key in list(xobjects.keys())[:MAX_IMAGES]:
        obj = xobjects[key].get_object()
        if obj.get("/Subtype") != "/Image":
            continue
        width, height = int(obj.get("/Width", 0) or 0), int(obj.get("/Height", 0) or 0)
        if width * height > MAX_IMAGE_PIXELS:
            extras.notes.append(f"image trop grande non analysée : page {number} {key}")
            continue
        if width < 16 or height < 16:
            continue
        wanted.append(key.lstrip("/"))
    if not wanted:
        return
    for image in page.images:
        base = image.name.rsplit(".", 1)[0]
        if base not in wanted:
            continue
        try:
            buffer = image.data
        except Exception:  # noqa: BLE001 — an undecodable image is skipped, not fatal
            extras.notes.append(f"image illisible : page {number} {base}")
            continue
        yield ImageRef(f"page {number} / {base}", "page", buffer)


def read_extras(path: Path, fmt: str, limits: Limits) -> Extras:
    """Images by zone, pptx masters and footers, PDF XMP; empty for text formats."""
    if fmt == "docx":
        return _docx(path, limits)
    if fmt == "pptx":
        return _pptx(path, limits)
    if fmt == "odt":
        return _odt(path, limits)
    if fmt == "pdf":
        return _pdf(path, limits)
    return Extras()
