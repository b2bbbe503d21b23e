"""The assembler's form, built from the tender spec's pydantic model; form values ↔ spec data ↔ YAML.

Which fields exist, their types, bounds, choices and whether they are required come from
clauselint.spec.model; only the French labels live in clauselint.web.labels. A posted form is
validated by the same model (and its cross-field checks) as a YAML spec, and each error is
attached to its field with the spec loader's French wording.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Any, Literal

import annotated_types
import yaml
from pydantic import BaseModel, BeforeValidator, ValidationError

from clauselint.spec import model as spec_model
from clauselint.spec.model import TenderSpec
from clauselint.web import labels

if TYPE_CHECKING:
    from clauselint.library import Library

ROW_MINIMUM = {"criteres": 3, "marche.lots": 2, "execution.unites_oeuvre": 3}
MAX_ROWS = 30
TEXTAREAS = frozenset({"consultation.objet", "acheteur.adresse", "execution.unites_oeuvre.description"})


@dataclass(frozen=True)
class FormField:
    key: str  # model path without row numbers: "marche.montant_estime_ht", "criteres.ponderation"
    name: str  # the model's attribute
    label: str
    hint: str | None
    kind: str  # text, textarea, integer, amount, rate, date, choice, bool, lines
    required: bool
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    default: str = ""


@dataclass(frozen=True)
class RowGroup:
    key: str  # "criteres", "marche.lots"
    legend: str
    row_label: str
    fields: tuple[FormField, ...]
    min_rows: int


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    hint: str | None
    optional: bool
    items: tuple[FormField | RowGroup, ...]


# --- the model's types -------------------------------------------------------------------------


def _validator_funcs(annotation: Any) -> set[Any]:
    return {m.func for m in typing.get_args(annotation)[1:] if isinstance(m, BeforeValidator)}


_AMOUNT = _validator_funcs(spec_model.Amount)
_RATE = _validator_funcs(spec_model.Rate)
_BOOL = _validator_funcs(spec_model.Bool)


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any], bool]:
    """(base type, metadata, optional) of a field: ``X | None`` and ``Annotated[X, ...]`` opened."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, UnionType):
        args = [a for a in typing.get_args(annotation) if a is not NoneType]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    metadata = list(metadata)
    if typing.get_origin(annotation) is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        metadata += extra
        annotation = base
    flat: list[Any] = []
    for item in metadata:  # pydantic's Field(...) inside Annotated carries its own metadata
        flat += [item, *getattr(item, "metadata", [])]
    return annotation, flat, optional


def _bounds(metadata: list[Any]) -> tuple[int | None, int | None, int | None]:
    low = next((m.ge for m in metadata if isinstance(m, annotated_types.Ge)), None)
    high = next((m.le for m in metadata if isinstance(m, annotated_types.Le)), None)
    length = next((m.max_length for m in metadata if isinstance(m, annotated_types.MaxLen)), None)
    return low, high, length


