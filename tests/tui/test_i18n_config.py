"""The translation table and the terminal's config file."""

import pytest

from tui import i18n
from tui.config import Config, ConfigError, load_config, save_config, with_changes


def test_every_entry_has_both_languages_with_the_same_placeholders():
    import string

    for key, (zh, en) in i18n.TABLE.items():
        assert zh and en, key
        fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
        assert fields(zh) == fields(en), key


def test_language_comes_from_config_then_lang():
    assert i18n.language_from("en", {"LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.language_from(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.language_from(None, {"LANG": "en_US.UTF-8"}) == "en"
    assert i18n.language_from(None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN"}) == "en"
    assert i18n.language_from(None, {}) == "zh"


def test_t_speaks_the_current_language():
    try:
        i18n.set_language("en")
        assert i18n.t("screen.customers") == "Customers"
        i18n.set_language("zh")
        assert i18n.t("call.today", calls=2, missed=1) == "今天 2 个来电，1 个未接"
    finally:
        i18n.set_language("zh")


def test_config_round_trips_through_the_file(tmp_path):
    path = tmp_path / "config.toml"
    assert load_config(path) == Config()
    config = with_changes(Config(), language="en", privacy=True, port="/dev/ttyUSB2", keymap={"quit": "ctrl+x"})
    save_config(config, path)
    assert load_config(path) == config


@pytest.mark.parametrize(
    "text",
    ['[desk]\nlanguage = "fr"\n', "[desk]\nprivacy = 3\n", "not = [toml", '[keymap]\nquit = 1\n'],
)
def test_a_bad_config_is_a_plain_error(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError):
        load_config(path)


def test_a_word_defined_in_two_areas_is_refused_at_import():
    with pytest.raises(KeyError, match="twice"):
        i18n.joined({"a.b": ("甲", "A")}, {"a.b": ("乙", "B")})
