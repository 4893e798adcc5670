"""Reproducible test environment: requirements/test.txt pins every package (Textual at the release the SVG
snapshots were drawn with), agrees with pyproject.toml's lower bounds, and is what the README's test command
and .ci/run install; .ci/run works as root and as a user with sudo."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "test.txt"
TEXTUAL = "8.2.8"  # the release the snapshots in tests/ui/__snapshots__ were drawn with
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;]+)(?:\s*;\s*(?P<marker>.+))?$")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"not a pin: {line!r}"
        found[normalized(match["name"])] = match["version"]
    return found


def test_every_package_is_pinned_and_textual_is_the_snapshots_release() -> None:
    locked = pins()
    assert len(locked) >= 50
    assert locked["textual"] == TEXTUAL
    header = LOCK.read_text(encoding="utf-8").splitlines()[:2]
    assert (
        header[1]
        .removeprefix("#")
        .strip()
        .startswith("uv pip compile pyproject.toml --extra test --universal")
    )


def test_the_lock_meets_every_lower_bound_of_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [
        Requirement(text) for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]
    ]
    locked = pins()
    assert {"tomlkit", "import-linter", "babel"} <= {normalized(r.name) for r in wanted}
    for requirement in wanted:
        version = locked.get(normalized(requirement.name))
        assert version is not None, f"{requirement.name} is not in {LOCK.name}"
        assert requirement.specifier.contains(Version(version), prereleases=True), (requirement, version)
        assert requirement.specifier, f"{requirement.name}: pyproject.toml keeps a lower bound for users"


def readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Run the tests", 1)[1]
    return section.split("```sh\n", 1)[1].split("\n```", 1)[0].strip()


def test_the_readme_and_ci_run_the_same_command_on_the_lock() -> None:
    command = readme_test_command()
    assert "-r requirements/test.txt" in command
    assert command.endswith(".venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == command  # verbatim, and last: its exit code is the run's


# -- .ci/run, with stand-ins for id, sudo, apt-get and python3 ------------------------------------

FAKE = {
    "id": '#!/bin/bash\n[ "$1" = "-u" ] && echo "$FAKE_UID"\n',
    "sudo": '#!/bin/bash\necho "sudo $*" >> "$LOG"\n[ "$1" = -n ] && shift\nexec "$@"\n',
    "apt-get": '#!/bin/bash\necho "apt-get $* [DEBIAN_FRONTEND=$DEBIAN_FRONTEND]" >> "$LOG"\n',
    "python3": (
        "#!/bin/bash\n"
        'echo "python3 $*" >> "$LOG"\n'
        'if [ "$*" = "-m venv .venv" ]; then\n'
        "  /bin/mkdir -p .venv/bin\n"
        "  for tool in pip python; do\n"
        '    printf \'#!/bin/bash\\necho "%s $*" >> "$LOG"\\n\' "$tool" > ".venv/bin/$tool"\n'
        '    /bin/chmod +x ".venv/bin/$tool"\n'
        "  done\n"
        "fi\n"
    ),
}


def run_ci(tmp_path: Path, uid: int, with_sudo: bool) -> tuple[list[str], str]:
    repo, tools, log = tmp_path / "repo", tmp_path / "bin", tmp_path / "calls.log"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", repo / ".ci" / "run")
    # The sync tests' Fever server has its own installer (tests/unit/test_sync_*.py run it for real).
    (repo / ".ci" / "coldsweat.sh").write_text(
        '#!/bin/bash\necho "coldsweat.sh" >> "$LOG"\n', encoding="utf-8"
    )
    (repo / ".ci" / "coldsweat.sh").chmod(0o755)
    tools.mkdir()
    for name, script in FAKE.items():
        if name == "sudo" and not with_sudo:
            continue
        (tools / name).write_text(script, encoding="utf-8")
        (tools / name).chmod(0o755)
    for real in ("dirname", "env"):
        found = shutil.which(real)
        assert found is not None
        (tools / real).symlink_to(found)
    done = subprocess.run(
        ["/bin/bash", str(repo / ".ci" / "run")],
        env={"PATH": str(tools), "LOG": str(log), "FAKE_UID": str(uid), "HOME": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return log.read_text(encoding="utf-8").splitlines(), done.stderr


APT = [
    "apt-get update -qq [DEBIAN_FRONTEND=noninteractive]",
    "apt-get install -y -qq --no-install-recommends tmux gnome-keyring dbus dbus-x11 newsboat "
    "[DEBIAN_FRONTEND=noninteractive]",
]
TESTS = [
    "python3 -m venv .venv",
    "pip install -q -r requirements/test.txt -e .[test]",
    "coldsweat.sh",
    "python -m pytest",
]


def test_ci_as_root_calls_apt_get_itself(tmp_path: Path) -> None:
    calls, _stderr = run_ci(tmp_path, uid=0, with_sudo=True)
    assert calls == [*APT, *TESTS]


def test_ci_as_a_user_goes_through_sudo(tmp_path: Path) -> None:
    calls, _stderr = run_ci(tmp_path, uid=1000, with_sudo=True)
    assert calls == [
        "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
        APT[0],
        "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tmux "
        "gnome-keyring dbus dbus-x11 newsboat",
        APT[1],
        *TESTS,
    ]


def test_ci_with_neither_skips_debian_and_still_runs_the_tests(tmp_path: Path) -> None:
    calls, stderr = run_ci(tmp_path, uid=1000, with_sudo=False)
    assert calls == TESTS
    assert "not root and no sudo" in stderr
