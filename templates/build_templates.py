"""Build the docxtpl Word templates of templates/ (run by hand; the .docx outputs are committed).

    .venv/bin/python templates/build_templates.py

The templates hold layout and placeholders only. Each receives the same plain data (see
clauselint/assemble/docx_out.py): ``doc`` (titles), ``cover`` (label/value rows), ``toc``
(heading entries), ``body`` (a flat list of items: h1, h2, p, bullet, table2/3/4) and the
header/footer texts. Word features are real ones: built-in Heading styles (navigation pane),
a multilevel list bound to Heading 1/2 in numbering.xml (« Article 1 – »), a TOC field updated
on open (w:updateFields), PAGE / NUMPAGES fields in the footer.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.shared import Twips

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from clauselint.assemble.layout import HEADING_FORMATS, TABLE_LAYOUTS  # noqa: E402  (one source of truth)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'

BLUE = "000091"  # « bleu France », the State's brand blue
GREY = "555555"
PAGE_W, PAGE_H = 11906, 16838  # A4 in twips
MARGIN_LR, MARGIN_TB = 1134, 1247  # 2 cm, 2.2 cm
TEXT_W = PAGE_W - 2 * MARGIN_LR  # 9638


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    cover_page: bool  # a full cover page (else a title block on the first page)
    toc: bool

    @property
    def article_label(self) -> str:  # the Heading 1 number's text, %1 = the number
        return HEADING_FORMATS[self.name][0]

    @property
    def section_label(self) -> str:  # the Heading 2 number's text
        return HEADING_FORMATS[self.name][1]


TEMPLATES = (
    TemplateSpec("rc", cover_page=True, toc=True),
    TemplateSpec("ccap", cover_page=True, toc=True),
    TemplateSpec("cctp", cover_page=True, toc=True),
    TemplateSpec("ae", cover_page=False, toc=False),
    TemplateSpec("annexe", cover_page=False, toc=False),
    TemplateSpec("note", cover_page=True, toc=True),
)


# ---------------------------------------------------------------------------------------------
# Parts written as raw XML: styles, numbering, settings.

def styles_xml() -> str:
    def heading(level: int, size: int, before: int, after: int, border: bool) -> str:
        bdr = (
            f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="2" w:color="{BLUE}"/></w:pBdr>' if border else ""
        )
        ilvl = f'<w:ilvl w:val="{level - 1}"/>' if level > 1 else ""
        return f"""
  <w:style w:type="paragraph" w:styleId="Heading{level}">
    <w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>
    <w:pPr><w:keepNext/><w:keepLines/><w:numPr>{ilvl}<w:numId w:val="1"/></w:numPr>{bdr}
      <w:spacing w:before="{before}" w:after="{after}" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/><w:outlineLvl w:val="{level - 1}"/></w:pPr>
    <w:rPr><w:b/><w:bCs/><w:color w:val="{BLUE}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>
  </w:style>"""

    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NSDECL}>
  <w:docDefaults>
    <w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>
      <w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
    <w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>
  </w:docDefaults>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal">
    <w:name w:val="Normal"/><w:qFormat/>
    <w:pPr><w:jc w:val="both"/></w:pPr>
  </w:style>
  <w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
    <w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>
  </w:style>
  <w:style w:type="table" w:default="1" w:styleId="TableNormal">
    <w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
    <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
      <w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>
  </w:style>
  <w:style w:type="numbering" w:default="1" w:styleId="NoList">
    <w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Title">
    <w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/>
    <w:pPr><w:spacing w:before="240" w:after="120" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>
    <w:rPr><w:b/><w:bCs/><w:color w:val="{BLUE}"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Subtitle">
    <w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="11"/><w:qFormat/>
    <w:pPr><w:spacing w:after="240"/><w:jc w:val="center"/></w:pPr>
    <w:rPr><w:color w:val="{BLUE}"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>
  </w:style>
{heading(1, 26, 360, 160, True)}
{heading(2, 22, 240, 100, False)}
  <w:style w:type="paragraph" w:styleId="TOCHeading">
    <w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:qFormat/>
    <w:pPr><w:keepNext/><w:spacing w:before="240" w:after="240"/><w:jc w:val="left"/></w:pPr>
    <w:rPr><w:b/><w:bCs/><w:color w:val="{BLUE}"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="TOC1">
    <w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>
    <w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs><w:spacing w:before="60" w:after="40"/><w:jc w:val="left"/></w:pPr>
    <w:rPr><w:b/><w:bCs/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="TOC2">
    <w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>
    <w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs><w:spacing w:after="20"/><w:ind w:left="400"/><w:jc w:val="left"/></w:pPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="ListBullet">
    <w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:qFormat/>
    <w:pPr><w:numPr><w:numId w:val="2"/></w:numPr><w:spacing w:after="60"/><w:ind w:left="567" w:hanging="283"/></w:pPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Header">
    <w:name w:val="header"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
    <w:pPr><w:tabs><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs><w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr>
    <w:rPr><w:color w:val="{GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Footer">
    <w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
    <w:pPr><w:tabs><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs><w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr>
    <w:rPr><w:color w:val="{GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText">
    <w:name w:val="Texte de tableau"/><w:basedOn w:val="Normal"/><w:qFormat/>
    <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>
    <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="TableHead">
    <w:name w:val="En-tête de tableau"/><w:basedOn w:val="TableText"/><w:qFormat/>
    <w:pPr><w:keepNext/></w:pPr>
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="CoverText">
    <w:name w:val="Page de garde"/><w:basedOn w:val="Normal"/><w:qFormat/>
    <w:pPr><w:spacing w:after="40"/><w:jc w:val="left"/></w:pPr>
  </w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="Spacer">
    <w:name w:val="Espacement"/><w:basedOn w:val="Normal"/>
    <w:pPr><w:spacing w:after="0" w:line="120" w:lineRule="exact"/></w:pPr>
    <w:rPr><w:sz w:val="8"/><w:szCs w:val="8"/></w:rPr>
  </w:style>
  <w:style w:type="table" w:styleId="TableGrid">
    <w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
    <w:tblPr><w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:left w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:right w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/>
    </w:tblBorders></w:tblPr>
  </w:style>
</w:styles>
"""


