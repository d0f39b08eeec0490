"""The recommendation tracker (/rekommendationer/): statuses with dated history that survives
revisions, counts per status, filters in the URL with Swedish notices, open data and feeds."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from larande.evaluation.tracker import RecommendationStatusChange, record_status_changes
from larande.models import EvaluationResultPage, Recommendation
from portal.content_version import content_version
from tests.factories import RecommendationIndexPageFactory, RegionFactory, RusPriorityFactory
from tests.publishing_support import publish, result_page, sections

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SPRING = datetime.date(2024, 4, 15)


def build_world():
    """Two results under the tracker, with recommendations in every status, in two regions and two
    priorities: built once for the module, each test gets it fresh as `world` (tests/conftest.py)."""
    pages = sections()
    tracker = RecommendationIndexPageFactory(publish=True)
    north = RegionFactory(name="Region Västerbotten")
    south = RegionFactory(name="Region Västernorrland")
    innovation = RusPriorityFactory(title="Innovation och näringslivsutveckling")
    skills = RusPriorityFactory(title="Kompetensförsörjning och inkludering")
    first = result_page(
        pages["results"],
        "Utvärdering av klustren",
        published_on=datetime.date(2024, 4, 15),
        recommendations=[
            Recommendation(
                text="Ge klustren processledare.", status="in_progress", chain_level="F", status_date=SPRING
            ),
            Recommendation(
                text="Marknadsför checkarna bredare.", status="planned", chain_level="E", status_date=SPRING
            ),
            Recommendation(text="Mät effekterna senare.", status="done", chain_level="C"),
        ],
        live=False,
    )
    first.regions.set([north])
    first.priorities.set([innovation])
    publish(first)
    second = result_page(
        pages["results"],
        "Uppföljning av jämställdheten",
        published_on=datetime.date(2025, 2, 20),
        recommendations=[
            Recommendation(text="Bjud in fler organisationer.", status="rejected", chain_level="D"),
        ],
        live=False,
    )
    second.regions.set([south])
    second.priorities.set([skills])
    publish(second)
    return {"tracker": tracker, "first": first, "second": second, "results": pages["results"]}


def _rec(result, text) -> Recommendation:
    return Recommendation.objects.get(result=result, text=text)


def _edit_recommendations(page, change):
    """Change the page's recommendations in memory, as the admin's form does (then save a revision)."""
    recommendations = list(page.recommendations.all())
    for rec in recommendations:
        change(rec)
    page.recommendations = recommendations
    return page


def test_publishing_records_each_status_once_and_dates_it(world):
    first = world["first"]
    rec = _rec(first, "Ge klustren processledare.")
    history = list(RecommendationStatusChange.objects.filter(result=first, key=rec.key))
    assert [(c.status, c.changed_on) for c in history] == [("in_progress", SPRING)]
    undated = RecommendationStatusChange.objects.get(key=_rec(first, "Mät effekterna senare.").key)
    assert undated.changed_on == timezone.localdate()
    # Republishing with the same status records nothing new.
    publish(EvaluationResultPage.objects.get(pk=first.pk))
    assert RecommendationStatusChange.objects.filter(result=first, key=rec.key).count() == 1


def test_status_history_survives_revisions_and_ignores_drafts(world):
    first = EvaluationResultPage.objects.get(pk=world["first"].pk)
    key = _rec(first, "Ge klustren processledare.").key
    # A draft with a new status is not history, and the tracker keeps showing the published status.
    draft = first.get_latest_revision_as_object()

    def finish(rec):
        if rec.key == key:
            rec.status = "done"
            rec.text = "Ge klustren processledare med avsatt tid."

    _edit_recommendations(draft, finish).save_revision()
    assert RecommendationStatusChange.objects.filter(key=key).count() == 1
    assert _rec(first, "Ge klustren processledare.").status == "in_progress"
    # Published (text edited too), the change is recorded under the same identity, dated as given.
    revision = EvaluationResultPage.objects.get(pk=first.pk).get_latest_revision()
    page = revision.as_object()

    def date(rec):
        if rec.key == key:
            rec.status_date = datetime.date(2025, 1, 7)

    _edit_recommendations(page, date).save_revision().publish()
    history = list(RecommendationStatusChange.objects.filter(result=first, key=key))
    assert [c.status for c in history] == ["in_progress", "done"]
    assert history[-1].changed_on == datetime.date(2025, 1, 7)
    assert Recommendation.objects.get(key=key).text == "Ge klustren processledare med avsatt tid."


def test_a_change_is_never_dated_before_the_one_it_follows(world):
    first = EvaluationResultPage.objects.get(pk=world["first"].pk)
    page = first.get_latest_revision_as_object()

    def backdate(rec):
        if rec.text == "Ge klustren processledare.":
            rec.status, rec.status_date = "done", datetime.date(2020, 1, 1)

    _edit_recommendations(page, backdate).save_revision().publish()
    key = _rec(first, "Ge klustren processledare.").key
    history = list(RecommendationStatusChange.objects.filter(key=key))
    assert [(c.status, c.changed_on) for c in history] == [("in_progress", SPRING), ("done", SPRING)]


def test_record_status_changes_corrects_the_date_of_an_unchanged_status(world):
    first = world["first"]
    rec = _rec(first, "Mät effekterna senare.")
    Recommendation.objects.filter(pk=rec.pk).update(status_date=datetime.date(2024, 5, 2))
    assert record_status_changes(first) == []
    assert RecommendationStatusChange.objects.get(key=rec.key).changed_on == datetime.date(2024, 5, 2)


def test_tracker_lists_and_counts_per_status(client, world):
    response = client.get("/rekommendationer/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Ge klustren processledare.", "Marknadsför checkarna bredare.", "Bjud in fler organisationer."):
        assert text in html
    counts = {o["slug"]: o["count"] for o in response.context["status_counts"]}
    assert counts == {"planerad": 1, "pagar": 1, "genomford": 1, "avvisad": 1}
    assert "4 rekommendationer" in html
    assert "Ägarens svar" not in html or "Ägaren har inte svarat ännu." in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=pagar", {"Ge klustren processledare."}),
        ("status=Pågår", {"Ge klustren processledare."}),
        ("region=region-vasternorrland", {"Bjud in fler organisationer."}),
        ("ar=2024", {"Ge klustren processledare.", "Marknadsför checkarna bredare.", "Mät effekterna senare."}),
        ("prioritering=kompetensforsorjning-och-inkludering", {"Bjud in fler organisationer."}),
        ("niva=c", {"Mät effekterna senare."}),
        ("status=planerad&region=region-vasterbotten", {"Marknadsför checkarna bredare."}),
        ("ar=2019", set()),
    ],
)
def test_filters_in_the_url(client, world, query, expected):
    response = client.get(f"/rekommendationer/?{query}")
    assert response.status_code == 200
    assert {r.text for r in response.context["recommendations"]} == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=klar", "Det finns ingen status ”klar”"),
        ("region=region-skane", "Det finns inga rekommendationer från regionen ”region-skane”"),
        ("ar=tjugo", "”tjugo” är inget årtal"),
        ("prioritering=okand", "Det finns inga rekommendationer för RUS-prioriteringen ”okand”"),
        ("niva=x", "Det finns ingen nivå ”x” i effektkedjan"),
        ("status=%00%ff", "Det finns ingen status"),
    ],
)
def test_unknown_filter_values_get_a_swedish_notice(client, world, query, message):
    response = client.get(f"/rekommendationer/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["recommendations"] == []


def test_tracker_shows_the_history_of_a_republished_result(client, world):
    first = EvaluationResultPage.objects.get(pk=world["first"].pk)
    page = first.get_latest_revision_as_object()

    def start(rec):
        if rec.text == "Marknadsför checkarna bredare.":
            rec.status = "in_progress"
            rec.status_date = datetime.date(2025, 3, 3)

    _edit_recommendations(page, start).save_revision().publish()
    html = client.get("/rekommendationer/?status=pagar").content.decode()
    assert "Statushistorik (2 ändringar)" in html
    assert 'sedan <time datetime="2025-03-03">3 mars 2025</time>' in html


def test_open_data_has_every_recommendation_with_status_and_history(client, world):
    data = json.loads(client.get("/oppna-data/rekommendationer.json").content)
    rows = data["rader"]
    by_text = {row["rekommendation"]: row for row in rows}
    assert set(by_text) == {
        "Ge klustren processledare.",
        "Marknadsför checkarna bredare.",
        "Mät effekterna senare.",
        "Bjud in fler organisationer.",
    }
    row = by_text["Bjud in fler organisationer."]
    assert row["status"] == "avvisad" and row["statusens_namn"] == "Avvisad"
    assert row["regioner"] == ["Region Västernorrland"]
    assert row["rus_prioriteringar"] == ["Kompetensförsörjning och inkludering"]
    assert row["niva"] == "D" and len(row["statushistorik"]) == 1
    text = client.get("/oppna-data/rekommendationer.csv").content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert {r["Rekommendation"] for r in table} == set(by_text)
    assert {r["Status"] for r in table} == {"planerad", "pagar", "genomford", "avvisad"}


def test_atom_feed_is_valid_with_author_and_one_entry_per_recommendation(client, world):
    response = client.get("/rekommendationer/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own feed
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Lärportalen"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 4
    for entry in entries:
        for tag in ("title", "id", "updated", "link"):
            assert entry.find(f"{ATOM}{tag}") is not None, tag
    titles = {entry.find(f"{ATOM}title").text for entry in entries}
    assert "Avvisad: Bjud in fler organisationer." in titles
    rss = client.get("/rekommendationer/rss/")
    assert rss.status_code == 200 and b"Bjud in fler organisationer." in rss.content


def test_publishing_and_unpublishing_change_the_tracker_and_the_content_version(client, world, settings):
    cache.clear()
    settings.PAGE_CACHE_ENABLED = True
    before = content_version()
    assert "Bjud in fler organisationer." in client.get("/rekommendationer/").content.decode()
    second = EvaluationResultPage.objects.get(pk=world["second"].pk)
    second.unpublish()
    assert content_version() != before
    for url in ("/rekommendationer/", "/rekommendationer/atom/", "/oppna-data/rekommendationer.csv"):
        assert "Bjud in fler organisationer." not in client.get(url).content.decode(), url
    between = content_version()
    publish(second)
    assert content_version() != between
    assert "Bjud in fler organisationer." in client.get("/rekommendationer/").content.decode()


def test_a_change_of_only_a_results_regions_shows_on_the_cached_tracker(client, world, settings):
    from larande.models import Region  # noqa: PLC0415

    cache.clear()
    settings.PAGE_CACHE_ENABLED = True
    south = Region.objects.get(name="Region Västernorrland")
    url = f"/rekommendationer/?region={south.slug}"
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert "Ge klustren processledare." not in cached.content.decode()

    # Only the relation changes (no page is saved): the region now names the first result too.
    south.results.add(world["first"])

    html = client.get(url).content.decode()
    assert "Ge klustren processledare." in html and "Bjud in fler organisationer." in html
    south.results.remove(world["first"])
    assert "Ge klustren processledare." not in client.get(url).content.decode()


def test_tracker_is_in_the_navigation_and_the_sitemap(client, world):
    html = client.get("/").content.decode()
    assert 'href="/rekommendationer/"' in html
    assert "/rekommendationer/" in client.get("/sitemap.xml").content.decode()


def _row_of(data: dict, text: str) -> int:
    """The index of the recommendation row holding `text` in a result's edit form data."""
    return next(i for i in range(3) if data[f"recommendations-{i}-text"][0].strip() == text)


