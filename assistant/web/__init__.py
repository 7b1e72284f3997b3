"""Stage 8 — web: the Gradio page and its named API endpoints.

Owns: HTML and Markdown of answers, sources and drafts (`render`), the shared state, access and control
values (`base`), the handlers of each tab (`handlers_ask`, `handlers_draft`, `handlers_eval`,
`handlers_library`, combined in `app.WebApp`), the page layout and endpoint names (`layout`), starting the
server and the rules it starts under (`launch`), the users file with roles and scrypt hashes (`auth`),
failed-login throttling per user name and client address (`throttle`), and the middlewares in front of Gradio's
own routes: sessions bound to the credential (`sessions`, `session_guard`), per-user upload shares (`staging`,
`file_guards`), who may fetch a served file (`file_access`, `file_guards`), security headers and cross-site
refusals (`headers`), what they share and Chinese errors (`guards`); evaluation runs taking turns (`fair_share`).

May import: everything below it (`settings`, `text`, `ingest`, `retrieval`, `llm`, `answering`, `drafting`,
`evaluation`). Nothing from cli. `render` imports nothing from retrieval: rendering loads no index.
"""
