"""The OpenDocument reader on a minimal .odt written here by hand (zip + XML)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from clauselint.documents import read_document
from clauselint.errors import DocumentError

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
)

CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NAMESPACES} office:version="1.3"><office:body><office:text>
<text:tracked-changes>
  <text:changed-region text:id="ct1"><text:insertion><office:change-info>
    <dc:creator>Cabinet Conseil</dc:creator><dc:date>2024-01-01T00:00:00</dc:date></office:change-info></text:insertion>
  </text:changed-region>
  <text:changed-region text:id="ct2"><text:deletion><office:change-info>
    <dc:creator>Jeanne Acheteuse</dc:creator><dc:date>2024-01-02T00:00:00</dc:date></office:change-info>
    <text:p>texte supprimé</text:p></text:deletion>
  </text:changed-region>
</text:tracked-changes>
<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Illustration"/></text:sequence-decls>
<text:h text:outline-level="1">Article 7 – Confidentialité</text:h>
<text:p>Le titulaire<text:s/> garde<text:tab/>le secret<text:note text:note-class="footnote" text:id="ftn1"><text:note-citation>1</text:note-citation><text:note-body><text:p>Voir aussi le CCAG.</text:p></text:note-body></text:note> sur les informations.</text:p>
<text:h text:outline-level="2">7.2 Données</text:h>
<text:p><office:annotation office:name="c1"><dc:creator>Alice Martin</dc:creator><dc:date>2024-01-03T00:00:00</dc:date><text:p>Préciser le délai</text:p></office:annotation>Les données sont détruites<office:annotation-end office:name="c1"/> au terme du marché.</text:p>
<text:p>Le titulaire <text:change-start text:change-id="ct1"/>ne mentionne pas <text:change-end text:change-id="ct1"/><text:change text:change-id="ct2"/>son intervention.</text:p>
<text:list><text:list-item><text:p>Premier point de liste</text:p></text:list-item><text:list-item><text:p>Second point</text:p></text:list-item></text:list>
<text:p>Ancre du cadre<draw:frame draw:name="Cadre1"><draw:text-box><text:p>Texte du cadre : logo interdit</text:p></draw:text-box></draw:frame>.</text:p>
<table:table table:name="Prix"><table:table-column/><table:table-column/>
  <table:table-header-rows><table:table-row><table:table-cell><text:p>Prestation</text:p></table:table-cell><table:table-cell><text:p>Prix</text:p></table:table-cell></table:table-row></table:table-header-rows>
  <table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Audit</text:p><text:p>complet</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
</table:table>
<text:p>ARTICLE 8 – PÉNALITÉS</text:p>
<text:p>Une pénalité s’applique.</text:p>
</office:text></office:body></office:document-content>"""

STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NAMESPACES}><office:master-styles>
<style:master-page style:name="Standard"><style:header><text:p>Ministère de l’Exemple</text:p></style:header>
<style:footer><text:p>Diffusion restreinte</text:p></style:footer></style:master-page>
<style:master-page style:name="Autre"><style:header><text:p>Ministère de l’Exemple</text:p></style:header></style:master-page>
</office:master-styles></office:document-styles>"""

META = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {NAMESPACES}><office:meta>
<meta:initial-creator>Jeanne Acheteuse</meta:initial-creator><dc:creator>Paul Relecteur</dc:creator>
<dc:title>CCAP conseil</dc:title><meta:creation-date>2024-01-01T09:00:00</meta:creation-date>
<meta:generator>LibreOffice/24.2</meta:generator>
<meta:user-defined meta:name="Cabinet">Conseil &amp; Associés</meta:user-defined>
<meta:document-statistic meta:page-count="4"/>
</office:meta></office:document-meta>"""

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def write_odt(path: Path, content: str = CONTENT, manifest: str = MANIFEST,
              mimetype: str = "application/vnd.oasis.opendocument.text") -> Path:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        package.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        package.writestr("styles.xml", STYLES, zipfile.ZIP_DEFLATED)
        package.writestr("meta.xml", META, zipfile.ZIP_DEFLATED)
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        package.writestr("Pictures/logo.png", b"\x89PNG fake", zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    return read_document(write_odt(tmp_path_factory.mktemp("odt") / "ccap.odt"))


def _find(doc, text):
    found = [b for b in doc.blocks if text in b.text]
    assert found, text
    return found[0]


def test_headings_with_outline_levels_and_sections(doc):
    article = _find(doc, "Article 7")
    assert (article.kind, article.heading_level) == ("heading", 1)
    assert _find(doc, "7.2 Données").heading_level == 2
    assert _find(doc, "garde le secret").location.section == "Article 7 – Confidentialité"
    assert _find(doc, "ARTICLE 8").kind == "heading"  # recognised from its text
    assert _find(doc, "pénalité s’applique").location.section == "ARTICLE 8 – PÉNALITÉS"


def test_spaces_tabs_and_notes(doc):
    assert _find(doc, "garde le secret").text == "Le titulaire garde le secret sur les informations."
    note = _find(doc, "Voir aussi")
    assert (note.kind, note.text) == ("footnote", "Voir aussi le CCAG.")
    assert note.location.section == "Article 7 – Confidentialité"


def test_tracked_changes(doc):
    block = _find(doc, "ne mentionne pas")
    assert block.text == "Le titulaire ne mentionne pas son intervention."
    assert block.inserted and block.author == "Cabinet Conseil"
    assert "texte supprimé" not in doc.text()
    assert doc.revision_authors == ["Cabinet Conseil", "Jeanne Acheteuse"]


def test_annotations_are_comments(doc):
    assert [(c.text, c.author, c.anchor) for c in doc.comments] == [
        ("Préciser le délai", "Alice Martin", "Les données sont détruites")]
    assert _find(doc, "détruites").text == "Les données sont détruites au terme du marché."
    assert "Préciser le délai" not in doc.text()


def test_lists_frames_and_tables(doc):
    assert _find(doc, "Premier point").kind == "paragraph"
    frame = _find(doc, "logo interdit")
    assert frame.kind == "textbox" and frame.text == "Texte du cadre : logo interdit"
    assert _find(doc, "Ancre du cadre").text == "Ancre du cadre."
    assert [b.text for b in doc.blocks if b.kind == "table-cell"] == ["Prestation", "Prix", "Audit\ncomplet"]


def test_master_page_header_footer_once(doc):
    assert [b.text for b in doc.blocks if b.kind == "header"] == ["Ministère de l’Exemple"]
    assert [b.text for b in doc.blocks if b.kind == "footer"] == ["Diffusion restreinte"]


def test_meta(doc):
    meta = doc.metadata
    assert meta["creator"] == "Jeanne Acheteuse"
    assert meta["last_modified_by"] == "Paul Relecteur"
    assert meta["title"] == "CCAP conseil"
    assert meta["application"] == "LibreOffice/24.2"
    assert meta["custom.Cabinet"] == "Conseil & Associés"
    assert doc.pages == 4
    assert doc.image_names == ["Pictures/logo.png"]


def test_ott_template_is_read(tmp_path):
    doc = read_document(write_odt(tmp_path / "modele.ott", mimetype="application/vnd.oasis.opendocument.text-template"))
    assert doc.format == "odt" and any("garde le secret" in b.text for b in doc.blocks)


def test_encrypted_odt_is_refused(tmp_path):
    manifest = MANIFEST.replace(
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1"/></manifest:file-entry>')
    path = write_odt(tmp_path / "secret.odt", manifest=manifest)
    with pytest.raises(DocumentError) as error:
        read_document(path)
    assert error.value.one_line() == f"{path}: document chiffré : enregistrez-le sans mot de passe puis relancez"


def test_spreadsheet_renamed_odt_is_refused(tmp_path):
    path = write_odt(tmp_path / "classeur.odt", mimetype="application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(DocumentError, match="pas un document texte OpenDocument"):
        read_document(path)
