"""Policy evaluations: their activities, the opinions heard and their answers, and their reports."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from consult.evaluations.models import EvaluationMethod
from consult.review.models import AnswerStatus, ReviewState
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('consult', '0023_questionnaires')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Evaluation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('department', fields.ForeignKeyField('consult.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name='evaluations', on_delete=OnDelete.RESTRICT)),
                ('decision', fields.ForeignKeyField('consult.Decision', source_field='decision_id', null=True, db_constraint=True, to_field='id', related_name='evaluations', on_delete=OnDelete.RESTRICT)),
                ('policy_title', fields.CharField(max_length=200)),
                ('scope', fields.TextField(unique=False)),
                ('methods', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('evaluator', fields.CharField(max_length=200)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('survey', fields.ForeignKeyField('consult.Survey', source_field='survey_id', null=True, db_constraint=True, to_field='id', related_name='evaluations', on_delete=OnDelete.SET_NULL)),
                ('standard', fields.TextField(default='', unique=False)),
                ('applicability', fields.TextField(default='', unique=False)),
                ('usage', fields.TextField(default='', unique=False)),
                ('effects', fields.TextField(default='', unique=False)),
                ('problems', fields.TextField(default='', unique=False)),
                ('suggestions', fields.TextField(default='', unique=False)),
                ('report_state', fields.CharEnumField(null=True, description='PENDING: pending\nAPPROVED: approved\nRETURNED: returned', enum_type=ReviewState, max_length=20)),
                ('report_note', fields.TextField(default='', unique=False)),
                ('report_submitted_by', fields.ForeignKeyField('consult.User', source_field='report_submitted_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('report_published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'evaluation', 'app': 'consult', 'pk_attr': 'id', 'table_description': "An evaluation by the government (no department: counted against the county's target) or by a"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EvaluationActivity',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('evaluation', fields.ForeignKeyField('consult.Evaluation', source_field='evaluation_id', db_constraint=True, to_field='id', related_name='activities', on_delete=OnDelete.CASCADE)),
                ('method', fields.CharEnumField(description='COLLECTION: collection\nSYMPOSIUM: symposium\nINTERVIEW: interview\nOPEN_DAY: open_day\nOPINION_MONITORING: opinion_monitoring\nONLINE_QA: online_qa\nQUESTIONNAIRE: questionnaire', enum_type=EvaluationMethod, max_length=30)),
                ('held_on', fields.DateField()),
                ('participants', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('summary', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'evaluation_activity', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'A symposium, an interview or an open day: when, who took part (categories and counts, never'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EvaluationOpinion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('activity', fields.ForeignKeyField('consult.EvaluationActivity', source_field='activity_id', db_constraint=True, to_field='id', related_name='opinions', on_delete=OnDelete.CASCADE)),
                ('body', fields.TextField(unique=False)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'evaluation_opinion', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'An opinion heard at an activity, answered like a comment.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EvaluationOpinionAnswer',
            fields=[
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
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('opinion', fields.OneToOneField('consult.EvaluationOpinion', source_field='opinion_id', db_constraint=True, to_field='id', related_name='answer', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'evaluation_opinion_answer', 'app': 'consult', 'pk_attr': 'id'},
            bases=['ReviewedAnswer'],
        ),
    ]
