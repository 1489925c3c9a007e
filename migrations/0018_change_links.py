"""Links from comments whose adopted answers changed the issued text to the articles they changed."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('consult', '0017_after_issue')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ChangeLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('decision', fields.ForeignKeyField('consult.Decision', source_field='decision_id', db_constraint=True, to_field='id', related_name='change_links', on_delete=OnDelete.RESTRICT)),
                ('comment', fields.ForeignKeyField('consult.Comment', source_field='comment_id', db_constraint=True, to_field='id', related_name='change_links', on_delete=OnDelete.CASCADE)),
                ('article_label', fields.CharField(max_length=30)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'change_link', 'app': 'consult', 'unique_together': [('comment_id', 'article_label')], 'pk_attr': 'id', 'table_description': 'A comment whose adopted or partly adopted answer changed an article of the issued text, as the'},
            bases=['Model'],
        ),
    ]
