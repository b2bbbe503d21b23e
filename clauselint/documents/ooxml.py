"""What .docx and .pptx share: package relationships and the core, app and custom properties."""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from clauselint.documents.safety import SafeZip
from clauselint.documents.structure import BlockBuilder

NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_DCTERMS = "http://purl.org/dc/terms/"
NS_APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"

_CORE_KEYS = {
    f"{{{NS_DC}}}title": "title",
    f"{{{NS_DC}}}subject": "subject",
    f"{{{NS_DC}}}creator": "creator",
    f"{{{NS_DC}}}description": "description",
    f"{{{NS_DC}}}language": "language",
    f"{{{NS_CP}}}keywords": "keywords",
    f"{{{NS_CP}}}lastModifiedBy": "last_modified_by",
    f"{{{NS_CP}}}revision": "revision",
    f"{{{NS_CP}}}category": "category",
    f"{{{NS_CP}}}contentStatus": "content_status",
    f"{{{NS_CP}}}lastPrinted": "last_printed",
    f"{{{NS_CP}}}version": "version",
    f"{{{NS_DCTERMS}}}created": "created",
    f"{{{NS_DCTERMS}}}modified": "modified",
}
_APP_KEYS = {
    "Company": "company",
    "Manager": "manager",
    "Template": "template",
    "Application": "application",
    "AppVersion": "app_version",
    "Pages": "pages",
    "Words": "words",
    "Slides": "slides",
    "Notes": "notes",
    "TotalTime": "total_time",
    "HyperlinkBase": "hyperlink_base",
}


def local(tag: object) -> str:
    """``{ns}name`` → ``name`` (comments and processing instructions give "")."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationships(package: SafeZip, part: str) -> list[tuple[str, str, str]]:
    """The internal relationships of a part as (id, type suffix, target part name)."""
    root = package.xml(rels_path(part))
    if root is None:
        return []
    base = posixpath.dirname(part)
    found = []
    for rel in root.iter(f"{{{NS_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        if not target:
            continue
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        found.append((rel.get("Id") or "", (rel.get("Type") or "").rpartition("/")[2], name))
    return found


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def read_properties(package: SafeZip, builder: BlockBuilder) -> None:
    """Core (docProps/core.xml), app (docProps/app.xml) and custom properties into metadata."""
    parts = {kind: name for _, kind, name in relationships(package, "")}
    core = package.xml(parts.get("core-properties", "docProps/core.xml"))
    if core is not None:
        for child in core:
            key = _CORE_KEYS.get(child.tag) if isinstance(child.tag, str) else None
            if key:
                builder.metadata(key, _text(child))
    app = package.xml(parts.get("extended-properties", "docProps/app.xml"))
    if app is not None:
        for child in app:
            key = _APP_KEYS.get(local(child.tag))
            if key:
                builder.metadata(key, _text(child))
    custom = package.xml(parts.get("custom-properties", "docProps/custom.xml"))
    if custom is not None:
        for prop in custom:
            name = prop.get("name")
            if name and local(prop.tag) == "property":
                builder.metadata(f"custom.{name}", _text(prop))


def int_or_none(value: str | None) -> int | None:
    if value and re.fullmatch(r"\d{1,7}", value.strip()):
        return int(value)
    return None
