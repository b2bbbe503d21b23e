"""Opening untrusted files safely: size caps, content sniffing, zip-bomb and XML-entity guards.

Every failure becomes a DocumentError with one French line naming the file and the fix;
nothing here may hang or raise a traceback on a hostile file.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from lxml import etree

from clauselint.documents.limits import Limits, megabytes
from clauselint.errors import DocumentError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_READ_CHUNK = 1024 * 1024


def check_file(path: Path, limits: Limits) -> bytes:
    """Refuse a missing, unreadable or too large file; return its first bytes for sniffing."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DocumentError("fichier introuvable : vérifiez le chemin", where=path) from None
    except PermissionError as exc:
        raise read_error(path, exc) from None
    except OSError as exc:
        raise DocumentError(f"lecture impossible ({exc.strerror or exc}) : vérifiez le chemin", where=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError("c'est un dossier, pas un document : donnez le chemin d'un fichier", where=path)
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError("ce n'est pas un fichier ordinaire : donnez le chemin d'un document", where=path)
    if info.st_size > limits.max_file_bytes:
        raise DocumentError(
            f"fichier trop volumineux ({megabytes(info.st_size)}, limite {megabytes(limits.max_file_bytes)}) : "
            "augmentez la limite avec l'option --max-taille",
            where=path,
        )
    try:
        with path.open("rb") as handle:
            return handle.read(2048)
    except OSError as exc:
        raise read_error(path, exc) from None


def read_error(path: Path, exc: OSError) -> DocumentError:
    """The one-line error for a file that could not be read."""
    if isinstance(exc, PermissionError):
        return DocumentError("lecture impossible (permission refusée) : vérifiez les droits du fichier", where=path)
    return DocumentError(f"lecture impossible ({exc.strerror or exc}) : vérifiez le fichier", where=path)


def read_file_bytes(path: Path) -> bytes:
    """The whole file (``check_file`` has refused a missing or too large one first)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise read_error(path, exc) from None


def sniff(head: bytes) -> str:
    """What the first bytes say the file is: "zip", "ole", "pdf", "rtf" or "other"."""
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return "other"


def ole_is_encrypted_ooxml(path: Path, limits: Limits) -> bool:
    """True when an OLE compound file holds an ``EncryptedPackage`` (a password-protected OOXML).

    The stream names sit in the OLE directory as UTF-16LE; scanning for the name is enough
    to tell an encrypted Office 2007+ file from a legacy .doc/.ppt/.xls.
    """
    needle = "EncryptedPackage".encode("utf-16-le")
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes)
    except OSError:
        return False
    return needle in data


def refuse_non_zip(path: Path, kind: str, expected: str, head: bytes, limits: Limits) -> DocumentError:
    """The error for an OOXML/ODF file whose bytes are not a zip package."""
    if kind == "ole":
        if ole_is_encrypted_ooxml(path, limits):
            return DocumentError("document chiffré : enregistrez-le sans mot de passe puis relancez", where=path)
        legacy = {"docx": ".doc (Word 97-2003)", "pptx": ".ppt (PowerPoint 97-2003)"}.get(expected, "OLE (Office 97-2003)")
        modern = {"docx": ".docx", "pptx": ".pptx"}.get(expected, f".{expected}")
        return DocumentError(f"ancien format {legacy} : enregistrez-le au format {modern} puis relancez", where=path)
    if kind == "pdf":
        return DocumentError(f"ce fichier est un PDF, pas un .{expected} : renommez-le en .pdf", where=path)
    if kind == "rtf":
        return DocumentError(f"ce fichier est au format RTF : enregistrez-le au format .{expected} puis relancez",
                             where=path)
    if not head:
        return DocumentError(f"fichier vide : ce n'est pas un .{expected} valide", where=path)
    return DocumentError(
        f"ce n'est pas un fichier .{expected} valide (pas une archive zip) : "
        f"ouvrez-le dans son logiciel et enregistrez-le à nouveau au format .{expected}",
        where=path,
    )


class SafeZip:
    """A zip package read under Limits: members counted, sizes and ratios checked, reads capped."""

    def __init__(self, path: Path, limits: Limits, fix: str) -> None:
        self.path = path
        self.limits = limits
        self.fix = fix  # how the user repairs a damaged package, e.g. "ouvrez-le dans Word..."
        self._read_total = 0
        self._cache: dict[str, bytes] = {}
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except zipfile.BadZipFile as exc:
            raise DocumentError(f"archive endommagée ou tronquée ({exc}) : {fix}", where=path) from exc
        except (OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise DocumentError(f"archive illisible ({exc}) : {fix}", where=path) from exc
        if len(infos) > limits.max_members:
            raise DocumentError(
                f"archive suspecte : {len(infos)} éléments (limite {limits.max_members}) : "
                "vérifiez la provenance du fichier",
                where=path,
            )
        declared = 0
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._infos.setdefault(info.filename, info)
            declared += info.file_size
            self._check_ratio(info)
        if declared > limits.max_uncompressed_bytes:
            raise self._bomb(f"le contenu décompressé annoncé atteint {megabytes(declared)} "
                             f"(limite {megabytes(limits.max_uncompressed_bytes)})")

    def _check_ratio(self, info: zipfile.ZipInfo) -> None:
        limits = self.limits
        if info.file_size >= limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise self._bomb(f"« {info.filename} » se décompresse {ratio:.0f} fois (limite {limits.max_ratio:.0f})")

    def _bomb(self, detail: str) -> DocumentError:
        return DocumentError(f"archive suspecte (bombe zip ?) : {detail} : vérifiez la provenance du fichier",
                             where=self.path)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def declared_size(self, name: str) -> int | None:
        """The member's uncompressed size as the archive declares it (None when absent): lets a
        caller decide before reading anything."""
        info = self._infos.get(name)
        return info.file_size if info is not None else None

    def read(self, name: str) -> bytes | None:
        """The member's bytes (None when absent), counted against the limits while streaming."""
        if name in self._cache:
            return self._cache[name]
        info = self._infos.get(name)
        if info is None:
            return None
        if info.flag_bits & 0x1:
            raise DocumentError("document chiffré : enregistrez-le sans mot de passe puis relancez", where=self.path)
        limits = self.limits
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as member:
                while True:
                    chunk = member.read(_READ_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    self._read_total += len(chunk)
                    # Declared sizes can lie: count what really comes out.
                    if self._read_total > limits.max_uncompressed_bytes:
                        raise self._bomb(f"le contenu décompressé dépasse {megabytes(limits.max_uncompressed_bytes)}")
                    if size >= limits.ratio_floor_bytes and size > limits.max_ratio * max(info.compress_size, 1):
                        raise self._bomb(f"« {name} » se décompresse plus de {limits.max_ratio:.0f} fois")
                    chunks.append(chunk)
        except DocumentError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise DocumentError(f"archive endommagée (« {name} » : {exc}) : {self.fix}", where=self.path) from exc
        except Exception as exc:  # zlib.error and other codec errors on a corrupt member
            raise DocumentError(f"archive endommagée (« {name} » : {exc}) : {self.fix}", where=self.path) from exc
        data = b"".join(chunks)
        self._cache[name] = data
        return data

    def xml(self, name: str) -> etree._Element | None:
        """The member parsed as XML with entities and DTDs refused (None when absent)."""
        data = self.read(name)
        if data is None:
            return None
        return parse_xml(data, self.path, name, self.fix)


def _parser() -> etree.XMLParser:
    # No entity expansion, no network, no DTD loading, lxml's default depth/size caps.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, path: Path, part: str, fix: str) -> etree._Element:
    """Parse one XML part; a DOCTYPE or ENTITY declaration is refused (billion laughs, XXE)."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise DocumentError(
            f"« {part} » contient une déclaration DOCTYPE/ENTITY (XML piégé ?) : fichier refusé, "
            "vérifiez sa provenance",
            where=path,
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"XML endommagé dans « {part} » ({exc.msg}) : {fix}", where=path) from exc
    if root is None:
        raise DocumentError(f"« {part} » est vide : {fix}", where=path)
    if root.getroottree().docinfo.doctype:
        raise DocumentError(f"« {part} » contient une déclaration DOCTYPE : fichier refusé, vérifiez sa provenance",
                            where=path)
    return root
