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
    assert trusted.region("127.0.0.1", "114.114.114.114") == "CN"
    assert trusted.client_ip("203.0.113.9", "8.8.8.8") == "203.0.113.9"
