"""Load a tender spec from YAML, keeping each field's line so every error points at it, in French."""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from clauselint.errors import SpecError
from clauselint.spec.model import TenderSpec

if TYPE_CHECKING:
    from clauselint.library import Library

Path_ = tuple[str | int, ...]

MAX_SPEC_BYTES = 1_000_000


@dataclass
class LineMap:
    """Where each field of the YAML file is: the line of its key (or of its list item), 1-based."""

    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, loc: Path_) -> int:
        """The line of ``loc``, or of its nearest ancestor present in the file (1 for the root)."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


@dataclass
class LoadedSpec:
    """A validated spec, its file, its bytes' hash and its line map (for later errors)."""

    spec: TenderSpec
    path: Path
    sha256: str
    lines: LineMap

    def where(self, *loc: str | int) -> str:
        return f"{self.path}:{self.lines.line(loc)}"


# Pydantic error types in French: what is wrong (the hint about how to fix it is added per case).
_MESSAGES = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu",
    "string_type": "doit être un texte",
    "string_too_short": "ne doit pas être vide",
    "string_too_long": "texte trop long ({max_length} caractères au plus)",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier (sans décimales)",
    "bool_type": "doit valoir oui ou non",
    "bool_parsing": "doit valoir oui ou non",
    "date_type": "doit être une date (AAAA-MM-JJ, ex. 2025-03-03)",
    "date_parsing": "doit être une date (AAAA-MM-JJ, ex. 2025-03-03)",
    "date_from_datetime_parsing": "doit être une date (AAAA-MM-JJ, ex. 2025-03-03)",
    "decimal_type": "doit être un montant",
    "decimal_parsing": "doit être un montant",
    "list_type": "doit être une liste (lignes commençant par « - »)",
    "dict_type": "doit être une section (lignes « clé: valeur » en retrait)",
    "model_type": "doit être une section (lignes « clé: valeur » en retrait)",
    "model_attributes_type": "doit être une section (lignes « clé: valeur » en retrait)",
    "too_short": "ne doit pas être vide",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "greater_than": "doit être supérieur à {gt}",
    "less_than": "doit être inférieur à {lt}",
}


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _model_at(loc: Path_) -> type[BaseModel] | None:
    """The pydantic model that holds the field at ``loc`` (to list its allowed fields)."""
    model: Any = TenderSpec
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if info is None:
            return None
        annotation = info.annotation
        model = _unwrap_model(annotation)
        if model is None:
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _unwrap_model(arg)
        if found is not None:
            return found
    return None