def numbering_xml(article_label: str, section_label: str) -> str:
    levels = []
    for ilvl in range(9):
        if ilvl == 0:
            text, style = article_label, '<w:pStyle w:val="Heading1"/>'
        elif ilvl == 1:
            text, style = section_label, '<w:pStyle w:val="Heading2"/>'
        else:
            text, style = ".".join(f"%{i + 1}" for i in range(ilvl + 1)), ""
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>{style}'
            f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
        )
    bullets = []
    for ilvl, char in enumerate(["–", "◦", "▪", "–", "◦", "▪", "–", "◦", "▪"]):
        left = 567 * (ilvl + 1)
        style = '<w:pStyle w:val="ListBullet"/>' if ilvl == 0 else ""
        bullets.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>{style}'
            f'<w:lvlText w:val="{char}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="283"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:color w:val="{BLUE}"/></w:rPr></w:lvl>'
        )
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {NSDECL}>
  <w:abstractNum w:abstractNumId="0"><w:nsid w:val="5A3C0001"/><w:multiLevelType w:val="multilevel"/><w:tmpl w:val="5A3C1001"/>{"".join(levels)}</w:abstractNum>
  <w:abstractNum w:abstractNumId="1"><w:nsid w:val="5A3C0002"/><w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="5A3C1002"/>{"".join(bullets)}</w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>
"""


SETTINGS_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {NSDECL}>
  <w:zoom w:percent="100"/>
  <w:defaultTabStop w:val="708"/>
  <w:hyphenationZone w:val="425"/>
  <w:characterSpacingControl w:val="doNotCompress"/>
  <w:updateFields w:val="true"/>
  <w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
  <w:themeFontLang w:val="fr-FR"/>
  <w:decimalSymbol w:val=","/>
  <w:listSeparator w:val=";"/>
</w:settings>
"""


