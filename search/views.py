"""Public search views (being built: see search app)."""

from django.http import JsonResponse
from django.shortcuts import render


def search(request):
    return render(request, "search/search.html", {"search_query": request.GET.get("q", "")[:500]})


def autocomplete(request):
    return JsonResponse({"query": request.GET.get("q", "")[:200], "suggestions": []})
