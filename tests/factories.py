"""Factories for every page type and record of the portal, with Swedish defaults.

They are defaults and sequences on top of the builders the demo content is made with
(`larande.demo.builders`): a factory's page or record is created, placed, tagged and published
exactly as the demo build's are.

Pages go in their proper place in the tree without being told: section pages under the start
page (created as the default site's root if missing) and content pages under their section page,
which is fetched or created. Pass `parent=` to put a page elsewhere. Section pages are
get-or-create by slug, as the page model allows only one of each.

Pages are created live but without a revision, which is enough for the public views. Pass
`publish=True` to publish them through a revision as an editor would (the admin then shows a
history), and `live=False` for a draft.

    concept = ConceptPageFactory(title="Utfall", chain_level="D", tags=["effektkedjor"], publish=True)
    chain = EffectChainPageFactory(full_chain=True)  # one element per level G–B, linked upwards
    IndicatorFactory(values={2023: (7, 8)})  # {year: (value, target)}
"""

import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from taggit.models import Tag

from core.levels import ChainLevel
from home.models import StandardPage
from larande.demo import builders
from larande.demo.builders import home_page
from larande.models import (
    ChainElement,
    ChainIndexPage,
    ChainLink,
    ConceptContrast,
    ConceptPage,
    ConceptSource,
    EffectChainPage,
    EvaluationQuestion,
    EvaluationResultPage,
    FollowUpIndexPage,
    FrameworkIndexPage,
    GlossaryIndexPage,
    GuidancePage,
    Indicator,
    Lesson,
    LessonIndexPage,
    QuestionAnswer,
    QuestionKind,
    Recommendation,
    RecommendationIndexPage,
    Region,
    ReportedIndicatorValue,
    ResultIndexPage,
    RusPriority,
)

SWEDISH_REGIONS = [
    "Region Stockholm",
    "Region Uppsala",
    "Region Sörmland",
    "Region Östergötland",
    "Region Jönköpings län",
    "Region Kronoberg",
    "Region Kalmar län",
    "Region Gotland",
    "Region Blekinge",
    "Region Skåne",
    "Region Halland",
    "Västra Götalandsregionen",
    "Region Värmland",
    "Region Örebro län",
    "Region Västmanland",
    "Region Dalarna",
    "Region Gävleborg",
    "Region Västernorrland",
    "Region Jämtland Härjedalen",
    "Region Västerbotten",
    "Region Norrbotten",
]
RUS_PRIORITIES = [
    "Innovation och näringslivsutveckling",
    "Kompetensförsörjning och inkludering",
    "Tillgänglighet och infrastruktur",
    "Attraktiva och hållbara livsmiljöer",
]


def _tag_objects(names):
    return [name if isinstance(name, Tag) else Tag.objects.get_or_create(name=name)[0] for name in names]


