"""The demo content: parsed from the framework text, complete, idempotent and served."""

import pytest
from django.core.management import CommandError, call_command
from django.template import TemplateDoesNotExist
from wagtail.models import Page, Revision, Site

from core.levels import ChainLevel
from home.models import HomePage, StandardPage
from larande.demo import content
from larande.demo.build import build_demo_content
from larande.demo.seed import SEED_PATH, SeedError, load_seed, parse_seed
from larande.glossary.models import DEFINITION_MAX_LENGTH
from larande.models import (
    ChainIndexPage,
    ChainLink,
    ConceptPage,
    ConceptStatus,
    EffectChainPage,
    EvaluationPlanPage,
    EvaluationQuestion,
    EvaluationResultPage,
    FollowUpIndexPage,
    FrameworkIndexPage,
    GlossaryIndexPage,
    GuidancePage,
    Indicator,
    LessonIndexPage,
    QuestionKind,
    Recommendation,
    RecommendationIndexPage,
    RecommendationStatusChange,
    Region,
    ResultIndexPage,
    RusPriority,
)
from tests import factories

L = ChainLevel
P, S = QuestionKind.PROCESS, QuestionKind.SUMMATIVE

# Every example question of the seed with the kind and level it must be stored with.
SEED_QUESTIONS = {
    "Leder insatserna till hållbar regional tillväxt?": (S, L.LANGSIKTIGA_EFFEKTER),
    "Är det rätt mix av insatser för att komma tillrätta med utmaningar eller ta tillvara på möjligheter?": (
        P,
        L.AKTIVITETER,
    ),
    "Är mängden resurser rimliga i förhållande till resultatet? Finns de nödvändiga resurserna?": (P, L.RESURSER),
    "Vad kan förbättras i planering och genomförande av insatser?": (P, L.AKTIVITETER),
    "Är rätt personer/aktörer involverade?": (P, L.AKTIVITETER),
    "Vad leder insatserna till? Planerat eller oplanerat? Direkt eller indirekt?": (S, L.KORTSIKTIGA_EFFEKTER),
    "Är insatserna hållbara (ekonomiskt, miljömässigt och socialt)?": (S, L.LANGSIKTIGA_EFFEKTER),
    "Hur ser ansökningstrycket på 1.1-medel ut?": (P, L.RESURSER),
    "Är regionala insatser jämställdhetsintegrerade?": (P, L.AKTIVITETER),
    "Hur aktiva är klustren i länet?": (S, L.PRESTATIONER),
    "Innebär nätverken som drivs regionalt till att deltagarna får ökad kunskap att genomföra sina uppdrag?": (
        S,
        L.UTFALL,
    ),
    "Leder innovationsfrämjande insatser till nya innovationer?": (S, L.KORTSIKTIGA_EFFEKTER),
    "Ökar nyföretagandet i länet?": (S, L.KORTSIKTIGA_EFFEKTER),
    "Hur påverkas människors livskvalitet i länet?": (S, L.LANGSIKTIGA_EFFEKTER),
}


@pytest.fixture
def demo(demo_content, db):
    """The demo content's build counts; the content itself is shared by the module (tests/conftest.py)."""
    return demo_content


def page(model, slug):
    return model.objects.get(slug=slug)


# --- The seed parser -----------------------------------------------------------------------------


def test_seed_yields_all_benefits_challenges_levels_and_questions():
    seed = load_seed()
    assert [p.title for p in seed.benefits] == [
        "Resultat",
        "Styrning",
        "Ansvarskrävanden",
        "Lärande",
        "Programutveckling",
        "Beslutfattande",
        "Planering",
        "Legitimitet",
    ]
    assert len(seed.challenges) == 8
    assert seed.challenges[4].title == "Begreppsförvirring"
    assert seed.challenges[4].text == "Inga entydiga definitioner."
    assert set(seed.levels) == set(ChainLevel.chain_levels())
    assert seed.levels[L.KORTSIKTIGA_EFFEKTER].endswith("på kort sikt (0–2 år).")
    assert seed.context == "Politisk, social och ekonomisk kontext"
    assert "kausalitet" in seed.causality
    assert len(seed.question_points) == 3
    assert len(seed.example_questions) == 7
    assert [q.text for q in seed.process_questions] == [
        "Hur ser ansökningstrycket på 1.1-medel ut?",
        "Är regionala insatser jämställdhetsintegrerade?",
    ]
    assert [q.level for q in seed.summative_questions] == [L.PRESTATIONER, L.UTFALL, L.KORTSIKTIGA_EFFEKTER,
                                                            L.KORTSIKTIGA_EFFEKTER, L.LANGSIKTIGA_EFFEKTER]  # fmt: skip
    parsed = set(seed.example_questions) | {q.text for q in seed.process_questions + seed.summative_questions}
    assert parsed == set(SEED_QUESTIONS)


