"""The commented example spec that ``clauselint init`` writes, one per category of the circular."""

from __future__ import annotations

from string import Template

_HEADER = """\
# Spécification du dossier de consultation (DCE) : un achat de prestations intellectuelles
# informatiques au sens de la circulaire n° 6391/SG du 7 février 2023.
# Chaque champ est décrit dans docs/spec.md. Assemblez le dossier avec :
#   clauselint assemble $filename -o dossier/
# Les montants sont hors taxes : 450000, « 450 k€ » ou « 1,5 M€ ». Les booléens : oui / non.
# Les valeurs sont du texte : elles sont reproduites telles quelles dans les documents.

acheteur:
  # Le ministère, tel qu'il figure en tête des documents.
  ministere: ministère de l'Intérieur et des Outre-mer
  # Comment les clauses le nomment dans une phrase (déduit de « ministere » si absent).
  # designation: le ministère de l'Intérieur et des Outre-mer
  direction: Direction du numérique (DNUM)
  service: $service
  adresse: Place Beauvau, 75800 Paris Cedex 08
  # Titre du signataire du marché (représentant du pouvoir adjudicateur).
  signataire: le directeur du numérique
  # Comptable assignataire des paiements (laissé « à compléter » si absent).
  # comptable: le contrôleur budgétaire et comptable ministériel
  # Profil d'acheteur où le DCE est publié et les offres remises.
  profil_acheteur: https://www.marches-publics.gouv.fr
$threshold
consultation:
  reference: $reference
  objet: $objet
  # appel-offres-ouvert | appel-offres-restreint | procedure-adaptee |
  # procedure-avec-negociation | dialogue-competitif
  procedure: $procedure
  # Date d'édition du DCE (défaut : le jour de l'assemblage).
  # date: 2025-09-01
  # Date et heure limites de remise des offres (laissées « à compléter » si absentes).
  # date_limite_offres: 14 octobre 2025 à 12 h 00

marche:
  # Code de la nomenclature des achats de l'État : il fixe la catégorie de la circulaire
  # (33.04.01 : catégorie 1 ; 33.04.02 à 05 : catégorie 2 ; 33.04.06, 08 à 15 : catégorie 3).
  code_nomenclature: "$code"
  montant_estime_ht: $montant
$maximum  # marche-unique | accord-cadre-bons-de-commande | accord-cadre-marches-subsequents
  forme: $forme
  duree_mois: $duree
  # Nombre de reconductions, tacites ou expresses, et durée de chacune (défaut : duree_mois).
  reconductions: $reconductions
  reconduction: tacite
  # Mission effectuée à titre gracieux : autorisation du secrétaire général, aucune contrepartie.
  pro_bono: non
  # Allotissement (facultatif, au moins deux lots) :
  # lots:
  #   - {numero: 1, intitule: ..., montant_estime_ht: ...}
  #   - {numero: 2, intitule: ..., montant_estime_ht: ...}

execution:
  # Exécution en méthode agile : le marché se commande alors en unités d'œuvre.
  agile: $agile
$units  # Le titulaire traite-t-il des données à caractère personnel pour le compte de l'acheteur ?
  donnees_personnelles: $donnees
  # sans-objet | chez-l-acheteur | chez-le-titulaire | cloud-secnumcloud
  hebergement: $hebergement
  # standard | sensible | diffusion-restreinte
  niveau_securite: $niveau

# Critères d'attribution et pondérations (en %, total de 100).
criteres:
$criteres
# Le projet que sert l'achat : au-delà de 9 M€, avis conforme de la DINUM ; au-delà de 60 %
# d'externalisation, projet à risque ; au-delà de 80 %, il ne peut pas démarrer (circulaire, § 5.1 et 5.3).
projet:
  montant_total_ht: $projet
  # Part externalisée du pilotage ou de la réalisation : 0.45 ou « 45 % ».
  taux_externalisation: $taux

# Régime des résultats (CCAG-TIC 2021, chapitre 7) : voir « clauselint clauses show intellectual-property ».
propriete_intellectuelle:
  option: $option_pi

# Valeurs propres à une clause, par identifiant de clause (voir « clauselint clauses show ID ») :
variables: {}
#   consultant-mention:
#     emplacement: pied_de_page
"""

