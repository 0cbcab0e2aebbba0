"""The import's first-row index behaves as the dict it replaces, whatever the keys and however it grows."""

from hypothesis import given
from hypothesis import strategies as st

from laoxiao.core.rowindex import RowIndex

keys = st.one_of(st.text(max_size=20), st.integers())


@given(st.lists(st.tuples(keys, st.integers(min_value=1, max_value=2**40)), max_size=3000))
def test_the_index_answers_as_a_dict_does(entries):
    index, expected = RowIndex(capacity=2), {}
    for key, row in entries:
        if key not in expected:  # the importer records a key's first row only
            assert key not in index
            index[key], expected[key] = row, row
        assert index[key] == expected[key]
    assert len(index) == len(expected)
    assert all(index[k] == row for k, row in expected.items())


def test_a_number_and_its_text_are_different_keys():
    index = RowIndex()
    index[1] = 2
    assert "1" not in index and index[1] == 2
