from django.urls import path

from laoxiao.benefits import views

app_name = "benefits"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("spending/", views.spending_report, name="spending"),
    path("integrity/", views.integrity_report, name="integrity"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/approve/", views.batch_approve, name="approve"),
    path("batches/<int:pk>/send/", views.batch_send, name="send"),
    path("batches/<int:pk>/payments.csv", views.batch_file, name="file"),
    path("batches/<int:pk>/reconcile/", views.batch_reconcile, name="reconcile"),
    path("payments/<int:pk>/hold/", views.payment_hold, name="hold"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("documents/<int:pk>/", views.application_document, name="document"),
    path("<str:code>/", views.programme_detail, name="programme"),
    path("<str:code>/apply/", views.application_create, name="apply"),
    path("<str:code>/batch/", views.applications_batch, name="applications_batch"),
    path("<str:code>/simulator/", views.rule_simulator, name="simulator"),
]
