from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_outbox_message_assigned'),
    ]

    operations = [
        migrations.AlterField(
            model_name='outboxevent',
            name='kind',
            field=models.CharField(choices=[('request.submitted', 'Request submitted'), ('request.stage_changed', 'Request stage changed'), ('request.waiting_for_client', "Waiting for the client's reply"), ('request.reminder', "Reminder: waiting for the client's reply"), ('request.decided', 'Request decided'), ('request.comment', 'Comment on a request'), ('request.assigned', 'Request task assigned'), ('message.answered', 'Message answered'), ('message.received', 'Client wrote a message'), ('message.assigned', 'Message thread assigned'), ('invoice.issued', 'Invoice issued'), ('complaint.escalated', 'Complaint escalated to the supervisors'), ('complaint.deadline_passed', 'Complaint deadline passed')], db_index=True, max_length=64, verbose_name='kind'),
        ),
    ]
