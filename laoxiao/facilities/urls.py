from django.urls import path

from laoxiao.facilities import views

app_name = "facilities"
urlpatterns = [
    path("", views.facility_list, name="list"),
    path("export.xlsx", views.facility_export, name="export"),
    path("new/", views.facility_create, name="create"),
    path("follow-up/<str:what>/", views.facility_follow_up, name="follow_up"),
    path("import/", views.facility_import, name="import"),
    path("import/template.xlsx", views.facility_import_template, name="import_template"),
    path("import/<int:batch_id>/", views.facility_import_batch, name="import_batch"),
    path("<int:pk>/", views.facility_detail, name="detail"),
    path("<int:pk>/edit/", views.facility_edit, name="edit"),
    path("<int:pk>/history/", views.facility_history, name="history"),
    path("<int:pk>/staff/new/", views.staff_member_create, name="staff_create"),
    path("<int:pk>/agreements/new/", views.medical_agreement_create, name="agreement_create"),
    path("staff/<int:pk>/certificates/new/", views.certificate_create, name="certificate_create"),
    path("staff/<int:pk>/trainings/new/", views.training_record_create, name="training_create"),
]