def test_seed_parser_tolerates_other_dashes_quotes_and_spacing():
    original = seed_text()
    variant = (
        original.replace("- **STYRNING** - ", "-   **STYRNING** — ")
        .replace(
            '- "Ökar nyföretagandet i länet?" (Kortsiktiga effekter)',
            "- “Ökar nyföretagandet i länet?”  (kortsiktiga  effekter)",
        )
        .replace("\nG\n", "\n\n\nG  \n")
    )
    seed = parse_seed(variant)
    assert [p.title for p in seed.benefits][1] == "Styrning"
    assert len(seed.benefits) == 8
    assert seed.levels[L.RESURSER].startswith("Resurser beskriver")
    assert ("Ökar nyföretagandet i länet?", L.KORTSIKTIGA_EFFEKTER) in [
        (q.text, q.level) for q in seed.summative_questions
    ]


def test_seed_parser_names_what_is_missing():
    text = seed_text().replace("NYTTA MED RAMVERK", "NYTTOR")
    with pytest.raises(SeedError, match="NYTTA MED RAMVERK"):
        parse_seed(text)
    text = seed_text().replace("(utfall)", "(mellanting)")
    with pytest.raises(SeedError, match="mellanting"):
        parse_seed(text)


def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


# --- The built content ---------------------------------------------------------------------------


def test_build_on_empty_database_creates_the_portal(demo, db):
    assert demo["created"] > 60
    # Only Wagtail's default site is updated (re-rooted) and only its "Welcome" page deleted.
    assert demo["updated"] == demo["models"].get("Site", {}).get("updated", 0) <= 1
    assert demo["deleted"] <= 1
    home = HomePage.objects.get()
    assert (home.title, home.slug, home.depth) == ("Lärportalen", "hem", 2)
    assert "ramverket för strategiskt lärande" in home.introduction
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_page_id) == ("localhost", 80, home.pk)
    # Wagtail's "Welcome" page is gone: the start page is the only page under the root.
    assert list(Page.objects.filter(depth=2)) == [home.page_ptr]

    sections = Page.objects.child_of(home).specific().order_by("path")
    assert [(type(p), p.slug, p.show_in_menus) for p in sections] == [
        (GlossaryIndexPage, "begrepp", True),
        (FrameworkIndexPage, "ramverket", True),
        (ChainIndexPage, "effektkedjor", True),
        (ResultIndexPage, "resultat", True),
        (LessonIndexPage, "lardomar", True),
        (EvaluationPlanPage, "utvarderingsplan", True),
        (StandardPage, "om", False),
        (StandardPage, "tillganglighet", False),
        (RecommendationIndexPage, "rekommendationer", True),
        (FollowUpIndexPage, "uppfoljning", True),
    ]
    assert all(p.intro for p in sections)

    assert ConceptPage.objects.count() >= 24
    assert EffectChainPage.objects.count() >= 1
    assert EvaluationResultPage.objects.count() >= 6
    assert sorted(Region.objects.values_list("name", flat=True)) == [
        "Region Jämtland Härjedalen",
        "Region Västerbotten",
        "Region Västernorrland",
    ]
    assert 3 <= RusPriority.objects.count() <= 4
    assert Indicator.objects.count() >= 3
    assert all(i.values.count() >= 3 for i in Indicator.objects.all())


def test_accessibility_statement_covers_what_the_law_asks(demo, db):
    statement = page(StandardPage, "tillganglighet")
    text = statement.intro + "".join(str(block.value) for block in statement.body)
    for required in ("2018:1937", "WCAG", "2.1", "AA", "Digg", "Myndigheten för digital förvaltning", "mailto:"):
        assert required in text


