"""Build the demo content idempotently: look everything up by slug or natural key, update in place.

A page is only given a new revision when its content differs from what is live, so running the
build twice creates nothing and changes nothing the second time. Every page is published
through a revision, as an editor's would be, so the admin shows its history.

Pages and records are made with the builders the test factories use too (`larande.demo.builders`);
this module only decides what the demo portal holds and counts what each run did.
"""

import uuid
from collections import Counter, defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, Site

from home.models import HomePage, StandardPage
from home.roles import ensure_roles_and_workflow
from larande import models as larande_models
from larande.models import (
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
    Lesson,
    LinkEvidence,
    QuestionAnswer,
    QuestionKind,
    Recommendation,
    RecommendationStatusChange,
    Region,
    ReportedIndicatorValue,
    RusPriority,
)

from . import builders, content
from .builders import DemoContentError
from .seed import Seed, load_seed

SITE_HOSTNAME = "localhost"
SITE_PORT = 80
DEV_ADMIN_USERNAME = "admin"
DEV_ADMIN_PASSWORD = "lärportalen-dev"  # noqa: S105 - documented local development account, DEBUG only


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


def _upsert_page(report: _Report, parent: Page, model, slug: str, values: dict, publish: bool = True):
    """`builders.upsert_page`, counted once per page: a page created in this run (a concept made
    as a draft before its relations exist) is counted as created, not also as updated."""
    page, action = builders.upsert_page(parent, model, slug, values, publish=publish)
    key = (model.__name__, page.pk)
    if action == "created":
        report.fresh.add(key)
        report.record(action, page)
    elif key not in report.fresh:
        report.record(action, page)
    return page


def _upsert_record(report: _Report, model, lookup: dict, values: dict):
    obj, action = builders.upsert_record(model, lookup, values)
    report.record(action, obj)
    return obj


# --- The parts of the site ---------------------------------------------------------------------


def _build_home(report: _Report) -> HomePage:
    root = builders.tree_root()
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
                "body": builders.stream(spec["slug"], spec["body"]),
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
                "values": builders.indicator_values(spec.values),
            },
        )
    return regions, priorities, indicators


def _build_chains(report: _Report, index: Page, priorities: dict) -> dict[str, EffectChainPage]:
    """The example chains by slug, each under its RUS priorities."""
    chains = {}
    for spec in content.CHAINS:
        levels = {key: level for key, level, _, _ in spec["elements"]}
        for source, target, _, _ in spec["links"]:
            if levels[target].rank <= levels[source].rank:
                raise DemoContentError(f"Länken {source} → {target} i exempelkedjan {spec['slug']} går inte uppåt.")
        chains[spec["slug"]] = _upsert_page(
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
                "priorities": [priorities[title] for title in spec["priorities"]],
                "tags": spec["tags"],
                "elements": builders.chain_elements(spec["elements"]),
                "links": builders.chain_links(spec["links"]),
            },
        )
    return chains


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


def _build_questions(report: _Report, seed: Seed, chains: dict, indicators: dict) -> dict:
    chain = chains[content.CHAIN["slug"]]
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
                **_question_decision(text),
            },
        )
    for text, kind, level, explanation, chain_slug in content.CHAIN_QUESTIONS:
        questions[text] = _upsert_record(
            report,
            EvaluationQuestion,
            {"text": text},
            {
                "kind": str(kind),
                "chain_level": str(level),
                "explanation": explanation,
                "chains": [chains[chain_slug]],
                "indicators": indicators_for[text],
                "tags": content.QUESTION_TAGS.get(text, []),
                **_question_decision(text),
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
                "body": builders.stream(chapter["slug"], chapter["body"]),
                "tags": chapter["tags"],
            },
        )
        for chapter in content.chapters(seed, links)
    ]


