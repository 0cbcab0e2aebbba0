from django.urls import path

from laoxiao.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("statistics/", views.assessment_statistics, name="statistics"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("import/", views.assessment_import, name="import"),
    path("import/template.xlsx", views.assessment_import_template, name="import_template"),
    path("import/<int:batch_id>/", views.assessment_import_batch, name="import_batch"),
    path("request/<int:person_pk>/", views.assessment_request, name="request"),
    path("condition/<int:person_pk>/", views.condition_change, name="condition"),
    path("organisations/", views.agency_list, name="agencies"),
    path("organisations/<int:pk>/areas/", views.agency_areas, name="agency_areas"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/assign/", views.assessment_assign, name="assign"),
    path("<int:pk>/reassign/", views.assessment_reassign, name="reassign"),
    path("<int:pk>/schedule/", views.assessment_schedule, name="schedule"),
    path("<int:pk>/form/", views.assessment_form, name="form"),
    path("<int:pk>/answer/", views.assessment_answer, name="answer"),
    path("<int:pk>/sign/", views.assessment_sign, name="sign"),
    path("<int:pk>/review/", views.assessment_review, name="review"),
    path("<int:pk>/object/", views.assessment_object, name="object"),
    path("<int:pk>/report/", views.assessment_report, name="report"),
]
