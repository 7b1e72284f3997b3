"""What every handler of the page shares: settings, the assistant (one loaded index), the users file, who is
asking, and the filters and engine the page's controls select."""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from pathlib import Path

import gradio as gr

from ..answering.assistant import Assistant
from ..ingest.store import IndexMissing
from ..retrieval.filters import Filters
from ..settings import Settings
from ..text.markup import escape_markdown
from .auth import ROLES, UsersFile
from .fair_share import FairShare
from .file_access import LOCAL, FileAccess, owner_id
from .render import example_questions
from .sessions import Sessions
from .staging import MB, Staging
from .throttle import LoginThrottle

ALL = "全部"
ENGINE_LABELS = {"extractive": "抽取式（离线）", "llm": "大模型", "cascade": "抽取式＋大模型（级联）"}


class WebBase:
    """State shared by every session: settings, the assistant (one loaded index), the users file."""

    def __init__(self, settings: Settings, assistant: Assistant, users: UsersFile | None,
                 corpora: list[Path] | None = None):
        # Uploads and edits go to the first document folder; re-indexing covers all of them.
        self.corpora = corpora or [settings.corpus_path]
        self.settings = settings.model_copy(update={"corpus_dir": self.corpora[0]})
        self.assistant = assistant
        self.users = users if users and users.exists() else None
        self.users_file = users or UsersFile(settings.users_path)
        self._index_lock = threading.Lock()
        self.throttle = LoginThrottle(settings.login_max_failures, settings.login_lock_seconds)
        self.sessions = Sessions(self.users_file, settings.session_idle_hours * 3600)
        self.staging = Staging(settings.staging_path, int(settings.upload_user_mb * MB),
                               int(settings.upload_cache_mb * MB), settings.upload_max_age_minutes * 60)
        self.files = FileAccess([settings.drafts_path, settings.results_path], self.staging)
        self.eval_turns = FairShare()

    # --- access ---------------------------------------------------------------------------------------------------
    def role(self, request: gr.Request | None) -> str:
        """The asker's role, read from the users file at every request: a removed or demoted user loses access
        at once. "none" for no access."""
        if self.users is None:
            # Started without login (a single-user install on loopback): everything, until a users file with
            # users appears; then nothing until the server is restarted with login.
            return "none" if self.users_file.exists() and self.users_file.load() else "admin"
        name = getattr(request, "username", None) if request else None
        return self.users.role(name) or "none"

    def require_user(self, request: gr.Request | None) -> str:
        role = self.role(request)
        if role not in ROLES:
            raise gr.Error("没有权限：账号不存在或已被停用；如果刚启用登录，请重启服务后登录。")
        return role

    def require_admin(self, request: gr.Request | None) -> None:
        if self.require_user(request) != "admin":
            raise gr.Error("只有管理员可以修改文档库。")

    def user_name(self, request: gr.Request | None) -> str | None:
        return getattr(request, "username", None) if request and self.users else None

    def owner(self, request: gr.Request | None) -> str:
        """Who staged uploads and evaluation runs belong to: the user, or the one local user without login."""
        return self.user_name(request) or LOCAL

    def user_folder(self, base: Path, request: gr.Request | None) -> Path:
        """A new folder of the asker's own under `base`: its files are served to that user and to admins only
        (file_access)."""
        folder = base / owner_id(self.user_name(request)) / f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(8)}"
        folder.mkdir(parents=True, exist_ok=False)
        return folder

    def hand_out(self, request: gr.Request | None, paths: list[str]) -> list[str]:
        """Files a handler returns to the page: Gradio serves copies of them, to their owner only."""
        self.files.returned(self.user_name(request), paths)
        return paths

    async def login(self, name: str, password: str) -> bool:
        """Gradio's login check; locks are applied in front of it (throttle.LoginGuard), which also counts the
        outcome. The hash (16 MiB of scrypt) runs in a worker thread, so guessing does not stall the event loop."""
        if self.users is None:
            return False
        return await asyncio.to_thread(lambda: self.users.verify(name, password) is not None)

    # --- index state ---------------------------------------------------------------------------------------------
    def index_notice(self) -> str:
        """The banner over the page: empty while the index is sound."""
        problem = self.assistant.index_problem()
        return f"**⚠ {escape_markdown(problem)}**" if problem else ""

    def examples(self) -> list[str]:
        try:
            return example_questions(self.assistant.metas, self.assistant.retriever.data.chunks)
        except IndexMissing:
            return []

    # --- filters -------------------------------------------------------------------------------------------------
    def choices(self) -> tuple[list[str], list[str], list[str]]:
        try:
            metas = self.assistant.metas.values()
        except IndexMissing:  # the page starts anyway and says so (index_notice)
            metas = []
        regions = sorted({m.region for m in metas if m.region})
        years = sorted({str(y) for m in metas for y in m.years}, reverse=True)
        genres = sorted({m.genre for m in metas if m.genre})
        return [ALL, *regions], [ALL, *years], [ALL, *genres]

    @staticmethod
    def filters(region: str | None, year: str | int | None, genre: str | None) -> Filters | None:
        region = "" if not region or region == ALL else region
        genre = "" if not genre or genre == ALL else genre
        year_n = int(year) if year not in (None, "", ALL) and str(year).isdigit() else None
        if not (region or genre or year_n):
            return None
        return Filters(region=region, year=year_n, genre=genre)

    def engine(self, label: str | None) -> str:
        for key, text in ENGINE_LABELS.items():
            if label in (key, text):
                return key
        return self.settings.engine
