"""An interpretation may be an uploaded image or document (一图读懂), kept in the database like attachments."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('consult', '0019_proposed_wording')]

    initial = False

    operations = [
        ops.CreateModel(
            name='InterpretationFile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('interpretation', fields.OneToOneField('consult.Interpretation', source_field='interpretation_id', db_constraint=True, to_field='id', related_name='file', on_delete=OnDelete.CASCADE)),
                ('filename', fields.CharField(max_length=200)),
                ('content_type', fields.CharField(max_length=100)),
                ('size', fields.IntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('data', fields.BinaryField()),
            ],
            options={'table': 'interpretation_file', 'app': 'consult', 'pk_attr': 'id', 'table_description': "An interpretation's image (一图读懂) or document, recognised by its bytes as attachments are, and"},
            bases=['Model'],
        ),
    ]
