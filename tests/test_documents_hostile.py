"""Hostile and broken files: each gives one French line naming the file and the fix, fast."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest

from clauselint.documents import Limits, read_document
from clauselint.documents.limits import megabytes
from clauselint.errors import DocumentError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _error(path: Path, limits: Limits | None = None) -> str:
    started = time.perf_counter()
    with pytest.raises(DocumentError) as error:
        read_document(path, limits)
    assert time.perf_counter() - started < 5, "a hostile file must not make the reader hang"
    message = error.value.one_line()
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"{path}: ")
    return message[len(f"{path}: "):]


@pytest.fixture()
def small_docx(tmp_path) -> Path:
    path = tmp_path / "petit.docx"
    document = docx.Document()
    document.add_paragraph("Le titulaire garde le secret.")
    document.save(path)
    return path


def _replace_member(path: Path, name: str, data: bytes) -> None:
    source = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == name else old.read(info.filename))


def test_zip_bomb_member_refused_before_reading(tmp_path, small_docx):
    # 120 MB of zeros compress about 1000 times: over the default 100× ratio.
    with zipfile.ZipFile(small_docx, "a", zipfile.ZIP_DEFLATED) as package:
        with package.open("word/media/zeros.bin", "w") as member:
            chunk = b"\x00" * (8 * 1024 * 1024)
            for _ in range(15):
                member.write(chunk)
    _replace_member(small_docx, "word/document.xml", zipfile.ZipFile(small_docx).read("word/document.xml"))
    message = _error(small_docx)
    assert message.startswith("archive suspecte (bombe zip ?) : ")
    assert message.endswith(" : vérifiez la provenance du fichier")


def test_zip_bomb_in_the_main_part_ratio(tmp_path, small_docx):
    padding = b"<!-- -->" + b" " * (3 * 1024 * 1024)
    original = zipfile.ZipFile(small_docx).read("word/document.xml")
    _replace_member(small_docx, "word/document.xml", original.replace(b"<w:body>", b"<w:body>" + padding[8:], 1))
    assert "se décompresse" in _error(small_docx, Limits(max_ratio=50))


def test_total_uncompressed_size_capped(small_docx):
    with zipfile.ZipFile(small_docx, "a", zipfile.ZIP_STORED) as package:
        package.writestr("word/media/big.bin", b"x" * (2 * 1024 * 1024))
    message = _error(small_docx, Limits(max_uncompressed_bytes=1024 * 1024))
    assert re.search(r"le contenu décompressé annoncé atteint 2,\d Mo \(limite 1 Mo\)", message)


def test_lying_member_size_is_caught_while_streaming(small_docx):
    data = bytearray(small_docx.read_bytes())
    name = b"word/document.xml"
    # Shrink the size the central directory declares: what streams out no longer matches.
    header = data.find(b"PK\x01\x02")
    while header != -1:
        length = int.from_bytes(data[header + 28:header + 30], "little")
        if data[header + 46:header + 46 + length] == name:
            declared = int.from_bytes(data[header + 24:header + 28], "little")
            data[header + 24:header + 28] = (declared // 10).to_bytes(4, "little")
            break
        header = data.find(b"PK\x01\x02", header + 4)
    assert header != -1
    small_docx.write_bytes(bytes(data))
    message = _error(small_docx)
    assert message.startswith(("archive endommagée", "XML endommagé"))


def test_too_many_members(small_docx):
    with zipfile.ZipFile(small_docx, "a") as package:
        for number in range(30):
            package.writestr(f"customXml/extra{number}.xml", b"<a/>")
    assert _error(small_docx, Limits(max_members=20)).startswith("archive suspecte : ")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>
<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"""


def test_billion_laughs_inside_a_docx(small_docx):
    _replace_member(small_docx, "word/document.xml", BILLION_LAUGHS)
    assert _error(small_docx) == (
        "« word/document.xml » contient une déclaration DOCTYPE/ENTITY (XML piégé ?) : fichier refusé, "
        "vérifiez sa provenance")


def test_external_entity_doctype_inside_a_docx(tmp_path, small_docx):
    secret = tmp_path / "secret.txt"
    secret.write_text("CONTENU SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
           '<w:t>&x;</w:t></w:r></w:p></w:body></w:document>').encode()
    _replace_member(small_docx, "word/document.xml", xxe)
    assert "DOCTYPE" in _error(small_docx)


def test_doctype_in_utf16_part_is_refused_after_parsing(small_docx):
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>')
    _replace_member(small_docx, "word/document.xml", xml.encode("utf-16"))
    assert "DOCTYPE" in _error(small_docx)


