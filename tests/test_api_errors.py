"""Every error under /api/ answers JSON with a Swedish `message`, never the portal's HTML pages:
addresses the API does not have, a format other than JSON, write methods, a host the portal does
not serve, and a server error."""

import json

import pytest
from django.test import RequestFactory

from tests.factories import ConceptPageFactory, GlossaryIndexPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept(home):
    return ConceptPageFactory(parent=GlossaryIndexPageFactory(parent=home), title="Utfall")


def _json_error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    data = json.loads(response.content)
    assert isinstance(data["message"], str) and data["message"]
    assert "<html" not in response.content.decode().lower()
    return data


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/pages/abc/",
        "/api/v2/pages/1/extra/",
        "/api/v2/sidor/",
        "/api/v2/pages/-1/",
        "/api/v2/images/bild/",
        "/api/v2/documents/%C3%A5/",
        "/api/",
        "/api/v3/pages/",
    ],
)
def test_addresses_the_api_does_not_have_answer_json_404(client, concept, path):
    data = _json_error(client.get(path), 404)
    assert "Hittades inte" in data["message"] or "finns inte" in data["message"]


def test_a_missing_slash_still_redirects_to_the_listing(client, concept):
    response = client.get("/api/v2/pages")
    assert response.status_code == 301 and response["Location"] == "/api/v2/pages/"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/pages/?format=xml",
        "/api/v2/pages/?format=api",
        "/api/v2/pages/{pk}/?format=xml",
        "/api/v2/documents/?format=yaml",
        "/api/v2/?format=xml",
    ],
)
def test_a_format_other_than_json_is_a_bad_request(client, concept, path):
    data = _json_error(client.get(path.format(pk=concept.pk)), 400)
    assert "JSON" in data["message"]


def test_format_json_is_accepted(client, concept):
    assert client.get("/api/v2/pages/?format=json").status_code == 200
    assert client.get(f"/api/v2/pages/{concept.pk}/?format=json").status_code == 200
    assert client.get("/api/v2/?format=json").status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_write_methods_answer_json_405(client, concept, method):
    for path in ("/api/v2/pages/", f"/api/v2/pages/{concept.pk}/", "/api/v2/"):
        data = _json_error(getattr(client, method)(path, data="{}", content_type="application/json"), 405)
        assert "skrivskyddat" in data["message"]


def test_an_unserved_host_gets_json_400_under_the_api_and_html_elsewhere(client, concept):
    data = _json_error(client.get("/api/v2/pages/", HTTP_HOST="okand.example.se"), 400)
    assert "Felaktig förfrågan" in data["message"]
    response = client.get("/begrepp/", HTTP_HOST="okand.example.se")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_is_json(home):
    from home.views import page_not_found, permission_denied, server_error

    request = RequestFactory().get("/api/v2/pages/")
    data = _json_error(server_error(request), 500)
    assert "fel" in data["message"]
    _json_error(permission_denied(request), 403)
    _json_error(page_not_found(request), 404)
    # Outside the API, the HTML pages.
    assert server_error(RequestFactory().get("/begrepp/"))["Content-Type"].startswith("text/html")
