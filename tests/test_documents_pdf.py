"""The PDF reader on small PDFs written here by hand (a text layer drawn with BT/Tj)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from clauselint.documents import read_document
from clauselint.errors import DocumentError


def make_pdf(pages: list[list[str]], info: dict[str, str] | None = None, xmp: bytes | None = None,
             image_only_pages: set[int] = frozenset()) -> bytes:
    """A PDF whose pages draw the given lines in Helvetica (WinAnsi), 14 points apart.

    Pages listed in ``image_only_pages`` (1-based) draw a tiny image and no text, like a scan.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = add(b"")
    image = add(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream")
    kids = []
    for number, lines in enumerate(pages, start=1):
        if number in image_only_pages:
            stream = b"q 500 0 0 700 40 60 cm /Im1 Do Q"
        else:
            ops = []
            for index, line in enumerate(lines):
                text = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                ops.append(b"BT /F1 11 Tf 60 %d Td (" % (800 - 14 * index) + text + b") Tj ET")
            stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> "
                        b"/XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, image, content)))
    objects[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                             + b"] /Count %d >>" % len(kids))
    catalog_extra = b""
    if xmp is not None:
        metadata = add(b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp + b"\nendstream")
        catalog_extra = b" /Metadata %d 0 R" % metadata
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_id, catalog_extra))
    info_ref = b""
    if info:
        entries = b" ".join(b"/" + key.encode() + b" (" + value.encode("cp1252") + b")" for key, value in info.items())
        info_ref = b" /Info %d 0 R" % add(b"<< " + entries + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, info_ref, xref)
    return bytes(out)


HEADER = "Ministère de l’Exemple – CCAP"


def _pages() -> list[list[str]]:
    return [
        [HEADER, "CAHIER DES CLAUSES ADMINISTRATIVES", "", "ARTICLE 1 – OBJET DU MARCHÉ",
         "Le présent marché a pour objet des prestations de conseil en stratégie numérique au",
         "bénéfice de la direction, pour une durée de douze mois.",
         "Le titulaire remet un rapport.", "Page 1 sur 3"],
        [HEADER, "ARTICLE 7 – CONFIDENTIALITÉ", "7.2 Données personnelles",
         "Le titulaire est tenu au secret professionnel pour toutes les informations dont il a",
         "connaissance au cours de l’exécution du marché, y compris les accord-",
         "cadres subséquents et les données qui lui sont confiées pendant la durée du contrat et",
         "Page 2 sur 3"],
        [HEADER, "après son terme, sans limite de durée.",
         "• premier engagement du titulaire ;", "• second engagement du titulaire.", "Page 3 sur 3"],
    ]


XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/" xmp:CreatorTool="Microsoft Word">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Titre XMP</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>Auteur XMP</rdf:li></rdf:Seq></dc:creator>
<pdfx:Company>Cabinet Conseil SA</pdfx:Company><pdfx:SourceModified>D:20240101</pdfx:SourceModified>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "ccap.pdf"
    path.write_bytes(make_pdf(_pages(), info={"Author": "Jeanne Acheteuse", "Creator": "Microsoft Word",
                                              "Producer": "Adobe PDF Library", "Title": "CCAP conseil",
                                              "CreationDate": "D:20240115093000+01'00'"}, xmp=XMP))
    return read_document(path)


def _find(doc, text):
    found = [b for b in doc.blocks if text in b.text]
    assert found, text
    return found[0]


def test_pages_and_wrapped_lines_joined(doc):
    assert doc.pages == 3
    objet = _find(doc, "a pour objet")
    assert objet.text == ("Le présent marché a pour objet des prestations de conseil en stratégie numérique au "
                          "bénéfice de la direction, pour une durée de douze mois.")
    assert objet.location.page == 1
    assert _find(doc, "remet un rapport").text == "Le titulaire remet un rapport."


def test_paragraph_continues_across_the_page_break(doc):
    secret = _find(doc, "secret professionnel")
    assert secret.location.page == 2
    assert secret.text.endswith("pendant la durée du contrat et après son terme, sans limite de durée.")
    assert "accord-cadres subséquents" in secret.text


