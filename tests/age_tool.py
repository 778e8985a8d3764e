"""The reference age command-line tool, for the tests that prove bundles are plain age."""

import os
import shutil

import pytest


def age_tool() -> str:
    """The path of ``age``; skips the test when it is missing, fails it under CI."""
    found = shutil.which("age")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("The reference age tool is missing; install the Debian package 'age'.")
        pytest.skip("the reference age tool is not installed (Debian package 'age')")
    return found
