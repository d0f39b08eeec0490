"""Serving uploaded files through the portal (home/file_views.py) by the rule in home/files.py.

What a visitor gets for a document, an original image and a rendition: the bytes, the right
headers (type, disposition, nosniff, cache control, validators), conditional and range requests,
HEAD; what changes the moment a page is restricted, unpublished, expires or drops the file; open
collections; editors; bad addresses; the query budget; and the nginx hand-over.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from home import files
from home.models import CollectionVisibility
from home.roles import GRANSKARE, KOMMUNIKATOR, REDAKTOR
from larande.models import EvaluationResultPage
from tests.admin_forms import edit_url, form_data, merged
from tests.file_support import (
    PDF_BYTES,
    delete_files,
    document_link,
    expire,
    make_document,
    make_image,
    make_rendition,
    page_with_image,
    restrict,
    result_with_document,
)
from tests.publishing_support import publish, result_page, unpublish, user_in
from tests.test_pages_support import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def written(db):
    """Objects whose files the test wrote; removed from disk afterwards."""
    objects = []
    yield objects
    delete_files(*objects)


def build_world(site):
    """A published result with a PDF, a published page with an image (and its rendition), in the
    module's content sections: built once for the module (tests/conftest.py: `world`), the files
    removed from disk at its end."""
    document = make_document("Synlig rapport")
    image = make_image("Synlig bild")
    result = result_with_document(site["results"], "Resultat med rapport", document, mention="rapporten")
    page = page_with_image("Sida med bild", image, mention="bilden")
    yield {
        "document": document,
        "image": image,
        "rendition": make_rendition(image),
        "result": result,
        "page": page,
    }
    delete_files(document, image)


@pytest.fixture
def published(world):
    """The module's published result with a PDF and page with an image, fresh for each test."""
    return world


