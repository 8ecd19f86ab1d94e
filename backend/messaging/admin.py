from django.contrib import admin

from backend.messaging.models import InternalNote, Message, MessageAttachment, MessageThread


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["created_at", "author", "is_from_staff", "is_final_answer", "body"]
    readonly_fields = fields
    can_delete = False


class InternalNoteInline(admin.TabularInline):
    model = InternalNote
    extra = 0
    fields = ["created_at", "author", "body"]
    readonly_fields = fields
    can_delete = False


@admin.register(MessageThread)
class MessageThreadAdmin(admin.ModelAdmin):
    list_display = ["subject", "client", "category", "status", "assignee", "last_message_at"]
    list_filter = ["status", "category"]
    search_fields = ["subject", "client__name_key__folded", "client__nip"]
    list_select_related = ["client", "assignee"]
    raw_id_fields = ["client", "contract", "created_by", "final_answer_by", "assignee"]
    inlines = [MessageInline, InternalNoteInline]


@admin.register(MessageAttachment)
class MessageAttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "created_at"]
    raw_id_fields = ["message"]
    readonly_fields = ["sha256", "size", "content_type"]
