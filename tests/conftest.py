"""Shared fixtures: a neighbourhood with a supergroup and three residents."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import Neighbourhood


@pytest.fixture
async def hood(tmp_path: Path) -> AsyncIterator[Neighbourhood]:
    neighbourhood = Neighbourhood(tmp_path)
    await neighbourhood.start()
    try:
        yield neighbourhood
    finally:
        await neighbourhood.stop()


@pytest.fixture
def group(hood: Neighbourhood) -> dict[str, Any]:
    return hood.world.supergroup("Jardin partagé des Lilas")


@pytest.fixture
def alice(hood: Neighbourhood) -> dict[str, Any]:
    return hood.world.user("Alice", last_name="Martin", language_code="fr")


@pytest.fixture
def bob(hood: Neighbourhood) -> dict[str, Any]:
    return hood.world.user("Bob", language_code="fr")


@pytest.fixture
def carol(hood: Neighbourhood) -> dict[str, Any]:
    return hood.world.user("Carol", language_code="en")
