"""What a sentence does to an action: require, forbid, permit, waive or reverse it.

Generic French legal-language machinery, independent of any clause. From a token of interest
(a word of the clause's topic), the analysis walks up the dependency tree and composes the
markers it meets on the way — negation (« ne … pas », « aucun », « sans »), obligation
(« doit », « est tenu de », « s'engage à »), permission (« peut », « est autorisé à »,
« librement »), prohibition (« s'interdit de », « est interdit »), waiver (« est dispensé de »,
« facultatif ») — so that « ne peut pas utiliser » is a prohibition, « n'est pas tenu de
mentionner » a waiver, « n'est pas interdit » a permission and « peut ne pas mentionner » a
waiver. Sentence-wide phrases (« sans limitation de durée », « aucune restriction »,
« sauf autorisation préalable ») then reverse, waive or restrict the result. The word lists
live in ``data/markers.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

from clauselint.nlp.analysis import Analysed, Tok
from clauselint.nlp.lexical import fold, stem, words

# Composition states.
AFFIRM = "affirm"  # the action is stated (in a contract's present tense: it is due)
NEG = "negated"  # the action is negated (« n'utilise pas »): forbidden
OBLIGE = "oblige"
PROHIBIT = "prohibit"
PERMIT = "permit"
WAIVE = "waive"

# Results (``Polarity.state``).
REQUIRED = "required"
FORBIDDEN = "forbidden"
PERMITTED = "permitted"
RESTRICTED = "restricted"  # permitted only under a condition (« sauf autorisation préalable »)
WAIVED = "waived"
REVERSED = "reversed"  # « sans limitation de durée », « reste la propriété du titulaire »

_NEGATE = {AFFIRM: NEG, NEG: AFFIRM, OBLIGE: WAIVE, WAIVE: OBLIGE, PERMIT: PROHIBIT, PROHIBIT: PERMIT}
_APPLY = {
    OBLIGE: {AFFIRM: OBLIGE, NEG: PROHIBIT},
    PERMIT: {AFFIRM: PERMIT, NEG: WAIVE},
    PROHIBIT: {AFFIRM: PROHIBIT, NEG: OBLIGE},
    WAIVE: {AFFIRM: WAIVE, NEG: OBLIGE},
}
_RESULT = {AFFIRM: REQUIRED, OBLIGE: REQUIRED, NEG: FORBIDDEN, PROHIBIT: FORBIDDEN, PERMIT: PERMITTED, WAIVE: WAIVED}

_ARGUMENT_DEPS = ("nsubj", "nsubj:pass", "obj", "iobj", "obl", "obl:arg", "obl:mod", "obl:agent", "expl:subj", "nmod")


@dataclass(frozen=True)
class Phrase:
    text: str
    words: tuple[tuple[str, str], ...]  # (stem, folded word) per word


@dataclass(frozen=True)
class Markers:
    ne: frozenset[str]
    strong_negation: frozenset[str]
    weak_negation: frozenset[str]
    negative_determiners: frozenset[str]
    negative_prepositions: frozenset[str]
    negation_phrases: tuple[Phrase, ...]
    negative_predicates: frozenset[str]
    idiomatic_sans: frozenset[str]  # « sans délai », « sans préjudice »: no negation
    modal: dict[str, frozenset[str]]
    tenu: frozenset[str]
    waive_phrases: tuple[Phrase, ...]
    restriction_phrases: tuple[Phrase, ...]
    reversal_phrases: tuple[Phrase, ...]
    function_lemmas: frozenset[str]
    must_not: frozenset[str] = frozenset()  # obligation lemmas whose negation forbids (« ne doit pas »)
    conditions: frozenset[str] = frozenset()
    expletive: frozenset[str] = frozenset()
    buyer: frozenset[str] = frozenset()
    contractor: frozenset[str] = frozenset()
    scope_nouns: frozenset[str] = frozenset()
    grant: frozenset[str] = frozenset()
    cancel: frozenset[str] = frozenset()  # verbs that lift the rule they govern (« écarter toute interdiction »)
    contract_parties: tuple[tuple[str, ...], ...] = ()  # stems of each noun naming the contractor as a party
    context: dict[str, Any] = field(default_factory=dict)
    eventuality: frozenset[str] = frozenset()
    reflexive_only: frozenset[str] = frozenset()

    def modal_of(self, lemma: str, lower: str) -> str | None:
        if lower in self.eventuality:
            return None  # « pourrait »: a possibility, not a permission
        for kind, lemmas in self.modal.items():
            if lemma in lemmas or lower in lemmas:
                return kind
        if lower in self.tenu:
            return OBLIGE
        return None


def _phrase(text: str) -> Phrase:
    return Phrase(text=text, words=tuple((stem(w), fold(w)) for w, _, _ in words(text)))


@cache
def markers() -> Markers:
    raw = yaml.safe_load(resources.files("clauselint.nlp").joinpath("data/markers.yaml").read_text(encoding="utf-8"))
    neg = raw["negation"]
    particles = {fold(p) for p in neg["particles"]}
    ne = {"ne", "n"}
    weak = {"plus", "point"}
    modal_names = {"oblige": OBLIGE, "permit": PERMIT, "prohibit": PROHIBIT, "waive": WAIVE}
    modal = {modal_names[k]: frozenset(v["lemmas"]) for k, v in raw["modal"].items()}
    return Markers(
        ne=frozenset(ne),
        strong_negation=frozenset(particles - ne - weak) | {"non"},
        weak_negation=frozenset(weak),
        negative_determiners=frozenset(neg["determiners"]),
        negative_prepositions=frozenset(neg["prepositions"]),
        negation_phrases=tuple(_phrase(p) for p in neg["phrases"]),
        negative_predicates=frozenset(neg.get("predicates", [])),
        idiomatic_sans=frozenset(neg.get("idiomatic_after_sans", [])),
        modal=modal,
        tenu=frozenset(raw["modal"]["oblige"].get("participles", [])),
        waive_phrases=tuple(_phrase(p) for p in raw["waive_phrases"]),
        restriction_phrases=tuple(_phrase(p) for p in raw["restriction_phrases"]),
        reversal_phrases=tuple(_phrase(p) for p in _expand(raw["reversal_phrases"], raw["contractor"])),
        function_lemmas=frozenset(raw["function_lemmas"]),
        must_not=frozenset(raw["modal"]["oblige"].get("negated_forbids", [])),
        conditions=frozenset(fold(w) for w in raw["conditions"]),
        expletive=frozenset(fold(w) for w in raw["expletive_ne_after"]),
        buyer=frozenset(w for b in raw["buyer"] for w in (b, fold(b))),
        contractor=frozenset(w for b in raw["contractor"] for w in (b, fold(b))),
        scope_nouns=frozenset(w for b in raw.get("scope_nouns", []) for w in (b, fold(b))),
        grant=frozenset(w for b in raw.get("grant", []) for w in (b, fold(b))),
        context=raw.get("context", {}),
        cancel=frozenset(raw.get("cancel", [])),
        contract_parties=tuple(tuple(stem(w) for w, _, _ in words(p)) for p in raw.get("contract_parties", [])),
        eventuality=frozenset(fold(w) for w in raw.get("eventuality", [])),
        reflexive_only=frozenset(raw["modal"]["oblige"].get("reflexive_only", [])),
    )


def _expand(phrases: list[str], contractor: list[str]) -> list[str]:
    """« {contractor} » in a phrase: one phrase per contractor noun, after « du », « de la », « de l' »."""
    nouns = [c for c in contractor if c not in ("il", "ils", "celui-ci", "ceux-ci")]
    out = []
    for phrase in phrases:
        if "{contractor}" not in phrase:
            out.append(phrase)
            continue
        for noun in nouns:
            for of in ("de l'",) if fold(noun)[0] in "aeiouh" else ("du ", "de la "):
                out.append(phrase.replace("{contractor}", of + noun))
    return out


