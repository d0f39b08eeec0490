import pytest
from tests.test_pages_support import main_text

pytestmark = pytest.mark.django_db


def test_smoke(demo_content, client):
    print(demo_content["models"].get("LinkEvidence"), demo_content["created"])
    r = client.get("/effektkedjor/exempel-innovationsframjande-insatser/")
    assert r.status_code == 200
    __import__("pathlib").Path("/tmp/ev/chain.html").write_text(r.content.decode())
    r = client.get("/effektkedjor/exempel-yrkesutbildning-for-kompetensforsorjning/diagram.svg")
    assert r.status_code == 200
    __import__("pathlib").Path("/tmp/ev/d.svg").write_text(r.content.decode())
    r = client.get("/utvarderingsplan/")
    assert r.status_code == 200, r.content.decode()[:3000]
    r = client.get("/utvarderingsplan/?kedja=exempel-yrkesutbildning-for-kompetensforsorjning")
    assert r.status_code == 200
    __import__("pathlib").Path("/tmp/ev/plan2.html").write_text(r.content.decode())
    from larande.models import EvaluationQuestion
    ids = list(EvaluationQuestion.objects.filter(chains__slug="exempel-yrkesutbildning-for-kompetensforsorjning").values_list("pk", flat=True))
    q = "&".join(f"fraga={i}" for i in ids)
    r = client.get(f"/utvarderingsplan/?kedja=exempel-yrkesutbildning-for-kompetensforsorjning&{q}&visa=plan")
    assert r.status_code == 200
    __import__("pathlib").Path("/tmp/ev/plan3.html").write_text(r.content.decode())
    r = client.get(f"/utvarderingsplan/utvarderingsplan.docx?kedja=exempel-yrkesutbildning-for-kompetensforsorjning&{q}&visa=plan")
    assert r.status_code == 200, r.content[:2000]
    __import__("pathlib").Path("/tmp/ev/plan.docx").write_bytes(r.content)
    r = client.get(f"/utvarderingsplan/utvarderingsplan.pdf?kedja=exempel-yrkesutbildning-for-kompetensforsorjning&{q}&visa=plan")
    assert r.status_code in (200, 503), r.content[:2000]
    __import__("pathlib").Path("/tmp/ev/plan.pdf").write_bytes(r.content)
    for bad in ["?kedja=nope", "?kedja=a&prioritering=b", "?fraga=1", "?kedja=exempel-yrkesutbildning-for-kompetensforsorjning&fraga=abc", "?kedja=exempel-yrkesutbildning-for-kompetensforsorjning&visa=plan", "?kedja=exempel-yrkesutbildning-for-kompetensforsorjning&fraga=1"]:
        r = client.get("/utvarderingsplan/" + bad)
        print(bad, r.status_code, main_text(r)[:400])
