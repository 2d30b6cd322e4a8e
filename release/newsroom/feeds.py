"""Atom feeds of the newsroom: all organisations, or one. Only public statements."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roles.models import Organisation

from . import publication as pubs

FEED_ITEMS = 50


class PublicationsFeed(Feed):
    """/tin-bao-chi/feed.atom — every organisation's public statements."""

    feed_type = Atom1Feed
    title = gettext_lazy("Tin báo chí — thông cáo báo chí của các cơ quan")
    subtitle = gettext_lazy("Thông cáo báo chí đã công bố, mới nhất trước.")
    # Feed objects are shared between requests: the login exemption is set on the instance.
    login_required = False

    def link(self, obj=None):
        return reverse("release:newsroom")

    def feed_guid(self, obj=None):
        return _tag("tin-bao-chi")

    def items(self, obj=None):
        return pubs.publications_public()[:FEED_ITEMS]

    def item_title(self, item):
        return f"{item.document.number_display} — {item.title}"

    def item_description(self, item):
        html = linebreaks_filter(escape(item.body), autoescape=True)
        if item.addendum:
            # The press conference's record, added after the event (see item_updateddate).
            heading = escape(_("Biên bản, tóm tắt buổi họp báo"))
            record = linebreaks_filter(escape(item.addendum), autoescape=True)
            html += f"<h3>{heading}</h3>{record}"
        return html

    def item_link(self, item):
        return pubs.publication_url(item)

    def item_guid(self, item):
        return _tag(f"tin-bao-chi/{item.pk}", item.created_at)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        # Feed readers see the entry again when a conference record is added.
        if item.addendum_at and item.addendum_at > item.publish_at:
            return item.addendum_at
        return item.publish_at

    def item_author_name(self, item):
        return item.organisation.name

    def item_categories(self, item):
        return [item.document.get_doc_type_display()]


class OrganisationPublicationsFeed(PublicationsFeed):
    """/tin-bao-chi/<org>/feed.atom — one organisation's public statements."""

    def get_object(self, request, org: str):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise Http404(_("Không tìm thấy cơ quan."))
        return organisation

    def title(self, obj):
        return _("Tin báo chí — %(org)s") % {"org": obj.name}

    def link(self, obj=None):
        return reverse("release:newsroom-organisation", args=[obj.code])

    def feed_guid(self, obj=None):
        return _tag(f"tin-bao-chi/{obj.code}")

    def items(self, obj=None):
        return pubs.publications_public().filter(organisation=obj)[:FEED_ITEMS]


def _tag(specific: str, when=None) -> str:
    """A stable RFC 4151 tag URI: tag:<host>,<date>:<path> (survives title changes)."""
    host = urlsplit(settings.SITE_URL).hostname or "phatngon"
    day = when.date().isoformat() if when else "2026-01-01"
    return f"tag:{host},{day}:{specific}"
