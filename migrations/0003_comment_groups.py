from tortoise import migrations
from tortoise.migrations import operations as ops
from consult.review.models import AnswerStatus, ReviewState
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('consult', '0002_results_reports_calendar_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AnswerTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('department', fields.ForeignKeyField('consult.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='answer_templates', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=100)),
                ('text', fields.TextField(unique=False)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'answer_template', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'A reusable reason text of a department, picked while answering.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CommentGroup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consult.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='groups', on_delete=OnDelete.CASCADE)),
                ('summary', fields.CharField(max_length=200)),
                ('article', fields.ForeignKeyField('consult.Article', source_field='article_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('representative', fields.TextField(default='', unique=False)),
                ('automatic', fields.BooleanField(default=True)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'comment_group', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'Comments saying the same thing, answered once. Grouping never changes or hides a comment.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GroupAnswer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('group', fields.OneToOneField('consult.CommentGroup', source_field='group_id', db_constraint=True, to_field='id', related_name='answer', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(description='ADOPTED: adopted\nPARTLY_ADOPTED: partly_adopted\nNOT_ADOPTED: not_adopted\nALREADY_COVERED: already_covered\nOUT_OF_SCOPE: out_of_scope', enum_type=AnswerStatus, max_length=20)),
                ('reason', fields.TextField(default='', unique=False)),
                ('review_state', fields.CharEnumField(default=ReviewState.PENDING, description='PENDING: pending\nAPPROVED: approved\nRETURNED: returned', enum_type=ReviewState, max_length=20)),
                ('answered_by', fields.ForeignKeyField('consult.User', source_field='answered_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('answered_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reviewed_by', fields.ForeignKeyField('consult.User', source_field='reviewed_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('review_note', fields.TextField(default='', unique=False)),
                ('public_status', fields.CharEnumField(null=True, description='ADOPTED: adopted\nPARTLY_ADOPTED: partly_adopted\nNOT_ADOPTED: not_adopted\nALREADY_COVERED: already_covered\nOUT_OF_SCOPE: out_of_scope', enum_type=AnswerStatus, max_length=20)),
                ('public_reason', fields.TextField(default='', unique=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'group_answer', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'One answer for a whole group, reviewed like a single answer. When it is approved, members'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Answer',
            name='group_answer',
            field=fields.ForeignKeyField('consult.GroupAnswer', source_field='group_answer_id', null=True, db_constraint=True, to_field='id', related_name='inherited', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Comment',
            name='group',
            field=fields.ForeignKeyField('consult.CommentGroup', source_field='group_id', null=True, db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddIndex(
            model_name='Comment',
            index=Index(fields=['group_id', 'state']),
        ),
        ops.AddField(
            model_name='Consultation',
            name='grouped_upto',
            field=fields.IntField(default=0, db_default=0),
        ),
    ]
