"""One detector per clause family, built from the clause files only (their ``detect`` hints and text).

A detector works in two stages (see docs/detection.md):

1. **Candidates** (cheap, every sentence): a sentence, or a window of two adjacent sentences of
   one section, is a candidate when it hits every *topic* anchor group of one of the family's
   clauses (stems: conjugation, plural and accents do not matter), or a clause pattern's
   words, or when its stem bag is close to the family's examples while hitting all but one
   group.
2. **Judgement** (spaCy, candidates only): lemmas and the dependency parse give the polarity of
   the action (required, forbidden, permitted, waived, reversed — ``nlp/polarity.py``) and a
   TF-IDF cosine against the positive, negative and contradicted examples. What the family
   expects is learnt from its examples: a ban (insignia) is honoured by « forbidden » and
   contradicted by « permitted »; an obligation (mention the consultants) the other way round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from clauselint.errors import LibraryError
from clauselint.library.model import Clause
from clauselint.nlp import polarity as pol
from clauselint.nlp.analysis import Analysed
from clauselint.nlp.lexical import NEG, KeyIndex, Term, fold, make_term, stem, word_keys
from clauselint.nlp.sentences import split_sentences
from clauselint.nlp.vectors import TfIdf, Vector, features, word_features

# --- thresholds (measured on corpus/passages with bench/quality.py; see docs/detection.md) -----
PRESENT_MIN_SIMILARITY = 0.14  # a compliant candidate this close to the positives is evidence
PRESENT_MIN_MARGIN = -0.02  # ... and not closer to the hard negatives than to the positives
CONTRADICTED_MIN_SIMILARITY = 0.14  # an explicit contrary polarity (« n'est pas tenu de »)
SOFT_CONTRADICTED_MIN_SIMILARITY = 0.40  # a bare statement of the opposite, similarity only
SOFT_CONTRADICTED_MARGIN = 0.10
BAD_ACTION_MIN_SIMILARITY = 0.25  # stating an action only the contradicted examples state
STRUCTURAL_MIN_SIMILARITY = 0.10  # ... or this close when every anchor group and the polarity agree
CHEAP_MIN_SIMILARITY = 0.45  # pre-selection of a window missing one anchor group
UNANCHORED_MIN_SIMILARITY = 0.30  # ... which must then be this close to the positives
UNANCHORED_MIN_FEATURES = 8  # ... and have this many similarity features (lemma stems and pairs)
CONTRADICTION_WINS_AT = 0.60  # a contradiction outweighs presence from this confidence on
MAX_WINDOWS = 6  # candidate windows judged per family and document
OTHER_FAMILY_MARGIN = 0.05  # how much closer to another family's examples a sentence may be
SAME_AS_EXAMPLE = 0.85  # cosine from which a sentence is taken as one of the positive examples

SOFT = "proche des exemples contraires"
PROHIBITION = "prohibition"
OBLIGATION = "obligation"


@dataclass
class Example:
    text: str
    kind: str  # "positive", "negative", "contradicted", "clause"
    clause_id: str
    analysed: Analysed | None = None
    vector: Vector = field(default_factory=dict)
    cheap_vector: Vector = field(default_factory=dict)
    polarity: pol.Polarity | None = None


@dataclass
class AnchorSet:
    """One clause's anchors: topic groups (what the clause is about) and polarity groups."""

    clause_id: str
    topic: list[list[Term]]
    polarity: list[list[Term]]
    patterns: list[list[list[Term]]]  # literal words of each Matcher pattern, one group per token

    def topic_keys(self) -> set[str]:
        return {k for group in self.topic for term in group for k in term.keys if k != NEG}


def _group_keys(group: list[Term]) -> frozenset[str]:
    return frozenset(k for term in group for k in term.keys)


def group_hit(group: list[Term], index: KeyIndex, keyset: frozenset[str], keys_of_group: frozenset[str]) -> bool:
    if not (keys_of_group & keyset):
        return False
    return any(index.match(term) is not None for term in group)


def _marker_stems() -> frozenset[str]:
    m = pol.markers()
    stems = {stem(w) for lemmas in m.modal.values() for w in lemmas}
    stems |= {stem(w) for w in m.tenu}
    for phrase in m.restriction_phrases + m.waive_phrases:
        stems |= {s for s, _ in phrase.words}
    stems.add("abstenir")
    stems.add(stem("abstenir"))
    return frozenset(stems)


def _is_polarity_group(group: list[Term], marker_stems: frozenset[str]) -> bool:
    """A group whose terms mostly express the modality (« interdire », « ne pas utiliser »)."""
    marked = sum(1 for t in group if NEG in t.keys or any(k in marker_stems for k in t.keys))
    return marked * 2 > len(group)


def _pattern_literals(pattern: list[dict[str, Any]]) -> list[list[Term]]:
    groups: list[list[Term]] = []
    for spec in pattern:
        values: list[str] = []
        for attr in ("LOWER", "LEMMA", "ORTH", "TEXT", "NORM"):
            value = spec.get(attr)
            if isinstance(value, str):
                values.append(value)
            elif isinstance(value, dict):
                values.extend(v for v in value.get("IN", []) if isinstance(v, str))
        terms = [t for t in (make_term(v) for v in values) if t is not None]
        if terms:
            groups.append(terms)
    return groups


@dataclass
class Window:
    units: tuple[int, ...]
    clauses: set[str]
    polarity_hit: bool
    cheap_score: float
    anchored: bool = True  # every topic group of a clause hit (not only the similarity route)


@dataclass
class Judgement:
    window: Window
    verdict: str  # "present", "contradicted" or "none"
    confidence: float
    sim_pos: float
    sim_neg: float
    sim_con: float
    polarity: pol.Polarity
    reason: str


