"""Read a request's form while it arrives: files streamed into the request's private folder, under limits.

No name from the request reaches the file system: each file is written as ``NNN.ext``, where
``ext`` comes from an allow-list; the name the user gave is kept for display only. The size and
count limits are checked while reading, so an oversized upload is never stored whole. A ZIP of
deliverables is opened with the readers' zip guards (clauselint.documents.safety) and its
members are extracted the same way.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs

from clauselint.documents.limits import megabytes

MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 2000
MAX_FORM_BYTES = 1024 * 1024  # a whole url-encoded form (the assembler's)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


class UploadRefused(Exception):
    """An upload the server refuses, with the HTTP status and a one-line French message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class UploadedFile:
    field: str
    display_name: str  # what the user called it: shown in pages and reports, never used as a path
    extension: str  # from the allow-list, lower case, with its dot
    path: Path  # server-side name in the request's folder
    size: int


@dataclass
class FormData:
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        values = self.fields.get(name)
        return values[-1] if values else default

    def getlist(self, name: str) -> list[str]:
        return list(self.fields.get(name, []))


def display_name(raw: str, fallback: str = "document") -> str:
    """The base name of what the browser sent, without control characters, at most 120 characters."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", name).strip().lstrip(".") or fallback
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: 110] + "…" + dot + suffix[:8]) if dot else name[:120]
    return name


def extension_of(name: str) -> str:
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,9}", suffix or "") else ""


def formats(allowed: Iterable[str]) -> str:
    return ", ".join(sorted(allowed))


def refuse_extension(name: str, allowed: Iterable[str]) -> UploadRefused:
    ext = extension_of(name) or "sans extension"
    return UploadRefused(400, f"« {name} » : format {ext} non accepté ici ; formats acceptés : {formats(allowed)}")


def too_large(name: str, limit: int) -> UploadRefused:
    return UploadRefused(413, f"« {name} » dépasse la taille maximale d'un fichier ({megabytes(limit)}) ; "
                              "réduisez-le (images compressées, annexes à part) ou demandez à l'administrateur "
                              "d'augmenter la limite (--max-taille)")


def too_many(limit: int) -> UploadRefused:
    return UploadRefused(413, f"trop de fichiers : {limit} au plus par envoi ; envoyez-les en plusieurs fois "
                              "ou demandez à l'administrateur d'augmenter la limite (--max-fichiers)")


class _Writer:
    """One file part being written, with its size checked as it grows."""

    def __init__(self, folder: Path, index: int, extension: str, name: str, field_name: str, limit: int) -> None:
        self.path = folder / f"{index:03d}{extension}"
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.size = 0
        self.limit = limit
        self.upload = UploadedFile(field=field_name, display_name=name, extension=extension, path=self.path, size=0)

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise too_large(self.upload.display_name, self.limit)
        os.write(self.fd, data)

    def close(self) -> UploadedFile:
        os.close(self.fd)
        self.upload.size = self.size
        return self.upload


async def read_multipart(
    stream: AsyncIterator[bytes],
    content_type: str,
    folder: Path,
    allowed: dict[str, frozenset[str]],
    max_file_bytes: int,
    max_files: int,
    big_fields: dict[str, int] | None = None,
) -> FormData:
    """Parse a multipart/form-data body; ``allowed`` maps each file field to its accepted extensions.

    ``big_fields`` lets a text field exceed the usual 64 kB (e.g. a document sent back as base64).
    An empty file input (no file chosen) is ignored.
    """
    from python_multipart.multipart import MultipartParser, parse_options_header

    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRefused(400, "formulaire mal formé (multipart/form-data attendu) ; rechargez la page et recommencez")
    big_fields = big_fields or {}
    form = FormData()
    state: dict = {"headers": {}, "field": b"", "value": b"", "writer": None, "text": None, "name": "", "count": 0,
                   "skip": False, "fields": 0}

    def on_part_begin() -> None:
        state.update(headers={}, writer=None, text=None, skip=False)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["value"] += data[start:end]

    def on_header_end() -> None:
        state["headers"][state["field"].lower()] = state["value"]
        state["field"] = state["value"] = b""

    def on_headers_finished() -> None:
        _disposition, options = parse_options_header(state["headers"].get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        state["name"] = name
        state["fields"] += 1
        if state["fields"] > MAX_FIELDS:
            raise UploadRefused(413, "formulaire trop long ; rechargez la page et recommencez")
        if b"filename" in options:
            raw = options[b"filename"].decode("utf-8", "replace")
            if not raw:  # a file input left empty
                state["skip"] = True
                return
            if name not in allowed:
                raise UploadRefused(400, "champ de fichier inattendu ; rechargez la page et recommencez")
            shown = display_name(raw)
            extension = extension_of(shown)
            if extension not in allowed[name]:
                raise refuse_extension(shown, allowed[name])
            if len(form.files) >= max_files:
                raise too_many(max_files)
            state["writer"] = _Writer(folder, len(form.files) + 1, extension, shown, name, max_file_bytes)
        else:
            state["text"] = bytearray()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state["skip"]:
            return
        chunk = data[start:end]
        if state["writer"] is not None:
            state["writer"].write(chunk)
        elif state["text"] is not None:
            state["text"] += chunk
            if len(state["text"]) > big_fields.get(state["name"], MAX_FIELD_BYTES):
                raise UploadRefused(413, f"champ « {state['name']} » trop long ; rechargez la page et recommencez")

    def on_part_end() -> None:
        if state["writer"] is not None:
            upload = state["writer"].close()
            state["writer"] = None
            if upload.size == 0:
                upload.path.unlink(missing_ok=True)
                raise UploadRefused(400, f"« {upload.display_name} » est vide (0 octet) ; choisissez le bon fichier")
            form.files.append(upload)
        elif state["text"] is not None:
            form.fields.setdefault(state["name"], []).append(bytes(state["text"]).decode("utf-8", "replace"))
            state["text"] = None

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
        "on_part_end": on_part_end,
    })
    try:
        async for chunk in stream:
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except UploadRefused:
        raise
    except Exception as exc:  # a malformed body: python-multipart's own errors
        raise UploadRefused(400, "envoi interrompu ou mal formé ; rechargez la page et recommencez") from exc
    finally:
        writer = state.get("writer")
        if writer is not None:
            try:
                os.close(writer.fd)
            except OSError:
                pass
    return form


async def read_urlencoded(stream: AsyncIterator[bytes]) -> FormData:
    """An application/x-www-form-urlencoded body of at most 1 MB."""
    body = bytearray()
    async for chunk in stream:
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise UploadRefused(413, "formulaire trop long (1 Mo au plus) ; raccourcissez les textes saisis")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise UploadRefused(400, "formulaire mal formé ; rechargez la page et recommencez") from None
    return FormData(fields=fields)


def extract_zip(archive: UploadedFile, folder: Path, allowed: frozenset[str], max_file_bytes: int,
                budget: int, first_index: int, limit_shown: int) -> tuple[list[UploadedFile], list[str]]:
    """The members of an uploaded ZIP with an accepted extension, each written as ``NNN.ext``.

    The archive is opened with the readers' guards (member count, declared and real sizes,
    compression ratio: clauselint.documents.safety.SafeZip); nested archives, folders and hidden
    or lock files are skipped. ``budget`` is how many more files the request may bring (the limit
    shown to the user is ``limit_shown``). Returns the files and French notes on what was left aside.
    """
    from clauselint.documents.limits import Limits
    from clauselint.documents.safety import SafeZip
    from clauselint.errors import DocumentError

    # Everything extracted stays within what the same number of separate uploads could bring.
    limits = Limits(max_file_bytes=archive.size + 1,
                    max_uncompressed_bytes=min(Limits().max_uncompressed_bytes, max_file_bytes * max(budget, 1)))
    files: list[UploadedFile] = []
    skipped: dict[str, int] = {}
    try:
        with SafeZip(archive.path, limits, "recréez l'archive ZIP et envoyez-la à nouveau") as package:
            for name in package.names():
                clean = name.replace("\\", "/")
                parts = [p for p in clean.split("/") if p]
                if not parts or clean.endswith("/"):
                    continue
                base = parts[-1]
                if any(p.startswith(".") or p == "__MACOSX" for p in parts) or base.startswith(("~$", ".~lock.")):
                    continue
                shown = _UNSAFE.sub("", unicodedata.normalize("NFC", "/".join(parts)))
                shown = shown if len(shown) <= 120 else "…" + shown[-119:]
                extension = extension_of(base)
                if extension not in allowed:
                    skipped[extension or "sans extension"] = skipped.get(extension or "sans extension", 0) + 1
                    continue
                if (package.declared_size(name) or 0) > max_file_bytes:
                    raise too_large(f"{archive.display_name} › {shown}", max_file_bytes)
                if len(files) >= budget:
                    raise too_many(limit_shown)
                data = package.read(name) or b""
                if len(data) > max_file_bytes:
                    raise too_large(f"{archive.display_name} › {shown}", max_file_bytes)
                target = folder / f"{first_index + len(files):03d}{extension}"
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                try:
                    os.write(fd, data)
                finally:
                    os.close(fd)
                files.append(UploadedFile(field=archive.field, display_name=f"{archive.display_name} › {shown}",
                                          extension=extension, path=target, size=len(data)))
    except DocumentError as exc:
        raise UploadRefused(400, f"« {archive.display_name} » : {' '.join(exc.message.split())}") from None
    notes = [f"{count} fichier{'s' if count > 1 else ''} {ext} de « {archive.display_name} » non contrôlé"
             f"{'s' if count > 1 else ''} (format non pris en charge)" for ext, count in sorted(skipped.items())]
    return files, notes
