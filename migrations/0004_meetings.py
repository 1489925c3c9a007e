from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from consult.review.models import AnswerStatus, ReviewState
from consult.meetings.models import AttendeeCategory
from consult.participation.models import ApplicationStatus, Attendance, SelectionMethod
from consult.notify.models import MessageKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('consult', '0003_comment_groups')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Meeting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.IntField()),
                ('held_on', fields.DateField()),
                ('place', fields.CharField(default='', max_length=200)),
                ('public_attendance', fields.BooleanField(default=False)),
                ('stream_url', fields.CharField(default='', max_length=500)),
                ('applications_open_on', fields.DateField(null=True)),
                ('applications_close_on', fields.DateField(null=True)),
                ('quotas', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'meeting', 'app': 'consult', 'unique_together': [('held_on', 'number')], 'pk_attr': 'id', 'table_description': '政府常务会议, with its topics and, where the public attends, its call for applications.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Attendee',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('consult.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='attendees', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=50)),
                ('category', fields.CharEnumField(description='STAKEHOLDER: stakeholder\nCITIZEN_REPRESENTATIVE: citizen_representative\nEXPERT: expert\nMEDIA: media', enum_type=AttendeeCategory, max_length=30)),
                ('organisation', fields.CharField(default='', max_length=100)),
                ('statement', fields.TextField(default='', unique=False)),
                ('contact_phone', fields.CharField(default='', max_length=40)),
                ('contact_email', fields.CharField(default='', max_length=200)),
                ('notify_by_email', fields.BooleanField(default=False)),
                ('receipt_code', fields.CharField(unique=True, max_length=20)),
                ('status', fields.CharEnumField(default=ApplicationStatus.APPLIED, description='APPLIED: applied\nSELECTED: selected\nNOT_SELECTED: not_selected\nINVITED: invited', enum_type=ApplicationStatus, max_length=20)),
                ('selection_method', fields.CharEnumField(null=True, description='MANUAL: manual\nLOTTERY: lottery\nINVITATION: invitation', enum_type=SelectionMethod, max_length=20)),
                ('selection_reason', fields.TextField(default='', unique=False)),
                ('attendance', fields.CharEnumField(null=True, description='ATTENDED: attended\nABSENT: absent', enum_type=Attendance, max_length=20)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'meeting_attendee', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'An applicant or an invited attendee. Name, category and organisation of those who attend are'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Lottery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('consult.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='lotteries', on_delete=OnDelete.CASCADE)),
                ('category', fields.CharEnumField(description='STAKEHOLDER: stakeholder\nCITIZEN_REPRESENTATIVE: citizen_representative\nEXPERT: expert\nMEDIA: media', enum_type=AttendeeCategory, max_length=30)),
                ('seed', fields.CharField(max_length=64)),
                ('seats', fields.IntField()),
                ('candidates', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('winners', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('drawn_by', fields.ForeignKeyField('consult.User', source_field='drawn_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('drawn_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'meeting_lottery', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'A public draw for one category: anyone can recompute it from the seed and the candidates.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MeetingMaterial',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('consult.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='materials', on_delete=OnDelete.CASCADE)),
                ('filename', fields.CharField(max_length=200)),
                ('content_type', fields.CharField(max_length=100)),
                ('size', fields.IntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('data', fields.BinaryField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'meeting_material', 'app': 'consult', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MeetingTopic',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('consult.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='topics', on_delete=OnDelete.CASCADE)),
                ('seq', fields.IntField()),
                ('decision', fields.ForeignKeyField('consult.Decision', source_field='decision_id', null=True, db_constraint=True, to_field='id', related_name='meeting_topics', on_delete=OnDelete.SET_NULL)),
                ('title', fields.CharField(max_length=200)),
                ('outcome', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'meeting_topic', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'One item on the agenda, a catalog decision or free text, and what the meeting decided.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AttendeeOpinion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('attendee', fields.ForeignKeyField('consult.Attendee', source_field='attendee_id', db_constraint=True, to_field='id', related_name='opinions', on_delete=OnDelete.CASCADE)),
                ('topic', fields.ForeignKeyField('consult.MeetingTopic', source_field='topic_id', null=True, db_constraint=True, to_field='id', related_name='opinions', on_delete=OnDelete.SET_NULL)),
                ('body', fields.TextField(unique=False)),
                ('recorded_by', fields.ForeignKeyField('consult.User', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'meeting_opinion', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'What an attendee said on a topic, recorded by staff after the meeting.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OpinionAnswer',
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
                ('opinion', fields.OneToOneField('consult.AttendeeOpinion', source_field='opinion_id', db_constraint=True, to_field='id', related_name='answer', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'meeting_opinion_answer', 'app': 'consult', 'pk_attr': 'id', 'table_description': "How an attendee's opinion was adopted, reviewed before it is public."},
            bases=['ReviewedAnswer'],
        ),
        ops.AlterField(
            model_name='OutboxMessage',
            name='kind',
            field=fields.CharEnumField(description='ANSWER_PUBLISHED: answer_published\nREPORT_PUBLISHED: report_published\nATTENDEE_SELECTED: attendee_selected', enum_type=MessageKind, max_length=30),
        ),
    ]