def _forms(a: Analysed) -> list[tuple[int, frozenset[str]]]:
    """Per content token: its position and the forms a phrase word may match (form, stem, lemma)."""
    out = []
    for t in a.toks:
        if t.pos == "PUNCT" or not any(c.isalnum() for c in t.text):
            continue
        lower = fold(t.lower).rstrip("'")
        out.append((t.i, frozenset({"f:" + lower, "s:" + stem(t.lower), "f:" + fold(t.lemma)})))
    return out


_PHRASE_INDEX: dict[int, dict[str, list[Phrase]]] = {}


def _phrase_index(phrases: tuple[Phrase, ...]) -> dict[str, list[Phrase]]:
    """Phrases by the forms of their first word, so that a sentence only tries the ones it starts."""
    index = _PHRASE_INDEX.get(id(phrases))
    if index is None:
        index = {}
        for phrase in phrases:
            if phrase.words:
                stem_, folded = phrase.words[0]
                index.setdefault("f:" + folded, []).append(phrase)
                if stem_ != folded:
                    index.setdefault("s:" + stem_, []).append(phrase)
        _PHRASE_INDEX[id(phrases)] = index
    return index


def find_phrases(a: Analysed, phrases: tuple[Phrase, ...], forms: list[tuple[int, frozenset[str]]] | None = None) -> list[tuple[Phrase, int]]:
    """Phrases occurring in ``a`` as contiguous tokens (punctuation and apostrophes skipped)."""
    if forms is None:
        forms = _forms(a)
    index = _phrase_index(phrases)
    found: list[tuple[Phrase, int]] = []
    seen: set[int] = set()
    for start, (position, token_forms) in enumerate(forms):
        for form in token_forms:
            for phrase in index.get(form, ()):
                if id(phrase) in seen or start + len(phrase.words) > len(forms):
                    continue
                for j in range(1, len(phrase.words)):
                    stem_, folded = phrase.words[j]
                    other = forms[start + j][1]
                    if "f:" + folded not in other and "s:" + stem_ not in other:
                        break
                else:
                    seen.add(id(phrase))
                    found.append((phrase, position))
    return found


