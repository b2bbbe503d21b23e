"""The documents of the package, written from the plan: RC, CCAP, CCTP, AE, annexes and the buyer's note.

Every decision (which article, which wording, which clause) is taken here; the templates only
lay the result out. Sentences that do not come from a clause file are the package's own
framing; they cite no legal article beyond the checked facts of the reference README.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from clauselint import __version__, french
from clauselint.assemble.content import Document
from clauselint.assemble.layout import TODO_BUYER, TODO_CANDIDATE
from clauselint.library.render import capitalize_first

if TYPE_CHECKING:
    from clauselint.assemble.plan import Plan
    from clauselint.library import Clause

CIRCULAR = "circulaire n° 6391/SG du 7 février 2023"
CCAG_TIC = (
    "cahier des clauses administratives générales applicables aux marchés publics de techniques de "
    "l'information et de la communication (CCAG-TIC), approuvé par l'arrêté du 30 mars 2021"
)
FOOTNOTE = (
    "Marché public de prestations intellectuelles informatiques soumis à la {circ}. "
    "Dossier établi le {date}."
)

DOCUMENT_TITLES = {
    "rc": ("Règlement de la consultation", "RC"),
    "ccap": ("Cahier des clauses administratives particulières", "CCAP"),
    "cctp": ("Cahier des clauses techniques particulières", "CCTP"),
    "ae": ("Acte d'engagement", "AE"),
    "note": ("Note de conformité à la circulaire n° 6391/SG", "Note interne"),
}

SEVERITY_LABELS = {"error": "Bloquant", "warning": "Attention", "info": "Information"}

_BULLET = re.compile(r"^[-*•]\s+(.*)$")


def ccag_article_label(article: str) -> str:
    """« Article 5.1 », « Articles 43 à 46 »."""
    return f"Articles {article}" if " à " in article else f"Article {article}"


def todo_buyer(what: str) -> str:
    return TODO_BUYER.format(what)


def todo_candidate(what: str) -> str:
    return TODO_CANDIDATE.format(what)


def _new(plan: "Plan", key: str, template: str, filename: str, title: str, subtitle: str) -> Document:
    facts = plan.facts
    return Document(
        key=key,
        template=template,
        filename=filename,
        title=title,
        subtitle=subtitle,
        object=facts.object,
        reference=facts.reference,
        footnote=FOOTNOTE.format(circ=CIRCULAR, date=facts.date),
        cover=facts.cover_rows(),
    )


def clause_blocks(text: str) -> list[tuple[str, str]]:
    """A rendered clause as blocks: paragraphs (p), list items (bullet), sub-headings (h2), a leading caption."""
    blocks: list[tuple[str, str]] = []
    for chunk in re.split(r"\n[ \t]*\n", text.strip()):
        kind, parts = None, []
        for raw in chunk.split("\n"):
            line = raw.strip()
            if not line:
                continue
            bullet = _BULLET.match(line)
            if bullet or line.startswith("#"):
                if kind:
                    blocks.append((kind, " ".join(parts)))
                if bullet:
                    kind, parts = "bullet", [bullet.group(1)]
                else:
                    blocks.append(("h2", line.lstrip("#").strip()))
                    kind, parts = None, []
            elif kind is None:
                kind, parts = "p", [line]
            else:
                parts.append(line)
        if kind:
            blocks.append((kind, " ".join(parts)))
    # A first paragraph in capitals is the form's own heading (annexes): a caption, not body text.
    if blocks and blocks[0][0] == "p":
        first = blocks[0][1]
        if len(first) <= 150 and any(ch.isalpha() for ch in first) and first == first.upper():
            blocks[0] = ("caption", first)
    return blocks


def add_clause(doc: Document, plan: "Plan", clause: "Clause", heading: bool = True) -> int:
    """The clause as an article (heading = its title) followed by its rendered text."""
    number = doc.h1(clause.title) if heading else doc.current_article()
    for kind, text in clause_blocks(plan.render(clause)):
        if kind == "h2":
            doc.h2(text)
        elif kind == "bullet":
            doc.bullet(text)
        elif kind == "caption":
            doc.caption(text)
        else:
            doc.p(text)
    if (clause.id, clause.version) not in doc.clauses:
        doc.clauses.append((clause.id, clause.version))
    return number


def _annex_label(plan: "Plan", clause: "Clause") -> str:
    return f"annexe n° {plan.annex_number[clause.id]} au CCAP"


def _lots(doc: Document, plan: "Plan") -> None:
    lots = plan.facts.spec.marche.lots
    if not lots:
        doc.p(
            f"{capitalize_first(plan.facts.contract)} n'est pas alloti.",
            todo_buyer("motifs de l'absence d'allotissement"),
        )
        return
    doc.p(f"{capitalize_first(plan.facts.contract)} est décomposé en {len(lots)} lots :")
    for lot in lots:
        amount = f" (montant estimé : {french.amount(lot.montant_estime_ht)})" if lot.montant_estime_ht is not None else ""
        doc.bullet(f"lot n° {lot.numero} : {lot.intitule}{amount} ;")


# ----------------------------------------------------------------------------------------------
# CCAP

def build_ccap(plan: "Plan") -> Document:
    """The CCAP. Its articles cross-reference each other: call it twice, the first pass numbers the clauses."""
    facts, spec = plan.facts, plan.facts.spec
    title, short = DOCUMENT_TITLES["ccap"]
    doc = _new(plan, "ccap", "ccap", "ccap", title, f"{short} – Réf. {facts.reference}")
    marche = spec.marche

    doc.h1("Objet et forme du marché")
    doc.h2("Objet")
    doc.p(f"Le présent cahier des clauses administratives particulières (CCAP) fixe les stipulations "
          f"administratives {('de l' + chr(39) + 'accord-cadre') if facts.is_framework else 'du marché'} "
          f"ayant pour objet : {facts.object}.")
    doc.p(f"Les prestations sont des prestations intellectuelles informatiques au sens de la {CIRCULAR} ; "
          f"elles relèvent du groupe de marchandises {facts.code_line} de la nomenclature des achats de l'État.")
    doc.h2("Forme")
    doc.p(f"Il s'agit d'un {facts.form}, passé selon {facts.procedure_phrase}.")
    doc.h2("Allotissement")
    _lots(doc, plan)

    doc.h1("Parties contractantes")
    a = spec.acheteur
    doc.p(f"L'acheteur est {facts.buyer}, {a.direction}"
          f"{', ' + a.service if a.service else ''}, {a.adresse}. Il est représenté par {a.signataire}, "
          "signataire du marché.")
    doc.p("Le titulaire est l'opérateur économique désigné dans l'acte d'engagement. En cas de groupement, "
          "le mandataire représente l'ensemble des membres du groupement à l'égard de l'acheteur.")
    if a.comptable:
        doc.p(f"Le comptable assignataire des paiements est {a.comptable}.")
    else:
        doc.p("Le comptable assignataire des paiements est", todo_buyer("désignation du comptable assignataire") + ".")

    doc.h1("Pièces contractuelles")
    doc.p("Les pièces contractuelles du marché sont, par ordre de priorité décroissante :")
    doc.bullet("l'acte d'engagement (AE) ;")
    doc.bullet("le présent CCAP" + (" et ses annexes :" if plan.by_document["annex"] else " ;"))
    for clause in plan.by_document["annex"]:
        doc.bullet(f"{capitalize_first(_annex_label(plan, clause))} : {clause.title} ;", level=2)
    doc.bullet("le cahier des clauses techniques particulières (CCTP) ;")
    if marche.pro_bono:
        pass  # a mission without price has no price schedule
    elif facts.unit_priced:
        doc.bullet("le bordereau des prix unitaires (BPU) ;")
    else:
        doc.bullet("la décomposition du prix global et forfaitaire (DPGF) ;")
    doc.bullet(f"le {CCAG_TIC} ;")
    doc.bullet("l'offre technique du titulaire.")
    if facts.is_framework:
        doc.p("Les bons de commande et, le cas échéant, les marchés subséquents s'exécutent dans le respect de "
              "ces pièces.")
    doc.p("En cas de contradiction entre les pièces, elles prévalent dans l'ordre ci-dessus.")

    doc.h1("Durée")
    doc.p(f"{capitalize_first(facts.contract)} est conclu pour une durée de {facts.duration}.")
    if marche.reconductions:
        if marche.reconduction == "tacite":
            doc.p("L'acheteur qui ne souhaite pas reconduire le marché le notifie au titulaire au moins",
                  todo_buyer("délai de préavis"), "avant la fin de la période en cours. Le titulaire ne peut pas "
                  "refuser la reconduction.")
        else:
            doc.p("La reconduction fait l'objet d'une décision expresse notifiée au titulaire au moins",
                  todo_buyer("délai"), "avant la fin de la période en cours.")

    doc.h1("Modalités d'exécution")
    if marche.forme == "accord-cadre-bons-de-commande":
        doc.p("L'accord-cadre s'exécute par l'émission de bons de commande au fur et à mesure des besoins. "
              "Chaque bon de commande précise les prestations commandées, leurs quantités, leur délai et leur "
              "lieu d'exécution. Il est signé par", spec.acheteur.signataire, "ou son délégataire.")
    elif marche.forme == "accord-cadre-marches-subsequents":
        doc.p("L'accord-cadre donne lieu à la conclusion de marchés subséquents, attribués selon les modalités "
              "de remise en concurrence suivantes :", todo_buyer("modalités de remise en concurrence des titulaires"))
    else:
        doc.p("Les prestations sont exécutées selon le calendrier fixé au CCTP, à compter de la notification du "
              "marché.")
    if spec.execution.agile:
        doc.p("Les prestations sont exécutées en méthode agile et commandées en unités d'œuvre, dont le prix "
              "unitaire figure au bordereau des prix unitaires :")
        doc.table(["Code", "Unité d'œuvre", "Contenu"],
                  [[u.code, u.libelle, u.description or "Voir le CCTP."] for u in spec.execution.unites_oeuvre])
    reference = plan.ccap_reference("steering")
    if reference:
        doc.p(f"Le pilotage de l'exécution par l'administration est organisé à {reference}.")

    doc.h1("Prix")
    if marche.pro_bono:
        doc.p("La mission est effectuée à titre gracieux : elle ne donne lieu à aucun prix, aucun remboursement de "
              "frais ni aucune autre contrepartie.")
    else:
        if facts.unit_priced:
            doc.p("Les prestations sont réglées par application des prix unitaires du bordereau des prix unitaires "
                  "(BPU) aux quantités réellement commandées et exécutées.")
        else:
            doc.p("Les prestations sont réglées par un prix global et forfaitaire, décomposé dans la DPGF.")
        doc.p(f"Le montant estimé {('de l' + chr(39) + 'accord-cadre') if facts.is_framework else 'du marché'} "
              f"est de {facts.estimate} sur sa durée totale.")
        if facts.is_framework:
            if facts.maximum:
                doc.p(f"Le montant maximum de l'accord-cadre sur sa durée totale est de {facts.maximum}.")
            else:
                doc.p("Le montant maximum de l'accord-cadre sur sa durée totale est de",
                      todo_buyer("montant maximum HT") + ".")
        doc.p("Les prix sont", todo_buyer("fermes, actualisables ou révisables ; le cas échéant, formule et "
                                          "index de référence") + ".")

    doc.h1("Modalités de paiement")
    if marche.pro_bono:
        doc.p("Sans objet : la mission ne donne lieu à aucun paiement.")
    else:
        doc.p("Les sommes dues au titulaire sont payées dans un délai global de paiement de trente jours à compter "
              "de la réception de la demande de paiement.")
        doc.p("Les factures sont transmises sous forme électronique sur le portail Chorus Pro. Elles rappellent "
              f"la référence {facts.reference} et, le cas échéant, le numéro du bon de commande.")

    for clause in plan.by_document["ccap"]:
        plan.ccap_article[clause.id] = add_clause(doc, plan, clause)

    doc.h1("Résiliation")
    doc.p("Les stipulations du chapitre 8 du CCAG-TIC relatives à la résiliation s'appliquent.")
    doc.h1("Règlement des différends")
    doc.p("Les différends sont réglés selon les stipulations du chapitre 9 du CCAG-TIC. À défaut de règlement "
          "amiable, le tribunal compétent est", todo_buyer("tribunal administratif compétent") + ".")

    doc.h1("Dérogations au CCAG-TIC")
    derogations = plan.derogations()
    if derogations:
        doc.p("Les stipulations du présent CCAP qui dérogent au CCAG-TIC sont récapitulées ci-dessous :")
        doc.table(
            ["Article du CCAG-TIC", "Article du CCAP", "Objet de la dérogation"],
            [[ccag_article_label(d.article), f"Article {plan.ccap_article[d.clause.id]} – {d.clause.title}", d.reason]
             for d in derogations],
        )
    else:
        doc.p("Le présent CCAP ne déroge à aucun article du CCAG-TIC.")
    return doc


# ----------------------------------------------------------------------------------------------
# RC

def build_rc(plan: "Plan") -> Document:
    facts, spec = plan.facts, plan.facts.spec
    title, short = DOCUMENT_TITLES["rc"]
    doc = _new(plan, "rc", "rc", "rc", title, f"{short} – Réf. {facts.reference}")

    doc.h1("Objet de la consultation")
    doc.p(f"La consultation a pour objet : {facts.object}.")
    doc.p(f"Elle porte sur un {facts.form}. Durée : {facts.duration}.")
    _lots(doc, plan)

    doc.h1("Procédure")
    doc.p(f"La consultation est passée selon {facts.procedure_phrase}, en application du code de la commande "
          "publique.")
    doc.p("Les variantes ne sont pas autorisées.")
    doc.p("Le délai de validité des offres est de cent vingt jours à compter de la date limite de remise des offres.")

    doc.h1("Contenu du dossier de consultation")
    doc.p("Le dossier de consultation des entreprises (DCE) comprend :")
    doc.bullet("le présent règlement de la consultation (RC) ;")
    doc.bullet("l'acte d'engagement (AE) ;")
    doc.bullet("le cahier des clauses administratives particulières (CCAP) et ses annexes :"
               if plan.by_document["annex"] else "le cahier des clauses administratives particulières (CCAP) ;")
    for clause in plan.by_document["annex"]:
        doc.bullet(f"{capitalize_first(_annex_label(plan, clause))} : {clause.title} ;", level=2)
    if spec.marche.pro_bono:
        doc.bullet("le cahier des clauses techniques particulières (CCTP).")
    else:
        doc.bullet("le cahier des clauses techniques particulières (CCTP) ;")
        doc.bullet(("le bordereau des prix unitaires (BPU)" if facts.unit_priced else
                    "la décomposition du prix global et forfaitaire (DPGF)"), todo_buyer("à joindre") + ".")
    doc.p(f"Le {CCAG_TIC.split(', approuvé')[0]} n'est pas joint : il est publié au Journal officiel.")

    doc.h1("Présentation des candidatures")
    doc.p("Le candidat produit les formulaires DC1 et DC2, ou le document unique de marché européen (DUME), "
          "ainsi que les renseignements permettant d'apprécier ses capacités professionnelles, techniques et "
          "financières :", todo_buyer("niveaux minimaux de capacité et pièces justificatives demandées"))

    doc.h1("Présentation des offres")
    doc.p("L'offre comprend :")
    doc.bullet("l'acte d'engagement, complété et signé ;")
    if not spec.marche.pro_bono:
        doc.bullet("le BPU complété ;" if facts.unit_priced else "la DPGF complétée ;")
    doc.bullet("un mémoire technique répondant à chacun des critères et sous-critères de l'article "
               "« Critères d'attribution » ;")
    doc.bullet("les curriculum vitae des personnes que le candidat propose de mobiliser ;")
    conflict = plan.annexes_of_family("conflict-of-interest")
    if conflict:
        doc.bullet(f"pour prévenir les conflits d'intérêts, comme le demande la {CIRCULAR} (§ 2), pour chaque "
                   "personne que le candidat propose de mobiliser, les pièces suivantes, complétées et signées "
                   "selon leurs indications :")
        for clause in conflict:
            doc.bullet(f"{capitalize_first(_annex_label(plan, clause))} : {clause.title} ;", level=2)
    doc.p("Une offre incomplète peut être déclarée irrégulière.")

    for clause in plan.by_document["rc"]:
        add_clause(doc, plan, clause)

    doc.h1("Critères d'attribution")
    doc.p("Le marché est attribué à l'offre économiquement la plus avantageuse, appréciée selon les critères "
          "pondérés suivants :")
    rows = []
    for critere in spec.criteres:
        label = critere.critere
        if critere.sous_criteres:
            label += "\n" + "\n".join(f"– {s}" for s in critere.sous_criteres)
        rows.append([label, french.percent(critere.ponderation / 100)])
    doc.table(["Critère", "Pondération"], rows, layout="t2-wide")
    doc.p("Méthode de notation :", todo_buyer("méthode de notation de chaque critère"))

    doc.h1("Conditions de remise des offres")
    where = spec.acheteur.profil_acheteur or todo_buyer("adresse du profil d'acheteur")
    deadline = spec.consultation.date_limite_offres or todo_buyer("date et heure limites de remise des offres")
    doc.p(f"Les candidatures et les offres sont remises par voie électronique sur le profil d'acheteur : {where}.")
    doc.p(f"Date et heure limites de remise des offres : {deadline}.")

    doc.h1("Renseignements complémentaires")
    doc.p("Les questions des candidats sont posées par écrit sur le profil d'acheteur au plus tard",
          todo_buyer("délai avant la date limite"), "avant la date limite de remise des offres. Les réponses sont "
          "communiquées à tous les candidats ayant retiré le dossier.")
    return doc


# ----------------------------------------------------------------------------------------------
# CCTP

def build_cctp(plan: "Plan") -> Document:
    facts, spec = plan.facts, plan.facts.spec
    title, short = DOCUMENT_TITLES["cctp"]
    doc = _new(plan, "cctp", "cctp", "cctp", title, f"{short} – Réf. {facts.reference}")
    execution = spec.execution

    doc.h1("Contexte")
    direction = spec.acheteur.direction
    doc.p(f"{capitalize_first(direction)} {facts.of_buyer()} conduit le projet que servent les prestations.",
          todo_buyer("contexte du projet, enjeux, organisation de l'administration, existant"))

    doc.h1("Objet et périmètre")
    doc.p(f"Les prestations ont pour objet : {facts.object}.")
    doc.p(f"Durée : {facts.duration}.")
    doc.p("Périmètre fonctionnel et technique :", todo_buyer("périmètre, exclusions, volumétrie"))

    doc.h1("Description du besoin")
    doc.p(todo_buyer("besoin détaillé, exigences fonctionnelles et non fonctionnelles, contraintes"))

    for clause in plan.by_document["cctp"]:
        add_clause(doc, plan, clause)
    if execution.agile:
        doc.h1("Unités d'œuvre")
        doc.p("Les prestations sont commandées dans les unités d'œuvre suivantes :")
        doc.table(["Code", "Unité d'œuvre", "Contenu"],
                  [[u.code, u.libelle, u.description or todo_buyer("contenu de l'unité d'œuvre")]
                   for u in execution.unites_oeuvre])
    else:
        doc.h1("Déroulement des prestations")
        doc.p("Phases, jalons et calendrier :", todo_buyer("phases, jalons, calendrier prévisionnel"))

    doc.h1("Livrables")
    doc.p("Le titulaire remet les livrables suivants :", todo_buyer("liste des livrables, format, échéance"))
    mention = plan.ccap_reference("consultant-mention")
    if mention:
        doc.p(f"Chaque livrable porte la mention de l'intervention du titulaire prévue à {mention}, qui en "
              f"indique explicitement la provenance, comme le demande la {CIRCULAR} (§ 2 et § 5.2).")
    doc.p("Les livrables sont soumis à vérification et à admission dans les conditions du CCAP.")

    doc.h1("Exigences de sécurité")
    doc.h2("Hébergement et niveau de sécurité")
    from clauselint.assemble.facts import HOSTING, SECURITY_LEVELS

    doc.p(HOSTING[execution.hebergement])
    doc.p(f"Niveau de sensibilité des informations traitées : {SECURITY_LEVELS[execution.niveau_securite]}.")
    cyber = plan.ccap_reference("cybersecurity")
    if cyber:
        doc.p(f"Les exigences de cybersécurité sont fixées à {cyber}.")
    doc.p("Exigences techniques complémentaires :", todo_buyer("référentiels, homologation, contraintes d'accès"))
    doc.h2("Données")
    if execution.donnees_personnelles:
        doc.p("Le titulaire traite des données à caractère personnel pour le compte de l'acheteur :",
              todo_buyer("nature des données, catégories de personnes concernées, finalités, durée du traitement"))
        personal = next((c for c in plan.by_document["ccap"] if c.id in plan.ccap_article and
                         c.applies.when.get("personal_data")), None)
        if personal:
            doc.p(f"Les obligations du titulaire en la matière sont fixées à l'article "
                  f"{plan.ccap_article[personal.id]} du CCAP (« {personal.title} »).")
    else:
        doc.p("Les prestations n'impliquent aucun traitement de données à caractère personnel pour le compte de "
              "l'acheteur.")
    destruction = plan.ccap_reference("data-destruction")
    if destruction:
        doc.p(f"En fin de marché, les données de l'acheteur sont restituées puis détruites selon {destruction}.")

    doc.h1("Pilotage et gouvernance")
    steering = plan.ccap_reference("steering")
    if steering:
        doc.p(f"Le pilotage de la prestation est assuré par l'administration selon {steering}.")
    doc.p("Instances et calendrier :", todo_buyer("composition et fréquence des comités, interlocuteurs"))

    if facts.category == 3:
        doc.h1("Réversibilité")
        doc.p("En fin de marché, le titulaire assure la réversibilité des prestations au profit de l'acheteur ou "
              "du prestataire qu'il désigne, dans les conditions de l'article 42 du CCAG-TIC et selon les "
              "modalités suivantes :", todo_buyer("plan de réversibilité, durée, transfert de compétences"))
    return doc


# ----------------------------------------------------------------------------------------------
# AE

def build_ae(plan: "Plan") -> Document:
    facts, spec = plan.facts, plan.facts.spec
    title, short = DOCUMENT_TITLES["ae"]
    doc = _new(plan, "ae", "ae", "ae", title, f"{short} – Réf. {facts.reference}")
    a = spec.acheteur

    doc.h1("Acheteur")
    doc.p(f"{capitalize_first(facts.buyer)}, {a.direction}{', ' + a.service if a.service else ''}, {a.adresse}.")
    doc.p(f"Signataire du marché : {a.signataire}.")
    doc.p("Comptable assignataire :", a.comptable or todo_buyer("désignation du comptable assignataire"))

    doc.h1("Objet")
    doc.p(f"Objet de la consultation : {facts.object}.")
    doc.p(f"Référence : {facts.reference}. Procédure : {facts.procedure_label.lower()}. "
          f"Forme : {facts.form}.")
    if spec.marche.lots:
        doc.p("Lot(s) pour le(s)quel(s) le candidat s'engage :", todo_candidate("numéro(s) et intitulé(s) du ou des lots"))

    doc.h1("Engagement du titulaire")
    doc.p("Dénomination, forme juridique, adresse du siège et numéro SIRET :",
          todo_candidate("identification du candidat ou de chaque membre du groupement"))
    doc.p("Nom et qualité du signataire :", todo_candidate("représentant habilité"))
    doc.p("Après avoir pris connaissance du CCAP, du CCTP et des documents qui y sont mentionnés, le signataire "
          "s'engage, sans réserve, sur la base de son offre et pour son propre compte ou pour celui du groupement, "
          "à exécuter les prestations dans les conditions définies par ces documents.")

    doc.h1("Prix")
    if spec.marche.pro_bono:
        doc.p("La mission est effectuée à titre gracieux : aucun prix n'est dû.")
    elif facts.unit_priced:
        doc.p("Les prestations sont rémunérées par application des prix unitaires du BPU aux quantités commandées.")
        if facts.maximum:
            doc.p(f"Montant maximum de l'accord-cadre sur sa durée totale : {facts.maximum}.")
    else:
        doc.p("Montant du prix global et forfaitaire :",
              todo_candidate("montant HT, taux et montant de la TVA, montant TTC"))

    doc.h1("Durée")
    doc.p(f"{capitalize_first(facts.contract)} est conclu pour une durée de {facts.duration}.")

    doc.h1("Paiement")
    if spec.marche.pro_bono:
        doc.p("Sans objet.")
    else:
        doc.p("Compte à créditer :", todo_candidate("titulaire du compte, IBAN et BIC ; joindre un RIB"))

    doc.h1("Signatures")
    doc.table(
        ["Le candidat", "L'acheteur"],
        [[
            "Fait à …………………………, le ……………………\nNom, qualité et signature du représentant habilité :\n\n\n\n",
            f"Fait à …………………………, le ……………………\n{capitalize_first(a.signataire)}\n\n\n\n",
        ]],
        layout="t2-even",
    )
    return doc


# ----------------------------------------------------------------------------------------------
# Annexes

def build_annexes(plan: "Plan") -> list[Document]:
    docs = []
    for clause in plan.by_document["annex"]:
        number = plan.annex_number[clause.id]
        slug = _slug(clause.title)
        doc = _new(plan, f"annexe-{number}", "annexe", f"annexe-{number}-{slug}", clause.title,
                   f"Annexe n° {number} au CCAP – Réf. {plan.facts.reference}")
        doc.cover = [("Référence", plan.facts.reference), ("Date d'édition", plan.facts.date)]
        add_clause(doc, plan, clause, heading=False)
        docs.append(doc)
    return docs


_ARTICLES = re.compile(r"^(modele|modèle)-(de|d)-")


def _slug(title: str, limit: int = 40) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = "-".join(words)
    slug = _ARTICLES.sub("", slug)
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "annexe"


# ----------------------------------------------------------------------------------------------
# Note for the buyer

def build_note(plan: "Plan", documents: list[Document], spec_name: str, spec_sha256: str) -> Document:
    facts, spec = plan.facts, plan.facts.spec
    assessment = facts.assessment
    title, short = DOCUMENT_TITLES["note"]
    doc = _new(plan, "note", "note", "note-de-conformite", title, f"Réf. {facts.reference}")
    doc.notice = "Document interne à l'acheteur – ne pas joindre au dossier de consultation"

    doc.h1("Identification de l'achat")
    rows = [
        ["Objet", facts.object],
        ["Référence", facts.reference],
        ["Code de nomenclature", facts.code_line],
        ["Catégorie (circulaire)", assessment.category_label],
        ["Procédure et forme", f"{facts.procedure_label} ; {facts.form}"],
        ["Durée", capitalize_first(facts.duration)],
        ["Montant estimé", facts.estimate],
    ]
    if facts.maximum:
        rows.append(["Montant maximum", facts.maximum])
    if spec.projet is not None:
        rows.append(["Montant total du projet", french.amount(spec.projet.montant_total_ht)])
        if spec.projet.taux_externalisation is not None:
            rows.append(["Taux d'externalisation du projet", french.percent(spec.projet.taux_externalisation)])
    else:
        rows.append(["Projet", "non renseigné (section « projet » de la spec) : seuils de la DINUM et "
                               "d'externalisation non vérifiés"])
    yes_no = {True: "oui", False: "non"}
    rows += [
        ["Méthode agile", yes_no[spec.execution.agile]],
        ["Données à caractère personnel", yes_no[spec.execution.donnees_personnelles]],
        ["Mission pro bono", yes_no[spec.marche.pro_bono]],
    ]
    doc.table(["Élément", "Valeur"], rows)

    doc.h1("Régime de contrôle applicable")
    doc.p(f"Obligations de l'acheteur pour un achat de la catégorie « {assessment.category_label} » :")
    doc.table(["Obligation", "Fondement"], [[o.text, o.basis] for o in assessment.regime], layout="t2-wide")

    doc.h1("Points d'attention")
    if assessment.findings:
        doc.table(
            ["Code", "Constat et action", "Fondement"],
            [[f"{f.code}\n{SEVERITY_LABELS.get(f.severity, f.severity)}", capitalize_first(f.message), f.basis]
             for f in assessment.findings],
            layout="t3-text",
        )
    else:
        doc.p("Aucun point d'attention : l'achat ne franchit aucun des seuils de la circulaire.")
    for warning in plan.warnings:
        doc.p(f"Spec : {warning}")

    doc.h1("Clauses types retenues")
    doc.p(f"{len(plan.selected)} clauses de la bibliothèque sont intégrées au dossier :")
    placements: dict[str, list[str]] = {}
    for document in documents:
        for clause_id, _version in document.clauses:
            placements.setdefault(clause_id, []).append(document.title if document.template == "annexe"
                                                        else DOCUMENT_TITLES[document.key][1])
    doc.table(
        ["Clause", "Intitulé", "Document", "Fondement"],
        [[f"{c.id}\nversion {c.version}" + ("" if c.origin == "intégrée" else f"\n({c.origin})"),
          c.title, _placement(plan, c, placements), "\n".join(c.basis)]
         for c in plan.selected],
    )

    doc.h1("Clauses non retenues")
    if plan.excluded:
        doc.table(["Clause", "Intitulé", "Motif"], [[c.id, c.title, capitalize_first(why)] for c, why in plan.excluded])
    else:
        doc.p("Toutes les clauses de la bibliothèque sont retenues.")

    doc.h1("Dérogations au CCAG-TIC")
    derogations = plan.derogations()
    if derogations:
        doc.table(["Article du CCAG-TIC", "Clause", "Objet de la dérogation"],
                  [[ccag_article_label(d.article), f"{d.clause.title} (article {plan.ccap_article[d.clause.id]} du CCAP)",
                    d.reason] for d in derogations])
    else:
        doc.p("Aucune dérogation.")

    doc.h1("Mentions à compléter avant publication")
    rows = [[d.title, str(d.todo_count())] for d in documents if d.todo_count()]
    if rows:
        doc.p("Les passages surlignés « À COMPLÉTER » restent à rédiger :")
        doc.table(["Document", "Mentions à compléter"], rows, layout="t2-wide")
    else:
        doc.p("Aucune mention à compléter.")

    doc.h1("Traçabilité")
    doc.p(f"Dossier assemblé par clauselint {__version__} le {facts.date} à partir de la spec « {spec_name} » "
          f"(SHA-256 {spec_sha256}). Le fichier manifest.json donne l'empreinte de chaque document et les "
          "clauses qu'il contient.")
    return doc


def _placement(plan: "Plan", clause: "Clause", placements: dict[str, list[str]]) -> str:
    where = placements.get(clause.id, [])
    if clause.id in plan.ccap_article:
        where = [f"CCAP, article {plan.ccap_article[clause.id]}" if w == "CCAP" else w for w in where]
    if clause.id in plan.annex_number:
        where = [f"Annexe n° {plan.annex_number[clause.id]}"]
    return "\n".join(where)
