"""SM4-GCM at rest, HMAC-SM3 lookup, key rotation, and the start-up check of the secrets."""

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from laoxiao.core import crypto
from laoxiao.core.checks import secrets_configured
from laoxiao.core.rotation import keys_rotate
from laoxiao.people.models import Person
from laoxiao.people.selectors import PersonFilter, person_list
from tests import factories

T1 = "t1:00112233445566778899aabbccddeeff"
T0 = "t0:ffeeddccbbaa99887766554433221100"
H1 = "h1:" + "0f1e2d3c4b5a69788796a5b4c3d2e1f0" * 2
H2 = "h2:" + "a5" * 32


@pytest.fixture(autouse=True)
def _fresh_keys():
    crypto.reset_key_cache()
    yield
    crypto.reset_key_cache()


def test_ciphertext_round_trips_and_differs_each_time():
    first, second = crypto.encrypt("11010519491231002X"), crypto.encrypt("11010519491231002X")
    assert first != second and first.startswith("t1.")
    assert crypto.decrypt(first) == crypto.decrypt(second) == "11010519491231002X"


def test_tampered_ciphertext_is_rejected():
    token = crypto.encrypt("13895001234")
    key_id, _, body = token.partition(".")
    tampered = f"{key_id}.{body[:-4]}AAAA"
    with pytest.raises(Exception):  # noqa: B017  (GCM's InvalidTag)
        crypto.decrypt(tampered)


def test_blind_index_is_keyed():
    with override_settings(LAOXIAO_HASH_KEYS=H2):
        crypto.reset_key_cache()
        other = crypto.blind_index("13895001234")
    crypto.reset_key_cache()
    assert crypto.blind_index("13895001234") != other
    assert len(other) == 64


def test_rotation_re_encrypts_under_the_new_keys_and_lookups_keep_working(xingqing_civil):
    number = factories.citizen_id()
    with override_settings(LAOXIAO_SM4_KEYS=T0, LAOXIAO_HASH_KEYS=H1):
        crypto.reset_key_cache()
        person = factories.make_person(by=xingqing_civil, id_number=number)
    old_hash = Person.objects.get(pk=person.pk).id_number_hash
    with override_settings(LAOXIAO_SM4_KEYS=f"{T1},{T0}", LAOXIAO_HASH_KEYS=f"{H2},{H1}"):
        crypto.reset_key_cache()
        # Before rotation: the old ciphertext still decrypts and the old hash is still found.
        assert person_list(user=xingqing_civil, filters=PersonFilter(q=number)).get().pk == person.pk
        assert keys_rotate() >= 1
        stored = Person.objects.get(pk=person.pk)
        assert stored.id_number_cipher.startswith("t1.") and stored.id_number_hash != old_hash
        assert crypto.decrypt(stored.id_number_cipher) == number
        assert person_list(user=xingqing_civil, filters=PersonFilter(q=number)).get().pk == person.pk
        assert keys_rotate() == 0  # nothing left to do


def test_missing_key_is_reported_at_start_up():
    with override_settings(LAOXIAO_SM4_KEYS="", LAOXIAO_HASH_KEYS="h1:abc"):
        messages = [e.msg for e in secrets_configured(None)]
    assert any("LAOXIAO_SM4_KEYS is not set" in m for m in messages)
    assert any("LAOXIAO_HASH_KEYS" in m for m in messages)
    with override_settings(LAOXIAO_SM4_KEYS="t9:00"), pytest.raises(ImproperlyConfigured):
        crypto.reset_key_cache()
        crypto.encrypt("x")


def test_a_retired_key_cannot_decrypt():
    token = crypto.encrypt("x")
    with override_settings(LAOXIAO_SM4_KEYS=T0):
        crypto.reset_key_cache()
        with pytest.raises(ImproperlyConfigured, match="no longer configured"):
            crypto.decrypt(token)