def test_guidance_chapters_follow_the_seed(demo, db):
    seed = load_seed()
    framework = page(FrameworkIndexPage, "ramverket")
    chapters = list(GuidancePage.objects.child_of(framework).order_by("path"))
    assert [c.title for c in chapters] == [
        "Vad är uppgiften",
        "Regionala utvecklingsstrategin",
        "Nytta med ramverk",
        "Erfarenheter och utmaningar",
        "Effektkedjor",
        "Utvärderingsfrågor",
    ]
    assert all(c.intro and c.tags.exists() and len(c.body) >= 3 for c in chapters)

    def benefit_titles(chapter):
        (block,) = [b for b in chapter.body if b.block_type == "benefits"]
        return [item["title"] for item in block.value["items"]]

    benefits = benefit_titles(page(GuidancePage, "nytta-med-ramverk"))
    challenges = benefit_titles(page(GuidancePage, "erfarenheter-och-utmaningar"))
    assert len(benefits) == len(challenges) == 8
    assert "Beslutsfattande" in benefits  # the seed's "Beslutfattande", spelt right
    assert benefits == [item["title"] for item in content.point_items(seed.benefits)]
    assert challenges == [p.title for p in seed.challenges]

    chain_chapter = page(GuidancePage, "effektkedjor")
    (table,) = [b for b in chain_chapter.body if b.block_type == "table"]
    rows = table.value["table"]["data"]
    assert [row[0] for row in rows[1:]] == ["A", "B", "C", "D", "E", "F", "G"]
    assert rows[4][2] == seed.levels[L.UTFALL]
    callouts = [b.value for b in chain_chapter.body if b.block_type == "callout"]
    assert any(seed.causality in str(c["text"]) for c in callouts)

    rendered = "".join(b.render() for b in page(GuidancePage, "utvarderingsfragor").body)
    for text in SEED_QUESTIONS:
        assert text in rendered


def test_every_chain_level_has_a_concept_with_the_seed_definition(demo, db):
    seed = load_seed()
    for level in ChainLevel:
        concept = ConceptPage.objects.get(chain_level=level)
        assert concept.title == level.label
        assert concept.english_term
        if level != L.KONTEXT:
            assert concept.short_definition == seed.levels[level]
    terms = {c.title: c for c in ConceptPage.objects.all()}
    assert terms["Utfall"].english_term == "outcome"
    assert terms["Prestationer"].english_term == "output"
    assert terms["Effektkedja"].english_term == "logic model"
    assert terms["Effektkedja"].english_label_list == ["results chain", "theory of change"]
    # One English term per concept; the other English words are English labels of their own.
    assert not [c.title for c in terms.values() if ";" in c.english_term]
    assert "direkt resultat" in terms["Utfall"].labels
    assert {"efektkedja", "effektkedjan"} <= set(terms["Effektkedja"].hidden_label_list)


def test_concepts_are_complete_and_related(demo, db):
    concepts = {c.slug: c for c in ConceptPage.objects.all()}
    required = {
        "effektkedja", "utvarderingsfraga", "processorienterad-fraga", "summerande-fraga", "uppfoljning",
        "utvardering", "larande", "indikator", "regional-utvecklingsstrategi", "hallbar-regional-tillvaxt",
        "kausalitet", "begreppsforvirring", "resultat", "effekt",
    }  # fmt: skip
    assert required <= set(concepts)
    for concept in concepts.values():
        assert 0 < len(concept.short_definition) <= DEFINITION_MAX_LENGTH, concept.title
        assert concept.explanation and concept.sources.count() == 1 and concept.tags.exists(), concept.title
        concept.full_clean()  # the model's own rules (e.g. deprecated needs a replacement) hold

    def contrasted(a, b):
        return concepts[a].contrasts.filter(other=concepts[b]).exclude(difference="").exists()

    for a, b in [
        ("utfall", "prestationer"),
        ("utfall", "kortsiktiga-effekter"),
        ("uppfoljning", "utvardering"),
        ("resultat", "effekt"),
        ("processorienterad-fraga", "summerande-fraga"),
    ]:
        assert contrasted(a, b) and contrasted(b, a), (a, b)

    assert concepts["effektkedja"] in concepts["utfall"].broader.all()
    assert concepts["utvarderingsfraga"] in concepts["summerande-fraga"].broader.all()
    assert concepts["kausalitet"] in concepts["effektkedja"].related.all()
    assert concepts["effektkedja"] in concepts["kausalitet"].related.all()

    (deprecated,) = [c for c in concepts.values() if c.status == ConceptStatus.DEPRECATED]
    assert deprecated.use_instead == concepts["effektkedja"]
    assert deprecated.use_instead.status == ConceptStatus.RECOMMENDED