def test_an_editor_changes_a_status_in_the_admin_and_the_history_follows(admin_client, world):
    from tests.admin_forms import PUBLISH, form_data, merged  # noqa: PLC0415

    first = world["first"]
    key = _rec(first, "Ge klustren processledare.").key
    url = reverse("wagtailadmin_pages:edit", args=[first.pk])
    data = form_data(admin_client.get(url))
    index = _row_of(data, "Ge klustren processledare.")
    assert data[f"recommendations-{index}-status"] == ["in_progress"]
    # A draft first: nothing is recorded.
    draft = merged(data, {f"recommendations-{index}-status": "done", f"recommendations-{index}-status_date": ""})
    assert admin_client.post(url, draft).status_code == 302
    assert RecommendationStatusChange.objects.filter(key=key).count() == 1
    # Then published from the edit form that shows the draft.
    data = form_data(admin_client.get(url))
    index = _row_of(data, "Ge klustren processledare.")
    assert data[f"recommendations-{index}-status"] == ["done"]
    assert admin_client.post(url, merged(data, PUBLISH)).status_code == 302
    assert Recommendation.objects.get(result=first, text="Ge klustren processledare.").key == key
    history = list(RecommendationStatusChange.objects.filter(key=key).values_list("status", "changed_on"))
    assert history == [("in_progress", SPRING), ("done", timezone.localdate())]


