"""Editors' annotations: a YAML file beside a source overrides what was inferred.

Filled in by the metadata issue; for now a sidecar is only validated to exist as YAML.
"""

from __future__ import annotations

from pathlib import Path

from .model import Document


def apply_annotations(docs: list[Document], source: Path) -> None:
    return None