def test_every_seed_question_is_stored_with_its_kind_and_level(demo, db):
    stored = {q.text: (q.kind, q.chain_level) for q in EvaluationQuestion.objects.all()}
    # The seed's questions, and the example chains' own questions (larande/demo/content.py).
    expected = {text: (kind.value, level.value) for text, (kind, level) in SEED_QUESTIONS.items()}
    expected |= {text: (str(kind), str(level)) for text, kind, level, _, _ in content.CHAIN_QUESTIONS}
    assert stored == expected
    for question in EvaluationQuestion.objects.all():
        question.full_clean()


def test_example_chain_is_complete_and_links_go_upwards(demo, db):
    chain = EffectChainPage.objects.get(slug="exempel-innovationsframjande-insatser")
    assert chain.purpose and chain.context and chain.evidence_basis
    elements = {e.key: e for e in chain.elements.all()}
    for level in ChainLevel.chain_levels():
        on_level = [e for e in elements.values() if e.level == level]
        assert len(on_level) >= 2, level
        assert all(e.key.startswith(level.value) for e in on_level)
    links = list(chain.links.all())
    assert len(links) >= 12
    for link in links:
        source, target = elements[link.source_key], elements[link.target_key]
        assert target.chain_level.rank > source.chain_level.rank, link
        assert link.rationale and link.evidence
    # Every element but the top takes part in the chain: something leads on from it.
    sources = {link.source_key for link in links}
    assert {k for k, e in elements.items() if e.level != L.LANGSIKTIGA_EFFEKTER} <= sources

    summative = {q.text for q in load_seed().summative_questions}
    linked = set(chain.questions.values_list("text", flat=True))
    assert summative <= linked


def test_example_results_are_fictitious_and_complete(demo, db):
    results = list(EvaluationResultPage.objects.order_by("published_on"))
    assert len(results) >= 6
    for result in results:
        assert result.is_fictitious and result.title.startswith("Fiktivt exempel:")
        assert result.period_start < result.period_end
        assert result.regions.exists() and result.priorities.exists() and result.chains.exists()
        assert result.evaluator and result.key_findings and result.findings and result.conclusions
        assert result.answers.count() >= 3 and result.recommendations.count() >= 2
        assert all(r.response for r in result.recommendations.all())
        assert result.lessons.count() >= 2
        assert all(lesson.chain_level and lesson.tags.exists() for lesson in result.lessons.all())
        assert result.indicator_values.exists() and result.tags.exists()
    statuses = {a.status for r in results for a in r.answers.all()}
    assert statuses == {"answered", "partly", "not_answered"}


def test_every_page_is_live_with_a_published_revision(demo, db):
    pages = Page.objects.filter(depth__gte=2)
    assert pages.count() >= 40
    for p in pages:
        assert p.live and p.live_revision_id and not p.has_unpublished_changes, p.title
        assert p.live_revision_id == p.latest_revision_id


def test_rebuilding_changes_nothing(demo, db):
    def state():
        return {
            "pages": sorted(Page.objects.values_list("id", "latest_revision_id", "live_revision_id")),
            "revisions": Revision.objects.count(),
            "questions": EvaluationQuestion.objects.count(),
            "regions": Region.objects.count(),
            "indicators": sorted(Indicator.objects.values_list("id", "values__year", "values__value")),
            "sites": list(Site.objects.values_list("id", "root_page_id", "is_default_site")),
        }

    before = state()
    counts = build_demo_content()
    assert (counts["created"], counts["updated"], counts["deleted"]) == (0, 0, 0)
    assert counts["unchanged"] == demo["created"] + demo["updated"]  # everything seen again, nothing touched
    assert state() == before


def test_rebuilding_restores_edited_content_in_place(demo, db):
    utfall = page(ConceptPage, "utfall")
    utfall.short_definition = "Något annat."
    utfall.contrasts = []
    utfall.save_revision().publish()
    question = EvaluationQuestion.objects.get(text="Ökar nyföretagandet i länet?")
    question.chain_level = L.UTFALL
    question.save()
    pages_before = Page.objects.count()

    counts = build_demo_content()

    assert counts["created"] == 0
    assert counts["models"]["ConceptPage"]["updated"] == 1
    assert counts["models"]["EvaluationQuestion"]["updated"] == 1
    utfall = page(ConceptPage, "utfall")
    assert utfall.short_definition == load_seed().levels[L.UTFALL]
    assert utfall.contrasts.count() == 2
    assert EvaluationQuestion.objects.get(text="Ökar nyföretagandet i länet?").chain_level == L.KORTSIKTIGA_EFFEKTER
    assert Page.objects.count() == pages_before


