"""Föreslå ett begrepp: the public form under the glossary (/begrepp/foresla/), and the
suggestions in the admin (Ramverket → Begreppsförslag).

A valid suggestion is saved once with status "new" and the visitor is redirected (303) to a
confirmation; everything else (missing, oversize, meaningless or unreadable text, a filled
honeypot, no CSRF token, too many submissions) gets a Swedish message and a 4xx with nothing
saved. Suggestions reach nobody but Redaktör and Granskare, who set their status but cannot
change what the visitor wrote.
"""

import json
import os
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from home.roles import GRANSKARE, KOMMUNIKATOR, REDAKTOR
from larande.glossary.suggestion_models import (
    SUGGESTION_NAME_MAX_LENGTH,
    SUGGESTION_REASON_MAX_LENGTH,
    SUGGESTION_TERM_MAX_LENGTH,
)
from larande.models import ConceptSuggestion, SuggestionStatus
from tests.admin_forms import form_data, merged
from tests.browser import axe_violations, browser_test, chromium_browser, new_page
from tests.factories import ConceptPageFactory, GlossaryIndexPageFactory
from tests.publishing_support import user_in

FORM_URL = "/begrepp/foresla/"
CONFIRMATION_URL = "/begrepp/foresla/?skickat=1"
CONFIRMATION = "Tack! Ditt förslag har skickats till redaktionen"
VALID = {"name": "Kim Andersson", "term": "Förändringsteori", "reason": "Används i flera regioners planer."}


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def _text(response) -> str:
    return _soup(response).get_text(" ", strip=True)


def _summary_links(response) -> list[tuple[str, str]]:
    """The error summary's entries: (link target, message)."""
    return [(a["href"], a.get_text(" ", strip=True)) for a in _soup(response).select(".error-summary a")]


def _field_errors(response, name: str) -> str:
    soup = _soup(response)
    field = soup.find(attrs={"name": name})
    error = soup.find(id=f"{field['id']}_error")
    return error.get_text(" ", strip=True) if error else ""


def _post(client, data=None, **extra):
    return client.post(FORM_URL, {**VALID, **(data or {})}, **extra)


def _admin_menu(client) -> str:
    """The admin's sidebar menu as readable JSON."""
    props = _soup(client.get("/admin/")).find("script", id="wagtail-sidebar-props").string
    return json.dumps(json.loads(props), ensure_ascii=False)


def _admin_url(action, *args):
    return reverse(f"larande_conceptsuggestion_modeladmin_{action}", args=args)


# --- the form ----------------------------------------------------------------------------------


