#!/usr/bin/env bash
# The sync tests talk to a real Fever server: coldsweat, from PyPI, in a venv of its own (it pins
# flask<3.1 and urllib3<2, which must not meet the project's environment). Idempotent: a venv that already
# holds the wanted version is left alone. Prints the path of the coldsweat program, for COLDSWEAT:
#     export COLDSWEAT="$(.ci/coldsweat.sh)"
# COLDSWEAT_VENV moves the venv (default: ~/.cache/gazette-tui-ci/coldsweat).
set -euo pipefail

VERSION=0.10.2
VENV="${COLDSWEAT_VENV:-$HOME/.cache/gazette-tui-ci/coldsweat}"
PROGRAM="$VENV/bin/coldsweat"

installed() {
    [ -x "$PROGRAM" ] && "$VENV/bin/python" - "$VERSION" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version

sys.exit(0 if version("coldsweat") == sys.argv[1] else 1)
PY
}

if ! installed; then
    echo "coldsweat.sh: installing coldsweat $VERSION in $VENV" >&2
    mkdir -p "$(dirname "$VENV")"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "coldsweat==$VERSION"
    installed || { echo "coldsweat.sh: coldsweat $VERSION is not in $VENV after installing" >&2; exit 1; }
fi
"$PROGRAM" --help >/dev/null  # it starts: its imports (flask, peewee, requests) are all there
echo "$PROGRAM"
