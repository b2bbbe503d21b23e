"""The contract's context — category, agile, personal data — from the options or from its own text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from clauselint.documents.model import Location
from clauselint.nlp.lexical import NEG, key, words

_CODE_RE = re.compile(r"(?<![\d.,])33[ .,\u00a0\u202f]?04[ .,\u00a0\u202f]?(\d{2})(?![\d])")
DEFAULT = "par défaut"
OPTION = "option"


@dataclass
class ContractContext:
    category: int | None
    agile: bool
    personal_data: bool
    sources: dict[str, str] = field(default_factory=dict)

    def conditions(self) -> dict[str, bool]:
        return {"agile": self.agile, "personal_data": self.personal_data, "pro_bono": False}


def where(location: Location) -> str:
    """« p. 3 », « l. 120 » or « § 14 »: the shortest way to point at a block, in French."""
    if location.page is not None:
        return f"p. {location.page}"
    if location.line is not None:
        return f"l. {location.line}"
    if location.paragraph is not None:
        return f"§ {location.paragraph}"
    return "document"


def find_category(units: Sequence) -> tuple[int, str, Location] | None:
    """The first purchasing-nomenclature code 33.04.xx of the circular's annex in the text."""
    from clauselint.errors import ClauselintError
    from clauselint.policy.nomenclature import category_of, normalize_code

    for unit in units:
        if "33" not in unit.text:
            continue
        for match in _CODE_RE.finditer(unit.text):
            raw = match.group(0)
            digits = re.sub(r"\D", "", raw)
            try:
                code = normalize_code(digits)
                return category_of(code), code, unit.location
            except ClauselintError:  # 33.04.07 and unknown codes are not in the annex
                continue
    return None


@dataclass(frozen=True)
class _Signal:
    name: str
    words: tuple[tuple[str, ...], ...]  # each phrase as word stems (« sprints » ~ « sprint »)


def _signals(spec: dict) -> list[_Signal]:
    out = []
    for name, phrases in spec["signals"].items():
        out.append(_Signal(name, tuple(tuple(key(w) for w, _, _ in words(p)) for p in phrases)))
    return out


def find_signals(units: Sequence, spec: dict) -> list[tuple[str, Location]]:
    """Distinct signals (name, first location) found in sentences where they are not negated."""
    signals = _signals(spec)
    first_words = {phrase[0] for s in signals for phrase in s.words if phrase}
    found: dict[str, Location] = {}
    for unit in units:
        if first_words.isdisjoint(unit.keyset):
            continue
        words = unit.keys  # stems, negation words as NEG (see clauselint.nlp.lexical)
        for signal in signals:
            if signal.name in found:
                continue
            for phrase in signal.words:
                if phrase and phrase[0] not in unit.keyset:
                    continue  # cannot start anywhere in this sentence
                n = len(phrase)
                for i in range(len(words) - n + 1):
                    # Negated before or after: « pas de sprint », « la méthode agile n'est pas retenue ».
                    if tuple(words[i : i + n]) == phrase and NEG not in words[max(0, i - 6) : i + n + 6]:
                        found[signal.name] = unit.location
                        break
                if signal.name in found:
                    break
    return list(found.items())


def infer_context(
    units: Sequence,
    category: int | None = None,
    agile: bool | None = None,
    personal_data: bool | None = None,
) -> ContractContext:
    from clauselint.nlp.polarity import markers

    spec = markers().context
    sources: dict[str, str] = {}
    if category is not None:
        sources["category"] = OPTION
    else:
        found = find_category(units)
        if found is not None:
            category, code, location = found
            sources["category"] = f"document ({code} trouvé {where(location)})"
        else:
            sources["category"] = f"{DEFAULT} (aucun code 33.04.xx trouvé : toutes catégories)"
    flags: dict[str, bool] = {}
    for name, given in (("agile", agile), ("personal_data", personal_data)):
        if given is not None:
            flags[name] = bool(given)
            sources[name] = OPTION
            continue
        hits = find_signals(units, spec[name])
        minimum = int(spec[name].get("minimum", 2))
        decisive = set(spec[name].get("decisive", ()))
        flags[name] = len(hits) >= minimum or any(n in decisive for n, _ in hits)
        if hits:
            shown = ", ".join(f"{n} {where(loc)}" for n, loc in hits[:4])
            verdict = "trouvé" if flags[name] else f"insuffisant, {minimum} indices distincts ou une déclaration explicite requis"
            sources[name] = f"document ({shown} ; {verdict})"
        else:
            sources[name] = DEFAULT
    return ContractContext(category=category, agile=flags["agile"], personal_data=flags["personal_data"], sources=sources)