def test_rotation_re_encrypts_payee_accounts_too(xingqing_civil):
    from laoxiao.benefits.models import PayeeAccount
    from laoxiao.benefits.services import payee_account_set
    from laoxiao.core.models import Area

    with override_settings(LAOXIAO_SM4_KEYS=T0, LAOXIAO_HASH_KEYS=H1):
        crypto.reset_key_cache()
        account = payee_account_set(
            by=xingqing_civil,
            beneficiary_type="person",
            beneficiary_id=1,
            area=Area.objects.get(code=factories.XINGQING_VILLAGE),
            kind="bank",
            number="6228480012345678901",
        )
    with override_settings(LAOXIAO_SM4_KEYS=f"{T1},{T0}", LAOXIAO_HASH_KEYS=f"{H2},{H1}"):
        crypto.reset_key_cache()
        assert keys_rotate() >= 1
        stored = PayeeAccount.objects.get(pk=account.pk)
        assert (
            stored.account_cipher.startswith("t1.") and crypto.decrypt(stored.account_cipher) == "6228480012345678901"
        )
    crypto.reset_key_cache()


def test_before_rotation_every_lookup_finds_people_hashed_with_the_old_key(xingqing_civil):
    from pathlib import Path

    from laoxiao.assessments.importing import validate_rows

    numbers = [factories.citizen_id(age=70 + n) for n in range(3)]
    with override_settings(LAOXIAO_SM4_KEYS=T0, LAOXIAO_HASH_KEYS=H1):
        crypto.reset_key_cache()
        for number in numbers:
            factories.make_person(by=xingqing_civil, id_number=number)
    with override_settings(LAOXIAO_SM4_KEYS=f"{T1},{T0}", LAOXIAO_HASH_KEYS=f"{H2},{H1}"):
        crypto.reset_key_cache()
        _, bad = validate_rows(xingqing_civil, [(n, {"id_number": number}) for n, number in enumerate(numbers)])
        assert [n for n, fields in bad.items() if "id_number" in fields] == []
    # Only the writers of the stored hash use the current key alone; every lookup goes through blind_indexes.
    package = Path(crypto.__file__).parent.parent
    writers = {p.relative_to(package).as_posix() for p in package.rglob("*.py") if "blind_index(" in p.read_text()}
    assert writers == {"core/crypto.py", "core/personal.py", "core/rotation.py"}


def test_rotation_re_encrypts_kept_import_files(xingqing_civil):
    from laoxiao.core.importing import import_batch_create, kept_pieces
    from laoxiao.people.importing import PEOPLE_IMPORTER
    from tests.factories import good_row, people_csv

    content = people_csv([good_row()])
    with override_settings(LAOXIAO_SM4_KEYS=T0, LAOXIAO_HASH_KEYS=H1):
        crypto.reset_key_cache()
        batch = import_batch_create(by=xingqing_civil, importer=PEOPLE_IMPORTER, file_name="x.csv", content=content)
    with override_settings(LAOXIAO_SM4_KEYS=f"{T1},{T0}", LAOXIAO_HASH_KEYS=f"{H2},{H1}"):
        crypto.reset_key_cache()
        keys_rotate()
        batch.refresh_from_db()
        assert batch.content_key == "t1"
        assert b"".join(crypto.unsealed_stream("t1", kept_pieces(batch))) == content


@examples(max_examples=60, deadline=None)
@given(data=st.binary(max_size=3000), cuts=st.lists(st.integers(min_value=0, max_value=3100), max_size=8))
def test_a_sealed_file_read_in_any_pieces_is_the_file(data, cuts):
    """A kept upload is read back row by row; wherever the rows split nonce, ciphertext and tag, the
    plaintext is the file, and a changed byte is refused at the end."""
    key_id, sealed = crypto.seal_raw(data)
    bounds = sorted({0, len(sealed), *(c for c in cuts if c < len(sealed))})
    pieces = [bytes(sealed[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    assert b"".join(crypto.unsealed_stream(key_id, pieces)) == data
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    with pytest.raises(InvalidTag):
        b"".join(crypto.unsealed_stream(key_id, [tampered]))