@dataclass
class Polarity:
    state: str  # REQUIRED, FORBIDDEN, PERMITTED, RESTRICTED, WAIVED or REVERSED
    action: int | None  # index of the action's token (the lowest verb above the focus)
    markers: list[str] = field(default_factory=list)  # what decided, for explanations and debugging
    negated_at: int | None = None  # the token whose negation decided (« conserve » in « ne conserve aucune »)
    conditional: bool = False  # the markers sit in a hypothesis (« si », « lorsque », « à moins que »)
    subject: str | None = None  # lemma of the subject of the marked predicate, when there is one
    buyer_subject: bool = False  # the subject of the marked predicate is the buyer (« l'administration peut »)
    reversed_at: int | None = None  # the verb a reversal phrase qualifies (« cède … sans limitation de durée »)
    unreversed: str | None = None  # the state before the reversal phrase


def _negation(a: Analysed, node: Tok, m: Markers) -> tuple[list[int], bool]:
    """Positions of the negation markers attached to ``node``, and whether it is a restrictive « ne … que ».

    « aucun » negates the predicate of the noun it determines (« aucune mention n'est exigée »:
    one negation, on « exigée »), except after « sans », which negates the noun itself.
    """
    children = a.children(node.i)

    def low(t: Tok) -> str:
        return fold(t.lower).rstrip("'")

    def has_sans(t: Tok) -> bool:
        return any(low(c) in m.negative_prepositions and c.dep in ("case", "mark") for c in a.children(t.i))

    def negative_det(t: Tok) -> bool:
        return any(c.lemma in m.negative_determiners and c.dep.startswith("det") for c in a.children(t.i))

    def own_negated_predicate(t: Tok) -> bool:
        # « …, aucune copie ne pouvant être conservée »: « aucune » goes with the participle's own
        # « ne », not with the verb the noun hangs from
        return any(c.dep.startswith("acl") and any(low(g) in m.ne for g in a.children(c.i)) for c in a.children(t.i))

    has_ne = any(low(c) in m.ne for c in children)
    positions: list[int] = []
    strong = False
    for child in children:
        word = low(child)
        if word in m.ne:
            positions.append(child.i)
        elif word == "non" and node.pos not in ("VERB", "ADJ", "AUX"):
            continue  # « la non-production de ce document »: a noun, not a negated predicate
        elif word in m.strong_negation or (word in m.weak_negation and has_ne):
            strong = True
            positions.append(child.i)
        elif word in m.negative_prepositions and child.dep in ("case", "mark") and node.lemma not in m.idiomatic_sans:
            strong = True
            positions.append(child.i)
        elif child.lemma in m.negative_determiners and child.dep.startswith("det"):
            if node.dep not in _ARGUMENT_DEPS and not has_sans(node):
                strong = True
                positions.append(child.i)
        elif child.dep in _ARGUMENT_DEPS or child.dep.startswith("nsubj"):
            if (child.lemma in m.negative_determiners
                    or (negative_det(child) and not has_sans(child) and not own_negated_predicate(child))
                    or (child.lemma in ("rien", "personne") and has_ne)):
                strong = True
                positions.append(child.i)
    if has_ne and not strong:
        # « n'emploient ni la Marianne ni le bloc-marque »: « ni » makes the « ne » a full negation
        ni = _ni_below(a, node.i)
        if ni is not None:
            return positions + [ni], False
    if has_ne and not strong:
        # « avant que l'itération ne soit engagée », « à moins qu'il ne… »: an expletive « ne »
        if any(c.dep == "mark" and c.lemma in m.expletive for c in children) or _expletive_before(a, node.i, m):
            return [], False
        # « ne … que » restricts instead of negating; a lone « ne » (« ne peut utiliser ») negates.
        # A relative pronoun (« les supports qu'ils conçoivent ») or the « que » of a subordinate
        # clause with its own verb (« avant que l'administration ne valide ») is not that « que ».
        if any(low(t) in ("que", "qu") and _restrictive_que(a, t, node.i) for t in a.toks[node.i + 1 :]):
            return [], True
    return positions, False


