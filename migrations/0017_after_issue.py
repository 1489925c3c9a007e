"""After the decision: interpretations, execution updates and status changes have tables of their own,
and a result records in whose name its document was issued (which sets its interpretation target).
An interpretation or its link already written on a result becomes a published 文字解读 of that
decision, dated its issue day, as the topic page showed it."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from consult.decisions.models import IssuingLevel
from consult.implementation.models import InterpretationForm, StatusChangeKind
from consult.review.models import ReviewState
from tortoise.fields.base import OnDelete
from tortoise import fields

async def _interpretations_of_results(apps, schema_editor):
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"
    _, rows = await client.execute_query(
        "SELECT r.decision_id, r.issued_on, r.interpretation, r.interpretation_link, r.recorded_by_id, "
        "r.recorded_at, d.title, dep.name FROM decision_result r JOIN decision d ON d.id = r.decision_id "
        "JOIN department dep ON dep.id = d.department_id "
        "WHERE r.interpretation <> '' OR r.interpretation_link <> ''"
    )
    columns = (
        "decision_id, form, title, interpreter, published_on, body, link, review_state, review_note, "
        "created_by_id, created_at, published_at"
    )
    marks = ", ".join("?" if sqlite else f"${i}" for i in range(1, 13))
    for row in rows:
        values = [
            row["decision_id"],
            "text",
            f"《{row['title']}》政策解读"[:200],
            row["name"][:100],
            row["issued_on"],
            row["interpretation"],
            row["interpretation_link"][:500],
            "approved",
            "",
            row["recorded_by_id"],
            row["recorded_at"],
            row["recorded_at"],
        ]
        await client.execute_query(f"INSERT INTO interpretation ({columns}) VALUES ({marks})", values)


async def _nothing(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [('consult', '0016_search_pages_first')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ExecutionUpdate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('decision', fields.ForeignKeyField('consult.Decision', source_field='decision_id', db_constraint=True, to_field='id', related_name='execution_updates', on_delete=OnDelete.RESTRICT)),
                ('reported_on', fields.DateField()),
                ('body', fields.TextField(unique=False)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('published_by', fields.ForeignKeyField('consult.User', source_field='published_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'execution_update', 'app': 'consult', 'pk_attr': 'id', 'table_description': '执行情况: what the lead department reports on carrying the decision out, public once a reviewer'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Interpretation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('decision', fields.ForeignKeyField('consult.Decision', source_field='decision_id', db_constraint=True, to_field='id', related_name='interpretations', on_delete=OnDelete.RESTRICT)),
                ('form', fields.CharEnumField(description='TEXT: text\nGRAPHIC: graphic\nQA: qa\nVIDEO: video\nAUDIO: audio\nPRESS_CONFERENCE: press_conference\nMEDIA_INTERVIEW: media_interview\nEXPERT: expert\nH5: h5\nOTHER: other', enum_type=InterpretationForm, max_length=20)),
                ('title', fields.CharField(max_length=200)),
                ('interpreter', fields.CharField(max_length=100)),
                ('published_on', fields.DateField()),
                ('body', fields.TextField(default='', unique=False)),
                ('link', fields.CharField(default='', max_length=500)),
                ('review_state', fields.CharEnumField(default=ReviewState.PENDING, description='PENDING: pending\nAPPROVED: approved\nRETURNED: returned', enum_type=ReviewState, max_length=20)),
                ('review_note', fields.TextField(default='', unique=False)),
                ('created_by', fields.ForeignKeyField('consult.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reviewed_by', fields.ForeignKeyField('consult.User', source_field='reviewed_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('reviewed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'interpretation', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'One interpretation of an issued decision, written by the drafting department (谁起草、谁解读)'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatusChange',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('decision', fields.ForeignKeyField('consult.Decision', source_field='decision_id', db_constraint=True, to_field='id', related_name='status_changes', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='ADJUSTED: adjusted\nSUSPENDED: suspended\nRESUMED: resumed\nTERMINATED: terminated', enum_type=StatusChangeKind, max_length=20)),
                ('effective_on', fields.DateField()),
                ('reason', fields.TextField(unique=False)),
                ('document_number', fields.CharField(default='', max_length=100)),
                ('link', fields.CharField(default='', max_length=500)),
                ('recorded_by', fields.ForeignKeyField('consult.User', source_field='recorded_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('recorded_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'decision_status_change', 'app': 'consult', 'pk_attr': 'id', 'table_description': "The government's record of adjusting, suspending, resuming or terminating an issued decision,"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='DecisionResult',
            name='issuing_level',
            field=fields.CharEnumField(default=IssuingLevel.GOVERNMENT, db_default=IssuingLevel.GOVERNMENT, description='GOVERNMENT: government\nDEPARTMENT: department', enum_type=IssuingLevel, max_length=20),
        ),
        ops.RunPython(_interpretations_of_results, _nothing),
    ]
