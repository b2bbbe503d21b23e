"""The web interface in a real browser: Debian's chromium driven by Playwright, against uvicorn on a free port.

Screenshots go to tests/_output/web/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "corpus" / "contracts"
DELIVERABLES = ROOT / "corpus" / "deliverables" / "files"
SHOTS = ROOT / "tests" / "_output" / "web"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--lang=fr-FR"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(app):
    """uvicorn serving ``app`` in a thread on a free port of 127.0.0.1; yields the base URL."""
    import uvicorn

    port = _free_port()
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, name="uvicorn-e2e", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("le serveur n'a pas démarré")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from clauselint.web.app import create_app
    from clauselint.web.settings import WebSettings

    app = create_app(WebSettings(temp_root=tmp_path_factory.mktemp("webtmp")))
    with serving(app) as base:
        yield base, app


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium absent (apt-get install -y chromium)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == [], errors  # no script error, no resource refused by the content policy


def test_keyboard_reaches_the_skip_link_first(server, page):
    base, _app = server
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"
    page.screenshot(path=str(SHOTS / "accueil.png"), full_page=True)


def test_assembler_live_panel_then_zip_download(server, page, tmp_path):
    import docx

    base, app = server
    page.goto(base + "/assembler?exemple=2")
    assert page.locator("#classement").inner_text().startswith("CATÉGORIE 2") or \
        "Catégorie 2" in page.locator("#classement").inner_text()
    # the panel follows the code as it is typed (the server's policy engine answers)
    page.fill("#f-marche-code-nomenclature", "33.04.01")
    expect = playwright.expect
    expect(page.locator("#classement")).to_contain_text("1re catégorie")
    assert "T407" in page.locator("#classement").inner_text()
    expect(page.locator('li[data-clause="steering-strategy"] [data-badge]')).to_have_text("Retenue")
    assert page.locator('li[data-clause="steering"] [data-badge]').inner_text().lower() == "non retenue"
    page.fill("#f-projet-taux-externalisation", "85 %")
    expect(page.locator("#classement")).to_contain_text("T403")
    # the weights' total follows the inputs
    page.fill("#f-criteres-0-ponderation", "50")
    assert page.locator("#total-ponderations").inner_text() == "90"
    page.fill("#f-criteres-0-ponderation", "60")
    assert page.locator("#total-ponderations").inner_text() == "100"
    page.fill("#f-projet-taux-externalisation", "0.30")
    page.locator("#f-marche-code-nomenclature").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "assembleur.png"))
    with page.expect_download() as info:
        page.click("button[value=generer]")
    download = info.value
    assert download.suggested_filename == "dce-dnum-2025-ssi-021.zip"
    target = tmp_path / "dce.zip"
    download.save_as(target)
    with zipfile.ZipFile(target) as archive:
        assert "manifest.json" in archive.namelist() and "interne/note-de-conformite.docx" in archive.namelist()
        ccap = docx.Document(io.BytesIO(archive.read("ccap.docx")))
    text = "\n".join(p.text for p in ccap.paragraphs)
    assert "Audit de sécurité et accompagnement à l'homologation" in text
    assert list(app.state.temp.process_dir.rglob("*")) == []


def test_assembler_filled_from_blank_gives_a_package(server, page, tmp_path):
    import docx

    base, _app = server
    page.goto(base + "/assembler")
    for field, value in (
        ("acheteur-ministere", "ministère de la Transition écologique"),
        ("acheteur-direction", "Direction du numérique"),
        ("acheteur-adresse", "Tour Séquoia, 92055 La Défense"),
        ("acheteur-signataire", "la directrice du numérique"),
        ("consultation-reference", "MTE-2026-TMA-003"),
        ("consultation-objet", "Tierce maintenance applicative du système d'information des aides"),
        ("marche-code-nomenclature", "33.04.09"),
        ("marche-montant-estime-ht", "1,2 M€"),
        ("marche-duree-mois", "36"),
        ("criteres-0-critere", "Valeur technique"),
        ("criteres-0-ponderation", "70"),
        ("criteres-1-critere", "Prix"),
        ("criteres-1-ponderation", "30"),
    ):
        page.fill(f"#f-{field}", value)
    page.select_option("#f-consultation-procedure", "appel-offres-ouvert")
    page.select_option("#f-marche-forme", "marche-unique")
    page.select_option("#f-execution-hebergement", "chez-l-acheteur")
    page.locator("label[for=f-execution-agile-non]").click()
    page.locator("label[for=f-execution-donnees-personnelles-oui]").click()
    playwright.expect(page.locator("#classement")).to_contain_text("3e catégorie")
    playwright.expect(page.locator('li[data-clause="personal-data"] [data-badge]')).to_have_text("Retenue")
    assert page.locator("#total-ponderations").inner_text() == "100"
    with page.expect_download() as info:
        page.click("button[value=generer]")
    target = tmp_path / "dce.zip"
    info.value.save_as(target)
    assert info.value.suggested_filename == "dce-mte-2026-tma-003.zip"
    with zipfile.ZipFile(target) as archive:
        ccap = docx.Document(io.BytesIO(archive.read("ccap.docx")))
    text = "\n".join(p.text for p in ccap.paragraphs)
    assert "Tierce maintenance applicative du système d'information des aides" in text
    assert re.search(r"Le montant estimé du marché est de 1\s200\s000\s€\sHT", text)


def test_errors_without_javascript_are_summarised_and_linked(server, browser):
    base, _app = server
    context = browser.new_context(locale="fr-FR", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/assembler")
    page.click("text=Vérifier le formulaire")
    assert page.title() == "Erreur : Assembler un dossier — clauselint"
    summary = page.locator("#erreurs")
    assert "Le formulaire contient" in summary.inner_text()
    page.screenshot(path=str(SHOTS / "assembleur-erreurs.png"))
    summary.locator("a", has_text="Ministère : Champ obligatoire").click()
    assert page.evaluate("document.activeElement.id") == "f-acheteur-ministere"
    context.close()


def test_review_shows_the_marked_evidence_and_gives_the_fixed_contract(server, page, tmp_path):
    from clauselint.documents import read_document

    base, app = server
    page.goto(base + "/verifier")
    page.set_input_files("#f-document", str(CONTRACTS / "ccap-dgfip-tma-applications-recouvrement.docx"))
    page.click("button:has-text('Vérifier le contrat')")
    page.wait_for_selector("h1:has-text('Vérification de')")
    mark = page.locator("#famille-conflict-of-interest mark")
    assert mark.inner_text().startswith("Le titulaire n'a pas à fournir d'attestation d'absence de conflit d'intérêts")
    assert mark.is_visible()
    page.locator("#famille-conflict-of-interest summary", has_text="Comprendre la règle").click()
    page.screenshot(path=str(SHOTS / "verification.png"), full_page=True)
    mark.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "verification-preuve.png"))
    with page.expect_download() as info:
        page.click("text=Rapport JSON")
    assert info.value.suggested_filename == "ccap-dgfip-tma-applications-recouvrement.docx.clauselint.json"
    with page.expect_download() as info:
        page.click("text=Contrat corrigé")
    fixed = tmp_path / "corrige.docx"
    info.value.save_as(fixed)
    assert any("signes distinctifs" in b.text for b in read_document(fixed).blocks if b.inserted)
    assert list(app.state.temp.process_dir.rglob("*")) == []


def test_scan_shows_the_report(server, page):
    base, _app = server
    page.goto(base + "/controler")
    page.set_input_files("#f-livrables", [str(DELIVERABLES / "benchmark-ey.docx"),
                                           str(DELIVERABLES / "rapport-final-embleme.docx")])
    page.click("button:has-text('Contrôler les livrables')")
    page.wait_for_selector("h1:has-text('Rapport de contrôle')")
    frame = page.frame_locator("iframe.cl-report")
    assert "benchmark-ey.docx" in frame.locator("#fichiers").inner_text()
    page.screenshot(path=str(SHOTS / "controle.png"), full_page=True)


def test_pages_read_well_with_the_fallback_stylesheet(browser, tmp_path):
    from clauselint.web.app import create_app
    from clauselint.web.settings import WebSettings

    app = create_app(WebSettings(temp_root=tmp_path / "t", dsfr_dir=tmp_path / "sans-dsfr", warm_up=False))
    with serving(app) as base:
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []  # scripts failing, or a stylesheet, script or image the server refused
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and r.request.resource_type != "document"
                else None)
        page.goto(base + "/verifier")
        assert page.locator("link[href='/static/fallback.css']").count() == 1
        assert page.locator("#f-document").is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
        page.screenshot(path=str(SHOTS / "secours-verification.png"))
        page.goto(base + "/assembler")
        page.click("text=Vérifier le formulaire")
        assert page.locator("#erreurs").is_visible()
        page.screenshot(path=str(SHOTS / "secours-assembleur-erreurs.png"))
        # links stay clickable (a card's enlarged link must not cover the page)
        page.locator("#erreurs a", has_text="Ministère : Champ obligatoire").click(timeout=5000)
        assert page.evaluate("document.activeElement.id") == "f-acheteur-ministere"
        page.click("nav >> text=Vérifier un contrat", timeout=5000)
        assert page.url == base + "/verifier"
        context.close()
    assert errors == []
