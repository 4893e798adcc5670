"""Errors are codes and parameters, said in the language of whoever reads them (``gazette_tui/errors.py``).

Every code the package raises is in the registry, with both translations; a message survives the trips it
makes (the database, a worker process); code tells errors apart by their code, never by their sentence."""

from __future__ import annotations

import ast
import inspect
import pickle
import pkgutil
import re
from importlib import import_module
from pathlib import Path

import pytest
from support.feeds import item_xml, rss

import gazette_tui
from gazette_tui import i18n
from gazette_tui.core.accounts.accounts import LoginError
from gazette_tui.core.feeds.fetch import FetchFailure
from gazette_tui.core.feeds.parse_pool import parse_job
from gazette_tui.core.library import dossiers
from gazette_tui.core.search.query import parse
from gazette_tui.core.search.search import search_hits, tidy_snippet
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import MESSAGES, GazetteError, Message, QueryError, message, stored_text
from gazette_tui.models import Article

PACKAGE = Path(gazette_tui.__file__).parent
PLACEHOLDER = re.compile(r"\{(\w+)(?::n)?\}")


def error_classes() -> set[str]:
    """The names of every GazetteError subclass in the package (the UI's modules too)."""
    names = {"GazetteError"}
    for module in pkgutil.walk_packages(gazette_tui.__path__, "gazette_tui."):
        for obj in vars(import_module(module.name)).values():
            if inspect.isclass(obj) and issubclass(obj, GazetteError):
                names.add(obj.__name__)
    return names


def constructions() -> list[tuple[str, ast.Call]]:
    """Every call that makes an error of ours or a :func:`message`, with where it is."""
    classes = error_classes() | {"message"}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in classes:
                    found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", node))
    return found


def test_every_error_is_made_from_a_known_code() -> None:
    """No sentence is built where an error is raised: the first argument is a code of the registry (or a
    variable holding one, never an f-string or a concatenation)."""
    made = constructions()
    assert len(made) > 150  # guards the scanner
    unknown, built = [], []
    for where, call in made:
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if first.value not in MESSAGES:
                unknown.append((where, first.value))
        elif first is None or isinstance(first, ast.JoinedStr | ast.BinOp):
            built.append(where)
    assert unknown == []
    assert built == []


def test_every_code_is_said_in_both_languages_with_the_same_placeholders() -> None:
    french = i18n.catalogue("fr")
    for code, template in MESSAGES.items():
        forms = template if isinstance(template, tuple) else (template,)
        for form in forms:
            if isinstance(template, tuple):
                translated = french.ngettext(template[0], template[1], 2 if form == template[1] else 1)
            else:
                translated = french.gettext(form)
            words = re.search(r"[a-z]{3,}", PLACEHOLDER.sub("", form))  # not only "HTTP {status}"
            assert translated != form or not words, code
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(translated)), code
            grouped = re.compile(r"\{\w+:n\}")
            assert sorted(grouped.findall(form)) == sorted(grouped.findall(translated)), code


def test_str_is_the_current_language_and_text_any_other() -> None:
    error = QueryError("query.unclosed_quote", 12)
    assert error.code == "query.unclosed_quote"
    assert error.position == 12
    assert str(error).startswith("Guillemet non fermé")
    i18n.set_language("en")
    assert str(error) == 'Unclosed quote: add “"” at the end of the exact phrase.'
    assert error.text("fr").startswith("Guillemet non fermé\u00a0:")


def test_a_reason_inside_a_sentence_is_said_in_the_same_language(tmp_path: Path) -> None:
    from gazette_tui.core.files import write_atomic
    from gazette_tui.errors import WriteError

    with pytest.raises(WriteError) as raised:
        write_atomic(tmp_path / "absent" / "x.md", "texte")
    assert raised.value.code == "file.write_failed"
    assert raised.value.text("en").startswith(f"Cannot write {tmp_path}/absent/x.md: the folder ")
    assert raised.value.text("en").endswith(" does not exist; nothing was changed.")
    assert raised.value.text("fr").endswith(" n’existe pas\u00a0; rien n’a été modifié.")


def test_counts_get_the_language_s_thousands_separator() -> None:
    error = QueryError("query.too_long", 2000, length=20_000, max=2000)
    assert error.text("fr") == "Requête trop longue (20\u00a0000 caractères\u00a0; 2\u00a0000 au plus)."
    assert error.text("en") == "Query too long (20,000 characters; 2,000 at most)."
    assert i18n.format_number(999, "fr") == "999"
    assert i18n.format_number(1_234_567, "fr") == "1\u00a0234\u00a0567"
    i18n.set_language("fr")
    assert (
        i18n.plural(20_000, "{count} new article", "{count} new articles") == "20\u00a0000 nouveaux articles"
    )


def test_query_errors_keep_their_position_in_both_languages() -> None:
    with pytest.raises(QueryError) as raised:
        parse('budget "conseil')
    assert (raised.value.code, raised.value.position) == ("query.unclosed_quote", 7)
    with pytest.raises(QueryError) as raised:
        parse("titre:budget")
    assert raised.value.code == "query.unknown_filter"
    assert raised.value.text("en").startswith("Unknown filter “titre:” (filters: feed:, rubrique:")
    assert raised.value.text("fr").startswith("Filtre inconnu «\u00a0titre:\u00a0» (filtres\u00a0: feed:")