def _concord_only(a: Analysed, positions: list[int], m: Markers) -> bool:
    """Whether a negation is only « aucun », « nul », « rien », « personne » (no « ne », « pas », « sans », « ni »)."""
    for p in positions:
        word = fold(a.toks[p].lower).rstrip("'")
        if word in m.ne or word in m.strong_negation or word in m.weak_negation or word in m.negative_prepositions or word == "ni":
            return False
    return True


def _lone_ne(a: Analysed, i: int, m: Markers) -> bool:
    """Whether token ``i`` bears a « ne » and no other negation word (its concord is below it)."""
    positions, _ = _negation(a, a.toks[i], m)
    return bool(positions) and all(fold(a.toks[p].lower).rstrip("'") in m.ne for p in positions)


def _ni_below(a: Analysed, i: int) -> int | None:
    """A « ni » coordinating the arguments of token ``i`` (its children or grandchildren)."""
    for child in a.children(i):
        for t in [child] + a.children(child.i):
            if fold(t.lower) == "ni" and t.dep == "cc" and t.i > i:
                return t.i
    return None


def _restrictive_que(a: Analysed, t: Tok, node_i: int) -> bool:
    if t.pos == "PRON":
        return False
    following = a.toks[t.i + 1] if t.i + 1 < len(a.toks) else None
    if following is not None and fold(following.lower).rstrip("'’") in ("si", "s", "lorsque", "lorsqu", "quand", "apres", "sur", "pour", "dans", "a", "au", "aux", "en", "par"):
        return True  # « n'est retenu que s'il… », « ne parle qu'aux agents »: only if / only to
    head = a.toks[t.head]
    return not (head.pos in ("VERB", "AUX") and head.i != node_i)


def _expletive_before(a: Analysed, i: int, m: Markers) -> bool:
    """« avant que / à moins que … ne » earlier in the same clause (back to a comma, at most 15 words)."""
    for t in reversed(a.toks[max(0, i - 15) : i]):
        if t.text in (",", ";", ":", "(", ")"):
            return False
        if fold(t.lower) in m.expletive:
            return True
    return False