def body(response) -> bytes:
    """The whole body, streamed or not (reading it also closes the file)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def status(client, url, **extra) -> int:
    response = client.get(url, **extra)
    body(response)
    return response.status_code


# --- What a visitor gets ---------------------------------------------------------------------------


def test_a_visible_document_is_sent_with_its_headers(client, published):
    document = published["document"]
    response = client.get(document.url)
    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="synlig-rapport.pdf"'
    assert response["Content-Length"] == str(len(PDF_BYTES))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Cache-Control"] == "public, no-cache"
    assert response["ETag"] == f'"{document.file_hash}"'
    assert response["Last-Modified"].endswith("GMT")
    assert response["Accept-Ranges"] == "bytes"
    assert "Location" not in response


def test_a_text_document_is_an_attachment(client, site, written):
    document = make_document("Protokoll åäö", text="Rad ett\nRad två\n".encode())
    written.append(document)
    result_with_document(site["results"], "Resultat med protokoll", document, mention="protokollet")
    response = client.get(document.url)
    assert response.status_code == 200
    assert body(response) == "Rad ett\nRad två\n".encode()
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert document.filename in response["Content-Disposition"]


def test_images_and_renditions_are_sent_as_images(client, published):
    for url in (published["image"].file.url, published["rendition"].url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert body(response).startswith(PNG_SIGNATURE)
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")
        assert response["Cache-Control"] == "public, no-cache"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["ETag"] and response["Last-Modified"]


def test_the_image_a_page_shows_is_served(client, published):
    html = client.get(published["page"].url).content.decode()
    sources = re.findall(r'<img[^>]* src="([^"]+)"', html)
    assert sources == [published["rendition"].url]
    response = client.get(sources[0])
    assert response.status_code == 200
    assert body(response).startswith(PNG_SIGNATURE)


def test_conditional_requests_get_not_modified(client, published):
    url = published["document"].url
    first = client.get(url)
    body(first)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, no-cache"
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert status(client, url, HTTP_IF_NONE_MATCH='"något-annat"') == 200


@pytest.mark.parametrize(
    ("header", "expected_status", "expected"),
    [
        ("bytes=0-3", 206, PDF_BYTES[:4]),
        ("bytes=-6", 206, PDF_BYTES[-6:]),
        ("bytes=10-", 206, PDF_BYTES[10:]),
        ("bytes=10-99999", 206, PDF_BYTES[10:]),
        ("bytes=0-1,4-5", 200, PDF_BYTES),  # several ranges: the whole file
        ("bytes=" + "9" * 5000 + "-", 200, PDF_BYTES),  # not a number we take: the whole file
        ("sidor=1-2", 200, PDF_BYTES),
        ("bytes=99999-", 416, b""),
        ("bytes=5-2", 416, b""),
        ("bytes=-0", 416, b""),
    ],
)
def test_byte_ranges(client, published, header, expected_status, expected):
    response = client.get(published["document"].url, HTTP_RANGE=header)
    assert response.status_code == expected_status
    assert body(response) == expected
    size = len(PDF_BYTES)
    if expected_status == 206:
        start = size - len(expected) if header.startswith("bytes=-") else int(header[6:].split("-")[0])
        assert response["Content-Range"] == f"bytes {start}-{start + len(expected) - 1}/{size}"
        assert response["Content-Length"] == str(len(expected))
    if expected_status == 416:
        assert response["Content-Range"] == f"bytes */{size}"


def test_a_range_for_an_older_version_gets_the_whole_file(client, published):
    response = client.get(published["document"].url, HTTP_RANGE="bytes=0-3", HTTP_IF_RANGE='"gammal"')
    assert response.status_code == 200
    assert body(response) == PDF_BYTES


def test_head_gives_the_headers_without_the_file(client, published):
    for url in (published["document"].url, published["image"].file.url, published["rendition"].url):
        response = client.head(url)
        assert response.status_code == 200, url
        assert body(response) == b""
        assert int(response["Content-Length"]) > 0
        assert response["Cache-Control"] == "public, no-cache"
    assert client.head(published["document"].url, HTTP_RANGE="bytes=0-3")["Content-Length"] == "4"


def test_only_get_and_head_are_answered(client, published):
    for url in (published["document"].url, published["image"].file.url):
        assert client.post(url).status_code == 405
        assert client.put(url).status_code == 405


# --- The moment a page changes ---------------------------------------------------------------------


def _visible_now(client, document, image) -> tuple[bool, bool]:
    return (status(client, document.url) == 200, status(client, image.file.url) == 200)


def test_restricting_unpublishing_and_expiring_the_page_hide_its_files_at_once(client, published):
    document, image = published["document"], published["image"]
    result, page = published["result"], published["page"]
    assert _visible_now(client, document, image) == (True, True)

    restrictions = [restrict(result, "login"), restrict(page, "password")]
    assert _visible_now(client, document, image) == (False, False)
    for restricted in restrictions:
        restricted.get_view_restrictions().delete()
    assert _visible_now(client, document, image) == (True, True)

    unpublish(result, None)
    unpublish(page, None)
    assert _visible_now(client, document, image) == (False, False)
    publish(result)
    publish(page)
    assert _visible_now(client, document, image) == (True, True)

    expire(result)
    expire(page)
    assert _visible_now(client, document, image) == (False, False)
    later = timezone.now() + datetime.timedelta(days=1)
    Page.objects.filter(pk__in=[result.pk, page.pk]).update(expire_at=later)
    assert _visible_now(client, document, image) == (True, True)


def test_a_restricted_section_hides_the_files_of_the_pages_below_it(client, site, published):
    restrict(site["results"], "login")
    assert status(client, published["document"].url) == 404
    assert status(client, published["image"].file.url) == 200  # its page is not in that section


def test_publishing_a_page_without_the_file_hides_it(client, published):
    """A removed child row used to leave the file 'used' in the reference index."""
    result = EvaluationResultPage.objects.get(pk=published["result"].pk)
    result.documents.set([])
    result.findings = "<p>Utan länk.</p>"
    result.save_revision().publish()
    assert status(client, published["document"].url) == 404
    page = published["page"].specific_class.objects.get(pk=published["page"].pk)
    page.body = []
    page.save_revision().publish()
    assert status(client, published["image"].file.url) == 404
    assert status(client, published["rendition"].url) == 404


def test_a_file_linked_only_in_rich_text_is_visible(client, site, written):
    document = make_document("Bara länkad")
    written.append(document)
    result_page(site["results"], "Resultat med länk", findings=f"<p>{document_link(document, 'Läs')}</p>")
    assert status(client, document.url) == 200


def test_a_draft_saved_in_the_admin_does_not_publish_its_new_document(client, admin_client, published, written):
    new = make_document("Ny bilaga")
    written.append(new)
    page = published["result"]
    response = admin_client.get(edit_url(page))
    data = form_data(response)
    existing = page.documents.first()
    documents = inline_formset(
        [
            {"id": str(existing.pk), "document": str(published["document"].pk), "title": ""},
            {"document": str(new.pk), "title": "Bilaga"},
        ]
    )
    draft = merged(data, nested_form_data({"documents": documents}))
    assert admin_client.post(edit_url(page), draft).status_code == 302
    assert EvaluationResultPage.objects.get(pk=page.pk).has_unpublished_changes
    assert status(client, new.url) == 404
    assert status(client, published["document"].url) == 200
    # The editor may still see what they attached.
    assert status(admin_client, new.url) == 200

    response = admin_client.post(edit_url(page), merged(draft, {"action-publish": "action-publish"}))
    assert response.status_code == 302
    assert status(client, new.url) == 200


# --- Open collections ------------------------------------------------------------------------------


def test_an_open_collection_shows_its_files_without_a_page(client, home, written):
    root = Collection.get_first_root_node()
    open_collection = root.add_child(name="Pressbilder")
    inner = open_collection.add_child(name="Arkiv")
    document = make_document("Pressmeddelande", collection=open_collection)
    image = make_image("Pressbild", collection=open_collection)
    inner_image = make_image("Arkivbild", collection=inner)
    written += [document, image, inner_image]
    assert _visible_now(client, document, image) == (False, False)

    mark = CollectionVisibility.objects.create(collection=open_collection, is_public=True)
    assert _visible_now(client, document, image) == (True, True)
    listed = client.get("/api/v2/images/").json()["items"]
    assert [item["title"] for item in listed] == ["Pressbild"]  # not the sub-collection's image
    assert status(client, inner_image.file.url) == 404
    assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 200

    mark.is_public = False
    mark.save()
    assert _visible_now(client, document, image) == (False, False)
    assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 404


def test_a_collection_behind_wagtails_restriction_stays_closed(client, site, written):
    closed = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=closed, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    image = make_image("Intern bild", collection=closed)
    document = make_document("Intern rapport", collection=closed)
    written += [image, document]
    page_with_image("Sida med intern bild", image, mention="bilden")
    result_with_document(site["results"], "Resultat med intern rapport", document, mention="rapporten")
    assert status(client, image.file.url) == 404
    assert client.get("/api/v2/images/").json()["meta"]["total_count"] == 0
    # Wagtail's own password form for the document, never the file.
    response = client.get(document.url)
    assert PDF_BYTES not in body(response)


def test_reviewers_manage_open_collections_in_the_admin(client, home):
    collection = Collection.get_first_root_node().add_child(name="Öppet material")
    granskare = user_in(GRANSKARE)
    client.force_login(granskare)
    add = reverse("wagtailsnippets_home_collectionvisibility:add")
    form = client.get(add)
    assert form.status_code == 200
    assert "Öppen samling: filerna får visas för alla" in form.content.decode()
    response = client.post(add, {"collection": str(collection.pk), "is_public": "on"})
    assert response.status_code == 302
    assert CollectionVisibility.objects.get(collection=collection).is_public

    client.force_login(user_in(REDAKTOR))
    assert client.get(add).status_code in (302, 403)


# --- Editors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [GRANSKARE, REDAKTOR, KOMMUNIKATOR])
def test_editors_download_hidden_files_privately(client, site, written, role):
    document = make_document("Utkastbilaga")
    image = make_image("Utkastbild")
    written += [document, image]
    result_with_document(site["results"], "Utkast med bilaga", document, mention="bilagan", live=False)
    rendition = make_rendition(image)
    client.force_login(user_in(role))
    for url in (document.url, document.file.url, image.file.url, rendition.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert body(response)
        assert response["Cache-Control"] == "private, no-store", url


def test_an_editor_gets_a_visible_file_like_everyone(client, published):
    client.force_login(user_in(GRANSKARE))
    response = client.get(published["document"].url)
    assert response["Cache-Control"] == "public, no-cache"
    body(response)


def test_file_rights_without_admin_access_do_not_open_hidden_files(client, site, written, django_user_model):
    document = make_document("Dold bilaga")
    written.append(document)
    group = Group.objects.create(name="Bara dokument")
    GroupCollectionPermission.objects.create(
        group=group,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="choose_document"),
    )
    user = django_user_model.objects.create_user("dokumentval", password="lösenord-för-test")
    user.groups.add(group)
    client.force_login(user)
    assert status(client, document.url) == 404
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert status(client, document.url) == 200


# --- Bad addresses ---------------------------------------------------------------------------------

BAD_PATHS = [
    "/media/",
    "/media/documents/",
    "/media/original_images/",
    "/media/../manage.py",
    "/media/images/../../manage.py",
    "/media/images/..%2F..%2Fmanage.py",
    "/media/images/%2e%2e/%2e%2e/manage.py",
    "/media/original_images//etc/passwd",
    "/media/original_images/.%00.png",
    "/media/original_images/%00",
    "/media/images/\\..\\manage.py",
    "/media/images/%F0%9F%98%80.png",
    "/media/images/%FF%FE.png",
    "/media/" + "a" * 5000,
    "/media/original_images/" + "å" * 3000 + ".png",
    "/media/annat/fil.png",
    "/media/avatar_images/bild.png",
    "/dokument/1/",
    "/dokument/99999999999999999999999999/x.pdf",
    "/dokument/999999999999999999/x.pdf",
    "/dokument/0/%F0%9F%98%80.pdf",
    "/dokument/1/..%2F..%2Fmanage.py",
    "/dokument/authenticate_with_password/99999999999999999999999/",
]


@pytest.mark.parametrize("path", BAD_PATHS, ids=range(len(BAD_PATHS)))
def test_bad_addresses_get_the_swedish_404(client, published, path):
    response = client.get(path)
    assert response.status_code == 404, path
    assert "Sidan finns inte" in body(response).decode()


def test_a_known_file_under_the_wrong_name_or_folder_is_not_found(client, published):
    document = published["document"]
    assert status(client, f"/dokument/{document.pk}/annan.pdf") == 404
    assert status(client, f"/media/images/{published['image'].file.name.split('/')[-1]}") == 404
    assert status(client, f"/media/original_images/{document.file.name.split('/')[-1]}") == 404


def test_a_hidden_file_gets_a_404_that_caches_revalidate(client, site, written):
    document = make_document("Ej publicerad")
    written.append(document)
    response = client.get(document.url)
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-cache"
    assert "Sidan finns inte" in response.content.decode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tail=st.text(min_size=0, max_size=300))
def test_no_address_under_the_file_routes_gives_a_server_error(client, published, tail):
    for prefix in ("/media/", "/media/images/", "/dokument/1/", "/dokument/"):
        response = client.get(prefix + tail)
        assert response.status_code < 500, prefix + tail
        body(response)


# --- Cost and the nginx hand-over ------------------------------------------------------------------


def _pages_with_files(site, written, count: int):
    for n in range(count):
        document = make_document(f"Bilaga {n}")
        image = make_image(f"Bild {n}")
        written += [document, image]
        result_with_document(site["results"], f"Resultat {n}", document, mention=f"bilaga {n}")
        page_with_image(f"Sida {n}", image, mention=f"bild {n}")


def test_a_download_costs_a_fixed_number_of_queries(client, site, published, written, django_assert_num_queries):
    urls = {
        "dokument": published["document"].url,
        "original": published["image"].file.url,
        "rendering": published["rendition"].url,
    }
    budget = {"dokument": 3, "original": 3, "rendering": 3}
    for name, url in urls.items():
        body(client.get(url))  # warm the content type cache
        with django_assert_num_queries(budget[name]):
            assert status(client, url) == 200, name
    _pages_with_files(site, written, 8)
    for name, url in urls.items():
        # The change moved the content version: the first request reads the restricted sections again.
        body(client.get(url))
        with django_assert_num_queries(budget[name]):
            assert status(client, url) == 200, name


@pytest.mark.parametrize("endpoint", ["documents", "images"])
def test_api_listings_cost_a_fixed_number_of_queries(
    client, site, published, written, endpoint, django_assert_num_queries
):
    url = f"/api/v2/{endpoint}/?limit=100&fields=*"
    assert client.get(url).json()["meta"]["total_count"] == 1

    def grow(start, stop):
        _pages_with_files(site, written, stop - start)

    # Exactly 4 queries (django_assert_num_queries) with one file and with nine.
    responses = assert_queries_do_not_grow(client, {url: 4}, grow, django_assert_num_queries, few=0, many=8)
    assert responses[url].json()["meta"]["total_count"] == 9


def test_the_visibility_of_one_file_costs_one_query(published, django_assert_num_queries):
    # The restricted sections are read once per content version (portal.visibility).
    files.is_visible(published["document"])
    with django_assert_num_queries(1):
        assert files.is_visible(published["document"])
    with django_assert_num_queries(1):
        assert files.visible_images().count() == 1


@override_settings(MEDIA_ACCEL_REDIRECT="/_skyddade-filer/")
def test_nginx_sends_the_file_when_told_to(client, site, published, written):
    response = client.get(published["document"].url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_skyddade-filer/{published['document'].file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "public, no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"
    rendition = client.get(published["rendition"].url)
    assert rendition["X-Accel-Redirect"] == f"/_skyddade-filer/{published['rendition'].file.name}"

    hidden = make_document("Ej använd")
    written.append(hidden)
    response = client.get(hidden.url)
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
