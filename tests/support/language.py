"""Is this text in one language? A word-list heuristic for the one-language tests.

What the app says must be all French or all English. Telling a language from a word needs care: many words
are both (« article », « date », « options », « page », « note »), our product terms are the same in both
(dossier, rubrique), proper names are French in both (La Gazette des communes), and code shows up inside
sentences (``gazette-tui login demo``, ``is:unread``, ``refresh.proxy``, ``--password-stdin``). So:

1. The text loses what is not prose: the proper names and product terms of :data:`ALLOWED` (whole words,
   any case), URLs, paths, commands (``gazette-tui`` and the arguments after it), options (``--help``,
   ``-o``), and every token that
   holds a digit or one of ``: . / _ = @ * < > [ ] { } + # \\ -`` joined to a letter (``is:unread``,
   ``ctrl+p``, ``HTTP/1.1``, ``textual-dark``), and words written in capitals (OR, NOT, HTTP, OPML).
2. What is left is cut into words, the apostrophe kept inside them (``l’article``, ``feed's``).
3. French shows by: a letter only French writes (é è ê à â ç ù û ô î ï ë ü œ), an elision (l’, d’, n’, s’,
   qu’… before a vowel), or one of :data:`FRENCH_WORDS`: common function words that are not English
   words (le, des, est, pas, pour…; « car », « son », « pour », « impossible » are left out, being English
   too).
4. English shows by: a possessive or a contraction (feed's, can't), or one of :data:`ENGLISH_WORDS`:
   common English words that French never uses (the, of, and, is, with, your, cannot, found…; « on »,
   « an », « plus », « a » are left out, being French too; key names such as enter, esc, tab, up, down are
   left out, the footer shows them in both languages).

Each finding is reported with the word that gave it away, so a failure names the string to translate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ALLOWED = (
    # Proper names: the sites, the products, the keyrings, the formats.
    "La Gazette des communes",
    "La Gazette de démonstration",
    "Gazette des communes",
    "La Gazette",
    "Secret Service",
    "macOS",
    "Windows",
    "Markdown",
    "JSON Feed",
    "RSS",
    "Atom",
    "Textual",
    "Retry-After",
    # Product terms, the same in both languages (La Gazette's own words for its sections and dossiers).
    "dossiers",
    "dossier",
    "rubriques",
    "rubrique",
)
FRENCH_WORDS = frozenset(
    """
    le la les des du de un une et est sont pas ne ou où dans avec sur sous par que qui quoi dont au aux
    ce cet cette ces sa ses leur leurs vous votre vos nous notre nos il elle ils elles se mais donc aucun
    aucune tout tous toute toutes rien encore peut doit sans chez vers depuis quand comme oui non lu lus
    ligne lignes fichier flux abonnement abonnements compte comptes mot passe touche touches recherche
    résultat afficher fermer ouvrir enregistrer supprimer connexion erreur suivant suivante vide ici puis
    tel quel quelle nouveau nouveaux nouvel nouvelle plein adresse adresses avant après entrée échap
    """.split()
)
ENGLISH_WORDS = frozenset(
    """
    the of and to is are was were be been being not for with without this that these those from your you
    we our it its or by at if all any into only more than then when which what there has have had will
    would can cannot could should must does did yet also about none each other such their they who how
    why where while out back again new open close save saved delete deleted error file folder password
    found shown please press choose link links here now no yes off first last next previous already
    unread read starred reserved feed feeds search results result subscribed subscription subscriptions
    account accounts login logged keys key quit theme screenshot help settings setting missing invalid
    unknown empty full text texts line lines
    """.split()
)
_FRENCH_LETTERS = re.compile(r"[éèêàâçùûôîïëüœ]", re.IGNORECASE)
_ELISION = re.compile(r"(?<![^\W\d_])(?:qu|[ldnsjcmt])['’](?=[aeiouyhàâéèêîôû])", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[^\W\d_](?:'|’)(?:s|t|re|ve|ll|d)\b", re.IGNORECASE)
_URL = re.compile(r"\b\w+://\S+")
_PATH = re.compile(r"(?<!\w)(?:~|\.{1,2})?/[^\s«»“”\"',;)]*")
_COMMAND = re.compile(
    r"gazette-tui(?:\s+(?:--?[\w-]+|[A-Z][A-Z.]+|\"[^\"]*\"|(?:login|logout|refresh|feeds|import|export|"
    r"search|show|alerts|dossiers|backup|repair|accounts|list|add|remove|seen|demo|demo-server|lagazette)\b))*"
)
_OPTION = re.compile(r"(?<!\w)--?[A-Za-z][\w-]*")
_CODE = re.compile(r"\S*(?:[\d:./_=@*<>\[\]{}+#\\]|(?<=\w)-(?=\w))\S*")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def prose(text: str, allowed: Iterable[str] = ()) -> str:
    """``text`` without what is not prose (see the module docstring, step 1)."""
    for name in sorted((*ALLOWED, *allowed), key=len, reverse=True):
        text = re.sub(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", " ", text, flags=re.IGNORECASE)
    for pattern in (_URL, _COMMAND, _PATH, _OPTION):
        text = pattern.sub(" ", text)
    text = _CODE.sub(" ", text)
    return " ".join(word for word in text.split() if not (word.isupper() and len(word) > 1))


def french_in(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The French that gives ``text`` away (meant to be English); empty when there is none."""
    body = prose(text, allowed)
    found = [m.group(0) for m in _ELISION.finditer(body)]
    for word in _WORD.findall(body):
        lowered = word.lower()
        if _FRENCH_LETTERS.search(lowered) or lowered in FRENCH_WORDS:
            found.append(word)
    return found


def english_in(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English that gives ``text`` away (meant to be French); empty when there is none."""
    body = prose(text, allowed)
    found = [m.group(0) for m in _POSSESSIVE.finditer(body)]
    found += [word for word in _WORD.findall(body) if word.lower() in ENGLISH_WORDS]
    return found


def other_language(text: str, language: str, allowed: Iterable[str] = ()) -> list[str]:
    """The words of the other language in ``text``, meant to be in ``language`` ("fr" or "en")."""
    return english_in(text, allowed) if language == "fr" else french_in(text, allowed)
