"""The schema of a clause file, validated with pydantic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from clauselint.library.families import FAMILY_IDS

Category = Literal[1, 2, 3]
DocumentType = Literal["ccap", "cctp", "rc", "ae", "annex"]
Condition = Literal["agile", "personal_data", "pro_bono"]
VariableType = Literal["str", "int", "float", "bool", "choice"]

CONDITIONS: tuple[str, ...] = ("agile", "personal_data", "pro_bono")
DOCUMENT_TYPES: tuple[str, ...] = ("ccap", "cctp", "rc", "ae", "annex")

_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_VAR_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Variable(_Strict):
    """A value the clause text uses; the tender spec may override its default."""

    type: VariableType = "str"
    description: str = Field(min_length=1)
    default: Any = None
    required: bool = False
    choices: list[str] | None = None
    # Bounds of an int or float variable (e.g. a deadline in days: min 1).
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _check(self) -> "Variable":
        if self.type == "choice":
            if not self.choices:
                raise ValueError("une variable de type « choice » doit lister ses « choices »")
            if self.default is not None and self.default not in self.choices:
                raise ValueError(
                    f"la valeur par défaut « {self.default} » n'est pas parmi les choix {self.choices}"
                )
        elif self.choices:
            raise ValueError("« choices » ne vaut que pour une variable de type « choice »")
        if (self.min is not None or self.max is not None) and self.type not in ("int", "float"):
            raise ValueError("« min » et « max » ne valent que pour une variable de type « int » ou « float »")
        if self.default is None and not self.required:
            raise ValueError("donnez une valeur par défaut (« default ») ou marquez la variable « required: true »")
        if self.default is not None:
            # YAML already typed the default: it must be of the declared type, not merely convertible.
            expected = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "choice": (str,)}[self.type]
            if isinstance(self.default, bool) and self.type != "bool" or not isinstance(self.default, expected):
                raise ValueError(f"la valeur par défaut « {self.default} » n'est pas du type « {self.type} »")
            self._check_bounds(self.default)
        return self

    def _check_bounds(self, value: float) -> None:
        if self.min is not None and value < self.min:
            raise ValueError(f"« {value} » est inférieur au minimum {_plain(self.min)}")
        if self.max is not None and value > self.max:
            raise ValueError(f"« {value} » est supérieur au maximum {_plain(self.max)}")

    def coerce(self, value: Any) -> Any:
        """Convert a user-supplied value (often a string from --set) to this variable's type."""
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"oui", "true", "vrai", "1", "yes"}:
                return True
            if text in {"non", "false", "faux", "0", "no"}:
                return False
            raise ValueError(f"« {value} » n'est pas un booléen (oui/non)")
        if self.type == "int":
            if isinstance(value, bool):
                raise ValueError(f"« {value} » n'est pas un nombre entier")
            try:
                number: float = int(str(value).strip()) if not isinstance(value, int) else value
            except ValueError:
                raise ValueError(f"« {value} » n'est pas un nombre entier") from None
            self._check_bounds(number)
            return number
        if self.type == "float":
            try:
                number = float(str(value).strip().replace(",", "."))
            except ValueError:
                raise ValueError(f"« {value} » n'est pas un nombre") from None
            self._check_bounds(number)
            return number
        if self.type == "choice":
            if str(value) not in (self.choices or []):
                raise ValueError(f"« {value} » n'est pas parmi les choix {self.choices}")
            return str(value)
        return str(value)


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number).replace(".", ",")


class Applies(_Strict):
    """When the clause belongs in a tender package or is required in a contract."""

    categories: list[Category] = Field(min_length=1)
    documents: list[DocumentType] = Field(min_length=1)
    # Conditions on the tender: {agile: true} = only agile contracts, {agile: false} = only
    # fixed-price ones; an absent condition means "either".
    when: dict[Condition, bool] = Field(default_factory=dict)

    def matches(self, category: int, conditions: dict[str, bool]) -> bool:
        if category not in self.categories:
            return False
        return all(bool(conditions.get(name, False)) == wanted for name, wanted in self.when.items())


