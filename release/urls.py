from django.urls import path

from . import views
from .newsroom import feeds
from .newsroom import views as newsroom
from .newsroom.caching import newsroom_cached

app_name = "release"
urlpatterns = [
    path("xac-thuc/", views.verify, name="verify-upload"),
    path("xac-thuc/<str:token>/", views.verify, name="verify"),
    path("verify/", views.verify, name="verify-upload-en"),
    path("verify/<str:token>/", views.verify, name="verify-en"),
    path("van-ban/<int:pk>/tai-ve/", views.download, name="download"),
    # The public newsroom (tin báo chí): stable Vietnamese URLs.
    path("tin-bao-chi/", newsroom.newsroom, name="newsroom"),
    path("tin-bao-chi/feed.atom", newsroom_cached(feeds.PublicationsFeed()), name="newsroom-feed"),
    path("tin-bao-chi/huy-dang-ky/<str:token>/", newsroom.unsubscribe, name="unsubscribe"),
    path("tin-bao-chi/<slug:org>/", newsroom.newsroom_organisation, name="newsroom-organisation"),
    path(
        "tin-bao-chi/<slug:org>/feed.atom",
        newsroom_cached(feeds.OrganisationPublicationsFeed()),
        name="newsroom-organisation-feed",
    ),
    path("tin-bao-chi/<slug:org>/dang-ky/", newsroom.newsroom_subscribe, name="newsroom-subscribe"),
    path(
        "tin-bao-chi/<slug:org>/<int:pk>/",
        newsroom.publication_detail,
        name="publication-short",
    ),
    path(
        "tin-bao-chi/<slug:org>/<int:pk>-<slug:slug>/",
        newsroom.publication_detail,
        name="publication",
    ),
    path(
        "tin-bao-chi/<slug:org>/<int:pk>/van-ban.pdf",
        newsroom.publication_pdf,
        name="publication-pdf",
    ),
]
