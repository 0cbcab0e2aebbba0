"""Chinese is the default language: every English source string has its Chinese translation."""

import pytest
from babel.messages.pofile import read_po
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation


def test_every_message_is_translated_into_chinese():
    path = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    assert len(catalog) > 300


def test_djangos_own_number_messages_end_in_chinese_punctuation():
    field = forms.DecimalField(max_digits=6, decimal_places=2)
    with translation.override("zh-hans"):
        for value, said in (("12345.67", "确保总共不超过 6 位数字。"), ("1.234", "确保小数不超过 2 位。")):
            with pytest.raises(ValidationError) as refused:
                field.clean(value)
            assert refused.value.messages == [said]
