"""A big cache made quickly through the store's real write path (``Store.record_batch`` with entries
already cleaned, as the parse workers hand them over): feeds of synthetic French local-government news,
whose topics fall on known articles, so that a test knows how many articles a query finds.

Article ``n`` (from 0) of the cache:

- is in feed ``n % feeds`` (titles « Flux 0 », « Flux 1 »…; feed 0 in the rubrique « Finances », the others
  in « Territoires »);
- is about ``TOPICS[n % len(TOPICS)]`` (its title and text hold that topic's words, and only those);
- is sponsored one time in :data:`SPONSORED_EVERY` (« Publi-reportage » in its title and the category
  « Partenaire »), whatever its topic;
- is published ``n`` minutes after :data:`BASE`.

The last feed also carries a copy (same link) of every :data:`COPY_EVERY`-th article of feed 0, stored after
all the others: the same article in two feeds, as La Gazette publishes one in its main feed and in a
rubrique's.
"""

from __future__ import annotations

from dataclasses import dataclass

from gazette_tui.core.storage.store import FeedUpdate, Store
from gazette_tui.models import ParsedEntry, ParsedFeed

BASE = 1_735_686_000  # 1 January 2025, 00:00 in Paris
TOPICS = (
    ("voirie", "Travaux de voirie à {lieu}", "La commune engage des travaux de voirie et de chaussée."),
    ("budget", "Budget primitif de {lieu}", "Le conseil municipal adopte le budget primitif et la dette."),
    ("école", "Rentrée scolaire à {lieu}", "Les écoles accueillent les élèves et la cantine rouvre."),
    ("eau", "Assainissement à {lieu}", "Le syndicat renouvelle le réseau d'eau potable."),
    ("urbanisme", "Plan local d'urbanisme de {lieu}", "Le PLU est révisé après l'enquête publique."),
)
LIEUX = ("Vernay", "Castel-sur-Orne", "Fréval", "Saint-Aubin-les-Prés", "Montbrun", "Lusigny")
SPONSORED_EVERY = 10
COPY_EVERY = 50
BATCH = 1_000


@dataclass(frozen=True, slots=True)
class BigCache:
    articles: int
    """Articles stored, copies excluded."""
    feed_ids: list[int]
    feed_urls: list[str]
    copies: int
    """Copies stored in the last feed (articles that are in two feeds)."""

    def topic_count(self, topic: int) -> int:
        """Articles of ``TOPICS[topic]``, copies excluded."""
        return len(range(topic, self.articles, len(TOPICS)))

    def sponsored(self) -> int:
        return len(range(0, self.articles, SPONSORED_EVERY))


def entry(n: int, key: str | None = None) -> ParsedEntry:
    word, title, text = TOPICS[n % len(TOPICS)]
    lieu = LIEUX[n % len(LIEUX)]
    sponsored = n % SPONSORED_EVERY == 0
    headline = title.format(lieu=lieu)
    if sponsored:
        headline = f"Publi-reportage : {headline}"
    categories = [word.capitalize(), *(["Partenaire"] if sponsored else [])]
    return ParsedEntry(
        key=key or f"a{n}",
        url=f"https://exemple.test/articles/{n}",
        title=headline,
        kicker="",
        author="Rédaction" if n % 3 else "Claire Martin",
        published=BASE + 60 * n,
        updated=None,
        categories=categories,
        summary_html="",
        content_html="",
        text=f"{text} Article n° {n}.",
        reserved=False,
        content_hash=f"h{n}",
    )


def fill_cache(
    store: Store, articles: int = 20_000, feeds: int = 4, base_url: str = "https://exemple.test"
) -> BigCache:
    """Subscribe ``feeds`` feeds and store ``articles`` articles spread over them (and the copies)."""
    urls = [f"{base_url}/flux/{k}/" for k in range(feeds)]
    store.add_feeds((url, f"Flux {k}", "Finances" if k == 0 else "Territoires") for k, url in enumerate(urls))
    ids = {state.url: state.id for state in store.feed_states()}
    feed_ids = [ids[url] for url in urls]
    for start in range(0, articles, BATCH):
        per_feed: dict[int, list[ParsedEntry]] = {}
        for n in range(start, min(start + BATCH, articles)):
            per_feed.setdefault(n % feeds, []).append(entry(n))
        updates = [FeedUpdate(feed_ids[k], ParsedFeed("rss", f"Flux {k}", "", found), None, None, None)
                   for k, found in per_feed.items()]  # fmt: skip
        store.record_batch(updates, when=BASE)
    copied = [entry(n, key=f"copie{n}") for n in range(0, articles, feeds * COPY_EVERY)]
    if copied:
        last = ParsedFeed("rss", f"Flux {feeds - 1}", "", copied)
        store.record_batch([FeedUpdate(feed_ids[-1], last, None, None, None)], when=BASE)
    return BigCache(articles, feed_ids, urls, len(copied))
