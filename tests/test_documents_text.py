"""The plain-text, Markdown and HTML readers."""

from __future__ import annotations

import pytest

from clauselint.documents import read_document
from clauselint.errors import DocumentError

TXT = """CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES

Article 1 – Objet

Le présent marché porte sur des prestations
de conseil en organisation.

Article 7 – Confidentialité
Le titulaire garde le secret sur les
informations reçues.
- il ne divulgue aucun document ;
- il restitue les supports.

7.2 Données
Les données sont détruites au terme du marché.
"""


def test_txt_paragraphs_lines_and_headings(tmp_path):
    path = tmp_path / "ccap.txt"
    path.write_text(TXT, encoding="utf-8")
    doc = read_document(path)
    assert [(b.kind, b.text, b.location.line) for b in doc.blocks] == [
        ("paragraph", "CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES", 1),
        ("heading", "Article 1 – Objet", 3),
        ("paragraph", "Le présent marché porte sur des prestations de conseil en organisation.", 5),
        ("heading", "Article 7 – Confidentialité", 8),
        ("paragraph", "Le titulaire garde le secret sur les informations reçues.", 9),
        ("paragraph", "- il ne divulgue aucun document ;", 11),
        ("paragraph", "- il restitue les supports.", 12),
        ("heading", "7.2 Données", 14),
        ("paragraph", "Les données sont détruites au terme du marché.", 15),
    ]
    assert doc.blocks[-1].location.section == "Article 7 – Confidentialité › 7.2 Données"
    assert [b.location.paragraph for b in doc.blocks] == list(range(1, 10))


def test_txt_in_windows_1252_and_crlf(tmp_path):
    path = tmp_path / "ancien.txt"
    path.write_bytes("Clause de propriété intellectuelle.\r\n\r\nDeuxième paragraphe.\r\n".encode("cp1252"))
    doc = read_document(path)
    assert [(b.text, b.location.line) for b in doc.blocks] == [
        ("Clause de propriété intellectuelle.", 1), ("Deuxième paragraphe.", 3)]


def test_binary_file_named_txt_is_refused(tmp_path):
    path = tmp_path / "binaire.txt"
    path.write_bytes(b"\x00\x01\x02binary\x00")
    with pytest.raises(DocumentError, match="fichier binaire, pas du texte"):
        read_document(path)


MD = """---
title: Rapport de mission
author: Cabinet Conseil
---
# Synthèse

Le **titulaire** a conduit
des [entretiens](https://exemple.fr) avec les `agents`.

## Recommandations
Recommandation principale
-------------------------

* Réduire les délais
* Former les _équipes_

```
# pas un titre
code
```

| Action | Échéance |
|--------|----------|
| Former | T2 |
"""


def test_markdown(tmp_path):
    path = tmp_path / "rapport.md"
    path.write_text(MD, encoding="utf-8")
    doc = read_document(path)
    assert [(b.kind, b.text, b.location.line, b.heading_level) for b in doc.blocks] == [
        ("heading", "Synthèse", 5, 1),
        ("paragraph", "Le titulaire a conduit des entretiens avec les agents.", 7, None),
        ("heading", "Recommandations", 10, 2),
        ("heading", "Recommandation principale", 11, 2),
        ("paragraph", "Réduire les délais", 14, None),
        ("paragraph", "Former les équipes", 15, None),
        ("paragraph", "# pas un titre\ncode", 18, None),
        ("table-cell", "Action", 22, None),
        ("table-cell", "Échéance", 22, None),
        ("table-cell", "Former", 24, None),
        ("table-cell", "T2", 24, None),
    ]
    assert doc.metadata == {"title": "Rapport de mission", "creator": "Cabinet Conseil"}
    assert doc.blocks[4].location.section == "Synthèse › Recommandation principale"
    assert doc.format == "md"


HTML = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Rapport</title>
<meta name="author" content="Cabinet Conseil"><meta name="generator" content="Outil X">
<style>p { color: red }</style><script>document.write("non")</script></head>
<body>
<header>Ministère de l’Exemple</header>
<h1>Article 1 – Objet</h1>
<p>Le titulaire conduit&nbsp;des <b>entretiens</b>.<br>Deuxième ligne.</p>
<div>Texte libre <p>Imbriqué</p> suite</div>
<h2>1.1 Détail</h2>
<ul><li>Point un</li><li>Point deux</li></ul>
<table><tr><th>Action</th><td>T2</td></tr></table>
<!-- un commentaire -->
<footer>Pied de page</footer>
</body></html>
"""


def test_html(tmp_path):
    path = tmp_path / "rapport.html"
    path.write_text(HTML, encoding="utf-8")
    doc = read_document(path)
    assert [(b.kind, b.text, b.location.line) for b in doc.blocks] == [
        ("header", "Ministère de l’Exemple", 7),
        ("heading", "Article 1 – Objet", 8),
        ("paragraph", "Le titulaire conduit des entretiens.\nDeuxième ligne.", 9),
        ("paragraph", "Texte libre", 10),
        ("paragraph", "Imbriqué", 10),
        ("paragraph", "suite", 10),
        ("heading", "1.1 Détail", 11),
        ("paragraph", "Point un", 12),
        ("paragraph", "Point deux", 12),
        ("table-cell", "Action", 13),
        ("table-cell", "T2", 13),
        ("footer", "Pied de page", 15),
    ]
    assert doc.blocks[7].location.section == "Article 1 – Objet › 1.1 Détail"
    assert doc.metadata == {"title": "Rapport", "creator": "Cabinet Conseil", "application": "Outil X",
                            "language": "fr"}
    assert "document.write" not in doc.text() and "color" not in doc.text()


def test_html_external_entity_is_not_fetched_or_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("CONTENU SECRET", encoding="utf-8")
    path = tmp_path / "xxe.htm"
    path.write_text(f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><p>Avant &xxe; après</p>'
                    "</body></html>", encoding="utf-8")
    doc = read_document(path)
    assert "CONTENU SECRET" not in doc.text()
    assert any("Avant" in b.text for b in doc.blocks)


def test_html_in_latin1_with_meta_charset(tmp_path):
    path = tmp_path / "ancien.htm"
    path.write_bytes('<html><head><meta charset="iso-8859-1"></head><body><p>Propriété</p></body></html>'
                     .encode("latin-1"))
    assert [b.text for b in read_document(path).blocks] == ["Propriété"]
