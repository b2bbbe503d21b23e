"""The lint engine on real French text: statuses, evidence, context inference (real spaCy model)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clauselint.documents.model import Block, Document, Location
from clauselint.library.families import FAMILY_IDS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PASSAGES = ROOT / "corpus" / "passages"


@pytest.fixture(scope="session")
def linter(library):
    from clauselint.lint.engine import Linter

    return Linter(library)


def doc(*paragraphs: str, section: str = "Article 1 – Dispositions", name: str = "contrat.txt") -> Document:
    """A text document, one block per paragraph, numbered lines as a .txt reader would."""
    blocks = [Block(p, location=Location(paragraph=i + 1, section=section, line=2 * i + 1)) for i, p in enumerate(paragraphs)]
    return Document(path=Path(name), format="txt", blocks=blocks)


def status(linter, document: Document, family: str, **options):
    return linter.analyse(document, **options).status(family)


# --- the API -------------------------------------------------------------------------------------


def test_every_family_answered_once_in_order(linter):
    analysis = linter.analyse(doc("Le présent marché a pour objet la maintenance applicative du portail."))
    assert [f.family for f in analysis.families] == list(FAMILY_IDS)
    for item in analysis.families:
        assert item.status == "missing"
        assert item.evidence is None
        assert 0.5 <= item.confidence <= 1.0


def test_empty_document(linter):
    analysis = linter.analyse(Document(path=Path("vide.txt"), format="txt", blocks=[]))
    assert {f.status for f in analysis.families} == {"missing"}
    assert analysis.context.category is None


def test_analyse_many_equals_analyse(linter):
    docs = [
        doc("Le titulaire s'interdit d'utiliser le logo du ministère dans ses documents."),
        doc("Le titulaire est autorisé à faire usage du logo du ministère sur ses rapports."),
        doc("Le marché porte sur l'hébergement du site."),
    ]
    batch = linter.analyse_many(docs)
    for d, analysis in zip(docs, batch):
        single = linter.analyse(d)
        assert [(f.status, f.confidence) for f in analysis.families] == [(f.status, f.confidence) for f in single.families]


# --- insignia: a ban ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Le titulaire ne peut pas utiliser le logo du ministère.",
        "Les consultants s'interdisent de reproduire le logo et la charte graphique de l'administration.",
        "Toute utilisation des signes distinctifs de l'acheteur par le titulaire est interdite.",
        "Le prestataire ne peut faire usage du logo de l'administration qu'avec son accord écrit et préalable.",
        # « ne doit pas » forbids (it was once read as a waiver: a false contradiction)
        "Le titulaire ne doit pas utiliser le logo du ministère dans ses présentations.",
    ],
)
def test_insignia_ban_is_present(linter, text):
    result = status(linter, doc(text), "insignia")
    assert result.status == "present", (text, result)
    assert result.evidence.text == text


@pytest.mark.parametrize(
    "text",
    [
        "Le titulaire est autorisé à utiliser le logo du ministère sur ses propres documents.",
        "Les consultants peuvent librement faire usage des signes distinctifs de l'administration.",
        "L'interdiction d'utiliser le logo de l'administration ne s'applique pas au présent marché.",
    ],
)
def test_insignia_permission_is_contradicted(linter, text):
    result = status(linter, doc(text), "insignia")
    assert result.status == "contradicted", (text, result)
    assert result.evidence.text == text


def test_a_negation_alone_is_not_a_contradiction(linter):
    result = status(linter, doc("Le titulaire n'est pas autorisé à utiliser le logo de l'administration."), "insignia")
    assert result.status == "present"


def test_a_ban_binds_a_contractor(linter):
    # a design guide that names no contractor: its « ne … pas » is the administration's own practice
    guide = "Le logotype d'un produit numérique n'est jamais employé en même temps que le bloc-marque de l'État."
    assert status(linter, doc(guide), "insignia").status == "missing"
    # the same impersonal ban in a contract (a contractor is named) does bind the contractor
    contract = guide + " Le titulaire remet ses rapports chaque mois."
    assert status(linter, doc(contract), "insignia").status == "present"


def test_a_clause_in_a_footer_is_read_alone(linter):
    from clauselint.lint.units import document_units, same_passage

    body = doc("Le marché porte sur un audit de sécurité du système d'information.")
    footer = Block("Marché 2025-07 – Le prestataire ne fait usage ni du logo ni de la charte graphique de l'agence – page 1",
                   kind="footer", location=Location(paragraph=1))
    document = Document(path=Path("contrat.docx"), format="docx", blocks=body.blocks + [footer])
    assert status(linter, document, "insignia").status == "present"
    units = document_units(document)
    assert not same_passage(units[-2], units[-1])


def test_hard_negative_own_logo(linter):
    result = status(linter, doc("Le candidat fait figurer son propre logo sur la page de garde de son offre."), "insignia")
    assert result.status == "missing"


# --- consultant mention: an obligation ----------------------------------------------------------


def test_mention_obligation_conjugations_and_plurals(linter):
    for text in (
        "Les livrables remis par le titulaire mentionnent l'intervention de ses consultants.",
        "Chaque livrable mentionnera l'intervention des consultants du titulaire.",
        "Tout document produit par le titulaire mentionne son intervention.",
    ):
        assert status(linter, doc(text), "consultant-mention").status == "present", text


def test_mention_waived_is_contradicted(linter):
    text = "Le titulaire n'est pas tenu de mentionner son intervention sur les livrables."
    result = status(linter, doc(text), "consultant-mention")
    assert result.status == "contradicted"
    assert 0.5 <= result.confidence <= 1.0


def test_obligation_split_over_two_sentences(linter):
    result = status(
        linter,
        doc("Chaque livrable comporte une mention en page de garde. Cette mention indique que le document a été réalisé avec le concours du titulaire."),
        "consultant-mention",
    )
    assert result.status == "present"
    assert "Cette mention indique" in result.evidence.text


@pytest.mark.parametrize(
    "family, text",
    [
        ("evaluation", "Par dérogation, aucune évaluation de la prestation n'est réalisée au cours du marché."),
        ("data-destruction", "Le titulaire est dispensé de détruire les données de l'administration à la fin du marché."),
        ("steering", "Le pilotage de la prestation est confié au titulaire, qui arrête seul les priorités."),
        # the topic is the subject of one of the family's verbs, negated
        ("agile", "La méthode agile n'est pas retenue pour ce marché : les recettes suivent un cycle en V."),
    ],
)
def test_obligations_negated_waived_or_reversed(linter, family, text):
    assert status(linter, doc(text), family).status == "contradicted"


@pytest.mark.parametrize(
    "family, text",
    [
        # the buyer's rights are what an IP clause secures
        ("intellectual-property", "Le titulaire cède à l'administration les droits d'exploitation des résultats ; l'administration peut les utiliser, les modifier et les diffuser."),
        # a prohibition is how a confidentiality clause is often written
        ("confidentiality", "Les consultants ne communiquent à aucun tiers les informations confidentielles de l'administration."),
        # not keeping the data fulfils the destruction clause
        ("data-destruction", "À la fin du marché, le titulaire détruit les données ; il n'en conserve aucune copie, sauf obligation légale de conservation."),
    ],
)
def test_compliant_sentences_with_negations_or_permissions(linter, family, text):
    assert status(linter, doc(text), family).status == "present"


def test_no_contradiction_in_a_hypothesis_or_for_the_buyer(linter):
    for family, text in (
        ("data-destruction", "Si le titulaire ne détruit pas les données à la fin du marché, il encourt une pénalité."),
        ("cybersecurity", "L'acheteur peut faire procéder à tout moment à un audit de sécurité du système du titulaire."),
    ):
        assert status(linter, doc(text), family).status != "contradicted", text


@pytest.mark.parametrize(
    "family, text",
    [
        # what the contract does not cover waives nothing (markers.yaml scope_nouns)...
        ("cybersecurity", "Aucun hébergement n'est demandé au titulaire."),
        ("data-destruction", "Les prestations n'impliquent aucun traitement de données à caractère personnel pour le compte de l'acheteur."),
    ],
)
def test_a_statement_of_scope_is_neither_the_clause_nor_its_waiver(linter, family, text):
    assert status(linter, doc(text), family).status == "missing"


@pytest.mark.parametrize(
    "family, text",
    [
        # doing what the clause's hints forbid is no statement of the clause
        ("data-destruction", "Gardez une copie de votre note, précieusement."),
        # a code of conduct about something else
        ("conflict-of-interest", "Cet hébergeur adhère au code de conduite sur l'efficacité énergétique des centres de données."),
    ],
)
def test_look_alikes_are_not_the_clause(linter, family, text):
    assert status(linter, doc(text), family).status == "missing"


def test_a_negated_quality_of_the_topic_is_no_contradiction(linter):
    text = "Les pénalités ne sont pas libératoires : leur application ne dispense pas le titulaire de remédier au manquement."
    assert status(linter, doc(text), "evaluation").status != "contradicted"


def test_the_breadth_of_a_grant_is_no_waiver(linter):
    # « sans restriction », « sans limitation » in a sentence about the grant itself widen it
    text = ("La cession des droits sur les résultats est effectuée à titre exclusif, sans limitation "
            "géographique, pour une exploitation par l'acheteur sans restriction.")
    assert status(linter, doc(text), "intellectual-property").status != "contradicted"


def test_negating_the_obligation_itself_still_contradicts(linter):
    # ... whereas the obligation's own object, negated, is a waiver
    assert status(linter, doc("Aucune exigence de sécurité n'est demandée au titulaire."), "cybersecurity").status == "contradicted"


# --- where the evidence is ------------------------------------------------------------------------


def test_evidence_points_at_the_block_and_section(linter):
    document = Document(
        path=Path("ccap.txt"),
        format="txt",
        blocks=[
            Block("Article 3 – Objet", kind="heading", location=Location(paragraph=1, section="Article 3 – Objet", line=1)),
            Block("Le marché porte sur la refonte du portail.", location=Location(paragraph=2, section="Article 3 – Objet", line=3)),
            Block("Article 9 – Signes distinctifs", kind="heading", location=Location(paragraph=3, section="Article 9 – Signes distinctifs", line=5)),
            Block(
                "Le marché est exécuté dans les locaux du titulaire.\nLe titulaire s'interdit d'utiliser le logo et la Marianne de l'administration.",
                location=Location(paragraph=4, section="Article 9 – Signes distinctifs", line=7),
            ),
        ],
    )
    result = status(linter, document, "insignia")
    assert result.status == "present"
    assert result.evidence.location.section == "Article 9 – Signes distinctifs"
    assert result.evidence.location.paragraph == 4
    assert result.evidence.location.line == 8  # second line of the block
    assert result.evidence.text.startswith("Le titulaire s'interdit")


def test_table_row_split_over_two_cells(linter):
    section = "Annexe 2 – Obligations du titulaire"
    document = Document(
        path=Path("ccap.docx"),
        format="docx",
        blocks=[
            Block("Usage du logo et de la charte graphique de l'administration", kind="table-cell", location=Location(paragraph=10, section=section)),
            Block("Interdit au titulaire et à ses consultants, sur tout support.", kind="table-cell", location=Location(paragraph=11, section=section)),
        ],
    )
    result = status(linter, document, "insignia")
    assert result.status == "present"
    assert result.evidence.location.section == section


def test_clause_in_an_annex(linter):
    document = doc(
        "Le présent marché a pour objet une mission d'assistance.",
        "Les prix sont fermes.",
    )
    document.blocks.append(
        Block(
            "Le titulaire garde strictement confidentielles les informations et documents de l'administration dont il a connaissance.",
            location=Location(paragraph=3, section="Annexe 1 – Engagements du titulaire", page=12),
        )
    )
    result = status(linter, document, "confidentiality")
    assert result.status == "present"
    assert result.evidence.location.page == 12
    assert result.evidence.location.section == "Annexe 1 – Engagements du titulaire"


# --- context: category, agile, personal data; required families --------------------------------


def test_category_from_nomenclature_code(linter):
    analysis = linter.analyse(doc("Code de la nomenclature des achats : 33.04.09 (tierce maintenance applicative)."))
    assert analysis.context.category == 3
    assert analysis.context.sources["category"] == "document (33.04.09 trouvé l. 1)"


def test_category_option_wins(linter):
    analysis = linter.analyse(doc("Code de la nomenclature : 33.04.09."), category=1)
    assert analysis.context.category == 1
    assert analysis.context.sources["category"] == "option"


def test_unlisted_code_gives_no_category(linter):
    analysis = linter.analyse(doc("Code nomenclature 33.04.07."))
    assert analysis.context.category is None
    assert analysis.context.sources["category"].startswith("par défaut")


def test_agile_needs_several_distinct_signals(linter):
    one = linter.analyse(doc("Le titulaire présente un sprint de formation aux agents."))
    assert one.context.agile is False
    many = linter.analyse(doc(
        "Les prestations sont réalisées en sprints de deux semaines.",
        "Le product owner de l'administration tient le backlog à jour.",
    ))
    assert many.context.agile is True
    assert many.context.sources["agile"].startswith("document (")
    assert linter.analyse(doc("Rien."), agile=True).context.sources["agile"] == "option"


def test_personal_data_detected_unless_negated(linter):
    yes = linter.analyse(doc("Le titulaire traite des données à caractère personnel pour le compte de l'administration."))
    assert yes.context.personal_data is True
    no = linter.analyse(doc("Le marché n'implique aucun traitement de données à caractère personnel."))
    assert no.context.personal_data is False


def test_required_follows_the_library(linter, library):
    plain = linter.analyse(doc("Le marché porte sur la refonte du portail."), category=3)
    assert plain.status("agile").required is False  # agile clauses apply to agile contracts only
    expected = library.required_families(3, {"agile": False, "personal_data": False, "pro_bono": False})
    assert {f.family for f in plain.families if f.required} == expected
    agile = linter.analyse(doc("Le marché porte sur la refonte du portail."), category=3, agile=True)
    assert agile.status("agile").required is True


def test_unknown_category_assumes_every_category(linter, library):
    analysis = linter.analyse(doc("Le marché porte sur la refonte du portail."))
    union = set()
    for cat in (1, 2, 3):
        union |= library.required_families(cat, {"agile": False, "personal_data": False, "pro_bono": False})
    assert {f.family for f in analysis.families if f.required} == union


# --- the library's own text, and our labelled corpus ---------------------------------------------


def test_every_clause_text_is_present_for_its_family(linter, library):
    from clauselint.library.render import render_clause

    misses = []
    for clause in library:
        paragraphs = [p for p in render_clause(clause).split("\n\n") if p.strip()]
        document = doc(*paragraphs, section=clause.title, name=f"{clause.id}.txt")
        result = status(linter, document, clause.family)
        if result.status != "present":
            misses.append(f"{clause.id}: {result.status}")
    assert not misses, misses


def _passages():
    for path in sorted(PASSAGES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield data["family"], data


# Floors below the measured accuracy (bench/quality.py), so that a regression fails.
ACCURACY_FLOOR = 0.55
FALSE_CONTRADICTIONS_MAX = 0


@pytest.mark.skipif(not PASSAGES.exists(), reason="no corpus/passages")
@pytest.mark.parametrize("family", FAMILY_IDS)
def test_corpus_passages(linter, family):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from quality import passage_document

    data = dict(_passages()).get(family)
    if data is None:
        pytest.skip(f"no passages for {family}")
    expected = {"positive": "present", "negative": "missing", "contradicted": "contradicted"}
    items = [(item["id"], item["text"], status_) for kind, status_ in expected.items() for item in data.get(kind) or []]
    analyses = linter.analyse_many([passage_document(text, pid) for pid, text, _ in items])
    misses, false_contra = [], 0
    for (pid, text, exp), analysis in zip(items, analyses):
        got = analysis.status(family).status
        if got != exp:
            misses.append(f"{pid} expected {exp} got {got}: {text[:80]}")
            false_contra += got == "contradicted"
    accuracy = 1 - len(misses) / len(items)
    assert accuracy >= ACCURACY_FLOOR, f"{family}: accuracy {accuracy:.2f}\n" + "\n".join(misses)
    assert false_contra <= FALSE_CONTRADICTIONS_MAX, "\n".join(misses)


# --- the validate hook --------------------------------------------------------------------------

_WEAK_CLAUSE = """---
id: logo-autorise
family: insignia
title: Usage du logo
version: 1
basis: ["Circulaire n° 6391/SG du 7 février 2023, § 5.2"]
applies: {categories: [1, 2, 3], documents: [ccap]}
detect:
  anchors:
    - [logo, signe distinctif, charte graphique]
    - [utiliser, usage, reproduire, interdire]
  positive:
    - "Le titulaire s'interdit d'utiliser le logo de l'administration."
    - "Toute reproduction du logo de l'acheteur par le titulaire est interdite."
    - "Les consultants ne font aucun usage de la charte graphique du ministère."
  negative:
    - "Le candidat fait figurer son propre logo sur son offre."
    - "Le site respecte la charte graphique de l'État et affiche son logo."
  contradicted:
    - "Le titulaire est autorisé à utiliser le logo du ministère."