def _analyse_polarity(a: Analysed, focus: list[int]) -> Polarity:
    """The polarity of the action around ``focus`` tokens (see the module docstring)."""
    m = markers()
    results: list[Polarity] = []
    for f in focus or [0]:
        results.append(_chain_polarity(a, f, m))
    result = _combine(results)
    phrase_markers: list[str] = []
    forms = _forms(a)
    restricted = any(p.markers and "ne … que" in p.markers for p in results)
    if any(not _alone(a, position) for _, position in find_phrases(a, m.restriction_phrases, forms)):
        restricted = True
        phrase_markers.append("restriction")
    if result.state == PERMITTED and restricted:
        result.state = RESTRICTED
    waive = find_phrases(a, m.waive_phrases, forms)
    reversal = find_phrases(a, m.reversal_phrases, forms)
    if (waive or reversal) and _states_a_grant(a, m):
        # « la cession est effectuée … sans restriction », « est concédée sans limitation de
        # durée »: the breadth of a grant, not a rule lifted or reversed
        phrase_markers.append(f"étendue de la cession (« {(waive or reversal)[0][0].text} »)")
        waive = reversal = []
    if waive and result.state != RESTRICTED:
        result.state = WAIVED
        phrase_markers.append(f"« {waive[0][0].text} »")
    if reversal:
        result.unreversed, result.reversed_at = result.state, _governing_verb(a, reversal[0][1])
        result.state = REVERSED
        phrase_markers.append(f"« {reversal[0][0].text} »")
    result.markers.extend(phrase_markers)
    return result


def _states_a_grant(a: Analysed, m: Markers) -> bool:
    """Whether the sentence's main predicate, or its subject, is a grant of rights (markers.yaml
    grant: « le titulaire cède », « la cession est effectuée », « la licence est concédée »)."""
    for root in (t for t in a.toks if t.dep == "ROOT"):
        words = [root] + [c for c in a.children(root.i) if c.dep in ("nsubj", "nsubj:pass")]
        if any(t.lemma in m.grant or fold(t.lower) in m.grant for t in words):
            return True
    return False


def _governing_verb(a: Analysed, i: int) -> int | None:
    """The nearest verb above token ``i`` (what a phrase such as « sans limitation de durée » qualifies)."""
    for node_i in a.chain(i):
        if a.toks[node_i].pos == "VERB":
            return node_i
    return None


def _alone(a: Analysed, i: int) -> bool:
    """« seul » right after a verb means « alone », not « only »: « le titulaire arrête seul les
    priorités » restricts nothing, unlike « la seule durée nécessaire » or « seules peuvent… »."""
    word = fold(a.toks[i].lower)
    return word.startswith("seul") and not word.startswith("seulement") and i > 0 and a.toks[i - 1].pos in ("VERB", "AUX")