def test_broken_xml_part(small_docx):
    _replace_member(small_docx, "word/document.xml", b"<w:document><w:body><w:p>")
    message = _error(small_docx)
    assert message.startswith("XML endommagé dans « word/document.xml » (")
    assert message.endswith("ouvrez-le dans Word ou LibreOffice et enregistrez-le à nouveau au format .docx")


def _ole(*streams: str) -> bytes:
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in streams)
    return OLE_MAGIC + b"\x00" * 504 + directory + b"\x00" * 512


def test_encrypted_ooxml_in_an_ole_container(tmp_path):
    path = tmp_path / "chiffre.docx"
    path.write_bytes(_ole("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    assert _error(path) == "document chiffré : enregistrez-le sans mot de passe puis relancez"
    pptx = tmp_path / "chiffre.pptx"
    pptx.write_bytes(path.read_bytes())
    assert _error(pptx) == "document chiffré : enregistrez-le sans mot de passe puis relancez"


def test_legacy_word_file(tmp_path):
    path = tmp_path / "ancien.doc"
    path.write_bytes(_ole("Root Entry", "WordDocument", "1Table"))
    assert _error(path) == "ancien format .doc (Word 97-2003) : enregistrez-le au format .docx puis relancez"
    renamed = tmp_path / "ancien.docx"
    renamed.write_bytes(path.read_bytes())
    assert _error(renamed) == "ancien format .doc (Word 97-2003) : enregistrez-le au format .docx puis relancez"


def test_truncated_zip(small_docx):
    data = small_docx.read_bytes()
    small_docx.write_bytes(data[: len(data) // 2])
    message = _error(small_docx)
    assert message.startswith("archive endommagée ou tronquée (")
    assert message.endswith(": ouvrez-le dans Word ou LibreOffice et enregistrez-le à nouveau au format .docx")


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "texte.docx"
    path.write_text("juste du texte")
    assert _error(path) == ("ce n'est pas un fichier .docx valide (pas une archive zip) : ouvrez-le dans son "
                            "logiciel et enregistrez-le à nouveau au format .docx")
    empty = tmp_path / "vide.pptx"
    empty.write_bytes(b"")
    assert _error(empty) == "fichier vide : ce n'est pas un .pptx valide"


def test_pdf_renamed_docx(tmp_path):
    path = tmp_path / "rapport.docx"
    path.write_bytes(b"%PDF-1.7\n%%EOF\n")
    assert _error(path) == "ce fichier est un PDF, pas un .docx : renommez-le en .pdf"


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("notes.txt", "rien")
    assert _error(path).startswith("archive zip qui n'est pas un document Word")


def test_file_over_the_size_limit(small_docx):
    size = small_docx.stat().st_size
    limits = Limits(max_file_bytes=1000)
    assert _error(small_docx, limits) == (
        f"fichier trop volumineux ({megabytes(size)}, limite {megabytes(1000)}) : "
        "augmentez la limite avec l'option --max-taille")
    assert read_document(small_docx, Limits.with_max_megabytes(1)).blocks


def test_megabytes_in_french():
    assert megabytes(50 * 1024 * 1024) == "50 Mo"
    assert megabytes(int(2.5 * 1024 * 1024)) == "2,5 Mo"


def test_unknown_extension(tmp_path):
    path = tmp_path / "tableau.xlsx"
    path.write_bytes(b"PK")
    assert _error(path) == ("format non pris en charge (.xlsx) : formats lus : "
                            ".docx, .htm, .html, .md, .odt, .ott, .pdf, .pptx, .txt")


def test_missing_file_and_folder(tmp_path):
    assert _error(tmp_path / "absent.docx") == "fichier introuvable : vérifiez le chemin"
    folder = tmp_path / "dossier.pdf"
    folder.mkdir()
    assert _error(folder) == "c'est un dossier, pas un document : donnez le chemin d'un fichier"


def test_unreadable_file(monkeypatch, small_docx):
    # Tests may run as root, for whom chmod 000 changes nothing: simulate the refusal.
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == small_docx:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert _error(small_docx) == "lecture impossible (permission refusée) : vérifiez les droits du fichier"


def test_rtf_named_doc(tmp_path):
    path = tmp_path / "lettre.doc"
    path.write_bytes(b"{\\rtf1\\ansi Bonjour}")
    assert _error(path) == "ancien format Word 97-2003 (.doc) : enregistrez-le au format .docx puis relancez"
