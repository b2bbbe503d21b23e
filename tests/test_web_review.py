"""The web interface's contract review, fix and deliverables scan, with the real engine (spaCy)."""

from __future__ import annotations

import base64
import html
import io
import json
import logging
import re
import warnings
import zipfile
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from clauselint.web.app import create_app
from clauselint.web.settings import WebSettings

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "corpus" / "contracts"
DELIVERABLES = ROOT / "corpus" / "deliverables" / "files"
SHOWN = {"present": "présente", "missing": "manquante", "contradicted": "contredite"}


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    settings = WebSettings(temp_root=tmp_path_factory.mktemp("webtmp"), warm_up=False)
    return TestClient(create_app(settings))


def expected(name: str) -> dict:
    data = yaml.safe_load((CONTRACTS / "expected.yaml").read_text(encoding="utf-8"))
    return next(c for c in data["contracts"] if c["file"] == name)


def family_section(page: str, family: str) -> str:
    start = page.index(f'id="famille-{family}"')
    end = page.find("<section", start + 1)
    return page[start: end if end > 0 else len(page)]


def review(client, name: str, **data) -> str:
    content = (CONTRACTS / name).read_bytes()
    response = client.post("/verifier", data=data, files={"document": (name, content, "application/octet-stream")})
    assert response.status_code == 200, response.text[-3000:]
    assert list(client.app.state.temp.process_dir.rglob("*")) == []  # the upload is gone before the answer
    return response.text


def test_review_shows_statuses_and_marks_the_contradiction(client, caplog):
    from clauselint.library.families import BY_ID

    name = "ccap-dgfip-tma-applications-recouvrement.docx"
    with caplog.at_level(logging.INFO):
        page = review(client, name)
    truth = expected(name)
    assert re.search(r"<h1>Vérification de « ccap-dgfip-tma-applications-recouvrement\.docx »</h1>", page)
    # each family as the linter's own report says (the JSON offered for download)
    report = json.loads(base64.b64decode(re.search(r'href="data:application/json;base64,([^"]+)"', page).group(1)))
    for clause in report["files"][0]["clauses"]:
        section = family_section(page, clause["family"])
        assert f'{escape(BY_ID[clause["family"]].label)} <span class="fr-badge' in section
        shown = "non exigée" if clause["status"] == "missing" and not clause["required"] else SHOWN[clause["status"]]
        assert re.search(rf'fr-badge--\w+">{shown}</span>', section), clause["family"]
    # the corpus's labelled contradiction, marked in the document's own text
    assert truth["statuses"]["conflict-of-interest"] == "contradicted"
    assert re.search(r'fr-badge--error">contredite</span>', family_section(page, "conflict-of-interest"))
    quote = truth["contradiction_quotes"]["conflict-of-interest"]
    section = family_section(page, "conflict-of-interest")
    assert f"<mark>{escape(quote)}</mark>" in section
    assert "Phrase qui contredit la clause — Article 4 – Organisation de l&#39;exécution › 4.3 Intervenants" in section
    assert "Comprendre la règle C203 (contradicted-conflict-of-interest)" in section
    assert "<h4 class=\"fr-h6\">Base légale</h4>" in section
    assert "Rédaction type de la bibliothèque" in section
    assert "C101" in family_section(page, "insignia")
    # nothing the user sent (name or text) is logged
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert name not in logged and quote[:40] not in logged


def test_review_reports_are_the_clis_json_and_sarif(client, cli, tmp_path):
    name = "ccap-ministere-agriculture-strategie-numerique.docx"
    page = review(client, name)

    def download(label: str) -> dict:
        match = re.search(r'href="data:[^;]+;base64,([^"]+)" download="([^"]+)">' + label, page)
        assert match, label
        return json.loads(base64.b64decode(match.group(1)))

    web = download("Rapport JSON")
    (tmp_path / name).write_bytes((CONTRACTS / name).read_bytes())
    import os

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = cli("lint", name, "--format", "json")
    finally:
        os.chdir(cwd)
    assert json.loads(result.stdout) == web
    sarif = download("Rapport SARIF")
    assert sarif["version"] == "2.1.0"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {name}


@pytest.mark.parametrize("name", ["ccap-ministere-travail-startup-etat.pdf", "ccap-musee-arts-littoral-tma-collections.odt"])
def test_review_of_pdf_and_odt_marks_the_evidence(client, name):
    page = review(client, name)
    truth = expected(name)
    present = [f for f, s in truth["statuses"].items() if s == "present"]
    marked = [f for f in present if "<mark>" in family_section(page, f)]
    assert marked, "no evidence marked"
    if name.endswith(".pdf"):
        assert re.search(r"<figcaption>[^<]* — [^<]*p\. \d+</figcaption>", page)


def test_options_override_what_the_document_says(client):
    page = review(client, "ccap-dgfip-tma-applications-recouvrement.docx", categorie="1", agile="oui")
    assert re.search(r"<th scope=\"row\">Catégorie</th><td>1</td><td>option</td>", page)
    assert re.search(r'id="famille-agile".*?fr-badge--\w+">présente', page, re.DOTALL)