def test_a_status_changed_in_the_admin_without_a_new_date_is_dated_by_its_publication(admin_client, world):
    """The row's "gäller från" belonged to the old status: kept, it would date the new one at the old one's day."""
    from tests.admin_forms import PUBLISH, form_data, merged  # noqa: PLC0415

    first = world["first"]
    key = _rec(first, "Ge klustren processledare.").key
    url = reverse("wagtailadmin_pages:edit", args=[first.pk])
    data = form_data(admin_client.get(url))
    index = _row_of(data, "Ge klustren processledare.")
    assert data[f"recommendations-{index}-status_date"] == [SPRING.isoformat()]

    # Only the status changes; the date is left as it was.
    changed = merged(data, {f"recommendations-{index}-status": "done", **PUBLISH})
    assert admin_client.post(url, changed).status_code == 302

    assert Recommendation.objects.get(key=key).status_date is None
    history = list(RecommendationStatusChange.objects.filter(key=key).values_list("status", "changed_on"))
    assert history == [("in_progress", SPRING), ("done", timezone.localdate())]
    # A date given with the new status is kept.
    data = form_data(admin_client.get(url))
    index = _row_of(data, "Ge klustren processledare.")
    dated = merged(
        data,
        {f"recommendations-{index}-status": "rejected", f"recommendations-{index}-status_date": "2099-01-02"},
        PUBLISH,
    )
    assert admin_client.post(url, dated).status_code == 302
    assert RecommendationStatusChange.objects.filter(key=key).last().changed_on == datetime.date(2099, 1, 2)


