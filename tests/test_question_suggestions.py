"""Questions decided together: stakeholders propose evaluation questions (/utvarderingsfragor/foresla/)
with the concept suggestions' protections, editors handle them in the admin (Ramverket →
Frågeförslag) and record the decision on each question, which its page shows with the results that
answered it."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from home.roles import GRANSKARE, KOMMUNIKATOR, REDAKTOR
from larande.models import EvaluationQuestion, QuestionAnswer, QuestionSuggestion, QuestionSuggestionStatus
from tests.browser import axe_violations, browser_test, chromium_browser, new_page
from tests.factories import EvaluationQuestionFactory, RegionFactory
from tests.publishing_support import result_page, sections, user_in

pytestmark = pytest.mark.django_db

FORM_URL = "/utvarderingsfragor/foresla/"
CONFIRMATION = "Tack! Ditt förslag har skickats till redaktionen"
VALID = {
    "question": "Når insatserna företag utanför centralorterna?",
    "chain_level": "D",
    "reason": "Underlag till beslutet om nästa programperiod.",
    "organisation": "Region Jämtland Härjedalen",
    "name": "Kim Andersson",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def _post(client, data=None, **extra):
    return client.post(FORM_URL, {**VALID, **(data or {})}, **extra)


def test_the_form_has_labels_and_a_csrf_token(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(FORM_URL)
    assert response.status_code == 200
    soup = _soup(response)
    assert soup.find("input", attrs={"name": "csrfmiddlewaretoken"})
    for name in VALID:
        field = soup.find(attrs={"name": name})
        assert field is not None and soup.find("label", attrs={"for": field["id"]}), name
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_a_valid_suggestion_is_saved_as_new_and_never_published(client):
    response = _post(client)
    assert response.status_code == 303
    assert response["Location"] == f"{FORM_URL}?skickat=1"
    assert CONFIRMATION in client.get(response["Location"]).content.decode()
    suggestion = QuestionSuggestion.objects.get()
    assert suggestion.status == QuestionSuggestionStatus.NEW
    assert (suggestion.question, suggestion.chain_level) == (VALID["question"], "D")
    assert not EvaluationQuestion.objects.filter(text=VALID["question"]).exists()
    for url in ("/utvarderingsfragor/", "/oppna-data/utvarderingsfragor.json", "/sok/?q=centralorterna"):
        assert VALID["question"] not in client.get(url).content.decode(), url


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    response = _post(client)
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.content.decode()
    token = _soup(client.get(FORM_URL)).find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert _post(client, {"csrfmiddlewaretoken": token}).status_code == 303
    assert QuestionSuggestion.objects.count() == 1


def test_a_filled_honeypot_is_refused_neutrally(client):
    response = _post(client, {"webbplats": "http://skräp.example"})
    assert response.status_code == 400
    assert "Förslaget kunde inte skickas." in response.content.decode()
    assert not QuestionSuggestion.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": ""}, "Skriv vilken fråga du vill föreslå."),
        ({"question": "x" * 501}, "Frågan får vara högst 500 tecken. Nu är det 501 tecken."),
        ({"reason": "x" * 2001}, "Motiveringen får vara högst 2\u00a0000 tecken."),
        ({"question": "?!"}, "Frågan måste innehålla minst en bokstav eller siffra."),
        ({"question": "Fråga\x00med nolltecken"}, "Frågan innehåller osynliga styrtecken"),
        ({"reason": "Motivering\x1b[31m"}, "Motiveringen innehåller osynliga styrtecken"),
        ({"chain_level": "Z"}, "Välj en av nivåerna i listan."),
        ({"name": "n" * 101}, "Namnet får vara högst 100 tecken."),
    ],
)
def test_bad_input_gets_a_swedish_400_and_nothing_is_saved(client, data, message):
    response = _post(client, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not QuestionSuggestion.objects.exists()


@override_settings(SUGGESTION_RATE_LIMIT=2)
def test_too_many_submissions_get_429_with_retry_after(client):
    assert _post(client, {"question": ""}).status_code == 400  # corrections do not count
    assert _post(client).status_code == 303
    assert _post(client, {"question": "En andra fråga?"}).status_code == 303
    response = _post(client, {"question": "En fråga för mycket?"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Du har skickat många förslag på kort tid" in response.content.decode()
    assert QuestionSuggestion.objects.count() == 2


def test_other_methods_are_not_allowed(client):
    assert client.put(FORM_URL).status_code == 405
    assert client.delete(FORM_URL).status_code == 405


# --- the admin ---------------------------------------------------------------------------------


def test_roles_have_the_suggestion_permissions():
    def codenames(role):
        return set(
            Group.objects.get(name=role)
            .permissions.filter(content_type__app_label="larande", content_type__model="questionsuggestion")
            .values_list("codename", flat=True)
        )

    assert codenames(REDAKTOR) == {"view_questionsuggestion", "change_questionsuggestion"}
    assert codenames(GRANSKARE) == {"view_questionsuggestion", "change_questionsuggestion", "delete_questionsuggestion"}
    assert codenames(KOMMUNIKATOR) == set()


def test_editors_handle_suggestions_without_changing_the_visitors_text(client):
    suggestion = QuestionSuggestion.objects.create(question="Når vi rätt företag?", reason="Behövs.", name="Kim")
    index = reverse("larande_questionsuggestion_modeladmin_index")
    assert client.get(index)["Location"].startswith("/admin/login/")
    client.force_login(user_in(KOMMUNIKATOR))
    assert client.get(index).status_code in (302, 403)
    client.force_login(user_in(REDAKTOR))
    listing = client.get(index)
    assert listing.status_code == 200 and "Når vi rätt företag?" in listing.content.decode()
    edit = _soup(client.get(reverse("larande_questionsuggestion_modeladmin_edit", args=[suggestion.pk])))
    assert edit.find(attrs={"name": "status"}) is not None
    for name in ("question", "reason", "name", "organisation"):
        assert edit.find(attrs={"name": name}) is None, name
    assert client.post(reverse("larande_questionsuggestion_modeladmin_create"), VALID).status_code in (302, 403)
    assert QuestionSuggestion.objects.count() == 1


def test_the_dashboard_counts_new_question_suggestions(client):
    QuestionSuggestion.objects.create(question="Första?", reason="Behövs.")
    QuestionSuggestion.objects.create(question="Andra?", reason="Behövs.")
    QuestionSuggestion.objects.create(question="Klar?", reason="Klart.", status=QuestionSuggestionStatus.DECLINED)
    client.force_login(user_in(REDAKTOR))
    links = [a for a in _soup(client.get("/admin/")).select(".w-summary a") if "frågeförslag" in a.get_text()]
    assert [a.get_text(" ", strip=True) for a in links] == ["2 nya frågeförslag"]
    assert links[0]["href"] == f"{reverse('larande_questionsuggestion_modeladmin_index')}?status__exact=new"
    client.force_login(user_in(KOMMUNIKATOR))
    assert "frågeförslag" not in _soup(client.get("/admin/")).get_text()


# --- decisions ---------------------------------------------------------------------------------


def test_the_question_page_shows_its_decision_and_the_results_that_answered_it(client):
    pages = sections()
    north = RegionFactory(name="Region Västerbotten")
    south = RegionFactory(name="Region Västernorrland")
    question = EvaluationQuestionFactory(text="Hur aktiva är klustren?", kind="process")
    question.decided_on = datetime.date(2023, 10, 12)
    question.decision_forums = "Gemensamt RUS-forum"
    question.decision_rationale = "Visar tidigt om insatserna genomförs."
    question.decision_regions.set([north, south])
    question.save()
    result_page(
        pages["results"],
        "Utvärdering av klustren",
        answers=[QuestionAnswer(question=question, answer="Sju av åtta är aktiva.", status="answered")],
    )
    result_page(
        pages["results"],
        "Opublicerat HEMLIGT resultat",
        answers=[QuestionAnswer(question=question, answer="HEMLIGT svar", status="answered")],
        live=False,
    )
    response = client.get(f"/utvarderingsfragor/{question.pk}/")
    html = response.content.decode()
    assert "Beslutad gemensamt" in html and '<time datetime="2023-10-12">12 oktober 2023</time>' in html
    assert "Region Västerbotten, Region Västernorrland" in html
    assert "Gemensamt RUS-forum" in html and "Visar tidigt om insatserna genomförs." in html
    assert "Resultat som besvarat frågan" in html and "Utvärdering av klustren" in html
    assert "HEMLIG" not in html
    assert "beslutad gemensamt 12 oktober 2023" in client.get("/utvarderingsfragor/").content.decode()


def test_an_undecided_question_says_so(client):
    question = EvaluationQuestionFactory(text="Ökar nyföretagandet?")
    html = client.get(f"/utvarderingsfragor/{question.pk}/").content.decode()
    assert "Frågan har inte beslutats gemensamt ännu." in html
    assert f'href="{FORM_URL}"' in html


def test_a_decision_needs_its_date():
    question = EvaluationQuestionFactory(text="Ökar sysselsättningen?", kind="process")
    question.decision_forums = "Regionala utvecklingsnämnden"
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert error.value.message_dict["decided_on"] == ["Ange vilket datum frågan beslutades gemensamt."]


def test_a_saved_decision_moves_the_content_version():
    from portal.content_version import content_version  # noqa: PLC0415

    question = EvaluationQuestionFactory(text="Ökar exporten?")
    before = content_version()
    question.decided_on = datetime.date(2024, 1, 1)
    question.save()
    assert content_version() != before


# --- accessibility -----------------------------------------------------------------------------


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_axe_violations_on_the_form_its_errors_and_the_confirmation(live_server, home):
    problems = {}
    with chromium_browser() as chromium:
        for width in (1280, 320):
            cache.clear()
            page = new_page(chromium, width=width)
            page.goto(live_server.url + FORM_URL)
            problems[f"formulär @ {width}px"] = axe_violations(page)
            page.fill("#id_question", "?!")
            page.click(".suggestion-form button[type=submit]")
            page.wait_for_selector("#felsammanfattning")
            assert page.locator("#id_question").get_attribute("aria-invalid") == "true"
            problems[f"formulär med fel @ {width}px"] = axe_violations(page)
            page.fill("#id_question", "Når insatserna hela länet?")
            page.fill("#id_reason", "Underlag till nästa programperiod.")
            page.click(".suggestion-form button[type=submit]")
            page.wait_for_selector("#forslag-skickat")
            problems[f"bekräftelse @ {width}px"] = axe_violations(page)
    assert QuestionSuggestion.objects.count() == 2
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
