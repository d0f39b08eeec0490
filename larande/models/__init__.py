"""The learning content model, split by concept and re-exported here."""

from .chains import ChainElement, ChainIndexPage, ChainLink, EffectChainPage, EffectChainPageTag
from .concepts import ConceptContrast, ConceptPage, ConceptPageTag, ConceptSource, ConceptStatus, GlossaryIndexPage
from .evaluation import (
    EvaluationResultPage,
    EvaluationResultPageTag,
    Lesson,
    LessonIndexPage,
    QuestionAnswer,
    Recommendation,
    ReportedIndicatorValue,
    ResultDocument,
    ResultIndexPage,
)
from .framework import FrameworkIndexPage, GuidancePage, GuidancePageTag
from .records import EvaluationQuestion, Indicator, IndicatorValue, QuestionKind, TaggedQuestion
from .suggestions import ConceptSuggestion, SuggestionStatus
from .taxonomy import Region, RusPriority

__all__ = [
    "ChainElement",
    "ChainIndexPage",
    "ChainLink",
    "ConceptContrast",
    "ConceptPage",
    "ConceptPageTag",
    "ConceptSource",
    "ConceptStatus",
    "ConceptSuggestion",
    "EffectChainPage",
    "EffectChainPageTag",
    "EvaluationQuestion",
    "EvaluationResultPage",
    "EvaluationResultPageTag",
    "FrameworkIndexPage",
    "GlossaryIndexPage",
    "GuidancePage",
    "GuidancePageTag",
    "Indicator",
    "IndicatorValue",
    "Lesson",
    "LessonIndexPage",
    "QuestionAnswer",
    "QuestionKind",
    "Recommendation",
    "Region",
    "ReportedIndicatorValue",
    "ResultDocument",
    "ResultIndexPage",
    "RusPriority",
    "SuggestionStatus",
    "TaggedQuestion",
]
