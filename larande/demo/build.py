"""Build the demo content idempotently: look everything up by slug or natural key, update in place.

A page is only given a new revision when its content differs from what is live, so running the
build twice creates nothing and changes nothing the second time. Every page is published
through a revision, as an editor's would be, so the admin shows its history.
"""

import json
import uuid
from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import slugify
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_serializable_data_for_fields
from taggit.managers import TaggableManager
from taggit.models import Tag
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site

from home.models import HomePage, StandardPage
from home.roles import ensure_roles_and_workflow
from larande import models as larande_models
from larande.models import (
    ChainElement,
    ChainLink,
    ConceptContrast,
    ConceptPage,
    ConceptSource,
    EffectChainPage,
    EvaluationQuestion,
    EvaluationResultPage,
    FrameworkIndexPage,
    GlossaryIndexPage,
    GuidancePage,
    Indicator,
    IndicatorValue,
    Lesson,
    QuestionAnswer,
    QuestionKind,
    Recommendation,
    Region,
    ReportedIndicatorValue,
    RusPriority,
)

from . import content
from .seed import Seed, load_seed

# Block ids derive from the page and position, so the same content always serialises the same.
BLOCK_NAMESPACE = uuid.UUID("8f3a6f1e-2b1c-4d4a-9b7e-4c6f0a1d2e3f")
SITE_HOSTNAME = "localhost"
SITE_PORT = 80
DEV_ADMIN_USERNAME = "admin"
DEV_ADMIN_PASSWORD = "lärportalen-dev"  # noqa: S105 - documented local development account, DEBUG only


class DemoContentError(RuntimeError):
    """The database holds something the demo content cannot be built on top of."""


class _Report:
    """Counts what the build created, updated, left alone and deleted, per model."""

    def __init__(self, stdout=None):
        self.stdout = stdout
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.fresh: set[tuple[str, int]] = set()

    def record(self, action: str, obj) -> None:
        name = type(obj).__name__
        self.counts[name][action] += 1
        if self.stdout and action != "unchanged":
            verb = {"created": "Skapade", "updated": "Uppdaterade", "deleted": "Tog bort"}[action]
            self.stdout.write(f"{verb} {obj._meta.verbose_name}: {obj}")

    def as_dict(self) -> dict:
        totals = Counter()
        for counter in self.counts.values():
            totals.update(counter)
        return {
            "created": totals["created"],
            "updated": totals["updated"],
            "unchanged": totals["unchanged"],
            "deleted": totals["deleted"],
            "models": {name: dict(counter) for name, counter in sorted(self.counts.items())},
        }


# --- Comparing and applying content ---------------------------------------------------------


def _strip_block_ids(value):
    if isinstance(value, dict):
        return {k: _strip_block_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_strip_block_ids(v) for v in value]
    return value


def _normalise(value):
    """Serialised data without database ids, with order-free lists sorted and decimals canonical."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items() if k not in ("pk", "id")}
    if isinstance(value, list):
        # Child rows carry their own sort_order and m2m lists have no order, so sorting loses nothing.
        return sorted((_normalise(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _snapshot(obj) -> dict:
    """What an object holds, comparable before and after applying the demo values."""
    serialise = getattr(obj, "serializable_data", None)
    data = serialise() if serialise else get_serializable_data_for_fields(obj)
    for f in obj._meta.get_fields():
        if isinstance(f, StreamField) and f.name in data:
            raw = data[f.name]
            raw = json.loads(raw) if isinstance(raw, str) else raw
            # Serialised to a string so that _normalise keeps the blocks in their order.
            data[f.name] = json.dumps(_strip_block_ids(raw), sort_keys=True, default=str)
    return _normalise(data)


def _apply(obj, values: dict) -> None:
    """Set fields, tags, many-to-many relations and child rows in memory (modelcluster defers the writes)."""
    for name, value in values.items():
        f = obj._meta.get_field(name)
        if isinstance(f, TaggableManager | ParentalManyToManyField):
            getattr(obj, name).set(list(value))
        elif f.one_to_many and f.auto_created:
            for position, child in enumerate(value):
                child.sort_order = position
            setattr(obj, name, list(value))
        else:
            setattr(obj, name, value)


def _upsert_page(report: _Report, parent: Page, model, slug: str, values: dict, publish: bool = True):
    """The page of `model` with `slug` under `parent`, created or brought up to `values`.

    A new page is created as a draft and, unless `publish` is False, published through a revision;
    an existing one gets a new published revision only when something differs from what is live.
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        if Page.objects.child_of(parent).filter(slug=slug).exists():
            raise DemoContentError(
                f"Sidan {parent.url_path}{slug}/ finns redan men är inte av typen {model._meta.verbose_name}."
            )
        page = model(slug=slug, live=False)
        _apply(page, values)
        parent.add_child(instance=page)
        report.fresh.add((model.__name__, page.pk))
        report.record("created", page)
        if publish:
            page.save_revision().publish()
        return page

    before = _snapshot(page)
    _apply(page, values)
    changed = _snapshot(page) != before
    if changed or not page.live or page.live_revision_id is None:
        page.save_revision().publish()
        if (model.__name__, page.pk) not in report.fresh:
            report.record("updated", page)
    elif (model.__name__, page.pk) not in report.fresh:
        report.record("unchanged", page)
    return page