def _display(loc: Path_) -> str:
    """``("criteres", 2, "ponderation")`` → ``criteres[3].ponderation`` (items counted from 1, as people count)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += ("." if text else "") + part
    return text or "(racine)"


# pydantic inserts pseudo-steps in a location for unions and wrapped types: "function-after[...]", "literal[...]".
_PSEUDO_STEP = re.compile(r"^[a-z-]+\[.*\]$", re.DOTALL)


def _clean_loc(loc: tuple[Any, ...]) -> Path_:
    return tuple(p for p in loc if isinstance(p, int) or not _PSEUDO_STEP.match(str(p)))


def explain_error(err: dict[str, Any]) -> tuple[Path_, str]:
    loc = _clean_loc(tuple(err["loc"]))
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return loc, str(ctx.get("error", err["msg"]))
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        model = _model_at(loc)
        allowed = list(model.model_fields) if model else []
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        listed = f" ; champs possibles : {', '.join(allowed)}" if allowed else ""
        return loc, f"champ inconnu{hint}{listed}"
    if kind == "missing":
        return loc, f"champ obligatoire absent ; ajoutez « {loc[-1]}: … » (voir docs/spec.md)"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "")
        return loc, f"valeur « {_shown(err.get('input'))} » non autorisée ; valeurs possibles : {expected.replace(' or ', ', ')}"
    template = _MESSAGES.get(kind)
    if template is None:
        return loc, f"valeur « {_shown(err.get('input'))} » invalide ({err['msg']})"
    message = template.format(**{k: ctx.get(k) for k in ("ge", "le", "gt", "lt", "max_length")})
    if kind not in {"dict_type", "model_type", "model_attributes_type", "list_type"} and "input" in err:
        message = f"« {_shown(err['input'])} » : {message}"
    return loc, message


def _error(path: Path, lines: LineMap, exc: ValidationError) -> SpecError:
    errors = [explain_error(e) for e in exc.errors()]
    # Report the first error in the file's order; the others are counted (one line per error run).
    errors.sort(key=lambda item: lines.line(item[0]))
    loc, message = errors[0]
    more = len(errors) - 1
    suffix = f" (et {more} autre{'s' if more > 1 else ''} erreur{'s' if more > 1 else ''})" if more else ""
    return SpecError(f"« {_display(loc)} » : {message}{suffix}", where=f"{path}:{lines.line(loc)}")


def _walk(node: yaml.Node, loc: Path_, lines: LineMap, path: Path) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise SpecError(
                    f"« {_display(loc + (key,))} » : clé en double (déjà ligne {seen[key]}) ; gardez-en une seule",
                    where=f"{path}:{line}",
                )
            seen[key] = line
            lines.lines[loc + (key,)] = line
            _walk(value_node, loc + (key,), lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.lines[loc + (index,)] = item.start_mark.line + 1
            _walk(item, loc + (index,), lines, path)


# PyYAML's complaints, in French (the original is kept when it is not listed).
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "« : » inattendu (une valeur qui contient « : » se met entre guillemets)"),
    ("could not find expected ':'", "« : » attendu après la clé"),
    ("cannot start any token", "caractère interdit à cet endroit (une tabulation ?)"),
    ("did not find expected key", "clé attendue : l'indentation est incohérente"),
    ("did not find expected '-' indicator", "élément de liste attendu (« - ») : l'indentation est incohérente"),
    ("expected <block end>", "indentation incohérente"),
    ("found unexpected end of stream", "fin de fichier inattendue (guillemet non fermé ?)"),
    ("found unknown escape character", "séquence d'échappement inconnue entre guillemets doubles"),
    ("found undefined alias", "alias « * » non défini"),
    ("expected a single document", "un seul document attendu (retirez les « --- » en trop)"),
)


def _yaml_problem(problem: str) -> str:
    for english, french in _YAML_PROBLEMS:
        if english in problem:
            return french
    return f"syntaxe invalide ({problem})" if problem else "syntaxe invalide"


def parse_yaml(text: str, path: Path) -> tuple[Any, LineMap]:
    """The YAML document and the line of each key, with syntax errors in French."""
    lines = LineMap()
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise SpecError("fichier vide ; partez de « clauselint init » pour un exemple complet", where=path)
            _walk(node, (), lines, path)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = _yaml_problem(exc.problem or "")
        raise SpecError(
            f"YAML invalide : {problem} ; vérifiez l'indentation (espaces, pas de tabulations) et les guillemets",
            where=f"{path}{line}",
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"YAML invalide ({exc}) ; vérifiez la syntaxe", where=path) from None
    lines.lines[()] = 1
    if not isinstance(data, dict):
        raise SpecError(
            "la spec doit être une suite de sections « clé: valeur » (acheteur, consultation, marche…) ; "
            "partez de « clauselint init »",
            where=f"{path}:1",
        )
    return data, lines


def _check_variables(loaded: LoadedSpec, library: "Library") -> None:
    """Each per-clause override names a clause of the library and one of its declared variables, with a valid value."""
    for clause_id, values in loaded.spec.variables.items():
        if clause_id not in library:
            close = difflib.get_close_matches(clause_id, list(library.clauses), n=1)
            hint = f"vouliez-vous dire « {close[0]} » ?" if close else "voyez la liste avec « clauselint clauses list »"
            raise SpecError(
                f"« variables.{clause_id} » : aucune clause « {clause_id} » dans la bibliothèque ; {hint}",
                where=loaded.where("variables", clause_id),
            )
        clause = library.get(clause_id)
        if not isinstance(values, dict):
            raise SpecError(
                f"« variables.{clause_id} » : doit être une section « nom: valeur » (variables de la clause)",
                where=loaded.where("variables", clause_id),
            )
        for name, value in values.items():
            variable = clause.variables.get(name)
            if variable is None:
                known = ", ".join(sorted(clause.variables)) or "aucune"
                raise SpecError(
                    f"« variables.{clause_id}.{name} » : la clause « {clause_id} » n'a pas de variable « {name} » "
                    f"(variables déclarées : {known})",
                    where=loaded.where("variables", clause_id, name),
                )
            try:
                variable.coerce(value)
            except (TypeError, ValueError) as exc:
                raise SpecError(
                    f"« variables.{clause_id}.{name} » : {exc} ; voyez « clauselint clauses show {clause_id} »",
                    where=loaded.where("variables", clause_id, name),
                ) from None


def load_spec(path: str | Path, library: "Library | None" = None) -> LoadedSpec:
    """Read and validate a spec; with ``library``, also check the per-clause variable overrides."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError("spec introuvable ; créez-en une avec « clauselint init -o tender.yaml »", where=path) from None
    except IsADirectoryError:
        raise SpecError("c'est un dossier ; donnez le fichier YAML de la spec", where=path) from None
    except OSError as exc:
        raise SpecError(f"lecture impossible ({exc.strerror}) ; vérifiez le chemin et les droits", where=path) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError("fichier trop gros pour une spec (1 Mo au plus) ; vérifiez le fichier donné", where=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError("fichier non UTF-8 ; enregistrez-le en UTF-8", where=path) from None
    data, lines = parse_yaml(text, path)
    try:
        spec = TenderSpec.model_validate(data)
    except ValidationError as exc:
        raise _error(path, lines, exc) from None
    loaded = LoadedSpec(spec=spec, path=path, sha256=hashlib.sha256(raw).hexdigest(), lines=lines)
    problems = spec.consistency_problems()
    if problems:
        loc, message = min(problems, key=lambda item: lines.line(item[0]))
        raise SpecError(f"« {_display(loc)} » : {message}", where=loaded.where(*loc))
    if library is not None:
        _check_variables(loaded, library)
    return loaded
