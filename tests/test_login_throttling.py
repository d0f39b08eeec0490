"""Admin logins are throttled (django-axes, portal/security.py), through the real login form.

10 wrong passwords for one username from one address lock that combination out; 20 from one
address, whatever the usernames, lock the address out; both for 15 minutes. The lockout is a
Swedish page (429) that even the right password gets; `manage.py axes_reset` lifts it.
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

LOGIN_URL = "/admin/login/"
PASSWORD = "rätt-lösenord-för-test"
OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.7"
LOCKED_TITLE = "Inloggningen är tillfälligt spärrad"


@pytest.fixture
def editors(db):
    User = get_user_model()
    return {name: User.objects.create_superuser(name, f"{name}@example.se", PASSWORD) for name in ("anna", "bertil")}


def _client(address=OFFICE, forwarded=None):
    """A browser at `address` (or behind a proxy at `address`, forwarding for `forwarded`)."""
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(enforce_csrf_checks=True, **extra)


def _login(client, username, password):
    """Fill in and send the admin's login form as a browser does: its CSRF token and hidden fields."""
    form = client.get(LOGIN_URL)
    assert form.status_code == 200
    html = form.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    next_url = re.search(r'name="next" value="([^"]*)"', html).group(1)
    return client.post(
        LOGIN_URL,
        {"csrfmiddlewaretoken": token, "next": next_url, "username": username, "password": password},
    )


def _logged_in(response):
    return response.status_code == 302 and not response["Location"].startswith(LOGIN_URL)


def _locked(response):
    return response.status_code == 429 and LOCKED_TITLE in response.content.decode()


def test_twenty_wrong_passwords_lock_the_account_out_even_for_the_right_password(editors):
    client = _client()
    responses = [_login(client, "anna", "fel-lösenord") for _ in range(20)]

    # Nine ordinary "wrong password" answers, then the lockout from the tenth on.
    assert [r.status_code for r in responses[:9]] == [200] * 9
    assert "matchade inte" in responses[0].content.decode()
    assert all(_locked(r) for r in responses[9:])

    refused = _login(client, "anna", PASSWORD)
    assert _locked(refused)
    assert client.get("/admin/")["Location"].startswith(LOGIN_URL), "the right password must not log in"

    html = refused.content.decode()
    assert '<html lang="sv"' in html
    assert "försök igen om 15 minuter" in html
    assert "administratör" in html
    assert refused["Retry-After"] == str(15 * 60)
    # The lockout page is an admin page: the admin's policy, with the public site's headers.
    assert "frame-ancestors 'self'" in refused["Content-Security-Policy"]
    assert "camera=()" in refused["Permissions-Policy"]


def test_a_locked_out_user_does_not_lock_out_others(editors):
    office = _client()
    for _ in range(10):
        _login(office, "anna", "fel-lösenord")
    assert _locked(_login(office, "anna", PASSWORD))

    # A colleague behind the same address: the count is per username and address.
    assert _logged_in(_login(_client(), "bertil", PASSWORD))
    # The same user from another address (as designed: lockouts are per address, so an attacker
    # cannot lock an editor out from everywhere).
    assert _logged_in(_login(_client(ELSEWHERE), "anna", PASSWORD))


def test_twenty_failures_from_one_address_lock_the_address_whatever_the_usernames(editors):
    office = _client()
    for number in range(19):
        assert _login(office, f"gissning{number}", "fel").status_code == 200
    assert _logged_in(_login(_client(), "bertil", PASSWORD)), "19 failures do not lock the address"
    assert _locked(_login(office, "gissning19", "fel"))

    assert _locked(_login(_client(), "bertil", PASSWORD)), "the whole address is locked out"
    assert _logged_in(_login(_client(ELSEWHERE), "bertil", PASSWORD)), "other addresses are not"


def test_a_successful_login_clears_the_users_own_count(editors):
    office = _client()
    for _ in range(9):
        _login(office, "anna", "fel")
    assert _logged_in(_login(_client(), "anna", PASSWORD))
    for _ in range(9):
        assert _login(_client(), "anna", "fel").status_code == 200, "the user's count started over"


def test_a_valid_login_does_not_wipe_the_addresses_count(editors):
    """Otherwise an attacker with one account could keep guessing other usernames for ever."""
    office = _client()
    for number in range(19):
        _login(office, f"gissning{number}", "fel")
    assert _logged_in(_login(_client(), "bertil", PASSWORD))
    assert _locked(_login(office, "gissning19", "fel"))


def test_the_lockout_ends_after_fifteen_minutes(editors):
    from axes.models import AccessAttempt

    office = _client()
    for _ in range(10):
        _login(office, "anna", "fel")
    assert _locked(_login(office, "anna", PASSWORD))
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _logged_in(_login(office, "anna", PASSWORD))


@pytest.mark.parametrize(
    ("command", "args"),
    [("axes_reset", []), ("axes_reset_username", ["anna"]), ("axes_reset_ip", [OFFICE])],
)
def test_an_administrator_can_unlock_with_a_command(editors, command, args):
    office = _client()
    for _ in range(10):
        _login(office, "anna", "fel")
    assert _locked(_login(office, "anna", PASSWORD))
    call_command(command, *args, stdout=io.StringIO())
    assert _logged_in(_login(office, "anna", PASSWORD))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(editors):
    proxy = "10.0.0.2"
    for _ in range(10):
        _login(_client(proxy, forwarded="203.0.113.5"), "anna", "fel")
    assert _locked(_login(_client(proxy, forwarded="203.0.113.5"), "anna", PASSWORD))
    # Entries further left are the client's own words: a forged one changes nothing.
    assert _locked(_login(_client(proxy, forwarded="203.0.113.99, 203.0.113.5"), "anna", PASSWORD))
    # Another visitor through the same proxy is another client.
    assert _logged_in(_login(_client(proxy, forwarded="203.0.113.6"), "anna", PASSWORD))


def test_without_a_declared_proxy_forwarded_addresses_are_ignored(editors):
    for number in range(10):
        _login(_client(forwarded=f"203.0.113.{number}"), "anna", "fel")
    assert _locked(_login(_client(forwarded="203.0.113.200"), "anna", PASSWORD))


def test_tests_and_scripts_can_still_log_in(editors, client):
    """force_login needs no password; a password login through authenticate() needs a request."""
    client.force_login(editors["anna"])
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert client.login(request=RequestFactory().get("/"), username="anna", password=PASSWORD)
    assert client.get("/admin/").status_code == 200
