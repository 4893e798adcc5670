"""HTML pages of the demo site. They imitate a real news site's layout (header, navigation, aside, footer
around one <article>) so that full-text extraction is tested on something that looks like the real thing."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from gazette_tui.demo.content import DOSSIERS, RUBRIQUES, RUBRIQUES_BY_SLUG, SITE_TITLE, DemoArticle

RESERVED_NOTICE = "Cet article est réservé aux abonnés"
LOGIN_FAILED = "Identifiant et/ou mot de passe non valides"
EMAIL_INVALID = "Nous n'avons pas reconnu votre email, veuillez indiquer un email valide"
RESET_SENT = "Un message avec vos codes d'accès vous a été envoyé par mail"
SIGNUP_CLOSED = "Les inscriptions sont fermées sur le site de démonstration."


def _t(text: str) -> str:
    """Escape for a text node; apostrophes stay as typed so messages read (and match) as written."""
    return escape(text, quote=False)


def _a(text: str) -> str:
    return escape(text, quote=True)


def date_fr(article: DemoArticle) -> str:
    return article.published.strftime("%d/%m/%Y")


def layout(
    title: str,
    main: str,
    *,
    user: str | None = None,
    aside: str = "",
    head: str = "",
    status_note: str = "",
) -> str:
    """The page shell: every page of the site shares it, as on a real news site."""
    nav = "".join(f'<li><a href="/rubriques/{r.slug}/">{_t(r.title)}</a></li>' for r in RUBRIQUES)
    account = (
        f'<span class="user">{_t(user)}</span> · <a href="/deconnexion/">Se déconnecter</a>'
        if user
        else '<a href="/connexion/">Se connecter</a> · <a href="/inscription/">S’abonner</a>'
    )
    note = f'<p class="notice">{_t(status_note)}</p>' if status_note else ""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_t(title)} - {_t(SITE_TITLE)}</title>
<link rel="stylesheet" href="/static/gazette.css">
<link rel="alternate" type="application/rss+xml" title="{_a(SITE_TITLE)}" href="/feed/">
{head}
</head>
<body>
<header class="site-header">
<div class="brand"><a href="/">{_t(SITE_TITLE)}</a></div>
<div class="account">{account}</div>
<nav class="rubriques" aria-label="Rubriques"><ul>{nav}</ul></nav>
</header>
<div class="page">
<main id="contenu">
{note}
{main}
</main>
{aside}
</div>
<footer class="site-footer">
<p>{_t(SITE_TITLE)} est un site fictif servi localement par gazette-tui pour la démonstration et les tests.
Tous les articles, noms et chiffres sont inventés.</p>
<ul><li><a href="/feeds.opml">Liste des flux (OPML)</a></li><li><a href="/feed/">Flux RSS</a></li>
<li><a href="/mentions-legales/">Mentions légales</a></li></ul>
</footer>
</body>
</html>
"""


def _teaser(article: DemoArticle) -> str:
    lock = ' <span class="abo">Abonnés</span>' if article.reserved else ""
    return (
        f'<li class="teaser"><span class="kicker">{_t(article.kicker)}</span> '
        f'<a href="{_a(article.path)}">{_t(article.title)}</a>{lock}'
        f' <time datetime="{article.published.isoformat()}">{date_fr(article)}</time></li>'
    )


def related_aside(article: DemoArticle, others: Sequence[DemoArticle]) -> str:
    same = [a for a in others if a.id != article.id and a.rubrique == article.rubrique][:4]
    dossier_links = "".join(
        f'<li><a href="/dossiers/{d.slug}/">{_t(d.title)}</a></li>'
        for d in DOSSIERS
        if d.slug in article.dossiers
    )
    dossiers = f'<h2>Dans le dossier</h2><ul class="dossiers">{dossier_links}</ul>' if dossier_links else ""
    return (
        '<aside class="sidebar"><section class="related"><h2>À lire aussi</h2>'
        f"<ul>{''.join(_teaser(a) for a in same)}</ul></section>{dossiers}"
        '<section class="newsletter"><h2>Newsletter</h2><p>Recevez chaque matin l’essentiel de l’actualité'
        " territoriale (fonction désactivée sur le site de démonstration).</p></section></aside>"
    )


