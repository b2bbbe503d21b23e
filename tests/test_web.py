"""The web interface (clauselint serve) through FastAPI's TestClient: pages, assembler, uploads, data handling."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import typing
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

import warnings  # noqa: E402

with warnings.catch_warnings():  # starlette 1.x suggests httpx2 for its test client; httpx works
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient  # noqa: E402

from clauselint.web.app import create_app  # noqa: E402
from clauselint.web.settings import WebSettings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _client(tmp: Path, **options) -> TestClient:
    options.setdefault("warm_up", False)
    settings = WebSettings(temp_root=tmp, **options)
    return TestClient(create_app(settings), raise_server_exceptions=True)


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    return _client(tmp_path_factory.mktemp("webtmp"))


def leftovers(client: TestClient) -> list[Path]:
    """Files or folders still under this process's temporary folder (there must be none between requests)."""
    return sorted(client.app.state.temp.process_dir.rglob("*"))


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert match, "page without <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "heading"), [
    ("/", "clauselint"),
    ("/assembler", "Assembler un dossier de consultation"),
    ("/verifier", "Vérifier un contrat"),
    ("/controler", "Contrôler des livrables"),
    ("/donnees", "Traitement des documents"),
    ("/accessibilite", "Accessibilité"),
])
def test_every_page_renders_in_french(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="fr"' in response.text
    assert h1(response.text) == heading
    assert 'href="#contenu"' in response.text  # skip link
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert h1(response.text) == "Page introuvable"
    assert "revenez à l&#39;accueil" in response.text


def test_navigation_marks_the_current_page(client):
    html = client.get("/verifier").text
    assert re.search(r'href="/verifier" aria-current="page"', html)
    assert not re.search(r'href="/assembler" aria-current="page"', html)


def test_fallback_stylesheet_without_dsfr(tmp_path):
    client = _client(tmp_path / "t", dsfr_dir=tmp_path / "absent")
    html = client.get("/").text
    assert '/static/fallback.css' in html and "/dsfr/dsfr.min.css" not in html
    assert client.get("/static/fallback.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200


def test_dsfr_assets_are_served_when_built(client):
    settings = client.app.state.settings
    if not settings.dsfr_available:
        pytest.skip("DSFR non installé (npm absent lors de make install)")
    html = client.get("/").text
    assert "/dsfr/dsfr.min.css" in html and "/static/fallback.css" not in html
    css = client.get("/dsfr/dsfr.min.css")
    assert css.status_code == 200 and ".fr-btn" in css.text
    assert client.get("/dsfr/fonts/Marianne-Regular.woff2").status_code == 200


# --- the form follows the spec model ------------------------------------------------------------


def test_form_has_a_label_for_every_model_field_and_nothing_else(library):
    from clauselint.spec.model import TenderSpec
    from clauselint.web import labels
    from clauselint.web.specform import RowGroup, build_schema, fields_of

    schema = build_schema(library)
    form_keys = set(fields_of(schema))
    model_keys = set()

    def walk(model, prefix):
        for name, info in model.model_fields.items():
            key = f"{prefix}{name}"
            if key in labels.NOT_IN_FORM:
                continue
            annotation = info.annotation
            args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
            inner = args[0]
            if typing.get_origin(inner) is list:
                inner = typing.get_args(inner)[0]
            if isinstance(inner, type) and hasattr(inner, "model_fields"):
                walk(inner, key + ".")
            else:
                model_keys.add(key)

    walk(TenderSpec, "")
    assert form_keys == model_keys
    assert set(labels.FIELDS) == model_keys
    groups = {item.key for s in schema for item in s.items if isinstance(item, RowGroup)}
    assert groups == set(labels.GROUPS)


def test_choices_are_the_models_and_the_libraries(library):
    from clauselint.spec.model import Consultation, Execution, Marche
    from clauselint.web.specform import build_schema, fields_of

    fields = fields_of(build_schema(library))
    for model, name, key in ((Consultation, "procedure", "consultation.procedure"), (Marche, "forme", "marche.forme"),
                             (Execution, "hebergement", "execution.hebergement")):
        values = typing.get_args(model.model_fields[name].annotation)
        assert [v for v, _label in fields[key].choices] == list(values)
    ip = library.get("intellectual-property").variables["option"].choices
    assert [v for v, _label in fields["propriete_intellectuelle.option"].choices] == ip
    assert dict(fields["consultation.procedure"].choices)["dialogue-competitif"] == "Dialogue compétitif"
    assert fields["marche.duree_mois"].minimum == 1 and fields["marche.duree_mois"].maximum == 120
    assert fields["consultation.reference"].max_length == 60


# --- live classification -------------------------------------------------------------------------


def test_classification_endpoint_calls_the_policy_engine(client):
    from clauselint.policy import assess

    answer = client.get("/api/classement", params={
        "marche.code_nomenclature": "330401", "marche.montant_estime_ht": "450 k€",
        "projet.montant_total_ht": "12 M€", "projet.taux_externalisation": "85 %",
        "acheteur.seuil_controle_a_priori_ht": "150000", "execution.agile": "non",
        "execution.donnees_personnelles": "oui", "marche.pro_bono": "non",
    }).json()
    expected = assess("33.04.01", amount="450 k€", project_amount="12 M€", outsourcing="85 %",
                      a_priori_threshold=150000)
    assert answer["categorie"] == 1
    assert answer["classement"] == expected.to_dict()
    assert [f["code"] for f in answer["classement"]["findings"]] == ["T403", "T401", "T406", "T408"]
    assert "conflict-of-interest-strategy" in answer["clauses"] and "personal-data" in answer["clauses"]
    assert "agile-execution" not in answer["clauses"]
    assert answer["raisons"]["agile-execution"] == "réservée aux marchés avec exécution en méthode agile"
    assert "Catégorie 1" in answer["html"] and "T403" in answer["html"]


def test_classification_errors_are_french_and_per_field(client):
    answer = client.get("/api/classement", params={"marche.code_nomenclature": "33.04.07",
                                                   "marche.montant_estime_ht": "abc"}).json()
    assert answer["categorie"] is None and answer["clauses"] == []
    assert answer["erreurs"]["marche.code_nomenclature"].startswith(
        "Le code 33.04.07 n'est pas un code de prestation intellectuelle informatique")
    assert answer["erreurs"]["marche.montant_estime_ht"] == \
        "Montant « abc » illisible (ex. 450000, 450 000, 450k, 9M, 1,5 M€)"
    assert "Code de la nomenclature des achats : Le code 33.04.07" in answer["html"]


# --- assembler -----------------------------------------------------------------------------------


def example_form(client, category: int) -> dict[str, str]:
    """The assembler's form as the browser would send it, pre-filled with an example."""
    html = client.get(f"/assembler?exemple={category}").text
    data: dict[str, str] = {}
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "action":
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        kind = kind.group(1) if kind else ""
        value = re.search(r'value="([^"]*)"', tag)
        if kind in ("radio", "checkbox"):
            if " checked" in tag:
                data[name.group(1)] = value.group(1)
        elif tag.startswith("<select"):
            block = html[html.index(tag):]
            selected = re.search(r'<option value="([^"]*)" selected', block[:block.index("</select>")])
            data[name.group(1)] = selected.group(1) if selected else ""
        elif tag.startswith("<textarea"):
            block = html[html.index(tag) + len(tag):]
            data[name.group(1)] = _unescape(block[:block.index("</textarea>")])
        else:
            data[name.group(1)] = _unescape(value.group(1)) if value else ""
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_empty_form_lists_each_error_next_to_its_field(client):
    response = client.post("/assembler", data={"action": "verifier"})
    assert response.status_code == 400
    html = response.text
    assert "<title>Erreur : Assembler un dossier — clauselint</title>" in html
    assert re.search(r'id="erreurs" tabindex="-1"', html)
    assert '<a href="#f-acheteur-ministere">Ministère : Champ obligatoire : renseignez-le</a>' in html
    assert re.search(r'id="f-acheteur-ministere" name="acheteur.ministere" value=""[^>]*'
                     r'aria-describedby="f-acheteur-ministere-aide f-acheteur-ministere-erreur" aria-invalid="true"', html)
    assert '<p class="fr-error-text" id="f-acheteur-ministere-erreur">Champ obligatoire : renseignez-le</p>' in html
    assert '<a href="#f-criteres">Critères : Ajoutez au moins une ligne</a>' in html
    assert leftovers(client) == []


def test_weights_and_cross_field_errors_point_at_their_fields(client):
    data = example_form(client, 3)
    data["criteres.0.ponderation"] = "45"
    response = client.post("/assembler", data={**data, "action": "verifier"})
    assert response.status_code == 400
    assert ('<a href="#f-criteres">Critères : Les pondérations totalisent 90 %, elles doivent totaliser 100 %</a>'
            in response.text)
    data = example_form(client, 1)
    data["execution.agile"] = "oui"
    data["marche.montant_estime_ht"] = "450.000"
    response = client.post("/assembler", data={**data, "action": "verifier"})
    assert response.status_code == 400
    assert "Montant estimé (€ HT) : Montant « 450.000 » ambigu" in response.text
    data["marche.montant_estime_ht"] = "450000"
    response = client.post("/assembler", data={**data, "action": "verifier"})
    assert ('<a href="#f-execution-agile">Exécution en méthode agile : Un marché agile se commande en unités '
            "d&#39;œuvre") in response.text


def test_error_in_a_row_points_at_the_row_typed_in(client):
    data = example_form(client, 1)
    data["criteres.1.critere"] = ""
    data["criteres.1.ponderation"] = ""
    data["criteres.2.critere"] = "Prix"
    data["criteres.2.ponderation"] = "cent"
    html = client.post("/assembler", data={**data, "action": "verifier"}).text
    assert '<a href="#f-criteres-2-ponderation">Critère 2 — Pondération (%) : « cent » : doit être un nombre entier</a>' \
        in html.replace("Doit", "doit")


def test_adding_a_row_works_without_javascript(client):
    data = example_form(client, 1)
    html = client.post("/assembler", data={**data, "action": "ajouter:criteres"}).text
    assert 'name="criteres.3.critere"' in html and 'name="criteres.4.critere"' not in html
    assert 'value="Valeur technique"' in html  # what was typed is kept
    assert 'name="lignes.criteres" value="4"' in html


def test_valid_form_shows_the_exact_clauses(client):
    data = example_form(client, 3)
    html = client.post("/assembler", data={**data, "action": "verifier"}).text
    assert "Spécification complète et valide" in html
    assert "avec le texte qu'elles auront dans le dossier" in html
    assert re.search(r'data-clause="agile-execution">\s*<details>\s*<summary><span class="fr-badge fr-badge--sm '
                     r'fr-badge--success" data-badge>Retenue', html)
    assert "Non retenue : réservée aux achats de catégorie 1 (achat de catégorie 3)." in html


def test_spec_download_round_trips_through_the_cli_loader(client, library, tmp_path, cli):
    from clauselint.spec import load_spec
    from clauselint.spec.example import example_spec

    data = example_form(client, 3)
    response = client.post("/assembler", data={**data, "action": "spec"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="dnum-2025-dev-042.yaml"')
    spec_path = tmp_path / "tender.yaml"
    spec_path.write_bytes(response.content)
    original = tmp_path / "original.yaml"
    original.write_text(example_spec(3, ip_option="utilisation"), encoding="utf-8")
    assert load_spec(spec_path, library).spec == load_spec(original, library).spec
    result = cli("assemble", spec_path, "-o", tmp_path / "dossier")
    assert result.exit_code == 0, result.output


def test_generated_zip_holds_what_assemble_writes(client, library, tmp_path):
    import docx

    from clauselint.assemble import assemble

    data = example_form(client, 1)
    response = client.post("/assembler", data={**data, "action": "generer"})
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"] == "application/zip"
    assert leftovers(client) == []
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    spec = client.post("/assembler", data={**data, "action": "spec"}).content
    (tmp_path / "tender.yaml").write_bytes(spec)
    package = assemble(tmp_path / "tender.yaml", tmp_path / "dce", library)
    expected = sorted(p.relative_to(package.folder).as_posix() for p in package.folder.rglob("*") if p.is_file())
    assert sorted(archive.namelist()) == expected
    web_manifest = json.loads(archive.read("manifest.json"))
    cli_manifest = json.loads((package.folder / "manifest.json").read_text(encoding="utf-8"))

    def without_bytes(manifest):
        return {**manifest, "files": [{k: v for k, v in f.items() if k not in ("sha256", "bytes")}
                                      for f in manifest["files"]]}

    assert without_bytes(web_manifest) == without_bytes(cli_manifest)
    (tmp_path / "ccap.docx").write_bytes(archive.read("ccap.docx"))
    web_text = [p.text for p in docx.Document(str(tmp_path / "ccap.docx")).paragraphs]
    cli_text = [p.text for p in docx.Document(str(package.folder / "ccap.docx")).paragraphs]
    assert web_text == cli_text
    assert any("signes distinctifs" in t for t in web_text)


# --- uploads: limits, refusals, deletion ---------------------------------------------------------


def test_review_without_a_file_or_with_a_bad_extension(client):
    response = client.post("/verifier", files={"document": ("", b"", "application/octet-stream")})
    assert response.status_code == 400
    assert "Contrat : Choisissez le contrat à vérifier (.docx, .odt, .pdf)" in response.text
    response = client.post("/verifier", files={"document": ("../../etc/outil.exe", b"MZ\x90\x00", "application/x-msdownload")})
    assert response.status_code == 400
    assert "« outil.exe » : format .exe non accepté ici ; formats acceptés : .docx, .odt, .pdf" in response.text
    assert leftovers(client) == []


def test_too_large_upload_is_refused_with_413(tmp_path):
    client = _client(tmp_path / "t", max_file_bytes=100_000)
    response = client.post("/verifier", files={"document": ("gros.pdf", b"%PDF-1.4\n" + b"0" * 200_000, "application/pdf")})
    assert response.status_code == 413
    assert "dépasse la taille maximale d&#39;un fichier (0,1 Mo)" in response.text
    assert leftovers(client) == []


def test_unreadable_contract_names_the_users_file_not_the_servers(client):
    response = client.post("/verifier", files={"document": ("contrat.docx", b"ceci n'est pas un docx", "application/octet-stream")})
    assert response.status_code == 400
    text = response.text
    assert "« contrat.docx » : ce n&#39;est pas un fichier .docx valide (pas une archive zip)" in text
    assert str(client.app.state.temp.root) not in text
    assert leftovers(client) == []


def test_bad_review_options_are_reported(client):
    response = client.post("/verifier", data={"categorie": "7", "agile": "peut-être"},
                           files={"document": ("c.pdf", b"%PDF-1.4", "application/pdf")})
    assert response.status_code == 400
    assert "Catégorie : Choisissez 1, 2, 3 ou « déduite du document »" in response.text
    assert "Méthode agile : Choisissez oui, non ou « déduit du document »" in response.text


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_in_an_uploaded_zip_is_refused(client):
    bomb = _zip({"livrable.txt": b"0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    response = client.post("/controler", files={"livrables": ("envoi.zip", bomb, "application/zip")})
    assert response.status_code == 400
    assert "« envoi.zip » : archive suspecte (bombe zip ?)" in response.text
    assert leftovers(client) == []


def test_too_many_files_are_refused(tmp_path):
    client = _client(tmp_path / "t", max_files=2)
    files = [("livrables", (f"note-{i}.txt", b"Note de travail.", "text/plain")) for i in range(3)]
    response = client.post("/controler", files=files)
    assert response.status_code == 413
    assert "trop de fichiers : 2 au plus par envoi" in response.text
    archive = _zip({f"dossier/note-{i}.txt": b"Note." for i in range(3)})
    response = client.post("/controler", files={"livrables": ("lot.zip", archive, "application/zip")})
    assert response.status_code == 413
    assert "trop de fichiers : 2 au plus par envoi" in response.text
    archive = _zip({f"dossier/note-{i}.txt": b"Note." for i in range(2)})
    response = client.post("/controler", files=[("livrables", ("a.txt", b"Note.", "text/plain")),
                                                ("livrables", ("lot.zip", archive, "application/zip"))])
    assert response.status_code == 413
    assert leftovers(client) == []


def test_uploaded_names_never_reach_the_file_system(tmp_path):
    import asyncio

    from clauselint.web.uploads import read_multipart

    folder = tmp_path / "r"
    folder.mkdir()
    boundary = "XyZ"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"livrables\"; filename=\"../../../etc/cron.d/x.docx\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\nPK-data\r\n--{boundary}--\r\n").encode()

    async def stream():
        yield body

    form = asyncio.run(read_multipart(stream(), f"multipart/form-data; boundary={boundary}", folder,
                                      {"livrables": frozenset({".docx"})}, 1000, 5))
    (upload,) = form.files
    assert upload.display_name == "x.docx" and upload.path == folder / "001.docx"
    assert sorted(p.name for p in folder.iterdir()) == ["001.docx"]
    assert oct(upload.path.stat().st_mode & 0o777) == "0o600"


def test_leftovers_of_a_crash_are_removed_at_start_up(tmp_path):
    root = tmp_path / "racine"
    root.mkdir(mode=0o700)
    dead = root / "p999999999-deadbeef"
    (dead / "r123").mkdir(parents=True)
    (dead / "r123" / "001.docx").write_bytes(b"contrat")
    alive = root / f"p{os.getppid()}-cafe"
    alive.mkdir()
    client = _client(root)
    assert not dead.exists() and alive.exists()
    assert oct(root.stat().st_mode & 0o777) == "0o700"
    assert oct(client.app.state.temp.process_dir.stat().st_mode & 0o777) == "0o700"


def test_a_root_owned_by_someone_else_or_a_symlink_is_refused(tmp_path):
    from clauselint.errors import ClauselintError
    from clauselint.web.tempfiles import TempRoot

    target = tmp_path / "ailleurs"
    target.mkdir()
    (tmp_path / "lien").symlink_to(target)
    with pytest.raises(ClauselintError, match="n'est pas un dossier ordinaire"):
        TempRoot(tmp_path / "lien")


# --- configuration and command ------------------------------------------------------------------


def test_limits_come_from_the_configuration_and_options_win(tmp_path):
    from clauselint.errors import ConfigError
    from clauselint.web.settings import load_settings

    (tmp_path / "pyproject.toml").write_text("[tool.clauselint.serve]\nmax-taille = 5\nmax-fichiers = 7\n",
                                             encoding="utf-8")
    settings = load_settings(start=tmp_path)
    assert (settings.max_file_bytes, settings.max_files) == (5 * 1024 * 1024, 7)
    settings = load_settings(max_megabytes=2, max_files=3, start=tmp_path)
    assert (settings.max_file_bytes, settings.max_files) == (2 * 1024 * 1024, 3)
    (tmp_path / "pyproject.toml").write_text("[tool.clauselint.serve]\nmax-fichiers = \"beaucoup\"\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="« serve.max-fichiers » : « beaucoup » \\? indiquez un nombre positif"):
        load_settings(start=tmp_path)


def test_serve_rejects_bad_options_in_french(cli):
    result = cli("serve", "--max-taille", "0")
    assert result.exit_code == 2
    assert "--max-taille : « 0.0 » Mo ? indiquez une taille positive" in result.output
    result = cli("serve", "--port", "70000")
    assert result.exit_code == 2
    assert "--port : « 70000 » ? indiquez un port entre 1 et 65535" in result.output
    result = cli("serve", "--workers", "0")
    assert result.exit_code == 2
    assert "--workers : « 0 » ? indiquez un nombre de processus positif" in result.output


def test_worker_processes_get_the_same_settings(tmp_path, monkeypatch):
    from decimal import Decimal

    from clauselint.web.app import app_from_environment
    from clauselint.web.settings import SETTINGS_ENV, from_environment, to_environment

    settings = WebSettings(max_file_bytes=123, max_files=4, temp_root=tmp_path / "t", library_folders=(tmp_path,),
                           a_priori_threshold=Decimal("150000"), warm_up=False)
    assert from_environment(to_environment(settings)) == settings
    monkeypatch.setenv(SETTINGS_ENV, to_environment(settings))
    app = app_from_environment()
    assert app.state.settings == settings and app.state.temp.root == tmp_path / "t"


def test_serve_explains_how_to_install_the_extra(cli, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "fastapi", None)
    result = cli("serve")
    assert result.exit_code == 2
    assert "pip install 'clauselint[web]'" in result.output


def test_access_log_drops_the_query_string():
    from clauselint.cli.cmd_serve import _NoQueryString, log_config

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/api/classement?marche.montant_estime_ht=450000", "1.1", 200),
                               None)
    assert _NoQueryString().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /api/classement HTTP/1.1" 200'
    assert log_config()["handlers"]["access"]["filters"] == ["no_query"]


def test_configured_threshold_prefills_the_form(tmp_path):
    from decimal import Decimal

    client = _client(tmp_path / "t", a_priori_threshold=Decimal("150000"))
    html = client.get("/assembler").text
    assert re.search(r'id="f-acheteur-seuil-controle-a-priori-ht" name="acheteur.seuil_controle_a_priori_ht" '
                     r'value="150000"', html)


@pytest.mark.parametrize("url", ["/assembler", "/assembler?exemple=3", "/verifier", "/controler"])
def test_every_control_has_a_label_and_unique_ids(client, url):
    from html.parser import HTMLParser

    class Controls(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids: list[str] = []
            self.labels: set[str] = set()
            self.controls: list[dict] = []
            self.described: list[str] = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "id" in attrs:
                self.ids.append(attrs["id"])
            if tag == "label" and "for" in attrs:
                self.labels.add(attrs["for"])
            if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
                self.controls.append(attrs)
            if tag != "button" and "aria-describedby" in attrs:
                self.described += attrs["aria-describedby"].split()

    html = client.get(url).text
    parser = Controls()
    parser.feed(html)
    assert len(parser.ids) == len(set(parser.ids)), "duplicate ids"
    unlabelled = [c.get("name") for c in parser.controls if c.get("id") not in parser.labels]
    assert unlabelled == []
    assert set(parser.described) <= set(parser.ids)


def test_an_existing_spec_fills_the_form(client, tmp_path):
    from clauselint.spec.example import example_spec

    text = example_spec(2, "ma-spec.yaml", "cession")
    response = client.post("/assembler/importer", files={"spec": ("ma-spec.yaml", text.encode(), "application/yaml")})
    assert response.status_code == 200
    assert "Spécification « ma-spec.yaml » reprise : vérifiez chaque champ." in response.text
    assert re.search(r'name="marche.code_nomenclature" value="33.04.04"', response.text)
    assert re.search(r'<option value="cession" selected>', response.text)
    broken = text.replace("  ponderation: 60", "  ponderation: 50", 1)
    response = client.post("/assembler/importer", files={"spec": ("ma-spec.yaml", broken.encode(), "application/yaml")})
    assert response.status_code == 400
    assert re.search(r"Spécification à reprendre : ma-spec\.yaml:\d+: « criteres » : les pondérations totalisent 90 %",
                     response.text)
    assert str(client.app.state.temp.root) not in response.text
    response = client.post("/assembler/importer", files={"spec": ("spec.txt", b"x", "text/plain")})
    assert response.status_code == 400
    assert "format .txt non accepté ici ; formats acceptés : .yaml, .yml" in response.text
    assert leftovers(client) == []