def test_form_shows_labels_limits_and_a_csrf_token(client, glossary, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(FORM_URL)
    assert response.status_code == 200
    soup = _soup(response)
    assert soup.title.get_text(strip=True) == "Föreslå ett begrepp – Lärportalen"
    assert soup.h1.get_text(strip=True) == "Föreslå ett begrepp"
    form = soup.find("form", class_="suggestion-form")
    assert form["method"] == "post" and form["action"] == FORM_URL
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    expected = {
        "name": ("Ditt namn (frivilligt)", SUGGESTION_NAME_MAX_LENGTH, False),
        "term": ("Begrepp", SUGGESTION_TERM_MAX_LENGTH, True),
        "reason": ("Varför behövs begreppet?", SUGGESTION_REASON_MAX_LENGTH, True),
    }
    for name, (label, max_length, required) in expected.items():
        field = form.find(attrs={"name": name})
        assert form.find("label", attrs={"for": field["id"]}).get_text(strip=True) == label
        assert field["maxlength"] == str(max_length)
        assert field.has_attr("required") is required
        assert f"{field['id']}_helptext" in field["aria-describedby"]
        assert not field.has_attr("aria-invalid")
    # The honeypot is labelled, never autofilled and hidden from everybody by its wrapper.
    trap = form.find(attrs={"name": "webbplats"})
    assert trap["autocomplete"] == "off"
    assert form.find("label", attrs={"for": trap["id"]})
    assert "suggestion-form__trap" in trap.find_parent("div")["class"]
    # The breadcrumbs place the form in the glossary, and the page says what is stored and why.
    crumbs = soup.select_one(".breadcrumbs").get_text(" ", strip=True)
    assert "Start" in crumbs and "Begrepp" in crumbs
    assert "Så hanterar vi ditt förslag" in _text(response)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_honeypot_is_hidden_by_the_stylesheet():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    assert re.search(r"\.suggestion-form__trap\s*\{[^}]*display:\s*none", css)


def test_a_valid_suggestion_is_saved_as_new_and_confirmed(client, glossary):
    response = _post(client, {"name": "  Kim   Andersson ", "term": " Förändringsteori\t", "reason": "  Behövs.\r\n"})
    assert response.status_code == 303
    assert response["Location"] == CONFIRMATION_URL
    suggestion = ConceptSuggestion.objects.get()
    assert (suggestion.name, suggestion.term, suggestion.reason) == ("Kim Andersson", "Förändringsteori", "Behövs.")
    assert suggestion.status == SuggestionStatus.NEW
    assert suggestion.editor_note == "" and suggestion.concept is None

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    status = _soup(confirmation).find(attrs={"role": "status"})
    heading = status.find("h1")
    assert heading.get_text(strip=True) == CONFIRMATION
    assert heading["tabindex"] == "-1"
    assert _soup(confirmation).find("form", class_="suggestion-form") is None
    assert ConceptSuggestion.objects.count() == 1, "showing the confirmation saves nothing"


def test_the_name_is_optional(client, glossary):
    assert _post(client, {"name": ""}).status_code == 303
    assert ConceptSuggestion.objects.get().name == ""


def test_csrf_is_enforced(glossary):
    client = Client(enforce_csrf_checks=True)
    response = _post(client)
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.content.decode()  # in Swedish, not Django's page
    assert not ConceptSuggestion.objects.exists()
    # With the token the form hands out, the same submission goes through.
    token = _soup(client.get(FORM_URL)).find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert _post(client, {"csrfmiddlewaretoken": token}).status_code == 303
    assert ConceptSuggestion.objects.count() == 1


def test_a_body_over_the_upload_limit_gets_a_swedish_400(client, glossary):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000):
        response = _post(client, {"reason": "x" * 20_000})
    assert response.status_code == 400
    assert "Begäran kunde inte tas emot" in response.content.decode()
    assert not ConceptSuggestion.objects.exists()


def test_the_breadcrumbs_name_the_form_below_the_glossary(client, glossary):
    crumbs = _soup(client.get(FORM_URL)).select(".breadcrumbs li")
    assert [li.get_text(strip=True) for li in crumbs] == ["Start", "Begrepp", "Föreslå ett begrepp"]
    assert crumbs[1].find("a")["href"] == "/begrepp/"