# ---------------------------------------------------------------------------------------------
# Body helpers (raw XML paragraphs: the jinja tags must sit in runs of their own).

def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def run(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def para(content: str = "", style: str | None = None, ppr: str = "") -> str:
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{style_xml}{ppr}</w:pPr>" if (style_xml or ppr) else ""
    return f"<w:p {NSDECL}>{props}{content}</w:p>"


def tag(text: str) -> str:
    """A paragraph holding only a docxtpl paragraph-level tag ({%p ... %}); it disappears on rendering."""
    return para(run(text))


def page_break() -> str:
    return para('<w:r><w:br w:type="page"/></w:r>')


HIGHLIGHT = '<w:b/><w:highlight w:val="yellow"/>'  # rPr children in schema order (Word is strict)


def text_with_todo(style: str | None, ppr: str = "") -> str:
    """A paragraph made of runs; the « à compléter » runs are highlighted."""
    return para(
        run("{%r for s in it.runs %}") + run("{%r if s.todo %}") + run("{{ s.text }}", HIGHLIGHT)
        + run("{%r else %}") + run("{{ s.text }}") + run("{%r endif %}") + run("{%r endfor %}"),
        style, ppr,
    )


def cell(content_xml: str, width: int, shade: str | None = None) -> str:
    shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shd}</w:tcPr>{content_xml}</w:tc>'


def row(cells: str, header: bool = False) -> str:
    trpr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    return f"<w:tr>{trpr}{cells}</w:tr>"


def loop_row(text: str, widths: list[int]) -> str:
    """A row whose first cell holds a {%tr ... %} tag (docxtpl drops the whole row)."""
    cells = cell(para(run(text), "TableText"), widths[0]) + "".join(cell(para("", "TableText"), w) for w in widths[1:])
    return row(cells)