def _chain_polarity(a: Analysed, focus: int, m: Markers) -> Polarity:
    state = AFFIRM
    action: int | None = None
    negated_at: int | None = None
    conditional = False
    buyer_subject = False
    subject: str | None = None
    lexical: int | None = None  # the last content verb met on the way up (what a modal bears on)
    notes: list[str] = []
    chain = a.chain(focus)
    # A table row flattened to « Usage du logo | Interdit au titulaire » has two roots: the
    # other roots govern the focus too.
    if not any(a.toks[i].pos in ("VERB", "AUX", "ADJ") for i in chain):
        root = chain[-1]
        chain += [t.i for t in a.toks if t.dep == "ROOT" and t.i > root and t.pos in ("VERB", "ADJ", "AUX")]
    for step, node_i in enumerate(chain):
        node = a.toks[node_i]
        below = lexical  # the content word under this node: what an exclusion bears on
        if step and a.toks[chain[step - 1]].dep == "acl:relcl":
            # Leaving a relative clause (« une solution qu'il commercialise », « l'entreprise à
            # laquelle il est lié ») for the noun it describes: what was composed inside describes
            # that noun; the rule is the main clause's.
            state, negated_at, notes = AFFIRM, None, []
        if action is None and node.pos in ("VERB", "AUX") and node.lemma not in m.function_lemmas:
            action = node_i
        is_modal_node = m.modal_of(node.lemma, fold(node.lower)) is not None
        if node.pos in ("VERB", "NOUN", "ADJ") and node.lemma not in m.function_lemmas and not is_modal_node:
            lexical = node_i
        negs, restrictive = _negation(a, node, m)
        if negs and _concord_only(a, negs, m) and any(_lone_ne(a, up, m) for up in chain[step + 1 :]):
            # « ne se voient attribuer aucune adresse », « ne peut y recourir pour aucun
            # document »: « aucun » agrees with a « ne » higher up, which carries the one negation
            negs = []
        children = a.children(node_i)
        marked_here = False
        if restrictive:
            notes.append("ne … que")
        # (the small model sometimes tags « renonce » as a noun of lemma « renonce »)
        if node_i != focus and node.pos in ("VERB", "ADJ", "NOUN") and node.lemma in m.negative_predicates:
            # « le recours à X est exclu », « renonce à X », « sont écartés »: X is negated
            state = _NEGATE[state]
            negated_at = below if below is not None else node_i
            notes.append(f"exclusion (« {node.text} »)")
            conditional = conditional or _is_conditional(a, children, m)
            buyer_subject = buyer_subject or _buyer_subject(a, node_i, children, m)
        modal = m.modal_of(node.lemma, fold(node.lower)) if node.pos not in ("PUNCT", "DET", "ADP") else None
        if modal == OBLIGE and fold(node.lower) in m.tenu and not _followed_by(a, node_i, ("de", "d", "a", "au", "aux"), skip=("ni",)):
            modal = None  # « tenu pour responsable », « tenue des comités »: not « tenu de »
        if modal == OBLIGE and node.lemma in m.reflexive_only and not any(c.lemma == "se" for c in children):
            modal = None  # « n'engage aucune démarche »: not « s'engage à »
        modal_pos = node_i
        modal_child: int | None = None  # a modal participle or adjective on the noun (« aucune copie ne pouvant être… »)
        if modal is None:
            for child in a.children(node_i):
                if child.i in chain:  # already composed on the way up
                    continue
                if child.dep.startswith("aux") or child.dep in ("amod", "acl", "advmod", "xcomp"):
                    kind = m.modal_of(child.lemma, fold(child.lower))
                    if kind == OBLIGE and child.dep in ("amod", "acl"):
                        kind = None  # « les vérifications prévues »: describes the noun, no duty on the focus
                    elif kind == PERMIT and child.dep == "amod" and not _negation(a, child, m)[0]:
                        kind = None  # « sous licence libre », « un logiciel libre »: a kind of thing, no permission
                    if kind is not None and child.dep != "xcomp":
                        modal, modal_pos = kind, child.i
                        # a negated adjective (« non autorisée ») carries its own negation
                        if child.dep in ("amod", "acl"):
                            modal_child = child.i
                            own, _ = _negation(a, child, m)
                            negs = negs + [p for p in own]
                            if own:
                                modal_pos = max(own) + 1 + len(a.toks)  # all before: negates the modal
                        break
        if modal is None:
            # « écarte toute interdiction », « supprime l'obligation »: a verb that lifts the rule
            # met below it negates that rule (it means nothing to a plain action: « écarte le consultant »)
            cancels = node.pos == "VERB" and node.lemma in m.cancel and state in (OBLIGE, PROHIBIT, PERMIT, WAIVE)
            if cancels:
                negs = negs + [node_i] if not negs else []  # « n'écarte pas l'interdiction » keeps it
                notes.append(f"levée par « {node.text} »")
            if negs:
                state = _NEGATE[state]
                negated_at = node_i
                if not cancels:
                    notes.append(f"négation de « {node.text} »")
                conditional = conditional or _is_conditional(a, children, m)
                buyer_subject = buyer_subject or _buyer_subject(a, node_i, children, m)
            continue
        conditional = conditional or _is_conditional(a, children, m)
        buyer_subject = buyer_subject or _buyer_subject(a, node_i, children, m)
        found_subject = _subject(a, node_i, children)
        if found_subject is not None:
            subject = found_subject.lemma
        if modal_pos == node_i:
            action_negs, modal_negs = [], negs
        else:
            ne_before = any(p < modal_pos for p in negs if fold(a.toks[p].lower).rstrip("'") in m.ne) if modal_pos < len(a.toks) else True
            if ne_before or not any(fold(a.toks[p].lower).rstrip("'") in m.ne for p in negs):
                action_negs, modal_negs = [], negs
            else:
                action_negs, modal_negs = negs, []
        modal_tok = a.toks[modal_pos] if modal_pos < len(a.toks) else node
        if modal_negs and modal_tok.lemma in m.must_not:
            # « ne doit pas subsister »: a duty not to, not the absence of a duty
            action_negs, modal_negs = modal_negs, []
            if modal_pos == node_i:
                governed = [c.i for c in children if c.dep == "xcomp" and c.pos in ("VERB", "AUX", "ADJ")]
                node_i_negated = governed[0] if governed else node_i
            else:
                node_i_negated = node_i
        else:
            node_i_negated = node_i
        if action_negs:
            state = _NEGATE[state]
            negated_at = node_i_negated
            notes.append(f"négation de « {node.text} »")
        before_modal = state
        state = _APPLY[modal].get(state, state)
        notes.append(f"{modal} ({a.toks[min(modal_pos, len(a.toks) - 1)].text if modal_pos < len(a.toks) else node.text})")
        if modal_negs:
            modal_tok = a.toks[modal_pos] if modal_pos < len(a.toks) else node
            if modal == OBLIGE and modal_tok.lemma in m.must_not:
                state = _APPLY[PROHIBIT].get(before_modal, before_modal)  # « ne doit pas »: must not
            else:
                state = _NEGATE[state]
            # « ne peut être délégué »: what is negated is the delegation, not « pouvoir »
            governed = [c.i for c in (a.children(modal_child) if modal_child is not None else children) if c.dep == "xcomp" and c.pos in ("VERB", "AUX", "ADJ")]
            negated_at = governed[0] if governed else (lexical if lexical is not None and lexical != node_i else node_i)
            notes.append(f"négation de « {node.text} »")
    return Polarity(state=_RESULT[state], action=action, markers=notes, negated_at=negated_at,
                    conditional=conditional, buyer_subject=buyer_subject, subject=subject)


