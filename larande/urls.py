from django.urls import path

from larande import views

app_name = "larande"
urlpatterns = [
    path("taggar/<str:slug>/", views.tag_detail, name="tag"),
    path("utvarderingsfragor/", views.question_list, name="question_list"),
    path("utvarderingsfragor/<int:pk>/", views.question_detail, name="question_detail"),
]