def table(widths: list[int], rows_xml: str, borders: bool = True, style: str = "TableGrid") -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders_xml = "" if borders else (
        "<w:tblBorders>" + "".join(f'<w:{side} w:val="nil"/>' for side in
                                   ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>"
    )
    return (
        f'<w:tbl {NSDECL}><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'{borders_xml}<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
        f'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{rows_xml}</w:tbl>"
    )


def data_table(n: int, widths: list[int]) -> str:
    head = row("".join(cell(para(run(f"{{{{ it.header[{i}] }}}}"), "TableHead"), widths[i], BLUE) for i in range(n)), header=True)
    body = (
        loop_row("{%tr for r in it.rows %}", widths)
        + row("".join(cell(para(run(f"{{{{ r[{i}] }}}}"), "TableText"), widths[i]) for i in range(n)))
        + loop_row("{%tr endfor %}", widths)
    )
    return table(widths, head + body)


def _twips(percents: tuple[int, ...]) -> list[int]:
    widths = [TEXT_W * p // 100 for p in percents]
    widths[-1] += TEXT_W - sum(widths)
    return widths


def body_loop() -> list[str]:
    """The document body: one loop over the items Python laid out, one branch per kind."""
    out = [tag("{%p for it in body %}"), tag('{%p if it.kind == "h1" %}')]
    out.append(para(run("{{ it.text }}"), "Heading1", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'))
    out.append(tag('{%p elif it.kind == "h2" %}'))
    out.append(para(run("{{ it.text }}"), "Heading2", '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'))
    out.append(tag('{%p elif it.kind == "p" %}'))
    out.append(text_with_todo(None))
    out.append(tag('{%p elif it.kind == "lead" %}'))
    out.append(text_with_todo(None, "<w:keepNext/>"))
    out.append(tag('{%p elif it.kind == "bullet" %}'))
    out.append(text_with_todo("ListBullet"))
    out.append(tag('{%p elif it.kind == "bullet2" %}'))
    out.append(text_with_todo("ListBullet", '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr>'
                                            '<w:ind w:left="1134" w:hanging="283"/>'))
    out.append(tag('{%p elif it.kind == "caption" %}'))
    out.append(para(run("{{ it.text }}", f'<w:b/><w:color w:val="{BLUE}"/><w:sz w:val="24"/>'), None,
                    '<w:keepNext/><w:spacing w:before="120" w:after="240"/><w:jc w:val="center"/>'))
    for name, percents in TABLE_LAYOUTS.items():
        out.append(tag(f'{{%p elif it.kind == "table" and it.layout == "{name}" %}}'))
        out.append(data_table(len(percents), _twips(percents)))
        out.append(para("", "Spacer"))
    out.append(tag("{%p endif %}"))
    out.append(tag("{%p endfor %}"))
    return out


def cover_block(spec: TemplateSpec) -> list[str]:
    """The first page: buyer block, title, object box, key facts; a full page for the main documents."""
    out = [
        para(run("{{ buyer.name }}", "<w:b/><w:caps/><w:color w:val=\"%s\"/><w:sz w:val=\"22\"/>" % BLUE), "CoverText"),
        tag("{%p for line in buyer.lines %}"),
        para(run("{{ line }}"), "CoverText"),
        tag("{%p endfor %}"),
    ]
    if spec.cover_page:
        out.append(para("", None, '<w:spacing w:before="1800" w:after="0"/>'))
    out.append(para(run("{{ doc.title }}"), "Title"))
    out.append(para(run("{{ doc.subtitle }}"), "Subtitle"))
    out.append(tag("{%p if doc.notice %}"))
    out.append(para(run("{{ doc.notice }}", '<w:b/><w:color w:val="C00000"/>'), None,
                    '<w:pBdr><w:top w:val="single" w:sz="8" w:space="4" w:color="C00000"/>'
                    '<w:bottom w:val="single" w:sz="8" w:space="4" w:color="C00000"/></w:pBdr><w:jc w:val="center"/>'))
    out.append(tag("{%p endif %}"))
    # The object, framed, then the key facts of the consultation.
    object_cell = cell(
        para(run("{{ doc.object_label }}", f'<w:b/><w:color w:val="{BLUE}"/><w:sz w:val="18"/>'), "CoverText")
        + para(run("{{ doc.object }}", '<w:b/><w:sz w:val="24"/>'), "CoverText", '<w:spacing w:after="80"/>'),
        TEXT_W,
        "EEF0FA",
    )
    out.append(table([TEXT_W], row(object_cell)))
    out.append(para("", "Spacer"))
    widths = [3200, TEXT_W - 3200]
    rows = (
        loop_row("{%tr for c in cover %}", widths)
        + row(cell(para(run("{{ c.label }}", f'<w:b/><w:color w:val="{BLUE}"/>'), "TableText"), widths[0])
              + cell(para(run("{{ c.value }}"), "TableText"), widths[1]))
        + loop_row("{%tr endfor %}", widths)
    )
    out.append(table(widths, rows, borders=False))
    if spec.cover_page:
        out.append(para("", None, '<w:spacing w:before="600" w:after="0"/>'))
        out.append(para(run("{{ doc.footnote }}", f'<w:i/><w:color w:val="{GREY}"/><w:sz w:val="16"/>'), None, '<w:jc w:val="center"/>'))
        out.append(page_break())
    else:
        out.append(para("", "Spacer"))
    return out


def toc_block() -> list[str]:
    """« Sommaire »: a real TOC field (levels 1–2) whose cached result lists the headings Python laid out."""
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    return [
        para(run("Sommaire"), "TOCHeading"),
        para(begin, "TOC1"),
        tag("{%p for e in toc %}"),
        tag("{%p if e.level == 1 %}"),
        para(run("{{ e.text }}"), "TOC1"),
        tag("{%p else %}"),
        para(run("{{ e.text }}"), "TOC2"),
        tag("{%p endif %}"),
        tag("{%p endfor %}"),
        para('<w:r><w:fldChar w:fldCharType="end"/></w:r>', "TOC2"),
        page_break(),
    ]


def header_footer(doc: Document) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    hp = header.paragraphs[0]
    hp._p.getparent().replace(hp._p, parse_xml(para(
        run("{{ header_left }}") + "<w:r><w:tab/></w:r>" + run("{{ header_right }}", "<w:b/>"),
        "Header",
        f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="{BLUE}"/></w:pBdr>',
    )))
    footer = section.footer
    footer.is_linked_to_previous = False
    fp = footer.paragraphs[0]
    page_fields = (
        run("Page ")
        + '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        + run(" sur ")
        + '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )
    fp._p.getparent().replace(fp._p, parse_xml(para(
        run("{{ footer_left }}") + "<w:r><w:tab/></w:r>" + page_fields,
        "Footer",
        f'<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="{BLUE}"/></w:pBdr>',
    )))
    # The first page (cover) carries only the page count, discreetly.
    first_footer = section.first_page_footer
    first_footer.is_linked_to_previous = False
    ffp = first_footer.paragraphs[0]
    ffp._p.getparent().replace(ffp._p, parse_xml(para(
        run("{{ footer_left }}") + "<w:r><w:tab/></w:r>" + page_fields, "Footer")))
    first_header = section.first_page_header
    first_header.is_linked_to_previous = False


def build(spec: TemplateSpec) -> bytes:
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    sect_pr = body[-1]
    parts = cover_block(spec)
    if spec.toc:
        parts += toc_block()
    parts += body_loop()
    for xml in parts:
        sect_pr.addprevious(parse_xml(xml))

    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.left_margin = section.right_margin = Twips(MARGIN_LR)
    section.top_margin = section.bottom_margin = Twips(MARGIN_TB)
    section.header_distance = section.footer_distance = Twips(567)
    header_footer(doc)

    # Our own styles, numbering and settings replace python-docx's defaults.
    doc.part._styles_part._element = parse_xml(styles_xml().encode())
    doc.part.numbering_part._element = parse_xml(numbering_xml(spec.article_label, spec.section_label).encode())
    doc.part._settings_part._element = parse_xml(SETTINGS_XML.encode())

    # The assembler fills the properties (title, subject, author) itself: no placeholders here.
    props = doc.core_properties
    props.title = props.subject = props.author = ""
    props.last_modified_by = "clauselint"
    props.comments = ""
    props.keywords = "clauselint"
    props.revision = 1

    buffer = io.BytesIO()
    doc.save(buffer)
    return _strip_package(buffer.getvalue())


# Parts of python-docx's default document that our templates don't need (they would bloat every
# generated file): the 440 kB stylesWithEffects, the thumbnail, customXml.
_DROP = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")


def _strip_package(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = info.filename
            if name.startswith(_DROP):
                continue
            blob = src.read(name)
            if name.endswith(".rels") or name == "[Content_Types].xml":
                text = blob.decode("utf-8")
                text = re.sub(r'<Relationship [^>]*Target="[^"]*(stylesWithEffects|thumbnail|customXml)[^"]*"[^>]*/>', "", text)
                text = re.sub(r'<Override [^>]*PartName="/(word/stylesWithEffects|docProps/thumbnail|customXml)[^"]*"[^>]*/>', "", text)
                text = re.sub(r'<Default Extension="jpeg"[^>]*/>', "", text)
                blob = text.encode("utf-8")
            # A fixed timestamp: rebuilding an unchanged template gives the same bytes.
            entry = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, blob)
    return out.getvalue()


def main() -> int:
    for spec in TEMPLATES:
        target = HERE / f"{spec.name}.docx"
        target.write_bytes(build(spec))
        print(f"{target.relative_to(HERE.parent)}  ({target.stat().st_size // 1024} ko)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
