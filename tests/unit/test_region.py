from serve.region import RegionLookup, country_of


def test_country_of_public_addresses():
    assert country_of("114.114.114.114") == "CN"
    assert country_of("8.8.8.8") == "US"


def test_private_and_bad_addresses_have_no_region():
    assert country_of("127.0.0.1") is None
    assert country_of("10.1.2.3") is None
    assert country_of("not-an-ip") is None


def test_forwarded_for_is_believed_only_from_trusted_proxies():
    untrusted = RegionLookup()
    assert untrusted.client_ip("127.0.0.1", "114.114.114.114") == "127.0.0.1"
    trusted = RegionLookup(("127.0.0.0/8", "10.0.0.0/8"))
    assert trusted.client_ip("127.0.0.1", "114.114.114.114") == "114.114.114.114"
    # A client cannot push a fake first hop past the proxy that appended its real address.
    assert trusted.client_ip("127.0.0.1", "8.8.8.8, 114.114.114.114, 10.0.0.5") == "114.114.114.114"
    assert trusted.region("127.0.0.1", "114.114.114.114") == "CN-JS"  # Nanjing, Jiangsu
    assert trusted.client_ip("203.0.113.9", "8.8.8.8") == "203.0.113.9"


def test_mainland_addresses_have_province_and_city():
    from serve.region import locate

    hangzhou = locate("183.136.190.62")
    assert (hangzhou.country, hangzhou.province, hangzhou.city) == ("CN", "浙江", "杭州")
    assert (hangzhou.code, hangzhou.display) == ("CN-ZJ", "浙江 杭州")
    beijing = locate("220.181.38.148")
    assert (beijing.code, beijing.display) == ("CN-BJ", "北京")
    assert locate("114.114.114.114").code == "CN-JS"


def test_elsewhere_and_unknown_is_the_country_or_nothing():
    from serve.region import locate

    assert (locate("8.8.8.8").code, locate("8.8.8.8").display, locate("8.8.8.8").province) == ("US", "US", None)
    assert locate("10.0.0.1").code is None
    assert locate("garbage").display is None
