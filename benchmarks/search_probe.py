"""Search latency over a 100k-article cache: p50/p95 per query shape.

    /work/venv/bin/python benchmarks/search_probe.py [--articles 100000] [--db PATH] [--prefix-index]

Builds (once, if ``--db`` names a file that does not exist yet) a cache of generated French-ish local
government news through ``Store.record_success`` — the real write path — then times ``search_hits`` (top 50,
snippets included) for a set of query shapes. ``--prefix-index`` rebuilds the FTS table with
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


QUERIES = [
    "budget",
    "conseil municipal",
    "elus",
    '"démocratie participative"',
    "budget commune OR département",
    "budget -dette",
    "ré*",
    "con*",
    "tra*",
    "feed:rubrique",
    "rubrique:urbanisme",
    "tag:budget",
    "author:dupont",
    "is:unread",
    "is:starred",
    "after:7d",
    "after:2023-12-01 before:2024-01-01",
    "in:budget",
    "budget sort:date",
    "budget feed:3",
    "budget is:starred",
    "budget is:unread",
    "commune after:2024-01-01",
    "ramela",
    "-budget",
    "budget OR feed:7",
    "con* sort:date",
    "commune sort:date",
    "budget in:budget",
    "con* is:starred",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--prefix-index", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp(prefix="gazette-probe-")) / "gazette.db"
    if not path.exists():
        generate(path, args.articles)
    if args.prefix_index:
        add_prefix_index(path)
    with Store(path) as store:
        with store.reading() as c:
            size = c.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'").fetchone()[0]
        print(f"db {path}  FTS {size / 1e6:.1f} MB")
        print(f"{'query':40} {'hits':>5} {'p50 ms':>8} {'p95 ms':>8}")
        for text in QUERIES:
            timings = []
            hits = 0
            for _ in range(args.repeat):
                started = time.perf_counter()
                hits = len(search_hits(store, text, limit=50))
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            print(f"{text:40} {hits:5} {statistics.median(timings):8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