def article_page(
    article: DemoArticle, body_html: str, *, full: bool, user: str | None, others: Sequence[DemoArticle]
) -> str:
    """The article page; ``full`` is false for a subscriber-only article seen without a session."""
    rubrique = RUBRIQUES_BY_SLUG[article.rubrique]
    if full:
        body = f'<div class="article-body">{body_html}</div>'
    else:
        body = (
            f'<div class="paywall"><p><strong>{_t(RESERVED_NOTICE)}.</strong></p>'
            f'<p>Déjà abonné ? <a href="/connexion/?redirect={_a(article.path)}">Connectez-vous</a> '
            "pour lire la suite. Pas encore abonné ? "
            '<a href="/inscription/">Découvrez nos offres</a>.</p></div>'
        )
    tags = "".join(f'<li class="tag">{_t(t)}</li>' for t in article.tags)
    iso = article.published.isoformat()
    head = (
        f'<meta name="description" content="{_a(article.lede)}">\n'
        f'<meta name="author" content="{_a(article.author)}">\n'
        f'<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{_a(article.title)}">\n'
        f'<meta property="article:published_time" content="{iso}">\n'
        f'<meta property="article:section" content="{_a(rubrique.title)}">\n'
        f'<link rel="canonical" href="{_a(article.path)}">'
    )
    main = f"""<nav class="breadcrumb"><a href="/">Accueil</a> › <a href="/rubriques/{rubrique.slug}/">{_t(rubrique.title)}</a></nav>
<article class="article{" article--abonnes" if article.reserved else ""}" data-id="{article.id}">
<header>
<p class="kicker">{_t(article.kicker)}</p>
<h1>{_t(article.title)}</h1>
<p class="meta">Publié le <time datetime="{iso}">{date_fr(article)}</time> • Par <span class="author">{_t(article.author)}</span></p>
</header>
<div class="chapo">{article.lede_html()}</div>
{body}
<footer class="article-footer"><ul class="tags">{tags}</ul></footer>
</article>
<section class="share"><p>Partager : <a href="#">Courriel</a> · <a href="#">Imprimer</a></p></section>"""  # noqa: E501
    return layout(article.title, main, user=user, aside=related_aside(article, others), head=head)


def listing_page(title: str, intro: str, items: Sequence[DemoArticle], *, user: str | None, feed: str) -> str:
    """Front page, rubrique and dossier pages: a list of teasers with the feed's address."""
    teasers = "".join(
        f'<article class="teaser"><p class="kicker">{_t(a.kicker)}</p>'
        f'<h2><a href="{_a(a.path)}">{_t(a.title)}</a></h2>'
        f'<p class="meta">{date_fr(a)} • {_t(a.author)}{" • Abonnés" if a.reserved else ""}</p>'
        f"<p>{_t(a.lede)}</p></article>"
        for a in items
    )
    main = (
        f"<h1>{_t(title)}</h1><p class='intro'>{_t(intro)}</p>"
        f'<p class="feed"><a href="{_a(feed)}">S’abonner au flux RSS</a></p>{teasers}'
    )
    dossiers = "".join(f'<li><a href="/dossiers/{d.slug}/">{_t(d.title)}</a></li>' for d in DOSSIERS)
    aside = f'<aside class="sidebar"><h2>Dossiers</h2><ul>{dossiers}</ul></aside>'
    return layout(title, main, user=user, aside=aside)


def login_page(*, message: str = "", email: str = "", redirect: str = "/", user: str | None = None) -> str:
    error = f'<p class="error" role="alert">{_t(message)}</p>' if message else ""
    main = f"""<h1>Connexion à votre compte</h1>
{error}
<form class="login" method="post" action="/svc.php/user/index">
<input type="hidden" name="redirect" value="{_a(redirect)}">
<p><label for="login">Adresse email</label> <input type="email" id="login" name="login" value="{_a(email)}" required></p>
<p><label for="password">Mot de passe</label> <input type="password" id="password" name="password" required></p>
<p><button type="submit">Se connecter</button></p>
</form>
<p><a href="/connexion/mot-de-passe-oublie/">Mot de passe oublié ?</a> · <a href="/inscription/">Créer un compte</a></p>"""  # noqa: E501
    return layout("Connexion", main, user=user)


def reset_page(*, message: str = "", user: str | None = None) -> str:
    note = f'<p class="notice" role="status">{_t(message)}</p>' if message else ""
    main = f"""<h1>Mot de passe oublié</h1>
{note}
<form class="reset" method="post" action="/svc.php/user/reset">
<p><label for="login">Adresse email</label> <input type="email" id="login" name="login" required></p>
<p><button type="submit">Recevoir mes codes d’accès</button></p>
</form>"""
    return layout("Mot de passe oublié", main, user=user)


def signup_page(*, message: str = "", user: str | None = None) -> str:
    note = f'<p class="notice" role="status">{_t(message)}</p>' if message else ""
    main = f"""<h1>Créer un compte</h1>
{note}
<p>Abonnez-vous pour lire tous les articles réservés aux abonnés.</p>
<form class="signup" method="post" action="/svc.php/user/register">
<p><label for="email">Adresse email</label> <input type="email" id="email" name="login" required></p>
<p><label for="password">Mot de passe</label> <input type="password" id="password" name="password" required></p>
<p><button type="submit">Créer mon compte</button></p>
</form>"""  # noqa: E501
    return layout("Inscription", main, user=user)


def simple_page(title: str, text: str, *, user: str | None = None) -> str:
    return layout(title, f"<h1>{_t(title)}</h1><p>{_t(text)}</p>", user=user)


def placeholder_svg(name: str) -> str:
    """A neutral illustration for <figure>s: the demo bundles no photographs."""
    label = _t(name.rsplit(".", 1)[0].replace("-", " "))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 800 450">'
        '<rect width="800" height="450" fill="#d8e2ea"/><circle cx="640" cy="110" r="60" fill="#f2d28b"/>'
        '<path d="M0 360 L220 220 L400 330 L560 250 L800 380 L800 450 L0 450 Z" fill="#8aa5b8"/>'
        f'<text x="24" y="430" font-family="sans-serif" font-size="22" fill="#2d3e4c">{label}</text></svg>'
    )
