"""The .pptx reader on decks built here with python-pptx plus raw parts (comments, master text)."""

from __future__ import annotations

import copy
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Inches

from clauselint.documents import read_document, read_image

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\xff")) + chunk(b"IEND", b""))


def _add_parts(path: Path, parts: list[tuple[str, str, str, str, bytes]]) -> None:
    """Add (name, content type, relationship type, owner part, data) parts to a package."""
    source = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            for number, (name, content_type, rel_type, owner, _) in enumerate(parts):
                folder, _, base = owner.rpartition("/")
                if info.filename == "[Content_Types].xml":
                    data = data.replace(b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode())
                elif info.filename == f"{folder}/_rels/{base}.rels":
                    target = "/" + name
                    data = data.replace(b"</Relationships>",
                                        f'<Relationship Id="rIdT{number}" Type="{rel_type}" Target="{target}"/></Relationships>'.encode())
            new.writestr(info.filename, data)
        for name, _, _, _, data in parts:
            new.writestr(name, data)


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pptx")
    image = folder / "logo.png"
    image.write_bytes(_png())
    prs = Presentation()
    prs.core_properties.author = "Cabinet Conseil"
    prs.core_properties.title = "Restitution de mission"

    title_slide = prs.slides.add_slide(prs.slide_layouts[0])
    title_slide.shapes.title.text = "Restitution de la mission"
    title_slide.placeholders[1].text = "Comité de pilotage"
    title_slide.notes_slide.notes_text_frame.text = "Rappeler le contexte au directeur."

    content = prs.slides.add_slide(prs.slide_layouts[1])
    content.shapes.title.text = "Recommandations"
    body = content.placeholders[1].text_frame
    body.text = "Réduire les délais de traitement"
    body.add_paragraph().text = "Former les agents"
    table = content.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
    table.cell(0, 0).text = "Action"
    table.cell(0, 1).text = "Échéance"
    table.cell(1, 0).text = "Formation"
    table.cell(1, 1).text = "T2"
    content.shapes.add_picture(str(image), Inches(5), Inches(5))

    # Text on the master: a free text box (what a logo caption or an entity name looks like)
    # and the footer placeholder's text.
    master = prs.slide_master
    box = content.shapes.add_textbox(Inches(1), Inches(6), Inches(3), Inches(1))
    box.text_frame.text = "Ministère de l’Exemple"
    master.shapes._spTree.append(copy.deepcopy(box._element))
    content.shapes._spTree.remove(box._element)
    for placeholder in master.placeholders:
        if placeholder.placeholder_format.type == PP_PLACEHOLDER.FOOTER:
            placeholder.text_frame.text = "Document de travail – Cabinet Conseil"
    path = folder / "deck.pptx"
    prs.save(path)

    authors = (f'<p:cmAuthorLst xmlns:p="{P_NS}"><p:cmAuthor id="0" name="Alice Martin" initials="AM" '
               'lastIdx="1" clrIdx="0"/></p:cmAuthorLst>').encode()
    comments = (f'<p:cmLst xmlns:p="{P_NS}"><p:cm authorId="0" dt="2024-01-01T10:00:00.000" idx="1">'
                '<p:pos x="10" y="10"/><p:text>Chiffrer cette recommandation</p:text></p:cm></p:cmLst>').encode()
    _add_parts(path, [
        ("ppt/commentAuthors.xml", "application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml",
         f"{REL}/commentAuthors", "ppt/presentation.xml", authors),
        ("ppt/comments/comment1.xml", "application/vnd.openxmlformats-officedocument.presentationml.comments+xml",
         f"{REL}/comments", "ppt/slides/slide2.xml", comments),
    ])
    return path


@pytest.fixture(scope="module")
def doc(deck):
    return read_document(deck)


def test_slide_text_with_slide_numbers_and_titles(doc):
    slides = [(b.location.page, b.text) for b in doc.blocks if b.kind == "slide"]
    assert slides == [
        (1, "Restitution de la mission"), (1, "Comité de pilotage"),
        (2, "Recommandations"), (2, "Réduire les délais de traitement"), (2, "Former les agents"),
    ]
    former = next(b for b in doc.blocks if b.text == "Former les agents")
    assert former.location.section == "Diapositive 2 – Recommandations"
    assert doc.pages == 2


def test_tables_on_slides(doc):
    cells = [(b.location.page, b.text) for b in doc.blocks if b.kind == "table-cell"]
    assert cells == [(2, "Action"), (2, "Échéance"), (2, "Formation"), (2, "T2")]


def test_notes(doc):
    notes = [(b.location.page, b.text) for b in doc.blocks if b.kind == "notes"]
    assert notes == [(1, "Rappeler le contexte au directeur.")]


def test_master_text_and_footer(doc):
    assert [b.text for b in doc.blocks if b.kind == "header"] == ["Ministère de l’Exemple"]
    footers = [b.text for b in doc.blocks if b.kind == "footer"]
    assert footers == ["Document de travail – Cabinet Conseil"]
    # Placeholder prompts of masters and layouts are not text of the deck.
    assert not any("Click to edit" in b.text for b in doc.blocks)


def test_comments_with_authors(doc):
    assert [(c.text, c.author, c.location.page) for c in doc.comments] == [
        ("Chiffrer cette recommandation", "Alice Martin", 2)]


def test_metadata_and_images(doc):
    assert doc.metadata["creator"] == "Cabinet Conseil"
    assert doc.metadata["title"] == "Restitution de mission"
    assert len(doc.image_names) == 1 and doc.image_names[0].startswith("ppt/media/")
    assert read_image(doc, doc.image_names[0]) == _png()


def test_modern_comments_and_replies(tmp_path):
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Calendrier"
    path = tmp_path / "modern.pptx"
    prs.save(path)
    p188 = "http://schemas.microsoft.com/office/powerpoint/2018/8/main"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    authors = (f'<p188:authorLst xmlns:p188="{p188}"><p188:author id="{{A1}}" name="Bob Relecteur" '
               'initials="BR" userId="bob"/></p188:authorLst>').encode()
    comments = (
        f'<p188:cmLst xmlns:p188="{p188}" xmlns:a="{a}"><p188:cm id="{{C1}}" authorId="{{A1}}">'
        '<p188:txBody><a:bodyPr/><a:p><a:r><a:t>Date à confirmer</a:t></a:r></a:p></p188:txBody>'
        '<p188:replyLst><p188:reply id="{R1}" authorId="{A1}"><p188:txBody><a:bodyPr/><a:p><a:r>'
        '<a:t>Confirmée</a:t></a:r></a:p></p188:txBody></p188:reply></p188:replyLst></p188:cm></p188:cmLst>'
    ).encode()
    ms = "http://schemas.microsoft.com/office/2018/10/relationships"
    _add_parts(path, [
        ("ppt/authors.xml", "application/vnd.ms-powerpoint.authors+xml", f"{ms}/authors", "ppt/presentation.xml",
         authors),
        ("ppt/comments/modernComment_1.xml", "application/vnd.ms-powerpoint.comments+xml", f"{ms}/comments",
         "ppt/slides/slide1.xml", comments),
    ])
    doc = read_document(path)
    assert [(c.text, c.author, c.location.page) for c in doc.comments] == [
        ("Date à confirmer", "Bob Relecteur", 1), ("Confirmée", "Bob Relecteur", 1)]
    assert [b.location.section for b in doc.blocks] == ["Diapositive 1 – Calendrier"]
