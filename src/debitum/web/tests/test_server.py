import waitress

from debitum.web.server import serve


def test_serve_runs_the_django_application_in_waitress(monkeypatch):
    calls = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: calls.append((app, kwargs)))

    serve(host="0.0.0.0", port=8123, threads=4)

    from debitum.wsgi import application

    assert calls == [(application, {"host": "0.0.0.0", "port": 8123, "threads": 4})]
