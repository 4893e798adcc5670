"""A synthetic corpus of French local-government news feeds, for the benchmarks.

Deterministic: feed ``n`` of seed ``s`` is always the same bytes, whatever the number of feeds asked for, so
the 200-feed refresh corpus is the first fifth of the 1000-feed search corpus. Every word here was written for
this project; no article is taken from a real site. Topics carry their own vocabulary so that a query term
matches a few percent of the articles, as in a real archive, rather than all of them.

Usage: ``python benchmarks/corpus.py OUT_DIR [--feeds N] [--items N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

GENERATOR_VERSION = 1
"""Bump when the output changes, so cached corpora are rebuilt."""

DEFAULT_SEED = 20240301
# The newest item of every feed is dated a little before this; fixed so Last-Modified never moves.
EPOCH = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)

# -- vocabulary ------------------------------------------------------------------------------------

PRENOMS = (
    "Claire Julien Nadia Thomas Sophie Karim Hélène Mathieu Aurélie Benoît Camille Frédéric Laure Olivier "
    "Inès Sébastien Élodie Yann Marion Rachid Agnès Nicolas Pauline Grégoire Chloé Antoine Léa Damien "
    "Émilie Stéphane Manon Cédric Anaïs Vincent Zoé Jérôme"
).split()
NOMS = (
    "Martin Bernard Dubois Lefèvre Moreau Laurent Girard Roux Fournier Mercier Blanc Guérin Faure André "
    "Chevalier Garnier Lambert Bonnet François Legrand Gauthier Perrin Robin Clément Morin Nicolas Henry "
    "Roussel Mathieu Gaillard Barbier Arnaud Marchand Duval Lemoine Benard Colin Vidal Caron Picard"
).split()

_PREFIXES = "Saint- Sainte- Villeneuve- Bourg- Val- Pont- Mont- Fontaine- Roche- Neuvy- Bois- Champ-".split()
_STEMS = (
    "Aubin Lucienne Mérac Vernay Castel Orvalle Brézolles Fréval Quincy Arlempdes Sorbiers Valmeuse "
    "Cernoy Lauzières Pradelles Montbrun Escales Ribeyre Tanargue Verchamp Oisellerie Chaumeil Rivel "
    "Estagel Corbières Lusigny Mareuil Vaudrey Bressolles Ternay"
).split()
_SUFFIXES = (
    "-les-Prés -en-Vallée -le-Haut -sur-Orne -la-Forêt -des-Champs -du-Lac -lès-Bains "
    "-sur-Mer -en-Forez -aux-Bois -le-Vieux"
).split()

TERRITOIRES = (
    "la métropole",
    "la communauté de communes",
    "la communauté d'agglomération",
    "le département",
    "la région",
    "le syndicat intercommunal",
    "la commune nouvelle",
    "le pôle d'équilibre territorial",
)

ACTEURS = (
    "le maire",
    "la maire",
    "la présidente de l'intercommunalité",
    "le président du conseil départemental",
    "la préfète",
    "le sous-préfet",
    "les agents territoriaux",
    "le directeur général des services",
    "l'adjointe aux finances",
    "la chambre régionale des comptes",
    "le syndicat mixte",
    "les élus de l'opposition",
    "le centre de gestion",
    "l'association des maires",
    "les habitants",
    "le tribunal administratif",
    "le Conseil d'État",
    "la ministre chargée des collectivités",
    "les représentants du personnel",
    "la cour administrative d'appel",
)

VERBES = (
    "a présenté",
    "envisage",
    "a voté",
    "conteste",
    "prépare",
    "finance",
    "a lancé",
    "réclame",
    "soutient",
    "examine",
    "a reporté",
    "met en œuvre",
    "a annulé",
    "a validé",
    "critique",
    "défend",
    "relance",
    "a simplifié",
)

LIENS = (
    "d'ici à la fin de l'année",
    "malgré la hausse des coûts de l'énergie",
    "en lien avec les services de l'État",
    "après une longue concertation",
    "selon un rapport publié jeudi",
    "dans le cadre de la loi 3DS",
    "sans attendre le décret d'application",
    "à la demande des associations locales",
    "au terme d'une séance animée",
    "faute de crédits suffisants",
    "avec le soutien de la Banque des territoires",
    "comme le prévoit le code général des collectivités territoriales",
    "en dépit des réserves du comptable public",
    "pour la troisième année consécutive",
)

OUVERTURES = (
    "Réuni en séance publique,",
    "Dans un communiqué diffusé lundi,",
    "Interrogé par nos soins,",
    "Lors du dernier conseil communautaire,",
    "Selon les chiffres de l'Insee,",
    "D'après une circulaire récente,",
    "Au cours d'une réunion publique,",
    "Dans une délibération adoptée mardi,",
    "En commission des finances,",
    "Devant le comité social territorial,",
)

CITATIONS = (
    "« Nous devons garantir la continuité du service public »",
    "« Les marges de manœuvre budgétaires se réduisent chaque année »",
    "« C'est un choix de responsabilité vis-à-vis des contribuables »",
    "« Les communes rurales ne doivent pas être oubliées »",
    "« Le dialogue avec les agents reste notre priorité »",
    "« Nous attendons des précisions de la préfecture »",
    "« Ce projet structurant transformera le quotidien des habitants »",
    "« La sécurité juridique de nos décisions est essentielle »",
)


@dataclass(frozen=True, slots=True)
class Topic:
    rubrique: str
    objets: tuple[str, ...]
    mots: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "Finances locales",
        (
            "le budget primitif",
            "une hausse de la taxe foncière",
            "la dotation globale de fonctionnement",
            "le plan pluriannuel d'investissement",
            "un emprunt de refinancement",
            "le compte financier unique",
        ),
        ("fiscalité", "dotation", "DGF", "épargne brute", "endettement", "trésorerie", "péréquation"),
    ),
    Topic(
        "Ressources humaines",
        (
            "le régime indemnitaire RIFSEEP",
            "le plan de recrutement des agents",
            "la réforme des retraites des fonctionnaires",
            "les lignes directrices de gestion",
            "le télétravail des agents",
            "la protection sociale complémentaire",
        ),
        ("recrutement", "contractuels", "titularisation", "absentéisme", "apprentissage", "mutuelle"),
    ),
    Topic(
        "Urbanisme",
        (
            "le plan local d'urbanisme intercommunal",
            "le schéma de cohérence territoriale",
            "l'objectif zéro artificialisation nette",
            "la révision du permis de construire",
            "une opération de revitalisation du centre-bourg",
        ),
        ("urbanisme", "foncier", "lotissement", "friches", "densification", "artificialisation"),
    ),
    Topic(
        "Eau et assainissement",
        (
            "le transfert de la compétence eau",
            "la station d'épuration",
            "le schéma directeur d'eau potable",
            "la tarification sociale de l'eau",
            "la lutte contre les fuites du réseau",
        ),
        ("eau potable", "assainissement", "sécheresse", "nappes phréatiques", "captage", "canalisations"),
    ),
    Topic(
        "Sécurité",
        (
            "la police municipale",
            "la vidéoprotection",
            "le conseil local de sécurité et de prévention de la délinquance",
            "une brigade de gendarmerie intercommunale",
            "l'armement des policiers municipaux",
        ),
        ("délinquance", "incivilités", "caméras", "gendarmerie", "tranquillité publique", "patrouilles"),
    ),
    Topic(
        "Éducation",
        (
            "la cantine scolaire",
            "la rénovation énergétique des écoles",
            "le projet éducatif territorial",
            "la carte scolaire",
            "les activités périscolaires",
        ),
        ("école", "enseignants", "restauration scolaire", "périscolaire", "collège", "fermeture de classe"),
    ),
    Topic(
        "Transition écologique",
        (
            "le contrat de relance et de transition écologique",
            "la zone à faibles émissions",
            "le plan climat-air-énergie territorial",
            "une centrale photovoltaïque communale",
            "la trame verte et bleue",
        ),
        (
            "climat",
            "biodiversité",
            "photovoltaïque",
            "sobriété énergétique",
            "mobilités douces",
            "méthanisation",
        ),
    ),
    Topic(
        "Action sociale",
        (
            "le centre communal d'action sociale",
            "une maison France services",
            "l'aide alimentaire d'urgence",
            "le revenu de solidarité active",
            "la politique du logement social",
        ),
        ("précarité", "logement social", "RSA", "insertion", "solidarité", "aidants"),
    ),
    Topic(
        "Commande publique",
        (
            "un marché public de restauration collective",
            "l'accord-cadre de travaux de voirie",
            "la délégation de service public",
            "le schéma de promotion des achats responsables",
            "une concession d'aménagement",
        ),
        ("marchés publics", "appel d'offres", "candidatures", "clause sociale", "attributaire", "avenant"),
    ),
    Topic(
        "Numérique",
        (
            "le schéma directeur numérique",
            "la cybersécurité des collectivités",
            "le déploiement de la fibre optique",
            "la dématérialisation des démarches",
            "l'ouverture des données publiques",
        ),
        ("cybersécurité", "rançongiciel", "fibre", "données", "inclusion numérique", "logiciel libre"),
    ),
    Topic(
        "Santé",
        (
            "un centre de santé municipal",
            "le contrat local de santé",
            "l'installation de médecins généralistes",
            "la prévention des risques psychosociaux",
        ),
        ("désert médical", "médecins", "santé publique", "prévention", "hôpital", "infirmiers"),
    ),
    Topic(
        "Transports",
        (
            "le réseau de transport à la demande",
            "la gratuité des bus",
            "le plan vélo intercommunal",
            "la réouverture d'une petite ligne ferroviaire",
        ),
        ("mobilité", "autocars", "covoiturage", "pistes cyclables", "gare", "versement mobilité"),
    ),
    Topic(
        "Culture et sport",
        (
            "la rénovation de la piscine intercommunale",
            "la médiathèque tête de réseau",
            "un festival d'été soutenu par la commune",
            "le plan de sauvegarde du patrimoine",
        ),
        ("piscine", "médiathèque", "patrimoine", "équipements sportifs", "festival", "associations"),
    ),
    Topic(
        "Démocratie locale",
        (
            "le budget participatif",
            "le statut de l'élu local",
            "la démission d'un conseiller municipal",
            "un référendum local",
            "la charte de déontologie des élus",
        ),
        ("démocratie", "citoyenneté", "élus locaux", "conseil municipal", "indemnités", "déontologie"),
    ),
    Topic(
        "Droit des collectivités",
        (
            "un décret relatif aux compétences intercommunales",
            "une réponse ministérielle sur les cimetières",
            "l'ordonnance sur la responsabilité des gestionnaires publics",
            "une jurisprudence sur les biens sans maître",
        ),
        ("décret", "ordonnance", "jurisprudence", "contentieux", "légalité", "Journal officiel"),
    ),
    Topic(
        "Voirie et réseaux",
        (
            "l'entretien de la voirie communale",
            "le déneigement des routes départementales",
            "l'extinction de l'éclairage public la nuit",
            "la réfection d'un pont communal",
        ),
        ("voirie", "éclairage public", "chaussée", "ouvrages d'art", "enrobé", "signalisation"),
    ),
    Topic(
        "Petite enfance",
        (
            "une nouvelle crèche intercommunale",
            "le relais petite enfance",
            "le service public de la petite enfance",
            "les assistantes maternelles",
        ),
        ("crèche", "petite enfance", "berceaux", "parentalité", "accueil du jeune enfant", "CAF"),
    ),
    Topic(
        "Funéraire",
        (
            "la reprise des concessions abandonnées",
            "un crématorium intercommunal",
            "le règlement du cimetière",
        ),
        ("cimetière", "concessions", "funéraire", "ossuaire", "columbarium", "inhumation"),
    ),
)

TITLE_TEMPLATES = (
    "{lieu} : {acteur} {verbe} {objet}",
    "{Objet} : {territoire} de {lieu} passe à l'action",
    "À {lieu}, {objet} divise les élus",
    "{Objet}, un casse-tête pour {territoire} de {lieu}",
    "Ce que change {objet} pour les communes",
    "{lieu} mise sur {objet}",
    "{Mot} : {lieu} fait figure d'exemple",
    "Pourquoi {acteur} {verbe} {objet}",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def commune(rng: random.Random) -> str:
    name = rng.choice(_STEMS)
    if rng.random() < 0.5:
        name = rng.choice(_PREFIXES) + name
    if rng.random() < 0.4:
        name += rng.choice(_SUFFIXES)
    return name


def _sentence(rng: random.Random, topic: Topic, lieu: str) -> str:
    kind = rng.random()
    objet = rng.choice(topic.objets)
    if kind < 0.45:
        opening, actor, verb = rng.choice(OUVERTURES), rng.choice(ACTEURS), rng.choice(VERBES)
        text = f"{opening} {actor} {verb} {objet} {rng.choice(LIENS)}."
    elif kind < 0.65:
        mots = rng.sample(topic.mots, 2)
        text = (
            f"À {lieu}, les sujets « {mots[0]} » et « {mots[1]} » reviennent "
            f"dans chaque réunion, {rng.choice(LIENS)}."
        )
    elif kind < 0.8:
        montant = rng.randint(2, 480) / 10
        text = (
            f"Le montant engagé pour {objet} atteint {montant:.1f} millions d'euros, "
            f"soit {rng.randint(3, 40)} % de plus que l'an dernier."
        )
    elif kind < 0.9:
        quote, first, last = rng.choice(CITATIONS), rng.choice(PRENOMS), rng.choice(NOMS)
        text = f"{quote}, résume {first} {last}, {rng.choice(ACTEURS)}."
    else:
        text = (
            f"{_cap(rng.choice(TERRITOIRES))} compte {rng.randint(3, 95)} communes et "
            f"{rng.randint(4, 300) * 1000} habitants ; {rng.choice(topic.mots)} y reste un sujet sensible."
        )
    return text


def _body_html(rng: random.Random, topic: Topic, lieu: str, target: int) -> str:
    parts: list[str] = []
    size = 0
    while size < target:
        roll = rng.random()
        if roll < 0.12 and parts:
            piece = f"<h2>{escape(_cap(rng.choice(topic.mots)))} : {escape(rng.choice(LIENS))}</h2>"
        elif roll < 0.2:
            items = "".join(f"<li>{escape(_cap(o))}</li>" for o in rng.sample(topic.objets, 3))
            piece = f"<ul>{items}</ul>"
        else:
            sentences = [_sentence(rng, topic, lieu) for _ in range(rng.randint(2, 4))]
            text = " ".join(escape(s) for s in sentences)
            if rng.random() < 0.3:
                mot = rng.choice(topic.mots)
                text += f" <strong>{escape(_cap(mot))}</strong> : un enjeu pour {escape(lieu)}."
            if rng.random() < 0.2:
                slug = rng.randint(1000, 99999)
                text += f' Voir aussi <a href="https://www.example.org/dossier/{slug}">notre dossier</a>.'
            piece = f"<p>{text}</p>"
        parts.append(piece)
        size += len(piece.encode())
    return "\n".join(parts)


def _title(rng: random.Random, topic: Topic, lieu: str) -> str:
    objet = rng.choice(topic.objets)
    return rng.choice(TITLE_TEMPLATES).format(
        lieu=lieu,
        acteur=rng.choice(ACTEURS),
        verbe=rng.choice(VERBES),
        objet=objet,
        Objet=_cap(objet),
        territoire=rng.choice(TERRITOIRES),
        Mot=_cap(rng.choice(topic.mots)),
    )


def feed_topic(index: int) -> Topic:
    return TOPICS[index % len(TOPICS)]


def feed_title(index: int) -> str:
    return f"{feed_topic(index).rubrique} — édition {index + 1:04d}"


def feed_name(index: int) -> str:
    return f"feed-{index + 1:04d}.xml"


def feed_last_modified(index: int) -> datetime:
    return EPOCH - timedelta(minutes=7 * index)


def _head(index: int, newest: datetime) -> str:
    home = feed_topic(index)
    slug = f"edition-{index + 1:04d}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "<channel>\n"
        f"<title>{escape(feed_title(index))}</title>\n"
        f"<link>https://www.example.org/{slug}/</link>\n"
        f"<description>Actualité des collectivités territoriales : {escape(home.rubrique.lower())}"
        "</description>\n<language>fr-FR</language>\n"
        f"<lastBuildDate>{format_datetime(newest, usegmt=True)}</lastBuildDate>\n"
    )


_TAIL = "</channel>\n</rss>\n"


def _item(rng: random.Random, index: int, article_id: int, when: datetime, seed: int) -> str:
    """One ``<item>``; draws from ``rng`` in a fixed order (the corpus's bytes depend on it)."""
    home = feed_topic(index)
    slug = f"edition-{index + 1:04d}"
    # Most articles are on the feed's topic; some wander, as in a real rubrique.
    topic = home if rng.random() < 0.7 else rng.choice(TOPICS)
    lieu = commune(rng)
    title = _title(rng, topic, lieu)
    author = f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}"
    link = f"https://www.example.org/{slug}/{article_id}/"
    categories = [topic.rubrique, *rng.sample(topic.mots, 2)]
    body = _body_html(rng, topic, lieu, rng.randint(3000, 4000))
    summary = _sentence(rng, topic, lieu)
    return (
        "<item>\n"
        f"<title>{escape(title)}</title>\n"
        f"<link>{link}</link>\n"
        f'<guid isPermaLink="false">urn:gazette-bench:{seed}:{article_id}</guid>\n'
        f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate>\n"
        f"<dc:creator>{escape(author)}</dc:creator>\n"
        + "".join(f"<category>{escape(c)}</category>\n" for c in categories)
        + f"<description>{escape(summary)}</description>\n"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>\n"
        "</item>\n"
    )


