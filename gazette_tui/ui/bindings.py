"""Key bindings are declared with English descriptions (msgids) at import time, before the language is
chosen; widgets translate their own copy when they are built, so the footer, the help screen and the command
palette all speak the user's language."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from gazette_tui.i18n import _, language


def translate_bindings(node: DOMNode) -> None:
    """Replace ``node``'s bindings with translated copies (same keys, ids and actions)."""
    node._bindings = BindingsMap.from_keys(
        {
            key: [
                replace(
                    binding,
                    description=_(binding.description) if binding.description else "",
                    tooltip=_(binding.tooltip) if binding.tooltip else "",
                )
                for binding in bindings
            ]
            for key, bindings in node._bindings.key_to_bindings.items()
        }
    )


def unique_bindings(node: DOMNode) -> list[Binding]:
    """One binding per id (a binding declared as "j,down" appears once, with both keys joined)."""
    merged: dict[str, Binding] = {}
    for _key, binding in node._bindings:
        if binding.system:
            continue
        name = binding.id or f"{binding.action}:{binding.key}"
        if name in merged:
            first = merged[name]
            merged[name] = replace(first, key=f"{first.key},{binding.key}")
        else:
            merged[name] = binding
    return list(merged.values())


def plural(count: int, one: str, many: str) -> str:
    """Choose between two msgids by the language's rule (French counts 0 and 1 as singular), then translate
    and fill in ``{count}``. Two plain msgids rather than ``ngettext``: the catalogue loader reads singular
    messages only."""
    singular = count <= 1 if language() == "fr" else count == 1
    return _(one if singular else many).format(count=count)
