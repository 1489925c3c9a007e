"""Before the decision: procedure steps (expert review, risk assessment, legality review, collective
discussion) with their documents, hearings with their participants, draws and opinions; a decision's
公众参与方式; and the submitter categories and offline channels seeds 001–002 name."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from consult.comments.models import Channel, SubmitterCategory
from consult.deliberation.models import RiskLevel, StepKind
from consult.participation.models import ApplicationStatus, Attendance, SelectionMethod
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class AlterEnumValues(ops.AlterField):
    """The enum gained values; its column (varchar(20)) is unchanged. Only the migration state moves:
    altering the column would make SQLite rebuild the whole comment table for a comment's sake."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [('consult', '0020_interpretation_files')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Hearing',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('decision', fields.ForeignKeyField('consult.Decision', source_field='decision_id', db_constraint=True, to_field='id', related_name='hearings', on_delete=OnDelete.RESTRICT)),
                ('consultation', fields.ForeignKeyField('consult.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='hearings', on_delete=OnDelete.RESTRICT)),
                ('matter', fields.TextField(unique=False)),
                ('organiser', fields.CharField(max_length=200)),
                ('held_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('place', fields.CharField(max_length=200)),
                ('materials_on', fields.DateField()),
                ('applications_close_on', fields.DateField()),
                ('groups', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('observer_seats', fields.IntField(default=0)),
                ('how_to_apply', fields.TextField(default='', unique=False)),
                ('notice_on', fields.DateField(null=True)),
                ('published_by', fields.ForeignKeyField('consult.User', source_field='published_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('participants_published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('record', fields.TextField(default='', unique=False)),
                ('report', fields.TextField(default='', unique=False)),
                ('report_published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'hearing', 'app': 'consult', 'pk_attr': 'id', 'table_description': "听证会 on a decision's draft (Art.16–17): the notice with its seats per interest group, the call"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HearingDraw',
            fields=[
                ('seed', fields.CharField(max_length=64)),
                ('seats', fields.IntField()),
                ('candidates', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('winners', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('drawn_by', fields.ForeignKeyField('consult.User', source_field='drawn_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('drawn_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hearing', fields.ForeignKeyField('consult.Hearing', source_field='hearing_id', db_constraint=True, to_field='id', related_name='draws', on_delete=OnDelete.CASCADE)),
                ('category', fields.CharField(max_length=30)),
            ],
            options={'table': 'hearing_draw', 'app': 'consult', 'pk_attr': 'id', 'table_description': "A public draw for one group's seats."},
            bases=['Draw'],
        ),
        ops.CreateModel(
            name='HearingParticipant',
            fields=[
                ('name', fields.CharField(max_length=50)),
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
                ('phone_key', fields.CharField(null=True, max_length=40)),
                ('email_key', fields.CharField(null=True, max_length=200)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('hearing', fields.ForeignKeyField('consult.Hearing', source_field='hearing_id', db_constraint=True, to_field='id', related_name='participants', on_delete=OnDelete.CASCADE)),
                ('category', fields.CharField(max_length=30)),
                ('declared_not_civil_servant', fields.BooleanField(default=False)),
            ],
            options={'table': 'hearing_participant', 'app': 'consult', 'unique_together': [('hearing_id', 'phone_key'), ('hearing_id', 'email_key')], 'pk_attr': 'id', 'table_description': 'A representative of an interest group, or an observer (旁听). Representatives declare they are'},
            bases=['Applicant'],
        ),
        ops.CreateModel(
            name='HearingOpinion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('participant', fields.ForeignKeyField('consult.HearingParticipant', source_field='participant_id', db_constraint=True, to_field='id', related_name='opinions', on_delete=OnDelete.CASCADE)),
                ('comment', fields.OneToOneField('consult.Comment', source_field='comment_id', db_constraint=True, to_field='id', related_name='hearing_opinion', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'hearing_opinion', 'app': 'consult', 'pk_attr': 'id', 'table_description': "What a representative said at the hearing: the comment it became, in the hearing's consultation."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProcedureStep',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('decision', fields.ForeignKeyField('consult.Decision', source_field='decision_id', db_constraint=True, to_field='id', related_name='procedure_steps', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='EXPERT_REVIEW: expert_review\nRISK_ASSESSMENT: risk_assessment\nLEGALITY_REVIEW: legality_review\nCOLLECTIVE_DISCUSSION: collective_discussion', enum_type=StepKind, max_length=30)),
                ('unit', fields.CharField(max_length=200)),
                ('started_on', fields.DateField()),
                ('finished_on', fields.DateField()),
                ('outcome', fields.TextField(unique=False)),
                ('risk_level', fields.CharEnumField(null=True, description='LOW: low\nMEDIUM: medium\nHIGH: high', enum_type=RiskLevel, max_length=10)),
                ('short_period_reason', fields.TextField(default='', unique=False)),
                ('meeting', fields.ForeignKeyField('consult.Meeting', source_field='meeting_id', null=True, db_constraint=True, to_field='id', related_name='procedure_steps', on_delete=OnDelete.SET_NULL)),
                ('public', fields.BooleanField(default=True)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('published_by', fields.ForeignKeyField('consult.User', source_field='published_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'procedure_step', 'app': 'consult', 'pk_attr': 'id', 'table_description': "One step of a decision's procedure as the department records it. Public ones (视情公开, seed 002)"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StepDocument',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('step', fields.ForeignKeyField('consult.ProcedureStep', source_field='step_id', db_constraint=True, to_field='id', related_name='documents', on_delete=OnDelete.CASCADE)),
                ('filename', fields.CharField(max_length=200)),
                ('content_type', fields.CharField(max_length=100)),
                ('size', fields.IntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('data', fields.BinaryField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'procedure_step_document', 'app': 'consult', 'pk_attr': 'id', 'table_description': '论证报告、风险评估报告、合法性审查意见书 …: checked by its bytes like attachments.'},
            bases=['Model'],
        ),
        AlterEnumValues(
            model_name='Comment',
            name='category',
            field=fields.CharEnumField(description='CITIZEN: citizen\nENTERPRISE: enterprise\nORGANISATION: organisation\nEXPERT: expert\nNPC_DEPUTY: npc_deputy\nCPPCC_MEMBER: cppcc_member\nDEMOCRATIC_PARTY: democratic_party\nSOCIAL_ORGANISATION: social_organisation\nLEGAL_ADVISER: legal_adviser', enum_type=SubmitterCategory, max_length=20),
        ),
        AlterEnumValues(
            model_name='Comment',
            name='channel',
            field=fields.CharEnumField(description='ONLINE: online\nEMAIL: email\nLETTER: letter\nFAX: fax\nPHONE: phone\nSYMPOSIUM: symposium\nHEARING: hearing\nFIELD_VISIT: field_visit\nSURVEY: survey\nSOLICITATION_LETTER: solicitation_letter\nPUBLIC_NOTICE: public_notice\nRESEARCH: research\nCONSULTATIVE_TALKS: consultative_talks\nMEDIA_OUTREACH: media_outreach', enum_type=Channel, max_length=20),
        ),
        ops.AddField(
            model_name='Decision',
            name='participation_methods',
            field=fields.TextField(default='', db_default='', unique=False),
        ),
    ]