def _items(index: int, items: int, seed: int) -> list[str]:
    rng = random.Random(f"{seed}:{index}")
    out = []
    when = feed_last_modified(index)
    for number in range(items):
        out.append(_item(rng, index, (index + 1) * 100_000 + number, when, seed))
        when -= timedelta(minutes=rng.randint(20, 600))
    return out


def render_feed(index: int, items: int, seed: int = DEFAULT_SEED) -> bytes:
    """One RSS 2.0 document: ``items`` articles, newest first, ~3–4 KB of HTML each."""
    return (_head(index, feed_last_modified(index)) + "".join(_items(index, items, seed)) + _TAIL).encode()


UPDATE_SPACING = timedelta(minutes=45)


def update_last_modified(index: int, new: int) -> datetime:
    """When feed ``index`` published the newest of its ``new`` items: after the corpus epoch."""
    return EPOCH + timedelta(days=1) + new * UPDATE_SPACING - timedelta(minutes=7 * index)


def render_update(index: int, items: int, new: int, seed: int = DEFAULT_SEED) -> bytes:
    """Feed ``index`` a day later: ``new`` articles on top, the same ``items`` window (the oldest ``new``
    fall off the end, as a real feed's do). The articles kept are byte for byte those of
    :func:`render_feed`."""
    rng = random.Random(f"{seed}:{index}:update")
    newest = update_last_modified(index, new)
    fresh = [
        _item(rng, index, (index + 1) * 100_000 + 90_000 + n, newest - n * UPDATE_SPACING, seed)
        for n in range(new)
    ]
    kept = _items(index, items, seed)[: max(items - new, 0)]
    return (_head(index, newest) + "".join(fresh + kept) + _TAIL).encode()


