from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('consult', '0004_meetings')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RateWindow',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=120)),
                ('count', fields.IntField(default=0)),
                ('window_start', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_rate_window', 'app': 'consult', 'pk_attr': 'id', 'table_description': 'Requests of one client in one fixed window, counted in the database so that every app process'},
            bases=['Model'],
        ),
    ]