---
Le titulaire est autorisé à utiliser librement le logo et la charte graphique de l'administration sur ses documents.
"""


def test_validate_hook_reports_a_clause_its_own_detector_does_not_find(tmp_path):
    from clauselint.library import load_library
    from clauselint.library.validate import validate_library

    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "logo-autorise.md").write_text(_WEAK_CLAUSE, encoding="utf-8")
    lib = load_library([folder], include_builtin=False)
    assert validate_library(lib, require_all_families=False).problems == []
    report = validate_library(lib, require_all_families=False, detect=True)
    assert report.problems == [
        f"{folder / 'logo-autorise.md'}: le vérificateur juge la clause elle-même contredite (famille « insignia », "
        "interdiction d'utiliser les signes distinctifs de l'administration) ; ajoutez à « detect » des exemples "
        "positifs ou des ancres qui couvrent sa formulation"
    ]


def test_validate_hook_passes_on_the_builtin_library(library):
    from clauselint.library.validate import validate_library

    report = validate_library(library, detect=True)
    assert report.problems == []
    assert report.detection_note.endswith("le vérificateur reconnaît le texte de chaque clause")


def test_clause_patterns_are_used_and_checked(tmp_path):
    from clauselint.errors import LibraryError
    from clauselint.library import load_library
    from clauselint.lint.engine import Linter

    folder = tmp_path / "lib"
    folder.mkdir()
    text = _WEAK_CLAUSE.replace("id: logo-autorise", "id: logo-interdit").replace(
        "Le titulaire est autorisé à utiliser librement le logo et la charte graphique de l'administration sur ses documents.",
        "Le titulaire s'interdit d'utiliser le logo de l'administration.",
    )
    good = text.replace("  negative:", "  patterns:\n    - [{LEMMA: écarter}, {LOWER: le}, {LOWER: logo}]\n  negative:", 1)
    (folder / "logo-interdit.md").write_text(good, encoding="utf-8")
    linter = Linter(load_library([folder], include_builtin=False))
    # « écarter » is in no anchor group: only the pattern makes this sentence a candidate
    result = linter.analyse(doc("Le titulaire écarte le logo de l'administration de tous ses supports.")).status("insignia")
    assert result.status == "present"

    bad = text.replace("  negative:", "  patterns:\n    - [{LEMMA: {NOT_AN_OPERATOR: [x]}}]\n  negative:", 1)
    (folder / "logo-interdit.md").write_text(bad, encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        Linter(load_library([folder], include_builtin=False))
    assert caught.value.where == str(folder / "logo-interdit.md")
    assert "motif spaCy invalide" in caught.value.message


def test_detectors_cache_gives_the_same_answers(library, tmp_path, monkeypatch):
    from clauselint.lint.engine import Linter

    monkeypatch.setenv("CLAUSELINT_CACHE_DIR", str(tmp_path))
    first = Linter(library)  # built, then stored
    assert len(list(tmp_path.glob("detectors-*.pkl"))) == 1
    second = Linter(library)  # loaded from the file
    document = doc(
        "Le titulaire est autorisé à utiliser le logo du ministère.",
        "Chaque livrable mentionne l'intervention des consultants du titulaire.",
    )
    one, two = first.analyse(document), second.analyse(document)
    assert [(f.status, f.confidence) for f in one.families] == [(f.status, f.confidence) for f in two.families]
    assert one.status("insignia").status == "contradicted"
