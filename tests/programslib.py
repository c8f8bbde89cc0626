"""The programs some readers run (Tesseract for OCR, antiword for .doc), and the reference
extractors the format measurement runs (pdftotext, wvWare): a test that
needs one is skipped with the install line on a developer's machine without it, and fails
in CI, where .ci/run installs them, so a green CI has really read the scans and .doc files."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from browserlib import in_ci

INSTALL = {
    "tesseract": "apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra",
    "antiword": "apt-get install antiword",
    # the reference extractors of the format measurement (tests/test_formats_check.py)
    "pdftotext": "apt-get install poppler-utils",
    "wvWare": "apt-get install wv",
}


def require_programs(*names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if "tesseract" in names and "tesseract" not in missing:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
        if "chi_sim" not in langs.stdout.split():
            missing.append("tesseract (its chi_sim model)")
    if not missing:
        return
    reason = "missing " + ", ".join(missing) + ": " + "; ".join(INSTALL[n.split()[0]] for n in missing)
    if in_ci():
        pytest.fail(f"CI must run this test: {reason}", pytrace=False)
    pytest.skip(reason)
