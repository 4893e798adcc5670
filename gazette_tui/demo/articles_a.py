# ruff: noqa: E501
"""Demo articles, part one (newest first). Synthetic French local-government news written for gazette-tui:
every person, figure and quotation here is invented. Markup: see gazette_tui.demo.content.render_body."""

from __future__ import annotations

from gazette_tui.demo.sources import Source

SOURCES: list[Source] = [
    Source(
        key="plf-vote",
        rubrique="actualite",
        kicker="Budget de l’État",
        title="Projet de loi de finances 2027 : l’Assemblée adopte la première partie, les élus locaux restent sur leur faim",
        author="Claire Vasseur",
        tags=("Loi de finances", "Dotations", "Associations d’élus"),
        dossiers=("loi-de-finances-2027",),
        lede="Après dix jours de débats, les députés ont voté la partie « recettes » du budget 2027. La dotation globale de fonctionnement est gelée en valeur, et le prélèvement sur les plus grandes collectivités est reconduit, à peine allégé.",
        body="""
## Une DGF gelée, une inflation qui ne l’est pas

La première partie du projet de loi de finances pour 2027 a été adoptée dans la nuit de mardi à mercredi, par 281 voix contre 236. Pour les collectivités, le texte voté ressemble beaucoup à celui déposé par le gouvernement : la dotation globale de fonctionnement (DGF) reste fixée à 27,4 milliards d’euros, un montant identique à celui de 2026.

Avec une inflation prévue à 1,6 %, ce gel représente, en euros constants, une perte d’environ 440 millions d’euros pour l’ensemble du bloc communal, des départements et des régions. « **Un gel, c’est une baisse qui ne dit pas son nom** », résume un élu de la commission des finances.

## Les principaux chiffres du texte voté

| Enveloppe | 2026 | 2027 (texte voté) | Évolution |
| DGF | 27,4 Md€ | 27,4 Md€ | 0 % |
| Dotation de solidarité rurale | 2,19 Md€ | 2,34 Md€ | + 6,8 % |
| Dotation de solidarité urbaine | 2,87 Md€ | 2,97 Md€ | + 3,5 % |
| Fonds vert | 1,15 Md€ | 0,85 Md€ | − 26 % |
| Dispositif de lissage (prélèvement) | 1,0 Md€ | 0,9 Md€ | − 10 % |

La hausse de la péréquation verticale (+ 250 millions d’euros au total) est, comme chaque année, financée à l’intérieur de l’enveloppe : ce que gagnent les communes éligibles à la DSR et à la DSU est pris sur la dotation forfaitaire des autres. Notre article [DGF 2027 : stabilité en façade, écarts de répartition en coulisses](art:dgf-2027) détaille les effets de cette « autoalimentation ».

## Le dispositif de lissage reconduit

Le principal point de friction reste le dispositif de lissage conjoncturel des recettes fiscales, créé en 2025 et reconduit pour la troisième année. Il prélèvera 900 millions d’euros sur les communes, intercommunalités, départements et régions dont l’indice de fragilité est le plus faible, somme reversée par tiers sur trois ans.

Les députés ont adopté un amendement exonérant les communes de moins de 3 500 habitants et les collectivités ayant subi une catastrophe naturelle reconnue dans l’année. La liste des collectivités concernées est analysée dans [Dispositif de lissage des recettes : qui sera prélevé en 2027 ?](art:dilico).

> Nous acceptons de participer à l’effort, mais nous demandons de la visibilité. Un prélèvement voté chaque automne pour l’année suivante, ce n’est pas une politique, c’est une improvisation.
— Mathilde Aubrac, présidente (fictive) d’une association d’élus départementaux

## Ce qui a été rejeté

Plusieurs amendements portés par des députés de tous bords n’ont pas survécu au vote :

- l’indexation de la DGF sur la moitié de l’inflation, estimée à 220 millions d’euros ;
- la suppression du plafonnement des dépenses d’investissement éligibles au FCTVA ;
- le rétablissement d’une part de fiscalité économique pour les régions ;
- la création d’un fonds de soutien aux communes touristiques de montagne.

## Prochaine étape : le Sénat

Le texte sera examiné au Sénat à partir du 26 novembre. La chambre haute, traditionnellement attentive aux finances locales, devrait rouvrir le débat sur l’indexation de la DGF et sur le calendrier de reversement du dispositif de lissage. Le gouvernement a d’ores et déjà annoncé qu’il s’opposerait à toute mesure « dégradant le solde ».

Retrouvez l’ensemble de nos articles dans le dossier [Loi de finances 2027](dossier:loi-de-finances-2027).
""",
    ),
    Source(
        key="decret-psc-prevoyance",
        rubrique="textes-officiels",
        kicker="Protection sociale",
        title="Décret du 12 novembre 2026 relatif à la participation des employeurs territoriaux à la prévoyance",
        author="Hervé Castagnet",
        tags=("Protection sociale complémentaire", "Prévoyance", "Décret"),
        dossiers=("protection-sociale-complementaire",),
        lede="Le décret fixe le panier minimal des garanties de prévoyance et le montant de référence de la participation employeur, qui devient obligatoire au 1er janvier 2027.",
        body="""
## Objet du texte

Le décret précise les conditions dans lesquelles les collectivités territoriales et leurs établissements publics participent au financement des garanties de prévoyance de leurs agents. Il tire les conséquences de l’accord collectif national conclu au printemps.

## Ce que prévoit le décret

- un montant de référence de participation fixé à **20 euros par mois et par agent**, porté à 25 euros en cas de contrat collectif à adhésion obligatoire ;
- une couverture minimale de l’incapacité temporaire de travail à 90 % du traitement net ;
- une garantie invalidité alignée sur l’incapacité ;
- une option « décès » laissée à l’appréciation de l’employeur.

## Entrée en vigueur

Les dispositions s’appliquent à compter du 1er janvier 2027. Les conventions de participation en cours restent valables jusqu’à leur terme, dans la limite de 2029.

Voir notre analyse détaillée : [La prévoyance obligatoire se précise pour les employeurs territoriaux](art:psc-prevoyance), et le dossier [Protection sociale complémentaire](dossier:protection-sociale-complementaire).
""",
    ),
    Source(
        key="congres-maires",
        rubrique="actualite",
        kicker="Associations d’élus",
        title="Congrès des maires : ce qu’il faut retenir de la première journée",
        author="Nadia Ferhat",
        tags=("Congrès des maires", "Élus locaux", "Finances locales"),
        lede="Finances, sécurité, logement : la première journée du congrès a été dominée par l’inquiétude budgétaire et par l’attente d’un « contrat de confiance » avec l’État.",
        body="""
## Une ouverture sous le signe des finances

La salle plénière était comble dès 9 heures. Dans son discours d’ouverture, le président de l’association a dressé la liste des « renoncements imposés » : projets d’équipement reportés, tarifs des services publics relevés, recrutements gelés. Le vote récent de la [première partie du projet de loi de finances](art:plf-vote) a servi de toile de fond à toutes les interventions.

## Trois débats qui ont marqué la journée

1. La sobriété foncière : les maires ruraux ont réclamé une « garantie universelle » de surfaces constructibles.
2. La sécurité du quotidien : de nombreux élus attendent la [réforme des polices municipales](art:polices-municipales-loi) pour élargir les missions de leurs agents.
3. Le logement : la crise de la construction pèse sur les recettes de droits de mutation.

> Nous ne demandons pas plus d’argent, nous demandons de savoir combien nous aurons dans deux ans.
— Bernard Quillet, maire (fictif) d’une commune de 4 000 habitants

## Le gouvernement attendu jeudi

La ministre chargée des collectivités doit s’exprimer jeudi après-midi. Les associations espèrent des annonces sur la pluriannualité des dotations et sur le statut de l’élu.
""",
    ),
    Source(
        key="dgf-2027",
        rubrique="club-finances",
        kicker="Dotations",
        title="DGF 2027 : stabilité en façade, écarts de répartition en coulisses",
        author="Julien Marchal",
        tags=("DGF", "Péréquation", "Loi de finances"),
        dossiers=("loi-de-finances-2027",),
        reserved=True,
        lede="L’enveloppe de la DGF ne bouge pas, mais la hausse de la péréquation financée en interne fera baisser la dotation forfaitaire de près de deux communes sur trois.",
        body="""
## Le mécanisme de l’écrêtement

Comme chaque année, la progression de la dotation de solidarité rurale (DSR) et de la dotation de solidarité urbaine (DSU) est financée par un écrêtement de la dotation forfaitaire des communes dont le potentiel fiscal dépasse 85 % de la moyenne. En 2027, cet écrêtement devrait atteindre 1,2 % de la dotation forfaitaire pour les communes concernées.

## Simulations par strate

| Strate démographique | Part des communes en baisse | Variation moyenne |
| Moins de 500 hab. | 41 % | − 0,4 % |
| 500 à 3 499 hab. | 58 % | − 0,9 % |
| 3 500 à 19 999 hab. | 66 % | − 1,1 % |
| 20 000 hab. et plus | 72 % | − 1,3 % |

Ces chiffres sont des simulations de la rédaction fondées sur les critères de 2026 ; les montants définitifs dépendront des données de population et de potentiel financier notifiées au printemps.

## Que faire dans le budget primitif ?

Les directeurs financiers interrogés recommandent d’inscrire une baisse prudente de 1 % de la dotation forfaitaire, sauf pour les communes nettement éligibles à la DSR « cible ». Voir aussi [l’arrêté fixant la dotation de solidarité rurale](art:arrete-dsr).
""",
    ),
    Source(
        key="psc-prevoyance",
        rubrique="club-rh",
        kicker="Protection sociale",
        title="Protection sociale complémentaire : la prévoyance obligatoire se précise pour les employeurs territoriaux",
        author="Élodie Prigent",
        tags=("Protection sociale complémentaire", "Prévoyance", "Dialogue social", "Statut"),
        dossiers=("protection-sociale-complementaire",),
        lede="Avec la publication du décret du 12 novembre, les employeurs territoriaux savent désormais ce qu’ils devront financer à partir du 1er janvier 2027. Revue de détail des obligations, des options et du calendrier.",
        body="""
## Un calendrier désormais fixé

La réforme de la protection sociale complémentaire (PSC) dans la fonction publique territoriale franchit une étape décisive. Le [décret du 12 novembre 2026](art:decret-psc-prevoyance) précise le montant de référence de la participation des employeurs au financement de la prévoyance et le contenu minimal des garanties. À compter du 1er janvier 2027, chaque collectivité devra participer à hauteur d’au moins 20 euros par mois et par agent.

Pour les employeurs qui ont déjà mis en place une convention de participation, le changement sera limité : la plupart versent aujourd’hui entre 10 et 25 euros. Pour les autres — près d’un tiers des communes de moins de 1 000 habitants, selon une enquête des centres de gestion — il s’agit d’une dépense nouvelle.

## Le panier de garanties minimal

Le décret définit un socle que tout contrat éligible doit couvrir :

| Garantie | Niveau minimal | Observations |
| Incapacité temporaire de travail | 90 % du traitement net | Dès le passage à demi-traitement |
| Invalidité | 90 % du traitement net | Jusqu’à l’âge légal de départ |
| Perte de retraite consécutive à l’invalidité | Optionnelle | Laissée au choix de l’employeur |
| Décès, perte totale et irréversible d’autonomie | Optionnelle | Capital d’au moins 100 % du traitement annuel |

Les contrats labellisés souscrits individuellement par les agents restent éligibles à la participation, à condition de respecter ce socle.

## Convention de participation ou labellisation ?

### La convention de participation

Elle permet à l’employeur de sélectionner, après mise en concurrence, un organisme unique. Elle offre un meilleur rapport garanties-prix grâce à la mutualisation, mais suppose une procédure lourde. La plupart des petites collectivités passent par leur centre de gestion, qui négocie pour leur compte.

### La labellisation

L’agent choisit librement un contrat labellisé et l’employeur verse sa participation sur justificatif. La gestion est simple, mais la mutualisation des risques est faible et les tarifs augmentent avec l’âge.

> Le contrat collectif à adhésion obligatoire est la seule façon de protéger durablement les agents les plus âgés et les plus exposés. C’est aussi la plus exigeante à négocier.
— Sandrine Loubet, DRH (fictive) d’une communauté d’agglomération

## Le contrat à adhésion obligatoire

Le décret ouvre la voie à des contrats collectifs à adhésion obligatoire, à condition qu’un accord soit signé avec les organisations syndicales représentatives. La participation de l’employeur est alors portée à 25 euros. Plusieurs grandes collectivités ont engagé des négociations ; nous en rendons compte dans [Mutuelle santé : les contrats collectifs à adhésion obligatoire, une option qui séduit](art:psc-sante).

## Les points de vigilance

- **Le coût** : une collectivité de 200 agents doit prévoir au moins 48 000 euros par an.
- **Le calendrier** : une procédure de mise en concurrence prend six à neuf mois.
- **Le dialogue social** : le comité social territorial doit être consulté avant toute décision.
- **Les agents contractuels** : ils bénéficient de la participation dans les mêmes conditions que les titulaires.

## Et la santé ?

La participation obligatoire au financement de la complémentaire santé, fixée à 15 euros par mois, s’applique depuis le 1er janvier 2026, y compris aux employeurs qui n’avaient jusque-là aucun dispositif. Les deux volets, santé et prévoyance, peuvent faire l’objet d’une procédure commune.

Tous nos articles sur la réforme : dossier [Protection sociale complémentaire](dossier:protection-sociale-complementaire).
""",
    ),
    Source(
        key="polices-municipales-loi",
        rubrique="club-prevention-securite",
        kicker="Police municipale",
        title="Polices municipales : le projet de loi élargit les prérogatives des agents",
        author="Marc-Antoine Rives",
        tags=("Police municipale", "Sécurité du quotidien", "Projet de loi"),
        lede="Relevé d’identité, consultation de fichiers, amendes forfaitaires délictuelles : le texte présenté en conseil des ministres renforce les pouvoirs des policiers municipaux, sous conditions.",
        body="""
## Des compétences nouvelles

Le projet de loi permet aux policiers municipaux, sous l’autorité du maire et après convention avec l’État, de constater par procès-verbal certains délits punis d’une amende forfaitaire délictuelle : usage de stupéfiants, occupation illicite de halls d’immeubles, vente à la sauvette.

- consultation directe du fichier des véhicules volés ;
- relevé d’identité élargi aux contrevenants refusant de justifier leur identité ;
- accès encadré aux images de vidéoprotection des transports.

## Une formation renforcée

En contrepartie, la formation initiale passe de six à huit mois et un module de formation continue obligatoire est créé. Les communes devront en supporter le coût, ce que regrettent les associations d’élus.

## Calendrier

Le texte sera examiné en première lecture au Sénat en janvier. Le [congrès des maires](art:congres-maires) a été l’occasion, pour de nombreux élus, de dire leurs attentes et leurs réserves.
""",
    ),
    Source(
        key="conflit-interets-ce",
        rubrique="droit-des-collectivites",
        kicker="Déontologie",
        title="Conflit d’intérêts : le Conseil d’État précise la notion d’« intérêt public »",
        author="Sophie Delaunay",
        tags=("Conflit d’intérêts", "Élus locaux", "Jurisprudence"),
        lede="Un élu qui siège au conseil d’administration d’une association subventionnée ne se trouve pas automatiquement en situation de conflit d’intérêts, rappelle la haute juridiction.",
        body="""
## Les faits

Un conseiller municipal, par ailleurs administrateur bénévole d’une association sportive, avait pris part au vote d’une subvention de 12 000 euros à cette association. Un opposant avait demandé l’annulation de la délibération.

## La solution

Le Conseil d’État juge que la seule qualité de membre du conseil d’administration d’une association ne suffit pas à caractériser un intérêt « de nature à influencer ou paraître influencer l’exercice indépendant, impartial et objectif » du mandat. Il faut rechercher si l’élu en retire un avantage personnel ou si son rôle dans l’association est déterminant.

> La loi n’interdit pas aux élus de s’engager dans la vie associative ; elle leur impose de ne pas confondre les intérêts.
— extrait des conclusions du rapporteur public (reconstituées)

## Portée pratique

Par prudence, les services juridiques continuent de recommander le déport systématique lorsque l’élu exerce des fonctions dirigeantes (président, trésorier). Un registre des déports, tenu par le secrétariat des assemblées, facilite la preuve.
""",
    ),
    Source(
        key="eclairage-extinction",
        rubrique="club-technicites",
        kicker="Énergie",
        title="Éclairage public : l’extinction nocturne gagne les villes moyennes",
        author="Thomas Leroux-Bénard",
        tags=("Éclairage public", "Sobriété énergétique", "Biodiversité"),
        lede="Longtemps réservée aux villages, la coupure de l’éclairage entre minuit et 5 heures séduit désormais des villes de 20 000 à 50 000 habitants. Économies, sécurité, biodiversité : le point sur les retours d’expérience.",
        body="""
## Des économies immédiates

Une ville de 35 000 habitants qui éteint 70 % de ses points lumineux de 0 h 30 à 5 heures économise environ 30 % de sa consommation d’éclairage, soit plus de 150 000 euros par an aux tarifs actuels.

![Rue résidentielle plongée dans l’obscurité, seul un passage piéton reste éclairé](rue-eteinte.svg) Dans ce quartier résidentiel, seuls les passages piétons restent éclairés après minuit. | Crédit photo : Ville de démonstration

## La sécurité, première inquiétude

Les retours des polices municipales ne montrent pas de hausse des cambriolages ni des accidents pendant les plages d’extinction. Les axes structurants et les abords des gares restent généralement éclairés.

### Ce que les services recommandent

- une phase de test de trois mois, quartier par quartier ;
- une information des habitants avant la mise en œuvre ;
- le remplacement parallèle des luminaires par des LED pilotables.

## Voir aussi

Les nouvelles règles nationales sur les nuisances lumineuses sont présentées dans [notre article sur le décret](art:decret-nuisances-lumineuses).
""",
    ),
    Source(
        key="dilico",
        rubrique="club-finances",
        kicker="Péréquation",
        title="Dispositif de lissage des recettes : qui sera prélevé en 2027 ?",
        author="Julien Marchal",
        tags=("Dispositif de lissage", "Loi de finances", "Péréquation"),
        dossiers=("loi-de-finances-2027",),
        lede="Reconduit pour une troisième année, le prélèvement de 900 millions d’euros frappera un peu moins de 2 000 communes et une centaine d’intercommunalités.",
        body="""
## Un indice de fragilité déterminant

Les collectivités contributrices sont celles dont l’indice synthétique, combinant potentiel financier et revenu par habitant, dépasse 110 % de la moyenne de leur catégorie. Le prélèvement est plafonné à 2 % des recettes réelles de fonctionnement.

## Les exonérations votées

- les communes de moins de 3 500 habitants ;
- les collectivités ayant connu une catastrophe naturelle reconnue en 2026 ;
- les communes éligibles à la DSU « cible ».

## Le reversement

Les sommes prélevées sont restituées par tiers sur trois ans, à condition que la dépense de l’ensemble des collectivités ne progresse pas plus vite que l’inflation. Cette condition collective est jugée « absurde » par de nombreux élus. Plus de détails dans [notre compte rendu du vote](art:plf-vote).
""",
    ),
    Source(
        key="intercos-fusions",
        rubrique="actualite",
        kicker="Intercommunalité",
        title="Fusion d’intercommunalités : la carte se stabilise, les périmètres XXL font débat",
        author="Claire Vasseur",
        tags=("Intercommunalité", "Schéma départemental", "Gouvernance"),
        reserved=True,
        lede="Dix ans après les grandes fusions, une quarantaine de communautés envisagent de se scinder. Les préfets, eux, veulent préserver la carte.",
        body="""
## Des territoires trop vastes ?

Dans les communautés de plus de 80 communes, les maires des petites communes disent peiner à peser sur les décisions. Plusieurs conseils communautaires ont adopté des motions demandant une révision du schéma départemental de coopération intercommunale.

## La procédure de scission

La loi permet une scission à la demande des communes, mais elle exige l’accord du préfet, l’avis de la commission départementale de coopération intercommunale et une majorité qualifiée des conseils municipaux.

## Un pacte de gouvernance comme alternative

Plutôt que la scission, plusieurs présidents misent sur la conférence des maires et sur des pôles territoriaux dotés d’une enveloppe propre. Une solution qui fonctionne « quand la confiance existe », résume une directrice générale des services.
""",
    ),
    Source(
        key="arrete-dsr",
        rubrique="textes-officiels",
        kicker="Dotations",
        title="Arrêté fixant le montant de la dotation de solidarité rurale : les notifications publiées",
        author="Hervé Castagnet",
        tags=("DSR", "Arrêté", "Dotations"),
        dossiers=("loi-de-finances-2027",),
        lede="Les attributions individuelles de la fraction « cible » de la DSR sont désormais consultables. Plus de 10 000 communes en bénéficient.",
        body="""
## Contenu de l’arrêté

L’arrêté fixe, commune par commune, le montant des trois fractions de la dotation de solidarité rurale : bourg-centre, péréquation et cible. Les montants sont consultables sur le site de la direction générale des collectivités locales.

## Points à vérifier

- la population DGF retenue, qui intègre les résidences secondaires ;
- la longueur de voirie déclarée, critère de la fraction péréquation ;
- le nombre d’enfants de 3 à 16 ans.

## Recours

Une commune qui conteste un critère dispose d’un délai de deux mois pour former un recours gracieux auprès du préfet. Voir aussi [DGF 2027 : stabilité en façade, écarts de répartition en coulisses](art:dgf-2027).
""",
    ),
    Source(
        key="point-indice",
        rubrique="club-rh",
        kicker="Rémunérations",
        title="Point d’indice : pas de revalorisation générale avant l’été 2027",
        author="Élodie Prigent",
        tags=("Point d’indice", "Rémunérations", "Fonction publique"),
        lede="Le ministre de la fonction publique a confirmé aux syndicats qu’aucune mesure générale n’interviendrait au premier semestre. Les organisations dénoncent une perte de pouvoir d’achat.",
        body="""
## Un rendez-vous salarial sans annonce

Le rendez-vous salarial annuel s’est conclu sans mesure générale. Le gouvernement met en avant la revalorisation des bas salaires intervenue au 1er janvier et la garantie individuelle du pouvoir d’achat, reconduite.

## Les employeurs territoriaux partagés

Pour les collectivités, une hausse de 1 % du point coûte environ 800 millions d’euros. Les associations d’élus, tout en reconnaissant les difficultés de recrutement, demandent que toute mesure soit compensée.

> Chaque fois que l’État décide seul d’une hausse du point, ce sont nos budgets qui la paient.
— Pierre-Yves Gaudin, président (fictif) d’un centre de gestion

## Et les primes ?

La refonte des régimes indemnitaires, promise pour 2027, est reportée. Le RIFSEEP reste la règle pour la grande majorité des cadres d’emplois.
""",
    ),
    Source(
        key="zan-contentieux",
        rubrique="droit-des-collectivites",
        kicker="Urbanisme",
        title="ZAN : premiers contentieux contre les SCoT modifiés",
        author="Sophie Delaunay",
        tags=("ZAN", "SCoT", "Contentieux", "Urbanisme"),
        dossiers=("zero-artificialisation-nette",),
        reserved=True,
        lede="Associations environnementales et communes s’opposent devant les tribunaux administratifs sur la répartition des enveloppes foncières. Les premiers jugements dessinent une grille de lecture.",
        body="""
## Deux types de recours

Les recours formés contre les schémas de cohérence territoriale modifiés pour intégrer la trajectoire de sobriété foncière émanent soit d’associations qui jugent la réduction insuffisante, soit de communes qui s’estiment lésées par la répartition.

## Ce que contrôle le juge

Le juge administratif exerce un contrôle de compatibilité : il ne vérifie pas que chaque commune a reçu une part « juste », mais que la répartition repose sur des critères objectifs et cohérents avec le projet d’aménagement.

- prise en compte des efforts passés de sobriété ;
- cohérence avec l’armature urbaine ;
- justification des projets d’envergure exclus du décompte.

## Premier jugement

Le tribunal administratif de Nantes (jugement fictif du 3 octobre) a rejeté le recours d’une commune littorale, relevant que la répartition favorisait les pôles desservis par les transports en commun, « conformément aux orientations du projet ». Voir le dossier [Zéro artificialisation nette](dossier:zero-artificialisation-nette).
""",
    ),
    Source(
        key="zan-friches",
        rubrique="club-technicites",
        kicker="Aménagement",
        title="Reconvertir les friches, la réponse des techniciens au ZAN",
        author="Thomas Leroux-Bénard",
        tags=("Friches", "ZAN", "Aménagement"),
        dossiers=("zero-artificialisation-nette",),
        lede="Inventaire, dépollution, portage foncier : les services techniques s’organisent pour recycler les terrains déjà artificialisés, faute de pouvoir s’étendre.",
        body="""
## Commencer par l’inventaire

La première étape consiste à recenser les friches industrielles, commerciales et d’habitat. Les bases de données nationales en recensent une partie ; les services de terrain complètent avec les locaux vacants et les parkings surdimensionnés.

## Un coût de recyclage élevé

Dépollution, désamiantage, démolition : le coût de remise en état varie de 50 à 400 euros par mètre carré. Sans aide, la plupart des opérations ne sont pas équilibrées.

### Les leviers mobilisés

1. le portage par l’établissement public foncier ;
2. les subventions du fonds de recyclage ;
3. la densification des programmes pour améliorer le bilan.

## Lire aussi

[ZAN : trois ans après, les maires ruraux réclament un droit à construire garanti](art:zan-maires-ruraux) et le dossier [Zéro artificialisation nette](dossier:zero-artificialisation-nette).
""",
    ),
    Source(
        key="taxe-fonciere-bases",
        rubrique="club-finances",
        kicker="Fiscalité locale",
        title="Taxe foncière : les bases augmentent de 1,7 % en 2027",
        author="Julien Marchal",
        tags=("Taxe foncière", "Fiscalité locale", "Valeurs locatives"),
        dossiers=("loi-de-finances-2027",),
        reserved=True,
        lede="Le coefficient de revalorisation forfaitaire des valeurs locatives, calculé sur l’inflation harmonisée, est nettement inférieur à celui des années précédentes.",
        body="""
## Un coefficient automatique

Depuis 2018, les valeurs locatives des locaux d’habitation évoluent selon l’inflation harmonisée constatée sur un an en novembre. Pour 2027, le coefficient s’établit à 1,017.

| Année | Coefficient de revalorisation |
| 2023 | 1,071 |
| 2024 | 1,039 |
| 2025 | 1,017 |
| 2026 | 1,009 |
| 2027 | 1,017 |

## Conséquences pour les budgets

Pour une commune dont le produit de taxe foncière atteint 5 millions d’euros, la revalorisation rapporte environ 85 000 euros, hors évolution physique des bases. Les communes qui avaient misé sur une dynamique plus forte devront ajuster leurs prévisions.

## La révision des valeurs locatives encore reportée

La révision générale des valeurs locatives des locaux d’habitation, prévue de longue date, est de nouveau repoussée de deux ans.
""",
    ),
    Source(
        key="videoprotection-cnil",
        rubrique="club-prevention-securite",
        kicker="Vidéoprotection",
        title="Vidéoprotection : la CNIL rappelle les règles d’implantation",
        author="Marc-Antoine Rives",
        tags=("Vidéoprotection", "CNIL", "Données personnelles"),
        reserved=True,
        lede="Après plusieurs contrôles dans des communes, l’autorité publie une fiche pratique sur la durée de conservation, l’information du public et le visionnage des images.",
        body="""
## Les manquements les plus fréquents

- des caméras filmant l’intérieur de propriétés privées ;
- une durée de conservation supérieure à trente jours ;
- l’absence de panneaux d’information lisibles ;
- un accès aux images ouvert à trop d’agents.

## Le rôle du référent

La CNIL recommande de désigner un référent vidéoprotection, distinct du délégué à la protection des données, chargé de tenir le registre des accès et des extractions d’images.

## L’autorisation préfectorale reste nécessaire

Tout système filmant la voie publique doit être autorisé par le préfet après avis de la commission départementale. Voir aussi [la sanction d’une commune pour défaut de sécurité des données](art:rgpd-sanction).
""",
    ),
    Source(
        key="zan-maires-ruraux",
        rubrique="actualite",
        kicker="Urbanisme",
        title="ZAN : trois ans après, les maires ruraux réclament un droit à construire garanti",
        author="Nadia Ferhat",
        tags=("ZAN", "Ruralité", "Urbanisme"),
        dossiers=("zero-artificialisation-nette",),
        lede="La garantie d’un hectare par commune ne suffit pas, estiment les élus ruraux, qui demandent que les petites communes puissent accueillir au moins quelques logements par an.",
        body="""
## Un hectare, et après ?

La loi garantit à chaque commune dotée d’un document d’urbanisme au moins un hectare de consommation d’espaces sur la décennie. Pour beaucoup de villages, cette surface a déjà été consommée par un lotissement ou un équipement.

![Champ en bordure de village avec quelques maisons neuves à l’arrière-plan](bordure-village.svg) En bordure de bourg, les dernières parcelles constructibles sont très disputées. | Crédit photo : Gazette de démonstration

## Des propositions concrètes

> Une école qui ferme parce qu’aucune famille ne peut s’installer, c’est aussi une forme d’artificialisation : celle de la vie du village.
— Odile Ferrand, maire (fictive) d’une commune de 600 habitants

Les élus proposent de sortir du décompte les logements construits en continuité immédiate du bourg, ainsi que les bâtiments agricoles.

## La réponse du gouvernement

Le ministère du logement renvoie à la territorialisation des objectifs dans les SCoT, qui permet une répartition différenciée. Voir [Reconvertir les friches, la réponse des techniciens au ZAN](art:zan-friches).
""",
    ),
    Source(
        key="fonds-vert-2027",
        rubrique="club-finances",
        kicker="Investissement",
        title="Fonds vert 2027 : l’enveloppe réduite, les critères resserrés",
        author="Claire Vasseur",
        tags=("Fonds vert", "Investissement", "Transition écologique"),
        dossiers=("loi-de-finances-2027",),
        reserved=True,
        lede="Avec 850 millions d’euros, le fonds d’accélération de la transition écologique perd un quart de ses crédits. Les préfets devront prioriser la rénovation des écoles.",
        body="""
## Trois axes au lieu de quatorze

La circulaire d’emploi du fonds réduit le nombre de mesures éligibles à trois : rénovation énergétique des bâtiments publics, renaturation et adaptation au changement climatique, prévention des risques naturels.

## Un taux de subvention plafonné

- 50 % pour les communes de moins de 2 000 habitants ;
- 40 % pour les autres communes et les intercommunalités ;
- 30 % pour les départements et les régions.

## Les projets déjà engagés

Les projets ayant fait l’objet d’un arrêté attributif avant le 31 décembre restent financés aux conditions initiales. Notre article [Rénovation énergétique des écoles : le décret tertiaire impose le tempo](art:renovation-ecoles) présente les projets prioritaires.
""",
    ),
    Source(
        key="psc-sante",
        rubrique="club-rh",
        kicker="Protection sociale",
        title="Mutuelle santé : les contrats collectifs à adhésion obligatoire, une option qui séduit",
        author="Élodie Prigent",
        tags=("Protection sociale complémentaire", "Santé", "Négociation collective"),
        dossiers=("protection-sociale-complementaire",),
        reserved=True,
        lede="Plusieurs départements et grandes villes ont signé des accords avec leurs syndicats pour rendre la complémentaire santé obligatoire. Retour sur trois négociations.",
        body="""
## Pourquoi l’obligation ?

L’adhésion obligatoire permet de mutualiser les risques entre jeunes et anciens agents, et de négocier des tarifs plus bas. En contrepartie, l’employeur doit financer au moins 50 % de la cotisation.

## Trois négociations, trois méthodes

### Un département de l’Ouest

Six mois de négociation, un accord signé par quatre organisations sur cinq, une cotisation d’équilibre de 62 euros par mois.

### Une métropole

Un accord obtenu après l’intervention d’un médiateur ; la participation employeur atteint 60 %.

### Une ville moyenne

Un échec : faute d’accord majoritaire, la ville est restée à la labellisation.

## À retenir

Le dossier [Protection sociale complémentaire](dossier:protection-sociale-complementaire) rassemble nos analyses du volet prévoyance et du volet santé.
""",
    ),
    Source(
        key="circulaire-elections-partielles",
        rubrique="textes-officiels",
        kicker="Élections",
        title="Circulaire sur l’organisation des élections partielles : ce qui change",
        author="Hervé Castagnet",
        tags=("Élections", "Circulaire", "Conseil municipal"),
        lede="La circulaire actualise les règles applicables aux élections municipales partielles intégrales et complémentaires organisées au cours du mandat.",
        body="""
## Quand une élection partielle est-elle nécessaire ?

Dans les communes de 1 000 habitants et plus, une élection partielle intégrale est organisée lorsque le conseil municipal a perdu le tiers de ses membres et que les listes ne permettent plus de le compléter.

## Les nouveautés

- l’affichage des candidatures sur le site internet de la préfecture ;
- la possibilité d’une propagande électorale dématérialisée ;
- le rappel de la parité obligatoire dans toutes les communes, y compris les plus petites.

## Délais

L’élection doit intervenir dans les trois mois suivant la vacance. Aucune élection partielle n’est organisée dans l’année précédant le renouvellement général.
""",
    ),
    Source(
        key="dsp-duree",
        rubrique="droit-des-collectivites",
        kicker="Contrats publics",
        title="Délégation de service public : la durée du contrat doit rester justifiée",
        author="Sophie Delaunay",
        tags=("Délégation de service public", "Concessions", "Jurisprudence"),
        lede="Une cour administrative d’appel annule un avenant prolongeant de huit ans une concession de chauffage urbain, faute de justification par les investissements demandés.",
        body="""
## Le principe

La durée d’un contrat de concession est limitée et déterminée en fonction de la nature et du montant des prestations ou des investissements demandés au concessionnaire. Au-delà de cinq ans, elle ne peut excéder le temps raisonnablement escompté pour amortir les investissements.

## L’avenant litigieux

La collectivité avait prolongé le contrat en contrepartie de travaux de raccordement estimés à 4 millions d’euros. La cour relève que ces travaux auraient été amortis en trois ans, et non en huit.

## Conseils pratiques

1. documenter le plan d’amortissement dans le rapport présenté à l’assemblée ;
2. faire vérifier les hypothèses par un conseil indépendant ;
3. prévoir une clause de revoyure plutôt qu’une prolongation longue.
""",
    ),
    Source(
        key="voirie-priorites",
        rubrique="club-technicites",
        kicker="Voirie",
        title="Voirie : comment prioriser l’entretien quand les budgets se resserrent",
        author="Thomas Leroux-Bénard",
        tags=("Voirie", "Patrimoine", "Gestion technique"),
        reserved=True,
        lede="Diagnostic, notation, programmation pluriannuelle : des services techniques partagent leurs méthodes pour entretenir un réseau vieillissant avec moins de moyens.",
        body="""
## Connaître son réseau

Sans inventaire, pas de priorisation. Les collectivités les plus avancées notent chaque tronçon selon son état de surface, sa structure et son trafic, puis actualisent la notation tous les trois ans.

## Entretenir tôt coûte moins cher

Un enduit superficiel posé à temps coûte dix fois moins qu’une reconstruction de chaussée. La stratégie du « juste à temps » consiste à intervenir sur les voies encore en état moyen plutôt que sur les plus dégradées.

| Technique | Coût indicatif au m² | Durée de vie |
| Enduit superficiel | 4 à 6 € | 8 à 10 ans |
| Enrobé mince | 15 à 20 € | 12 à 15 ans |
| Reconstruction | 60 à 120 € | 30 ans et plus |

## Communiquer avec les élus

Présenter l’état du patrimoine sous forme de carte et de valeur à neuf aide les élus à arbitrer. Plusieurs villes ont intégré cet indicateur dans leur rapport d’orientation budgétaire.
""",
    ),
    Source(
        key="statut-elu",
        rubrique="actualite",
        kicker="Élus locaux",
        title="Statut de l’élu local : la proposition de loi revient au Sénat",
        author="Nadia Ferhat",
        tags=("Statut de l’élu", "Élus locaux", "Parlement"),
        lede="Indemnités, congés, reconversion : après son passage à l’Assemblée, le texte transpartisan revient en deuxième lecture au Sénat avec plusieurs points de désaccord.",
        body="""
## Ce que contient le texte

- une revalorisation des indemnités des maires des communes de moins de 20 000 habitants ;
- un congé électif porté à dix jours ;
- la validation des acquis de l’expérience pour les élus en fin de mandat ;
- une meilleure prise en charge des frais de garde d’enfants.

## Les points de désaccord

Les députés ont supprimé la possibilité, pour les conseils municipaux, de moduler à la baisse l’indemnité du maire. Les sénateurs souhaitent la rétablir.

## Un enjeu de recrutement

Le nombre de démissions de maires reste élevé en début de mandat. Les associations d’élus y voient une raison de plus d’adopter rapidement le texte, évoqué lors du [congrès des maires](art:congres-maires).
""",
    ),
]
