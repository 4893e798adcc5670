"""``[ui] keymap_preset`` and ``hide_read`` in config.toml: documented in the generated file, checked like
every other key (a bad value names the file, the line and the key), overridable from the environment, and
every preset's name known to the UI."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazette_tui.core.settings import KEYMAP_PRESETS, default_config, load_settings, save_setting
from gazette_tui.errors import ConfigError
from gazette_tui.ui.bindings import KEYMAP_PRESETS as UI_PRESETS
from gazette_tui.ui.bindings import keymap_for


def test_the_generated_file_documents_both_keys(tmp_path: Path) -> None:
    text = default_config()
    assert 'keymap_preset = ""' in text
    assert "hide_read = false" in text
    assert '"newsboat"' in text  # the comment above the key says what it may be
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    settings = load_settings(path, {})
    assert (settings.ui.keymap_preset, settings.ui.hide_read) == ("", False)


def test_a_preset_that_does_not_exist_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[ui]\ntheme = "nord"\nkeymap_preset = "vim"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, {})
    said = str(caught.value)
    assert said.startswith(f"{path}, ligne 3\u00a0: ")
    assert "ui.keymap_preset" in said
    assert "vim" in said
    assert '"newsboat"' in said


def test_the_environment_sets_the_preset_with_the_same_check(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_settings(path, {"GAZETTE_TUI_UI_KEYMAP_PRESET": "newsboat"}).ui.keymap_preset == "newsboat"
    with pytest.raises(ConfigError, match="GAZETTE_TUI_UI_KEYMAP_PRESET"):
        load_settings(path, {"GAZETTE_TUI_UI_KEYMAP_PRESET": "emacs"})
    assert load_settings(path, {"GAZETTE_TUI_UI_HIDE_READ": "yes"}).ui.hide_read is True


def test_hide_read_is_saved_in_place(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# mes réglages\n[ui]\ntheme = "nord"  # le mien\n', encoding="utf-8")
    save_setting(path, "ui", "hide_read", True)
    text = path.read_text(encoding="utf-8")
    assert "# mes réglages" in text
    assert "# le mien" in text
    assert load_settings(path, {}).ui.hide_read is True


def test_core_and_ui_know_the_same_presets() -> None:
    assert set(KEYMAP_PRESETS) == set(UI_PRESETS)


def test_the_users_keys_go_over_the_preset() -> None:
    keys = keymap_for("newsboat", {"toggle_read": "M", "star": "f"})
    assert keys["toggle_read"] == "M"
    assert keys["star"] == "f"
    assert keys["refresh_feed"] == "r"
    assert keymap_for("", {"star": "f"}) == {"star": "f"}
