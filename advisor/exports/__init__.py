"""Exports: the architecture diagram (diagrams.py) and, later, the decision records."""

from __future__ import annotations
