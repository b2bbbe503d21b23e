"""What one deliverable says about who wrote it: consultant authorship, explicit provenance
mention, administration insignia, and the D301/D302 findings that follow.

``scan_file`` is the per-file function every engine (process pool, Dask) runs; it returns a
plain dict (the JSON contract's file entry without its path) so that it pickles and caches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clauselint.scan.firms import Firm, FirmHit, FirmIndex
from clauselint.scan.text import emails, fold, lines, squash

ALGORITHM_VERSION = "1"

# Metadata fields that name a person or an organisation behind the file.
AUTHOR_METADATA = ("creator", "last_modified_by", "company", "manager", "template", "producer", "author",
                   "application", "category")
# Words that make a cover line a citation, not an authorship statement.
_CITATION_RE = re.compile(
    r"\b(?:sources?|selon|d'apres|cf|voir|etude|etudes|enquete|barometre|benchmark|classement|"
    r"publie|publiee|rapport de|donnees|extrait|chiffres|graphique)\b")
SHORT_LINE_WORDS = 12
MAX_LINE_CHARS = 400

_BYLINE_RE = re.compile(
    r"^\s*(?:auteurs?|auteur\(s\)|redaction|redacteurs?|contributeurs?|contributions?|realisation|"
    r"coordination|equipe(?: projet| de redaction| consultants?| de mission)?|consultants?|prestataire|titulaire|"
    r"cabinet)\s*:\s*\S"
    r"|^\s*(?:document\s+|note\s+|rapport\s+|etude\s+|livrable\s+|support\s+)?"
    r"(?:redige|redigee|rediges|prepare|preparee|realise|realisee|elabore|elaboree|ecrit|ecrite|etabli|etablie|"
    r"produit|produite|concu|concue)s?\s+(?:par|avec)\b")

_VERB = (r"(?:realise|redige|elabore|etabli|prepare|produit|concu|ecrit|conduit|mene|coordonne|"
         r"accompagne|rendu|livre)(?:e|s|es)?")
_HELP = (r"(?:l'appui|le concours|l'aide|l'accompagnement|la participation|le soutien|la contribution|"
         r"l'assistance|l'expertise|l'intervention)")
_MENTION_RES = [
    re.compile(rf"\b{_VERB}\s+(?:par|avec|en collaboration avec|en partenariat avec|pour le compte [^,;]{{0,60}}? par)\b[^;\n]{{0,120}}"),
    re.compile(rf"\bavec\s+{_HELP}\s+(?:du|de la|des|de l'|d'un|d'une|de)\b[^;\n]{{0,120}}"),
    re.compile(r"(?:©|\(c\)|copyright|tous droits reserves)\s*[^;\n]{0,60}"),
    re.compile(r"\b(?:intervention|contribution|participation)\s+(?:du cabinet|de la societe|des consultants (?:du cabinet |de la societe |de |d')?|de|d')\s*[^;\n]{0,80}"),
    re.compile(r"^\s*(?:auteurs?|auteur\(s\)|redaction|redacteurs?|contributeurs?|realisation|prestataire|titulaire|cabinet|"
               r"equipe(?: projet| de redaction| consultants?| de mission)?|consultants?)\s*:[^\n]{0,200}"),
]

_DEVISE_RE = re.compile(r"\bliberte\W{1,6}egalite\W{1,6}fraternite\b")
_REPUBLIQUE_RE = re.compile(r"^\W*republique\W+francaise\W*$")
_MINISTRY_RE = re.compile(r"^\W*(?:ministere|ministre|premier ministre|secretariat (?:general|d'etat)|prefet|prefecture)\b")

VISIBLE_ZONES = ("cover", "colophon", "header", "footer", "byline")
INSIGNIA_ZONES = ("cover", "header", "footer", "master")


@dataclass(frozen=True)
class Line:
    zone: str  # cover, colophon, header, footer, master, byline, body
    text: str
    page: int | None = None
    paragraph: int | None = None

    def location(self) -> dict[str, Any]:
        return {"zone": self.zone, "page": self.page, "paragraph": self.paragraph}


@dataclass
class Options:
    """Everything a scan decides with; picklable, so that workers receive it whole."""

    firms: list[Firm]
    ner: bool = True
    extra_insignia: list = field(default_factory=list)  # imagehashes.Reference, added to the built-in ones
    max_file_bytes: int | None = None

    def ruleset(self) -> str:
        from clauselint import __version__
        from clauselint.scan.imagehashes import builtin_references, references_fingerprint

        refs = list(builtin_references()) + list(self.extra_insignia)
        return (f"scan{ALGORITHM_VERSION}-clauselint{__version__}-firms{_index(self.firms).fingerprint()}"
                f"-insignia{references_fingerprint(refs)}-ner{int(self.ner)}")


_INDEXES: dict[int, FirmIndex] = {}


def _index(firms: list[Firm]) -> FirmIndex:
    key = hash(tuple(firms))
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES[key] = FirmIndex(firms)
    return index


# --- zones ---

def _zones(doc) -> list[Line]:
    """Lines a reader sees first or on every page, tagged with their zone; bylines anywhere."""
    out: list[Line] = []
    pages = [b.location.page for b in doc.blocks if b.location.page is not None]
    body = [b for b in doc.blocks if b.kind not in ("header", "footer", "comment", "notes")]
    if pages:
        first, last = min(pages), max(pages)
        cover = [b for b in body if b.location.page == first]
        colophon = [b for b in body if b.location.page == last] if last != first else []
    else:
        cover, words = [], 0
        for block in body:
            if words >= 250 or len(cover) >= 25:
                break
            cover.append(block)
            words += len(block.text.split())
        colophon, words = [], 0
        for block in reversed(body[len(cover):]):
            if words >= 150 or len(colophon) >= 12:
                break
            colophon.insert(0, block)
            words += len(block.text.split())
    for zone, blocks in (("cover", cover), ("colophon", colophon)):
        for block in blocks:
            for text in lines(block.text):
                out.append(Line(zone, text[:MAX_LINE_CHARS], block.location.page, block.location.paragraph))
    for block in doc.blocks:
        if block.kind in ("header", "footer"):
            zone = "master" if (block.style or "").startswith("master:") else block.kind
            for text in lines(block.text):
                out.append(Line(zone, text[:MAX_LINE_CHARS], block.location.page, block.location.paragraph))
    for block in doc.blocks:
        if block.kind in ("comment",):
            continue
        for text in lines(block.text):
            if len(text) <= MAX_LINE_CHARS and _BYLINE_RE.search(fold(text)):
                out.append(Line("byline", text, block.location.page, block.location.paragraph))
    return out


# --- authorship ---

def _signal(kind: str, value: str, firm: Firm, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "value": value, "firm": firm.name, **extra}


_PATH_SEPARATORS = re.compile(r"[_\\/]+|\.(?=[A-Za-z]{2,5}\b)")


def _hits_in_field(index: FirmIndex, value: str) -> list[Firm]:
    # A template path (« C:\...\Talan_Rapport.dotx ») glues names with separators.
    spaced = _PATH_SEPARATORS.sub(" ", value) if ("\\" in value or "/" in value or "_" in value) else value
    firms = [hit.firm for hit in index.find(spaced, acronyms=True)]
    for _address, domain in emails(value):
        firm = index.for_domain(domain)
        if firm is not None:
            firms.append(firm)
    return list(dict.fromkeys(firms))


def _authorship(doc, extras, zone_lines: list[Line], index: FirmIndex, ner: bool) -> list[dict[str, Any]]:
    signals: list[dict[str, Any]] = []
    for key, value in doc.metadata.items():
        if not isinstance(value, str) or not value.strip():
            continue
        if key in AUTHOR_METADATA or key.startswith("custom."):
            for firm in _hits_in_field(index, value):
                signals.append(_signal(f"metadata.{key}", value, firm, location={"zone": "metadata"}))
    for prop, value in extras.xmp:
        for firm in _hits_in_field(index, value):
            signals.append(_signal(f"pdf.xmp.{prop}", value, firm, location={"zone": "metadata"}))
    for comment in doc.comments:
        if comment.author:
            for firm in _hits_in_field(index, comment.author):
                signals.append(_signal("comment.author", comment.author, firm,
                                       location={"zone": "comment", "page": comment.location.page,
                                                 "paragraph": comment.location.paragraph}))
        for address, domain in emails(comment.text):
            firm = index.for_domain(domain)
            if firm is not None:
                signals.append(_signal("email", address, firm, location={"zone": "comment"}))
    for author in dict.fromkeys(doc.revision_authors):
        for firm in _hits_in_field(index, author):
            signals.append(_signal("revision.author", author, firm, location={"zone": "revision"}))

    # E-mail addresses where a reader sees them.
    for line in zone_lines:
        for address, domain in emails(line.text):
            firm = index.for_domain(domain)
            if firm is not None:
                signals.append(_signal("email", address, firm, location=line.location()))

    # Firm names in visible zones; NER tells organisations from homonyms.
    candidates: list[tuple[Line, FirmHit]] = []
    # A byline is the most telling place: seen first, it is the one kept for a repeated line.
    for line in sorted(zone_lines, key=lambda z: z.zone != "byline"):
        for hit in index.find(line.text, acronyms=True):
            candidates.append((line, hit))
    labels: dict[str, list[tuple[int, int, str]]] = {}
    if ner and candidates:
        from clauselint.scan.ner import entities

        labels = entities([line.text for line, _ in candidates])
    for line, hit in candidates:
        label = next((lab for start, end, lab in labels.get(line.text, []) if start < hit.end and hit.start < end), None)
        folded = fold(line.text)
        short = len(line.text.split()) <= SHORT_LINE_WORDS
        if line.zone == "byline":
            accepted, kind = True, "byline"
        elif line.zone in ("header", "footer", "master"):
            accepted, kind = (not hit.acronym or label == "ORG"), f"text.{line.zone}"
        elif line.zone in ("cover", "colophon"):
            accepted = short and not _CITATION_RE.search(folded) and (not hit.acronym or label == "ORG")
            kind = f"text.{line.zone}"
        else:
            accepted, kind = False, ""
        if accepted:
            if label == "ORG":
                kind = "ner.org"
            signals.append(_signal(kind, squash(line.text), hit.firm, match=hit.text, ner=label, location=line.location()))
    return _dedupe(signals)


def _dedupe(signals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for signal in signals:
        # The same line seen in two zones (a byline on the cover) is one signal.
        key = (signal["kind"] if signal["kind"].startswith(("metadata.", "pdf.")) else "", signal["value"],
               signal.get("firm"))
        if key not in seen:
            seen.add(key)
            out.append(signal)
    return out


# --- provenance mention ---

def _mentions(zone_lines: list[Line], index: FirmIndex) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for line in zone_lines:
        if line.zone not in VISIBLE_ZONES and line.zone != "master":
            continue
        folded = fold(line.text)
        for pattern in _MENTION_RES:
            for match in pattern.finditer(folded):
                span = line.text[match.start():match.end()]
                for hit in index.find(span, acronyms=True):
                    key = (hit.firm.id, line.text)
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append({"firm": hit.firm.name, "firm_id": hit.firm.id, "text": squash(line.text),
                                  "match": squash(span.strip()), "location": line.location()})
    return found


# --- insignia ---

def _insignia_text(zone_lines: list[Line]) -> list[dict[str, Any]]:
    signals: list[dict[str, Any]] = []
    by_zone: dict[str, list[Line]] = {}
    for line in zone_lines:
        if line.zone in INSIGNIA_ZONES:
            by_zone.setdefault(line.zone, []).append(line)
    for zone, zlines in by_zone.items():
        joined = " ".join(fold(line.text) for line in zlines)
        anchors: list[int] = []
        for i, line in enumerate(zlines):
            folded = fold(line.text)
            if _REPUBLIQUE_RE.match(folded) or (len(line.text.split()) <= 6 and folded.strip().startswith("republique francaise")):
                signals.append({"kind": "insignia.text", "value": line.text, "what": "République française",
                                "location": line.location()})
                anchors.append(i)
            elif _DEVISE_RE.search(folded):
                signals.append({"kind": "insignia.text", "value": line.text, "what": "devise",
                                "location": line.location()})
                anchors.append(i)
        if not anchors and _DEVISE_RE.search(joined):
            # « Liberté », « Égalité », « Fraternité » on three lines of a header.
            for i, line in enumerate(zlines):
                if fold(line.text).strip(" .") == "liberte":
                    signals.append({"kind": "insignia.text", "value": line.text, "what": "devise",
                                    "location": line.location()})
                    anchors.append(i)
                    break
        for i, line in enumerate(zlines):
            if i not in anchors and any(abs(i - a) <= 4 for a in anchors) and _MINISTRY_RE.match(fold(line.text)) \
                    and len(line.text.split()) <= 16:
                signals.append({"kind": "insignia.text", "value": line.text, "what": "ministère dans le bloc-marque",
                                "location": line.location()})
    return _dedupe_insignia(signals)


def _dedupe_insignia(signals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for signal in signals:
        key = (signal["kind"], signal["value"])
        if key not in seen:
            seen.add(key)
            out.append(signal)
    return out


def _insignia_images(extras, references, notes: list[str]) -> list[dict[str, Any]]:
    from clauselint.scan.imagehashes import ImageSkipped, image_match, open_image

    signals = []
    for ref in extras.images:
        try:
            image = open_image(ref.name, ref.data)
        except ImageSkipped as exc:
            notes.append(f"{ref.name} : {exc}")
            continue
        if image is None:
            continue
        try:
            found = image_match(image, references)
        except Exception as exc:  # noqa: BLE001 — one strange image never stops the file
            notes.append(f"{ref.name} : image non analysée ({type(exc).__name__})")
            continue
        if found:
            match, how = found
            signals.append({"kind": "insignia.image", "value": ref.name, "what": match.reference.label,
                            "reference": match.reference.id, "how": how,
                            "distance": {"phash": match.phash_distance, "dhash": match.dhash_distance},
                            "location": {"zone": ref.zone}})
    return signals


# --- findings ---

_ZONE_FR = {"metadata": "métadonnées", "comment": "commentaire", "revision": "modification suivie",
            "cover": "page de garde", "colophon": "dernière page", "header": "en-tête", "footer": "pied de page",
            "master": "masque des diapositives", "byline": "signature", "layout": "disposition", "body": "corps",
            "page": "page", "image entière": "image"}

KIND_FR = {
    "metadata": "métadonnées", "pdf.xmp": "métadonnées XMP du PDF", "comment.author": "auteur de commentaire",
    "revision.author": "auteur de modification suivie", "email": "adresse électronique", "byline": "signature",
    "text.header": "en-tête", "text.footer": "pied de page", "text.master": "masque des diapositives",
    "text.cover": "page de garde", "text.colophon": "dernière page", "ner.org": "organisation nommée",
    "mention": "mention de provenance", "insignia.text": "texte", "insignia.image": "image",
}


def kind_label(kind: str, quoted: bool = True) -> str:
    """A signal's kind in French: « métadonnée « company » » in a sentence, « métadonnée company »
    in a report's list (``quoted=False``)."""
    def name(value: str) -> str:
        return f"« {value} »" if quoted else value

    if kind.startswith("metadata."):
        return f"métadonnée {name(kind.split('.', 1)[1])}"
    if kind.startswith("pdf.xmp."):
        return f"XMP {name(kind.split('.', 2)[2])}"
    return KIND_FR.get(kind, kind)