def _chain_links(chains: dict) -> dict[tuple[str, str, str], ChainLink]:
    """The stored links of the example chains by (chain slug, from, to): read from the database, as
    the pages in hand hold the rows the build gave them, not the saved ones."""
    slugs = {chain.pk: slug for slug, chain in chains.items()}
    return {
        (slugs[link.chain_id], link.source_key, link.target_key): link
        for link in ChainLink.objects.filter(chain_id__in=list(slugs))
    }


def _build_results(report, index, regions, priorities, chains, questions, indicators) -> list[EvaluationResultPage]:
    pages = []
    links = _chain_links(chains)
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
            "chains": [chains[slug] for slug in spec["chains"]],
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
                _recommendation(spec["slug"], text, response, status)
                for text, response, status in spec["recommendations"]
            ],
            "lessons": lessons,
            "indicator_values": [
                ReportedIndicatorValue(indicator=indicators[name], year=year, value=value, target=target)
                for name, year, value, target in spec["indicator_values"]
            ],
            "link_evidence": [
                LinkEvidence(link=links[(slug, source, target)], verdict=verdict, finding=finding)
                for slug, source, target, verdict, finding in spec.get("evidence", [])
            ],
        }
        pages.append(_upsert_page(report, index, EvaluationResultPage, spec["slug"], values))
    return pages


# --- Recommendation tracker, follow-up and questions decided together ----------------------------------

# Demo recommendations' identities derive from their result and text, so a rebuild finds them unchanged.
RECOMMENDATION_NAMESPACE = uuid.UUID("5d0c8a52-3f4e-4b8e-9a51-0d7e9f6c2b11")


def _recommendation(result_slug: str, text: str, response: str, status: str) -> Recommendation:
    details = content.recommendation_details().get((result_slug, text), {})
    return Recommendation(
        key=uuid.uuid5(RECOMMENDATION_NAMESPACE, f"{result_slug}:{text}"),
        text=text,
        response=response,
        status=status,
        status_date=details.get("status_date"),
        chain_level=str(details.get("chain_level") or ""),
    )


def _build_tracker_sections(report: _Report, home: HomePage) -> dict[str, Page]:
    sections = {}
    for model_name, slug, title, intro in content.TRACKER_SECTIONS:
        model = getattr(larande_models, model_name)
        sections[slug] = _upsert_page(
            report, home, model, slug, {"title": title, "intro": intro, "show_in_menus": True}
        )
    return sections


def _build_recommendation_history(report: _Report, results: list[EvaluationResultPage]) -> None:
    """The earlier statuses of the demo recommendations; the current one is recorded on publish."""
    by_slug = {result.slug: result for result in results}
    for (slug, text), details in content.recommendation_details().items():
        result = by_slug.get(slug)
        if result is None:
            continue
        key = uuid.uuid5(RECOMMENDATION_NAMESPACE, f"{slug}:{text}")
        for changed_on, status in details.get("history", []):
            _upsert_record(
                report,
                RecommendationStatusChange,
                {"result": result, "key": key, "changed_on": changed_on},
                {"status": status},
            )


def _question_decision(text: str) -> dict:
    """The decision on an example question, as its fields (none for a question not decided)."""
    spec = next((spec for spec in content.question_decisions() if spec["text"] == text), None)
    if spec is None:
        return {}
    return {
        "decided_on": spec["decided_on"],
        "decision_regions": list(Region.objects.filter(name__in=spec["regions"]).order_by("name")),
        "decision_forums": spec["forums"],
        "decision_rationale": spec["rationale"],
    }


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
        chains = _build_chains(report, sections["effektkedjor"], priorities)
        questions = _build_questions(report, seed, chains, indicators)
        chain = chains[content.CHAIN["slug"]]
        _build_chapters(report, seed, sections["ramverket"], {"glossary": sections["begrepp"].pk, "chain": chain.pk})
        results = _build_results(report, sections["resultat"], regions, priorities, chains, questions, indicators)
        _build_tracker_sections(report, home)
        _build_recommendation_history(report, results)
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