def test_a_feed_error_is_stored_as_a_code_and_read_in_the_reader_s_language(store: Store) -> None:
    feed = store.add_feed("https://example.test/feed/", "Kilo")
    store.record_failure(feed.id, message("fetch.wait_unreadable", status="503"))
    stored = store.connection.execute("SELECT last_error FROM feeds WHERE id = ?", (feed.id,)).fetchone()[0]
    assert Message.loads(stored) == message("fetch.wait_unreadable", status="503")
    assert store.feeds()[0].last_error == (
        "HTTP 503\u00a0: le serveur demande d’attendre (délai Retry-After illisible, ignoré)"
    )
    i18n.set_language("en")
    assert (
        store.feeds()[0].last_error
        == "HTTP 503: the server asks us to wait (unreadable Retry-After, ignored)"
    )
    store.record_failure(feed.id, "Le serveur a répondu 500.")  # a sentence stored before codes: as it was
    assert store.feeds()[0].last_error == "Le serveur a répondu 500."


def test_stored_messages_are_read_back_whole_or_not_at_all() -> None:
    nested = message("settings.problem", where=message("settings.at_line", path=Path("/c.toml"), line=3),
                     problem=message("proxy.scheme"))  # fmt: skip
    assert Message.loads(nested.dumps()) == nested
    assert stored_text(nested.dumps()) == nested.text()
    assert stored_text(None) is None
    assert stored_text("{pas du json") == "{pas du json"
    assert stored_text('{"code": "a.code.of.a.later.version"}') == "a.code.of.a.later.version"
    with pytest.raises(KeyError, match="unknown message code"):
        message("no.such.code")


def test_errors_cross_a_process_boundary_whole() -> None:
    for error in (
        QueryError("query.too_deep", 16, max=16),
        LoginError("login.credentials", "credentials"),
        FetchFailure("fetch.gone", disable=True),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert (type(copy), copy.code, dict(copy.params), copy.__dict__.keys()) == (
            type(error), error.code, dict(error.params), error.__dict__.keys(),
        )  # fmt: skip
        assert str(copy) == str(error)
    parsed = parse_job(b"<html><body>pas un flux</body></html>", "https://example.test/", "text/html")
    assert parsed == message("feed.html_page")


def test_errors_are_told_apart_by_code_never_by_sentence() -> None:
    """The login dialog compared a sentence to NETWORK_DOWN; nothing compares an error's text any more."""
    compared = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"str\((?:error|exc|e|failure|problem)\)\s*(?:==|!=|\.startswith)", source):
            compared.append(f"{path.relative_to(PACKAGE)}: {match.group(0)}")
        compared += [f"{path.relative_to(PACKAGE)}: message.startswith" for _ in re.finditer(
            r"message\.startswith\(\"", source)]  # fmt: skip
    assert compared == []


def test_a_snippet_reads_like_the_text_without_the_tags_spaces(store: Store) -> None:
    """The index turns inline tags into spaces (« <em>standard</em>. » is « standard . »): the snippet
    shows « standard. », and the words found stay highlighted; the stored text is not changed."""
    from gazette_tui.core.feeds.parse import parse_feed

    body = "<p>Un <em>standard</em>. Voir (<b>annexe</b>) , puis la <i>suite</i> .</p>"
    feed = store.add_feed("https://example.test/feed/", "Kilo")
    store.record_success(feed.id, parse_feed(rss([item_xml(0, title="Titre", body=body)]), feed.url))
    [hit] = search_hits(store, "standard")
    assert "standard. Voir (annexe), puis la suite." in hit.snippet
    assert [hit.snippet[a:b] for a, b in hit.snippet_spans] == ["standard"]
    stored = store.connection.execute("SELECT unpack_text(body) FROM article_text").fetchone()[0]
    assert "standard ." in stored  # what is stored (and hashed) is unchanged
    assert tidy_snippet("a  b .", [(3, 4)]) == ("a b.", [(2, 3)])


def test_a_dossier_is_named_as_the_site_names_it() -> None:
    """« Zéro artificialisation nette », not « Zero artificialisation nette » from its slug: a link's text
    or a tag whose words are the slug's; a link that says « notre dossier » names nothing."""
    body = (
        '<p>Voir <a href="/dossiers/zero-artificialisation-nette/">notre dossier</a> et le dossier '
        '<a href="/dossiers/zero-artificialisation-nette/">Zéro artificialisation nette</a>, puis '
        '<a href="https://site.test/dossiers/protection-sociale-complementaire/">Protection sociale '
        "<em>complémentaire</em></a>, <a href='/dossiers/elections-municipales/'>ici</a> et "
        "<a href='/dossiers/sans-nom/'><img src='x.png'></a>.</p>"
    )
    article = Article(
        id=1, feed_id=1, feed_title="Kilo", feed_url="https://site.test/feed/", rubrique="", title="T",
        kicker="", author="", published=0, updated=None, url="https://site.test/a/",
        categories=["Élections municipales"], summary_html="", content_html=body, fulltext_html="",
        reserved=False, read=False, starred=False,
    )  # fmt: skip
    names = {d.slug: (d.title, d.named_by_site) for d in dossiers.editorial_dossiers(article)}
    assert names == {
        "zero-artificialisation-nette": ("Zéro artificialisation nette", True),
        "protection-sociale-complementaire": ("Protection sociale complémentaire", True),
        "elections-municipales": ("Élections municipales", True),  # its tag
        "sans-nom": ("Sans nom", False),
    }