SERVED = [
    "/",
    "/begrepp/",
    "/ramverket/",
    "/effektkedjor/",
    "/resultat/",
    "/lardomar/",
    "/om/",
    "/tillganglighet/",
    "/begrepp/utfall/",
    "/begrepp/resultatkedja/",
    "/ramverket/nytta-med-ramverk/",
    "/ramverket/effektkedjor/",
    "/effektkedjor/exempel-innovationsframjande-insatser/",
    "/resultat/fiktivt-exempel-klusterinitiativ-2021-2023/",
]


@pytest.mark.parametrize("url", SERVED)
def test_demo_pages_are_served(demo, db, client, url):
    try:
        response = client.get(url)
    except TemplateDoesNotExist as missing:
        pytest.skip(f"mallen {missing} är inte skriven ännu")
    assert response.status_code == 200
    assert Page.objects.get(url_path=f"/hem{url}").title in response.content.decode()


def test_site_answers_on_the_dev_server_address(demo, db, client):
    response = client.get("/", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert "Lärportalen" in response.content.decode()


# --- The command ---------------------------------------------------------------------------------


def test_command_reports_an_unchanged_portal(demo, db, capsys):
    call_command("build_demo_content")
    out = capsys.readouterr().out
    assert "0 skapade, 0 uppdaterade" in out


def test_admin_flag_is_refused_without_debug(db, settings, django_user_model):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("build_demo_content", "--admin")
    assert not django_user_model.objects.filter(username="admin").exists()


def test_admin_flag_creates_the_dev_superuser_with_debug(demo, db, settings, django_user_model, capsys):
    settings.DEBUG = True
    call_command("build_demo_content", "--admin")
    admin = django_user_model.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("lärportalen-dev")
    assert "admin är skapat" in capsys.readouterr().out
    call_command("build_demo_content", "--admin")
    assert "admin är oförändrat" in capsys.readouterr().out


# --- Factories -----------------------------------------------------------------------------------


def test_factories_place_pages_in_the_tree_and_build_records(db):
    concept = factories.ConceptPageFactory(chain_level=L.UTFALL, tags=["effektkedjor"], publish=True)
    glossary = concept.get_parent().specific
    assert isinstance(glossary, GlossaryIndexPage) and isinstance(glossary.get_parent().specific, HomePage)
    assert concept.live and concept.live_revision_id and [t.name for t in concept.tags.all()] == ["effektkedjor"]
    assert factories.GlossaryIndexPageFactory() == glossary  # one section page per slug
    draft = factories.ConceptPageFactory(live=False)
    assert not draft.live and draft.get_parent().pk == glossary.pk

    chain = factories.EffectChainPageFactory(full_chain=True)
    assert [e.level for e in chain.elements.all()] == [lvl.value for lvl in ChainLevel.chain_levels()]
    assert chain.links.count() == 5
    assert isinstance(chain.get_parent().specific, ChainIndexPage)
    factories.ChainElementFactory(chain=chain, key="D2")
    factories.ChainLinkFactory(chain=chain, source_key="E1", target_key="D2")
    assert chain.elements.count() == 7 and chain.links.count() == 6

    chapter = factories.GuidancePageFactory()
    assert chapter.body[0].block_type == "paragraph"
    assert isinstance(chapter.get_parent().specific, FrameworkIndexPage)

    region = factories.RegionFactory()
    result = factories.EvaluationResultPageFactory(regions=[region], chains=[chain], priorities=[
        factories.RusPriorityFactory()
    ])  # fmt: skip
    assert isinstance(result.get_parent().specific, ResultIndexPage)
    assert list(result.regions.all()) == [region] and result.priorities.count() == 1
    lesson = factories.LessonFactory(result=result, tags=["kluster", "innovation"])
    assert sorted(t.name for t in lesson.tags.all()) == ["innovation", "kluster"]
    indicator = factories.IndicatorFactory(values={2022: (5, 6), 2023: (7, None)})
    assert [(v.year, v.target) for v in indicator.values.all()] == [(2022, 6), (2023, None)]
    question = factories.EvaluationQuestionFactory(chains=[chain], indicators=[indicator])
    question.full_clean()
    process = factories.EvaluationQuestionFactory(process=True)
    assert (process.kind, process.chain_level) == (QuestionKind.PROCESS, "")
    process.full_clean()
    factories.QuestionAnswerFactory(result=result, question=question)
    factories.RecommendationFactory(result=result)
    factories.ReportedIndicatorValueFactory(result=result, indicator=indicator)
    assert (result.answers.count(), result.recommendations.count(), result.indicator_values.count()) == (1, 1, 1)
    assert factories.LessonIndexPageFactory().slug == "lardomar"
    assert factories.StandardPageFactory().get_parent().pk == factories.home_page().pk


# --- Recommendation tracker, follow-up and questions decided together ---------------------------------


def test_demo_has_recommendations_in_every_status_with_dated_history(demo, db, client):
    statuses = set(Recommendation.objects.filter(result__live=True).values_list("status", flat=True))
    assert statuses == set(Recommendation.Status.values)
    done = Recommendation.objects.get(text__startswith="Mät kortsiktiga effekter två år")
    history = list(RecommendationStatusChange.objects.filter(key=done.key).values_list("status", "changed_on"))
    assert [status for status, _ in history] == ["planned", "in_progress", "done"]
    assert [day for _, day in history] == sorted(day for _, day in history)
    assert all(r.chain_level for r in Recommendation.objects.all())
    html = client.get("/rekommendationer/").content.decode()
    assert "Statushistorik (3 ändringar)" in html
    for label in ("planerad", "pågår", "genomförd", "avvisad"):
        assert f'<span class="status-counts__label">{label}</span>' in html


def test_demo_questions_have_decisions_and_the_followup_has_content(demo, db, client):
    decided = EvaluationQuestion.objects.exclude(decided_on=None)
    assert decided.count() == 3
    assert all(q.decision_regions.exists() and q.decision_forums and q.decision_rationale for q in decided)
    html = client.get("/uppfoljning/innovation-och-naringslivsutveckling/").content.decode()
    assert '<svg class="indicator-chart"' in html
    assert "Öppna rekommendationer" in html and "Ge varje klusterinitiativ en processledare" in html


def test_the_demo_shows_evidence_on_links_across_regions_years_and_priorities(demo, db):
    """Issue 16: three regions, chains under different RUS priorities, results 2020–2025 with
    answers tied to links, and indicator values with targets."""
    from larande.chains.evidence import LinkStatus, evidence_by_link

    chains = list(EffectChainPage.objects.live().prefetch_related("priorities"))
    assert len(chains) >= 3
    priorities = [frozenset(p.slug for p in chain.priorities.all()) for chain in chains]
    assert all(priorities) and len(set(priorities)) == len(chains)

    results = list(EvaluationResultPage.objects.live().prefetch_related("regions", "chains", "link_evidence__link"))
    assert {r.published_on.year for r in results} == {2020, 2021, 2022, 2023, 2024, 2025}
    assert {region.name for r in results for region in r.regions.all()} == set(content.REGIONS)
    for r in results:
        assert r.is_fictitious and r.title.startswith("Fiktivt exempel:")
        evidence = list(r.link_evidence.all())
        assert evidence, r.title
        # Every link tested belongs to a chain the result evaluates.
        assert {e.link.chain_id for e in evidence} <= {c.pk for c in r.chains.all()}, r.title

    summaries = evidence_by_link([c.pk for c in chains])
    statuses = {summary.status for summary in summaries.values()}
    assert statuses == {LinkStatus.SUPPORTED, LinkStatus.CONTRADICTED, LinkStatus.DISPUTED, LinkStatus.UNCLEAR}
    tested = set(summaries)
    assert ChainLink.objects.filter(chain__in=chains).exclude(pk__in=tested).exists()  # and some untested

    for indicator in Indicator.objects.prefetch_related("values"):
        values = list(indicator.values.all())
        assert any(v.value is not None for v in values), indicator.name
        assert any(v.target is not None for v in values), indicator.name


def test_the_demo_plan_page_drafts_a_plan_for_each_chain(demo, db, client):
    for chain in EffectChainPage.objects.live():
        questions = list(chain.questions.values_list("pk", flat=True))
        assert questions, chain.title
        query = "&".join(f"fraga={pk}" for pk in questions)
        response = client.get(f"/utvarderingsplan/?kedja={chain.slug}&{query}&visa=plan")
        assert response.status_code == 200, chain.title
        assert f"Utvärderingsplan för effektkedjan {chain.title}" in response.content.decode()
