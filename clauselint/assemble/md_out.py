"""Markdown previews of the documents: the same content as the Word files, readable in any editor or forge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clauselint.assemble.content import runs

if TYPE_CHECKING:
    from clauselint.assemble.content import Document, Item
    from clauselint.assemble.facts import Facts


def _inline(text: str) -> str:
    """Text as Markdown: HTML is neutralised (so a value shows as typed), the « à compléter » markers are bold."""
    out = []
    for part in runs(text.replace("&", "&amp;").replace("<", "&lt;")):
        out.append(f"**{part['text']}**" if part["todo"] else part["text"])
    return "".join(out)


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|").replace("\n", "<br>")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _item(item: "Item") -> list[str]:
    if item.kind == "h1":
        return [f"## {item.number} {_inline(item.text)}", ""]
    if item.kind == "h2":
        return [f"### {item.number} {_inline(item.text)}", ""]
    if item.kind == "caption":
        return [f"**{_inline(item.text)}**", ""]
    if item.kind == "bullet":
        return [f"- {_inline(item.text)}"]
    if item.kind == "bullet2":
        return [f"  - {_inline(item.text)}"]
    if item.kind == "table":
        return ["", *_table(item.header, item.rows)]
    return [_inline(item.text), ""]


def render_markdown(doc: "Document", facts: "Facts") -> str:
    lines = [f"# {_inline(doc.title)}", "", f"*{_inline(doc.subtitle)}*", ""]
    if doc.notice:
        lines += [f"> **{_inline(doc.notice)}**", ""]
    lines += [f"**{_inline(facts.buyer_name)}**  "]
    lines += [f"{_inline(line)}  " for line in facts.buyer_lines]
    lines += ["", *_table(["Objet de la consultation", doc.object], [[label, value] for label, value in doc.cover])]
    previous = ""
    for item in doc.body:
        if previous.startswith("bullet") and not item.kind.startswith("bullet"):
            lines.append("")
        lines += _item(item)
        previous = item.kind
    text = "\n".join(lines).rstrip() + "\n"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text
