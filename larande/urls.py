from django.urls import path

from larande.evaluation import suggestions as question_suggestions
from larande.evaluation import views as question_views
from larande.records import views as tag_views

app_name = "larande"
urlpatterns = [
    path("taggar/<str:slug>/", tag_views.tag_detail, name="tag"),
    path("utvarderingsfragor/", question_views.question_list, name="question_list"),
    path("utvarderingsfragor/foresla/", question_suggestions.suggest_question, name="question_suggest"),
    path("utvarderingsfragor/<int:pk>/", question_views.question_detail, name="question_detail"),
]
