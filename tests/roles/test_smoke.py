def test_home_is_public(client, db):
    assert client.get("/").status_code == 200