def iter_feeds(feeds: int, items: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[int, bytes]]:
    for index in range(feeds):
        yield index, render_feed(index, items, seed)


# -- on disk ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Corpus:
    root: Path
    feeds: int
    items: int
    seed: int

    @property
    def feed_dir(self) -> Path:
        return self.root / "feeds"

    def names(self) -> list[str]:
        return [feed_name(i) for i in range(self.feeds)]

    def urls(self, base_url: str) -> list[str]:
        return [f"{base_url.rstrip('/')}/feeds/{name}" for name in self.names()]

    @property
    def articles(self) -> int:
        return self.feeds * self.items

    def size_bytes(self) -> int:
        return sum((self.feed_dir / name).stat().st_size for name in self.names())


def build(cache_dir: Path, feeds: int, items: int, seed: int = DEFAULT_SEED) -> Corpus:
    """The corpus for these parameters, generated once and then reused from ``cache_dir``."""
    root = cache_dir / f"corpus-v{GENERATOR_VERSION}-s{seed}-f{feeds}-i{items}"
    corpus = Corpus(root, feeds, items, seed)
    manifest = root / "manifest.json"
    if manifest.exists():
        return corpus
    corpus.feed_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1()
    for index, data in iter_feeds(feeds, items, seed):
        (corpus.feed_dir / feed_name(index)).write_bytes(data)
        digest.update(data)
    # Written last: its presence means the corpus is complete.
    manifest.write_text(
        json.dumps(
            {
                "feeds": feeds,
                "items": items,
                "seed": seed,
                "version": GENERATOR_VERSION,
                "sha1": digest.hexdigest(),
            }
        )
    )
    return corpus


