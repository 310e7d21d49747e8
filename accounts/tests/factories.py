import factory

from accounts.models import User
from organisations.models import CCG, AreaTeam

TEST_PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A user in one role; pass ``ccg_code``/``area_team_code`` to place leads and area team members."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        ccg_code = None
        area_team_code = None

    email = factory.Sequence(lambda n: f"person{n}@example.nhs.uk")
    full_name = factory.Faker("name", locale="en_GB")
    role = "analyst"
    ccg = factory.LazyAttribute(lambda o: CCG.objects.get(ods_code=o.ccg_code) if o.ccg_code else None)
    area_team = factory.LazyAttribute(
        lambda o: AreaTeam.objects.get(ods_code=o.area_team_code) if o.area_team_code else None
    )
    is_staff = factory.LazyAttribute(lambda o: o.role == "admin")
    # As accounts.services.user_create makes them: staff, never superusers (the Django admin is read-only).
    is_superuser = False

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])
