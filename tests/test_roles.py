"""Roles and moderation through the real admin: Redaktör and Kommunikatör write and submit for
review but cannot publish; Granskare approves and the page goes live. Revisions and comparisons
work for every page type, and a result can be scheduled to go live later."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Revision, Workflow, WorkflowPage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import StandardPage
from home.roles import GRANSKARE, KOMMUNIKATOR, REDAKTOR, WORKFLOW_NAME, ensure_roles_and_workflow
from larande.models import (
    ChainIndexPage,
    ConceptPage,
    EffectChainPage,
    EvaluationResultPage,
    FrameworkIndexPage,
    GlossaryIndexPage,
    GuidancePage,
    Lesson,
    LessonIndexPage,
    ResultIndexPage,
)
from tests.admin_forms import add_url, edit_url, form_data, merged
from tests.factories import (
    ConceptPageFactory,
    EffectChainPageFactory,
    EvaluationResultPageFactory,
    GuidancePageFactory,
    IndicatorFactory,
    StandardPageFactory,
)
from tests.publishing_support import user_in

SUBMIT = {"action-submit": "action-submit"}
PUBLISH = {"action-publish": "action-publish"}


@pytest.fixture
def users(db):
    return {
        REDAKTOR: user_in(REDAKTOR),
        KOMMUNIKATOR: user_in(KOMMUNIKATOR),
        GRANSKARE: user_in(GRANSKARE),
    }


def _login(client, user):
    client.force_login(user)
    return client


def _concept_form(client, glossary, **changes):
    response = client.get(add_url(glossary, ConceptPage))
    assert response.status_code == 200
    data = nested_form_data(
        {
            "title": "Utfall",
            "slug": "utfall",
            "short_definition": "Hur deltagarna har påverkats av aktiviteten.",
            "explanation": rich_text("<p>Utfallet inträffar direkt.</p>"),
            "chain_level": "D",
            "status": "recommended",
            "contrasts": inline_formset([]),
            "sources": inline_formset([]),
        }
    )
    return merged(form_data(response), data, changes)


def _result_form(client, results, **changes):
    response = client.get(add_url(results, EvaluationResultPage))
    assert response.status_code == 200
    indicator = IndicatorFactory(name="Antal deltagare")
    data = nested_form_data(
        {
            "title": "Utvärdering av Kompetenslyftet",
            "slug": "kompetenslyftet",
            "evaluated": "Kompetenslyftets två första år.",
            "period_start": "2022-01-01",
            "period_end": "2023-12-31",
            "evaluator": "Regionens analysenhet",
            "key_findings": "Deltagarna fick ny kunskap.",
            "findings": rich_text("<p>Nio av tio deltagare.</p>"),
            "conclusions": rich_text("<p>Fortsätt.</p>"),
            "published_on": "2024-03-01",
            "answers": inline_formset([]),
            "recommendations": inline_formset([]),
            "lessons": inline_formset([{"statement": "Samverkan kräver tid.", "chain_level": "D"}]),
            "indicator_values": inline_formset(
                [{"indicator": indicator.pk, "year": "2023", "value": "120", "target": "100"}]
            ),
            "documents": inline_formset([]),
        }
    )
    return merged(form_data(response), data, changes)


def _approve(client, page):
    page = Page.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    assert task_state is not None, "sidan väntar inte på granskning"
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""})


# --- The groups and what they are attached to ----------------------------------------------------


def test_migration_creates_the_roles_and_the_review_workflow(db):
    for name in (REDAKTOR, KOMMUNIKATOR, GRANSKARE):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists(), name
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    tasks = [task.specific for task in workflow.tasks]
    assert [list(task.groups.values_list("name", flat=True)) for task in tasks] == [[GRANSKARE]]


def test_roles_attach_to_the_sections_and_a_second_run_adds_nothing(site):
    assert ensure_roles_and_workflow() == {"permissions": 0, "workflow_pages": 0}
    governed = set(WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).values_list("page_id", flat=True))
    assert {site["glossary"].pk, site["results"].pk} <= governed

    def codenames(role, page):
        return set(
            GroupPagePermission.objects.filter(group__name=role, page=page).values_list(
                "permission__codename", flat=True
            )
        )

    assert codenames(REDAKTOR, site["glossary"]) == {"add_page", "change_page"}
    assert codenames(REDAKTOR, site["results"]) == set()
    assert codenames(KOMMUNIKATOR, site["results"]) == {"add_page", "change_page"}
    assert codenames(KOMMUNIKATOR, site["glossary"]) == set()
    assert "publish_page" in codenames(GRANSKARE, site["glossary"])
    assert "publish_page" in codenames(GRANSKARE, site["results"])


def test_setup_roles_command_reattaches_a_removed_workflow(site, capsys):
    WorkflowPage.objects.filter(page=site["results"]).delete()
    call_command("setup_roles")
    assert WorkflowPage.objects.get(page=site["results"]).workflow.name == WORKFLOW_NAME
    assert "Rollerna är klara" in capsys.readouterr().out


def test_every_role_reaches_the_admin_and_a_user_without_a_role_does_not(client, site, users, django_user_model):
    for role, user in users.items():
        assert _login(client, user).get("/admin/").status_code == 200, role
    nobody = django_user_model.objects.create_user("ingen", password="x")
    response = _login(client, nobody).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Redaktör -----------------------------------------------------------------------------------


def test_redaktor_writes_a_concept_and_submits_it_for_review(client, site, users):
    _login(client, users[REDAKTOR])
    add_page = client.get(add_url(site["glossary"], ConceptPage)).content.decode()
    assert 'name="action-submit"' in add_page
    assert 'name="action-publish"' not in add_page

    response = client.post(add_url(site["glossary"], ConceptPage), _concept_form(client, site["glossary"], **SUBMIT))
    assert response.status_code == 302
    concept = ConceptPage.objects.get(slug="utfall")
    assert not concept.live
    state = concept.current_workflow_state
    assert state is not None and state.workflow.name == WORKFLOW_NAME and state.status == "in_progress"
    client.logout()
    assert client.get("/begrepp/utfall/").status_code == 404


def test_redaktor_cannot_publish_a_concept_even_by_posting_the_publish_action(client, site, users):
    _login(client, users[REDAKTOR])
    client.post(add_url(site["glossary"], ConceptPage), _concept_form(client, site["glossary"], **PUBLISH))
    concept = ConceptPage.objects.get(slug="utfall")
    assert not concept.live and concept.live_revision is None

    edit_page = client.get(edit_url(concept)).content.decode()
    assert 'name="action-publish"' not in edit_page
    client.post(edit_url(concept), merged(form_data(client.get(edit_url(concept))), PUBLISH))
    assert not ConceptPage.objects.get(pk=concept.pk).live


def test_redaktor_change_to_a_live_concept_waits_for_review(client, site, users):
    concept = ConceptPageFactory(title="Effekt", slug="effekt", publish=True)
    _login(client, users[REDAKTOR])
    data = merged(form_data(client.get(edit_url(concept))), {"title": "Effekt (ändrad)"}, SUBMIT)
    assert client.post(edit_url(concept), data).status_code == 302
    client.logout()
    assert "Effekt (ändrad)" not in client.get("/begrepp/effekt/").content.decode()

    _login(client, users[GRANSKARE])
    _approve(client, concept)
    client.logout()
    assert ConceptPage.objects.get(pk=concept.pk).title == "Effekt (ändrad)"
    assert "Effekt (ändrad)" in client.get("/begrepp/effekt/").content.decode()


def test_redaktor_cannot_write_results(client, site, users):
    _login(client, users[REDAKTOR])
    assert client.get(add_url(site["results"], EvaluationResultPage)).status_code != 200
    client.post(add_url(site["results"], EvaluationResultPage), {"title": "Inte tillåtet", "slug": "nej"})
    assert not EvaluationResultPage.objects.filter(slug="nej").exists()


# --- Kommunikatör -------------------------------------------------------------------------------


def test_kommunikator_writes_a_result_with_lessons_and_submits_it(client, site, users):
    _login(client, users[KOMMUNIKATOR])
    add_page = client.get(add_url(site["results"], EvaluationResultPage)).content.decode()
    assert 'name="action-publish"' not in add_page
    response = client.post(
        add_url(site["results"], EvaluationResultPage), _result_form(client, site["results"], **SUBMIT)
    )
    assert response.status_code == 302
    result = EvaluationResultPage.objects.get(slug="kompetenslyftet")
    assert not result.live
    assert result.current_workflow_state.status == "in_progress"
    assert [lesson.statement for lesson in Lesson.objects.filter(result=result)] == ["Samverkan kräver tid."]
    client.logout()
    assert client.get("/resultat/kompetenslyftet/").status_code == 404
    assert "Kompetenslyftet" not in client.get("/resultat/rss/").content.decode()


def test_kommunikator_cannot_publish_a_result_or_approve_it(client, site, users):
    _login(client, users[KOMMUNIKATOR])
    client.post(add_url(site["results"], EvaluationResultPage), _result_form(client, site["results"], **PUBLISH))
    result = EvaluationResultPage.objects.get(slug="kompetenslyftet")
    assert not result.live

    client.post(edit_url(result), merged(form_data(client.get(edit_url(result))), SUBMIT))
    _approve(client, result)
    assert not EvaluationResultPage.objects.get(pk=result.pk).live


def test_kommunikator_cannot_edit_concepts_or_guidance(client, site, users):
    concept = ConceptPageFactory(publish=True)
    chapter = GuidancePageFactory(publish=True)
    _login(client, users[KOMMUNIKATOR])
    assert client.get(edit_url(concept)).status_code != 200
    assert client.get(edit_url(chapter)).status_code != 200
    assert client.get(add_url(site["glossary"], ConceptPage)).status_code != 200


# --- Granskare ----------------------------------------------------------------------------------


def test_granskare_approves_a_submitted_result_and_it_goes_live(client, site, users):
    _login(client, users[KOMMUNIKATOR])
    client.post(add_url(site["results"], EvaluationResultPage), _result_form(client, site["results"], **SUBMIT))
    result = EvaluationResultPage.objects.get(slug="kompetenslyftet")

    _login(client, users[GRANSKARE])
    response = _approve(client, result)
    assert response.status_code in (200, 302)
    result.refresh_from_db()
    assert result.live and result.current_workflow_state is None
    client.logout()
    page = client.get("/resultat/kompetenslyftet/")
    assert page.status_code == 200 and "Samverkan kräver tid." in page.content.decode()
    assert "Utvärdering av Kompetenslyftet" in client.get("/resultat/rss/").content.decode()


def test_granskare_approves_a_submitted_concept(client, site, users):
    _login(client, users[REDAKTOR])
    client.post(add_url(site["glossary"], ConceptPage), _concept_form(client, site["glossary"], **SUBMIT))
    concept = ConceptPage.objects.get(slug="utfall")
    _login(client, users[GRANSKARE])
    _approve(client, concept)
    assert ConceptPage.objects.get(pk=concept.pk).live


def test_granskare_may_publish_directly(client, site, users):
    _login(client, users[GRANSKARE])
    client.post(add_url(site["glossary"], ConceptPage), _concept_form(client, site["glossary"], **PUBLISH))
    assert ConceptPage.objects.get(slug="utfall").live


# --- Revisions, comparisons and scheduling ------------------------------------------------------


def _every_page_type(home):
    """One published page of each type, each with a first revision."""
    result = EvaluationResultPageFactory(publish=True)
    return [
        home,
        StandardPageFactory(publish=True),
        FrameworkIndexPage.objects.get(slug="ramverket"),
        GuidancePageFactory(publish=True),
        GlossaryIndexPage.objects.get(slug="begrepp"),
        ConceptPageFactory(publish=True),
        ChainIndexPage.objects.get(slug="effektkedjor"),
        EffectChainPageFactory(full_chain=True, publish=True),
        ResultIndexPage.objects.get(slug="resultat"),
        result,
        LessonIndexPage.objects.get(slug="lardomar"),
    ]


def test_revisions_and_comparisons_work_for_every_page_type(admin_client, site, home):
    pages = _every_page_type(home)
    assert {type(page.specific) for page in pages} >= {
        StandardPage,
        GuidancePage,
        ConceptPage,
        EffectChainPage,
        EvaluationResultPage,
    }
    for page in pages:
        page = page.specific
        first = page.save_revision()
        first.publish()
        page = type(page).objects.get(pk=page.pk)
        page.title = f"{page.title} (ny version)"
        if isinstance(page, EvaluationResultPage):
            page.lessons.add(Lesson(statement="En ny lärdom i revisionen."))
        second = page.save_revision()
        name = type(page).__name__
        compare = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, second.pk])
        response = admin_client.get(compare)
        assert response.status_code == 200, name
        assert "(ny version)" in response.content.decode(), name
        index = admin_client.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
        assert index.status_code == 200, name
        live = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "live", "latest"])
        assert admin_client.get(live).status_code == 200, name


def test_a_result_scheduled_by_the_reviewer_goes_live_when_its_time_comes(client, site, users):
    _login(client, users[GRANSKARE])
    go_live = timezone.localtime() + datetime.timedelta(hours=1)
    data = _result_form(client, site["results"], go_live_at=go_live.strftime("%Y-%m-%d %H:%M:%S"), **PUBLISH)
    client.post(add_url(site["results"], EvaluationResultPage), data)
    result = EvaluationResultPage.objects.get(slug="kompetenslyftet")
    assert not result.live
    assert Revision.page_revisions.filter(object_id=str(result.pk), approved_go_live_at__isnull=False).exists()

    call_command("publish_scheduled")
    assert not EvaluationResultPage.objects.get(pk=result.pk).live
    client.logout()
    assert client.get("/resultat/kompetenslyftet/").status_code == 404

    # When the time comes, the next visitor's request publishes it, with or without cron.
    with time_machine.travel(go_live + datetime.timedelta(seconds=1), tick=False):
        assert client.get("/resultat/kompetenslyftet/").status_code == 200
    assert EvaluationResultPage.objects.get(pk=result.pk).live
