"""Build hook: compile the gettext catalogues with Babel, so that every install has its ``.mo`` files.

Everything else about the package is in ``pyproject.toml``. ``build_py`` compiles each
``gazette_tui/locale/<lang>/LC_MESSAGES/gazette.po`` into the ``gazette.mo`` beside it: into the build folder
for a wheel (``pip install .``: the ``.mo`` ships in the wheel), into the source tree for an editable install
(``pip install -e .``, which runs the package from there). The ``.mo`` files are build output, ignored by git.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LOCALE = Path("gazette_tui") / "locale"


def compile_catalogue(po: Path, mo: Path) -> None:
    """``po`` → ``mo`` with Babel; a catalogue Babel finds broken fails the build."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parent.parent.name)
    problems = [f"{po}: {message.id!r}: {error}" for message, errors in catalog.check() for error in errors]
    if problems:
        raise SystemExit("\n".join(problems))
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)


class BuildWithCatalogues(build_py):
    """``build_py``, then the catalogues compiled where the installed package will look for them."""

    def run(self) -> None:
        super().run()
        target = ROOT if self.editable_mode else Path(self.build_lib)
        for po in sorted((ROOT / LOCALE).glob("*/LC_MESSAGES/*.po")):
            compile_catalogue(po, target / po.relative_to(ROOT).with_suffix(".mo"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if not self.editable_mode:
            for po in sorted((ROOT / LOCALE).glob("*/LC_MESSAGES/*.po")):
                outputs.append(str(Path(self.build_lib) / po.relative_to(ROOT).with_suffix(".mo")))
        return sorted(set(outputs))


setup(cmdclass={"build_py": BuildWithCatalogues})