def test_republishing_keeps_a_backdated_change_after_the_one_it_follows(client, world):
    first = EvaluationResultPage.objects.get(pk=world["first"].pk)
    key = _rec(first, "Ge klustren processledare.").key

    def backdate(rec):
        if rec.key == key:
            rec.status, rec.status_date = "done", datetime.date(2020, 1, 1)

    _edit_recommendations(first.get_latest_revision_as_object(), backdate).save_revision().publish()
    # Published again with nothing changed: the date the editor gave still cannot go before the last change.
    publish(EvaluationResultPage.objects.get(pk=first.pk))
    publish(EvaluationResultPage.objects.get(pk=first.pk))

    history = list(RecommendationStatusChange.objects.filter(key=key).values_list("status", "changed_on"))
    assert history == [("in_progress", SPRING), ("done", SPRING)]
    html = client.get("/rekommendationer/?status=genomford").content.decode()
    assert 'Genomförd</span> sedan <time datetime="2024-04-15">' in html


def test_the_tracker_and_the_followup_are_found_by_search(client, world, settings):
    import io  # noqa: PLC0415

    from search.rebuild import rebuild  # noqa: PLC0415
    from tests.factories import FollowUpIndexPageFactory  # noqa: PLC0415

    settings.ELASTICSEARCH_URL = ""
    FollowUpIndexPageFactory(publish=True)
    rebuild(stream=io.StringIO())
    assert 'href="/rekommendationer/"' in client.get("/sok/?q=rekommendationer").content.decode()
    assert 'href="/uppfoljning/"' in client.get("/sok/?q=uppföljning").content.decode()
    world["tracker"].unpublish()
    assert 'href="/rekommendationer/"' not in client.get("/sok/?q=rekommendationer").content.decode()