def test_running_header_and_page_numbers_set_apart(doc):
    headers = [(b.location.page, b.text) for b in doc.blocks if b.kind == "header"]
    assert headers == [(1, HEADER), (2, HEADER), (3, HEADER)]
    footers = [(b.location.page, b.text) for b in doc.blocks if b.kind == "footer"]
    assert footers == [(1, "Page 1 sur 3"), (2, "Page 2 sur 3"), (3, "Page 3 sur 3")]
    assert not any(HEADER in b.text for b in doc.body())


def test_headings_and_sections(doc):
    headings = [(b.text, b.heading_level, b.location.page) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("ARTICLE 1 – OBJET DU MARCHÉ", 1, 1), ("ARTICLE 7 – CONFIDENTIALITÉ", 1, 2),
                        ("7.2 Données personnelles", 2, 2)]
    assert _find(doc, "secret professionnel").location.section == "ARTICLE 7 – CONFIDENTIALITÉ › 7.2 Données personnelles"


def test_bullets_start_paragraphs(doc):
    assert [b.text for b in doc.blocks if b.text.startswith("•")] == [
        "• premier engagement du titulaire ;", "• second engagement du titulaire."]


def test_info_and_xmp_metadata(doc):
    meta = doc.metadata
    assert meta["creator"] == "Jeanne Acheteuse"  # /Author wins over XMP dc:creator
    assert meta["title"] == "CCAP conseil"
    assert meta["application"] == "Microsoft Word"
    assert meta["producer"] == "Adobe PDF Library"
    assert meta["created"] == "2024-01-15T09:30:00+01:00"
    assert meta["company"] == "Cabinet Conseil SA"  # only in XMP (pdfx:Company)
    assert meta["custom.SourceModified"] == "D:20240101"


def test_scanned_pdf_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([[], []], image_only_pages={1, 2}))
    with pytest.raises(DocumentError) as error:
        read_document(path)
    assert error.value.one_line() == (
        f"{path}: pas de couche texte : document numérisé, OCR nécessaire "
        "(passez-le dans un logiciel d'OCR puis relancez)")


def test_partly_scanned_pdf_warns(tmp_path):
    path = tmp_path / "mixte.pdf"
    path.write_bytes(make_pdf([["Page lisible du marché."], []], image_only_pages={2}))
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == ["Page lisible du marché."]
    assert doc.warnings == ["pages sans couche texte (numérisées ?) : 2 ; leur texte n'est pas lu"]


def _encrypt(data: bytes, user_password: str, owner_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_with_a_password_is_refused(tmp_path):
    path = tmp_path / "secret.pdf"
    path.write_bytes(_encrypt(make_pdf([["Texte confidentiel."]]), "motdepasse", "proprietaire"))
    with pytest.raises(DocumentError) as error:
        read_document(path)
    assert error.value.one_line() == f"{path}: PDF protégé par un mot de passe : enregistrez-le sans mot de passe puis relancez"


def test_pdf_protected_only_against_printing_is_read(tmp_path):
    path = tmp_path / "protege.pdf"
    path.write_bytes(_encrypt(make_pdf([["Texte lisible sans mot de passe."]]), "", "proprietaire"))
    assert [b.text for b in read_document(path).blocks] == ["Texte lisible sans mot de passe."]


def test_damaged_pdf_is_a_clear_error(tmp_path):
    path = tmp_path / "abime.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 9 0 R >>\n%%EOF")
    with pytest.raises(DocumentError) as error:
        read_document(path)
    message = error.value.one_line()
    assert message.startswith(f"{path}: ")
    assert "ré-exportez-le en PDF depuis son logiciel d'origine" in message
    assert "\n" not in message


def test_pdf_extension_on_a_word_file(tmp_path):
    path = tmp_path / "faux.pdf"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(DocumentError, match="ce fichier n'est pas un PDF"):
        read_document(path)


def test_make_pdf_writes_real_pdfs(tmp_path: Path):
    """The helper itself: pypdf reads back what it drew, line by line."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(make_pdf([["Ligne (un)", "Ligne \\ deux"]])))
    assert reader.pages[0].extract_text().split("\n") == ["Ligne (un)", "Ligne \\ deux"]
