import pytest

from core.views import ROBOTS_TXT

pytestmark = pytest.mark.django_db


def test_robots_txt_asks_crawlers_to_keep_out_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == ROBOTS_TXT
    assert "Disallow: /" in ROBOTS_TXT


def test_robots_txt_answers_only_get(client):
    assert client.post("/robots.txt").status_code == 405