class Derogation(_Strict):
    """A CCAG-TIC 2021 article the clause departs from or supplements (listed in the CCAP's final article)."""

    article: str = Field(pattern=r"^\d+(\.\d+)*( à \d+(\.\d+)*)?$")  # "5.1", or a range "43 à 46"
    reason: str = Field(min_length=1)  # French, one line: why the clause departs from or supplements it
    # Only when the clause's variables have these values (e.g. {option: cession}); empty = always.
    when: dict[str, Any] = Field(default_factory=dict)

    def applies_to(self, values: dict[str, Any]) -> bool:
        return all(values.get(name) == wanted for name, wanted in self.when.items())


class Detect(_Strict):
    """Hints from which the linter builds this clause's detector.

    - ``anchors``: groups of French words or phrases (plain words, lemmatised by the
      linter in context); a sentence is a candidate when it hits every group.
    - ``positive``: sentences stating the obligation in other words than the clause.
    - ``negative``: hard negatives — same words, not the obligation.
    - ``contradicted``: sentences that address the obligation but negate, waive or reverse it.
    - ``patterns``: optional spaCy ``Matcher`` patterns (token dicts on LEMMA/LOWER...).
    """

    anchors: list[list[str]] = Field(min_length=1)
    positive: list[str] = Field(min_length=3)
    negative: list[str] = Field(min_length=2)
    contradicted: list[str] = Field(min_length=1)
    patterns: list[list[dict[str, Any]]] = Field(default_factory=list)

    @field_validator("anchors")
    @classmethod
    def _groups_not_empty(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            if not group or any(not term.strip() for term in group):
                raise ValueError("chaque groupe d'« anchors » doit contenir au moins un terme non vide")
        return groups


class Clause(_Strict):
    """One standard clause: metadata, the Jinja2 text, and its detection hints."""

    id: str
    family: str
    title: str = Field(min_length=1)
    version: int = Field(ge=1)
    basis: list[str] = Field(min_length=1)
    applies: Applies
    derogates: list[Derogation] = Field(default_factory=list)
    variables: dict[str, Variable] = Field(default_factory=dict)
    detect: Detect
    text: str = Field(min_length=1)
    # Where the clause was read from: "intégrée" (built-in) or the user library's folder.
    origin: str = "intégrée"
    source: Path | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError("l'identifiant doit être en minuscules, chiffres et tirets (ex. « insignia-ban »)")
        return value

    @field_validator("family")
    @classmethod
    def _known_family(cls, value: str) -> str:
        if value not in FAMILY_IDS:
            raise ValueError(f"famille inconnue « {value} » ; familles possibles : {', '.join(FAMILY_IDS)}")
        return value

    @field_validator("basis")
    @classmethod
    def _basis_not_blank(cls, refs: list[str]) -> list[str]:
        if any(not ref.strip() for ref in refs):
            raise ValueError("une référence de « basis » est vide")
        return refs

    @field_validator("variables")
    @classmethod
    def _variable_names(cls, variables: dict[str, Variable]) -> dict[str, Variable]:
        for name in variables:
            if not _VAR_RE.match(name):
                raise ValueError(
                    f"nom de variable « {name} » invalide : minuscules sans accents, chiffres et « _ » (ex. « delai_jours »)"
                )
        return variables

    @model_validator(mode="after")
    def _derogation_conditions(self) -> "Clause":
        for derogation in self.derogates:
            for name, wanted in derogation.when.items():
                var = self.variables.get(name)
                if var is None:
                    raise ValueError(f"la dérogation à l'article {derogation.article} dépend de « {name} », qui n'est pas une variable de la clause")
                try:
                    var.coerce(wanted)
                except ValueError as exc:
                    raise ValueError(f"la dérogation à l'article {derogation.article} : {exc}") from None
        return self

    def defaults(self) -> dict[str, Any]:
        return {name: var.default for name, var in self.variables.items() if var.default is not None}

    def applicability(self) -> str:
        """A short French summary, for listings."""
        cats = ", ".join(str(c) for c in self.applies.categories)
        docs = ", ".join(d.upper() if d != "annex" else "annexe" for d in self.applies.documents)
        parts = [f"cat. {cats}", docs]
        labels = {"agile": "agile", "personal_data": "données personnelles", "pro_bono": "pro bono"}
        for name, wanted in self.applies.when.items():
            parts.append(labels[name] if wanted else f"non {labels[name]}")
        return " · ".join(parts)
