"""``feeds set`` and ``feeds show``: the settings of a feed or of a rubrique's feeds, and the feeds that
``refresh --due`` fetches (``core/feeds/feed_settings.py`` holds the rules)."""

from __future__ import annotations

import json
from typing import Any

from gazette_tui.cli.context import EXIT_OK, EXIT_USAGE, Context, err, out
from gazette_tui.core.feeds import feed_settings as rules
from gazette_tui.i18n import _


def _target(ctx: Context) -> tuple[str | None, str | None] | int:
    url, rubrique = ctx.args.url, ctx.args.rubrique
    if (url is None) == (rubrique is None):
        err(_("Give either a feed's address or --rubrique NAME, not both."))
        return EXIT_USAGE
    if url is not None:
        from gazette_tui.core.accounts.feed_credentials import without_userinfo

        url = without_userinfo(url)
    return url, rubrique


def cmd_set(ctx: Context) -> int:
    target = _target(ctx)
    if isinstance(target, int):
        return target
    url, rubrique = target
    key, text = ctx.args.key, ctx.args.value
    store = ctx.store
    if url is not None:
        rules.set_feed(store, url, key, text)  # FeedSettingError / NotFoundError: one sentence, exit 1
        explained = rules.explain_feed(store, url)
        feed = store.feed(url)
        name, where = url, feed.rubrique if feed is not None else ""
    else:
        assert rubrique is not None
        rules.set_rubrique(store, rubrique, key, text)
        explained = rules.explain_rubrique(store, rubrique)
        name = where = rubrique
    one = next(e for e in explained if e.key == key)
    out(
        _("{target}: {key} = {value} ({source}).").format(
            target=name,
            key=key,
            value=rules.value_text(key, one.value, ctx.settings),
            source=rules.source_text(one.source, where),
        )
    )
    return EXIT_OK


def cmd_show(ctx: Context) -> int:
    target = _target(ctx)
    if isinstance(target, int):
        return target
    url, rubrique = target
    store = ctx.store
    if url is not None:
        explained = rules.explain_feed(store, url)
        feed = store.feed(url)
        where = feed.rubrique if feed is not None else ""
        heading = f"{feed.title or url} — {url}" if feed is not None else url
    else:
        assert rubrique is not None
        explained = rules.explain_rubrique(store, rubrique)
        where = rubrique
        heading = _("Rubrique “{name}”").format(name=rubrique)
    if ctx.args.json:
        data: dict[str, Any] = {"url": url, "rubrique": where}
        data["settings"] = {e.key: {"value": e.value, "source": e.source} for e in explained}
        out(json.dumps(data, ensure_ascii=False, indent=1))
        return EXIT_OK
    out(heading)
    width = max(len(key) for key in rules.KEYS)
    for e in explained:
        value = rules.value_text(e.key, e.value, ctx.settings)
        out(f"  {e.key:<{width}}  {value}  ({rules.source_text(e.source, where)})")
    return EXIT_OK


def due_ids(ctx: Context) -> list[int]:
    """The feeds ``refresh --due`` fetches (``[refresh] auto_minutes`` for those without an interval of their
    own; 0: every such feed)."""
    return rules.due_feeds(ctx.store, ctx.settings.refresh.auto_minutes)


def add_actions(feeds: Any, json_help: str) -> None:
    """``feeds set`` and ``feeds show`` on the ``feeds`` subparsers."""
    keys = ", ".join(rules.KEYS)
    q = feeds.add_parser("set", help=_("change a setting of a feed or of a rubrique's feeds"))
    q.add_argument("url", nargs="?", metavar="URL", help=_("the feed's address"))
    q.add_argument("--rubrique", metavar=_("RUBRIQUE"), help=_("set it for every feed of this rubrique"))
    q.add_argument("key", metavar=_("KEY"), help=_("one of: {keys}").format(keys=keys))
    q.add_argument("value", metavar=_("VALUE"), help=_("its value; default gives back the inherited one"))
    q.set_defaults(feeds_settings=cmd_set)
    q = feeds.add_parser("show", help=_("every setting of a feed, and where its value comes from"))
    q.add_argument("url", nargs="?", metavar="URL", help=_("the feed's address"))
    q.add_argument("--rubrique", metavar=_("RUBRIQUE"), help=_("the settings of this rubrique"))
    q.add_argument("--json", action="store_true", help=json_help)
    q.set_defaults(feeds_settings=cmd_show)
