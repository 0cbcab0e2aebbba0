from django.urls import path

from laoxiao.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import, name="import"),
    path("<str:code>/", views.plan_dashboard, name="dashboard"),
    path("<str:code>/export.xlsx", views.plan_export, name="export"),
    path("<str:code>/annex.xlsx", views.plan_annex_export, name="annex"),
    path("<str:code>/report/", views.plan_report, name="report"),
    path("<str:code>/report.docx", views.plan_report_docx, name="report_docx"),
    path("<str:code>/values/", views.reported_values, name="values"),
    path("<str:code>/targets/", views.area_target, name="target"),
    path("<str:code>/projects/<int:pk>/", views.project_update, name="project_update"),
    path("<str:code>/tasks/<int:pk>/", views.task_report, name="task_report"),
]
