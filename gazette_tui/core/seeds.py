"""La Gazette des communes' public feeds, subscribed on first run (editable like any subscription)."""

from __future__ import annotations

GAZETTE = "https://www.lagazettedescommunes.com"

# (slug, title, rubrique): slugs from the site's public feed links.
_RUBRIQUES = [
    ("a-la-une", "À la une", "À la une"),
    ("actualite", "Actualité", "Actualité"),
    ("club-finances", "Club Finances", "Clubs"),
    ("club-rh", "Club RH", "Clubs"),
    ("club-technicites", "Club Techni.Cités", "Clubs"),
    ("club-prevention-securite", "Club Prévention-Sécurité", "Clubs"),
    ("droit-des-collectivites", "Droit des collectivités", "Droit"),
    ("actu-juridique", "Actu juridique", "Droit"),
    ("textes-officiels", "Textes officiels", "Droit"),
    ("reponses-ministerielles", "Réponses ministérielles", "Droit"),
    ("actu-emploi", "Actu emploi", "Emploi"),
]


def gazette_feeds() -> list[tuple[str, str, str]]:
    """(url, title, rubrique) for La Gazette des communes' main feed and its rubriques."""
    feeds = [(f"{GAZETTE}/feed/", "La Gazette des communes", "À la une")]
    feeds += [(f"{GAZETTE}/rubriques/{slug}/feed/", title, group) for slug, title, group in _RUBRIQUES]
    return feeds
