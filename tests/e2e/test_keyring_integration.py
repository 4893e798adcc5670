"""The real thing on Linux: a Secret Service (gnome-keyring) on a private D-Bus session, a fresh home, the CLI
in separate processes. Login stores the password; a new process finds it (and fetches full texts with it);
logout removes it; no file of ours ever holds it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support.accounts import TEST_EMAIL, TEST_PASSWORD, files_containing, secret_forms

from gazette_tui.demo import DemoServer

RUNNER = """
import sys
from gazette_tui.cli import main
sys.exit(main(sys.argv[1:]))
"""

PROBE = """
import json, sys
from gazette_tui.core.accounts.secrets import backend_status, load_secret
email, password = sys.argv[1], sys.stdin.read()
print(json.dumps({
    "backend": backend_status().name,
    "usable": backend_status().usable,
    "password": load_secret("demo", email) == password,
    "session": load_secret("demo", email, kind="session") is not None,
}))
"""

FULLTEXT = """
import asyncio, json, sys
from gazette_tui.core.accounts.fulltext import fetch_fulltexts
from gazette_tui.core.paths import Paths
from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store

async def main():
    paths = Paths.default()
    with Store(paths.database) as store:
        store.add_feeds([(sys.argv[1] + "/feed/", "Démo", "Démo")])
        await refresh_feeds(store, Settings())
        report = await fetch_fulltexts(store, Settings(), config_dir=paths.config_dir, limit=3, pause=0)
        print(json.dumps(report.as_json()))

# The guard: parse workers start from a fork server, which imports this script again (as __mp_main__).
if __name__ == "__main__":
    asyncio.run(main())
"""

FEED_PROBE = """
import json, sys
from gazette_tui.core.accounts.secrets import load_secret
value = load_secret("feed", sys.argv[1], kind="basic")
print(json.dumps({"stored": value is not None and json.loads(value)["password"] == sys.stdin.read()}))
"""

FEED_PASSWORD = "Fx7-flux-TRES-secret-3391"

SCENARIO = """
import json, subprocess, sys
here, url, email, password, out = sys.argv[1:6]
feed_password = sys.argv[6]
steps = {}

def run(name, args, stdin=""):
    done = subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True, timeout=60)
    steps[name] = {"code": done.returncode, "out": done.stdout, "err": done.stderr}

run("login", [here + "/runner.py", "login", "demo", "--url", url, "--username", email, "--password-stdin"],
    password + "\\n")
run("probe_after_login", [here + "/probe.py", email], password)
run("fulltext", [here + "/fulltext.py", url])
run("accounts", [here + "/runner.py", "accounts", "--json"])
run("logout", [here + "/runner.py", "logout", "demo"])
run("probe_after_logout", [here + "/probe.py", email], password)
# A feed with user:password@ in its URL: the password goes to the Secret Service, the URL is stored bare.
private = url.replace("http://", "http://alice:" + feed_password + "@") + "/feed/actualite/"
run("feed_add", [here + "/runner.py", "feeds", "add", private])
run("feed_list", [here + "/runner.py", "feeds", "list", "--json"])
feed_id = next((str(row["id"]) for row in json.loads(steps["feed_list"]["out"] or "[]")
                if row["url"] == url + "/feed/actualite/"), "0")
run("feed_probe", [here + "/feed_probe.py", feed_id], feed_password)
run("feed_remove", [here + "/runner.py", "feeds", "remove", url + "/feed/actualite/"])
run("feed_probe_after_remove", [here + "/feed_probe.py", feed_id], feed_password)
with open(out, "w") as f:
    json.dump(steps, f)
"""


@pytest.mark.keyring_integration
def test_login_restart_logout_against_gnome_keyring(tmp_path: Path) -> None:
    home = tmp_path / "home"
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    scripts = [
        ("runner.py", RUNNER),
        ("probe.py", PROBE),
        ("fulltext.py", FULLTEXT),
        ("feed_probe.py", FEED_PROBE),
    ]
    for name, text in scripts:
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "scenario.py").write_text(SCENARIO, encoding="utf-8")
    result = tmp_path / "steps.json"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_RUNTIME_DIR": str(runtime),
        "LANG": "C.UTF-8",
        "TZ": "Europe/Paris",
    }
    with DemoServer() as demo:
        demo.accounts[TEST_EMAIL] = TEST_PASSWORD
        script = (
            "echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
            f'exec "{sys.executable}" "{tmp_path}/scenario.py" "{tmp_path}" "{demo.url}" '
            f'"{TEST_EMAIL}" "{TEST_PASSWORD}" "{result}" "{FEED_PASSWORD}"'
        )
        done = subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        logins = [r for r in demo.requests if r.method == "POST"]
    steps = json.loads(result.read_text(encoding="utf-8"))

    assert steps["login"]["code"] == 0, steps["login"]["err"]
    assert "trousseau système" in steps["login"]["out"]
    after = json.loads(steps["probe_after_login"]["out"])
    assert after == {
        "backend": "keyring.backends.SecretService.Keyring",
        "usable": True,
        "password": True,
        "session": True,
    }
    # A new process, with only what login left: the session from the keyring opens the reserved pages.
    assert steps["fulltext"]["code"] == 0, steps["fulltext"]["err"]
    report = json.loads(steps["fulltext"]["out"])
    assert report["fetched"] == 3
    assert report["failed"] == 0
    assert report["login_needed"] == []
    assert len(logins) == 1  # the stored cookie was enough: no second login
    accounts = {row["name"]: row for row in json.loads(steps["accounts"]["out"])}
    assert accounts["demo"]["logged_in"] is True
    assert accounts["demo"]["remembered"] is True
    assert steps["logout"]["code"] == 0
    assert "supprimés du trousseau" in steps["logout"]["out"]
    gone = json.loads(steps["probe_after_logout"]["out"])
    assert gone["usable"]
    assert gone["password"] is False
    assert gone["session"] is False
    assert steps["feed_add"]["code"] == 0, steps["feed_add"]["err"]
    assert "identifiants gardés dans le trousseau système" in steps["feed_add"]["out"]
    assert json.loads(steps["feed_probe"]["out"]) == {"stored": True}
    assert steps["feed_remove"]["code"] == 0, steps["feed_remove"]["err"]
    assert json.loads(steps["feed_probe_after_remove"]["out"]) == {"stored": False}

    ours = [home / d / "gazette-tui" for d in ("config", "data", "cache", "state")]
    assert (home / "data" / "gazette-tui" / "gazette.db").exists()
    assert files_containing(ours, secret_forms(TEST_PASSWORD)) == []
    assert files_containing(ours, [TEST_EMAIL.encode()])  # the search does see the login that is stored
    # The keyring's own file exists and is encrypted: the password is not readable in it either.
    assert list((home / "data" / "keyrings").glob("*.keyring"))
    assert files_containing([home], secret_forms(TEST_PASSWORD)) == []
    assert files_containing([home], secret_forms(FEED_PASSWORD, "alice")) == []
    for step in steps.values():
        assert TEST_PASSWORD not in step["out"] + step["err"]
        assert "Traceback" not in step["err"]
        assert FEED_PASSWORD not in step["out"] + step["err"]
