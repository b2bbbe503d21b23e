"""The lint engine's French machinery: sentences, stems, the compiled-regex cache, polarity."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap

import pytest

from clauselint.nlp.lexical import KeyIndex, make_term, stem, word_keys
from clauselint.nlp.sentences import sentences

# --- sentences (no spaCy) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Conformément à l'art. 5 du CCAG-TIC, le titulaire garde le secret. Il en informe M. Durand.",
            ["Conformément à l'art. 5 du CCAG-TIC, le titulaire garde le secret.", "Il en informe M. Durand."],
        ),
        (
            "Le titulaire : 1°) détruit les données ; 2°) remet un certificat. L'acheteur en prend acte.",
            ["Le titulaire : 1°) détruit les données ; 2°) remet un certificat.", "L'acheteur en prend acte."],
        ),
        (
            "9.2.1 Le titulaire ne fait pas figurer le logo. 9.2.2 Cette interdiction vaut pour ses sous-traitants.",
            ["9.2.1 Le titulaire ne fait pas figurer le logo.", "9.2.2 Cette interdiction vaut pour ses sous-traitants."],
        ),
        ("Voir le marché n° 2024-17. Fin.", ["Voir le marché n° 2024-17.", "Fin."]),
        (
            "Les obligations sont les suivantes :\n- mentionner le titulaire ;\n- ne pas utiliser le logo.",
            ["Les obligations sont les suivantes :", "- mentionner le titulaire ;", "- ne pas utiliser le logo."],
        ),
        (
            "ARTICLE 7 – CONFIDENTIALITÉ\nLe titulaire est tenu au secret\nprofessionnel pour toute information.",
            ["ARTICLE 7 – CONFIDENTIALITÉ", "Le titulaire est tenu au secret\nprofessionnel pour toute information."],
        ),
    ],
)
def test_sentences(text, expected):
    assert sentences(text) == expected


def test_a_very_long_enumeration_is_cut_at_semicolons():
    items = "; ".join(f"le titulaire remet le livrable numéro {i} dans les délais convenus" for i in range(20))
    parts = sentences(f"Au titre du marché, {items}.")
    assert len(parts) > 1
    assert all(len(p.split()) <= 130 for p in parts)


# --- stems and terms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ("interdire", "interdit", "interdite", "interdisent", "interdites"),
        ("mention", "mentionner", "mentionné", "mentionnent"),
        ("document", "documents"),
        ("utiliser", "utilise", "utilisation", "utilisées"),
        ("propriété", "PROPRIETE", "propriétés"),
        ("évaluer", "évaluation", "évaluée"),
        ("détruire", "détruit", "détruites"),
    ],
)
def test_inflections_share_a_stem(forms):
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}


def test_terms_match_order_free_within_a_short_span():
    keys = word_keys("Les signes distinctifs de l'administration ne peuvent être reproduits.")
    index = KeyIndex(keys)
    assert index.match(make_term("signe distinctif")) is not None
    assert index.match(make_term("ne pas reproduire")) is not None  # the negation slot is « ne »
    assert index.match(make_term("charte graphique")) is None
    far = KeyIndex(word_keys("Le signe du contrat est apposé sur le document final, qui est très distinctif."))
    assert far.match(make_term("signe distinctif")) is None


# --- the compiled-regex cache -------------------------------------------------------------------

_CACHE_SCRIPT = textwrap.dedent(
    """
    import re, sys, time
    from clauselint.nlp import regex_cache
    primed = regex_cache.prime()
    pattern = "(?iu)" + "|".join(f"(?:^mot{i}[-‐][a-zà-ÿ]+$)" for i in range(6000))
    with regex_cache.recording() as rec:
        compiled = re.compile(pattern)
    saved = regex_cache.save(rec)
    print(primed, bool(saved), bool(compiled.match("MOT17-éTé")), bool(compiled.match("mot17 été")), compiled.flags)
    """
)


def test_regex_cache_round_trip(tmp_path):
    env = {**os.environ, "CLAUSELINT_CACHE_DIR": str(tmp_path)}
    run = lambda: subprocess.run([sys.executable, "-c", _CACHE_SCRIPT], capture_output=True, text=True, env=env, check=True).stdout.split()
    first = run()
    assert first[:2] == ["0", "True"]  # nothing to prime, the long pattern recorded and saved
    second = run()
    assert second[0] == "1" and second[1] == "False"  # primed from disk, compiled from the cache
    assert first[2:] == second[2:] == ["True", "False", str(re.compile("(?iu)").flags)]
    assert len(list(tmp_path.glob("regex-*.bin"))) == 1


def test_regex_cache_can_be_disabled(tmp_path):
    env = {**os.environ, "CLAUSELINT_CACHE_DIR": str(tmp_path), "CLAUSELINT_REGEX_CACHE": "0"}
    out = subprocess.run([sys.executable, "-c", _CACHE_SCRIPT], capture_output=True, text=True, env=env, check=True).stdout.split()
    assert out[:2] == ["0", "False"]
    assert not list(tmp_path.iterdir())


def test_a_corrupt_cache_file_is_ignored(tmp_path):
    from clauselint.nlp import regex_cache

    env = {**os.environ, "CLAUSELINT_CACHE_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", _CACHE_SCRIPT], capture_output=True, text=True, env=env, check=True)
    for path in tmp_path.glob("regex-*.bin"):
        path.write_bytes(b"not a pickle")
    out = subprocess.run([sys.executable, "-c", _CACHE_SCRIPT], capture_output=True, text=True, env=env, check=True).stdout.split()
    assert out[0] == "0" and out[2:4] == ["True", "False"]
    assert regex_cache.MIN_PATTERN_LENGTH > 1000


# --- polarity (real spaCy model) ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, focus, state",
    [
        ("Le titulaire s'interdit de faire usage du logo.", "logo", "forbidden"),
        ("Le titulaire ne peut pas utiliser le logo du ministère.", "logo", "forbidden"),
        ("Le titulaire ne peut utiliser le logo qu'avec l'accord préalable de l'administration.", "logo", "restricted"),
        ("Le titulaire est autorisé à utiliser le logo du ministère.", "logo", "permitted"),
        ("Le titulaire n'est pas autorisé à utiliser le logo.", "logo", "forbidden"),
        ("L'interdiction d'utiliser le logo de l'administration ne s'applique pas au présent marché.", "logo", "permitted"),
        ("Le titulaire n'est soumis à aucune restriction quant à l'usage du logo.", "logo", "waived"),
        ("Le titulaire n'est pas tenu de mentionner son intervention.", "intervention", "waived"),
        ("Le titulaire peut ne pas mentionner son intervention.", "intervention", "waived"),
        ("Le titulaire mentionne son intervention sur chaque livrable.", "intervention", "required"),
        ("Aucun certificat de destruction n'est exigé.", "certificat", "waived"),
        ("La mention de l'intervention du titulaire est facultative.", "mention", "waived"),
        ("Le titulaire s'engage à ne pas divulguer les informations.", "informations", "forbidden"),
        ("Le titulaire conserve les données sans limitation de durée.", "données", "reversed"),
        ("Le titulaire ne conserve aucune donnée au-delà du marché.", "donnée", "forbidden"),
        ("Une partie ne peut être tenue pour responsable du retard de l'autre.", "retard", "forbidden"),
        # « ne … ni … ni » negates; a relative « qu' » later on is no restrictive « ne … que »
        ("Les intervenants n'emploient ni le logo ni la Marianne dans les documents qu'ils rédigent.", "logo", "forbidden"),
        ("Le titulaire ne peut utiliser dans les documents qu'il remet le logo de l'acheteur.", "logo", "forbidden"),
        # « ne … aucun » is one negation even when « aucun » sits below the verb bearing « ne »
        ("Le titulaire ne peut communiquer aucune information à des tiers.", "information", "forbidden"),
        ("Le titulaire n'est tenu de remettre aucun rapport.", "rapport", "waived"),
        ("Le titulaire ne peut conserver aucune copie sans autorisation.", "copie", "forbidden"),
        # « ne doit pas » forbids the action; « n'est pas tenu de » waives it
        ("Le titulaire ne doit pas divulguer les informations.", "informations", "forbidden"),
        ("Le titulaire ne doit divulguer aucune information.", "information", "forbidden"),
        # a verb that lifts a rule negates it; a plain action is not lifted
        ("Le présent marché écarte toute interdiction d'utiliser le logo.", "logo", "permitted"),
        ("Le présent avenant supprime l'obligation de mentionner le titulaire sur les livrables.", "titulaire", "waived"),
        ("Le présent avenant ne supprime pas l'obligation de mentionner le titulaire sur les livrables.", "titulaire", "required"),
        ("Le titulaire écarte du projet tout consultant en situation de conflit d'intérêts.", "consultant", "required"),
        # an expletive « ne » is no negation
        ("Chaque incrément est validé avant que l'itération suivante ne soit engagée.", "itération", "required"),
        # a juxtaposed clause keeps its own negations
        ("Les pénalités ne sont pas libératoires : leur application ne dispense pas le titulaire de remédier au manquement.", "titulaire", "required"),
        # an exception does not govern the main clause
        ("Le titulaire ne conserve aucune copie, sauf obligation légale de conservation.", "conservation", "required"),
        ("Le titulaire ne conserve aucune copie, sauf obligation légale de conservation.", "copie", "forbidden"),
        # « sans délai » is an idiom, not a negation
        ("Le titulaire signale sans délai tout incident de sécurité.", "incident", "required"),
        # an exclusion negates what it bears on, and lifts a ban it bears on
        ("Le recours à la sous-traitance est exclu.", "sous-traitance", "forbidden"),
        ("L'administration renonce à établir la fiche d'évaluation.", "fiche", "forbidden"),
        ("Le titulaire renonce à toute indemnité.", "indemnité", "forbidden"),
        ("Le marché écarte toute interdiction relative à l'usage du logo.", "logo", "permitted"),
        # « ne … ni … ni »: each arm is governed by the negated modal
        ("Le cabinet n'est tenu ni de rendre ni d'effacer les fichiers reçus.", "fichiers", "waived"),
        # « ne doit pas » is a duty not to, « n'est pas tenu de » no duty
        ("Le titulaire ne doit pas utiliser le logo du ministère.", "logo", "forbidden"),
        ("Aucun fichier de l'acheteur ne doit rester sur les serveurs du prestataire.", "fichier", "forbidden"),
        # « aucun » goes with the participle's own « ne », not with the main verb
        ("Les fichiers sont effacés au terme du contrat, aucune copie ne pouvant être conservée.", "effacés", "required"),
        ("Les fichiers sont effacés au terme du contrat, aucune copie ne pouvant être conservée.", "conservée", "forbidden"),
        # « ne … que si » is a condition (only if), not a negation
        ("Un élément n'est retenu dans le sprint que s'il est prêt.", "élément", "required"),
        # « seul » after a verb is « alone », not « only »
        ("Le prestataire peut seul reproduire le logo du ministère.", "logo", "permitted"),
        ("Le prestataire peut reproduire le logo pour les seuls besoins du marché.", "logo", "restricted"),
        # « pourrait » is an eventuality, not a permission
        ("Le consultant dont un intérêt pourrait influencer l'avis en informe l'acheteur.", "intérêt", "required"),
        # « engager » obliges only as « s'engager à »
        ("Le titulaire n'engage aucune dépense sans accord.", "dépense", "forbidden"),
        ("Le titulaire ne s'engage pas à respecter le code de conduite.", "code", "waived"),
    ],
)
def test_polarity(sentence, focus, state):
    from clauselint.nlp.analysis import analyse
    from clauselint.nlp.polarity import analyse_polarity

    analysed = analyse([sentence])[0]
    indices = [t.i for t in analysed.toks if t.lower == focus]
    assert indices, focus
    assert analyse_polarity(analysed, indices).state == state


@pytest.mark.slow
def test_hypothesis_and_buyer_are_flagged():
    from clauselint.nlp.analysis import analyse
    from clauselint.nlp.polarity import analyse_polarity

    conditional, buyer = analyse([
        "Si le titulaire ne détruit pas les données, il est redevable d'une pénalité.",
        "L'administration peut utiliser le logo sur ses propres supports.",
    ])
    p = analyse_polarity(conditional, [t.i for t in conditional.toks if t.lower == "données"])
    assert p.conditional is True
    q = analyse_polarity(buyer, [t.i for t in buyer.toks if t.lower == "logo"])
    assert q.state == "permitted" and q.buyer_subject is True


@pytest.mark.slow
def test_relative_qui_stands_for_its_antecedent():
    from clauselint.nlp.analysis import analyse
    from clauselint.nlp.polarity import analyse_polarity

    (a,) = analyse(["Les rapports sont remis à l'administration, qui peut les modifier et les publier."])
    p = analyse_polarity(a, [t.i for t in a.toks if t.lower == "modifier"])
    assert p.state == "permitted" and p.buyer_subject is True and p.subject == "administration"


@pytest.mark.slow
def test_permission_adjective_on_a_noun_grants_nothing():
    from clauselint.nlp.analysis import analyse
    from clauselint.nlp.polarity import analyse_polarity

    (a,) = analyse(["Le titulaire publie le code source sous une licence libre."])
    p = analyse_polarity(a, [t.i for t in a.toks if t.lower == "licence"])
    assert p.state == "required"


@pytest.mark.slow
def test_ownership_kept_by_any_contractor_noun_is_a_reversal():
    from clauselint.nlp.analysis import analyse
    from clauselint.nlp.polarity import analyse_polarity

    kept, bought = analyse([
        "Les maquettes demeurent la propriété exclusive du prestataire.",
        "Les maquettes demeurent la propriété exclusive de l'administration.",
    ])
    assert analyse_polarity(kept, [t.i for t in kept.toks if t.lower == "maquettes"]).state == "reversed"
    assert analyse_polarity(bought, [t.i for t in bought.toks if t.lower == "maquettes"]).state != "reversed"


@pytest.mark.slow
def test_ni_verbs_share_the_negated_modal():
    from clauselint.nlp.analysis import analyse
    from clauselint.nlp.polarity import analyse_polarity

    (a,) = analyse(["L'administration ne peut ni les modifier ni les confier à un autre prestataire."])
    assert analyse_polarity(a, [t.i for t in a.toks if t.lower == "confier"]).state == "forbidden"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "verb", "role", "given"),
    [
        ("La prestation est pilotée par l'administration.", "pilotée", "buyer", False),
        ("Le titulaire assure seul le pilotage du projet.", "assure", "contractor", False),
        ("Le pilotage est délégué au titulaire, qui fixe les priorités.", "délégué", None, True),
        ("Le pilotage est délégué au titulaire, qui fixe les priorités.", "fixe", "contractor", False),
    ],
)
def test_agent_role(sentence, verb, role, given):
    from clauselint.nlp.analysis import analyse
    from clauselint.nlp.polarity import agent_role, given_to_contractor

    analysed = analyse([sentence])[0]
    (i,) = [t.i for t in analysed.toks if t.lower == verb]
    assert agent_role(analysed, i) == role
    assert given_to_contractor(analysed, i) is given

@pytest.mark.slow
def test_an_agent_complement_is_not_the_subject():
    from clauselint.nlp.analysis import analyse
    from clauselint.nlp.polarity import analyse_polarity

    (a,) = analyse(["Aucune évaluation de la prestation par l'administration n'est prévue."])
    p = analyse_polarity(a, [t.i for t in a.toks if t.lower == "évaluation"])
    assert p.state == "waived" and p.buyer_subject is False