def _upsert_record(report: _Report, model, lookup: dict, values: dict):
    """The record matching `lookup`, created or brought up to `values`, saved only when it differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup)
        _apply(obj, values)
        obj.full_clean()
        obj.save()
        report.record("created", obj)
        return obj
    before = _snapshot(obj)
    _apply(obj, values)
    if _snapshot(obj) != before:
        obj.full_clean()
        obj.save()
        report.record("updated", obj)
    else:
        report.record("unchanged", obj)
    return obj


def _stream(key: str, blocks: list[tuple[str, object]]) -> list[dict]:
    """StreamField data with stable block ids; list items in Wagtail's block format."""

    def block_id(*parts) -> str:
        return str(uuid.uuid5(BLOCK_NAMESPACE, ":".join([key, *map(str, parts)])))

    raw = []
    for i, (block_type, value) in enumerate(blocks):
        if block_type == "benefits":
            items = [{"type": "item", "value": item, "id": block_id(i, j)} for j, item in enumerate(value["items"])]
            value = {**value, "items": items}
        raw.append({"type": block_type, "value": value, "id": block_id(i)})
    return raw


# --- The parts of the site ---------------------------------------------------------------------


def _tree_root() -> Page:
    """The page tree's root; recreated as Wagtail's migrations make it if a flushed database lacks it."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def _build_home(report: _Report) -> HomePage:
    root = _tree_root()
    values = {
        "title": content.HOME["title"],
        "seo_title": content.HOME["seo_title"],
        "search_description": content.HOME["search_description"],
        "introduction": content.HOME["introduction"],
    }
    home = HomePage.objects.first()
    if home is None:
        return _upsert_page(report, root, HomePage, content.HOME["slug"], values)
    return _upsert_page(report, home.get_parent(), HomePage, home.slug, {**values, "slug": content.HOME["slug"]})


def _build_site(report: _Report, home: HomePage) -> Site:
    """One default site rooted at the start page; Wagtail serves any other host name (127.0.0.1:8000) from it."""
    site = (
        Site.objects.filter(hostname=SITE_HOSTNAME, port=SITE_PORT).first()
        or Site.objects.filter(is_default_site=True).first()
    )
    wanted = {
        "hostname": SITE_HOSTNAME,
        "port": SITE_PORT,
        "site_name": content.HOME["title"],
        "root_page_id": home.pk,
        "is_default_site": True,
    }
    others = Site.objects.filter(is_default_site=True)
    if site is not None:
        others = others.exclude(pk=site.pk)
    others.update(is_default_site=False)
    if site is None:
        site = Site.objects.create(**wanted)
        report.record("created", site)
    elif any(getattr(site, k) != v for k, v in wanted.items()):
        for k, v in wanted.items():
            setattr(site, k, v)
        site.save()
        report.record("updated", site)
    else:
        report.record("unchanged", site)
    return site


def _delete_welcome_page(report: _Report, home: HomePage) -> None:
    """Wagtail's migrations create a plain "Welcome" page at depth 2; the portal has no use for it."""
    welcome = (
        Page.objects.filter(depth=2, slug="home", content_type=ContentType.objects.get_for_model(Page))
        .exclude(pk=home.pk)
        .filter(sites_rooted_here__isnull=True)
    )
    for page in welcome:
        report.record("deleted", page)
        page.delete()


def _build_sections(report: _Report, home: HomePage) -> dict[str, Page]:
    sections = {}
    for model_name, slug, title, intro in content.SECTIONS:
        model = getattr(larande_models, model_name)
        sections[slug] = _upsert_page(
            report, home, model, slug, {"title": title, "intro": intro, "show_in_menus": True}
        )
    for spec in (content.ABOUT, content.ACCESSIBILITY):
        _upsert_page(
            report,
            home,
            StandardPage,
            spec["slug"],
            {
                "title": spec["title"],
                "intro": spec["intro"],
                "body": _stream(spec["slug"], spec["body"]),
                "show_in_menus": False,
            },
        )
    return sections


