"""The linter's detection engine: for each clause family, is the obligation present, missing or contradicted?

    linter = Linter(library)              # builds every family's detector, once per process
    analysis = linter.analyse(document)   # or linter.analyse_many(documents)

See docs/detection.md for how detection works and what was measured.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from clauselint.documents.model import Document, Location
from clauselint.library.families import FAMILY_IDS
from clauselint.lint.context import ContractContext, infer_context
from clauselint.lint.detector import CONTRADICTION_WINS_AT, PROHIBITION, SOFT, FamilyDetector, Judgement, Window, build_detectors
from clauselint.lint.units import Unit, document_units, same_passage

__all__ = ["Analysis", "ContractContext", "Evidence", "FamilyStatus", "Linter"]

PRESENT = "present"
MISSING = "missing"
CONTRADICTED = "contradicted"
MAX_CANDIDATES = 5
# « missing » is right 94 % of the time on the real documents of bench/quality.py and much less
# on the adversarial passages (deep paraphrases the anchors miss): 0.9 at best, less when a
# rejected candidate came close to the positive examples.
MISSING_CONFIDENCE = 0.9
# Sentences (spaCy analyses) and judgements kept per process for the next documents of a run.
SENTENCE_CACHE = 5_000  # ≈ 60 MB
JUDGEMENT_CACHE = 20_000


@dataclass(frozen=True)
class Evidence:
    text: str
    location: Location
    score: float  # the judgement's confidence (0.5–1) for the evidence, or its similarity for a rejected candidate


@dataclass
class FamilyStatus:
    family: str
    status: str  # "present", "missing" or "contradicted"
    confidence: float  # 0.5–1, see docs/detection.md
    evidence: Evidence | None
    required: bool
    candidates: list[Evidence] = field(default_factory=list)


@dataclass
class Analysis:
    context: ContractContext
    families: list[FamilyStatus]

    def status(self, family: str) -> FamilyStatus:
        for item in self.families:
            if item.family == family:
                return item
        raise KeyError(family)


def names_contractor(units: Sequence[Unit]) -> bool:
    """Whether the document names the contractor as a party (``contract_parties`` in markers.yaml)."""
    from clauselint.nlp.polarity import markers

    parties = markers().contract_parties
    return any(all(k in unit.keyset for k in party) for unit in units for party in parties)


class Linter:
    """Every family's detector, built from the clause library once; then any number of documents."""

    def __init__(self, library) -> None:
        from clauselint.nlp.polarity import markers

        self.library = library
        self.detectors, self.tfidf, self.cheap_tfidf = build_detectors(library)
        self.function_lemmas = markers().function_lemmas
        self._sentences: dict[str, tuple] = {}  # sentence → (Analysed, pattern hits), see _analyse_sentences
        self._judged: dict[tuple, Judgement] = {}  # see _judge

    def analyse(self, document: Document, category: int | None = None, agile: bool | None = None, personal_data: bool | None = None) -> Analysis:
        return self.analyse_many([document], category=category, agile=agile, personal_data=personal_data)[0]

    def analyse_many(
        self,
        documents: Sequence[Document],
        category: int | None = None,
        agile: bool | None = None,
        personal_data: bool | None = None,
    ) -> list[Analysis]:
        """Analyse several documents, feeding every candidate sentence to spaCy in one ``nlp.pipe``."""
        per_doc_units = [document_units(doc) for doc in documents]
        per_doc_windows: list[dict[str, list[Window]]] = []
        texts: dict[str, None] = {}
        for units in per_doc_units:
            windows = {
                family: det.candidates(units, same_passage, self.cheap_tfidf) for family, det in self.detectors.items()
            }
            per_doc_windows.append(windows)
            for family_windows in windows.values():
                for w in family_windows:
                    for i in w.units:
                        texts[units[i].text] = None
        analysed, pattern_hits = self._analyse_sentences(list(texts))
        results = []
        for doc, units, windows in zip(documents, per_doc_units, per_doc_windows):
            context = infer_context(units, category=category, agile=agile, personal_data=personal_data)
            required = self.library.required_families(context.category, context.conditions())
            parties = names_contractor(units)
            families = [
                self._family_status(family, units, windows[family], analysed, pattern_hits, family in required, parties)
                for family in FAMILY_IDS
            ]
            results.append(Analysis(context=context, families=families))
        return results

    def _analyse_sentences(self, texts: list[str]) -> tuple[dict, dict[str, set[str]]]:
        """spaCy's analysis and the clause patterns' matches of each sentence, once per process.

        A sentence already analysed for an earlier document (boilerplate repeats from contract to
        contract) is not run through spaCy again. spaCy's output for a sentence does not depend
        on the batch it is in, so the cache changes no result.
        """
        from clauselint.nlp.analysis import analyse

        cache = self._sentences
        if len(cache) + len(texts) > SENTENCE_CACHE:
            cache.clear()
        missing = [t for t in texts if t not in cache]
        if missing:
            matchers = [det.matcher for det in self.detectors.values() if det.matcher is not None]
            hits: dict[str, set[str]] = {}

            def run_matchers(doc) -> None:
                if matchers:
                    from clauselint.nlp.pipeline import get_nlp

                    strings = get_nlp().vocab.strings
                    hits[doc.text] = {strings[match_id] for m in matchers for match_id, _, _ in m(doc)}

            for text, a in zip(missing, analyse(missing, on_doc=run_matchers)):
                cache[text] = (a, hits.get(text))
        found = {t: cache[t] for t in texts}
        return {t: v[0] for t, v in found.items()}, {t: v[1] for t, v in found.items() if v[1] is not None}

    def _judge(self, det: FamilyDetector, window: Window, texts: list[str], analysed: dict, hit: bool) -> Judgement:
        """``det.judge``, remembered: the same window (texts, anchors, polarity hit) in another document gets the same judgement."""
        key = (det.family, tuple(texts), frozenset(window.clauses), window.polarity_hit, window.cheap_score, window.anchored, hit)
        done = self._judged.get(key)
        if done is None:
            if len(self._judged) >= JUDGEMENT_CACHE:
                self._judged.clear()
            done = self._judged[key] = det.judge(window, [analysed[t] for t in texts], self.tfidf, self.function_lemmas, hit)
        return done if done.window is window else dataclasses.replace(done, window=window)


    def _family_status(
        self,
        family: str,
        units: list[Unit],
        windows: list[Window],
        analysed: dict,
        pattern_hits: dict[str, set[str]],
        required: bool,
        parties: bool = True,
    ) -> FamilyStatus:
        det: FamilyDetector = self.detectors[family]
        judgements: list[Judgement] = []
        for window in windows:
            texts = [units[i].text for i in window.units]
            hit = any(window.clauses & pattern_hits.get(t, set()) for t in texts)
            judgements.append(self._judge(det, window, texts, analysed, hit))
        if not parties and det.kind == PROHIBITION:
            # A ban binds the contractor: in a document that never names one (a design guide),
            # « le logotype ne s'associe pas au bloc-marque » is the administration's own practice.
            # (a contradiction has its own guards: a permission must be the contractor's)
            judgements = [dataclasses.replace(j, verdict="none", reason="aucun titulaire") if j.verdict == PRESENT else j for j in judgements]
        present = sorted((j for j in judgements if j.verdict == PRESENT), key=lambda j: -j.confidence)
        # A contradiction read from similarity alone does not stand against a compliant reading
        # of the same sentence with its neighbour (« Usage du logo | Interdit au titulaire »).
        covered = {i for j in present for i in j.window.units}
        contradicted = sorted(
            (j for j in judgements if j.verdict == CONTRADICTED and not (j.reason == SOFT and covered & set(j.window.units))),
            key=lambda j: -j.confidence,
        )
        others = sorted((j for j in judgements if j.verdict == "none"), key=lambda j: -j.sim_pos)

        def evidence(j: Judgement, score: float | None = None) -> Evidence:
            first = units[j.window.units[0]]
            text = " ".join(units[i].text for i in j.window.units)
            return Evidence(text=text, location=first.location, score=round(score if score is not None else j.confidence, 3))

        if contradicted and (contradicted[0].confidence >= CONTRADICTION_WINS_AT or not present):
            best = contradicted[0]
            rest = contradicted[1:] + present
            return FamilyStatus(family, CONTRADICTED, best.confidence, evidence(best), required,
                                [evidence(j) for j in rest[:MAX_CANDIDATES]])
        if present:
            best = present[0]
            return FamilyStatus(family, PRESENT, best.confidence, evidence(best), required,
                                [evidence(j) for j in (present[1:] + contradicted)[:MAX_CANDIDATES]])
        # Missing: the closer the best rejected candidate came to the positives, the less sure.
        near = others[0].sim_pos if others else 0.0
        confidence = round(max(0.5, min(MISSING_CONFIDENCE, MISSING_CONFIDENCE - 1.2 * near)), 3)
        return FamilyStatus(family, MISSING, confidence, None, required,
                            [evidence(j, j.sim_pos) for j in others[:MAX_CANDIDATES]])