def test_a_filled_honeypot_is_refused_with_a_neutral_message(client, glossary):
    response = _post(client, {"webbplats": "https://example.com"})
    assert response.status_code == 400
    assert not ConceptSuggestion.objects.exists()
    message = _soup(response).find(attrs={"role": "alert"}).get_text(" ", strip=True)
    assert "Förslaget kunde inte skickas" in message
    assert "webbplats" not in message.lower() and "robot" not in message.lower()
    # What the visitor wrote is kept, the honeypot is emptied.
    soup = _soup(response)
    assert soup.find(attrs={"name": "term"})["value"] == VALID["term"]
    assert not soup.find(attrs={"name": "webbplats"}).get("value")


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("name", SUGGESTION_NAME_MAX_LENGTH, "Namnet får vara högst 100 tecken"),
        ("term", SUGGESTION_TERM_MAX_LENGTH, "Begreppet får vara högst 120 tecken"),
        ("reason", SUGGESTION_REASON_MAX_LENGTH, "Motiveringen får vara högst 2\u00a0000 tecken"),
    ],
)
def test_oversize_text_is_refused_with_a_swedish_message(client, glossary, field, limit, message):
    too_long = "a" * (100_000 if field == "reason" else limit + 1)
    response = _post(client, {field: too_long})
    assert response.status_code == 400
    assert not ConceptSuggestion.objects.exists()
    assert message in _field_errors(response, field)
    field_id = f"id_{field}"
    assert (f"#{field_id}", _field_errors(response, field).removeprefix("Fel: ")) in _summary_links(response)
    widget = _soup(response).find(id=field_id)
    assert widget["aria-invalid"] == "true"
    assert f"{field_id}_error" in widget["aria-describedby"].split()
    assert _soup(response).title.get_text(strip=True).startswith("Fel: ")
    # At the limit it is accepted.
    assert _post(client, {field: "a" * limit}).status_code == 303
    assert len(getattr(ConceptSuggestion.objects.get(), field)) == limit


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("", "Skriv vilket begrepp du vill föreslå."),
        ("   \t ", "Skriv vilket begrepp du vill föreslå."),
        ("?!…–", "Begreppet måste innehålla minst en bokstav eller siffra."),
        (" . , ; ", "Begreppet måste innehålla minst en bokstav eller siffra."),
        ("🙂", "Begreppet måste innehålla minst en bokstav eller siffra."),
    ],
)
def test_a_term_without_letters_is_refused(client, glossary, term, message):
    response = _post(client, {"term": term})
    assert response.status_code == 400
    assert message in _field_errors(response, "term")
    assert ("#id_term", message) in _summary_links(response)
    assert not ConceptSuggestion.objects.exists()


def test_a_missing_reason_is_refused(client, glossary):
    response = _post(client, {"reason": "\n  \n"})
    assert response.status_code == 400
    assert "Skriv varför begreppet behövs." in _field_errors(response, "reason")
    assert not ConceptSuggestion.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("term", "Utfall\x00"), ("reason", "Behövs\x00 för att"), ("name", "Kim\x1b[31m"), ("reason", "Text\x07")],
)
def test_control_characters_are_refused_without_a_server_error(client, glossary, field, value):
    response = _post(client, {field: value})
    assert response.status_code == 400
    assert "styrtecken" in _field_errors(response, field)
    assert not ConceptSuggestion.objects.exists()


def test_special_characters_are_stored_verbatim_and_escaped(client, glossary, admin_client):
    term = 'Lärande 🌱 "citat" & <script>alert(1)</script>'
    reason = "Två rader:\nÅ ä ö – ”citat” & 'apostrof' <b>fet</b> 👩‍👩‍👧"
    assert _post(client, {"term": term, "reason": reason, "name": "O'Brien & Co"}).status_code == 303
    suggestion = ConceptSuggestion.objects.get()
    assert (suggestion.term, suggestion.reason, suggestion.name) == (term, reason, "O'Brien & Co")

    for response in (admin_client.get(_admin_url("index")), admin_client.get(_admin_url("edit", suggestion.pk))):
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in html and "<b>fet</b>" not in html
    assert term in _text(admin_client.get(_admin_url("index")))

    # Shown back in the form after an error, it is escaped too.
    response = _post(client, {"term": term, "reason": ""})
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert _soup(response).find(attrs={"name": "term"})["value"] == term


def test_other_methods_are_not_allowed(client, glossary):
    assert client.put(FORM_URL, VALID).status_code == 405
    assert not ConceptSuggestion.objects.exists()


def test_no_form_under_an_unpublished_glossary(client, home):
    GlossaryIndexPageFactory(live=False)
    assert client.get(FORM_URL).status_code == 404
    assert client.post(FORM_URL, VALID).status_code == 404
    assert not ConceptSuggestion.objects.exists()


# --- the rate limit ----------------------------------------------------------------------------


