"""The scanner's parts: firm matching, mentions, insignia text and images, inputs, store, engine."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from clauselint.documents.model import Block, Comment, Document, Location
from clauselint.scan.analyse import Options, analyse_document
from clauselint.scan.firms import FirmIndex, builtin_firms, load_firms
from clauselint.scan.package import Extras

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "corpus" / "deliverables"))


@pytest.fixture(scope="module")
def index():
    return FirmIndex(list(builtin_firms()))


def _names(hits):
    return [(h.firm.name, h.text, h.acronym) for h in hits]


def test_names_match_whole_words_accents_and_case(index):
    assert _names(index.find("Rapport CAPGEMINI INVENT – mars")) == [("Capgemini", "CAPGEMINI INVENT", False)]
    assert _names(index.find("avec l'appui de Sopra  Steria Next")) == [("Sopra Steria", "Sopra  Steria Next", False)]
    assert index.find("la capgeminienne") == []
    assert index.find("www.wavestone.com") == []  # a web address is not a name; domains are matched apart


def test_acronyms_are_case_sensitive_and_flagged(index):
    assert _names(index.find("Article 289 du CGI")) == [("CGI", "CGI", True)]
    assert index.find("le cgi") == []
    assert index.find("un bain chaud") == []
    assert _names(index.find("Bain & Company")) == [("Bain & Company", "Bain & Company", False)]
    assert index.find("Article 289 du CGI", acronyms=False) == []


def test_domains_and_subdomains(index):
    assert index.for_domain("fr.ey.com").name == "EY"
    assert index.for_domain("capgemini.com").name == "Capgemini"
    assert index.for_domain("notcapgemini.com") is None
    assert index.for_domain("interieur.gouv.fr") is None


def test_user_firms_from_config_and_option(tmp_path):
    from clauselint.config import find_config

    (tmp_path / "cabinets.yaml").write_text("firms:\n  - name: Martin Associés\n    domains: [martin-associes.fr]\n",
                                            encoding="utf-8")
    (tmp_path / "clauselint.toml").write_text('firms = ["Dupont Conseil"]\nfirms_file = "cabinets.yaml"\n', encoding="utf-8")
    firms = load_firms(find_config(tmp_path), ["ABC"])
    index = FirmIndex(firms)
    assert _names(index.find("Rédigé par Dupont Conseil")) == [("Dupont Conseil", "Dupont Conseil", False)]
    assert index.for_domain("martin-associes.fr").name == "Martin Associés"
    assert _names(index.find("équipe ABC")) == [("ABC", "ABC", True)]
    assert len(firms) == len(builtin_firms()) + 3


def test_bad_firms_file_is_a_french_error(tmp_path):
    from clauselint.config import find_config
    from clauselint.errors import ConfigError

    (tmp_path / "clauselint.toml").write_text('firms_file = "absent.yaml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="fichier de cabinets introuvable"):
        load_firms(find_config(tmp_path))


def _doc(blocks, **kw):
    return Document(path=Path("x.docx"), format="docx", blocks=blocks, **kw)


def _opts(ner=False):
    return Options(firms=list(builtin_firms()), ner=ner)


def _p(text, kind="paragraph", n=1):
    return Block(text, kind, Location(paragraph=n))


def test_firm_quoted_as_a_source_is_not_authorship():
    doc = _doc([_p("Synthèse"), _p("Source : étude McKinsey 2023"),
                _p("Selon le rapport de Roland Berger publié en 2022, la dépense progresse nettement chaque année.")])
    result = analyse_document(doc, Extras(), _opts())
    assert result["authorship"] == {"consultant": False, "firms": [], "signals": []}
    assert result["findings"] == []


@pytest.mark.parametrize("line", [
    "Document réalisé par Wavestone pour le compte de la DINUM",
    "Étude élaborée avec l'appui du cabinet Wavestone",
    "© Wavestone 2024",
    "Rédigé par : J. Morel (Wavestone)",
    "Avec la contribution des consultants de Wavestone",
])
def test_mentions_on_the_cover_silence_d301(line):
    doc = _doc([_p("Rapport d'étape"), _p(line)], metadata={"company": "Wavestone"})
    result = analyse_document(doc, Extras(), _opts())
    assert result["provenance_mention"]["present"] is True, line
    assert result["provenance_mention"]["evidence"]["firms"] == ["Wavestone"]
    assert [f["code"] for f in result["findings"]] == []


def test_mention_only_in_a_comment_is_not_a_mention():
    doc = _doc([_p("Rapport d'étape"), _p("Contexte")], metadata={"company": "Wavestone"},
               comments=[Comment("Document réalisé par Wavestone", author="J. Morel")])
    result = analyse_document(doc, Extras(), _opts())
    assert result["provenance_mention"]["present"] is False
    assert [f["code"] for f in result["findings"]] == ["D301"]


def test_mention_of_another_firm_leaves_d301_for_the_author():
    doc = _doc([_p("Rapport"), _p("Document élaboré avec l'appui du cabinet Sia Partners")],
               metadata={"last_modified_by": "jdupont@accenture.com"})
    result = analyse_document(doc, Extras(), _opts())
    assert result["authorship"]["firms"] == ["Accenture", "Sia Partners"]
    assert result["provenance_mention"]["missing"] == ["Accenture"]
    [finding] = result["findings"]
    assert finding["code"] == "D301" and finding["firms"] == ["Accenture"]


def test_header_acronym_needs_ner(monkeypatch):
    doc = _doc([_p("Rapport"), Block("CGI – Confidentiel", "header", Location(paragraph=3))])
    assert analyse_document(doc, Extras(), _opts(ner=False))["authorship"]["firms"] == []


def test_devise_on_three_header_lines_and_ministry():
    doc = _doc([_p("Note"), Block("Ministère des Armées", "header"), Block("Liberté", "header"),
                Block("Égalité", "header"), Block("Fraternité", "header")], metadata={"company": "KPMG"})
    result = analyse_document(doc, Extras(), _opts())
    whats = [s["what"] for s in result["insignia"]["signals"]]
    assert whats == ["devise", "ministère dans le bloc-marque"]
    assert [f["code"] for f in result["findings"]] == ["D301", "D302"]


def test_republique_francaise_in_a_sentence_is_not_the_bloc():
    doc = _doc([_p("Au nom de la République française, le présent arrêté est pris après avis du comité.")],
               metadata={"company": "KPMG"})
    assert analyse_document(doc, Extras(), _opts())["insignia"]["present"] is False


def test_emblem_image_matches_after_resize_and_jpeg():
    from PIL import Image

    from build_deliverables import emblem_png
    from clauselint.scan.imagehashes import image_match, load_references

    refs = load_references(ROOT / "corpus" / "deliverables" / "test_insignia_hashes.yaml")
    emblem = Image.open(io.BytesIO(emblem_png()))
    for size in (160, 260, 900):
        copy = emblem.resize((size, int(size * emblem.height / emblem.width)))
        buffer = io.BytesIO()
        copy.convert("RGB").save(buffer, "JPEG", quality=80)
        found = image_match(Image.open(buffer), refs)
        assert found is not None and found[0].reference.id == "embleme-fictif", size
    # A transparent margin around it changes nothing.
    canvas = Image.new("RGBA", (emblem.width + 300, emblem.height + 200), (0, 0, 0, 0))
    canvas.paste(emblem.convert("RGBA"), (150, 100))
    assert image_match(canvas, refs)[0].reference.id == "embleme-fictif"


def test_unrelated_images_do_not_match_the_real_references():
    from PIL import Image, ImageDraw

    from clauselint.scan.imagehashes import builtin_references, image_match

    refs = builtin_references()
    assert {r.id for r in refs} >= {"marianne-drapeau", "bloc-marque", "devise"}
    samples = []
    for seed in range(12):
        image = Image.new("RGB", (400, 200), "white")
        draw = ImageDraw.Draw(image)
        draw.rectangle((10 + seed * 5, 10, 200, 150 - seed * 4), fill=(0, 0, 145))
        draw.rectangle((200, 10, 390 - seed * 7, 150 - seed * 4), fill=(225, 0, 15))  # a blue/red logo, no Marianne
        draw.text((20, 160), f"Cabinet {seed}", fill="black")
        samples.append(image)
    samples.append(Image.new("RGB", (300, 300), (40, 120, 40)))
    assert [image_match(s, refs) for s in samples] == [None] * len(samples)


def test_hostile_images_are_skipped_not_fatal():
    from PIL import Image

    from clauselint.scan.imagehashes import ImageSkipped, open_image

    with pytest.raises(ImageSkipped, match="EMF/WMF"):
        open_image("word/media/image1.emf", b"\x01\x00\x00\x00")
    with pytest.raises(ImageSkipped):
        open_image("word/media/image1.png", b"\x89PNG\r\n\x1a\n garbage")
    big = io.BytesIO()
    Image.new("1", (9000, 9000)).save(big, "PNG")
    with pytest.raises(ImageSkipped, match="trop grande"):
        open_image("word/media/big.png", big.getvalue())
    assert open_image("word/media/tiny.png", _png(8, 8)) is None


def _png(w, h):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (w, h), "white").save(buffer, "PNG")
    return buffer.getvalue()


# --- inputs ---

def test_inputs_folders_globs_skips_and_symlink_loop(tmp_path):
    from clauselint.scan.inputs import expand

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "r.docx").write_bytes(b"x")
    (tmp_path / "a" / "b" / "n.md").write_text("x")
    (tmp_path / "a" / "b" / "t.xlsx").write_bytes(b"x")
    (tmp_path / "a" / "~$r.docx").write_bytes(b"x")
    (tmp_path / "a" / ".cache").mkdir()
    (tmp_path / "a" / ".cache" / "h.md").write_text("x")
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    found = expand([str(tmp_path / "a"), str(tmp_path / "a" / "r.docx")])
    assert [p.name for p in found.files] == ["r.docx", "n.md"]
    assert dict(found.skipped) == {".xlsx": 1, "fichiers de verrouillage": 1}
    assert any("boucle de liens symboliques" in w for w in found.warnings)
    globbed = expand([str(tmp_path / "a" / "**" / "*.md")])
    assert [p.name for p in globbed.files] == ["n.md"]


def test_unreadable_folder_is_a_warning(tmp_path, monkeypatch):
    """os.walk reports a folder it cannot list through onerror (simulated: tests run as root,
    who reads every folder): the scan warns and goes on."""
    from clauselint.scan import inputs

    real_walk = os.walk

    def walk(top, followlinks, onerror):
        onerror(PermissionError(13, "Permission non accordée", str(tmp_path / "locked")))
        yield from real_walk(top, followlinks=followlinks, onerror=onerror)

    monkeypatch.setattr(inputs.os, "walk", walk)
    (tmp_path / "ok.md").write_text("x")
    found = inputs.expand([str(tmp_path)])
    assert [p.name for p in found.files] == ["ok.md"]
    assert found.warnings == [f"{tmp_path / 'locked'}: dossier illisible (Permission non accordée) : ignoré"]


# --- store and engine ---

def _write_corpus(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"note-{i:03d}.md"
        body = f"# Note {i}\n\nRédigé par : équipe Wavestone\n" if i % 3 == 0 else f"# Note {i}\n\nTexte interne.\n"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def test_interrupted_scan_resumes(tmp_path):
    from clauselint.scan.engine import run_scan
    from clauselint.scan.store import Store

    paths = _write_corpus(tmp_path / "c", 12)
    options = _opts()
    store = Store(tmp_path / "s.db")

    class Stop(Exception):
        pass

    seen = []

    def progress(done, total):
        seen.append(done)
        if done >= 5 and len(seen) > 2:
            raise Stop()

    with pytest.raises(Stop):
        run_scan(paths, options, store, progress=progress)
    store.close()
    store = Store(tmp_path / "s.db")
    stats = run_scan(paths, options, store)
    assert stats.cached >= 4 and stats.cached + stats.analysed == 12
    entries = list(store.entries(stats.run))
    assert [Path(e["path"]).name for e in entries] == [p.name for p in paths]
    assert sum(1 for e in entries if e["authorship"]["consultant"]) == 4
    store.close()


def test_changed_file_is_analysed_again(tmp_path):
    from clauselint.scan.engine import run_scan
    from clauselint.scan.store import Store

    paths = _write_corpus(tmp_path / "c", 3)
    store = Store(tmp_path / "s.db")
    run_scan(paths, _opts(), store)
    paths[1].write_text("# Note\n\nRédigé par : équipe KPMG\n", encoding="utf-8")
    stats = run_scan(paths, _opts(), store)
    assert (stats.cached, stats.analysed) == (2, 1)
    firms = [e["authorship"]["firms"] for e in store.entries(stats.run)]
    assert firms == [["Wavestone"], ["KPMG"], []]
    store.close()


def test_process_pool_equals_in_process(tmp_path):
    from clauselint.scan.engine import run_scan
    from clauselint.scan.store import Store

    paths = _write_corpus(tmp_path / "c", 9)
    paths.append(ROOT / "corpus" / "deliverables" / "files" / "fichier-endommage.docx")
    one, two = Store(tmp_path / "1.db"), Store(tmp_path / "2.db")
    a = run_scan(paths, _opts(), one, jobs=1)
    b = run_scan(paths, _opts(), two, jobs=2)
    assert list(one.entries(a.run)) == list(two.entries(b.run))
    assert b.errors == 1
    one.close()
    two.close()


def test_corrupt_database_is_a_french_error(tmp_path):
    from clauselint.errors import ClauselintError
    from clauselint.scan.store import Store

    db = tmp_path / "s.db"
    db.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ClauselintError, match="base de résultats illisible"):
        Store(db)


def test_hostile_files_do_not_stop_the_batch(cli, tmp_path):
    import zipfile

    folder = tmp_path / "h"
    folder.mkdir()
    bomb = folder / "bombe.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * (60 * 1024 * 1024) + b"/>")
    (folder / "vide.pdf").write_bytes(b"")
    (folder / "xxe.docx").write_bytes(_xxe_docx())
    (folder / "ok.md").write_text("Rédigé par : équipe KPMG\n", encoding="utf-8")
    out = tmp_path / "r.json"
    result = cli("scan", folder, "--db", tmp_path / "s.db", "-j", "1", "-f", "json", "-o", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    errors = {Path(f["path"]).name: f["error"] for f in data["files"]}
    assert errors["ok.md"] is None
    assert "bombe zip" in errors["bombe.docx"]
    assert errors["vide.pdf"] and errors["xxe.docx"]
    assert result.exit_code == 0  # the one readable file has a mention (byline naming the firm)


def _xxe_docx() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                              "<d>&x;</d>")
    return buffer.getvalue()
