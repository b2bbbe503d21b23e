"""The FastAPI application: French server-rendered pages over the assembler, the linter, the fixer and the scanner.

    uvicorn --factory clauselint.web.app:create_app      # or: clauselint serve

Every decision is taken by the CLI's own functions (spec model, policy engine, library
selection, assemble, lint runner and reports, fix, scan); this module only moves data between
HTTP and them. Uploaded documents live in a private request folder (clauselint.web.tempfiles)
removed before the response leaves.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import logging
import re
import threading
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from clauselint import __version__
from clauselint.errors import ClauselintError
from clauselint.web import specform
from clauselint.web.assembler import LIVE_FIELDS
from clauselint.web.engine import SharedEngine
from clauselint.web.settings import STATIC_DIR, WebSettings
from clauselint.web.tempfiles import TempRoot
from clauselint.web.uploads import FormData, UploadRefused, read_multipart, read_urlencoded

log = logging.getLogger("clauselint.web")

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
CONTRACT_EXTENSIONS = frozenset({".docx", ".pdf", ".odt"})
BASE_CSP = ("default-src 'self'; img-src 'self' data:; font-src 'self'; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
NO_STORE = {"Cache-Control": "no-store"}
TRI_STATE = {"": None, "oui": True, "non": False}


def _deliverable_extensions() -> frozenset[str]:
    from clauselint.scan.inputs import SCANNED

    return frozenset(SCANNED) | {".zip"}


class _SecurityHeaders:
    """Headers on every response: no framing, no sniffing, no referrer, a strict content policy."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in ((b"content-security-policy", BASE_CSP.encode()),
                                    (b"x-content-type-options", b"nosniff"),
                                    (b"referrer-policy", b"no-referrer"),
                                    (b"x-frame-options", b"DENY")):
                    if name not in present:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _attachment(filename: str) -> str:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "fichier"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _slug(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-").lower()[:60] or "dce"


def _log_internal(exc: BaseException) -> None:
    # Only the exception's type and the code's frames: a message may quote a document's text.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("erreur interne %s\n%s", type(exc).__name__, frames)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The application for one server process (its engine, temporary folder and library)."""
    settings = settings or WebSettings()
    temp = TempRoot(settings.temp_root)
    removed = temp.clean_leftovers()
    if removed:
        log.info("dossiers temporaires d'un arrêt brutal supprimés : %d", removed)
    engine = SharedEngine(library_folders=settings.library_folders)
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        if settings.warm_up:
            threading.Thread(target=_warm, name="clauselint-warm-up", daemon=True).start()
        yield
        temp.close()

    def _warm() -> None:
        try:
            engine.warm_up()
        except Exception as exc:  # the first review will report it
            _log_internal(exc)

    app = FastAPI(title="clauselint", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.temp = temp
    app.state.engine = engine
    app.add_middleware(_SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if settings.dsfr_available:
        app.mount("/dsfr", StaticFiles(directory=settings.dsfr_dir), name="dsfr")

    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(version=__version__, dsfr=settings.dsfr_available, html_id=specform.html_id,
                       row_name=specform.row_name, field_label=_field_label, condition_label=_condition_label)
    env.filters["megabytes"] = _megabytes

    def page(template: str, status: int = 200, headers: Mapping[str, str] | None = None, **context: Any) -> HTMLResponse:
        context.setdefault("errors", [])
        context.setdefault("field_errors", {e.target: e.message for e in reversed(context["errors"])})
        context.setdefault("nav", "")
        html = env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status, headers={**NO_STORE, **(headers or {})})

    library_lock = threading.Lock()

    def library():
        with library_lock:
            if "library" not in state:
                from clauselint.library import load_library

                state["library"] = load_library(list(settings.library_folders))
                state["schema"] = specform.build_schema(state["library"])
        return state["library"]

    def schema() -> tuple[specform.Section, ...]:
        library()
        return state["schema"]

    limits = {"max_file": settings.max_file_bytes, "max_files": settings.max_files}

    # --- pages without data ---------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    async def home() -> HTMLResponse:
        return page("home.html", title="Accueil", nav="accueil")

    @app.get("/donnees", response_class=HTMLResponse)
    async def data_page() -> HTMLResponse:
        return page("donnees.html", title="Traitement des documents", limits=limits)

    @app.get("/accessibilite", response_class=HTMLResponse)
    async def accessibility() -> HTMLResponse:
        return page("accessibilite.html", title="Accessibilité")

    @app.get("/api/etat")
    async def status() -> JSONResponse:
        return JSONResponse({"version": __version__, "moteur_pret": engine.ready.is_set(),
                             "dsfr": settings.dsfr_available, "moteur": engine.stats.as_dict(),
                             "requetes_en_cours": len(temp.requests_in_progress())})

    # --- assembler ----------------------------------------------------------------------------

    def assembler_page(form_state: specform.FormState, errors: list[specform.FieldError] | None = None,
                       status: int = 200, notice: str | None = None) -> HTMLResponse:
        from clauselint.web.assembler import preview

        sections = schema()
        info = preview(form_state, sections, library(), env, spec_folder=temp.process_dir)
        errors = errors or []
        return page("assembler.html", status=status, title=("Erreur : " if errors else "") + "Assembler un dossier",
                    nav="assembler", sections=sections, form=form_state, errors=errors,
                    live_fields=LIVE_FIELDS,
                    preview=info, notice=notice, examples=(1, 2, 3), pdf_available=_soffice_available())

    @app.get("/assembler", response_class=HTMLResponse)
    def assembler_get(exemple: str | None = None) -> HTMLResponse:  # sync: FastAPI runs it in its threadpool
        sections = schema()
        if exemple in ("1", "2", "3"):
            form_state = _example_state(int(exemple), sections, library(), temp)
            return assembler_page(form_state, notice=f"Formulaire pré-rempli avec l'exemple de catégorie {exemple} : "
                                                     "adaptez chaque champ à votre achat.")
        return assembler_page(specform.empty_state(sections, settings.a_priori_threshold))

    @app.post("/assembler")
    async def assembler_post(request: Request) -> Response:
        try:
            form = await read_urlencoded(request.stream())
        except UploadRefused as exc:
            return page("error.html", status=exc.status, title="Envoi refusé", message=exc.message)
        sections = schema()
        form_state = specform.state_from_form(sections, form.fields)
        action = form.get("action", "verifier")
        if action.startswith("ajouter:"):
            group = specform.groups_of(sections).get(action.split(":", 1)[1])
            if group is not None:
                form_state.rows[group.key] = min(form_state.row_count(group) + 1, specform.MAX_ROWS)
            return await run_in_threadpool(assembler_page, form_state)
        result = specform.validate(sections, form_state)
        if result.spec is None:
            return await run_in_threadpool(assembler_page, form_state, result.errors, 400)
        if action == "spec":
            text = specform.spec_yaml(result.spec)
            name = f"{_slug(result.spec.consultation.reference)}.yaml"
            return Response(text.encode("utf-8"), media_type="application/yaml; charset=utf-8",
                            headers={"Content-Disposition": _attachment(name), **NO_STORE})
        if action == "generer":
            from clauselint.web.assembler import package_zip

            fmt = "md" if form.get("format") == "md" else "docx"
            pdf = form.get("pdf") == "oui" and fmt == "docx"
            folder = temp.request_dir()
            try:
                data = await run_in_threadpool(package_zip, result.spec, library(), folder, fmt, pdf)
            except ClauselintError as exc:
                error = specform.error_from_message(exc.message, specform.targets_for(sections, form_state))
                return await run_in_threadpool(assembler_page, form_state, [error], 400)
            finally:
                temp.remove(folder)
            name = f"dce-{_slug(result.spec.consultation.reference)}.zip"
            return Response(data, media_type="application/zip",
                            headers={"Content-Disposition": _attachment(name), **NO_STORE})
        notice = "Spécification complète et valide : vous pouvez générer le dossier ou télécharger la spécification."
        return await run_in_threadpool(assembler_page, form_state, None, 200, notice)

    @app.post("/assembler/importer")
    async def assembler_import(request: Request) -> Response:
        from clauselint.spec import load_spec
        from clauselint.spec.loader import MAX_SPEC_BYTES

        sections = schema()
        folder = temp.request_dir()
        stream = request.stream()
        try:
            try:
                form = await read_multipart(stream, request.headers.get("content-type", ""), folder,
                                            {"spec": frozenset({".yaml", ".yml"})},
                                            min(settings.max_file_bytes, MAX_SPEC_BYTES), 1)
                if not form.files:
                    raise UploadRefused(400, "choisissez le fichier YAML de la spécification (.yaml ou .yml)")
            except UploadRefused as exc:
                await _drain(stream, settings.max_file_bytes * 2)
                error = specform.FieldError("spec", "Spécification à reprendre", exc.message[:1].upper() + exc.message[1:])
                return await run_in_threadpool(assembler_page, specform.empty_state(sections, settings.a_priori_threshold),
                                               [error], exc.status)
            upload = form.files[0]
            try:
                loaded = await run_in_threadpool(load_spec, upload.path, library())
            except ClauselintError as exc:
                message = exc.one_line().replace(str(upload.path), upload.display_name)
                error = specform.FieldError("spec", "Spécification à reprendre", message)
                return await run_in_threadpool(assembler_page, specform.empty_state(sections, settings.a_priori_threshold),
                                               [error], 400)
            notice = f"Spécification « {upload.display_name} » reprise : vérifiez chaque champ."
            if loaded.spec.variables:
                notice += (" Ses valeurs propres aux clauses (« variables ») ne sont pas dans le formulaire : "
                           "ajoutez-les à la spécification téléchargée.")
            return await run_in_threadpool(assembler_page, specform.state_from_spec(sections, loaded.spec), None, 200,
                                           notice)
        finally:
            temp.remove(folder)

    @app.get("/api/classement")
    def classification(request: Request) -> JSONResponse:
        from clauselint.web.assembler import live

        return JSONResponse(live(dict(request.query_params), library(), env))

    # --- contract review ------------------------------------------------------------------------

    def review_form(errors: list[specform.FieldError] | None = None, status: int = 200,
                    options: Mapping[str, str] | None = None) -> HTMLResponse:
        return page("review.html", status=status, title=("Erreur : " if errors else "") + "Vérifier un contrat",
                    nav="verifier", errors=errors or [], limits=limits, options=options or {},
                    formats=", ".join(sorted(CONTRACT_EXTENSIONS)))

    @app.get("/verifier", response_class=HTMLResponse)
    async def review_get() -> HTMLResponse:
        return review_form()

    def _review_options(form: FormData) -> tuple[dict[str, Any], dict[str, str], list[specform.FieldError]]:
        raw = {"categorie": form.get("categorie"), "agile": form.get("agile"), "donnees": form.get("donnees")}
        errors = []
        if raw["categorie"] not in ("", "1", "2", "3"):
            errors.append(specform.FieldError("categorie", "Catégorie", "Choisissez 1, 2, 3 ou « déduite du document »"))
        for key, label in (("agile", "Méthode agile"), ("donnees", "Données personnelles")):
            if raw[key] not in TRI_STATE:
                errors.append(specform.FieldError(key, label, "Choisissez oui, non ou « déduit du document »"))
        if errors:
            return {}, raw, errors
        options = {"category": int(raw["categorie"]) if raw["categorie"] else None,
                   "agile": TRI_STATE[raw["agile"]], "personal_data": TRI_STATE[raw["donnees"]]}
        return options, raw, []

    @app.post("/verifier")
    async def review_post(request: Request) -> Response:
        from clauselint.web.review import build_view

        folder = temp.request_dir()
        stream = request.stream()
        try:
            try:
                _check_length(request, settings.max_file_bytes + 1024 * 1024)
                form = await read_multipart(stream, request.headers.get("content-type", ""), folder,
                                            {"document": CONTRACT_EXTENSIONS}, settings.max_file_bytes, 1)
            except UploadRefused as exc:
                await _drain(stream, settings.max_file_bytes * 2)
                return review_form([specform.FieldError("document", "Contrat", exc.message)], exc.status)
            options, raw, errors = _review_options(form)
            if not form.files:
                errors.insert(0, specform.FieldError("document", "Contrat", "Choisissez le contrat à vérifier "
                                                     f"({', '.join(sorted(CONTRACT_EXTENSIONS))})"))
            if errors:
                return review_form(errors, 400, raw)
            upload = form.files[0]
            try:
                document, report, lib = await run_in_threadpool(engine.review, upload.path, upload.display_name,
                                                           settings.max_file_bytes, **options)
            except ClauselintError as exc:
                message = f"« {upload.display_name} » : {' '.join(exc.message.split())}"
                return review_form([specform.FieldError("document", "Contrat", message)], 400, raw)
            view = await run_in_threadpool(build_view, document, report, lib, upload.display_name, upload.extension)
            if view.fixable:
                view.document_b64 = base64.b64encode(upload.path.read_bytes()).decode("ascii")
            view.options = raw
            return page("review_result.html", title=f"Vérification de « {upload.display_name} »", nav="verifier",
                        view=view)
        finally:
            temp.remove(folder)

    @app.post("/verifier/corriger")
    async def fix_post(request: Request) -> Response:
        from clauselint.web.review import fixable

        folder = temp.request_dir()
        stream = request.stream()
        try:
            try:
                form = await read_multipart(stream, request.headers.get("content-type", ""), folder, {},
                                            settings.max_file_bytes, 0,
                                            big_fields={"document": settings.max_file_bytes * 4 // 3 + 16})
            except UploadRefused as exc:
                await _drain(stream, settings.max_file_bytes * 2)
                return page("error.html", status=exc.status, title="Envoi refusé", message=exc.message)
            options, _raw, errors = _review_options(form)
            name = form.get("nom") or "contrat.docx"
            extension = form.get("extension")
            if errors or not fixable(extension):
                return page("error.html", status=400, title="Correction impossible",
                            message="Seul un contrat Word (.docx), ou OpenDocument (.odt) quand LibreOffice est "
                                    "installé, se corrige en modifications suivies ; vérifiez à nouveau le contrat.")
            try:
                data = base64.b64decode(form.get("document"), validate=True)
            except (binascii.Error, ValueError):
                data = b""
            if not data or len(data) > settings.max_file_bytes:
                return page("error.html", status=400, title="Correction impossible",
                            message="Le contrat renvoyé par la page est vide ou tronqué ; vérifiez-le à nouveau puis "
                                    "cliquez sur « Télécharger le contrat corrigé ».")
            source = folder / f"001{extension}"
            source.write_bytes(data)
            source.chmod(0o600)
            output = folder / "corrige.docx"
            try:
                result = await run_in_threadpool(engine.fix, source, output, settings.max_file_bytes, **options)
            except ClauselintError as exc:
                return page("error.html", status=400, title="Correction impossible",
                            message=f"« {name} » : {' '.join(exc.message.split())}")
            if not result.written:
                return page("fix_nothing.html", title="Rien à corriger", nav="verifier", name=name, result=result)
            stem = name.rsplit(".", 1)[0] if "." in name else name
            return Response(output.read_bytes(),
                            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            headers={"Content-Disposition": _attachment(f"{stem}.corrige.docx"), **NO_STORE})
        finally:
            temp.remove(folder)

    # --- deliverables scan ------------------------------------------------------------------------

    def scan_form(errors: list[specform.FieldError] | None = None, status: int = 200) -> HTMLResponse:
        return page("scan.html", status=status, title=("Erreur : " if errors else "") + "Contrôler des livrables",
                    nav="controler", errors=errors or [], limits=limits,
                    formats=", ".join(sorted(_deliverable_extensions())))

    @app.get("/controler", response_class=HTMLResponse)
    async def scan_get() -> HTMLResponse:
        return scan_form()

    @app.post("/controler")
    async def scan_post(request: Request) -> Response:
        from clauselint.web.scanning import scan_report
        from clauselint.web.uploads import extract_zip

        folder = temp.request_dir()
        stream = request.stream()
        try:
            try:
                _check_length(request, settings.max_request_bytes)
                form = await read_multipart(stream, request.headers.get("content-type", ""), folder,
                                            {"livrables": _deliverable_extensions()}, settings.max_file_bytes,
                                            settings.max_files)
                files = [u for u in form.files if u.extension != ".zip"]
                notes: list[str] = []
                next_index = len(form.files) + 1  # server-side names after the uploads' own
                for upload in (u for u in form.files if u.extension == ".zip"):
                    members, skipped = extract_zip(upload, folder, _deliverable_extensions() - {".zip"},
                                                   settings.max_file_bytes, settings.max_files - len(files),
                                                   first_index=next_index, limit_shown=settings.max_files)
                    upload.path.unlink(missing_ok=True)
                    files += members
                    notes += skipped
                    next_index += len(members)
            except UploadRefused as exc:
                await _drain(stream, settings.max_request_bytes * 2)
                return scan_form([specform.FieldError("livrables", "Livrables", exc.message)], exc.status)
            if not files:
                message = "Choisissez au moins un livrable (ou une archive ZIP)"
                if notes:
                    message += " : " + " ; ".join(notes)
                return scan_form([specform.FieldError("livrables", "Livrables", message)], 400)
            report = await run_in_threadpool(scan_report, engine, files, folder, settings.max_file_bytes)
            report.notes = notes + report.notes
            csp = BASE_CSP.replace("frame-ancestors 'none'", "frame-ancestors 'none'; frame-src 'self'")
            csp = csp.replace("script-src 'self'", "script-src 'self' " + " ".join(report.script_hashes))
            # The report colours its legend with style attributes, which a hash cannot allow.
            csp = csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            return page("scan_result.html", title="Rapport de contrôle des livrables", nav="controler",
                        report=report, headers={"Content-Security-Policy": csp})
        finally:
            temp.remove(folder)

    # --- errors -----------------------------------------------------------------------------------

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        if exc.status_code == 404:
            return page("error.html", status=404, title="Page introuvable",
                        message="Cette adresse ne correspond à aucune page de clauselint ; revenez à l'accueil.")
        if exc.status_code == 405:
            return page("error.html", status=405, title="Méthode non autorisée",
                        message="Cette page ne s'utilise pas ainsi ; revenez au formulaire et envoyez-le à nouveau.")
        return page("error.html", status=exc.status_code, title="Erreur", message="La requête n'a pas pu aboutir.")

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception) -> HTMLResponse:
        _log_internal(exc)
        return page("error.html", status=500, title="Erreur interne",
                    message="Une erreur interne est survenue ; le document envoyé a été supprimé. Réessayez, et "
                            "si l'erreur persiste, signalez-la à l'administrateur (sans joindre le document).")

    return app


def app_from_environment() -> FastAPI:
    """The application of one uvicorn worker process (``clauselint serve --workers N``)."""
    import os

    from clauselint.web.settings import SETTINGS_ENV, from_environment

    text = os.environ.get(SETTINGS_ENV)
    return create_app(from_environment(text) if text else None)


def _field_label(name: str) -> str:
    from clauselint.web.labels import FIELDS

    return FIELDS.get(name, (name, None))[0]


def _condition_label(key: str) -> str:
    return {"agile": "méthode agile", "personal_data": "données personnelles", "pro_bono": "pro bono"}.get(key, key)


def _megabytes(size: int) -> str:
    from clauselint.documents.limits import megabytes

    return megabytes(size)


def _soffice_available() -> bool:
    from clauselint.assemble.pdf import find_soffice

    return find_soffice() is not None


def _check_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        from clauselint.documents.limits import megabytes

        raise UploadRefused(413, f"envoi trop volumineux ({megabytes(int(declared))}, limite {megabytes(limit)}) ; "
                                 "envoyez des fichiers plus petits ou moins de fichiers à la fois")


async def _drain(stream: Any, limit: int) -> None:
    """Read (and drop) the rest of a refused upload, so that the browser shows the answer."""
    read = 0
    with contextlib.suppress(Exception):
        async for chunk in stream:
            read += len(chunk)
            if read > limit:
                break


def _example_state(category: int, sections: tuple[specform.Section, ...], library: Any,
                   temp: TempRoot) -> specform.FormState:
    """The form filled with ``clauselint init``'s example of that category, read by the spec loader."""
    from clauselint.spec import load_spec
    from clauselint.spec.example import example_spec

    options = specform.ip_options(library)
    folder = temp.request_dir()
    try:
        path = folder / "exemple.yaml"
        path.write_text(example_spec(category, "exemple.yaml", options[0] if options else None), encoding="utf-8")
        spec = load_spec(path, library).spec
    finally:
        temp.remove(folder)
    return specform.state_from_spec(sections, spec)


def csp_hashes(html: str, tag: str) -> list[str]:
    """CSP source hashes of the inline ``<tag>`` elements of a page (the scan report's style and script)."""
    out = []
    for body in re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        out.append(f"'sha256-{digest}'")
    return out
