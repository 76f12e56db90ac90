"""The matcher's data files, shipped inside the package under `voisinbot/data/`.

The concept lexicon is split into small files (`data/concepts/*.json`) merged in name order:
concept lists are concatenated, the other sections (stopwords, groups...) merged key by key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

LEXICON_DIR = "concepts"
TYPO_GUARD_FILE = "matching_typo_guard.json"
# Raised whenever the code reading texts changes what they mean (analysis.py, text.py): the
# stored analyses are then made again, as after a change of the lexicon's data.
# 2: sentence breaks, emoji standing alone, negations turning exclusions round.
ANALYSIS_VERSION = 2


def load_json_resource(name: str) -> Any:
    """A JSON file of the `voisinbot.data` folder (shipped inside the package)."""
    return json.loads(_data_dir().joinpath(name).read_text("utf-8"))


@cache
def load_concept_data() -> dict[str, Any]:
    """Every `data/concepts/*.json` file merged in name order: the lexicon's raw data.

    Callers must not modify the result (it is shared); `classify` reads each concept's category.
    """
    folder = _data_dir().joinpath(LEXICON_DIR)
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".json"))
    merged: dict[str, Any] = {"concepts": []}
    for name in names:
        part = json.loads(folder.joinpath(name).read_text("utf-8"))
        _merge_into(merged, part, name)
    return merged


def _merge_into(target: dict[str, Any], part: Mapping[str, Any], where: str) -> None:
    # Lists are concatenated, mappings merged key by key, "_doc" strings kept from the first file.
    for key, value in part.items():
        if key not in target:
            target[key] = value if not isinstance(value, dict) else _copy_dict(value)
        elif isinstance(target[key], list) and isinstance(value, list):
            target[key] = target[key] + value
        elif isinstance(target[key], dict) and isinstance(value, Mapping):
            _merge_into(target[key], value, f"{where}:{key}")
        elif key != "_doc":
            raise ValueError(f"cannot merge {key!r} of {where}: conflicting values")


def _copy_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _copy_dict(v) if isinstance(v, Mapping) else v for k, v in value.items()}


def _data_dir() -> Traversable:
    return resources.files("voisinbot").joinpath("data")


@cache
def lexicon_fingerprint() -> str:
    """Changes whenever the shipped lexicon data or ANALYSIS_VERSION changes: posts analysed
    with an older lexicon are then analysed again (services.matching.reindex_if_lexicon_changed)."""
    payload = json.dumps(
        [load_concept_data(), load_json_resource(TYPO_GUARD_FILE), ANALYSIS_VERSION],
        sort_keys=True,
    ).encode()
    return hashlib.sha256(payload).hexdigest()[:16]
