"""The list of consulting and IT-services firms: built-in data file, user additions, fast matching."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from clauselint.errors import ConfigError
from clauselint.scan.text import fold

BUILTIN_FIRMS = Path(__file__).resolve().parent / "data" / "firms.yaml"


@dataclass(frozen=True)
class Firm:
    id: str
    name: str
    names: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    kind: str = ""
    source: str = "intégrée"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "names": list(self.names), "acronyms": list(self.acronyms),
                "domains": list(self.domains), "kind": self.kind, "source": self.source}


@dataclass(frozen=True)
class FirmHit:
    firm: Firm
    start: int
    end: int
    text: str  # the matched text as it is written in the document
    acronym: bool  # matched through an ambiguous short form: needs a confirming context


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "cabinet"


def _parse_firms(data: Any, where: Path | str, source: str) -> list[Firm]:
    entries = data.get("firms") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ConfigError("liste de cabinets attendue sous la clé « firms: »", where=where)
    firms = []
    for index, entry in enumerate(entries, 1):
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise ConfigError(f"cabinet n° {index} : champ « name » manquant (ex. - name: Dupont Conseil)", where=where)
        lists = {}
        for key in ("names", "acronyms", "domains"):
            value = entry.get(key) or []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ConfigError(f"cabinet « {entry['name']} » : « {key} » doit être une liste de textes", where=where)
            lists[key] = tuple(v.strip() for v in value)
        names = lists["names"] or (entry["name"].strip(),)
        firms.append(Firm(
            id=str(entry.get("id") or _slug(entry["name"])), name=entry["name"].strip(), names=names,
            acronyms=lists["acronyms"], domains=tuple(d.lower().lstrip("@") for d in lists["domains"]),
            kind=str(entry.get("kind") or ""), source=source,
        ))
    return firms


@cache
def builtin_firms() -> tuple[Firm, ...]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10× faster
    data = yaml.load(BUILTIN_FIRMS.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 — a safe loader
    return tuple(_parse_firms(data, BUILTIN_FIRMS, "intégrée"))


def firm_from_name(name: str, source: str) -> Firm:
    """A firm given only by its name (``--firm`` or ``firms = [...]``): a short capital form is an acronym."""
    clean = " ".join(name.split())
    if not clean:
        raise ConfigError("nom de cabinet vide ; indiquez un nom (ex. --firm \"Dupont Conseil\")")
    if len(clean) <= 3 and clean.isupper():
        return Firm(id=_slug(clean), name=clean, names=(), acronyms=(clean,), source=source)
    return Firm(id=_slug(clean), name=clean, names=(clean,), source=source)


def load_firms(config=None, extra_names: list[str] | None = None) -> list[Firm]:
    """Built-in firms, then ``firms``/``firms_file`` from the configuration, then ``--firm`` names.

    A user firm whose id equals a built-in one replaces it (to fix a name or add a domain).
    """
    import yaml

    firms: dict[str, Firm] = {f.id: f for f in builtin_firms()}
    if config is not None:
        where = config.path
        raw = config.get("firms", [])
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list):
            raise ConfigError("« firms » doit être une liste de noms (ex. firms = [\"Dupont Conseil\"])", where=where)
        for item in raw:
            if isinstance(item, str):
                firm = firm_from_name(item, source=str(where))
            else:
                firm = _parse_firms([item], where, str(where))[0]
            firms[firm.id] = firm
        for path in config.paths("firms_file"):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise ConfigError("fichier de cabinets introuvable ; corrigez « firms_file »", where=path) from None
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                raise ConfigError(f"fichier de cabinets illisible ({type(exc).__name__}) ; vérifiez le YAML", where=path) from None
            for firm in _parse_firms(data, path, str(path)):
                firms[firm.id] = firm
    for name in extra_names or []:
        firm = firm_from_name(name, source="--firm")
        firms[firm.id] = firm
    return list(firms.values())


def _word_pattern(variants: list[str]) -> str:
    # Longest first so that "Capgemini Invent" wins over "Capgemini"; spaces match any run of
    # blanks, and the boundaries are explicit because a name may end with "&" or ".".
    parts = []
    for variant in sorted(set(variants), key=len, reverse=True):
        escaped = r"\s+".join(re.escape(piece) for piece in variant.split())
        parts.append(escaped)
    return r"(?<![\w@.-])(?:" + "|".join(parts) + r")(?![\w-]|\.\w|@)"


class FirmIndex:
    """All the firms' names, acronyms and domains, compiled once."""

    def __init__(self, firms: list[Firm]) -> None:
        self.firms = list(firms)
        self.by_id = {f.id: f for f in self.firms}
        self._by_name: dict[str, Firm] = {}
        self._by_acronym: dict[str, Firm] = {}
        self._domains: dict[str, Firm] = {}
        for firm in self.firms:
            for name in firm.names:
                self._by_name[" ".join(fold(name).split())] = firm
            for acronym in firm.acronyms:
                self._by_acronym[acronym] = firm
            for domain in firm.domains:
                self._domains[domain] = firm
        self._names_re = re.compile(_word_pattern([fold(n) for n in self._by_name])) if self._by_name else None
        self._acronyms_re = re.compile(_word_pattern(list(self._by_acronym))) if self._by_acronym else None
        # A cheap pre-filter: most lines name no firm at all.
        self._first_words = {fold(n).split()[0] for n in self._by_name} | {fold(a) for a in self._by_acronym}

    def fingerprint(self) -> str:
        data = json.dumps(sorted((f.as_dict() for f in self.firms), key=lambda d: d["id"]), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]

    def find(self, text: str, acronyms: bool = True) -> list[FirmHit]:
        """Firms named in ``text``: full names always, acronyms only when ``acronyms`` is true."""
        if not text:
            return []
        folded = fold(text)
        if not any(word in folded for word in self._first_words):
            return []
        hits: list[FirmHit] = []
        if self._names_re is not None:
            for m in self._names_re.finditer(folded):
                firm = self._by_name.get(" ".join(m.group(0).split()))
                if firm is not None:
                    hits.append(FirmHit(firm, m.start(), m.end(), text[m.start():m.end()], acronym=False))
        if acronyms and self._acronyms_re is not None:
            taken = [(h.start, h.end) for h in hits]
            for m in self._acronyms_re.finditer(text):
                if any(s <= m.start() < e for s, e in taken):
                    continue
                firm = self._by_acronym.get(m.group(0))
                if firm is not None:
                    hits.append(FirmHit(firm, m.start(), m.end(), m.group(0), acronym=True))
        return sorted(hits, key=lambda h: h.start)

    def for_domain(self, domain: str) -> Firm | None:
        domain = domain.lower().rstrip(".")
        parts = domain.split(".")
        for i in range(len(parts) - 1):
            firm = self._domains.get(".".join(parts[i:]))
            if firm is not None:
                return firm
        return None


@dataclass
class FirmSet:
    """Firms found in one document, with the order they were first seen."""

    ids: list[str] = field(default_factory=list)

    def add(self, firm_id: str) -> None:
        if firm_id not in self.ids:
            self.ids.append(firm_id)
