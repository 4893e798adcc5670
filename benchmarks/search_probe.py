"""Search latency over a 100k-article cache: p50/p95 per query shape.

    .venv/bin/python benchmarks/search_probe.py [--corpus zipf|common] [--articles 100000] [--db PATH]
        [--prefix-index] [--repeat 5] [--only SHAPE]

Builds (once, if ``--db`` names a file that does not exist yet) a cache of generated French-ish local
government news through ``Store.record_success`` — the real write path — then times ``search_hits`` (top 50,
snippets included) for a set of query shapes, and prints p50/p95/max per query, per shape and overall.
``--corpus zipf`` (the default): words on a Zipf curve, a topic word in a few percent of the articles;
``--corpus common``: the words queried are each in 30-60 % of the articles (the hard case).
``--prefix-index`` rebuilds the FTS table with
``prefix='2 3'`` first, to weigh that index's size against prefix-query speed.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gazette_tui.core.search.search import search_hits
from gazette_tui.core.storage.store import Store
from gazette_tui.models import ParsedEntry, ParsedFeed

COMMON = (
    "commune conseil municipal budget maire élus collectivité territoriale département région "
    "intercommunalité agent fonction publique recrutement marché public délibération préfet loi "
    "décret circulaire finances dotation fiscalité investissement urbanisme logement école "
    "cantine transport mobilité environnement énergie eau déchets voirie sécurité police santé "
    "social solidarité culture sport tourisme numérique données démocratie participative "
    "citoyens association habitants quartier projet réforme réglementation contrat concession "
    "subvention emprunt dette épargne recette dépense rapport chambre régionale comptes "
    "ministère gouvernement sénat assemblée nationale amendement vote élection scrutin mandat "
    "indemnité statut carrière rémunération formation retraite congé télétravail prévention "
    "risques incendie inondation climat transition rénovation bâtiment patrimoine foncier "
    "aménagement zone rurale urbaine métropole ville village"
).split()
STOP = (
    "le la les de des du un une et à en pour sur par avec dans au aux que qui ne pas plus est "
    "sont ce cette il elle ils leur son sa ses se a été être avoir fait comme mais ou où donc "
    "si tout tous même aussi entre après avant sous sans lors selon"
).split()
SYLLABLES = (
    "ra re ri ro ru ma me mi mo mu ta te ti to tu pa pe pi po pu la le li lo lu con pré dé tion ment".split()
)
AUTHORS = ["Marie Dupont", "Jean Lefèvre", "Hélène Martin", "Paul Écuyer", "Sophie Garnier", "Luc Moreau"]


def lexicon(rng: random.Random, size: int = 20_000) -> list[str]:
    """Zipf ranks as in real French news: function words first, then the domain's words, then a long tail
    of rarer (synthetic) words. "budget" lands in a few percent of the articles, not in all of them."""
    words = list(dict.fromkeys(STOP + COMMON))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def generate(path: Path, articles: int, feeds: int = 20, per_batch: int = 100) -> None:
    rng = random.Random(20240131)
    words = lexicon(rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    base = 1_700_000_000
    with Store(path) as store:
        feed_ids = [
            store.add_feed(
                f"http://127.0.0.1/flux/{n}", title=f"Rubrique {n} {COMMON[n]}", rubrique=f"Dossier {n % 4}"
            ).id
            for n in range(feeds)
        ]
        made = 0
        started = time.perf_counter()
        while made < articles:
            feed_id = feed_ids[(made // per_batch) % feeds]
            entries = []
            for offset in range(min(per_batch, articles - made)):
                n = made + offset
                topic = rng.sample(COMMON, 3)  # an article is about something: its topic words recur
                body = rng.choices(words, cum_weights=cumulative, k=rng.randint(50, 150))
                for _ in range(rng.randint(2, 6)):
                    body.insert(rng.randrange(len(body)), rng.choice(topic))
                title = " ".join([*topic[:2], *rng.choices(words, cum_weights=cumulative, k=4)]).capitalize()
                cats = [topic[0], rng.choice(COMMON[:30])]
                entries.append(
                    ParsedEntry(
                        key=f"a{n}",
                        url=f"http://127.0.0.1/a/{n}",
                        title=title,
                        kicker=cats[0],
                        author=rng.choice(AUTHORS),
                        published=base + n * 300 + rng.randint(-20000, 20000),
                        updated=None,
                        categories=cats,
                        summary_html="",
                        content_html="",
                        text=" ".join(body) + ".",
                        reserved=rng.random() < 0.1,
                        content_hash=f"h{n}",
                    )
                )
            store.record_success(feed_id, ParsedFeed("rss", "", "", entries), when=base + made)
            made += len(entries)
        ids = store.article_ids()
        store.set_read(ids[len(ids) // 10 :])
        for article_id in ids[::97]:
            store.set_starred(article_id, True)
        dossier_id = store.dossiers.create("Budget primitif", "", 0)
        for article_id in ids[::500]:
            store.dossiers.add_item(dossier_id, article_id, "", 0)
        print(f"built {articles} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)


# The common-words corpus: the vocabulary of local-government news where each of these words is found in 30 to
# 60 % of the articles (as « commune » or « budget » are in a real cache of that press), with families that
# share a prefix (école, écoles, écologie, écologique…), so that prefixes of every length cover several.
COMMON_WORDS = (
    "commune communes communal communale communauté communautaire intercommunalité intercommunal "
    "conseil conseiller conseillers municipal municipale municipalité municipaux budget budgétaire "
    "budgétaires maire maires élus école écoles écologie écologique assainissement département "
    "départemental région régional délibération finances financement dotation investissement urbanisme "
    "logement transport énergie eau déchets voirie sécurité santé social culture sport numérique "
    "démocratie participative citoyens habitants projet projets réforme contrat subvention dette recette "
    "dépense rapport préfet loi décret agent agents recrutement formation transition rénovation climat"
).split()
PAIRS = [("conseil", "municipal"), ("démocratie", "participative"), ("transition", "écologique")]


def generate_common(path: Path, articles: int, feeds: int = 20, per_batch: int = 100) -> None:
    """Every word of COMMON_WORDS is in 30-60 % of the articles (1-3 times), over a Zipf background; dates
    run through 2025; unread articles are the newest 8 % plus 2 % scattered over the whole cache."""
    rng = random.Random(20250101)
    words = lexicon(rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    frequency = {word: rng.uniform(0.3, 0.6) for word in COMMON_WORDS}
    base = 1_735_689_600  # 2025-01-01
    with Store(path) as store:
        feed_ids = [
            store.add_feed(
                f"http://127.0.0.1/flux/{n}", title=f"Rubrique {n} {COMMON[n]}", rubrique=f"Dossier {n % 4}"
            ).id
            for n in range(feeds)
        ]
        made = 0
        started = time.perf_counter()
        while made < articles:
            feed_id = feed_ids[(made // per_batch) % feeds]
            entries = []
            for offset in range(min(per_batch, articles - made)):
                n = made + offset
                present = [w for w in COMMON_WORDS if rng.random() < frequency[w]]
                body = rng.choices(words, cum_weights=cumulative, k=rng.randint(50, 150))
                for word in present:
                    for _ in range(rng.randint(1, 3)):
                        body.insert(rng.randrange(len(body) + 1), word)
                for first, second in PAIRS:
                    if rng.random() < 0.3:
                        at = rng.randrange(len(body) + 1)
                        body[at:at] = [first, second]
                topic = rng.sample(present or COMMON_WORDS, min(2, len(present) or 2))
                title = " ".join([*topic, *rng.choices(words, cum_weights=cumulative, k=4)]).capitalize()
                cats = [topic[0], rng.choice(COMMON_WORDS)]
                entries.append(
                    ParsedEntry(
                        key=f"a{n}",
                        url=f"http://127.0.0.1/a/{n}",
                        title=title,
                        kicker=cats[0],
                        author=rng.choice(AUTHORS),
                        published=base + n * 300 + rng.randint(-20000, 20000),
                        updated=None,
                        categories=cats,
                        summary_html="",
                        content_html="",
                        text=" ".join(body) + ".",
                        reserved=rng.random() < 0.1,
                        content_hash=f"h{n}",
                    )
                )
            store.record_success(feed_id, ParsedFeed("rss", "", "", entries), when=base + made)
            made += len(entries)
        ids = store.article_ids()
        newest = set(ids[: len(ids) * 8 // 100])  # ids come newest first
        scattered = set(rng.sample(ids, len(ids) // 50))
        store.set_read([i for i in ids if i not in newest and i not in scattered])
        for article_id in ids[::97]:
            store.set_starred(article_id, True)
        dossier_id = store.dossiers.create("Budget primitif", "", 0)
        for article_id in ids[::500]:
            store.dossiers.add_item(dossier_id, article_id, "", 0)
        print(f"built {articles} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def add_prefix_index(path: Path) -> None:
    with Store(path) as store:
        c = store.connection  # executescript commits as it goes: the writer itself, outside a transaction
        before = c.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'").fetchone()[0]
        c.executescript(
            "CREATE VIRTUAL TABLE fts_new USING fts5(title, author, categories, body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
            "INSERT INTO fts_new (rowid, title, author, categories, body) "
            "SELECT rowid, title, author, categories, body FROM articles_fts;"
            "DROP TABLE articles_fts; ALTER TABLE fts_new RENAME TO articles_fts;"
            "INSERT INTO articles_fts (articles_fts) VALUES ('optimize');"
        )
        after = c.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'").fetchone()[0]
        print(f"FTS size {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB with prefix='2 3'", file=sys.stderr)


# (shape, query). The Zipf corpus: dates from November 2023 to October 2024; the common one: 2025.
ZIPF_QUERIES = [
    ("word", "budget"),
    ("word", "elus"),
    ("word", "ramela"),
    ("words", "conseil municipal"),
    ("phrase", '"démocratie participative"'),
    ("or", "budget commune OR département"),
    ("not", "budget -dette"),
    ("prefix", "ré*"),
    ("prefix", "con*"),
    ("prefix", "tra*"),
    ("prefix", "conse*"),
    ("prefix", "recrut*"),
    ("prefix", "municip*"),
    ("prefix", "fonctionn*"),
    ("prefix", "assainiss*"),
    ("prefix", "intercommuna*"),
    ("field", "tag:budget"),
    ("field", "author:dupont"),
    ("filter only", "feed:rubrique"),
    ("filter only", "rubrique:urbanisme"),
    ("filter only", "is:unread"),
    ("filter only", "is:starred"),
    ("filter only", "after:7d"),
    ("filter only", "after:2023-12-01 before:2024-01-01"),
    ("filter only", "in:budget"),
    ("filter only", "-budget"),
    ("filter only", "budget OR feed:7"),
    ("word + filter", "budget feed:3"),
    ("word + filter", "budget is:starred"),
    ("word + filter", "budget is:unread"),
    ("word + filter", "commune after:2024-01-01"),
    ("word + filter", "budget in:budget"),
    ("word + filter", "con* is:starred"),
    ("word + filter", "municip* after:2024-06-01"),
    ("sort:date", "budget sort:date"),
    ("sort:date", "con* sort:date"),
    ("sort:date", "commune sort:date"),
    ("sort:date", "municip* sort:date"),
]
COMMON_QUERIES = [
    ("word", "commune"),
    ("word", "budget"),
    ("word", "élus"),
    ("word", "ramela"),
    ("words", "conseil municipal"),
    ("words", "école transport énergie"),
    ("phrase", '"conseil municipal"'),
    ("phrase", '"démocratie participative"'),
    ("phrase", '"conseil munic"*'),
    ("or", "budget commune OR département"),
    ("or", "(école OR logement) subvention"),
    ("not", "budget -dette"),
    ("not", "commune -budget -école"),
    ("prefix", "co*"),
    ("prefix", "com*"),
    ("prefix", "comm*"),
    ("prefix", "commu*"),
    ("prefix", "commun*"),
    ("prefix", "écol*"),
    ("prefix", "municip*"),
    ("prefix", "budgétai*"),
    ("prefix", "assainiss*"),
    ("prefix", "départemen*"),
    ("prefix", "intercommuna*"),
    ("prefix", "écol* budget"),
    ("field", "tag:budget"),
    ("field", "author:dupont"),
    ("field", "author:dup* commune"),
    ("filter only", "is:unread"),
    ("filter only", "after:2025-12-01"),
    ("filter only", "-budget"),
    ("filter only", "budget OR feed:7"),
    ("word + filter", "is:unread commune"),
    ("word + filter", "budget after:2025-10-01"),
    ("word + filter", "is:starred budget"),
    ("word + filter", "feed:3 commune"),
    ("word + filter", "in:budget commune"),
    ("word + filter", 'rubrique:"Dossier 1" budget'),
    ("word + filter", "commune before:2025-03-01"),
    ("word + filter", "on:2025-06 budget école"),
    ("word + filter", "écol* is:unread"),
    ("word + filter", "municip* after:2025-06-01 before:2025-07-01"),
    ("sort:date", "sort:date budget"),
    ("sort:date", "commune sort:date"),
    ("sort:date", "écol* sort:date"),
    ("sort:date", "assainiss* sort:date"),
    ("sort:date", "budget is:unread sort:date"),
    ("sort:date", "commune feed:3 sort:date"),
    ("sort:date", "budget -dette sort:date"),
    ("sort:date", '"conseil municipal" after:2025-06-01 sort:date'),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", choices=("zipf", "common"), default="zipf")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--prefix-index", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", help="run only the queries of this shape")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp(prefix="gazette-probe-")) / "gazette.db"
    if not path.exists():
        (generate_common if args.corpus == "common" else generate)(path, args.articles)
    if args.prefix_index:
        add_prefix_index(path)
    queries = COMMON_QUERIES if args.corpus == "common" else ZIPF_QUERIES
    if args.only:
        queries = [(shape, text) for shape, text in queries if shape == args.only]
    with Store(path) as store:
        with store.reading() as c:
            size = c.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'").fetchone()[0]
        print(f"db {path}  corpus {args.corpus}  FTS {size / 1e6:.1f} MB")
        print(f"{'shape':14} {'query':46} {'hits':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        by_shape: dict[str, list[float]] = {}
        for shape, text in queries:
            search_hits(store, text, limit=50)  # warms SQLite's cache
            timings = []
            hits = 0
            for _ in range(args.repeat):
                started = time.perf_counter()
                hits = len(search_hits(store, text, limit=50))
                timings.append((time.perf_counter() - started) * 1000)
            by_shape.setdefault(shape, []).extend(timings)
            print(
                f"{shape:14} {text:46} {hits:5} {statistics.median(timings):8.1f} "
                f"{percentile(timings, 0.95):8.1f} {max(timings):8.1f}"
            )
        print()
        every = [t for timings in by_shape.values() for t in timings]
        for shape, timings in [*by_shape.items(), ("all", every)]:
            print(
                f"{shape:14} p50 {statistics.median(timings):7.1f}  p95 {percentile(timings, 0.95):7.1f}  "
                f"max {max(timings):7.1f} ms"
            )


if __name__ == "__main__":
    main()
