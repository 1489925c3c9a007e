"""Settings read from the environment; one place, documented in the README."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - refused in production
MODEL_MODULES = [
    "consult.accounts.models",
    "consult.decisions.models",
    "consult.drafts.models",
    "consult.comments.models",
    "consult.answers.models",
    "consult.workdays.models",
    "consult.reports.models",
    "consult.notify.models",
    "consult.groups.models",
    "consult.meetings.models",
    "consult.implementation.models",
    "consult.deliberation.models",
    "consult.surveys.models",
    "consult.evaluations.models",
    "consult.limits.models",
    "consult.jobs.models",
    "consult.search.models",
    "consult.audit.models",
]


def default_database_url() -> str:
    data_dir = Path(os.environ.get("CONSULT_DATA_DIR", "data"))
    # wal_autocheckpoint: the write-ahead log is copied into the database every 10,000 pages (40 MB)
    # instead of every 1,000: a page written many times between two checkpoints is copied once (the
    # grouping of 100,000 comments takes an eighth less time).
    return (
        f"sqlite://{data_dir / 'consult.sqlite3'}"
        "?busy_timeout=15000&synchronous=NORMAL&journal_mode=WAL&wal_autocheckpoint=10000"
    )


def tortoise_config(database_url: str) -> dict[str, Any]:
    connections = {"default": database_url}
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        # A second connection that only reads (consult.txn.reader): SQLite in WAL mode lets it read
        # while the other writes, so background work never queues its reads behind the writes of the
        # requests. PostgreSQL's pool gives every task a connection of its own anyway.
        connections["reader"] = database_url + ("&" if "?" in database_url else "?") + "query_only=1"
    return {
        "connections": connections,
        "apps": {
            "consult": {
                "models": MODEL_MODULES,
                "migrations": "migrations",
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# The registries a government site's record numbers link to.
ICP_REGISTRY = "https://beian.miit.gov.cn/"
POLICE_REGISTRY = "https://beian.mps.gov.cn/#/query/webSearch?code="
ERROR_REPORT = "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode="


@dataclass(frozen=True)
class SiteIdentity:
    emblem_url: str = ""  # the emblem's image (国徽 or the government's own mark), e.g. /static/emblem.png
    sponsor: str = ""  # 主办单位
    operator: str = ""  # 承办单位
    contact: str = ""  # 联系方式: a telephone number, an address or both
    site_code: str = ""  # 网站标识码, issued with the site's registration
    icp_record: str = ""  # ICP备案号, e.g. 鲁ICP备12345678号
    police_record: str = ""  # 公安机关备案号, e.g. 鲁公网安备 37010002000001号
    error_report_url: str = ""  # 政府网站找错; by default the national platform's page for the site code

    @property
    def police_record_url(self) -> str:
        digits = "".join(ch for ch in self.police_record if ch.isdigit())
        return POLICE_REGISTRY + digits if digits else ""

    @property
    def icp_record_url(self) -> str:
        return ICP_REGISTRY if self.icp_record else ""

    @property
    def error_url(self) -> str:
        if self.error_report_url:
            return self.error_report_url
        return ERROR_REPORT + self.site_code if self.site_code else ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SiteIdentity:
        return cls(
            emblem_url=env.get("CONSULT_EMBLEM_URL", "").strip(),
            sponsor=env.get("CONSULT_SITE_SPONSOR", "").strip(),
            operator=env.get("CONSULT_SITE_OPERATOR", "").strip(),
            contact=env.get("CONSULT_SITE_CONTACT", "").strip(),
            site_code=env.get("CONSULT_SITE_CODE", "").strip(),
            icp_record=env.get("CONSULT_ICP_RECORD", "").strip(),
            police_record=env.get("CONSULT_POLICE_RECORD", "").strip(),
            error_report_url=env.get("CONSULT_ERROR_REPORT_URL", "").strip(),
        )


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    secret_key: str = DEFAULT_SECRET
    production: bool = False
    # Minimum consultation period in calendar days (国务院令第713号 Art.15).
    min_consultation_days: int = 30
    # The same for the other documents consulted on (consult/drafts/periods.py says where each comes from):
    # government rules in calendar days, normative documents in working days, and normative documents
    # closely tied to market entities' business in calendar days.
    min_rule_consultation_days: int = 30
    min_normative_working_days: int = 7
    min_market_normative_days: int = 30
    # Which kinds of document get the comment collection and adoption report within the set working days
    # after issue (seed 002 names major decisions; local rules extend it to the others or not).
    report_kinds: tuple[str, ...] = ("major_decision", "government_rule", "normative_document")
    max_upload_bytes: int = 20 * 1024 * 1024
    comments_per_page: int = 20
    # Failed logins allowed per username or address within the window before refusing.
    login_max_failures: int = 5
    login_window_seconds: int = 900
    session_days: int = 7
    https: bool = False
    # Working days after the decision is issued within which the adoption report must be public (seed 002).
    report_working_days: int = 10
    # Hour (Asia/Shanghai) at which a due report publishes itself: the due day is the department's.
    report_publish_hour: int = 18
    # 政府信息公开条例 Art.26: information is made public within 20 working days of being formed. The
    # dashboard chases decisions whose consultation closed longer ago than this with no recorded result.
    result_chase_working_days: int = 20
    # How often the app's own background task publishes due reports and sends mail; 0 turns it off.
    tick_seconds: int = 60
    # The app's own job worker (grouping new comments, search updates) looks for work queued by other
    # processes this often; work queued by its own process wakes it at once. 0: no worker in the app
    # (then `consult tick` does the work).
    jobs_poll_seconds: float = 1.0
    # Whether the app's own process does the queued work; `consult serve` turns it off when it starts
    # job worker processes beside the web workers (`consult worker`).
    jobs_in_app: bool = True
    # Public pages (a consultation, a topic page, the home page) are rendered at most once in this many
    # seconds per process for anonymous visitors, and shown from memory in between (microcaching, as
    # government sites' front caches do). A visitor's own receipt is never cached. 0 turns it off.
    page_cache_seconds: float = 2.0
    base_url: str = "http://127.0.0.1:8000"
    # Host names the app answers to; a request naming another host gets 400. Empty: any host in
    # development, and the host of CONSULT_BASE_URL in production.
    allowed_hosts: tuple[str, ...] = ()
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "consult@localhost"
    smtp_starttls: bool = False
    # 意见较为集中: a group of at least this many comments, or of at least 3 making up this share.
    concentrated_min_size: int = 10
    concentrated_share: float = 0.05
    concentrated_floor: int = 3
    # Seed 002 二(二): concentrated opinions not adopted are answered with a published reason of at least
    # this many meaningful characters (letters, digits, CJK; punctuation and spaces do not count).
    concentrated_reason_min_chars: int = 15
    # The government that publishes the platform (本级人民政府), e.g. 平安县人民政府; never hard-coded.
    government_name: str = ""
    # What every government site shows in its header and footer (政府网站发展指引, 国办发〔2017〕47号):
    # the emblem, 主办单位, 承办单位, contact, 网站标识码, ICP备案号, 公安机关备案号 and the link to the
    # national 政府网站找错 platform. Each is shown only when set.
    site: SiteIdentity = field(default_factory=lambda: SiteIdentity())
    # Standing meetings with public attendees a year (seed 002), and who may apply to attend.
    meetings_target: int = 5
    # Seed 002 (政策文件不解读不运转): forms of interpretation of a document issued in the government's
    # or its office's name, and of one issued by a department or a town.
    interpretation_forms_government: int = 5
    interpretation_forms_department: int = 2
    # Seed 002 二(三): topical policy evaluations a year, the county's own and each department's or town's.
    evaluations_target_government: int = 5
    evaluations_target_department: int = 2
    # 国务院令第713号 Art.27: the legality review office is given generally at least this many working
    # days; a shorter review needs a recorded reason.
    legality_review_min_working_days: int = 7
    # Hearings (713 Art.16–17; lead times are set by provincial rules): the notice is published at least
    # this many days before the hearing, and representatives receive the draft and its explanation at
    # least this many days before it.
    hearing_notice_days: int = 10
    hearing_materials_days: int = 5
    # Comments one API client (by address) may submit a minute.
    api_comments_per_minute: int = 10
    # The public forms' limits (consult/limits/): per client address and per phone or e-mail, an hour.
    form_limits: bool = True
    comments_per_address_hour: int = 600
    comments_per_contact_hour: int = 20
    applications_per_address_hour: int = 60
    applications_per_contact_hour: int = 5
    attendee_min_age: int = 18
    attendee_local_years: int = 2

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL") or default_database_url(),
            secret_key=env.get("SECRET_KEY", DEFAULT_SECRET),
            production=env.get("CONSULT_ENV", "development") == "production",
            min_consultation_days=int(env.get("CONSULT_MIN_CONSULTATION_DAYS", "30")),
            min_rule_consultation_days=int(env.get("CONSULT_MIN_RULE_CONSULTATION_DAYS", "30")),
            min_normative_working_days=int(env.get("CONSULT_MIN_NORMATIVE_WORKING_DAYS", "7")),
            min_market_normative_days=int(env.get("CONSULT_MIN_MARKET_NORMATIVE_DAYS", "30")),
            report_kinds=tuple(
                k.strip()
                for k in env.get("CONSULT_REPORT_KINDS", "major_decision,government_rule,normative_document").split(",")
                if k.strip()
            ),
            max_upload_bytes=int(env.get("CONSULT_MAX_UPLOAD_MB", "20")) * 1024 * 1024,
            login_max_failures=int(env.get("CONSULT_LOGIN_MAX_FAILURES", "5")),
            https=env.get("CONSULT_HTTPS", "0") == "1",
            report_working_days=int(env.get("CONSULT_REPORT_WORKING_DAYS", "10")),
            report_publish_hour=int(env.get("CONSULT_REPORT_PUBLISH_HOUR", "18")),
            result_chase_working_days=int(env.get("CONSULT_RESULT_CHASE_WORKING_DAYS", "20")),
            tick_seconds=int(env.get("CONSULT_TICK_SECONDS", "60")),
            jobs_poll_seconds=float(env.get("CONSULT_JOBS_POLL_SECONDS", "1")),
            jobs_in_app=env.get("CONSULT_JOBS_IN_APP", "1") != "0",
            page_cache_seconds=float(env.get("CONSULT_PAGE_CACHE_SECONDS", "2")),
            base_url=env.get("CONSULT_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            allowed_hosts=tuple(
                h.strip().lower() for h in env.get("CONSULT_ALLOWED_HOSTS", "").split(",") if h.strip()
            ),
            smtp_host=env.get("SMTP_HOST", ""),
            smtp_port=int(env.get("SMTP_PORT", "25")),
            smtp_user=env.get("SMTP_USER", ""),
            smtp_password=env.get("SMTP_PASSWORD", ""),
            smtp_from=env.get("SMTP_FROM", "consult@localhost"),
            smtp_starttls=env.get("SMTP_STARTTLS", "0") == "1",
            concentrated_min_size=int(env.get("CONSULT_CONCENTRATED_MIN_SIZE", "10")),
            concentrated_share=float(env.get("CONSULT_CONCENTRATED_SHARE", "0.05")),
            concentrated_floor=int(env.get("CONSULT_CONCENTRATED_FLOOR", "3")),
            concentrated_reason_min_chars=int(env.get("CONSULT_CONCENTRATED_REASON_MIN_CHARS", "15")),
            government_name=env.get("CONSULT_GOVERNMENT_NAME", "").strip(),
            site=SiteIdentity.from_env(env),
            meetings_target=int(env.get("CONSULT_MEETINGS_TARGET", "5")),
            interpretation_forms_government=int(env.get("CONSULT_INTERPRETATION_FORMS_GOVERNMENT", "5")),
            interpretation_forms_department=int(env.get("CONSULT_INTERPRETATION_FORMS_DEPARTMENT", "2")),
            evaluations_target_government=int(env.get("CONSULT_EVALUATIONS_TARGET_GOVERNMENT", "5")),
            evaluations_target_department=int(env.get("CONSULT_EVALUATIONS_TARGET_DEPARTMENT", "2")),
            legality_review_min_working_days=int(env.get("CONSULT_LEGALITY_REVIEW_MIN_WORKING_DAYS", "7")),
            hearing_notice_days=int(env.get("CONSULT_HEARING_NOTICE_DAYS", "10")),
            hearing_materials_days=int(env.get("CONSULT_HEARING_MATERIALS_DAYS", "5")),
            api_comments_per_minute=int(env.get("CONSULT_API_COMMENTS_PER_MINUTE", "10")),
            form_limits=env.get("CONSULT_FORM_LIMITS", "1") != "0",
            comments_per_address_hour=int(env.get("CONSULT_COMMENTS_PER_ADDRESS_HOUR", "600")),
            comments_per_contact_hour=int(env.get("CONSULT_COMMENTS_PER_CONTACT_HOUR", "20")),
            applications_per_address_hour=int(env.get("CONSULT_APPLICATIONS_PER_ADDRESS_HOUR", "60")),
            applications_per_contact_hour=int(env.get("CONSULT_APPLICATIONS_PER_CONTACT_HOUR", "5")),
            attendee_min_age=int(env.get("CONSULT_ATTENDEE_MIN_AGE", "18")),
            attendee_local_years=int(env.get("CONSULT_ATTENDEE_LOCAL_YEARS", "2")),
        )

    def check(self) -> None:
        """Refuse settings that would be unsafe to serve."""
        if self.production and self.secret_key == DEFAULT_SECRET:
            raise SystemExit("SECRET_KEY must be set in production (CONSULT_ENV=production).")
        if not 0 <= self.report_publish_hour <= 23:
            raise SystemExit("CONSULT_REPORT_PUBLISH_HOUR must be an hour from 0 to 23.")

    @property
    def trusted_hosts(self) -> tuple[str, ...]:
        """Empty means any host (development without CONSULT_ALLOWED_HOSTS)."""
        if self.allowed_hosts:
            return self.allowed_hosts
        if self.production:
            return ((urlsplit(self.base_url).hostname or "").lower(),)
        return ()

    @property
    def tortoise(self) -> dict[str, Any]:
        return tortoise_config(self.database_url)


_active: Settings | None = None


def activate(settings: Settings) -> None:
    """The settings of this process (set by create_app and the CLI), for the few rules deep in the
    services that depend on a setting, such as the concentrated-opinion threshold."""
    global _active
    _active = settings


def active() -> Settings:
    return _active or Settings.from_env()


# Read by Tortoise's own CLI (`tortoise makemigrations`) through [tool.tortoise] in pyproject.toml.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL") or default_database_url())
