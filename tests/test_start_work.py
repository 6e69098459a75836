"""The program's start does no work twice (issue 15): the language catalog read when i18n is
imported serves the start, and is read again only for another language."""
from __future__ import annotations

import pytest

from pmqa_desktop import i18n


@pytest.fixture
def restore_language():
    before = i18n.language()
    yield
    i18n.set_language(before)


def test_the_catalog_in_force_is_not_read_again(monkeypatch, restore_language):
    i18n.set_language("th")
    reads = []
    real = i18n._load
    monkeypatch.setattr(i18n, "_load", lambda lang: reads.append(lang) or real(lang))
    monkeypatch.delenv("PMQA_LANG", raising=False)
    assert i18n.use_language(None) == "th"
    assert i18n.use_language("th") == "th"
    assert reads == []
    assert i18n.use_language("en") == "en" and reads == ["en"]
    assert i18n._("Operations calendar") == "Operations calendar"
    i18n.use_language("th")
    assert reads == ["en", "th"] and i18n._("Operations calendar") != "Operations calendar"
