import pytest
pytestmark = pytest.mark.django_db

def test_dbg(demo_content):
    from larande.models import Indicator
    from larande.planning.plan import _indicator_line
    from django.db.models import Prefetch
    from larande.models import IndicatorValue
    for i in Indicator.objects.prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.order_by("year"))):
        print(i.name, [(v.year, v.value) for v in i.values.all()], _indicator_line(i))