def _build_concepts(report: _Report, seed: Seed, glossary: GlossaryIndexPage) -> dict[str, ConceptPage]:
    specs = content.concepts(seed)
    # First make sure every concept exists (as a draft), so relations can point at any of them.
    pages = {}
    for spec in specs:
        page = ConceptPage.objects.child_of(glossary).filter(slug=spec.slug).first()
        if page is None:
            minimal = {"title": spec.title, "short_definition": spec.short_definition}
            page = _upsert_page(report, glossary, ConceptPage, spec.slug, minimal, publish=False)
        pages[spec.slug] = page
    contrasts = defaultdict(list)
    for a, b, difference in content.CONTRASTS:
        contrasts[a].append((b, difference))
        contrasts[b].append((a, difference))
    related = defaultdict(list)
    for a, b in content.RELATED:
        related[a].append(b)
        related[b].append(a)
    source = content.FRAMEWORK_SOURCE

    for spec in specs:
        values = {
            "title": spec.title,
            "short_definition": spec.short_definition,
            "explanation": spec.explanation,
            "english_term": spec.english_term,
            "english_alt_labels": spec.english_alt_labels,
            "other_labels": spec.other_labels,
            "hidden_labels": spec.hidden_labels,
            "chain_level": str(spec.chain_level),
            "status": spec.status,
            "use_instead": pages[spec.use_instead] if spec.use_instead else None,
            "broader": [pages[slug] for slug in spec.broader],
            "related": [pages[slug] for slug in related[spec.slug]],
            "contrasts": [
                ConceptContrast(other=pages[other], difference=difference) for other, difference in contrasts[spec.slug]
            ],
            "sources": [ConceptSource(title=source["title"], citation=source["citation"])],
            "tags": spec.tags,
        }
        pages[spec.slug] = _upsert_page(report, glossary, ConceptPage, spec.slug, values)
    return pages


def _build_records(report: _Report) -> tuple[dict, dict, dict]:
    regions = {
        name: _upsert_record(report, Region, {"name": name}, {"slug": slugify(name)}) for name in content.REGIONS
    }
    priorities = {
        title: _upsert_record(report, RusPriority, {"title": title}, {"slug": slugify(title), "description": text})
        for title, text in content.PRIORITIES
    }
    indicators = {}
    for spec in content.INDICATORS:
        indicators[spec.name] = _upsert_record(
            report,
            Indicator,
            {"name": spec.name},
            {
                "definition": spec.definition,
                "unit": spec.unit,
                "source": spec.source,
                "chain_level": str(spec.chain_level),
                "values": [IndicatorValue(year=y, value=v, target=t) for y, v, t in spec.values],
            },
        )
    return regions, priorities, indicators


def _build_chain(report: _Report, index: Page) -> EffectChainPage:
    spec = content.CHAIN
    levels = {key: level for key, level, _, _ in spec["elements"]}
    for source, target, _, _ in spec["links"]:
        if levels[target].rank <= levels[source].rank:
            raise DemoContentError(f"Länken {source} → {target} i exempelkedjan går inte uppåt.")
    return _upsert_page(
        report,
        index,
        EffectChainPage,
        spec["slug"],
        {
            "title": spec["title"],
            "intro": spec["intro"],
            "purpose": spec["purpose"],
            "context": spec["context"],
            "evidence_basis": spec["evidence_basis"],
            "tags": spec["tags"],
            "elements": [
                ChainElement(key=key, level=str(level), title=title, description=description)
                for key, level, title, description in spec["elements"]
            ],
            "links": [
                ChainLink(source_key=s, target_key=t, rationale=rationale, evidence=evidence)
                for s, t, rationale, evidence in spec["links"]
            ],
        },
    )


def question_classification(seed: Seed) -> list[tuple[str, str, str, str]]:
    """(text, kind, chain level, explanation) for every example question in the seed."""
    rows = []
    for text in seed.example_questions:
        if text not in content.GENERAL_QUESTIONS:
            raise DemoContentError(f"Exempelfrågan {text!r} saknar typ och nivå i larande/demo/content.py.")
        kind, level, explanation = content.GENERAL_QUESTIONS[text]
        rows.append((text, kind, level, explanation))
    for question in seed.process_questions:
        level, explanation = content.QUESTION_EXPLANATIONS.get(question.text, ("", ""))
        rows.append((question.text, QuestionKind.PROCESS, level, explanation))
    for question in seed.summative_questions:
        rows.append(
            (
                question.text,
                QuestionKind.SUMMATIVE,
                question.level,
                f"Summerande fråga om {question.level.label.lower()} (nivå {question.level.value}) i effektkedjan.",
            )
        )
    return [(text, str(kind), str(level), explanation) for text, kind, level, explanation in rows]


