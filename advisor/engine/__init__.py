"""The rule engine: pure Python, no Django, so it can be tested, timed and reused alone.

Public names: load_pack, validate_answers, evaluate (with what-if on request), run_scenarios
and PackError.
"""

from __future__ import annotations

from .answers import AnswerCheck, AnswersError, validate_answers
from .evaluate import Recommendation, evaluate
from .loader import load_pack
from .pack import Pack
from .problems import PackError, Problem
from .scenarios import ScenarioReport, run_scenarios
from .schema import pack_schema

__all__ = [
    "AnswerCheck",
    "AnswersError",
    "Pack",
    "PackError",
    "Problem",
    "Recommendation",
    "ScenarioReport",
    "evaluate",
    "load_pack",
    "pack_schema",
    "run_scenarios",
    "validate_answers",
]