class _RecordFactory(DjangoModelFactory):
    """A record made by `builders.create_record` (without validation: tests build invalid ones on purpose)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if cls._meta.django_get_or_create:
            return cls._get_or_create(model_class, *args, **kwargs)
        return builders.create_record(model_class, kwargs, validate=False)


class _PageFactory(wagtail_factories.PageFactory):
    """A page placed under its usual parent, optionally tagged and published through a revision."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if cls._meta.django_get_or_create:
            return builders.section_page(model_class, kwargs, parent=parent)
        return builders.create_page(parent, model_class, kwargs)

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        # Published in _after_postgeneration, once every other hook (tags, relations) has run.
        return bool(extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create and results and results.get("publish"):
            builders.save_revision(instance, publish=instance.live)
            instance.refresh_from_db()


class _TaggedPageFactory(_PageFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if extracted:
            obj.tags.set(list(extracted))
            if create:
                obj.save()


class _SectionPageFactory(_PageFactory):
    """A section page directly under the start page; one per slug."""

    parent = factory.LazyFunction(home_page)
    show_in_menus = True

    class Meta:
        abstract = True
        django_get_or_create = ("parent", "slug")
        skip_postgeneration_save = True


# --- Section pages -------------------------------------------------------------------------------


class GlossaryIndexPageFactory(_SectionPageFactory):
    title = "Begrepp"
    slug = "begrepp"
    intro = "Ramverkets begrepp med definitioner."

    class Meta:
        model = GlossaryIndexPage


class FrameworkIndexPageFactory(_SectionPageFactory):
    title = "Ramverket"
    slug = "ramverket"
    intro = "Ramverk för strategiskt lärande, kapitel för kapitel."

    class Meta:
        model = FrameworkIndexPage


class ChainIndexPageFactory(_SectionPageFactory):
    title = "Effektkedjor"
    slug = "effektkedjor"
    intro = "Hur insatser förväntas leda till resultat och effekter."

    class Meta:
        model = ChainIndexPage


class ResultIndexPageFactory(_SectionPageFactory):
    title = "Resultat"
    slug = "resultat"
    intro = "Resultat från uppföljningar och utvärderingar."

    class Meta:
        model = ResultIndexPage


class RecommendationIndexPageFactory(_SectionPageFactory):
    title = "Rekommendationer"
    slug = "rekommendationer"
    intro = "Rekommendationer från utvärderingarna och vad som hänt med dem."

    class Meta:
        model = RecommendationIndexPage


class FollowUpIndexPageFactory(_SectionPageFactory):
    title = "Uppföljning"
    slug = "uppfoljning"
    intro = "Uppföljning per RUS-prioritering."

    class Meta:
        model = FollowUpIndexPage


class LessonIndexPageFactory(_SectionPageFactory):
    title = "Lärdomar"
    slug = "lardomar"
    intro = "Lärdomar från utvärderingarna."

    class Meta:
        model = LessonIndexPage


class StandardPageFactory(_PageFactory):
    parent = factory.LazyFunction(home_page)
    title = factory.Sequence(lambda n: f"Allmän sida {n}")
    intro = "En allmän sida om portalen."

    class Meta:
        model = StandardPage
        skip_postgeneration_save = True


# --- Content pages -------------------------------------------------------------------------------


class ConceptPageFactory(_TaggedPageFactory):
    parent = factory.LazyFunction(lambda: GlossaryIndexPageFactory())
    title = factory.Sequence(lambda n: f"Testbegrepp {n}")
    short_definition = factory.LazyAttribute(lambda o: f"{o.title} är ett begrepp i ramverket för strategiskt lärande.")
    explanation = "<p>En längre förklaring av begreppet.</p>"
    english_term = ""
    chain_level = ""

    class Meta:
        model = ConceptPage
        skip_postgeneration_save = True


class ConceptContrastFactory(_RecordFactory):
    concept = factory.SubFactory(ConceptPageFactory)
    other = factory.SubFactory(ConceptPageFactory)
    difference = "Det ena räknar vad som gjorts, det andra vad det ledde till."

    class Meta:
        model = ConceptContrast


class ConceptSourceFactory(_RecordFactory):
    concept = factory.SubFactory(ConceptPageFactory)
    title = "Ramverk för strategiskt lärande"
    citation = "Lärprojektet Regionala resultat."

    class Meta:
        model = ConceptSource


class GuidancePageFactory(_TaggedPageFactory):
    parent = factory.LazyFunction(lambda: FrameworkIndexPageFactory())
    title = factory.Sequence(lambda n: f"Kapitel {n}")
    intro = "Ett kapitel i ramverket."
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>Effektkedjan läses nerifrån och upp.</p>"}])

    class Meta:
        model = GuidancePage
        skip_postgeneration_save = True


class EffectChainPageFactory(_TaggedPageFactory):
    """An effect chain; `full_chain=True` adds one element per level G–B (keys G1 … B1) linked upwards."""

    parent = factory.LazyFunction(lambda: ChainIndexPageFactory())
    title = factory.Sequence(lambda n: f"Effektkedja {n}")
    intro = "En exempelkedja."
    purpose = "Visa hur insatserna förväntas leda till effekter."
    context = "<p>Politisk, social och ekonomisk kontext.</p>"

    class Meta:
        model = EffectChainPage
        skip_postgeneration_save = True

    @factory.post_generation
    def full_chain(obj, create, extracted, **kwargs):
        if not extracted:
            return
        levels = ChainLevel.chain_levels()
        obj.elements = builders.chain_elements(
            (f"{level.value}1", level.value, f"{level.label} i exemplet", "") for level in levels
        )
        obj.links = builders.chain_links(
            (f"{lower.value}1", f"{upper.value}1", f"{lower.label} leder till {upper.label.lower()}.", "")
            for lower, upper in zip(levels, levels[1:], strict=False)
        )
        if create:
            obj.save()


class ChainElementFactory(_RecordFactory):
    chain = factory.SubFactory(EffectChainPageFactory)
    key = factory.Sequence(lambda n: f"D{n + 1}")
    level = ChainLevel.UTFALL.value
    title = "Deltagarna har fått ökad kunskap"
    description = "Deltagarna i nätverken har fått kunskap de kan använda i sina uppdrag."

    class Meta:
        model = ChainElement


class ChainLinkFactory(_RecordFactory):
    chain = factory.SubFactory(EffectChainPageFactory)
    source_key = "E1"
    target_key = "D1"
    rationale = "Den som deltar i träffarna får ny kunskap."
    evidence = "Deltagarenkät."

    class Meta:
        model = ChainLink


class EvaluationResultPageFactory(_TaggedPageFactory):
    parent = factory.LazyFunction(lambda: ResultIndexPageFactory())
    title = factory.Sequence(lambda n: f"Fiktivt exempel: Utvärdering {n}")
    intro = "Ett påhittat utvärderingsresultat."
    evaluated = "Regionens stöd till klusterinitiativ."
    period_start = datetime.date(2022, 1, 1)
    period_end = datetime.date(2023, 12, 31)
    evaluator = "Exempelutvärderarna AB"
    key_findings = "Insatserna nådde fler deltagare än planerat, men effekterna går ännu inte att se."
    findings = "<p>Fler deltagare än planerat.</p>"
    conclusions = "<p>Fortsätt, men mät effekterna senare.</p>"
    is_fictitious = True

    class Meta:
        model = EvaluationResultPage
        skip_postgeneration_save = True

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if extracted:
            obj.regions.set(list(extracted))
            if create:
                obj.save()

    @factory.post_generation
    def priorities(obj, create, extracted, **kwargs):
        if extracted:
            obj.priorities.set(list(extracted))
            if create:
                obj.save()

    @factory.post_generation
    def chains(obj, create, extracted, **kwargs):
        if extracted:
            obj.chains.set(list(extracted))
            if create:
                obj.save()


class LessonFactory(_RecordFactory):
    """A lesson of a result; `tags=["kluster"]` takes names or Tag objects."""

    result = factory.SubFactory(EvaluationResultPageFactory)
    statement = factory.Sequence(lambda n: f"Lärdom {n}: mät effekterna när de hunnit uppstå.")
    chain_level = ChainLevel.KORTSIKTIGA_EFFEKTER.value

    class Meta:
        model = Lesson
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if extracted:
            obj.tags.set(_tag_objects(extracted))
            if create:
                obj.save()


class RecommendationFactory(_RecordFactory):
    result = factory.SubFactory(EvaluationResultPageFactory)
    text = "Mät kortsiktiga effekter två år efter insatsen."
    response = "Uppföljningsplanen ändras."
    status = Recommendation.Status.PLANNED

    class Meta:
        model = Recommendation


# --- Records -------------------------------------------------------------------------------------


class RegionFactory(_RecordFactory):
    name = factory.Sequence(lambda n: SWEDISH_REGIONS[n] if n < len(SWEDISH_REGIONS) else f"Region {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    class Meta:
        model = Region
        django_get_or_create = ("name",)


class RusPriorityFactory(_RecordFactory):
    title = factory.Sequence(lambda n: RUS_PRIORITIES[n] if n < len(RUS_PRIORITIES) else f"Prioritering {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    description = "Exempel på en prioritering i en regional utvecklingsstrategi."

    class Meta:
        model = RusPriority
        django_get_or_create = ("title",)


class IndicatorFactory(_RecordFactory):
    """An indicator; `values={2023: (7, 8)}` adds values per year as (value, target)."""

    name = factory.Sequence(lambda n: f"Antal aktiva klusterinitiativ {n}")
    definition = "Klusterinitiativ med minst fyra gemensamma aktiviteter under året."
    unit = "antal"
    source = "Exempeldata"
    chain_level = ChainLevel.PRESTATIONER.value

    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    @factory.post_generation
    def values(obj, create, extracted, **kwargs):
        if extracted:
            obj.values = builders.indicator_values(
                (year, value, target) for year, (value, target) in sorted(extracted.items())
            )
            if create:
                obj.save()


class EvaluationQuestionFactory(_RecordFactory):
    """A summative question on level D by default; `process=True` for a process question without level."""

    text = factory.Sequence(lambda n: f"Leder insats {n} till ökad kunskap hos deltagarna?")
    kind = QuestionKind.SUMMATIVE
    chain_level = ChainLevel.UTFALL.value
    explanation = "En exempelfråga."

    class Meta:
        model = EvaluationQuestion
        skip_postgeneration_save = True

    class Params:
        process = factory.Trait(
            kind=QuestionKind.PROCESS,
            chain_level="",
            text=factory.Sequence(lambda n: f"Är rätt aktörer involverade i insats {n}?"),
        )

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if extracted:
            obj.tags.set(list(extracted))
            if create:
                obj.save()

    @factory.post_generation
    def chains(obj, create, extracted, **kwargs):
        if extracted:
            obj.chains.set(list(extracted))
            if create:
                obj.save()

    @factory.post_generation
    def indicators(obj, create, extracted, **kwargs):
        if extracted:
            obj.indicators.set(list(extracted))
            if create:
                obj.save()


class QuestionAnswerFactory(_RecordFactory):
    result = factory.SubFactory(EvaluationResultPageFactory)
    question = factory.SubFactory(EvaluationQuestionFactory)
    answer = "Ja, till största delen."
    status = QuestionAnswer.Status.ANSWERED

    class Meta:
        model = QuestionAnswer


class ReportedIndicatorValueFactory(_RecordFactory):
    result = factory.SubFactory(EvaluationResultPageFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    year = 2023
    value = Decimal("7")
    target = Decimal("8")

    class Meta:
        model = ReportedIndicatorValue