def _join_fr(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def _findings(authorship: list[dict[str, Any]], firms: list[str], missing: list[str],
              insignia: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from clauselint.rules.registry import get_rule

    findings = []
    if not firms:
        return findings
    if missing:
        rule = get_rule("D301")
        used = [s for s in authorship if s["firm"] in missing]
        kinds = _join_fr([kind_label(s["kind"]) for s in used][:4])
        message = (f"document attribuable à {_join_fr(missing)} ({kinds}) sans mention explicite de "
                   f"l'intervention du prestataire sur la page de garde, en en-tête ou en pied de page")
        findings.append({"code": rule.code, "name": rule.name, "severity": rule.severity, "message": message,
                         "location": used[0].get("location", {}), "firms": missing, "signals": used})
    if insignia:
        rule = get_rule("D302")
        what = _join_fr([s["what"] + f" ({_ZONE_FR.get(s['location'].get('zone', ''), s['location'].get('zone', ''))})"
                         for s in insignia][:3])
        message = (f"document attribuable à {_join_fr(firms)} portant les signes distinctifs de "
                   f"l'administration : {what}")
        findings.append({"code": rule.code, "name": rule.name, "severity": rule.severity, "message": message,
                         "location": insignia[0].get("location", {}), "firms": firms,
                         "signals": insignia + authorship[:6]})
    return findings


def analyse_document(doc, extras, options: Options) -> dict[str, Any]:
    """The file entry of the JSON contract (without "path") for a document already read."""
    from clauselint.scan.imagehashes import builtin_references

    index = _index(options.firms)
    zone_lines = _zones(doc)
    signals = _authorship(doc, extras, zone_lines, index, options.ner)
    mentions = _mentions(zone_lines, index)
    for mention in mentions:
        firm = index.by_id[mention["firm_id"]]
        signals.append(_signal("mention", mention["text"], firm, location=mention["location"]))
    signals = _dedupe(signals)
    firms = list(dict.fromkeys(s["firm"] for s in signals))
    mentioned = list(dict.fromkeys(m["firm"] for m in mentions))
    missing = [f for f in firms if f not in mentioned]
    notes = list(extras.notes) + list(getattr(doc, "warnings", []) or [])
    references = list(builtin_references()) + list(options.extra_insignia)
    insignia = _insignia_text(zone_lines) + _insignia_images(extras, references, notes)
    evidence = None
    if mentions:
        first = mentions[0]
        evidence = {"text": first["text"], "match": first["match"], "firms": mentioned, "location": first["location"]}
    return {
        "error": None,
        "format": doc.format,
        "authorship": {"consultant": bool(firms), "firms": firms, "signals": signals},
        "provenance_mention": {"present": bool(mentions), "evidence": evidence, "missing": missing},
        "insignia": {"present": bool(insignia), "signals": insignia},
        "findings": _findings(signals, firms, missing, insignia),
        "notes": notes[:20],
    }


def error_entry(message: str, fmt: str | None = None) -> dict[str, Any]:
    return {
        "error": message, "format": fmt,
        "authorship": {"consultant": False, "firms": [], "signals": []},
        "provenance_mention": {"present": False, "evidence": None, "missing": []},
        "insignia": {"present": False, "signals": []},
        "findings": [], "notes": [],
    }


def scan_file(path: str | Path, options: Options) -> dict[str, Any]:
    """Read and analyse one file; a file that cannot be read gives an entry with ``error`` set."""
    from clauselint.documents import Limits, read_document
    from clauselint.errors import ClauselintError
    from clauselint.scan.package import Extras, read_extras

    path = Path(path)
    limits = Limits(max_file_bytes=options.max_file_bytes) if options.max_file_bytes else Limits()
    try:
        doc = read_document(path, limits)
    except ClauselintError as exc:
        return error_entry(" ".join(exc.message.split()), path.suffix.lower().lstrip(".") or None)
    try:
        extras = read_extras(path, doc.format, limits)
    except ClauselintError as exc:
        extras = Extras(notes=[f"images non analysées : {' '.join(exc.message.split())}"])
    return analyse_document(doc, extras, options)
