from django.contrib import admin

from backend.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "client", "contract", "issued_on", "original_name", "size"]
    list_filter = ["kind", "issued_on"]
    search_fields = ["title", "original_name", "client__name_key__folded", "client__nip", "contract__number"]
    autocomplete_fields = ["client", "contract"]
    list_select_related = ["client", "contract"]
    date_hierarchy = "issued_on"
    # Files are stored only through documents.uploads (content check, random name, checksum).
    readonly_fields = ["file", "original_name", "content_type", "size", "sha256", "created_at"]
