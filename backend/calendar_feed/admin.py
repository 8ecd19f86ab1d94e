from django.contrib import admin

from backend.calendar_feed.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    # The token is a credential: never listed or shown, only the fact that a feed exists.
    list_display = ["user", "created_at", "regenerated_at"]
    fields = ["user", "created_at", "regenerated_at"]
    readonly_fields = fields
    search_fields = ["user__email"]

    def has_add_permission(self, request) -> bool:
        return False
