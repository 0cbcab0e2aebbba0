from django.urls import path

from laoxiao.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.xlsx", views.person_export, name="export"),
    path("new/", views.person_create, name="create"),
    path("import/", views.person_import, name="import"),
    path("import/template.xlsx", views.person_import_template, name="import_template"),
    path("import/<int:batch_id>/", views.person_import_batch, name="import_batch"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/record/<str:section>/", views.person_section, name="section"),
    path("<int:pk>/history/", views.person_history, name="history"),
    path("<int:pk>/reveal/<str:field>/", views.person_reveal, name="reveal"),
    path("<int:pk>/contacts/new/", views.emergency_contact_add, name="contact_add"),
    path("contacts/<int:pk>/remove/", views.emergency_contact_remove, name="contact_remove"),
    path("contacts/<int:pk>/reveal/", views.emergency_contact_reveal, name="contact_reveal"),
    path("<int:pk>/guardians/new/", views.guardianship_create, name="guardian_create"),
]
