"""axe-core finds no WCAG 2.1 A/AA violations on any page type, at desktop and phone width."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from larande.models import (
    ConceptPage,
    EffectChainPage,
    EvaluationQuestion,
    EvaluationResultPage,
    GuidancePage,
)
from tests.browser import axe_violations, browser_test, chromium_browser, new_page


def _demo_urls():
    from larande.demo.build import build_demo_content

    build_demo_content()
    urls = {"startsida": "/", "sök": "/sok/?q=utfallet", "404": "/finns-inte/"}
    for label, model in [
        ("begrepp", ConceptPage),
        ("vägledning", GuidancePage),
        ("effektkedja", EffectChainPage),
        ("resultat", EvaluationResultPage),
    ]:
        page = model.objects.live().first()
        urls[label] = page.url
        urls[f"{label} (lista)"] = page.get_parent().url
    urls["lärdomar"] = "/lardomar/"
    urls["allmän sida"] = Page.objects.get(slug="tillganglighet").url
    question = EvaluationQuestion.objects.first()
    urls["utvärderingsfrågor"] = reverse("larande:question_list")
    urls["utvärderingsfråga"] = reverse("larande:question_detail", args=[question.pk])
    tag = ConceptPage.objects.live().exclude(tagged_items=None).first().tags.first()
    urls["tagg"] = reverse("larande:tag", args=[tag.slug])
    decided = EvaluationQuestion.objects.exclude(decided_on=None).first()
    urls["utvärderingsfråga (beslutad)"] = reverse("larande:question_detail", args=[decided.pk])
    urls["föreslå en fråga"] = reverse("larande:question_suggest")
    urls["rekommendationer"] = "/rekommendationer/"
    urls["rekommendationer (filtrerade)"] = "/rekommendationer/?status=genomford&niva=C"
    urls["rekommendationer (okänt filter)"] = "/rekommendationer/?status=klar"
    urls["uppföljning"] = "/uppfoljning/"
    urls["uppföljning (prioritering)"] = "/uppfoljning/innovation-och-naringslivsutveckling/"
    urls["uppföljning (utan innehåll)"] = "/uppfoljning/attraktiva-och-hallbara-livsmiljoer/"
    urls["uppföljning (sammanfattning)"] = "/uppfoljning/innovation-och-naringslivsutveckling/sammanfattning/"
    chain = EffectChainPage.objects.live().get(slug="exempel-innovationsframjande-insatser")
    questions = "&".join(f"fraga={pk}" for pk in chain.questions.values_list("pk", flat=True))
    urls["utvärderingsplan"] = "/utvarderingsplan/"
    urls["utvärderingsplan (frågor)"] = f"/utvarderingsplan/?kedja={chain.slug}"
    urls["utvärderingsplan (plan)"] = f"/utvarderingsplan/?kedja={chain.slug}&{questions}&visa=plan"
    urls["utvärderingsplan (fel)"] = "/utvarderingsplan/?kedja=finns-inte"
    urls["effektkedja med evidens"] = chain.url
    return urls


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_axe_violations_on_any_page_type(live_server):
    urls = _demo_urls()
    problems = {}
    with chromium_browser() as chromium:
        for width in (1280, 320):
            page = new_page(chromium, width=width)
            for label, url in urls.items():
                page.goto(live_server.url + url)
                found = axe_violations(page)
                if found:
                    problems[f"{label} {url} @ {width}px"] = found
        # The check is not vacuous: on a page with known faults, axe reports each of them.
        page.set_content('<html lang="sv"><body><main><img src="x.png"><button></button></main></body></html>')
        assert {finding.split(" ")[0] for finding in axe_violations(page)} >= {"image-alt", "button-name"}
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
