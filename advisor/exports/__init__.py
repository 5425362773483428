"""Exports of a result: decision records, the Markdown report and (soon) the diagram files.

Pure functions of a result and its pack; the faces hand them what they read from storage.
"""

from __future__ import annotations