class FamilyDetector:
    """Candidate selection and judgement for one family (built by ``build_detectors``)."""

    def __init__(self, family: str, clauses: Sequence[Clause], examples: list[Example], marker_stems: frozenset[str]) -> None:
        self.family = family
        self.clause_ids = [c.id for c in clauses]
        self.anchors: list[AnchorSet] = []
        for clause in clauses:
            topic, polarity_groups = [], []
            for raw_group in clause.detect.anchors:
                group = [t for t in (make_term(term) for term in raw_group) if t is not None]
                if not group:
                    continue
                (polarity_groups if _is_polarity_group(group, marker_stems) else topic).append(group)
            if not topic:  # every group is modal: keep them as topic so the clause stays detectable
                topic, polarity_groups = polarity_groups, []
            patterns = [_pattern_literals(p) for p in clause.detect.patterns]
            self.anchors.append(AnchorSet(clause.id, topic, polarity_groups, [p for p in patterns if p]))
        self._index_groups()
        self.topic_keys = set().union(*(a.topic_keys() for a in self.anchors)) if self.anchors else set()
        self.examples = examples
        self.positives = [e for e in examples if e.kind in ("positive", "clause")]
        self.negatives = [e for e in examples if e.kind == "negative"]
        self.contradicted = [e for e in examples if e.kind == "contradicted"]
        self.kind = OBLIGATION
        self.required_count: Counter[str] = Counter()  # actions the examples require
        self.forbidden_count: Counter[str] = Counter()  # actions the examples forbid
        self.negated_in_hints: Counter[str] = Counter()  # the very word a positive hint negates
        self.permitted_count: Counter[str] = Counter()  # actions the positive hints permit the contractor
        self.buyer_actions: set[str] = set()  # actions the positives have the buyer perform, never the contractor
        self.bad_actions: set[str] = set()  # actions the contradicted examples state or permit
        self.forbids_often = False
        self.matcher = None  # a spaCy Matcher over the clauses' patterns, set by build_detectors
        self._cheap_index: dict[str, list[tuple[int, float]]] | None = None
        self._hit_cache: dict | None = None  # matched terms → _unit_hits (see _hits_of)
        self._window_cache: dict | None = None  # matched terms of a span → _anchor_verdict
        self._score_cache: dict | None = None  # texts of a span → cheap_similarity
        self._has_polarity_groups = any(a.polarity for a in self.anchors)
        self.others: list[Example] = []  # the other families' positive examples (set by build_detectors)
        self.others_contradicted: list[Example] = []  # ... and their contradicted examples
        self._index: tuple[list[str], dict[str, list[tuple[int, float]]]] | None = None

    def _index_groups(self) -> None:
        # keyed by object id: rebuilt after unpickling (ids change), see __setstate__
        self._group_keys = {id(g): _group_keys(g) for a in self.anchors for g in a.topic + a.polarity + [x for p in a.patterns for x in p]}
        self.vocabulary = frozenset(k for keys in self._group_keys.values() for k in keys)
        # term id (``TERMS``) → where the term stands: (anchor, 0 topic | 1 polarity, group) or
        # (anchor, 2, pattern, group)
        slots: dict[int, list[tuple[int, ...]]] = {}
        for n, a in enumerate(self.anchors):
            places = [((n, 0, g), group) for g, group in enumerate(a.topic)]
            places += [((n, 1, g), group) for g, group in enumerate(a.polarity)]
            places += [((n, 2, p, g), group) for p, pattern in enumerate(a.patterns) for g, group in enumerate(pattern)]
            for slot, group in places:
                for term in group:
                    entry = slots.setdefault(TERMS.intern(term), [])
                    if slot not in entry:
                        entry.append(slot)
        self._term_slots = slots
        self._terms = frozenset(slots)
        # a clause with no anchor group at all makes every window a candidate (see _window)
        self._unanchored_clause = any(not a.topic for a in self.anchors)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_group_keys"] = None
        state["_term_slots"] = state["_terms"] = None
        state["_hit_cache"] = state["_window_cache"] = state["_score_cache"] = None
        state["matcher"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._index_groups()

    # --- learning from the examples -------------------------------------------------------

    def learn(self) -> None:
        """Family kind and action polarities from the analysed examples.

        A positive example that states an action teaches that the action is due (« mentionne »)
        or banned (« n'utilise pas »); a contradicted example that negates an action teaches that
        the action is due (« n'est pas tenu de mentionner »), one that states or permits it that
        it is the wrong one (« conserve », « peut réutiliser »).
        """
        hint_states = Counter(e.polarity.state for e in self.positives if e.kind == "positive" and e.polarity)
        forbidding = hint_states[pol.FORBIDDEN] + hint_states[pol.RESTRICTED]
        self.kind = PROHIBITION if forbidding * 2 > sum(hint_states.values()) else OBLIGATION
        for e in self.positives:
            if e.polarity is None or e.analysed is None:
                continue
            for key in self._action_keys(e.analysed, e.polarity):
                if e.polarity.state == pol.REQUIRED:
                    self.required_count[key] += 1
                elif e.polarity.state in (pol.FORBIDDEN, pol.RESTRICTED):
                    self.forbidden_count[key] += 1
                elif e.polarity.state == pol.PERMITTED and e.kind == "positive" and not e.polarity.buyer_subject:
                    self.permitted_count[key] += 1  # « peut décliner une commande » fulfils the clause
            if e.polarity.state == pol.FORBIDDEN and e.kind == "positive" and e.polarity.negated_at is not None:
                negated = e.analysed.toks[e.polarity.negated_at]
                if negated.lemma not in pol.markers().function_lemmas:
                    self.negated_in_hints[negated.lemma_key] += 1  # « n'en garde aucune copie »: « garder »
            if e.polarity.state == pol.FORBIDDEN:
                # « n'en garde aucun double »: what a compliant sentence negates may be a topic
                # noun (the parser sometimes leaves the verb out of the chain)
                for key in self._negated_topic_nouns(e.analysed):
                    self.forbidden_count[key] += 1
        for e in self.contradicted:
            if e.polarity is None or e.analysed is None:
                continue
            if e.polarity.state == pol.FORBIDDEN and self.kind == OBLIGATION and e.polarity.negated_at is not None:
                negated = e.analysed.toks[e.polarity.negated_at]
                if negated.lemma not in pol.markers().function_lemmas:
                    self.required_count[negated.lemma_key] += 1
            elif e.polarity.state in (pol.REQUIRED, pol.PERMITTED, pol.REVERSED):
                self.bad_actions.update(self._action_keys(e.analysed, e.polarity))
            # each plain statement of the example (« le pilotage est délégué au titulaire,
            # l'administration ne disposant pas… »: the delegation, whatever the other clause says)
            for f in self.focus(e.analysed):
                p = pol.analyse_polarity(e.analysed, [f])
                if p.state == pol.REQUIRED and not p.markers and not p.conditional and p.action is not None \
                        and pol.agent_role(e.analysed, p.action) != "buyer":
                    self.bad_actions.update(self._action_keys(e.analysed, p))
        self.bad_actions -= {k for k in self.required_count if self.required_count[k] > self.forbidden_count[k]}
        self.permitted_count = Counter({k: n for k, n in self.permitted_count.items() if k not in self.bad_actions})
        by_buyer: set[str] = set()
        by_contractor: set[str] = set()
        for e in self.positives:
            p = e.polarity
            if p is None or e.analysed is None or p.state != pol.REQUIRED or p.action is None:
                continue
            role = pol.agent_role(e.analysed, p.action)
            key = e.analysed.toks[p.action].lemma_key
            if role == "buyer":
                by_buyer.add(key)
            elif role == "contractor":
                by_contractor.add(key)
        # Only a family whose contradicted examples give the contractor the buyer's part (« le
        # pilotage est confié au titulaire ») reads the contractor doing a buyer action as contrary:
        # elsewhere (evaluation: « le titulaire établit le bilan ») it is the contractor's share.
        reverses_roles = False
        for e in self.contradicted:
            for f in self.focus(e.analysed) if e.analysed is not None else []:
                p = pol.analyse_polarity(e.analysed, [f])
                if p.state == pol.REQUIRED and not p.markers and not p.conditional and p.action is not None and (
                        pol.agent_role(e.analysed, p.action) == "contractor" or pol.given_to_contractor(e.analysed, p.action)):
                    reverses_roles = True
        self.buyer_actions = by_buyer - by_contractor if reverses_roles else set()
        # An obligation often stated as prohibitions (confidentiality: « ne divulgue pas »)
        self.forbids_often = self.kind == OBLIGATION and forbidding * 4 >= sum(hint_states.values())

    def _negated_topic_nouns(self, a: Analysed) -> set[str]:
        """Topic nouns under a negative determiner (« aucun double », « aucune copie »)."""
        m = pol.markers()
        return {
            a.toks[i].lemma_key
            for i in self.focus(a)
            if a.toks[i].pos in ("NOUN", "PROPN")
            and any(c.lemma in m.negative_determiners and c.dep.startswith("det") for c in a.children(i))
        }

    def _action_keys(self, a: Analysed, p: pol.Polarity) -> set[str]:
        function_lemmas = pol.markers().function_lemmas
        keys = set()
        for index in (p.action, p.negated_at):
            if index is not None and a.toks[index].lemma not in function_lemmas:
                keys.add(a.toks[index].lemma_key)
        return keys

    def anchored_text(self, text: str) -> bool:
        """Whether ``text`` hits every topic group of one of the family's clauses."""
        index, keyset = _indexed(text)
        return any(all(group_hit(g, index, keyset, self._group_keys[id(g)]) for g in a.topic) for a in self.anchors if a.topic)

    # --- stage 1: candidates ----------------------------------------------------------------

    def candidates(self, units: Sequence[Any], same_passage, cheap_tfidf: TfIdf) -> list[Window]:
        """Windows (one sentence, or two adjacent ones of one passage) worth a full analysis.

        At most ``MAX_WINDOWS`` per family and document, the closest to the family's examples on
        cheap stems: a document needs one good piece of evidence, and the full pipeline is the
        expensive part.
        """
        # A unit's hits are None when it shares no stem with the family's anchors (or is filler),
        # else a dict (maybe empty) computed from the anchor terms it matches; ``keys`` holds
        # what they were computed from (None, or the matched terms), to reuse window verdicts.
        n = len(units)
        hits: list[dict[str, tuple[frozenset[int], frozenset[int], bool]] | None] = [None] * n
        keys: list[frozenset[int] | None] = [None] * n
        vocabulary = self.vocabulary
        live: list[int] = []
        for i, unit in enumerate(units):
            if not unit.filler and not unit.keyset.isdisjoint(vocabulary):
                matched = TERMS.matched(unit) & self._terms  # this family's terms only
                keys[i] = matched
                hits[i] = self._hits_of(matched)
                live.append(i)
        # a window starts at a unit with hits, or just before one
        starts = sorted(set(live).union(i - 1 for i in live if i > 0))
        out: list[Window] = []
        for i in starts:
            unit = units[i]
            spans = [(i,)] if hits[i] is not None and not unit.heading_like else []
            if (
                i + 1 < n
                and hits[i + 1] is not None
                and not units[i + 1].heading_like
                and same_passage(unit, units[i + 1])
            ):
                spans.append((i, i + 1))
            for span in spans:
                window = self._window(span, hits, units, cheap_tfidf, keys)
                if window is not None:
                    out.append(window)
        if len(out) > MAX_WINDOWS:
            out = sorted(out, key=lambda w: -w.cheap_score)[:MAX_WINDOWS]
            out.sort(key=lambda w: w.units)
        return out

    def _hits_of(self, matched: frozenset[int]) -> dict[str, tuple[frozenset[int], frozenset[int], bool]]:
        """``_unit_hits`` from the terms a sentence matches, remembered (many sentences match the same few terms)."""
        cache = self._hit_cache
        if cache is None:
            cache = self._hit_cache = {}
        found = cache.get(matched)
        if found is None:
            if len(cache) >= 20_000:
                cache.clear()
            found = cache[matched] = self._hits_from(matched)
        return found

    def _unit_hits(self, unit) -> dict[str, tuple[frozenset[int], frozenset[int], bool]]:
        """Per clause: the topic and polarity groups the sentence hits, and whether a pattern's words all occur.

        Same answer as testing every group with ``group_hit``: a group is hit when one of its
        terms matches, and each distinct term is matched once per sentence for all families
        (``TERMS.matched``); here only the terms that matched are looked up.
        """
        return self._hits_from(TERMS.matched(unit))

    def _hits_from(self, matched: frozenset[int]) -> dict[str, tuple[frozenset[int], frozenset[int], bool]]:
        result: dict[str, tuple[frozenset[int], frozenset[int], bool]] = {}
        slots = self._term_slots
        hit: dict[int, set[tuple[int, ...]]] = {}
        for tid in matched:
            for slot in slots.get(tid, ()):
                hit.setdefault(slot[0], set()).add(slot[1:])
        for n in sorted(hit):
            a = self.anchors[n]
            groups = hit[n]
            topic = frozenset(g for kind, g, *_ in groups if kind == 0)
            polar = frozenset(g for kind, g, *_ in groups if kind == 1)
            pattern = any(all((2, p, g) in groups for g in range(len(groups_p))) for p, groups_p in enumerate(a.patterns))
            if topic or polar or pattern:
                result[a.clause_id] = (topic, polar, pattern)
        return result

    def _window(self, span, hits, units, cheap_tfidf: TfIdf, keys: Sequence[frozenset[int] | None] | None = None) -> Window | None:
        if not self._unanchored_clause and not any(hits[j] for j in span):
            return None  # no group hit in the span: neither a clause nor a near miss
        # the anchors' verdict on the span depends on its units' hits only: remembered by the
        # terms they match
        cache_key = tuple(keys[j] for j in span) if keys is not None else None
        cache = self._window_cache
        if cache is None:
            cache = self._window_cache = {}
        found = cache.get(cache_key) if cache_key is not None else None
        if found is None:
            found = self._anchor_verdict(span, hits)
            if cache_key is not None:
                if len(cache) >= 20_000:
                    cache.clear()
                cache[cache_key] = found
        clauses_hit, polarity_hit, near = found
        clauses = set(clauses_hit)
        if not clauses and not near:
            return None
        score = self._cheap_score(span, units, cheap_tfidf)
        if not clauses and score < CHEAP_MIN_SIMILARITY:
            return None
        anchored = bool(clauses)
        if not clauses:
            clauses = {a.clause_id for a in self.anchors}
        return Window(units=span, clauses=clauses, polarity_hit=polarity_hit, cheap_score=score, anchored=anchored)

    def _anchor_verdict(self, span, hits) -> tuple[frozenset[str], bool, bool]:
        """(clauses whose topic groups, or a pattern, the span hits; whether their polarity groups are hit too; a near miss)."""
        clauses: set[str] = set()
        polarity_hit = False
        near = False
        if self._unanchored_clause:
            anchors = self.anchors
        else:
            # an anchor set none of the span's units hits decides nothing (no clause, no near miss)
            present = {c for j in span if hits[j] for c in hits[j]}
            anchors = [a for a in self.anchors if a.clause_id in present]
        for a in anchors:
            topic: set[int] = set()
            polar: set[int] = set()
            pattern = False
            for j in span:
                h = hits[j]
                if h and a.clause_id in h:
                    topic |= h[a.clause_id][0]
                    polar |= h[a.clause_id][1]
                    pattern = pattern or h[a.clause_id][2]
            if pattern or len(topic) == len(a.topic):
                clauses.add(a.clause_id)
                if pattern or len(polar) == len(a.polarity):
                    polarity_hit = True
            elif len(a.topic) >= 3 and len(topic) >= len(a.topic) - 1:
                near = True
        return frozenset(clauses), polarity_hit, near

    def _cheap_score(self, span, units, cheap_tfidf: TfIdf) -> float:
        """``cheap_similarity`` of the span's stems, remembered by the span's texts."""
        cache = self._score_cache
        if cache is None:
            cache = self._score_cache = {}
        key = (id(cheap_tfidf), *(units[j].text for j in span))
        score = cache.get(key)
        if score is None:
            if len(cache) >= 50_000:
                cache.clear()
            score = cache[key] = self.cheap_similarity(_cheap_vector(span, units, cheap_tfidf))
        return score

    def cheap_similarity(self, vec: Vector) -> float:
        """Best cosine, on cheap stems, with a positive or contradicted example (inverted index)."""
        if self._cheap_index is None:
            index: dict[str, list[tuple[int, float]]] = {}
            for n, e in enumerate(self.positives + self.contradicted):
                for term, weight in e.cheap_vector.items():
                    index.setdefault(term, []).append((n, weight))
            self._cheap_index = index
        scores: dict[int, float] = {}
        for term, weight in vec.items():
            for n, w in self._cheap_index.get(term, ()):
                scores[n] = scores.get(n, 0.0) + weight * w
        return max(scores.values(), default=0.0)

    # --- stage 2: judgement ---------------------------------------------------------------

    def focus(self, a: Analysed) -> list[int]:
        m = pol.markers()
        return [
            t.i
            for t in a.toks
            if t.pos not in ("PUNCT", "DET", "ADP", "AUX")
            and (t.key in self.topic_keys or t.lemma_key in self.topic_keys)
            and t.lemma not in m.function_lemmas  # « pouvoir » of « pouvoir adjudicateur » is not the topic
        ]

    def judge(self, window: Window, analysed: Sequence[Analysed], tfidf: TfIdf, function_lemmas: frozenset[str], pattern_hit: bool) -> Judgement:
        bag: Counter[str] = Counter()
        for a in analysed:
            bag.update(features(a, function_lemmas))
        vec = tfidf.vector(bag)
        sims = self._similarities(vec)
        sim_pos = _top2(sims["positive"] + sims["clause"])
        sim_neg = _top2(sims["negative"])
        sim_con = _top2(sims["contradicted"])
        pairs = []
        for a in analysed:
            focus = self.focus(a)
            if focus:
                pairs.append((a, self._unreverse(a, pol.analyse_polarity(a, focus))))
        polarity = _strongest([p for _, p in pairs]) if pairs else pol.Polarity(pol.REQUIRED, None, [])
        action_key = self._judged_action(pairs, polarity)
        negations = {self._topic_negation(a) for a, p in pairs if p is polarity}
        topic_negated = "topic" in negations
        if (negations == {"scope"} or (polarity.state == pol.WAIVED and polarity.subject in pol.markers().scope_nouns)) and not pattern_hit:
            # « les prestations n'impliquent aucun traitement de données », « aucun hébergement
            # n'est demandé »: what the contract does not cover — neither the clause nor its waiver
            return Judgement(window, "none", 0.0, sim_pos, sim_neg, sim_con, polarity, "hors périmètre")
        verdict = self.classify(polarity, action_key, topic_negated)
        if verdict == "compliant" and self.buyer_actions and self._contractor_does_buyer_action(pairs):
            verdict = "bad-action"  # « le titulaire pilote seul le projet »: the buyer's part, done by the contractor
        polarity_ok = window.polarity_hit or pattern_hit or (verdict == "compliant" and (bool(polarity.markers) or self.kind == OBLIGATION))
        # a word, not a bullet the tagger calls an adjective (« * [ ] Hébergement : »)
        has_predicate = any(t.pos in ("VERB", "AUX", "ADJ") and any(c.isalpha() for c in t.text) for a in analysed for t in a.toks)
        finite = any(t.finite for a in analysed for t in a.toks)
        # Every anchor group hit and an explicit compliant polarity: similarity only has to rule
        # out the hard negatives.
        # (for a ban only: an obligation's « doit » or « s'engage » is everywhere in a contract)
        structural = (
            self.kind == PROHIBITION
            and window.anchored
            and verdict == "compliant"
            and ((window.polarity_hit and self._has_polarity_groups) or (bool(polarity.markers) and polarity.state in (pol.FORBIDDEN, pol.RESTRICTED)))
        ) or (
            # an obligation stated by negating an action its positives forbid (« ne divulgue à
            # aucun tiers », « ne doit subsister ») or its contradicted examples permit: as
            # explicit as a ban's prohibition
            self.kind == OBLIGATION
            and window.anchored
            and verdict == "compliant"
            # (« ne parlent des travaux qu'aux agents désignés »: « ne … que » restricts the action)
            and (polarity.state == pol.FORBIDDEN or (polarity.state == pol.REQUIRED and "ne … que" in polarity.markers))
            and action_key is not None
            and (self.forbidden_count[action_key] > self.required_count[action_key] or action_key in self.bad_actions)
        )
        # A sentence closer to another family's examples than to this one's is about that family.
        sim_other = max(sims["other"], default=0.0)
        sim_other_con = max(sims["other-contradicted"], default=0.0)

        if max(sims["positive"], default=0.0) >= SAME_AS_EXAMPLE:
            verdict = "compliant"  # a positive example's own wording is never a contradiction
        # A contradiction is read in one sentence: a neighbour's « ne … pas » is about something else.
        single = len(analysed) == 1
        # An explicit contrary polarity on a sentence that hits the anchors and is about the
        # family (close to its positive or contradicted examples, not to its hard negatives).
        # The buyer's permissions, waivers and ownership are what an obligation of the contractor
        # secures; but the buyer declining the obligation's own action (« l'établissement n'adopte
        # pas de méthode agile ») is a rule like any other.
        rule_stated = not polarity.conditional and not (polarity.buyer_subject and polarity.state != pol.FORBIDDEN)
        if polarity.state == pol.PERMITTED and polarity.subject is not None and polarity.subject not in pol.markers().contractor:
            rule_stated = False  # « l'AMF peut procéder à un audit »: the permission is not the contractor's
        if (
            verdict == "contrary"
            and single
            and rule_stated
            and window.anchored
            # a waiver (« est dispensé de », « n'est pas tenu de », « facultatif ») is explicit
            # enough to need only a sentence about the family, not one like the contradicted examples
            and (sim_con >= CONTRADICTED_MIN_SIMILARITY or (polarity.state == pol.WAIVED and sim_pos >= PRESENT_MIN_SIMILARITY))
            and max(sim_con, sim_pos) + 0.05 >= sim_neg
            and (sim_pos >= sim_other - OTHER_FAMILY_MARGIN or sim_con >= sim_other)
            # (a waiver, read like this family's positives, is about this family: « est dispensé
            # de produire tout tableau de bord » need not read like its contradicted examples)
            and max(sim_con, sim_pos if polarity.state == pol.WAIVED else 0.0) >= sim_other_con - OTHER_FAMILY_MARGIN
            # « sans limitation de durée » may well be the buyer's licence: the sentence must read
            # like the contradicted examples more than like the clause
            and (polarity.state != pol.REVERSED or sim_con >= sim_pos or self._contrary_unreversed(pairs, polarity, topic_negated))
        ):
            conf = _scale(max(sim_con, 0.8 * sim_pos), CONTRADICTED_MIN_SIMILARITY, 0.5, 0.6, 0.97)
            if sim_con < sim_pos:
                conf -= 0.05
            return Judgement(window, "contradicted", round(max(conf, 0.5), 3), sim_pos, sim_neg, sim_con, polarity, "polarité contraire")
        soft_floor = BAD_ACTION_MIN_SIMILARITY if verdict == "bad-action" else SOFT_CONTRADICTED_MIN_SIMILARITY
        soft_margin = 0.05 if verdict == "bad-action" else SOFT_CONTRADICTED_MARGIN
        if (
            verdict in ("soft", "contrary", "bad-action")
            and single
            and rule_stated
            and finite
            and sim_con >= soft_floor
            and sim_con >= sim_pos + soft_margin
            and sim_con >= sim_neg + SOFT_CONTRADICTED_MARGIN
            and sim_con >= sim_other_con
        ):
            conf = _scale(sim_con - sim_pos, SOFT_CONTRADICTED_MARGIN, 0.4, 0.55, 0.9)
            return Judgement(window, "contradicted", round(conf, 3), sim_pos, sim_neg, sim_con, polarity, SOFT)
        if verdict == "bad-action":
            verdict = "soft"
        if pattern_hit and verdict in ("soft", "neutral"):
            verdict = "compliant"  # the clause author's own pattern states the obligation
        if verdict == "neutral" and sim_pos >= PRESENT_MIN_SIMILARITY + 0.05:
            verdict, polarity_ok = "compliant", True
        if (
            verdict == "compliant"
            and polarity_ok
            and has_predicate
            and sim_pos >= (STRUCTURAL_MIN_SIMILARITY if structural else PRESENT_MIN_SIMILARITY if window.anchored else UNANCHORED_MIN_SIMILARITY)
            # a window that misses an anchor group stands on similarity alone: a short sentence
            # (« le titulaire y apporte son concours ») is close to anything sharing two words
            and (window.anchored or pattern_hit or len(bag) >= UNANCHORED_MIN_FEATURES)
            and sim_pos - sim_neg >= PRESENT_MIN_MARGIN
            and (structural or sim_pos >= sim_other - OTHER_FAMILY_MARGIN)
        ):
            conf = _scale(sim_pos, PRESENT_MIN_SIMILARITY, 0.5, 0.55, 0.98)
            conf += min(0.1, max(0.0, sim_pos - sim_neg) * 0.3)
            if not window.polarity_hit and not pattern_hit:
                conf -= 0.05
            return Judgement(window, "present", round(min(max(conf, 0.5), 0.99), 3), sim_pos, sim_neg, sim_con, polarity, "conforme")
        return Judgement(window, "none", 0.0, sim_pos, sim_neg, sim_con, polarity, verdict)

    def _similarities(self, vec: Vector) -> dict[str, list[float]]:
        """Cosines with every example, by group, through one inverted index (postings per term)."""
        if self._index is None:
            groups = [("positive", e) for e in self.positives if e.kind == "positive"]
            groups += [("clause", e) for e in self.positives if e.kind == "clause"]
            groups += [("negative", e) for e in self.negatives] + [("contradicted", e) for e in self.contradicted]
            groups += [("other", e) for e in self.others] + [("other-contradicted", e) for e in self.others_contradicted]
            postings: dict[str, list[tuple[int, float]]] = {}
            for n, (_, e) in enumerate(groups):
                for term, weight in e.vector.items():
                    postings.setdefault(term, []).append((n, weight))
            self._index = ([g for g, _ in groups], postings)
        names, postings = self._index
        scores = [0.0] * len(names)
        for term, weight in vec.items():
            for n, w in postings.get(term, ()):
                scores[n] += weight * w
        out: dict[str, list[float]] = {k: [] for k in ("positive", "clause", "negative", "contradicted", "other", "other-contradicted")}
        for name, score in zip(names, scores):
            out[name].append(score)
        return out

    def _contractor_does_buyer_action(self, pairs: list[tuple[Analysed, pol.Polarity]]) -> bool:
        """Whether a plain statement makes the contractor perform what the positives have the buyer do."""
        for a, _ in pairs:
            for f in self.focus(a):
                p = pol.analyse_polarity(a, [f])
                if p.state != pol.REQUIRED or p.conditional:
                    continue
                key = a.toks[p.action].lemma_key if p.action is not None else None
                plain = all(note == "restriction" for note in p.markers)  # « seul » restricts nothing here
                if key is not None and key in self.buyer_actions and pol.agent_role(a, p.action) == "contractor":
                    return True
                if key is not None and key in self.bad_actions and plain and (
                        pol.agent_role(a, p.action) == "contractor" or pol.given_to_contractor(a, p.action)):
                    return True
                if plain and any(  # a passive participle the parser tagged ADJ (« sont confiés au prestataire »)
                        a.toks[i].pos == "ADJ" and a.toks[i].lemma_key in self.bad_actions and pol.given_to_contractor(a, i)
                        for i in a.chain(f)):
                    return True  # « la présidence des comités est confiée au prestataire, qui … »
        return False

    def _unreverse(self, a: Analysed, p: pol.Polarity) -> pol.Polarity:
        """A reversal phrase on an action the family requires extends it instead of reversing it:
        « cède … sans limitation de durée » is a wider grant, « conserve … sans limitation de
        durée » the opposite of destroying."""
        if p.state != pol.REVERSED or p.reversed_at is None or p.unreversed is None:
            return p
        key = a.toks[p.reversed_at].lemma_key
        if self.required_count[key] > self.forbidden_count[key] and key not in self.bad_actions:
            return replace(p, state=p.unreversed, markers=p.markers + ["extension"])
        return p

    def _contrary_unreversed(self, pairs, polarity: pol.Polarity, topic_negated: bool) -> bool:
        """Whether the sentence is contrary without its reversal phrase too (« n'est pas remis …
        et demeure la propriété du prestataire »): the reversal does not then have to read like
        the contradicted examples (ownership kept alone may be a licence regime; ownership kept
        and the due action negated is not)."""
        if polarity.unreversed is None:
            return False
        plain = replace(polarity, state=polarity.unreversed)
        for a, p in pairs:
            if p is polarity:
                index = plain.negated_at if plain.state == pol.FORBIDDEN and plain.negated_at is not None else plain.action
                action = a.toks[index].lemma_key if index is not None else None
                return self.classify(plain, action, topic_negated) == "contrary"
        return False

    def _subject_of_negated_verb(self, a: Analysed, i: int) -> bool:
        """« la méthode agile n'est pas retenue », « les revues ne sont plus organisées »: the topic
        noun is the subject of a verb of the family's own vocabulary (an anchor: « retenir »,
        « appliquer », « organiser ») negated by « ne … pas / plus / jamais ». (« les pénalités ne
        sont pas libératoires » negates a quality of the penalties, not the penalties.)"""
        tok = a.toks[i]
        if tok.dep not in ("nsubj", "nsubj:pass") or tok.head == i:
            return False
        head = a.toks[tok.head]
        if head.key not in self.topic_keys and head.lemma_key not in self.topic_keys:
            return False
        m = pol.markers()
        return any(fold(c.lower) in m.strong_negation | m.weak_negation and c.dep == "advmod" for c in a.children(tok.head))

    def _topic_negation(self, a: Analysed) -> str | None:
        """« topic » when a topic word itself is negated (« aucune évaluation », « sans méthode
        agile »); « scope » when only a noun of the contract's scope is (« aucun traitement de
        données », markers.yaml scope_nouns): the contract says what it does not cover."""
        m = pol.markers()
        found = None
        for i in self.focus(a):
            tok = a.toks[i]
            if tok.pos == "ADJ" and tok.dep == "amod":  # « sans méthode agile »: the noun it qualifies
                i = tok.head
            elif tok.pos not in ("NOUN", "PROPN"):
                continue
            # the topic noun, or a noun it complements (« aucun dispositif d'évaluation »)
            for _ in range(2):  # one hop: further up, « sans délai » and misparses creep in
                negated = any(
                    (child.lemma in m.negative_determiners and child.dep.startswith("det"))
                    or (child.lower in m.negative_prepositions and child.dep == "case" and a.toks[i].lemma not in m.idiomatic_sans)
                    for child in a.children(i)
                ) or self._subject_of_negated_verb(a, i)
                if negated:
                    if a.toks[i].lemma not in m.scope_nouns:
                        return "topic"
                    found = "scope"
                    break
                if a.toks[i].dep != "nmod" or a.toks[a.toks[i].head].pos != "NOUN":
                    break
                i = a.toks[i].head
        return found

    def _judged_action(self, pairs: list[tuple[Analysed, pol.Polarity]], chosen: pol.Polarity) -> str | None:
        for a, p in pairs:
            if p is chosen:
                index = p.negated_at if p.state == pol.FORBIDDEN and p.negated_at is not None else p.action
                return a.toks[index].lemma_key if index is not None else None
        return None

    def classify(self, p: pol.Polarity, action: str | None, topic_negated: bool = False) -> str:
        """« compliant », « contrary », « soft » (contrary only if very close to the contrary examples) or « neutral »."""
        state = p.state
        if p.buyer_subject and state in (pol.PERMITTED, pol.WAIVED, pol.RESTRICTED):
            # « l'administration peut les utiliser, les modifier »: the buyer's rights are what an
            # obligation of the contractor secures; they say nothing of a ban on the contractor
            return "compliant" if self.kind == OBLIGATION else "neutral"
        if state == pol.REVERSED:
            return "contrary"
        if self.kind == PROHIBITION:
            if state in (pol.FORBIDDEN, pol.RESTRICTED):
                return "compliant"
            if state in (pol.PERMITTED, pol.WAIVED):
                return "contrary"
            return "soft"
        # an obligation
        if state == pol.WAIVED:
            return "contrary"
        if state == pol.RESTRICTED:
            return "compliant"
        if state == pol.FORBIDDEN:
            # Negating the obligation's own action (« ne mentionne pas ») contradicts it;
            # negating its opposite (« ne conserve aucune donnée ») fulfils it.
            if action is None:
                return "contrary" if topic_negated and not self.forbids_often else "neutral"
            forbidden = self.forbidden_count[action]
            if forbidden > self.required_count[action] or action in self.bad_actions:
                return "compliant"  # (as below: a verb seen once under a restriction is not enough)
            if self.required_count[action] > 1 or (self.required_count[action] and action in self.topic_keys):
                return "contrary"  # a generic verb (« exécuter ») seen once in a positive is not enough
            if self.forbids_often:
                return "compliant"  # « ne divulgue pas », « ne communique à aucun tiers »: how such a clause is written
            if topic_negated:
                return "contrary"  # « aucune évaluation n'est organisée », « sans méthode agile »
            plain_negation = not any(note.startswith(pol.PROHIBIT) for note in p.markers)
            if action in self.topic_keys and plain_negation:
                return "contrary"
            return "neutral"
        if state == pol.PERMITTED:
            if action in self.bad_actions:
                return "contrary"
            # a permission the clause itself grants (« peut décliner une commande qui le
            # placerait en conflit d'intérêts ») states the clause
            return "compliant" if self.permitted_count[action] else "soft"
        # required / affirmed
        if action in self.bad_actions:
            if "restriction" in p.markers or "ne … que" in p.markers:
                # « conservées pendant la seule durée nécessaire »: the contrary action kept within
                # bounds, as a restricted permission is (« ne peut conserver que… »)
                return "compliant"
            return "bad-action"  # « le pilotage est confié au titulaire »: what the contradicted examples do
        if action is not None and self.negated_in_hints[action] > self.required_count[action] and not {"restriction", "ne … que"} & set(p.markers):
            return "aside"  # « gardez une copie »: doing what the clause's hints forbid states no clause
        return "compliant"


def _cheap_vector(span: tuple[int, ...], units: Sequence[Any], cheap_tfidf: TfIdf) -> Vector:
    """The cheap-stem TF-IDF vector of a window, computed once for all families (kept on its first unit)."""
    first = units[span[0]]
    cache = getattr(first, "cheap_vectors", None)
    if cache is None:
        return cheap_tfidf.vector(word_features(k for j in span for k in units[j].keys))
    slot = (id(cheap_tfidf), len(span))
    vec = cache.get(slot)
    if vec is None:
        vec = cache[slot] = cheap_tfidf.vector(word_features(k for j in span for k in units[j].keys))
    return vec


class TermRegistry:
    """Every distinct anchor term of every detector, each matched once per sentence.

    A sentence's ``matched`` set is the ids of the terms whose keys all occur in it within the
    span ``KeyIndex.match`` allows; it is kept on the unit and shared by every family's
    candidate stage. A term is only tried on sentences that contain its first key.
    """

    def __init__(self) -> None:
        self.ids: dict[Term, int] = {}
        self.terms: list[Term] = []
        self.needs: list[tuple[str, ...]] = []
        self.by_key: dict[str, list[int]] = {}

    def intern(self, term: Term) -> int:
        tid = self.ids.get(term)
        if tid is None:
            tid = self.ids[term] = len(self.terms)
            self.terms.append(term)
            content = tuple(k for k in term.keys if k != NEG)
            self.needs.append(content + ((NEG,) if term.negated else ()))
            self.by_key.setdefault(content[0] if content else NEG, []).append(tid)
        return tid

    def matched(self, unit) -> frozenset[int]:
        cached = getattr(unit, "matched_terms", None)
        if cached is not None and cached[0] == len(self.terms):
            return cached[1]
        keyset = unit.keyset
        found: list[int] = []
        index = None
        needs = self.needs
        for k in keyset:
            for tid in self.by_key.get(k, ()):
                need = needs[tid]
                if all(n in keyset for n in need):
                    # one content key (with or without the negation slot): present is matched
                    if len(need) > 1 and (need[-1] != NEG or len(need) > 2):
                        if index is None:
                            index = unit.key_index
                        if index.match(self.terms[tid]) is None:
                            continue
                    found.append(tid)
        result = frozenset(found)
        try:
            unit.matched_terms = (len(self.terms), result)
        except AttributeError:
            pass
        return result


TERMS = TermRegistry()


@lru_cache(maxsize=4096)
def _indexed(text: str) -> tuple[KeyIndex, frozenset[str]]:
    keys = word_keys(text)
    return KeyIndex(keys), frozenset(keys)


def _top2(sims: list[float]) -> float:
    """Mean of the two best cosines, weighted (one lucky example should not decide alone)."""
    if not sims:
        return 0.0
    best = sorted(sims, reverse=True)[:2]
    return best[0] if len(best) == 1 else 0.75 * best[0] + 0.25 * best[1]


def _strongest(polarities: list[pol.Polarity]) -> pol.Polarity:
    order = {pol.REVERSED: 5, pol.WAIVED: 4, pol.PERMITTED: 3, pol.FORBIDDEN: 2, pol.RESTRICTED: 2, pol.REQUIRED: 0}
    marked = [p for p in polarities if p.markers] or polarities
    return max(marked, key=lambda p: order[p.state])


def _scale(value: float, low: float, high: float, out_low: float, out_high: float) -> float:
    if high <= low:
        return out_high
    ratio = min(1.0, max(0.0, (value - low) / (high - low)))
    return out_low + ratio * (out_high - out_low)


# --- building ---------------------------------------------------------------------------------


def clause_sentences(clause: Clause) -> list[str]:
    """The clause's own rendered text, sentence by sentence (its positive examples)."""
    from clauselint.library.render import render_clause

    try:
        text = render_clause(clause)
    except LibraryError:
        return []
    out = []
    for start, end in split_sentences(text):
        sentence = " ".join(text[start:end].split())
        if len(sentence.split()) >= 5:
            out.append(sentence)
    return out


def stating_sentences(clause: Clause, marker_stems: frozenset[str]) -> list[str]:
    """The clause's own sentences that hit every topic anchor group of the clause.

    The rest of a clause (penalties, forms to fill in, « Je soussigné… ») does not state the
    obligation and would make any contract sentence about purchase orders look like it.
    """
    probe = FamilyDetector(clause.family, [clause], [], marker_stems)
    anchors = probe.anchors[0]
    out = []
    for sentence in clause_sentences(clause):
        keys = word_keys(sentence)
        index, keyset = KeyIndex(keys), frozenset(keys)
        if all(group_hit(g, index, keyset, _group_keys(g)) for g in anchors.topic):
            out.append(sentence)
    return out


def build_detectors(library) -> tuple[dict[str, FamilyDetector], TfIdf, TfIdf]:
    """Every family's detector, the TF-IDF weights over lemmas and over cheap stems.

    The result is kept on disk (next to the example cache), keyed by the clauses' content, the
    word lists, the spaCy model and this engine's source: a fresh process loads it in a few
    tens of milliseconds instead of rebuilding it (0.3 s).
    """
    from clauselint.nlp import analysis

    key = _detectors_key(library)
    cached = analysis.load_cached("detectors", key)
    if cached is not None:
        detectors, tfidf, cheap_tfidf = cached
        for family, det in detectors.items():
            det.matcher = _build_matcher([c for c in library if c.family == family])
        return detectors, tfidf, cheap_tfidf
    built = _build_detectors(library)
    analysis.store_cached("detectors", key, built)  # without the spaCy Matchers (see __getstate__)
    return built


def _detectors_key(library) -> str:
    import hashlib
    import json
    from importlib import resources

    from clauselint.nlp import analysis

    digest = hashlib.sha256()
    for clause in library:
        digest.update(json.dumps(clause.model_dump(mode="json", exclude={"source", "origin"}), sort_keys=True, ensure_ascii=False).encode())
    digest.update(resources.files("clauselint.nlp").joinpath("data/markers.yaml").read_bytes())
    for module in ("clauselint.lint.detector", "clauselint.nlp.polarity", "clauselint.nlp.vectors", "clauselint.nlp.lexical", "clauselint.nlp.analysis", "clauselint.nlp.sentences"):
        name = module.rsplit(".", 1)[-1] + ".py"
        digest.update(resources.files(module.rsplit(".", 1)[0]).joinpath(name).read_bytes())
    digest.update(analysis.model_tag().encode())
    return digest.hexdigest()[:24]


def _build_detectors(library) -> tuple[dict[str, FamilyDetector], TfIdf, TfIdf]:
    from clauselint.library.families import FAMILY_IDS
    from clauselint.nlp.analysis import analyse_examples

    marker_stems = _marker_stems()
    raw: dict[str, list[Example]] = {f: [] for f in FAMILY_IDS}
    clauses_by_family: dict[str, list[Clause]] = {f: [] for f in FAMILY_IDS}
    for clause in library:
        clauses_by_family[clause.family].append(clause)
        d = clause.detect
        for text in d.positive:
            raw[clause.family].append(Example(text, "positive", clause.id))
        for text in stating_sentences(clause, marker_stems):
            raw[clause.family].append(Example(text, "clause", clause.id))
        for text in d.negative:
            raw[clause.family].append(Example(text, "negative", clause.id))
        for text in d.contradicted:
            raw[clause.family].append(Example(text, "contradicted", clause.id))
    all_examples = [e for f in FAMILY_IDS for e in raw[f]]
    analysed = analyse_examples(e.text for e in all_examples)
    m = pol.markers()
    bags = {}
    for e in all_examples:
        e.analysed = analysed[e.text]
        bags[id(e)] = features(e.analysed, m.function_lemmas)
    tfidf = TfIdf(bags.values())
    cheap_bags = {id(e): word_features(word_keys(e.text)) for e in all_examples}
    cheap_tfidf = TfIdf(cheap_bags.values())
    for e in all_examples:
        e.vector = tfidf.vector(bags[id(e)])
        e.cheap_vector = cheap_tfidf.vector(cheap_bags[id(e)])
    detectors: dict[str, FamilyDetector] = {}
    for family in FAMILY_IDS:
        det = FamilyDetector(family, clauses_by_family[family], raw[family], marker_stems)
        # Another family's example that hits this family's anchors (a penalty « for a deliverable
        # handed in without the mention ») is about this family too: not a counter-example.
        det.others = [e for f in FAMILY_IDS if f != family for e in raw[f] if e.kind == "positive" and not det.anchored_text(e.text)]
        det.others_contradicted = [e for f in FAMILY_IDS if f != family for e in raw[f] if e.kind == "contradicted" and not det.anchored_text(e.text)]
        for e in raw[family]:
            if e.analysed is not None:
                focus = det.focus(e.analysed)
                e.polarity = pol.analyse_polarity(e.analysed, focus) if focus else pol.Polarity(pol.REQUIRED, None, [])
        det.learn()
        det.matcher = _build_matcher(clauses_by_family[family])
        detectors[family] = det
    return detectors, tfidf, cheap_tfidf


def _build_matcher(clauses: Sequence[Clause]):
    patterned = [c for c in clauses if c.detect.patterns]
    if not patterned:
        return None
    from spacy.matcher import Matcher

    from clauselint.nlp.pipeline import get_nlp

    matcher = Matcher(get_nlp().vocab, validate=True)
    for clause in patterned:
        try:
            matcher.add(clause.id, clause.detect.patterns)
        except Exception as exc:  # spaCy raises ValueError/MatchPatternError with its own text
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise LibraryError(
                f"motif spaCy invalide dans « detect.patterns » ({first}) ; "
                "chaque motif est une liste de dictionnaires, ex. [{LEMMA: interdire}, {LOWER: logo}]",
                where=clause.source or clause.id,
            ) from None
    return matcher
