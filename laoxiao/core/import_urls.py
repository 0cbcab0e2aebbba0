from django.urls import path

from laoxiao.core import import_views

app_name = "imports"
urlpatterns = [
    path("<str:kind>/template/", import_views.template_download, name="template"),
    path("<str:kind>/<int:batch_id>/errors/", import_views.error_report, name="errors"),
]
