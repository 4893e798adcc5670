"""Key bindings are declared with English descriptions (msgids) at import time, before the language is
chosen; widgets translate their own copy when they are built, so the footer, the help screen and the command
palette all speak the user's language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from gazette_tui.i18n import _


def translate_bindings(node: DOMNode) -> None:
    """Replace ``node``'s bindings with translated copies (same keys, ids and actions)."""
    node._bindings = BindingsMap.from_keys(  # noqa: SLF001 - Textual has no public way to replace a node's bindings
        {
            key: [
                replace(
                    binding,
                    description=_(binding.description) if binding.description else "",
                    tooltip=_(binding.tooltip) if binding.tooltip else "",
                )
                for binding in bindings
            ]
            for key, bindings in node._bindings.key_to_bindings.items()  # noqa: SLF001
        }
    )


def order_bindings(node: DOMNode, first: Iterable[Binding]) -> None:
    """Put the keys of ``first`` before every other binding of ``node`` (Textual lists a class's base
    classes' bindings first), each group in its own order: the footer, the help and the palette follow."""
    own = {key.strip() for binding in first for key in binding.key.split(",")}
    keys = node._bindings.key_to_bindings  # noqa: SLF001
    node._bindings = BindingsMap.from_keys(  # noqa: SLF001
        {key: keys[key] for key in sorted(keys, key=lambda key: key not in own)}
    )


def unique_bindings(node: DOMNode) -> list[Binding]:
    """One binding per id (a binding declared as "j,down" appears once, with both keys joined)."""
    merged: dict[str, Binding] = {}
    for _key, binding in node._bindings:  # noqa: SLF001
        if binding.system:
            continue
        name = binding.id or f"{binding.action}:{binding.key}"
        if name in merged:
            first = merged[name]
            merged[name] = replace(first, key=f"{first.key},{binding.key}")
        else:
            merged[name] = binding
    return list(merged.values())


KEYMAP_PRESETS: dict[str, dict[str, str]] = {
    "": {},
    # newsboat's default keys where gazette-tui has the same action (reload, reload-all, toggle-article-read,
    # toggle-show-read-feeds); what they displace moves to a key newsboat leaves free. newsboat's u
    # (show-urls) is left out: u stays undo, which every « … — u to undo » message names.
    "newsboat": {
        "refresh_feed": "r",
        "refresh_all": "R",
        "toggle_read": "N",
        "dossier_note": "t",
        "hide_read": "a",
        "follow_dossier": "F",
        "page_fulltext": "V",  # F is follow_dossier's here: the full text from the page moves to V
    },
}
"""``[ui] keymap_preset``: binding id → keys, under the user's own ``[ui.keymap]``."""


def keymap_for(preset: str, keymap: dict[str, str]) -> dict[str, str]:
    """The keys to give ``App.set_keymap``: the preset's (``core.settings`` checked its name), then the
    user's ``[ui.keymap]`` over them."""
    return {**KEYMAP_PRESETS.get(preset, {}), **keymap}
