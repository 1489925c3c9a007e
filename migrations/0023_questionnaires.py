"""Questionnaires: their questions and choices, responses (one per person) and answers."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from consult.comments.models import ModerationState
from consult.review.models import ReviewState
from consult.surveys.models import QuestionKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('consult', '0022_documents_outside_the_catalog')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Survey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('department', fields.ForeignKeyField('consult.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='surveys', on_delete=OnDelete.RESTRICT)),
                ('consultation', fields.ForeignKeyField('consult.Consultation', source_field='consultation_id', null=True, db_constraint=True, to_field='id', related_name='surveys', on_delete=OnDelete.RESTRICT)),
                ('title', fields.CharField(max_length=200)),
                ('introduction', fields.TextField(default='', unique=False)),
                ('opens_on', fields.DateField()),
                ('closes_on', fields.DateField()),
                ('review_state', fields.CharEnumField(null=True, description='PENDING: pending\nAPPROVED: approved\nRETURNED: returned', enum_type=ReviewState, max_length=20)),
                ('review_note', fields.TextField(default='', unique=False)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('submitted_by', fields.ForeignKeyField('consult.User', source_field='submitted_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('reviewed_by', fields.ForeignKeyField('consult.User', source_field='reviewed_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'survey', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'A questionnaire of a department, beside a draft in a consultation or on its own. Public once a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyQuestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('survey', fields.ForeignKeyField('consult.Survey', source_field='survey_id', db_constraint=True, to_field='id', related_name='questions', on_delete=OnDelete.CASCADE)),
                ('seq', fields.IntField()),
                ('kind', fields.CharEnumField(description='SINGLE: single\nMULTIPLE: multiple\nSCALE: scale\nSHORT_TEXT: short_text\nLONG_TEXT: long_text', enum_type=QuestionKind, max_length=20)),
                ('text', fields.CharField(max_length=500)),
                ('required', fields.BooleanField(default=True)),
                ('max_choices', fields.IntField(null=True)),
                ('allow_other', fields.BooleanField(default=False)),
            ],
            options={'table': 'survey_question', 'app': 'consult', 'unique_together': [('survey_id', 'seq')], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyChoice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('question', fields.ForeignKeyField('consult.SurveyQuestion', source_field='question_id', db_constraint=True, to_field='id', related_name='choices', on_delete=OnDelete.CASCADE)),
                ('seq', fields.IntField()),
                ('label', fields.CharField(max_length=200)),
            ],
            options={'table': 'survey_choice', 'app': 'consult', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('survey', fields.ForeignKeyField('consult.Survey', source_field='survey_id', db_constraint=True, to_field='id', related_name='responses', on_delete=OnDelete.RESTRICT)),
                ('receipt_code', fields.CharField(unique=True, max_length=20)),
                ('contact_phone', fields.CharField(default='', max_length=40)),
                ('contact_email', fields.CharField(default='', max_length=200)),
                ('phone_key', fields.CharField(null=True, max_length=40)),
                ('email_key', fields.CharField(null=True, max_length=200)),
                ('form_token', fields.CharField(default='', max_length=64)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'survey_response', 'app': 'consult', 'unique_together': [('survey_id', 'phone_key'), ('survey_id', 'email_key')], 'pk_attr': 'id', 'table_description': "One person's answers. The contact is private (staff only) and keys one response per person."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyAnswer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('response', fields.ForeignKeyField('consult.SurveyResponse', source_field='response_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('question', fields.ForeignKeyField('consult.SurveyQuestion', source_field='question_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('choice', fields.ForeignKeyField('consult.SurveyChoice', source_field='choice_id', null=True, db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('other', fields.BooleanField(default=False)),
                ('scale', fields.IntField(null=True)),
                ('text', fields.TextField(default='', unique=False)),
                ('text_state', fields.CharEnumField(null=True, description='PENDING: pending\nPUBLISHED: published\nWITHHELD: withheld', enum_type=ModerationState, max_length=20)),
            ],
            options={'table': 'survey_answer', 'app': 'consult', 'indexes': [Index(fields=['question_id', 'choice_id']), Index(fields=['question_id', 'scale']), Index(fields=['question_id', 'text_state'])], 'pk_attr': 'id', 'table_description': 'One answer to one question: a choice (one row per choice ticked), a scale value, or text (free'},
            bases=['Model'],
        ),
    ]
