from django.urls import path

from laoxiao.core import views

app_name = "core"
urlpatterns = [
    path("", views.area_index, name="areas"),
    path("children/", views.area_children, name="area_children"),
    path("<str:code>/", views.area_detail, name="area"),
    path("<str:code>/population/", views.population_set, name="population_set"),
]
