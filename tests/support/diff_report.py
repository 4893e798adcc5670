"""Where the two roads disagree, grouped.

``.venv/bin/python tests/support/diff_report.py [-n 3000] [--strategy plain_documents] [--seed 1] [--shrink]``

Runs :func:`support.differential.compare` over the repository's feed documents and ``-n`` generated ones
(derandomized: the same on every run), groups the differences by field and by how the values differ
(one road empty, the other not; both set but different), and prints each group's count with its smallest
document. ``--shrink`` asks Hypothesis for a minimal document per group (slower: tens of seconds a group).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, find, given, seed, settings

from support import feedgen
from support.differential import compare, fast_accepts
from support.feedgen import content_types
from support.known_feeds import known_feeds

_LINE = re.compile(r"^(?P<field>[^:]+): feedparser (?P<left>.*) \| fast (?P<right>.*)$", re.S)
_EMPTY = {"''", "None", "[]", "0", "False"}


def group_of(difference: str) -> str:
    """``entry[3].author: feedparser 'x' | fast ''`` → ``entry.author (fast empty)``."""
    field = difference.split(":", 1)[0]
    if field in ("feed.refused", "fast.crash", "feedparser.crash"):
        cause = re.search(r"\((\w+: [^)]*)\)|raised (\w+)", difference)
        return f"{field} ({next(g for g in cause.groups() if g)})" if cause else field
    match = _LINE.match(difference)
    if not match:
        return re.sub(r"\[\d+\]", "", difference.split(":", 1)[0])
    field = re.sub(r"\[\d+\]", "", match["field"])
    left, right = match["left"].strip(), match["right"].strip()
    if field == "feed.entries":
        return field
    if left in _EMPTY and right not in _EMPTY:
        how = "feedparser empty"
    elif right in _EMPTY and left not in _EMPTY:
        how = "fast empty"
    else:
        how = "both set, different"
    return f"{field} ({how})"


def _text(data: bytes) -> str:
    if data[:1] == b"<" and data[1:2] == b"\x00":
        return data.decode("utf-16-le", "replace")
    for codec in ("utf-8", "utf-16"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", "replace")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", "--examples", type=int, default=3000)
    parser.add_argument("--shrink", action="store_true")
    parser.add_argument("--show", type=int, default=1, help="documents shown per group")
    parser.add_argument("--seed", type=int, default=None, help="explore other examples than the fixed ones")
    parser.add_argument(
        "--strategy", default="feed_documents", help="a strategy of support.feedgen (plain_documents…)"
    )
    args = parser.parse_args()

    groups: dict[str, list[tuple[bytes, str, list[str]]]] = defaultdict(list)
    counts = {"documents": 0, "accepted": 0, "differing": 0}

    def record(data: bytes, content_type: str, name: str = "") -> None:
        differences = compare(data, content_type=content_type)
        counts["documents"] += 1
        counts["accepted"] += fast_accepts(data, content_type=content_type)
        counts["differing"] += bool(differences)
        for group in {group_of(d) for d in differences}:
            groups[group].append(
                (data, name or content_type, [d for d in differences if group_of(d) == group])
            )

    started = time.perf_counter()
    fixture_failures = []
    for feed in known_feeds():
        differences = compare(feed.data, feed.url, feed.content_type)
        if differences:
            fixture_failures.append((feed.name, differences))

    strategy = getattr(feedgen, args.strategy)()

    @settings(
        max_examples=args.examples,
        derandomize=args.seed is None,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(args.seed or 0)
    @given(document=strategy, content_type=content_types)
    def generated(document: bytes, content_type: str) -> None:
        record(document, content_type)

    generated()
    elapsed = time.perf_counter() - started
    print(f"# {counts} in {elapsed:.1f} s\n")
    print(f"## fixtures with differences: {len(fixture_failures)}")
    for name, differences in fixture_failures:
        print(f"- {name}")
        for line in differences[:3]:
            print(f"    {line[:300]}")
    print()
    for group, found in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        found.sort(key=lambda item: len(item[0]))
        print(f"## {group}: {len(found)} documents")
        for data, content_type, lines in found[: args.show]:
            print(f"content type {content_type!r}; {len(lines)} lines, e.g.")
            for line in lines[:3]:
                print(f"    {line[:300]}")
            if args.shrink:
                field = group.split(" (")[0]
                try:
                    data = find(
                        strategy,
                        lambda d, field=field: any(
                            re.sub(r"\[\d+\]", "", x.split(":", 1)[0]) == field for x in compare(d)
                        ),
                        settings=settings(database=None, derandomize=True, max_examples=2000),
                    )
                    print("shrunk:", *compare(data)[:3], sep="\n    ")
                except Exception as error:
                    print(f"(not reproduced without the content type: {error})")
            print(_text(data)[:6000])
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