def test_fixed_contract_has_the_missing_clauses_as_tracked_changes(client, tmp_path):
    from clauselint.documents import read_document

    name = "ccap-dgfip-tma-applications-recouvrement.docx"
    page = review(client, name)
    form = re.search(r'<form method="post" action="/verifier/corriger".*?</form>', page, re.DOTALL).group(0)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    assert base64.b64decode(fields["document"]) == (CONTRACTS / name).read_bytes()
    response = client.post("/verifier/corriger", data={k: html.unescape(v) for k, v in fields.items()},
                           files={"vide": ("", b"", "application/octet-stream")})
    assert response.status_code == 200, response.text[-2000:]
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="ccap-dgfip-tma-applications-recouvrement.corrige.docx"')
    fixed = tmp_path / "corrige.docx"
    fixed.write_bytes(response.content)
    inserted = [b.text for b in read_document(fixed).blocks if b.inserted]
    assert any("signes distinctifs" in text for text in inserted)
    assert list(client.app.state.temp.process_dir.rglob("*")) == []


def test_scan_of_files_and_a_zip_gives_the_scan_report(client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.write(DELIVERABLES / "courriel-synthese.txt", "lot/courriel-synthese.txt")
        z.write(DELIVERABLES / "tableau-suivi.xlsx", "lot/tableau-suivi.xlsx")
        z.writestr("__MACOSX/lot/._courriel-synthese.txt", b"x")
    files = [
        ("livrables", ("benchmark-ey.docx", (DELIVERABLES / "benchmark-ey.docx").read_bytes(), "application/octet-stream")),
        ("livrables", ("etude-opportunite-mention.docx", (DELIVERABLES / "etude-opportunite-mention.docx").read_bytes(),
                       "application/octet-stream")),
        ("livrables", ("envoi.zip", archive.getvalue(), "application/zip")),
    ]
    response = client.post("/controler", files=files)
    assert response.status_code == 200, response.text[-3000:]
    page = response.text
    assert "<h1>Rapport de contrôle des livrables</h1>" in page
    assert "3 fichiers analysés : 2 sans mention de l'intervention d'un cabinet (D301)" in page
    assert "1 fichier .xlsx de « envoi.zip » non contrôlé (format non pris en charge)" in page
    report = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    assert "benchmark-ey.docx" in report and "envoi.zip › lot/courriel-synthese.txt" in report
    assert "EY" in report and "BearingPoint" in report
    assert str(client.app.state.temp.root) not in report
    csp = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp
    assert list(client.app.state.temp.process_dir.rglob("*")) == []


def test_engine_lock_counts_its_use(client):
    state = client.get("/api/etat").json()
    assert state["moteur_pret"] is True
    assert state["moteur"]["appels"] >= 1 and state["requetes_en_cours"] == 0


def test_fixing_a_complete_contract_says_there_is_nothing_to_fix(client):
    from test_web import example_form

    data = example_form(client, 1)
    archive = zipfile.ZipFile(io.BytesIO(client.post("/assembler", data={**data, "action": "generer"}).content))
    ccap = archive.read("ccap.docx")
    fields = {"document": base64.b64encode(ccap).decode("ascii"), "nom": "ccap.docx", "extension": ".docx",
              "categorie": "", "agile": "", "donnees": ""}
    response = client.post("/verifier/corriger", data=fields, files={"vide": ("", b"", "application/octet-stream")})
    assert response.status_code == 200
    assert "<h1>Rien à corriger dans « ccap.docx »</h1>" in response.text
    assert "Aucune clause exigée ne manque ni n'est contredite" in response.text
    assert list(client.app.state.temp.process_dir.rglob("*")) == []


def test_fix_refuses_a_pdf_or_a_truncated_document(client):
    fields = {"document": "bm9u", "nom": "c.pdf", "extension": ".pdf"}
    response = client.post("/verifier/corriger", data=fields, files={"vide": ("", b"", "application/octet-stream")})
    assert response.status_code == 400
    assert "Seul un contrat Word (.docx)" in response.text
    fields = {"document": "pas du base64 !", "nom": "c.docx", "extension": ".docx"}
    response = client.post("/verifier/corriger", data=fields, files={"vide": ("", b"", "application/octet-stream")})
    assert response.status_code == 400
    assert "vide ou tronqué" in response.text


def test_a_zip_of_exactly_the_maximum_number_of_files_is_accepted(tmp_path):
    client = TestClient(create_app(WebSettings(temp_root=tmp_path / "t", warm_up=False, max_files=2)))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a/note-1.txt", "Note de travail de l'équipe projet.")
        z.writestr("a/note-2.txt", "Compte rendu de la réunion du comité.")
    response = client.post("/controler", files={"livrables": ("lot.zip", archive.getvalue(), "application/zip")})
    assert response.status_code == 200
    assert "2 fichiers analysés" in response.text


def test_the_real_server_logs_neither_names_nor_query_strings(tmp_path):
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "serveur.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "clauselint", "serve", "--port", str(port),
                                   "--dossier-temporaire", str(tmp_path / "racine")],
                                  cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    httpx.get(base + "/api/etat", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            assert httpx.get(base + "/api/classement?marche.montant_estime_ht=987654", timeout=10).status_code == 200
            response = httpx.post(base + "/verifier", timeout=30,
                                  files={"document": ("marche-confidentiel-dgfip.docx", b"PK\x03\x04 pas un docx",
                                                      "application/octet-stream")})
            assert response.status_code == 400
            assert "marche-confidentiel-dgfip.docx" in response.text
        finally:
            server.terminate()
            server.wait(timeout=20)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert '"POST /verifier HTTP/1.1" 400' in text
    assert '"GET /api/classement HTTP/1.1" 200' in text
    assert "987654" not in text and "confidentiel" not in text
    assert list((tmp_path / "racine").rglob("*.docx")) == []