def _subject(a: Analysed, node_i: int, children: list[Tok]) -> Tok | None:
    node = a.toks[node_i]
    subjects = [c for c in children if c.dep.startswith("nsubj")]
    if not subjects and node.dep in ("xcomp", "conj") and node.head != node_i:
        subjects = [c for c in a.children(node.head) if c.dep.startswith("nsubj")]
    if subjects and fold(subjects[0].lower) == "qui":
        return _antecedent(a, subjects[0].i) or subjects[0]
    return subjects[0] if subjects else None


def _antecedent(a: Analysed, i: int) -> Tok | None:
    """The noun a relative « qui » stands for: the nearest noun before it (« la propriété de
    l'Office, qui peut les exploiter » → « Office »). The parser attaches the relative clause
    anywhere (acl:relcl, advcl, ccomp), so the word order decides."""
    for t in reversed(a.toks[max(0, i - 6) : i]):
        if t.pos in ("NOUN", "PROPN"):
            return t
        if t.pos == "VERB" or fold(t.lower) in (";", ":"):
            return None
    return None


def agent_role(a: Analysed, i: int) -> str | None:
    """Who performs the action at token ``i``: « buyer », « contractor » or None (unknown).

    The agent is the subject of an active verb (« le titulaire pilote »; through « qui », the
    noun the relative clause describes; a coordinated verb shares its head's subject) or the
    « par » complement of a passive one (« est piloté par l'administration »).
    """
    m = markers()
    tok, seen = a.toks[i], set()
    while tok.i not in seen:
        seen.add(tok.i)
        children = a.children(tok.i)
        agent = next((c for c in children if c.dep == "obl:agent"), None)
        if agent is None and any(c.dep in ("aux:pass", "nsubj:pass") for c in children):
            # the parser often labels the passive's « par l'administration » obl:mod
            agent = next((c for c in children if c.dep.startswith("obl") and any(
                g.dep == "case" and g.lower == "par" for g in a.children(c.i))), None)
        if agent is None:
            agent = next((c for c in children if c.dep == "nsubj"), None)
            if agent is not None and agent.lemma == "qui" and tok.dep == "acl:relcl":
                agent = a.toks[tok.head]
        if agent is not None:
            words = {agent.lemma, fold(agent.lower)}
            words |= {fold(c.lower) for c in a.children(agent.i) if c.dep in ("amod", "nmod", "flat:name", "fixed")}
            if words & m.buyer:
                return "buyer"
            if words & m.contractor:
                return "contractor"
            return None
        if tok.dep != "conj" or tok.head == tok.i or any(c.dep.startswith("nsubj") for c in children):
            return None
        tok = a.toks[tok.head]
    return None


