from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organisations.models import CCG, AreaTeam


class UserRole(models.TextChoices):
    CCG_LEAD = "ccg_lead", "CCG lead"
    ANALYST = "analyst", "NHSCC analyst"
    ADMIN = "admin", "NHSCC admin"
    AREA_TEAM_MEMBER = "area_team_member", "Area team member"
    # A GP member practice, patients' representative or local government, invited to appraise an area team.
    PARTNER = "partner", "Partner"


class LeadRole(models.TextChoices):
    CLINICAL = "clinical", "Clinical lead"
    MANAGERIAL = "managerial", "Managerial lead"
    FINANCIAL = "financial", "Financial lead"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", UserRole.ADMIN)
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address and holds exactly one role."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=UserRole.choices)
    ccg = models.ForeignKey(CCG, null=True, blank=True, on_delete=models.PROTECT, related_name="leads")
    lead_role = models.CharField(max_length=20, choices=LeadRole.choices, blank=True)
    area_team = models.ForeignKey(AreaTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                name="user_lead_has_ccg_and_lead_role",
                condition=~Q(role="ccg_lead") | (Q(ccg__isnull=False) & ~Q(lead_role="")),
            ),
            models.CheckConstraint(
                name="user_area_team_member_has_area_team",
                condition=~Q(role="area_team_member") | Q(area_team__isnull=False),
            ),
            # A partner appraises one area team (a GP member practice also names its CCG); never a lead role.
            models.CheckConstraint(
                name="user_partner_has_area_team",
                condition=~Q(role="partner") | (Q(area_team__isnull=False) & Q(lead_role="")),
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def is_lead(self) -> bool:
        return self.role == UserRole.CCG_LEAD

    @property
    def is_analyst(self) -> bool:
        return self.role == UserRole.ANALYST

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.ADMIN

    @property
    def is_area_team_member(self) -> bool:
        return self.role == UserRole.AREA_TEAM_MEMBER

    @property
    def is_nhscc(self) -> bool:
        """Return whether the user is NHSCC staff (analyst or admin)."""
        return self.role in (UserRole.ANALYST, UserRole.ADMIN)
