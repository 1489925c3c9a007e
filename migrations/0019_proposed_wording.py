"""A comment on an article may carry the wording its author proposes for it."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('consult', '0018_change_links')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Comment',
            name='proposed_text',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
    ]
