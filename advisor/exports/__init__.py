"""Exports of a result: the architecture diagram (diagrams.py), and the decision records and
the Markdown report (records.py).

Pure functions of a result and its pack; the faces hand them what they read from storage.
"""

from __future__ import annotations