@override_settings(SUGGESTION_RATE_LIMIT=3, SUGGESTION_RATE_WINDOW=600)
def test_too_many_submissions_get_429_and_nothing_more_is_saved(client, glossary):
    for number in range(3):
        assert _post(client, {"term": f"Begrepp {number}"}).status_code == 303
    response = _post(client, {"term": "Ett för mycket"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "Du har skickat många förslag på kort tid" in _text(response)
    assert _soup(response).find(attrs={"name": "term"})["value"] == "Ett för mycket"
    assert ConceptSuggestion.objects.count() == 3
    assert not ConceptSuggestion.objects.filter(term="Ett för mycket").exists()
    # The form itself can still be read, and another client may still suggest.
    assert client.get(FORM_URL).status_code == 200
    assert _post(client, {"term": "Från en annan"}, REMOTE_ADDR="192.0.2.20").status_code == 303


@override_settings(SUGGESTION_RATE_LIMIT=2)
def test_refused_forms_do_not_use_up_the_limit_but_honeypot_hits_do(client, glossary):
    assert _post(client, {"term": ""}).status_code == 400
    assert _post(client, {"term": ""}).status_code == 400
    assert _post(client).status_code == 303
    assert _post(client, {"webbplats": "x"}).status_code == 400
    assert _post(client).status_code == 429
    assert ConceptSuggestion.objects.count() == 1


@override_settings(SUGGESTION_RATE_LIMIT=1)
def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, glossary):
    assert _post(client, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 303
    assert _post(client, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429


@override_settings(SUGGESTION_RATE_LIMIT=1, SUGGESTION_TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client, glossary):
    # The proxy appends the address it saw; what the client claims before it is ignored.
    assert _post(client, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1").status_code == 303
    assert _post(client, HTTP_X_FORWARDED_FOR="203.0.113.10, 198.51.100.1").status_code == 429
    assert _post(client, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 303
    assert ConceptSuggestion.objects.count() == 2


@override_settings(SUGGESTION_RATE_LIMIT=1)
def test_an_ipv6_client_is_counted_per_64_network(client, glossary):
    # One household or server has a whole /64 and can pick any address in it.
    assert _post(client, REMOTE_ADDR="2001:db8:1:2::1").status_code == 303
    assert _post(client, REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:fffe").status_code == 429
    assert _post(client, REMOTE_ADDR="2001:db8:1:3::1").status_code == 303  # the next /64 is someone else
    assert ConceptSuggestion.objects.count() == 2


@override_settings(SUGGESTION_RATE_LIMIT=1)
def test_an_ipv4_mapped_ipv6_address_counts_as_its_ipv4_address(client, glossary):
    assert _post(client, REMOTE_ADDR="192.0.2.30").status_code == 303
    assert _post(client, REMOTE_ADDR="::ffff:192.0.2.30").status_code == 429
    # IPv4 is counted per address: the neighbour is someone else.
    assert _post(client, REMOTE_ADDR="192.0.2.31").status_code == 303


@override_settings(SUGGESTION_RATE_LIMIT=1, SUGGESTION_TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_an_ipv6_client_is_counted_per_64_network(client, glossary):
    assert _post(client, HTTP_X_FORWARDED_FOR="2001:db8:aa:bb::5").status_code == 303
    assert _post(client, HTTP_X_FORWARDED_FOR="198.51.100.7, [2001:db8:aa:bb::9]:4431").status_code == 429
    assert _post(client, HTTP_X_FORWARDED_FOR="2001:db8:aa:bc::5").status_code == 303


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("203.0.113.9:8080", "203.0.113.9"),
        ("2001:DB8:0:1::abcd", "2001:db8:0:1::/64"),
        ("[2001:db8::1]:443", "2001:db8::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("inte-en-adress", "inte-en-adress"),
        ("", ""),
    ],
)
def test_what_the_limit_counts(rf, address, counted):
    from larande.glossary.suggestions import client_network

    assert client_network(rf.post(FORM_URL, REMOTE_ADDR=address)) == counted


@pytest.fixture(params=["file", "redis"])
def real_cache(request, tmp_path):
    """The portal's production cache backends: the file cache in a directory, or the shared Redis."""
    from tests.cache_support import file_caches, forget_keys, redis_caches
    from tests.conftest import service_required

    if request.param == "redis":
        service_required("REDIS_URL", "Redis")
        caches = redis_caches(os.environ["REDIS_URL"])  # its own key prefix: never cleared as a whole
    else:
        caches = file_caches(tmp_path / "cache")
    with override_settings(CACHES=caches):
        try:
            yield request.param
        finally:
            forget_keys(cache)


@override_settings(SUGGESTION_RATE_LIMIT=2, SUGGESTION_RATE_WINDOW=300)
def test_the_limit_on_the_production_cache_backends(real_cache, client, glossary):
    assert _post(client, {"term": ""}).status_code == 400  # given back: does not count
    assert _post(client).status_code == 303
    assert _post(client, {"term": "Andra"}).status_code == 303
    response = _post(client, {"term": "Tredje"})
    assert response.status_code == 429
    assert 290 <= int(response["Retry-After"]) <= 300
    assert ConceptSuggestion.objects.count() == 2


@override_settings(SUGGESTION_RATE_LIMIT=1)
def test_without_a_cache_the_form_fails_open_with_a_warning(client, glossary, caplog):
    """When the cache cannot be reached, suggestions are still taken (the honeypot and the
    validation still apply) and a warning says the limit is not enforced."""
    from larande.glossary import suggestions
    from portal.cache import reset_health
    from tests.cache_support import closed_port, redis_caches

    reset_health()
    suggestions._fail_open_warning.reset()  # another test may have had its one warning a moment ago
    with closed_port() as url, override_settings(CACHES=redis_caches(url)), caplog.at_level("WARNING"):
        for number in range(3):
            assert _post(client, {"term": f"Begrepp {number}"}).status_code == 303
        assert _post(client, {"webbplats": "x"}).status_code == 400
        assert _post(client, {"term": ""}).status_code == 400
    assert ConceptSuggestion.objects.count() == 3
    warnings = [r.getMessage() for r in caplog.records if r.name == "larande.glossary.suggestions"]
    assert warnings == ["Suggestion rate limit not enforced: the cache is unavailable"]
    reset_health()


# --- never shown to visitors -------------------------------------------------------------------

SECRET_TERM = "Kvasibegreppet Zyxwvu"
SECRET_REASON = "Hemligmotivering Qwertzu"


def test_suggestions_never_reach_anonymous_visitors(client, glossary):
    ConceptPageFactory(title="Utfall", short_definition="Hur deltagarna har påverkats.", publish=True)
    assert _post(client, {"term": SECRET_TERM, "reason": SECRET_REASON}).status_code == 303
    assert ConceptSuggestion.objects.filter(term=SECRET_TERM).exists()
    addresses = [
        glossary.url,
        "/sok/?q=Kvasibegreppet",
        "/sok/?q=Hemligmotivering",
        "/sok/forslag/?q=Kvasi",
        "/api/v2/pages/",
        "/api/v2/pages/?search=Kvasibegreppet",
        "/sitemap.xml",
        reverse("outputs:open_data_download", args=["begrepp.csv"]),
        CONFIRMATION_URL,
        FORM_URL,
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code in (200, 400), (address, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        assert "Kvasibegreppet" not in text and "Hemligmotivering" not in text, address
    assert "Utfall" in client.get(glossary.url).content.decode(), "the glossary itself is shown"


# --- the admin ---------------------------------------------------------------------------------


@pytest.fixture
def suggestion(db):
    return ConceptSuggestion.objects.create(name="Kim", term="Förändringsteori", reason="Används ofta.")


@pytest.fixture
def users(db):
    return {role: user_in(role) for role in (REDAKTOR, KOMMUNIKATOR, GRANSKARE)}


def test_roles_have_the_suggestion_permissions(db):
    def codenames(role):
        return set(
            Group.objects.get(name=role)
            .permissions.filter(content_type__app_label="larande", content_type__model="conceptsuggestion")
            .values_list("codename", flat=True)
        )

    assert codenames(REDAKTOR) == {"view_conceptsuggestion", "change_conceptsuggestion"}
    assert codenames(GRANSKARE) == {"view_conceptsuggestion", "change_conceptsuggestion", "delete_conceptsuggestion"}
    assert codenames(KOMMUNIKATOR) == set()


@pytest.mark.parametrize("role", [REDAKTOR, GRANSKARE])
def test_editors_and_reviewers_see_the_suggestions(client, users, suggestion, role):
    older = ConceptSuggestion.objects.create(term="Äldre förslag", reason="Tidigare.")
    ConceptSuggestion.objects.filter(pk=older.pk).update(created_at=suggestion.created_at.replace(year=2020))
    client.force_login(users[role])
    response = client.get(_admin_url("index"))
    assert response.status_code == 200
    rows = [tr.get_text(" ", strip=True) for tr in _soup(response).select("table.listing tbody tr")]
    assert [row.split(" ")[0] for row in rows] == ["Förändringsteori", "Äldre"], "newest first"
    assert "Ny" in rows[0] and "Kim" in rows[0]
    assert "Lägg till" not in _text(response), "suggestions come only from the public form"
    assert '"label": "Begreppsförslag"' in _admin_menu(client)


def test_communicators_and_visitors_do_not_see_the_suggestions(client, users, suggestion):
    assert client.get(_admin_url("index"))["Location"].startswith("/admin/login/")
    client.force_login(users[KOMMUNIKATOR])
    for address in (_admin_url("index"), _admin_url("edit", suggestion.pk)):
        response = client.get(address)
        assert response.status_code in (302, 403), address
        assert "Förändringsteori" not in response.content.decode()
    assert "Begreppsförslag" not in _admin_menu(client)


def test_the_listing_filters_by_status_and_searches(admin_client, suggestion):
    ConceptSuggestion.objects.create(term="Utfallsmått", reason="Saknas.", status=SuggestionStatus.DECLINED)
    new = admin_client.get(_admin_url("index"), {"status__exact": "new"})
    assert new.status_code == 200
    assert "Förändringsteori" in _text(new) and "Utfallsmått" not in _text(new)
    found = admin_client.get(_admin_url("index"), {"q": "Saknas"})
    assert "Utfallsmått" in _text(found) and "Förändringsteori" not in _text(found)
    assert admin_client.get(_admin_url("index"), {"reason__contains": "x"}).status_code == 400


def test_an_editor_sets_status_note_and_concept_but_not_the_visitors_text(client, users, suggestion, glossary):
    concept = ConceptPageFactory(title="Förändringsteori", publish=True)
    client.force_login(users[REDAKTOR])
    address = _admin_url("edit", suggestion.pk)
    page = client.get(address)
    assert page.status_code == 200
    soup = _soup(page)
    assert soup.find(attrs={"name": "status"}) and soup.find(attrs={"name": "editor_note"})
    for name in ("term", "reason", "name"):
        assert soup.find(attrs={"name": name}) is None, f"{name} must not be editable"
    assert "Används ofta." in _text(page), "the visitor's text is shown read-only"

    forms = soup.find_all("form")
    index = next(i for i, form in enumerate(forms) if (form.get("method") or "").upper() == "POST")
    data = merged(
        form_data(page, form_id=None, form_index=index),
        {
            "status": SuggestionStatus.ADDED,
            "editor_note": "Tillagd som eget begrepp.",
            "concept": str(concept.pk),
            "term": "Ändrat av redaktören",
            "reason": "Ändrad motivering",
            "name": "Någon annan",
        },
    )
    response = client.post(address, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ADDED
    assert suggestion.editor_note == "Tillagd som eget begrepp."
    assert suggestion.concept_id == concept.pk
    assert (suggestion.term, suggestion.reason, suggestion.name) == ("Förändringsteori", "Används ofta.", "Kim")


def test_only_reviewers_delete_and_nobody_adds(client, users, suggestion):
    client.force_login(users[REDAKTOR])
    assert client.post(_admin_url("delete", suggestion.pk)).status_code in (302, 403)
    assert ConceptSuggestion.objects.filter(pk=suggestion.pk).exists()
    assert client.post(_admin_url("create"), VALID).status_code in (302, 403)
    client.force_login(users[GRANSKARE])
    assert client.post(_admin_url("create"), VALID).status_code in (302, 403)
    assert ConceptSuggestion.objects.count() == 1
    assert client.post(_admin_url("delete", suggestion.pk)).status_code == 302
    assert not ConceptSuggestion.objects.exists()


def test_the_dashboard_counts_new_suggestions_for_those_who_handle_them(client, users, suggestion):
    ConceptSuggestion.objects.create(term="Andra", reason="Också.")
    ConceptSuggestion.objects.create(term="Behandlat", reason="Klart.", status=SuggestionStatus.DECLINED)
    client.force_login(users[REDAKTOR])
    links = [a for a in _soup(client.get("/admin/")).select(".w-summary a") if "begreppsförslag" in a.get_text()]
    assert [a.get_text(" ", strip=True) for a in links] == ["2 nya begreppsförslag"]
    assert links[0]["href"] == f"{_admin_url('index')}?status__exact=new"
    ConceptSuggestion.objects.filter(term="Andra").delete()
    client.force_login(users[GRANSKARE])
    assert "1 nytt begreppsförslag" in _text(client.get("/admin/"))
    client.force_login(users[KOMMUNIKATOR])
    assert "begreppsförslag" not in _text(client.get("/admin/"))


# --- accessibility -----------------------------------------------------------------------------


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_axe_violations_on_the_form_its_errors_and_the_confirmation(live_server, home):
    GlossaryIndexPageFactory()
    problems = {}
    with chromium_browser() as chromium:
        for width in (1280, 320):
            cache.clear()
            page = new_page(chromium, width=width)
            page.goto(live_server.url + FORM_URL)
            problems[f"formulär @ {width}px"] = axe_violations(page)

            page.fill("#id_term", "?!")
            page.click(".suggestion-form button[type=submit]")
            page.wait_for_selector("#felsammanfattning")
            page.wait_for_function("() => document.activeElement.id === 'felsammanfattning'")
            assert page.locator("#id_term").get_attribute("aria-invalid") == "true"
            problems[f"formulär med fel @ {width}px"] = axe_violations(page)

            page.fill("#id_term", "Förändringsteori")
            page.fill("#id_reason", "Används i flera regioners planer.")
            page.click(".suggestion-form button[type=submit]")
            page.wait_for_selector("#forslag-skickat")
            page.wait_for_function("() => document.activeElement.id === 'forslag-skickat'")
            problems[f"bekräftelse @ {width}px"] = axe_violations(page)
    assert ConceptSuggestion.objects.count() == 2
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_menu_marks_the_glossary_as_the_section_not_the_current_page(client, glossary):
    for url in (FORM_URL, "/begrepp/skriv-ut/"):
        soup = _soup(client.get(url))
        link = soup.select_one(".main-nav a[href='/begrepp/']")
        assert link is not None and not link.has_attr("aria-current"), url
        assert "is-ancestor" in link.get("class", [])
        assert [el.get_text(strip=True) for el in soup.select("[aria-current='page']")] in (
            ["Föreslå ett begrepp"],
            ["Utskrift"],
        )
