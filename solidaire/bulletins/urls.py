from django.urls import path

from . import feeds, views_composer, views_crisis, views_public

app_name = "bulletins"

public = [
    path("bulletins/", views_public.archive, name="archive"),
    path(
        "bulletins/abonnement/confirmer/<str:token>/",
        views_public.confirm,
        name="confirm",
    ),
    path(
        "bulletins/desabonnement/<str:token>/",
        views_public.unsubscribe_view,
        name="unsubscribe",
    ),
    path("bulletins/<slug:slug>/", views_public.series_page, name="series"),
    path("bulletins/<slug:slug>/abonnement/", views_public.subscribe, name="subscribe"),
    path("bulletins/<slug:slug>/<int:number>/", views_public.detail, name="detail"),
    path("bulletins/<slug:slug>/<int:number>/pdf", views_public.pdf, name="pdf"),
]

flux = [
    path("flux/bulletins/<slug:slug>/rss/", feeds.SeriesFeed(), name="feed_series_rss"),
    path("flux/bulletins/<slug:slug>/atom/", feeds.SeriesAtomFeed(), name="feed_series_atom"),
]

g = "gestion/bulletins/"
composer = [
    path(g, views_composer.series_list, name="composer"),
    path(f"{g}series/<slug:slug>/nouveau/", views_composer.draft_create, name="draft_create"),
    path(f"{g}<int:pk>/", views_composer.compose, name="compose"),
    path(f"{g}<int:pk>/textes/", views_composer.texts_save, name="texts_save"),
    path(f"{g}<int:pk>/apercu/", views_composer.preview, name="preview"),
    path(f"{g}<int:pk>/publier/", views_composer.publish, name="publish"),
    path(f"{g}<int:pk>/renvoyer/", views_composer.resend, name="resend"),
    path(f"{g}<int:pk>/supprimer/", views_composer.draft_delete, name="draft_delete"),
    path(f"{g}<int:pk>/ajouter/", views_composer.item_add, name="item_add"),
    path(f"{g}<int:pk>/elements/<int:item_pk>/", views_composer.item_save, name="item_save"),
    path(
        f"{g}<int:pk>/elements/<int:item_pk>/retirer/",
        views_composer.item_remove,
        name="item_remove",
    ),
    path(
        f"{g}<int:pk>/elements/<int:item_pk>/<str:direction>/",
        views_composer.item_move,
        name="item_move",
    ),
]

crisis = [
    path("gestion/crises/nouvelle/", views_crisis.crisis_create, name="crisis_create"),
]

urlpatterns = public + flux + composer + crisis