def _build_questions(report: _Report, seed: Seed, chain: EffectChainPage, indicators: dict) -> dict:
    indicators_for = defaultdict(list)
    for spec in content.INDICATORS:
        for text in spec.questions:
            indicators_for[text].append(indicators[spec.name])
    # The example chain is about innovation; the questions that test its levels link to it.
    chain_questions = {q.text for q in seed.summative_questions} | {
        seed.process_questions[0].text,
        seed.example_questions[0],
    }
    questions = {}
    for text, kind, level, explanation in question_classification(seed):
        questions[text] = _upsert_record(
            report,
            EvaluationQuestion,
            {"text": text},
            {
                "kind": kind,
                "chain_level": level,
                "explanation": explanation,
                "chains": [chain] if text in chain_questions else [],
                "indicators": indicators_for[text],
                "tags": content.QUESTION_TAGS.get(text, []),
            },
        )
    return questions


def _build_chapters(report: _Report, seed: Seed, framework: FrameworkIndexPage, links: dict) -> list[GuidancePage]:
    return [
        _upsert_page(
            report,
            framework,
            GuidancePage,
            chapter["slug"],
            {
                "title": chapter["title"],
                "intro": chapter["intro"],
                "body": _stream(chapter["slug"], chapter["body"]),
                "tags": chapter["tags"],
            },
        )
        for chapter in content.chapters(seed, links)
    ]


def _build_results(report, index, regions, priorities, chain, questions, indicators) -> list[EvaluationResultPage]:
    pages = []
    for spec in content.results():
        lessons = []
        for statement, level, tag_names in spec["lessons"]:
            lesson = Lesson(statement=statement, chain_level=str(level))
            lesson.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tag_names])
            lessons.append(lesson)
        values = {
            "title": spec["title"],
            "intro": spec["intro"],
            "evaluated": spec["evaluated"],
            "period_start": spec["period_start"],
            "period_end": spec["period_end"],
            "published_on": spec["published_on"],
            "regions": [regions[name] for name in spec["regions"]],
            "priorities": [priorities[title] for title in spec["priorities"]],
            "chains": [chain],
            "evaluator": spec["evaluator"],
            "key_findings": spec["key_findings"],
            "findings": spec["findings"],
            "conclusions": spec["conclusions"],
            "is_fictitious": True,
            "tags": spec["tags"],
            "answers": [
                QuestionAnswer(question=questions[text], answer=answer, status=status)
                for text, answer, status in spec["answers"]
            ],
            "recommendations": [
                Recommendation(text=text, response=response, status=status)
                for text, response, status in spec["recommendations"]
            ],
            "lessons": lessons,
            "indicator_values": [
                ReportedIndicatorValue(indicator=indicators[name], year=year, value=value, target=target)
                for name, year, value, target in spec["indicator_values"]
            ],
        }
        pages.append(_upsert_page(report, index, EvaluationResultPage, spec["slug"], values))
    return pages


def build_demo_content(stdout=None) -> dict:
    """Create or update the whole demo portal; returns counts of what was created, updated and so on.

    Idempotent: a second run finds everything by slug or natural key and changes nothing. Runs in
    one transaction, so a failure leaves the database as it was.
    """
    seed = load_seed()
    report = _Report(stdout)
    with transaction.atomic():
        home = _build_home(report)
        _build_site(report, home)
        _delete_welcome_page(report, home)
        sections = _build_sections(report, home)
        _build_concepts(report, seed, sections["begrepp"])
        regions, priorities, indicators = _build_records(report)
        chain = _build_chain(report, sections["effektkedjor"])
        questions = _build_questions(report, seed, chain, indicators)
        _build_chapters(report, seed, sections["ramverket"], {"glossary": sections["begrepp"].pk, "chain": chain.pk})
        _build_results(report, sections["resultat"], regions, priorities, chain, questions, indicators)
        ensure_roles_and_workflow()
    return report.as_dict()


def ensure_dev_admin() -> str:
    """Create or update the local superuser `admin`; only ever with DEBUG on. Returns what was done."""
    if not settings.DEBUG:
        raise DemoContentError(
            "Utvecklingskontot admin skapas bara när DEBUG är på (portal.settings.dev). "
            "Skapa konton i produktion med `manage.py createsuperuser`."
        )
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=DEV_ADMIN_USERNAME, defaults={"email": "admin@example.org"}
    )
    changed = created
    if not user.check_password(DEV_ADMIN_PASSWORD):
        user.set_password(DEV_ADMIN_PASSWORD)
        changed = True
    for flag in ("is_superuser", "is_staff", "is_active"):
        if not getattr(user, flag):
            setattr(user, flag, True)
            changed = True
    if changed:
        user.save()
    return "created" if created else "updated" if changed else "unchanged"
