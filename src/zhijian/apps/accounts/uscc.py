"""Building valid unified social credit codes (GB 32100-2015) for demo and test data."""

from __future__ import annotations

from stdnum.cn import uscc

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def organization_code(serial: int) -> str:
    """A 9-character organisation code (GB 11714) with its check character, from a serial."""
    body = f"{serial:08d}"[-8:]
    total = sum(_DIGITS.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_uscc(serial: int, *, region: str = "430100", authority: str = "9", kind: str = "1") -> str:
    """A valid USCC: registering authority, entity type, region (430100 = Changsha), org code, check."""
    head = f"{authority}{kind}{region}{organization_code(serial)}"
    return head + uscc.calc_check_digit(head)
