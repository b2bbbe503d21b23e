"""The assembler form's French labels and hints, one per field of the tender spec model (docs/spec.md says the same).

The fields themselves (which exist, their types, bounds, choices, whether required) come from
the pydantic model (clauselint/spec/model.py); a test checks that every field has a label here
and every label names a field, so the form and the model never diverge.
"""

from __future__ import annotations

SECTIONS: dict[str, tuple[str, str | None]] = {
    "acheteur": ("L'acheteur", None),
    "consultation": ("La consultation", None),
    "marche": ("Le marché", "Le code de la nomenclature fixe la catégorie de la circulaire et son régime de contrôle."),
    "execution": ("L'exécution", None),
    "criteres": ("Critères d'attribution", "Les pondérations, en %, totalisent 100."),
    "projet": ("Le projet", "Facultatif : sans lui, les seuils de la circulaire (avis de la DINUM, taux "
               "d'externalisation) ne sont pas vérifiés."),
    "propriete_intellectuelle": ("Propriété intellectuelle", "Régime des résultats (CCAG-TIC 2021, chapitre 7)."),
}

# Row groups (lists of sub-sections): their legend and the label of one row.
GROUPS: dict[str, tuple[str, str]] = {
    "criteres": ("Critères", "Critère"),
    "marche.lots": ("Lots (facultatif, au moins deux)", "Lot"),
    "execution.unites_oeuvre": ("Unités d'œuvre (marché agile)", "Unité d'œuvre"),
}

FIELDS: dict[str, tuple[str, str | None]] = {
    "acheteur.ministere": ("Ministère", "Tel qu'il figure en tête des documents, ex. « ministère de l'Intérieur et des "
                           "Outre-mer »."),
    "acheteur.designation": ("Désignation dans les clauses", "Avec l'article, ex. « le ministère de l'Intérieur » ; "
                             "déduite du ministère si vide."),
    "acheteur.direction": ("Direction ou service acheteur", "Ex. « Direction du numérique (DNUM) »."),
    "acheteur.service": ("Sous-direction ou bureau", None),
    "acheteur.adresse": ("Adresse postale", None),
    "acheteur.signataire": ("Signataire du marché", "Titre du représentant du pouvoir adjudicateur, ex. « le directeur "
                            "du numérique »."),
    "acheteur.comptable": ("Comptable assignataire", "Laissé « à compléter » dans le CCAP et l'acte d'engagement si vide."),
    "acheteur.profil_acheteur": ("Profil d'acheteur", "Adresse où le dossier est publié et les offres remises."),
    "acheteur.seuil_controle_a_priori_ht": ("Seuil du contrôle a priori (€ HT)", "Fixé par le secrétaire général du "
                                            "ministère (1re catégorie, circulaire § 2), ex. 150000 ou « 150 k€ »."),
    "consultation.reference": ("Référence de la consultation", "60 caractères au plus ; en pied de page de chaque "
                               "document."),
    "consultation.objet": ("Objet de la consultation", "Identique sur chaque document."),
    "consultation.procedure": ("Procédure", None),
    "consultation.date": ("Date d'édition du dossier", "Par défaut : le jour de l'assemblage."),
    "consultation.date_limite_offres": ("Date et heure limites de remise des offres", "En texte, ex. « 14 octobre 2025 "
                                        "à 12 h 00 » ; « à compléter » si vide."),
    "marche.code_nomenclature": ("Code de la nomenclature des achats", "Ex. 33.04.01 (1re catégorie), 33.04.02 à 05 "
                                 "(2e), 33.04.06 et 08 à 15 (3e)."),
    "marche.montant_estime_ht": ("Montant estimé (€ HT)", "Sur la durée totale, ex. 450000, « 450 k€ » ou « 1,5 M€ »."),
    "marche.montant_maximum_ht": ("Montant maximum (€ HT)", "Accord-cadre seulement ; au moins égal au montant estimé."),
    "marche.forme": ("Forme du marché", None),
    "marche.duree_mois": ("Durée initiale (mois)", "De 1 à 120 mois."),
    "marche.reconductions": ("Nombre de reconductions", "De 0 à 10."),
    "marche.reconduction": ("Reconduction", None),
    "marche.duree_reconduction_mois": ("Durée de chaque reconduction (mois)", "Par défaut : la durée initiale."),
    "marche.pro_bono": ("Mission à titre gracieux (pro bono)", "Autorisation du secrétaire général, aucune contrepartie "
                        "(circulaire § 5.2)."),
    "marche.lots.numero": ("Numéro", None),
    "marche.lots.intitule": ("Intitulé", None),
    "marche.lots.montant_estime_ht": ("Montant estimé (€ HT)", None),
    "execution.agile": ("Exécution en méthode agile", "Le marché se commande alors en unités d'œuvre."),
    "execution.unites_oeuvre.code": ("Code", "Ex. UO1."),
    "execution.unites_oeuvre.libelle": ("Libellé", None),
    "execution.unites_oeuvre.description": ("Description", None),
    "execution.donnees_personnelles": ("Données à caractère personnel", "Le titulaire en traite-t-il pour le compte de "
                                       "l'acheteur ?"),
    "execution.hebergement": ("Hébergement", None),
    "execution.niveau_securite": ("Niveau de sécurité", None),
    "criteres.critere": ("Intitulé", None),
    "criteres.ponderation": ("Pondération (%)", None),
    "criteres.sous_criteres": ("Sous-critères", "Un par ligne."),
    "projet.montant_total_ht": ("Montant total du projet (€)", "Au-delà de 9 M€ : avis conforme de la DINUM "
                                "(circulaire § 5.1)."),
    "projet.taux_externalisation": ("Taux d'externalisation", "Part externalisée du pilotage ou de la réalisation : "
                                    "0.45 ou « 45 % » ; plus de 60 % : projet à risque, au-delà de 80 % : il ne peut "
                                    "pas démarrer (§ 5.3)."),
    "propriete_intellectuelle.option": ("Régime des résultats", "Parmi les options de la clause de propriété "
                                        "intellectuelle de la bibliothèque ; par défaut : celle de la clause."),
}

# Short labels of enumerated values where the documents' wording (clauselint/assemble/facts.py)
# is a whole sentence or carries an article; the others are derived from that wording.
HOSTING_LABELS: dict[str, str] = {
    "sans-objet": "Sans objet (aucun hébergement demandé)",
    "chez-l-acheteur": "Chez l'acheteur",
    "chez-le-titulaire": "Chez le titulaire",
    "cloud-secnumcloud": "Nuage qualifié SecNumCloud",
}
RENEWAL_LABELS: dict[str, str] = {"tacite": "Tacite", "expresse": "Expresse"}

# Model fields the form leaves to the YAML file (per-clause values: « clauselint clauses show ID »).
NOT_IN_FORM = frozenset({"variables"})
