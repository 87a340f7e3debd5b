"""The example input's output matches the golden files (regenerate with tests/golden/regenerate.py)."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tests" / "golden"))
from regenerate import HERE, example_outputs  # noqa: E402


@pytest.fixture(scope="module")
def outputs():
    return example_outputs()


@pytest.mark.parametrize("name", ["articles", "stories"])
def test_example_output_matches_golden_file(outputs, name):
    expected = json.loads((HERE / f"example_{name}.json").read_text(encoding="utf-8"))
    assert outputs[name] == expected, (
        f"the example's {name} changed; if on purpose, run `python tests/golden/regenerate.py` "
        "and review the diff"
    )