def changed_feeds(corpus: Corpus, changed: int) -> list[int]:
    """``changed`` feeds spread evenly over the corpus (every tenth for 20 of 200)."""
    if changed <= 0:
        return []
    step = max(corpus.feeds // changed, 1)
    return list(range(0, corpus.feeds, step))[:changed]


def build_update(corpus: Corpus, changed: int, new: int) -> Path:
    """The typical day after: ``changed`` feeds with ``new`` articles each, in a folder of their own
    (``feeds/NAME``, the same URL paths as the corpus) that the server lays over the corpus. A
    ``mtimes.json`` beside gives each file its Last-Modified."""
    root = corpus.root.with_name(f"{corpus.root.name}-update-c{changed}-n{new}")
    manifest = root / "mtimes.json"
    if manifest.exists():
        return root
    (root / "feeds").mkdir(parents=True, exist_ok=True)
    mtimes = {}
    for index in changed_feeds(corpus, changed):
        (root / "feeds" / feed_name(index)).write_bytes(render_update(index, corpus.items, new, corpus.seed))
        mtimes[f"/feeds/{feed_name(index)}"] = int(update_last_modified(index, new).timestamp())
    manifest.write_text(json.dumps(mtimes))  # written last: its presence means the folder is complete
    return root


def write_urls(corpus: Corpus, base_url: str, path: Path) -> Path:
    """newsboat's urls file."""
    path.write_text("".join(f"{url}\n" for url in corpus.urls(base_url)))
    return path


def write_opml(corpus: Corpus, base_url: str, path: Path) -> Path:
    """An OPML 2.0 file for ``gazette-tui import``, feeds grouped by rubrique."""
    groups: dict[str, list[str]] = {}
    for index, url in enumerate(corpus.urls(base_url)):
        line = f'      <outline type="rss" text={quoteattr(feed_title(index))} xmlUrl={quoteattr(url)}/>\n'
        groups.setdefault(feed_topic(index).rubrique, []).append(line)
    body = "".join(
        f"    <outline text={quoteattr(rubrique)}>\n{''.join(lines)}    </outline>\n"
        for rubrique, lines in groups.items()
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n'
        "  <head><title>Corpus de banc d'essai gazette-tui</title></head>\n"
        f"  <body>\n{body}  </body>\n</opml>\n"
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    corpus = build(args.out, args.feeds, args.items, args.seed)
    print(
        f"{corpus.root}: {corpus.feeds} flux, {corpus.articles} articles, {corpus.size_bytes() / 1e6:.1f} Mo"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
