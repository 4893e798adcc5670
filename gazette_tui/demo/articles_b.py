# ruff: noqa: E501
"""Demo articles, part two (continuing newest first). Synthetic: every person, figure and quotation here is
invented. Markup: see gazette_tui.demo.content.render_body."""

from __future__ import annotations

from gazette_tui.demo.sources import Source

SOURCES: list[Source] = [
    Source(
        key="budget-vert",
        rubrique="club-finances",
        kicker="Budget",
        title="Budget vert : les premières annexes environnementales passées au crible",
        author="Claire Vasseur",
        tags=("Budget vert", "Transition écologique", "Comptabilité"),
        lede="Depuis cette année, les collectivités de plus de 3 500 habitants doivent joindre à leur compte administratif un état de l’impact environnemental de leurs dépenses d’investissement. Les premières annexes révèlent des méthodes très hétérogènes et beaucoup de dépenses « neutres ».",
        body="""
## Une obligation récente, une méthode encore jeune

L’annexe « impact du budget pour la transition écologique » doit classer les dépenses d’investissement selon leur effet sur l’atténuation du changement climatique : favorables, défavorables, neutres ou non cotées. Les collectivités peuvent aller plus loin en retenant d’autres axes, comme la biodiversité ou la gestion des ressources.

Nous avons analysé une trentaine d’annexes publiées par des communes, des intercommunalités et des départements. Le premier constat est celui de la diversité : certaines collectivités présentent une ligne par opération, d’autres se contentent de grandes masses par chapitre.

## Beaucoup de neutre, peu de défavorable

| Catégorie | Part moyenne des dépenses | Écart observé |
| Très favorable ou favorable | 31 % | de 12 % à 58 % |
| Neutre | 44 % | de 20 % à 71 % |
| Défavorable | 9 % | de 0 % à 27 % |
| Non cotée | 16 % | de 0 % à 49 % |

La part « défavorable » reste faible, ce qui interroge : la voirie neuve, les parkings ou l’extension de réseaux sont rarement classés comme tels. Les collectivités expliquent qu’une voirie peut intégrer une piste cyclable, ce qui justifierait une cotation « mixte ». La méthode nationale ne prévoit pourtant pas de cotation mixte, ce qui conduit à des arbitrages au cas par cas.

## Les bonnes pratiques repérées

### Une cotation faite par les services opérationnels

Dans les collectivités où la cotation est confiée aux directions opérationnelles, avec une relecture par la direction financière, les résultats sont plus fins et mieux acceptés. Lorsque la direction financière cote seule, la part « non cotée » explose.

### Un lien avec la programmation pluriannuelle

Les collectivités les plus avancées cotent dès l’inscription d’une opération au plan pluriannuel d’investissement, et non a posteriori. Le budget vert devient alors un outil d’arbitrage, et plus seulement un exercice de présentation.

> Le jour où nous avons présenté en commission deux scénarios d’investissement avec leur cotation, le débat a changé de nature. Les élus ne discutaient plus seulement de montants.
— Laurent Béguin, directeur financier (fictif) d’une ville de 45 000 habitants

### Une présentation lisible

- un graphique simple par catégorie, en tête d’annexe ;
- la liste des dix opérations les plus importantes avec leur cotation ;
- une explication des choix pour les dépenses « mixtes » ;
- une comparaison avec l’exercice précédent dès la deuxième année.

## Les limites de l’exercice

L’annexe ne porte que sur l’investissement, alors que l’essentiel de l’empreinte carbone d’une collectivité provient de son fonctionnement : chauffage des bâtiments, carburant des véhicules, achats de prestations. Plusieurs collectivités ont choisi d’étendre volontairement la cotation au fonctionnement, avec un coût de mise en œuvre non négligeable.

Autre limite : la cotation ne mesure pas l’ampleur des effets. Une chaudière bois et un simple changement de fenêtres apparaissent tous deux « favorables ». Des travaux sont en cours pour relier la cotation à des indicateurs physiques, comme les tonnes de CO₂ évitées.

## Et maintenant ?

Les juridictions financières ont annoncé qu’elles examineraient la qualité des annexes lors de leurs prochains contrôles. Pour les collectivités, l’enjeu est désormais de fiabiliser la méthode et de l’intégrer au cycle budgétaire. Les contraintes du [Fonds vert 2027](art:fonds-vert-2027) devraient accélérer ce mouvement, puisque les préfets demandent désormais la cotation des projets subventionnés.
""",
    ),
    Source(
        key="rixes-cellules",
        rubrique="club-prevention-securite",
        kicker="Prévention",
        title="Rixes entre bandes : les cellules de veille municipales font leurs preuves",
        author="Marc-Antoine Rives",
        tags=("Prévention de la délinquance", "Jeunesse", "CLSPD"),
        lede="Réunissant éducateurs, bailleurs, établissements scolaires et police, les cellules de veille permettent d’anticiper les affrontements entre groupes de jeunes.",
        body="""
## Un dispositif souple

La cellule de veille se réunit chaque semaine dans le cadre du conseil local de sécurité et de prévention de la délinquance. Elle partage des informations nominatives, dans le respect d’une charte déontologique.

## Des résultats mesurables

Dans une commune de la petite couronne, le nombre de rixes signalées a diminué de moitié en deux ans. Les partenaires insistent sur la rapidité de réaction après un premier incident, souvent relayé sur les réseaux sociaux.

> Ce qui compte, c’est d’être là le lendemain, devant le collège, avant que la rumeur ne fasse son travail.
— Karim Oudjani, coordinateur (fictif) d’un CLSPD

## Les conditions de réussite

- un coordinateur dédié ;
- la présence régulière de l’Éducation nationale ;
- une charte signée par tous les partenaires.
""",
    ),
    Source(
        key="absenteisme",
        rubrique="club-rh",
        kicker="Santé au travail",
        title="Absentéisme : une hausse contenue mais des disparités fortes entre catégories",
        author="Élodie Prigent",
        tags=("Absentéisme", "Santé au travail", "Conditions de travail"),
        reserved=True,
        lede="Le taux d’absentéisme pour raisons de santé atteint 9,8 % dans les collectivités, selon une étude annuelle. Les agents de catégorie C des filières techniques et médico-sociales sont les plus touchés.",
        body="""
## Les chiffres clés

Le nombre moyen de jours d’absence pour raison de santé s’établit à 28 jours par agent et par an. Les arrêts longs (plus de six mois) représentent à eux seuls près de la moitié des jours d’absence.

## Des écarts marqués

| Catégorie | Taux d’absentéisme |
| Catégorie A | 5,1 % |
| Catégorie B | 7,4 % |
| Catégorie C | 11,2 % |

## Les leviers d’action

1. la prévention des troubles musculosquelettiques ;
2. l’aménagement des postes et les reclassements ;
3. un entretien de retour après un arrêt long ;
4. le suivi des accidents de service et des maladies professionnelles.

La [prévoyance](art:psc-prevoyance), en garantissant le maintien de revenu, change aussi le regard des agents sur les arrêts longs.
""",
    ),
    Source(
        key="decret-nuisances-lumineuses",
        rubrique="textes-officiels",
        kicker="Environnement",
        title="Décret sur les nuisances lumineuses : de nouvelles prescriptions pour les enseignes",
        author="Hervé Castagnet",
        tags=("Nuisances lumineuses", "Décret", "Publicité extérieure"),
        reserved=True,
        lede="Le décret avance à 23 heures l’extinction des enseignes lumineuses dans les communes de moins de 100 000 habitants et confie au maire le contrôle de ces prescriptions.",
        body="""
## Les nouvelles règles

- extinction des enseignes entre 23 heures et 6 heures, sauf activité en cours ;
- température de couleur limitée à 3 000 kelvins pour les nouvelles installations ;
- interdiction des dispositifs clignotants hors pharmacies et services d’urgence.

## Le pouvoir de police du maire

Le maire peut mettre en demeure l’exploitant, puis prononcer une amende administrative de 750 euros par dispositif. Le décret précise la procédure contradictoire.

## Articulation avec l’éclairage public

Le texte ne modifie pas les obligations applicables à l’éclairage public, que de nombreuses communes ont déjà réduites de leur propre initiative : voir [l’extinction nocturne gagne les villes moyennes](art:eclairage-extinction).
""",
    ),
    Source(
        key="rgpd-sanction",
        rubrique="droit-des-collectivites",
        kicker="Données personnelles",
        title="RGPD : la sanction d’une commune pour défaut de sécurité des données",
        author="Sophie Delaunay",
        tags=("RGPD", "CNIL", "Cybersécurité"),
        reserved=True,
        lede="Une commune de 12 000 habitants écope d’un rappel à l’ordre public après la fuite des données de son portail famille. Une décision qui sonne comme un avertissement.",
        body="""
## Les faits

Un défaut de paramétrage du portail famille permettait d’accéder aux factures d’autres foyers en modifiant un numéro dans l’adresse de la page. Les données de 3 000 familles étaient exposées.

## Les manquements retenus

- l’absence d’analyse de sécurité avant la mise en ligne ;
- l’absence de clause de sécurité dans le contrat avec l’éditeur ;
- une notification de la violation tardive, au-delà de 72 heures.

## Les enseignements

La commune reste responsable de traitement même lorsque l’outil est fourni par un prestataire. Un audit de sécurité avant la mise en service et une clause contractuelle de notification des incidents sont indispensables.
""",
    ),
    Source(
        key="renovation-ecoles",
        rubrique="club-technicites",
        kicker="Bâtiments",
        title="Rénovation énergétique des écoles : le décret tertiaire impose le tempo",
        author="Thomas Leroux-Bénard",
        tags=("Rénovation énergétique", "Écoles", "Décret tertiaire", "Bâtiments"),
        lede="Réduire de 40 % la consommation des bâtiments de plus de 1 000 m² d’ici à 2030 : pour les communes, les écoles sont le premier chantier. Méthode, financements et pièges à éviter, à partir de l’expérience de quatre collectivités.",
        body="""
## Des écoles au cœur de l’obligation

Les bâtiments scolaires représentent souvent plus de la moitié de la consommation énergétique du patrimoine communal. Construits pour beaucoup entre 1960 et 1980, ils cumulent toitures mal isolées, menuiseries simple vitrage et chaufferies vieillissantes.

Le dispositif « éco-énergie tertiaire » impose une réduction de la consommation de 40 % en 2030, 50 % en 2040 et 60 % en 2050, par rapport à une année de référence choisie à partir de 2010. Les consommations doivent être déclarées chaque année sur une plateforme nationale.

![Façade d’une école primaire en cours d’isolation par l’extérieur, échafaudage et panneaux isolants](ecole-isolation.svg) Isolation par l’extérieur d’une école élémentaire, réalisée pendant les vacances d’été. | Crédit photo : Service bâtiments de la ville de démonstration

## Commencer par les gestes simples

### Le pilotage du chauffage

Avant tout investissement lourd, la régulation du chauffage offre des gains rapides : programmation selon l’occupation réelle, réduction des températures le week-end et pendant les vacances, équilibrage des réseaux. Une commune de 9 000 habitants a ainsi réduit de 18 % la consommation de ses écoles en un hiver, pour moins de 40 000 euros.

### La sensibilisation

Les enseignants et les agents d’entretien sont des relais essentiels. Des « écodélégués » dans les classes, des affichages de consommation et des défis entre écoles complètent utilement les actions techniques.

## Les travaux lourds : programmer et financer

1. **L’audit énergétique** : indispensable pour hiérarchiser les travaux et estimer les gains.
2. **L’enveloppe** : isolation des toitures et des murs, remplacement des menuiseries.
3. **Les équipements** : ventilation double flux, raccordement à un réseau de chaleur ou pompe à chaleur.
4. **Le confort d’été** : protections solaires et végétalisation des cours, de plus en plus demandées.

| Opération type | Coût indicatif | Gain énergétique attendu |
| Régulation et programmation | 5 à 15 € / m² | 10 à 20 % |
| Isolation de la toiture | 60 à 100 € / m² | 10 à 15 % |
| Rénovation globale | 800 à 1 500 € / m² | 50 à 70 % |

Les financements se cumulent souvent : [Fonds vert](art:fonds-vert-2027), dotation de soutien à l’investissement local, certificats d’économies d’énergie, prêts à long terme des banques publiques. Le tiers-financement, par lequel un opérateur avance les travaux et se rembourse sur les économies, progresse également.

## Les pièges à éviter

> Nous avons changé toutes les fenêtres sans revoir la ventilation. Le premier hiver, la qualité de l’air dans les classes s’est effondrée. Il a fallu tout reprendre.
— Agnès Verdier, directrice (fictive) des services techniques d’une commune de 15 000 habitants

- oublier la qualité de l’air intérieur, désormais surveillée obligatoirement ;
- négliger le confort d’été, alors que les épisodes de chaleur se multiplient dès juin ;
- planifier les travaux sans tenir compte du calendrier scolaire ;
- sous-estimer la présence d’amiante dans les bâtiments anciens.

## Et les petites communes ?

Les communes de moins de 2 000 habitants, dont l’école fait souvent moins de 1 000 m², ne sont pas soumises au décret. Beaucoup engagent pourtant des travaux, motivées par la facture énergétique. Les syndicats d’énergie départementaux proposent des services de conseil en énergie partagé qui les accompagnent de l’audit à la réception des travaux.
""",
    ),
    Source(
        key="budget-participatif",
        rubrique="actualite",
        kicker="Démocratie locale",
        title="Budget participatif : une ville sur cinq de plus de 20 000 habitants s’y est mise",
        author="Nadia Ferhat",
        tags=("Participation citoyenne", "Budget participatif", "Démocratie locale"),
        lede="Des montants modestes, une participation souvent faible, mais des projets visibles : les budgets participatifs se diffusent et se professionnalisent.",
        body="""
## Un outil qui se généralise

Plus de 200 villes de plus de 20 000 habitants disposent aujourd’hui d’un budget participatif. Les enveloppes représentent en moyenne 2 à 5 % du budget d’investissement.

## La participation, point faible

Le taux de participation au vote dépasse rarement 5 % de la population. Les villes qui obtiennent les meilleurs résultats organisent le vote dans les écoles, sur les marchés et dans les centres sociaux, en plus du vote en ligne.

## Des projets concrets

- jardins partagés et plantations d’arbres ;
- aires de jeux et équipements sportifs de plein air ;
- pistes cyclables et stationnements vélos ;
- boîtes à livres et fresques murales.
""",
    ),
    Source(
        key="commande-publique-seuil",
        rubrique="club-finances",
        kicker="Marchés publics",
        title="Commande publique : le seuil de dispense de procédure relevé, mode d’emploi",
        author="Julien Marchal",
        tags=("Commande publique", "Marchés publics", "Seuils"),
        lede="Les acheteurs peuvent désormais conclure sans publicité ni mise en concurrence des marchés de travaux jusqu’à 100 000 euros hors taxes. Une souplesse à manier avec précaution.",
        body="""
## Ce qui change

Le seuil de dispense de procédure est porté à 100 000 euros hors taxes pour les marchés de travaux, et reste fixé à 40 000 euros pour les fournitures et services.

## Les obligations qui demeurent

- choisir une offre pertinente ;
- faire une bonne utilisation des deniers publics ;
- ne pas contracter systématiquement avec le même opérateur ;
- conserver une trace de la démarche.

## Les bonnes pratiques

Les services achats recommandent de solliciter au moins trois devis au-delà de 40 000 euros et de formaliser le choix dans une note. Un guide interne, validé par l’assemblée, sécurise les agents.
""",
    ),
    Source(
        key="gardes-champetres",
        rubrique="club-prevention-securite",
        kicker="Métiers",
        title="Gardes champêtres : un métier rare, mais une ressource pour les communes rurales",
        author="Marc-Antoine Rives",
        tags=("Gardes champêtres", "Ruralité", "Police rurale"),
        lede="Moins de 700 gardes champêtres exercent encore en France. Mutualisés entre communes, ils assurent une police de proximité adaptée aux territoires ruraux.",
        body="""
## Des missions spécifiques

Les gardes champêtres exercent des missions de police rurale : atteintes aux propriétés, dépôts sauvages, chasse, pêche, environnement. Ils disposent de pouvoirs de police judiciaire étendus dans ces domaines.

## La mutualisation, clé du recrutement

La plupart sont aujourd’hui recrutés par des intercommunalités ou des syndicats intercommunaux, qui mettent leurs agents à disposition des communes membres.

## Un métier qui attire peu

Le concours est organisé de manière irrégulière et les candidats sont rares. Les centres de gestion réfléchissent à une formation commune avec les policiers municipaux.
""",
    ),
    Source(
        key="apprentissage-cnfpt",
        rubrique="club-rh",
        kicker="Formation",
        title="Apprentissage : le financement par le CNFPT de nouveau en question",
        author="Élodie Prigent",
        tags=("Apprentissage", "CNFPT", "Formation"),
        lede="Le nombre d’apprentis dans les collectivités a triplé en cinq ans, mais la prise en charge des frais de formation reste fragile. Les employeurs craignent de devoir payer davantage.",
        body="""
## Un succès qui coûte

Les collectivités accueillent plus de 20 000 apprentis par an. Le CNFPT finance les frais de formation grâce à une cotisation additionnelle des employeurs et à une contribution de l’État, dont la reconduction n’est pas garantie.

## Les scénarios envisagés

1. une hausse de la cotisation additionnelle ;
2. un reste à charge pour les employeurs sur certains diplômes ;
3. un plafonnement du nombre de contrats financés.

## Ce que disent les employeurs

Les collectivités rappellent que l’apprentissage est devenu un outil de recrutement essentiel dans les métiers en tension : petite enfance, espaces verts, mécanique, informatique.
""",
    ),
    Source(
        key="ordonnance-mobilite",
        rubrique="textes-officiels",
        kicker="Statut",
        title="Ordonnance relative à la mobilité des fonctionnaires territoriaux : publication au JO",
        author="Hervé Castagnet",
        tags=("Statut", "Mobilité", "Ordonnance"),
        lede="L’ordonnance simplifie le détachement et l’intégration directe entre les trois versants de la fonction publique et crée une « bourse de l’emploi » commune.",
        body="""
## Les mesures principales

- la suppression de la condition de durée minimale de service pour le détachement ;
- l’intégration directe facilitée entre cadres d’emplois de même catégorie ;
- la portabilité du compte épargne-temps entre versants.

## La bourse de l’emploi

Toutes les vacances d’emplois des trois versants seront publiées sur une plateforme unique. Les centres de gestion restent chargés de la publicité des postes territoriaux.

## Entrée en vigueur

Les dispositions entrent en vigueur au 1er mars, sous réserve des décrets d’application.
""",
    ),
    Source(
        key="protection-fonctionnelle",
        rubrique="droit-des-collectivites",
        kicker="Élus locaux",
        title="Protection fonctionnelle des élus : jusqu’où va l’obligation de la commune ?",
        author="Sophie Delaunay",
        tags=("Protection fonctionnelle", "Élus locaux", "Responsabilité"),
        lede="Menaces, injures, diffamation : la commune doit protéger ses élus victimes à l’occasion de leurs fonctions. Mais la protection n’est pas automatique.",
        body="""
## Le principe

La commune est tenue d’accorder sa protection au maire et aux élus ayant reçu délégation victimes de violences, menaces ou outrages à l’occasion de leurs fonctions. Depuis la réforme, cette protection est accordée de plein droit, sauf opposition du conseil municipal.

## Ce que couvre la protection

- les frais d’avocat et de procédure ;
- l’accompagnement psychologique ;
- la réparation du préjudice, avec action récursoire contre l’auteur.

## Les limites

La protection est refusée en cas de faute personnelle détachable des fonctions. Une polémique purement politique, sans lien avec l’exercice du mandat, n’ouvre pas droit à la protection.
""",
    ),
    Source(
        key="fuites-eau",
        rubrique="club-technicites",
        kicker="Eau",
        title="Réseaux d’eau potable : la chasse aux fuites s’organise",
        author="Thomas Leroux-Bénard",
        tags=("Eau potable", "Réseaux", "Sécheresse"),
        lede="Un litre sur cinq se perd avant d’arriver au robinet. Sectorisation, capteurs acoustiques et renouvellement ciblé permettent de remonter les rendements.",
        body="""
## Des rendements très variables

Le rendement moyen des réseaux atteint 80 %, mais certains services ruraux descendent sous 60 %. La loi impose un plan d’action lorsque le rendement est inférieur au seuil réglementaire.

## Les outils

- la sectorisation du réseau, avec des compteurs de débit par secteur ;
- les prélocalisateurs acoustiques posés sur les vannes ;
- la modulation de pression la nuit.

## Renouveler au bon endroit

Un taux de renouvellement de 1 % par an suppose une durée de vie de cent ans. Les services priorisent les canalisations fuyardes repérées par l’historique des casses. Voir aussi [le transfert de la compétence eau](art:eau-transfert).
""",
    ),
    Source(
        key="eau-transfert",
        rubrique="actualite",
        kicker="Eau et assainissement",
        title="Transfert de la compétence eau : la souplesse accordée aux communes divise",
        author="Claire Vasseur",
        tags=("Eau et assainissement", "Intercommunalité", "Compétences"),
        lede="Le transfert obligatoire aux communautés de communes est supprimé. Une victoire pour les maires ruraux, une inquiétude pour les syndicats d’eau.",
        body="""
## Ce que dit la loi

Les communes membres de communautés de communes conservent la possibilité d’exercer elles-mêmes les compétences eau et assainissement. Les transferts déjà réalisés ne sont pas remis en cause.

## Les arguments des deux camps

> Nous connaissons nos réseaux, nos sources, nos habitants. La proximité n’est pas un archaïsme.
— Gérard Maudet, maire (fictif) d’une commune de montagne

Les syndicats rappellent que l’investissement nécessaire pour renouveler les réseaux dépasse les capacités des petites communes, et que la mutualisation permet de lisser les prix.

## Et maintenant ?

Les communes qui conservent la compétence devront démontrer leur capacité à respecter les normes de qualité et les objectifs de rendement. Voir [la chasse aux fuites s’organise](art:fuites-eau).
""",
    ),
    Source(
        key="emprunt-banques",
        rubrique="club-finances",
        kicker="Financement",
        title="Emprunt : les collectivités reviennent vers les banques malgré des taux élevés",
        author="Julien Marchal",
        tags=("Emprunt", "Dette", "Financement"),
        lede="Après deux années de retrait, le volume d’emprunts nouveaux repart à la hausse. Les marges bancaires se resserrent, mais les taux fixes restent au-dessus de 3,5 %.",
        body="""
## Un retour du besoin de financement

L’épargne brute des collectivités s’est érodée, et l’autofinancement ne suffit plus à couvrir les investissements engagés avant les élections. Les directeurs financiers se tournent de nouveau vers l’emprunt.

## Taux fixe ou variable ?

Les taux variables, indexés sur l’Euribor, redeviennent compétitifs. Beaucoup de collectivités panachent : un tiers en variable, deux tiers en fixe.

## Diversifier les prêteurs

- banques commerciales ;
- banques publiques pour les projets longs ;
- émissions obligataires groupées pour les collectivités moyennes.
""",
    ),
    Source(
        key="armement-pm",
        rubrique="club-prevention-securite",
        kicker="Police municipale",
        title="Armement des policiers municipaux : le débat relancé dans plusieurs villes",
        author="Marc-Antoine Rives",
        tags=("Police municipale", "Armement", "Sécurité"),
        reserved=True,
        lede="Après plusieurs agressions de policiers municipaux, des maires jusqu’ici réticents envisagent l’armement létal de leurs agents. Le débat se joue aussi au sein des équipes.",
        body="""
## Une décision du maire

L’armement des policiers municipaux relève du maire, qui doit obtenir l’autorisation du préfet. Une convention de coordination avec les forces de l’État est obligatoire.

## Les conditions

1. une formation préalable de plusieurs semaines ;
2. des entraînements réguliers au tir ;
3. un local sécurisé pour le stockage des armes.

## Des agents partagés

> L’arme protège, mais elle change aussi le regard des habitants sur nous.
— Julie Ferrat, cheffe de service (fictive) d’une police municipale

Voir aussi [le projet de loi sur les polices municipales](art:polices-municipales-loi).
""",
    ),
    Source(
        key="teletravail-chartes",
        rubrique="club-rh",
        kicker="Organisation du travail",
        title="Télétravail : les collectivités ajustent leurs chartes après quatre ans de pratique",
        author="Élodie Prigent",
        tags=("Télétravail", "Organisation", "Management"),
        lede="Jours flottants, présence d’équipe, indemnité : les chartes de télétravail évoluent pour concilier souplesse et collectif de travail.",
        body="""
## Ce qui change dans les chartes

- le passage à des jours flottants, dans la limite d’un forfait annuel ;
- une journée de présence commune par équipe ;
- une indemnité forfaitaire revalorisée.

## Le rôle des managers

Les collectivités insistent sur la formation des encadrants au management à distance et sur les entretiens réguliers avec les agents en télétravail.

## Les métiers exclus

Le télétravail reste impossible pour une majorité d’agents territoriaux (entretien, petite enfance, voirie), ce qui pose une question d’équité à laquelle les employeurs répondent par d’autres formes de souplesse, comme les horaires variables.
""",
    ),
    Source(
        key="arrete-cantines",
        rubrique="textes-officiels",
        kicker="Restauration collective",
        title="Arrêté sur la restauration scolaire : les produits durables désormais contrôlés",
        author="Hervé Castagnet",
        tags=("Restauration scolaire", "Alimentation durable", "Arrêté"),
        lede="L’arrêté précise les modalités de déclaration annuelle de la part de produits durables et biologiques servis dans les cantines.",
        body="""
## Les obligations rappelées

La restauration collective publique doit proposer au moins 50 % de produits durables et de qualité, dont 20 % de produits biologiques.

## La déclaration annuelle

Chaque gestionnaire déclare, avant le 31 mars, la valeur de ses achats par catégorie sur une plateforme nationale.

| Catégorie | Objectif |
| Produits durables et de qualité | 50 % |
| dont produits biologiques | 20 % |
| Viandes et poissons durables | 60 % |

## Sanctions

Aucune sanction n’est prévue, mais les résultats seront publiés par commune.
""",
    ),
    Source(
        key="offre-anormalement-basse",
        rubrique="droit-des-collectivites",
        kicker="Marchés publics",
        title="Offre anormalement basse : le juge du référé précontractuel rappelle la méthode",
        author="Sophie Delaunay",
        tags=("Marchés publics", "Référé précontractuel", "Jurisprudence"),
        lede="L’acheteur qui soupçonne une offre anormalement basse doit interroger le candidat avant de l’écarter. Un rappel utile du juge des référés.",
        body="""
## La procédure

Lorsqu’une offre semble anormalement basse, l’acheteur exige que l’opérateur fournisse des précisions et justifications. Il ne peut rejeter l’offre qu’après avoir examiné ces explications.

## Les indices

- un écart important avec les autres offres ;
- un prix inférieur à l’estimation de l’acheteur ;
- des temps d’intervention incompatibles avec les prestations.

## La solution

Le juge annule la procédure : l’acheteur avait écarté l’offre sans demander de justification, sur la seule base de l’écart de prix.
""",
    ),
    Source(
        key="biodechets",
        rubrique="club-technicites",
        kicker="Déchets",
        title="Tri à la source des biodéchets : deux ans après l’obligation, un bilan contrasté",
        author="Thomas Leroux-Bénard",
        tags=("Biodéchets", "Déchets", "Économie circulaire"),
        lede="Composteurs partagés, collecte séparée, abris-bacs : les solutions se déploient, mais la quantité de biodéchets détournée des ordures ménagères reste faible.",
        body="""
## Deux stratégies

Les collectivités ont le choix entre la gestion de proximité (compostage individuel ou partagé) et la collecte séparée. Les territoires ruraux privilégient la première, les villes denses la seconde.

## Des résultats encore modestes

Les collectivités les plus avancées détournent 40 kilos de biodéchets par habitant et par an. La moyenne nationale reste inférieure à 15 kilos.

## Les facteurs de réussite

- une communication de proximité, porte à porte ;
- la fourniture de bioseaux et de sacs ;
- une tarification incitative.
""",
    ),
    Source(
        key="m57-bascule",
        rubrique="club-finances",
        kicker="Comptabilité",
        title="Nomenclature M57 : les dernières communes basculent, retours d’expérience",
        author="Claire Vasseur",
        tags=("M57", "Comptabilité publique", "Fongibilité"),
        lede="Fongibilité des crédits, amortissement au prorata temporis, règlement budgétaire et financier : les communes qui ont basculé tirent les leçons de la première année.",
        body="""
## Les changements qui comptent

- la fongibilité des crédits, dans la limite de 7,5 % des dépenses réelles de chaque section ;
- l’amortissement au prorata temporis ;
- l’obligation d’adopter un règlement budgétaire et financier.

## Les difficultés rencontrées

La reprise de l’inventaire et la mise à jour des durées d’amortissement ont mobilisé les équipes. Les petites communes se sont appuyées sur leur comptable public.

## Un conseil

Profiter de la bascule pour fiabiliser l’inventaire, préalable indispensable au compte financier unique.
""",
    ),
    Source(
        key="pcs-inondation",
        rubrique="club-prevention-securite",
        kicker="Sécurité civile",
        title="Plan communal de sauvegarde : l’exercice grandeur nature d’une commune inondable",
        author="Marc-Antoine Rives",
        tags=("Plan communal de sauvegarde", "Inondations", "Gestion de crise"),
        lede="Alerte, évacuation d’une école, ouverture d’un centre d’hébergement : une commune riveraine d’un fleuve a testé son plan de sauvegarde avec 200 participants.",
        body="""
## Un scénario réaliste

Le scénario prévoyait une crue centennale annoncée 36 heures à l’avance. La cellule de crise municipale a été activée en moins de 45 minutes.

![Agents municipaux installant des lits de camp dans un gymnase transformé en centre d’hébergement](gymnase-hebergement.svg) Le gymnase municipal a été transformé en centre d’hébergement d’urgence en deux heures. | Crédit photo : Commune de démonstration

## Les enseignements

1. l’annuaire de crise n’était pas à jour ;
2. le système d’appel en masse a bien fonctionné ;
3. la coordination avec les bailleurs sociaux doit être améliorée.

## Une obligation élargie

Depuis la réforme, toutes les communes exposées à un risque majeur doivent disposer d’un plan communal de sauvegarde et l’exercer au moins tous les cinq ans.
""",
    ),
    Source(
        key="canicule-ilots",
        rubrique="actualite",
        kicker="Climat",
        title="Plans canicule : les villes revoient leurs îlots de fraîcheur",
        author="Nadia Ferhat",
        tags=("Canicule", "Adaptation au changement climatique", "Santé publique"),
        lede="Cours d’écoles désimperméabilisées, parcs ouverts la nuit, registres des personnes vulnérables : l’été a servi de test grandeur nature.",
        body="""
## Un été éprouvant

Trois épisodes de forte chaleur se sont succédé en juin et en juillet. Les villes ont activé leurs plans canicule, avec des résultats inégaux.

![Cour d’école plantée d’arbres, avec un sol perméable et des bancs à l’ombre](cour-oasis.svg) Une cour d’école transformée en îlot de fraîcheur ouvert au public le week-end. | Crédit photo : Ville de démonstration

## Ce qui a fonctionné

- l’ouverture nocturne des parcs et jardins ;
- les appels téléphoniques aux personnes inscrites sur le registre ;
- les cours « oasis » ouvertes aux habitants.

## Ce qui reste à faire

Les élus reconnaissent que les registres restent incomplets et que les bâtiments publics, écoles en tête, sont mal adaptés à la chaleur. Voir [Rénovation énergétique des écoles](art:renovation-ecoles).
""",
    ),
]
