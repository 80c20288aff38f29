"""Object ids (UUIDs) read from text: a UUID in any of its spellings, None for anything else."""

from uuid import UUID

from zhijian.apps.common.ids import as_uuid

ID = UUID("12345678-1234-5678-1234-567812345678")


def test_an_id_is_read_in_any_spelling() -> None:
    assert as_uuid(ID) is ID
    assert as_uuid(str(ID)) == as_uuid(ID.hex) == as_uuid(str(ID).upper()) == ID


def test_anything_else_is_none() -> None:
    for value in (None, "", "true", "1234", True, 12, "12345678-1234-5678-1234-56781234567g"):
        assert as_uuid(value) is None, value
