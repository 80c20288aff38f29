"""Shared test fixtures: where the real models live, and small model builders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ZHIJIAN_SHARED", REPO.parent / "shared"))
SHARED_IFC = SHARED / "data" / "ifc"


def shared_models() -> list[Path]:
    return sorted(SHARED_IFC.glob("*.ifc")) if SHARED_IFC.is_dir() else []


@pytest.fixture
def shared_ifc_dir() -> Path:
    if not SHARED_IFC.is_dir():
        pytest.skip(f"shared data not present at {SHARED_IFC} (tests read ../shared/data in place)")
    return SHARED_IFC
