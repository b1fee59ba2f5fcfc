from urllib.parse import quote

from actors.tracking.source import classify

LANDING = "https://shop.example.cn/tea/puer"


def test_baidu_keyword_from_wd_and_from_word():
    source = classify(LANDING, f"https://www.baidu.com/s?ie=utf-8&wd={quote('普洱茶')}")
    assert (source.engine, source.keyword, source.display) == ("Baidu", "普洱茶", "Baidu: 普洱茶")
    mobile = classify(LANDING, f"https://m.baidu.com/s?word={quote('普洱 茶饼')}")
    assert (mobile.engine, mobile.keyword) == ("Baidu", "普洱 茶饼")


def test_sogou_360_bing_google():
    assert classify(LANDING, "https://www.sogou.com/web?query=green+tea").keyword == "green tea"
    assert classify(LANDING, "https://www.sogou.com/web?query=x").engine == "Sogou"
    so = classify(LANDING, f"https://www.so.com/s?q={quote('红茶')}")
    assert (so.engine, so.keyword) == ("360", "红茶")
    assert classify(LANDING, "https://cn.bing.com/search?q=oolong").display == "Bing: oolong"
    assert classify(LANDING, "https://www.google.com/search?q=tea+shop").keyword == "tea shop"


def test_an_engine_without_a_keyword_shows_its_name():
    source = classify(LANDING, "https://www.google.com/")
    assert (source.engine, source.keyword, source.display) == ("Google", None, "Google")


def test_utm_source_and_term_when_the_referrer_says_nothing():
    source = classify(LANDING + "?utm_source=baidu&utm_medium=cpc&utm_term=%E6%99%AE%E6%B4%B1", None)
    assert (source.engine, source.keyword) == ("Baidu", "普洱")
    assert source.utm == {"utm_source": "baidu", "utm_medium": "cpc", "utm_term": "普洱"}
    newsletter = classify(LANDING + "?utm_source=newsletter", "")
    assert (newsletter.engine, newsletter.display) == ("newsletter", "newsletter")


def test_search_referrer_without_keyword_takes_utm_term():
    source = classify(LANDING + "?utm_source=google&utm_term=puer", "https://www.google.com/")
    assert (source.engine, source.keyword) == ("Google", "puer")


def test_direct_other_site_and_own_site():
    assert classify(LANDING, None).display == "direct"
    assert classify(LANDING, "").display == "direct"
    other = classify(LANDING, "https://blog.example.com/post/1?x=1")
    assert (other.engine, other.referrer_host, other.display) == (None, "blog.example.com", "blog.example.com")
    assert classify(LANDING, "https://shop.example.cn/").display == "direct"


def test_garbage_is_direct_not_an_error():
    assert classify("not a url", "http://[::1").display == "direct"
    assert classify("", "javascript:alert(1)").display == "direct"


def test_keywords_are_bounded():
    assert len(classify(LANDING, "https://www.bing.com/search?q=" + "a" * 5000).keyword) == 200


def test_kinds_and_the_compact_form_a_waiting_entry_carries():
    search = classify(LANDING, f"https://www.baidu.com/s?wd={quote('普洱茶')}")
    assert (search.kind, search.name, search.keyword) == ("search", "Baidu", "普洱茶")
    # utm_source=baidu without Baidu's results page as referrer: a paid campaign, not a search.
    campaign = classify(LANDING + "?utm_source=baidu&utm_term=puer&utm_medium=cpc", None)
    assert (campaign.kind, campaign.name, campaign.keyword) == ("campaign", "Baidu", "puer")
    referral = classify(LANDING, "https://blog.example.com/post/1")
    assert (referral.kind, referral.name, referral.keyword) == ("referral", "blog.example.com", None)
    direct = classify(LANDING, None)
    assert (direct.kind, direct.name) == ("direct", None)
    assert campaign.compact().utm == {} and campaign.compact().kind == "campaign"