def _choice_labels(key: str, values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    from clauselint.assemble import facts

    def from_wording(wording: str) -> str:
        for article in ("l'", "la ", "le ", "les "):
            if wording.startswith(article):
                wording = wording[len(article):]
                break
        return wording[:1].upper() + wording[1:]

    table = {
        "consultation.procedure": {k: from_wording(v) for k, v in facts.PROCEDURE_NAMES.items()},
        "marche.forme": {k: from_wording(v) for k, v in facts.FORM_NAMES.items()},
        "execution.niveau_securite": {k: from_wording(v) for k, v in facts.SECURITY_LEVELS.items()},
        "execution.hebergement": labels.HOSTING_LABELS,
        "marche.reconduction": labels.RENEWAL_LABELS,
    }.get(key, {})
    return tuple((value, table.get(value, value)) for value in values)


def _form_field(key: str, name: str, info: Any, ip_choices: tuple[str, ...]) -> FormField | RowGroup:
    base, metadata, optional = _unwrap(info.annotation, info.metadata)
    funcs = {m.func for m in metadata if isinstance(m, BeforeValidator)}
    required = info.is_required()
    low, high, length = _bounds(metadata)
    label, hint = labels.FIELDS.get(key, (name, None))
    default = info.default if not required and info.default is not None else None
    default_text = _to_text(default) if default is not None and not isinstance(default, (list, dict)) else ""
    common = dict(key=key, name=name, label=label, hint=hint, required=required, default=default_text)
    if typing.get_origin(base) is list:
        (item,) = typing.get_args(base)
        item_base, _item_meta, _ = _unwrap(item, [])
        if isinstance(item_base, type) and issubclass(item_base, BaseModel):
            legend, row_label = labels.GROUPS[key]
            fields = tuple(_form_field(f"{key}.{n}", n, i, ip_choices) for n, i in item_base.model_fields.items())
            return RowGroup(key=key, legend=legend, row_label=row_label, fields=fields,  # type: ignore[arg-type]
                            min_rows=ROW_MINIMUM.get(key, 1))
        return FormField(kind="lines", **common)
    if funcs & _BOOL or base is bool:
        return FormField(kind="bool", choices=(("oui", "Oui"), ("non", "Non")), **common)
    if funcs & _AMOUNT:
        return FormField(kind="amount", **common)
    if funcs & _RATE:
        return FormField(kind="rate", **common)
    if typing.get_origin(base) is Literal:
        values = tuple(str(v) for v in typing.get_args(base))
        return FormField(kind="choice", choices=_choice_labels(key, values), **common)
    if key == "propriete_intellectuelle.option" and ip_choices:
        return FormField(kind="choice", choices=tuple((c, c[:1].upper() + c[1:]) for c in ip_choices),
                         max_length=length, **common)
    if base is int:
        return FormField(kind="integer", minimum=low, maximum=high, **common)
    if base is dt.date:
        return FormField(kind="date", **common)
    return FormField(kind="textarea" if key in TEXTAREAS else "text", max_length=length, **common)


def ip_options(library: "Library") -> tuple[str, ...]:
    """The intellectual-property option's choices, as the library's clause declares them."""
    for clause in library.by_family("intellectual-property"):
        variable = clause.variables.get("option")
        if variable is not None and variable.choices:
            return tuple(variable.choices)
    return ()


def build_schema(library: "Library") -> tuple[Section, ...]:
    """The form's sections, in the model's order."""
    choices = ip_options(library)
    sections = []
    for name, info in TenderSpec.model_fields.items():
        if name in labels.NOT_IN_FORM:
            continue
        title, hint = labels.SECTIONS[name]
        base, _meta, optional = _unwrap(info.annotation, info.metadata)
        if typing.get_origin(base) is list:
            items: tuple[FormField | RowGroup, ...] = (_form_field(name, name, info, choices),)
        else:
            items = tuple(_form_field(f"{name}.{n}", n, i, choices) for n, i in base.model_fields.items())
        sections.append(Section(key=name, title=title, hint=hint, optional=optional or not info.is_required(),
                                items=items))
    return tuple(sections)


def fields_of(schema: tuple[Section, ...]) -> dict[str, FormField]:
    """Every field by its key (row fields once, without row numbers)."""
    out: dict[str, FormField] = {}
    for section in schema:
        for item in section.items:
            for f in item.fields if isinstance(item, RowGroup) else (item,):
                out[f.key] = f
    return out


def groups_of(schema: tuple[Section, ...]) -> dict[str, RowGroup]:
    return {item.key: item for s in schema for item in s.items if isinstance(item, RowGroup)}


# --- the form's state ----------------------------------------------------------------------------


@dataclass
class FormState:
    """What the form shows: each input's text by its HTML name, and how many rows each group has."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def row_count(self, group: RowGroup) -> int:
        return max(group.min_rows, min(self.rows.get(group.key, 0), MAX_ROWS))


def row_name(group: RowGroup, index: int, f: FormField) -> str:
    return f"{group.key}.{index}.{f.name}"


def html_id(name: str) -> str:
    return "f-" + name.replace(".", "-").replace("_", "-")


def empty_state(schema: tuple[Section, ...], threshold: Any = None) -> FormState:
    state = FormState()
    for f in fields_of(schema).values():
        if f.default:
            state.values[f.key] = f.default
    if threshold is not None:
        state.values["acheteur.seuil_controle_a_priori_ht"] = _to_text(threshold)
    return state


def state_from_form(schema: tuple[Section, ...], posted: Mapping[str, list[str]]) -> FormState:
    """The state of a posted form; unknown names are ignored."""
    state = FormState()
    known = set(fields_of(schema))
    groups = groups_of(schema)
    for name, values in posted.items():
        value = values[-1] if values else ""
        if name in known and "." in name and name.rsplit(".", 1)[0] not in groups:
            state.values[name] = value
            continue
        for key, group in groups.items():
            prefix = key + "."
            if name.startswith(prefix):
                index, _, attr = name[len(prefix):].partition(".")
                if index.isdigit() and int(index) < MAX_ROWS and f"{key}.{attr}" in known:
                    state.values[name] = value
                    state.rows[key] = max(state.rows.get(key, 0), int(index) + 1)
    for key in groups:
        count = posted.get(f"lignes.{key}", [""])[-1]
        if count.isdigit():
            state.rows[key] = max(state.rows.get(key, 0), min(int(count), MAX_ROWS))
    return state


def _to_text(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def state_from_spec(schema: tuple[Section, ...], spec: TenderSpec) -> FormState:
    """The form showing a validated spec (an example, or a spec read back)."""
    state = FormState()
    data = spec.model_dump()
    for section in schema:
        for item in section.items:
            if isinstance(item, RowGroup):
                rows = _dig(data, item.key) or []
                state.rows[item.key] = len(rows)
                for index, row in enumerate(rows):
                    for f in item.fields:
                        value = row.get(f.name)
                        if value is None:
                            continue
                        text = "\n".join(value) if f.kind == "lines" else _to_text(value)
                        state.values[row_name(item, index, f)] = text
            else:
                value = _dig(data, item.key)
                if value is not None:
                    state.values[item.key] = _to_text(value)
    return state


def _dig(data: Any, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


# --- form → spec data → validated spec ------------------------------------------------------------


def to_data(schema: tuple[Section, ...], state: FormState) -> dict[str, Any]:
    """The spec as the loader would read it from YAML: empty inputs are left out, empty rows dropped."""
    data: dict[str, Any] = {}
    for section in schema:
        if len(section.items) == 1 and isinstance(section.items[0], RowGroup) and section.items[0].key == section.key:
            data[section.key] = _rows(section.items[0], state)
            continue
        values: dict[str, Any] = {}
        for item in section.items:
            if isinstance(item, RowGroup):
                rows = _rows(item, state)
                if rows:
                    values[item.key.split(".")[-1]] = rows
                continue
            value = _value(item, state.get(item.key))
            if value is not None:
                values[item.name] = value
        if values or not section.optional:
            data[section.key] = values
    return data


def _value(f: FormField, raw: str) -> Any:
    if f.kind == "lines":
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        return lines or None
    text = raw.strip()
    return text or None


def _rows(group: RowGroup, state: FormState) -> list[dict[str, Any]]:
    rows = []
    for index in range(state.row_count(group)):
        row = {}
        for f in group.fields:
            value = _value(f, state.get(row_name(group, index, f)))
            if value is not None:
                row[f.name] = value
        if row:
            rows.append(row)
    return rows


@dataclass
class FieldError:
    target: str  # the HTML name of the field (or the group's key) the error belongs to
    label: str  # the field's label as the error summary shows it
    message: str  # French, one line


@dataclass
class Validation:
    spec: TenderSpec | None
    errors: list[FieldError]

    def by_target(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for error in self.errors:
            out.setdefault(error.target, error.message)
        return out


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _targets(schema: tuple[Section, ...], state: FormState) -> dict[str, tuple[str, str]]:
    """A model location (« criteres.1.ponderation ») → (the HTML name of its input, its label in the summary).

    Rows are numbered in the model as the spec has them, after to_data dropped the empty ones;
    the target is the input the user typed in.
    """
    out: dict[str, tuple[str, str]] = {}
    for section in schema:
        out[section.key] = (section.key, section.title)
        for item in section.items:
            if isinstance(item, RowGroup):
                out[item.key] = (item.key, item.legend)
                for number, index in enumerate(_filled_rows(item, state)):
                    for f in item.fields:
                        out[f"{item.key}.{number}.{f.name}"] = (row_name(item, index, f),
                                                                 f"{item.row_label} {number + 1} — {f.label}")
            else:
                out[item.key] = (item.key, item.label)
    return out


def _filled_rows(group: RowGroup, state: FormState) -> list[int]:
    return [i for i in range(state.row_count(group))
            if any(_value(f, state.get(row_name(group, i, f))) is not None for f in group.fields)]


def _error_for(loc: tuple[Any, ...], message: str, targets: dict[str, tuple[str, str]]) -> FieldError:
    parts = [str(p) for p in loc]
    while parts:
        found = targets.get(".".join(parts))
        if found is not None:
            return FieldError(target=found[0], label=found[1], message=_capitalised(message))
        parts.pop()
    return FieldError(target="", label="Spécification", message=_capitalised(message))


def validate(schema: tuple[Section, ...], state: FormState) -> Validation:
    """Validate the form with the spec model, then its cross-field checks; every error on its field."""
    from clauselint.spec.loader import explain_error

    targets = _targets(schema, state)
    data = to_data(schema, state)
    try:
        spec = TenderSpec.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc, message = explain_error(err)
            if err["type"] == "missing":
                message = "champ obligatoire : renseignez-le"
            elif err["type"] == "too_short" and isinstance(err.get("input"), list):
                message = "ajoutez au moins une ligne"
            errors.append(_error_for(loc, message, targets))
        return Validation(spec=None, errors=_in_form_order(errors, schema, state))
    problems = [_error_for(loc, message, targets) for loc, message in spec.consistency_problems()]
    if problems:
        return Validation(spec=None, errors=_in_form_order(problems, schema, state))
    return Validation(spec=spec, errors=[])


def _in_form_order(errors: list[FieldError], schema: tuple[Section, ...], state: FormState) -> list[FieldError]:
    order: dict[str, int] = {}
    for section in schema:
        order.setdefault(section.key, len(order))
        for item in section.items:
            if isinstance(item, RowGroup):
                order.setdefault(item.key, len(order))
                for index in range(state.row_count(item)):
                    for f in item.fields:
                        order.setdefault(row_name(item, index, f), len(order))
            else:
                order.setdefault(item.key, len(order))
    return sorted(errors, key=lambda e: order.get(e.target, len(order)))


def error_from_message(message: str, targets: dict[str, tuple[str, str]]) -> FieldError:
    """A SpecError raised later (assembly) names its field as « a.b » : … ; attach it there."""
    import re

    match = re.match(r"^«\s*([\w.\[\]]+)\s*»\s*:\s*(.*)$", message, re.DOTALL)
    if not match:
        return FieldError(target="", label="Spécification", message=_capitalised(message))
    loc = tuple(re.sub(r"\[(\d+)\]", lambda m: f".{int(m.group(1)) - 1}", match.group(1)).split("."))
    return _error_for(loc, match.group(2), targets)


def targets_for(schema: tuple[Section, ...], state: FormState) -> dict[str, tuple[str, str]]:
    return _targets(schema, state)


# --- YAML ---------------------------------------------------------------------------------------

YAML_HEADER = """\
# Spécification du dossier de consultation (DCE), produite par l'interface web de clauselint.
# Chaque champ est décrit dans docs/spec.md. Assemblez le dossier avec :
#   clauselint assemble {filename} -o dossier/
# Les montants sont hors taxes ; les booléens : oui / non.
"""


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def spec_yaml(spec: TenderSpec, filename: str = "tender.yaml") -> str:
    """The spec as a YAML file that ``clauselint assemble`` loads into the same spec."""
    data = _plain(spec)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return YAML_HEADER.format(filename=filename) + "\n" + body
