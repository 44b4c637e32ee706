"""Logging in through the real `weibao` command: refusals in Chinese with a non-zero exit, never a wait for a
password nobody will type, and the `weibao user` commands."""
from __future__ import annotations

import re
import subprocess

import pytest

from factories import OPERATOR, TEST_PASSWORD
from store_helpers import cli_command, cli_env

STATION = ["--station", "城关镇", "--code", "430104001000", "--villages", "东村,西村"]


def weibao(data_dir, *args, user=OPERATOR, password=TEST_PASSWORD, **env) -> subprocess.CompletedProcess:
    environment = dict(cli_env(), WEIBAO_USER=user or "", WEIBAO_PASSWORD=password or "", **env)
    return subprocess.run(cli_command(data_dir, *args), env=environment, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    data = tmp_path_factory.mktemp("station") / "data"
    made = weibao(data, "init", *STATION)
    assert made.returncode == 0, made.stderr
    return data, made.stdout


def test_init_makes_the_first_admin_and_shows_the_recovery_key_once(station):
    data, printed = station
    assert re.search(r"\d{5}(-\d{5}){7}", printed) and "保险柜" in printed and "无法找回" in printed
    again = weibao(data, "stats")
    assert again.returncode == 0 and not re.search(r"\d{5}(-\d{5}){7}", again.stdout)


def test_a_name_that_is_no_account_is_refused(station):
    done = weibao(station[0], "stats", "--user", "不存在的人")
    assert done.returncode == 1 and "没有名为“不存在的人”的账号" in done.stderr and "Traceback" not in done.stderr


def test_a_wrong_password_is_refused(station):
    done = weibao(station[0], "find", "张", password="不对的口令")
    assert done.returncode == 1 and "密码不正确" in done.stderr and done.stdout == ""


@pytest.mark.parametrize("password", [None, ""], ids=["unset", "empty"])
def test_without_a_password_a_command_stops_with_a_message_and_does_not_wait(station, password):
    done = weibao(station[0], "stats", password=password)
    assert done.returncode == 1 and "没有提供密码" in done.stderr and "WEIBAO_PASSWORD" in done.stderr


def test_without_an_account_name_a_command_says_so(station):
    done = weibao(station[0], "stats", user="")
    assert done.returncode == 1 and "--user" in done.stderr


def test_the_password_can_come_from_a_file(station, tmp_path):
    secret = tmp_path / "口令.txt"
    secret.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    done = weibao(station[0], "stats", "--password-file", str(secret), password="")
    assert done.returncode == 0, done.stderr


def test_accounts_from_the_command_line_lock_after_five_wrong_passwords_and_are_unlocked(station, tmp_path):
    data = station[0]
    added = weibao(data, "user", "add", "郑督导", "--role", "儿童督导员", WEIBAO_NEW_PASSWORD="郑的口令12345")
    assert added.returncode == 0 and "已添加账号：郑督导（工作人员(儿童督导员)）" in added.stdout, added.stderr
    director = weibao(data, "user", "add", "冯主任", "--role", "儿童主任", "--villages", "东村",
                      WEIBAO_NEW_PASSWORD="冯的口令12345")
    assert director.returncode == 0, director.stderr
    refused = weibao(data, "user", "add", "某人", "--role", "站长", user="冯主任", password="冯的口令12345",
                     WEIBAO_NEW_PASSWORD="某人的口令12345")
    assert refused.returncode == 1 and "只有站长" in refused.stderr

    for n in range(4):
        wrong = weibao(data, "stats", user="郑督导", password="猜一个")
        assert wrong.returncode == 1 and f"再错{4 - n}次" in wrong.stderr
    locked = weibao(data, "stats", user="郑督导", password="猜一个")
    assert locked.returncode == 1 and "已被锁定" in locked.stderr and "分钟后" in locked.stderr
    still = weibao(data, "stats", user="郑督导", password="郑的口令12345")
    assert still.returncode == 1 and "已被锁定" in still.stderr
    listing = weibao(data, "user", "list")
    assert re.search(r"郑督导\t工作人员\(儿童督导员\)\t在用，锁定至 \d\d:\d\d", listing.stdout), listing.stdout
    assert "冯主任\t儿童主任\t在用  负责：东村" in listing.stdout
    assert weibao(data, "user", "unlock", "郑督导").returncode == 0
    assert weibao(data, "stats", user="郑督导", password="郑的口令12345").returncode == 0

    changed = weibao(data, "user", "passwd", user="郑督导", password="郑的口令12345", WEIBAO_NEW_PASSWORD="郑的新口令678")
    assert changed.returncode == 0, changed.stderr
    assert "密码不正确" in weibao(data, "stats", user="郑督导", password="郑的口令12345").stderr
    assert weibao(data, "stats", user="郑督导", password="郑的新口令678").returncode == 0
    reset = weibao(data, "user", "reset", "郑督导", WEIBAO_NEW_PASSWORD="站长给的口令90")
    assert reset.returncode == 0 and weibao(data, "stats", user="郑督导", password="站长给的口令90").returncode == 0

    removed = weibao(data, "user", "remove", "郑督导")
    assert removed.returncode == 0 and "更换数据库密钥" in removed.stdout, removed.stderr
    gone = weibao(data, "stats", user="郑督导", password="站长给的口令90")
    assert gone.returncode == 1 and "没有名为“郑督导”的账号" in gone.stderr
    assert weibao(data, "stats").returncode == 0  # the admin still opens the rekeyed store


def test_a_short_new_password_is_refused_and_nothing_changes(station):
    done = weibao(station[0], "user", "add", "褚督导", "--role", "儿童督导员", WEIBAO_NEW_PASSWORD="短")
    assert done.returncode == 1 and "至少需要8个字符" in done.stderr
    assert "褚督导" not in weibao(station[0], "user", "list").stdout