_CATEGORIES: dict[int, dict[str, str]] = {
    1: {
        "service": "Mission stratégie et gouvernance du numérique",
        "threshold": (
            "  # Seuil du contrôle a priori fixé par le secrétaire général du ministère (1re catégorie) ;\n"
            "  # à remplacer par celui de votre ministère (sinon : clé a_priori_threshold de clauselint.toml).\n"
            "  seuil_controle_a_priori_ht: 150000\n"
        ),
        "reference": "DNUM-2025-STRAT-007",
        "objet": "Accompagnement à la définition de la stratégie numérique ministérielle 2026-2028 "
        "et de sa feuille de route",
        "procedure": "appel-offres-ouvert",
        "code": "33.04.01",
        "montant": "450000",
        "maximum": "",
        "forme": "marche-unique",
        "duree": "12",
        "reconductions": "0",
        "agile": "non",
        "units": "",
        "donnees": "non",
        "hebergement": "sans-objet",
        "niveau": "standard",
        "criteres": (
            "  - critere: Valeur technique\n"
            "    ponderation: 60\n"
            "    sous_criteres:\n"
            "      - Compréhension des enjeux et du contexte ministériel\n"
            "      - Méthodologie proposée et modalités de pilotage par l'administration\n"
            "      - Composition et expérience de l'équipe\n"
            "  - critere: Prix\n"
            "    ponderation: 40\n"
        ),
        "projet": "12000000",
        "taux": "0.65",
    },
    2: {
        "service": "Sous-direction de la sécurité numérique",
        "threshold": "",
        "reference": "DNUM-2025-SSI-021",
        "objet": "Audit de sécurité et accompagnement à l'homologation de l'application de gestion "
        "des titres sécurisés",
        "procedure": "procedure-adaptee",
        "code": "33.04.04",
        "montant": "120000",
        "maximum": "",
        "forme": "marche-unique",
        "duree": "8",
        "reconductions": "0",
        "agile": "non",
        "units": "",
        "donnees": "oui",
        "hebergement": "chez-l-acheteur",
        "niveau": "sensible",
        "criteres": (
            "  - critere: Valeur technique\n"
            "    ponderation: 60\n"
            "    sous_criteres:\n"
            "      - Méthodologie d'audit et référentiels utilisés\n"
            "      - Qualifications des auditeurs\n"
            "  - critere: Prix\n"
            "    ponderation: 40\n"
        ),
        "projet": "3500000",
        "taux": "0.30",
    },
    3: {
        "service": "Sous-direction des programmes et de l'architecture",
        "threshold": "",
        "reference": "DNUM-2025-DEV-042",
        "objet": "Développement et évolution, en méthode agile, du portail des démarches en ligne "
        "des usagers",
        "procedure": "appel-offres-ouvert",
        "code": "33.04.06",
        "montant": "2400000",
        "maximum": "  # Montant maximum de l'accord-cadre (facultatif, accord-cadre seulement).\n"
        "  montant_maximum_ht: 4000000\n",
        "forme": "accord-cadre-bons-de-commande",
        "duree": "12",
        "reconductions": "3",
        "agile": "oui",
        "units": (
            "  unites_oeuvre:\n"
            "    - code: UO1\n"
            "      libelle: Sprint de deux semaines d'une équipe de développement\n"
            "      description: Équipe pluridisciplinaire (développement, design, test) animée par le titulaire\n"
            "    - code: UO2\n"
            "      libelle: Atelier de cadrage d'une fonctionnalité (une journée)\n"
            "    - code: UO3\n"
            "      libelle: Mise en production d'une version (livraison, déploiement, vérification)\n"
        ),
        "donnees": "oui",
        "hebergement": "cloud-secnumcloud",
        "niveau": "sensible",
        "criteres": (
            "  - critere: Valeur technique\n"
            "    ponderation: 55\n"
            "    sous_criteres:\n"
            "      - Organisation de l'équipe agile et modalités de pilotage par l'administration\n"
            "      - Qualité logicielle, accessibilité et sécurité\n"
            "  - critere: Prix\n"
            "    ponderation: 35\n"
            "  - critere: Réversibilité et transfert de compétences\n"
            "    ponderation: 10\n"
        ),
        "projet": "7500000",
        "taux": "0.55",
    },
}


def example_spec(category: int, filename: str = "tender.yaml", ip_option: str | None = None) -> str:
    """The example spec's text for ``category`` (1, 2 or 3); it assembles as is.

    ``ip_option`` is the intellectual-property option written in the example (the first
    choice the library's clause declares); without it the section is left out.
    """
    values = dict(_CATEGORIES[category], filename=filename, option_pi=ip_option or "")
    text = Template(_HEADER).substitute(values)
    if ip_option is None:
        start = text.index("# Régime des résultats")
        end = text.index("# Valeurs propres")
        text = text[:start] + text[end:]
    return text
