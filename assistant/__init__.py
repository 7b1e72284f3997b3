"""教育局工作文档问答助手 — load → clean → chunk → embed/index → retrieve → answer/cite."""

__version__ = "0.1.0"