def given_to_contractor(a: Analysed, i: int) -> bool:
    """Whether the passive verb at ``i`` hands something to the contractor (« est confié au titulaire »)."""
    m = markers()
    children = a.children(i)
    if not any(c.dep in ("aux:pass", "nsubj:pass") for c in children):
        return False
    for c in children:
        if c.dep.startswith(("obl", "iobj")) and any(g.dep == "case" and fold(g.lower) in ("a", "au", "aux") for g in a.children(c.i)):
            if {c.lemma, fold(c.lower)} & m.contractor:
                return True
    return False


def _is_conditional(a: Analysed, children: list[Tok], m: Markers) -> bool:
    return any(c.dep == "mark" and (fold(c.lower).rstrip("'") in m.conditions or c.lemma in m.conditions) for c in children)


def _buyer_subject(a: Analysed, node_i: int, children: list[Tok], m: Markers) -> bool:
    """Whether the predicate's subject names the buyer (« l'administration », « l'acheteur »)."""
    subject = _subject(a, node_i, children)
    for subject in [subject] if subject is not None else []:
        words = {subject.lemma, fold(subject.lower)}
        # « le représentant de l'administration », not « l'évaluation par l'administration »
        words |= {
            fold(c.lower)
            for c in a.children(subject.i)
            if c.dep in ("amod", "nmod", "flat:name", "fixed") and not any(g.lower == "par" and g.dep == "case" for g in a.children(c.i))
        }
        if words & m.buyer:
            return True
    return False


def _followed_by(a: Analysed, i: int, words: tuple[str, ...], skip: tuple[str, ...] = ()) -> bool:
    j = i + 1
    while j < len(a.toks) and fold(a.toks[j].lower) in skip:  # « tenu ni de restituer ni de … »
        j += 1
    return j < len(a.toks) and fold(a.toks[j].lower).rstrip("'") in words


_STRENGTH = {REQUIRED: 0, FORBIDDEN: 1, PERMITTED: 1, WAIVED: 2, RESTRICTED: 1, REVERSED: 3}


def _combine(results: list[Polarity]) -> Polarity:
    """One polarity for several focus tokens: the most marked one (a modal beats a bare statement)."""
    marked = [p for p in results if p.markers]
    pool = marked or results
    best = max(pool, key=lambda p: (_STRENGTH[p.state], p.action is not None, len(p.markers)))
    return Polarity(state=best.state, action=best.action, markers=list(best.markers), negated_at=best.negated_at,
                    conditional=best.conditional, buyer_subject=best.buyer_subject, subject=best.subject)


# --- performance: one analysis per sentence and focus ---------------------------------------
# The judgement asks the same question several times: a sentence stands in up to three windows
# of a family (alone, with the sentence before, with the one after), and a sentence analysed
# once is reused across the documents of a run (lint/engine.py). The answer depends on the
# analysed tokens and the focus only; each caller gets its own copy.

_POLARITY_CACHE: dict[tuple[int, tuple[int, ...]], tuple[Analysed, Polarity]] = {}


def analyse_polarity(a: Analysed, focus: list[int]) -> Polarity:
    """The polarity of the action around ``focus`` tokens (see the module docstring), remembered
    per analysed sentence and focus."""
    key = (id(a), tuple(focus))
    found = _POLARITY_CACHE.get(key)
    if found is None or found[0] is not a:  # same object only: an id may be reused once freed
        if len(_POLARITY_CACHE) >= 20_000:
            _POLARITY_CACHE.clear()
        found = _POLARITY_CACHE[key] = (a, _analyse_polarity(a, focus))
    return replace(found[1], markers=list(found[1].markers))
