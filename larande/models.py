"""The app's models, defined with their concept (glossary/, framework/, chains/, evaluation/,
records/) and gathered here, where Django looks for them. The app label stays `larande`."""

from larande.chains.models import ChainElement, ChainIndexPage, ChainLink, EffectChainPage, EffectChainPageTag
from larande.evaluation.followup import FollowUpIndexPage
from larande.evaluation.models import (
    EvaluationResultPage,
    EvaluationResultPageTag,
    Lesson,
    LessonIndexPage,
    LinkEvidence,
    QuestionAnswer,
    Recommendation,
    ReportedIndicatorValue,
    ResultDocument,
    ResultIndexPage,
)
from larande.evaluation.questions import EvaluationQuestion, Indicator, IndicatorValue, QuestionKind, TaggedQuestion
from larande.evaluation.suggestion_models import QuestionSuggestion, QuestionSuggestionStatus
from larande.evaluation.tracker import RecommendationIndexPage, RecommendationStatusChange
from larande.framework.models import FrameworkIndexPage, GuidancePage, GuidancePageTag
from larande.glossary.models import (
    ConceptContrast,
    ConceptPage,
    ConceptPageTag,
    ConceptSource,
    ConceptStatus,
    GlossaryIndexPage,
)
from larande.glossary.suggestion_models import ConceptSuggestion, SuggestionStatus
from larande.planning.models import EvaluationPlanPage
from larande.records.models import Region, RusPriority

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
    "EvaluationPlanPage",
    "EvaluationQuestion",
    "EvaluationResultPage",
    "EvaluationResultPageTag",
    "FollowUpIndexPage",
    "FrameworkIndexPage",
    "GlossaryIndexPage",
    "GuidancePage",
    "GuidancePageTag",
    "Indicator",
    "IndicatorValue",
    "Lesson",
    "LessonIndexPage",
    "LinkEvidence",
    "QuestionAnswer",
    "QuestionKind",
    "QuestionSuggestion",
    "QuestionSuggestionStatus",
    "Recommendation",
    "RecommendationIndexPage",
    "RecommendationStatusChange",
    "Region",
    "ReportedIndicatorValue",
    "ResultDocument",
    "ResultIndexPage",
    "RusPriority",
    "SuggestionStatus",
    "TaggedQuestion",
]
