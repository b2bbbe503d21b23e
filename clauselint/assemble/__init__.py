"""Spec + clause library → a tender package (DCE): Word documents or Markdown previews, and a manifest."""

from clauselint.assemble.package import FORMATS, Package, assemble, build_documents

__all__ = ["FORMATS", "Package", "assemble", "build_documents"]
