"""`assistant serve` and `assistant users`: the web page (login required beyond loopback) and its users."""

from __future__ import annotations

import sys

from .common import corpus_and_index, index_if_needed, load_settings


def cmd_serve(args) -> int:
    from ..web.launch import UnsafeLaunch, check_safe, launch

    settings = load_settings(args)
    try:
        users = check_safe(settings, args.host)
    except UnsafeLaunch as exc:
        print(exc, file=sys.stderr)
        return 2
    corpora, index = corpus_and_index(args, settings)
    index_if_needed(args, settings, corpora, index)
    print(f"网页地址：http://{args.host}:{args.port}"
          + ("（需要登录）" if users.exists() else "（本机访问，无需登录）"), file=sys.stderr)
    launch(settings, args.host, args.port, index, corpora=corpora)
    return 0


def cmd_users(args) -> int:
    import getpass

    from ..web.auth import UsersError, UsersFile

    settings = load_settings(args)
    users = UsersFile(settings.users_path)
    try:
        if args.action == "add":
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = getpass.getpass("密码：")
                if getpass.getpass("再输入一次：") != password:
                    print("两次输入的密码不一致。", file=sys.stderr)
                    return 2
            users.add(args.name, password, args.role)
            print(f"已保存用户 {args.name}（{args.role}）到 {users.path}。")
        elif args.action == "remove":
            if not users.remove(args.name):
                print(f"没有用户 {args.name}。", file=sys.stderr)
                return 1
            print(f"已删除用户 {args.name}。")
        else:
            for u in users.load().values():
                print(f"{u.name}\t{u.role}")
    except UsersError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0
