"""Lay a document out with its docxtpl template: plain data in, a Word file out (values are never template code)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clauselint.documents.model import OUTSIDE_CONTRACT_KEYWORD

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

    from clauselint.assemble.content import Document
    from clauselint.assemble.facts import Facts

SHORT_NAMES = {"rc": "RC", "ccap": "CCAP", "cctp": "CCTP", "ae": "AE", "note": "Note interne"}


def _cache_folder() -> Path | None:
    """Where compiled templates are kept between runs (XDG cache); None when it cannot be written."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "clauselint" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


@cache
def template_environment() -> "SandboxedEnvironment":
    """The environment docxtpl renders the templates with: sandboxed, XML-escaping, strict about names.

    Values reach the template as data: Jinja inserts them once, escaped, and never evaluates
    them, so a « {{ … }} » typed in the spec comes out as typed.

    docxtpl compiles each template part with ``from_string`` on every render, which is most of
    the assembly time; here ``from_string`` goes through a loader keyed by the source's hash, so
    a part is compiled once per process and its bytecode kept on disk for the next runs.
    """
    from jinja2 import FileSystemBytecodeCache, FunctionLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    sources: dict[str, str] = {}

    class CachingSandbox(SandboxedEnvironment):
        def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
            text = source if isinstance(source, str) else str(source)
            name = hashlib.sha256(text.encode("utf-8")).hexdigest()
            sources[name] = text
            return self.get_template(name, globals=globals)

    folder = _cache_folder()
    return CachingSandbox(
        autoescape=True,
        undefined=StrictUndefined,
        loader=FunctionLoader(lambda name: (sources[name], None, lambda: True) if name in sources else None),
        bytecode_cache=FileSystemBytecodeCache(str(folder)) if folder else None,
        cache_size=200,
    )


def short_name(doc: "Document") -> str:
    if doc.template == "annexe":
        return doc.subtitle.split(" au CCAP")[0]
    return SHORT_NAMES[doc.key]


def template_context(doc: "Document", facts: "Facts") -> dict[str, Any]:
    """Everything a template reads (a test checks that it declares nothing else)."""
    return {
        "doc": {
            "title": doc.title,
            "subtitle": doc.subtitle,
            "notice": doc.notice,
            "object_label": "Objet de la consultation",
            "object": doc.object,
            "reference": doc.reference,
            "footnote": doc.footnote,
        },
        "buyer": {"name": facts.buyer_name, "lines": facts.buyer_lines},
        "cover": [{"label": label, "value": value} for label, value in doc.cover],
        "toc": doc.toc(),
        "body": [item.as_dict() for item in doc.body],
        "header_left": f"{facts.buyer_name} – {facts.spec.acheteur.direction}",
        "header_right": short_name(doc),
        "footer_left": f"Consultation réf. {doc.reference}",
    }


@cache
def _template_class() -> type:
    """DocxTemplate whose XML clean-up (the same for every render of a template part) is done once per process."""
    from docxtpl import DocxTemplate

    patched: dict[str, str] = {}

    class CachedDocxTemplate(DocxTemplate):
        def patch_xml(self, src_xml: str) -> str:
            if src_xml not in patched:
                patched[src_xml] = super().patch_xml(src_xml)
            return patched[src_xml]

    return CachedDocxTemplate


CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def set_core_keywords(props: Any, value: str) -> None:
    """``props.keywords = value``, done by hand: once docxcompose (pulled in by docxtpl) is
    imported, python-docx writes the cp: properties in the wrong namespace, which Word ignores."""
    element = props._element.find(f"{{{CORE_NS}}}keywords")
    if element is None:
        from lxml import etree

        element = etree.SubElement(props._element, f"{{{CORE_NS}}}keywords")
    element.text = value


def render_docx(doc: "Document", facts: "Facts", templates_dir: Path) -> bytes:
    template = _template_class()(templates_dir / f"{doc.template}.docx")
    template.render(template_context(doc, facts), jinja_env=template_environment(), autoescape=True)
    props = template.docx.core_properties
    props.title = f"{doc.title} – {doc.reference}"[:255]
    props.subject = doc.object[:255]
    props.author = facts.buyer_name[:255]
    if doc.key == "note":
        # The buyer's own note is no piece of the contract: `lint --dossier` leaves it out.
        set_core_keywords(props, f"clauselint; {OUTSIDE_CONTRACT_KEYWORD}")
    stamp = dt.datetime.combine(facts.edition_date, dt.time(0, 0))
    props.created = props.modified = stamp
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
