"""Tests and local functions run pandas as Lambda does: without pyarrow, text as Python strings."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest


def test_the_test_session_keeps_text_as_python_strings_as_the_functions_do() -> None:
    # GIVEN the test session (tests/conftest.py) WHEN pandas makes a text column
    column = pd.Series(["8517.62.00.20"], dtype="str")
    # THEN it is the Python-backed array Lambda's pandas makes, and pyarrow cannot be imported
    assert column.dtype.storage == "python"
    with pytest.raises(ImportError):
        import pyarrow  # noqa: F401


def test_a_process_that_imported_pandas_beside_pyarrow_chooses_python_strings_again() -> None:
    # GIVEN a fresh interpreter that imported pandas while pyarrow was importable
    script = (
        "import pandas as pd\n"
        "before = pd.Series(['a'], dtype='str').dtype.storage\n"
        "from ior_tools.runtime.lambda_python import as_in_lambda\n"
        "as_in_lambda()\n"
        "print(before, pd.Series(['a'], dtype='str').dtype.storage)\n"
    )
    # WHEN it is made to run as in Lambda
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    # THEN pandas made Arrow strings before and makes Python strings after
    assert shown.split() == ["pyarrow", "python"]
