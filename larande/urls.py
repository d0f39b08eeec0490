from django.urls import path

from larande import views

app_name = "larande"
urlpatterns = [
    path("taggar/<str:slug>/", views.tag_detail, name="tag"),
]
