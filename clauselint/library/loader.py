"""Read clause files (Markdown with YAML front matter) into a validated library."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from clauselint.errors import LibraryError
from clauselint.library.families import FAMILY_IDS
from clauselint.library.model import Clause
from clauselint.paths import builtin_clauses_dir

CLAUSE_SUFFIX = ".md"

# How to fix a field, shown after pydantic's complaint (French, one line).
_FIELD_HINTS: dict[str, str] = {
    "id": "mettez l'identifiant du fichier (nom du fichier sans « .md »)",
    "family": f"choisissez parmi : {', '.join(FAMILY_IDS)}",
    "title": "donnez un intitulé en français",
    "version": "un entier ≥ 1, à augmenter quand le texte change",
    "basis": "indiquez au moins une référence (ex. « Circulaire n° 6391/SG, § 5.2 »)",
    "applies": "ex. applies: {categories: [1, 2, 3], documents: [ccap]}",
    "applies.categories": "une liste parmi 1, 2, 3",
    "applies.documents": "une liste parmi ccap, cctp, rc, ae, annex",
    "applies.when": "conditions possibles : agile, personal_data, pro_bono (true ou false)",
    "detect": "ajoutez anchors, positive (≥ 3), negative (≥ 2) et contradicted (≥ 1)",
    "detect.positive": "au moins 3 phrases exprimant l'obligation",
    "detect.negative": "au moins 2 phrases proches qui ne sont pas l'obligation",
    "detect.contradicted": "au moins 1 phrase qui écarte ou renverse l'obligation",
    "detect.anchors": "des groupes de termes, ex. [[logo, signe distinctif], [interdire]]",
    "text": "écrivez le texte de la clause après le bloc « --- »",
}

_FRENCH_MESSAGES = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu",
    "too_short": "vide ou trop court",
    "string_too_short": "vide",
    "int_parsing": "doit être un entier",
    "int_type": "doit être un entier",
    "greater_than_equal": "trop petit",
    "literal_error": "valeur non autorisée",
    "list_type": "doit être une liste",
    "dict_type": "doit être un dictionnaire",
    "string_type": "doit être un texte",
    "string_pattern_mismatch": "forme invalide",
    "bool_type": "doit valoir true ou false",
    "bool_parsing": "doit valoir true ou false",
}

# pyyaml's most frequent complaints, said in French with the usual fix.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "« : » inattendu ; mettez entre guillemets une valeur qui contient « : »"),
    ("found character '\\t'", "tabulation interdite ; indentez avec des espaces"),
    ("could not find expected ':'", "« : » manquant après une clé"),
    ("expected ',' or ']'", "liste entre crochets non fermée ; ajoutez le « ] » manquant"),
    ("expected ',' or '}'", "dictionnaire entre accolades non fermé ; ajoutez le « } » manquant"),
    ("found unexpected end of stream", "guillemet non fermé"),
    ("while scanning a quoted scalar", "guillemet non fermé"),
    ("did not find expected key", "indentation incohérente"),
    ("did not find expected '-' indicator", "indentation incohérente dans une liste"),
    ("found duplicate anchor", "ancre YAML en double"),
)


@dataclass
class Library:
    """Clauses by id, in a stable order (family order, then id), with where each came from."""

    clauses: dict[str, Clause] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)
    # id -> origin of the clause a user library replaced ("intégrée" or an earlier folder).
    replaced: dict[str, str] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Clause]:
        order = {fam: i for i, fam in enumerate(FAMILY_IDS)}
        return iter(sorted(self.clauses.values(), key=lambda c: (order[c.family], c.id)))

    def __len__(self) -> int:
        return len(self.clauses)

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self.clauses

    def get(self, clause_id: str) -> Clause:
        try:
            return self.clauses[clause_id]
        except KeyError:
            raise LibraryError(
                f"aucune clause « {clause_id} » ; voyez la liste avec « clauselint clauses list »"
            ) from None

    def by_family(self, family_id: str) -> list[Clause]:
        return [c for c in self if c.family == family_id]

    def families_covered(self) -> set[str]:
        return {c.family for c in self.clauses.values()}

    def select(self, category: int, conditions: dict[str, bool], document: str | None = None) -> list[Clause]:
        """The clauses that apply to a tender of ``category`` with ``conditions``."""
        return [
            c
            for c in self
            if c.applies.matches(category, conditions) and (document is None or document in c.applies.documents)
        ]

    def required_families(self, category: int | None, conditions: dict[str, bool]) -> set[str]:
        """Families a CCAP of this tender must carry: those with at least one applicable CCAP clause.
        An unknown category (a contract that names no purchasing code) requires what any does."""
        categories = [category] if category is not None else [1, 2, 3]
        return {c.family for cat in categories for c in self.select(cat, conditions, document="ccap")}


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        raise LibraryError("pas de bloc de métadonnées ; commencez le fichier par une ligne « --- »", where=path)
    parts = text.split("\n---", 2)
    if len(parts) < 2:
        raise LibraryError("bloc de métadonnées non fermé ; ajoutez une ligne « --- » après les métadonnées", where=path)
    header = parts[0][3:]
    body = parts[1]
    # parts[1] starts right after "\n---": drop the rest of that line.
    body = body.split("\n", 1)[1] if "\n" in body else ""
    if len(parts) == 3:
        body = body + "\n---" + parts[2]
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path) from None
    if not isinstance(meta, dict):
        raise LibraryError("le bloc de métadonnées doit être un dictionnaire YAML (clé: valeur)", where=path)
    return meta, body.strip("\n")


def _yaml_error(exc: yaml.YAMLError, path: Path) -> LibraryError:
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    # An unclosed bracket or quote is found lines later: point at where it was opened.
    opened = "flow" in context or "quoted" in context
    mark = getattr(exc, "context_mark", None) if opened else None
    mark = mark or getattr(exc, "problem_mark", None)
    # The header starts right after the opening "---", on the file's first line: YAML's
    # 0-based line k is the file's line k + 1.
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    said = next((french for english, french in _YAML_PROBLEMS if english in problem or english in context), None)
    if said:
        return LibraryError(f"YAML invalide : {said}", where=where)
    detail = f" ({problem})" if problem else ""
    return LibraryError(f"YAML invalide{detail} ; corrigez la syntaxe du bloc de métadonnées", where=where)


def _model_at(loc: tuple[Any, ...]) -> type | None:
    """The schema model that a pydantic error location points into (for « champs possibles »)."""
    from clauselint.library.model import Applies, Derogation, Detect, Variable

    names = [p for p in loc[:-1] if not isinstance(p, int)]
    if not names:
        return Clause
    if names == ["applies"]:
        return Applies
    if names == ["detect"]:
        return Detect
    if names == ["derogates"]:
        return Derogation
    if len(names) == 2 and names[0] == "variables":
        return Variable
    return None


_INTERNAL_FIELDS = {"text", "origin", "source"}


def _explain(exc: ValidationError, path: Path) -> LibraryError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"] if not isinstance(p, int))
    kind = err["type"]
    if kind == "extra_forbidden":
        model = _model_at(err["loc"])
        allowed = [f for f in (model.model_fields if model else {}) if f not in _INTERNAL_FIELDS]
        message = f"champ inconnu « {loc} »"
        if allowed:
            message += f" ; champs possibles : {', '.join(allowed)}"
    elif kind == "value_error":
        what = str(err.get("ctx", {}).get("error", err["msg"]))
        message = f"champ « {loc} » : {what}" if loc else what
    else:
        what = _FRENCH_MESSAGES.get(kind, err["msg"])
        empty = err.get("input") in ([], "", None, {})
        if kind in {"too_short", "string_too_short", "list_type", "dict_type", "string_type"} and empty:
            what = "vide"
        message = f"champ « {loc} » {what}"
        hint = _FIELD_HINTS.get(loc) or _FIELD_HINTS.get(loc.split(".")[0], "")
        if loc == "derogates.article":
            hint = "un numéro d'article du CCAG-TIC 2021, ex. « 5.1 »"
        if hint:
            message += f" — {hint}"
    more = len(exc.errors()) - 1
    if more:
        message += f" (et {more} autre{'s' if more > 1 else ''} erreur{'s' if more > 1 else ''})"
    return LibraryError(message, where=path)


def load_clause(path: Path, origin: str = "intégrée") -> Clause:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LibraryError("fichier non UTF-8 ; enregistrez-le en UTF-8", where=path) from None
    except OSError as exc:
        raise LibraryError(f"lecture impossible ({exc.strerror}) ; vérifiez le chemin et les droits", where=path) from None
    meta, body = split_front_matter(text, path)
    if "text" in meta:
        raise LibraryError("le texte de la clause va après le bloc « --- », pas dans un champ « text »", where=path)
    meta["text"] = body
    meta["origin"] = origin
    meta["source"] = path
    try:
        clause = Clause.model_validate(meta)
    except ValidationError as exc:
        raise _explain(exc, path) from None
    if clause.id != path.stem:
        raise LibraryError(
            f"champ « id » = « {clause.id} » mais le fichier s'appelle « {path.name} » ; "
            f"renommez le fichier en « {clause.id}{CLAUSE_SUFFIX} » ou corrigez l'id",
            where=path,
        )
    return clause


def clause_files(folder: Path) -> list[Path]:
    if not folder.exists():
        raise LibraryError("bibliothèque introuvable ; vérifiez le chemin donné à --library ou dans la configuration", where=folder)
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob(f"*{CLAUSE_SUFFIX}") if p.is_file() and not p.name.startswith((".", "_")) and p.name.lower() != "readme.md")


def load_library(extra: Iterable[Path] = (), include_builtin: bool = True) -> Library:
    """The built-in library, then each user library in order; a user clause replaces the built-in one of the same id."""
    library = Library()
    folders: list[tuple[Path, str]] = []
    if include_builtin:
        folders.append((builtin_clauses_dir(), "intégrée"))
    folders.extend((Path(p), str(p)) for p in extra)
    for folder, origin in folders:
        library.sources.append(folder)
        seen_here: dict[str, Path] = {}
        for path in clause_files(folder):
            clause = load_clause(path, origin=origin)
            if clause.id in seen_here:
                raise LibraryError(
                    f"identifiant « {clause.id} » déjà utilisé par {seen_here[clause.id]} ; "
                    "renommez l'une des deux clauses (son id et son fichier) : un id est unique dans une bibliothèque",
                    where=path,
                )
            seen_here[clause.id] = path
            if clause.id in library.clauses:
                library.replaced[clause.id] = library.clauses[clause.id].origin
            library.clauses[clause.id] = clause
    return library
