from django.urls import path

from laoxiao.homecare import community_views, views

app_name = "homecare"
urlpatterns = [
    path("", views.order_list, name="orders"),
    path("people/<int:pk>/", views.person_care, name="person"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/accept/", views.order_accept, name="accept"),
    path("orders/<int:pk>/decline/", views.order_decline, name="decline"),
    path("orders/<int:pk>/assign/", views.order_assign, name="assign"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="cancel"),
    path("orders/<int:pk>/rate/", views.order_rate, name="rate"),
    path("orders/<int:pk>/complain/", views.order_complain, name="complain"),
    path("orders/<int:pk>/review/", views.order_review, name="review"),
    path("orders/<int:pk>/check-in/", views.visit_check_in, name="check_in"),
    path("orders/<int:pk>/check-out/", views.visit_check_out, name="check_out"),
    path("orders/<int:pk>/phone/", views.visit_phone, name="phone"),
    path("today/", views.caregiver_today, name="today"),
    path("providers/", views.provider_list, name="providers"),
    path("providers/new/", views.provider_register, name="provider_new"),
    path("providers/<int:pk>/", views.provider_detail, name="provider"),
    path("statements/", views.statement_list, name="statements"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_resolve, name="complaint"),
    path("visits/", community_views.visit_plan_list, name="visit_plans"),
    path("visits/<int:pk>/", community_views.visit_plan_detail, name="visit_plan"),
    path("people/<int:pk>/visit-plan/", community_views.visit_plan_create, name="visit_plan_new"),
    path("meals/", community_views.meal_point_list, name="meal_points"),
    path("meals/<int:pk>/", community_views.meal_point_detail, name="meal_point"),
    path("beds/", community_views.bed_list, name="beds"),
    path("beds/<int:pk>/", community_views.bed_detail, name="bed"),
    path("people/<int:pk>/bed/", community_views.bed_create, name="bed_new"),
]
