from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from consult.notify.models import MessageKind
from consult.reports.models import PublicationKind
from consult.workdays.models import CalendarSource
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('consult', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AdoptionReport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('decision', fields.ForeignKeyField('consult.Decision', source_field='decision_id', db_constraint=True, to_field='id', related_name='reports', on_delete=OnDelete.RESTRICT)),
                ('consultation', fields.OneToOneField('consult.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='report', on_delete=OnDelete.RESTRICT)),
                ('department_note', fields.TextField(default='', unique=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('publication_kind', fields.CharEnumField(null=True, description='COMPLETE: complete\nDEADLINE: deadline\nMANUAL: manual', enum_type=PublicationKind, max_length=20)),
                ('published_by', fields.ForeignKeyField('consult.User', source_field='published_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('overdue', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'adoption_report', 'app': 'consult', 'indexes': [Index(fields=['published_at'])], 'pk_attr': 'id', 'table_description': "意见收集采纳情况 for one consultation. The due date is not stored: it is a function of the result's"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CalendarChange',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('year', fields.IntField(db_index=True)),
                ('notice', fields.CharField(default='', max_length=200)),
                ('before', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('after', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('actor', fields.ForeignKeyField('consult.User', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'calendar_change', 'app': 'consult', 'pk_attr': 'id', 'table_description': "Audit of every change the office makes to a year's arrangement."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('day', fields.DateField(unique=True)),
                ('is_workday', fields.BooleanField()),
                ('name', fields.CharField(default='', max_length=50)),
                ('source', fields.CharEnumField(description='SEEDED: seeded\nSTAFF: staff', enum_type=CalendarSource, max_length=20)),
            ],
            options={'table': 'calendar_day', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'A day that differs from the weekend rule: a holiday on a weekday or a make-up workday (调休上班).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CalendarYear',
            fields=[
                ('year', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('notice', fields.CharField(default='', max_length=200)),
                ('source', fields.CharEnumField(description='SEEDED: seeded\nSTAFF: staff', enum_type=CalendarSource, max_length=20)),
                ('updated_by', fields.ForeignKeyField('consult.User', source_field='updated_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'calendar_year', 'app': 'consult', 'pk_attr': 'year', 'table_description': 'A year whose holiday arrangement is official (国务院办公厅关于…部分节假日安排的通知).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DecisionResult',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('decision', fields.OneToOneField('consult.Decision', source_field='decision_id', db_constraint=True, to_field='id', related_name='result', on_delete=OnDelete.RESTRICT)),
                ('document_number', fields.CharField(max_length=100)),
                ('issued_on', fields.DateField()),
                ('text', fields.TextField(default='', unique=False)),
                ('link', fields.CharField(default='', max_length=500)),
                ('interpretation', fields.TextField(default='', unique=False)),
                ('interpretation_link', fields.CharField(default='', max_length=500)),
                ('recorded_by', fields.ForeignKeyField('consult.User', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'decision_result', 'app': 'consult', 'pk_attr': 'id', 'table_description': "决策结果: the issued document. Recording it starts the adoption report's clock."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='ANSWER_PUBLISHED: answer_published\nREPORT_PUBLISHED: report_published', enum_type=MessageKind, max_length=30)),
                ('dedupe_key', fields.CharField(unique=True, max_length=120)),
                ('to_address', fields.CharField(max_length=200)),
                ('subject', fields.CharField(max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('send_after', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.CharField(default='', max_length=200)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_message', 'app': 'consult', 'indexes': [Index(fields=['sent_at', 'send_after'])], 'pk_attr': 'id', 'table_description': 'An e-mail written in the same transaction as its event, delivered later by the sender.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReportVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('report', fields.ForeignKeyField('consult.AdoptionReport', source_field='report_id', db_constraint=True, to_field='id', related_name='versions', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('figures', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'report_version', 'app': 'consult', 'unique_together': [('report_id', 'number')], 'pk_attr': 'id', 'table_description': 'The frozen figures of a published report: number 0 is the publication, later ones corrections.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReportChart',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.ForeignKeyField('consult.ReportVersion', source_field='version_id', db_constraint=True, to_field='id', related_name='charts', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=30)),
                ('svg', fields.TextField(unique=False)),
            ],
            options={'table': 'report_chart', 'app': 'consult', 'unique_together': [('version_id', 'name')], 'pk_attr': 'id', 'table_description': "A chart rendered once from a version's figures (SVG with the glyphs as paths: no font needed)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReportPdf',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('version', fields.OneToOneField('consult.ReportVersion', source_field='version_id', db_constraint=True, to_field='id', related_name='pdf', on_delete=OnDelete.CASCADE)),
                ('data', fields.BinaryField()),
            ],
            options={'table': 'report_pdf', 'app': 'consult', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Comment',
            name='notify_by_email',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
