from serve.device import describe

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
WINDOWS_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/120.0.0.0 Safari/537.36")
IPAD = ("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/16.6 Mobile/15E148 Safari/604.1")
WECHAT_ANDROID = ("Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
                  "(KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 "
                  "XWEB/5235 MMWEBSDK/20230701 MMWEBID/1234 MicroMessenger/8.0.40.2420(0x28002851) "
                  "WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")
BAIDUSPIDER = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"


def test_desktop_phone_tablet_and_bot():
    assert describe(WINDOWS_CHROME).type == "desktop"
    assert describe(WINDOWS_CHROME).browser == "Chrome 120"
    assert describe(WINDOWS_CHROME).os.startswith("Windows")
    phone = describe(IPHONE)
    assert (phone.type, phone.os, phone.browser) == ("mobile", "iOS 17.0", "Mobile Safari 17")
    assert describe(IPAD).type == "tablet"
    assert describe(WECHAT_ANDROID).type == "mobile"
    assert describe(WECHAT_ANDROID).os.startswith("Android 13")
    assert describe(BAIDUSPIDER).type == "bot"


def test_nothing_or_nonsense_is_unknown():
    assert describe(None).type is None
    assert describe("").browser is None
    assert describe("x" * 100_000).type is None
