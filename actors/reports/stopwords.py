"""Words left out of the customers report's message keywords: function words, pronouns,
question words and the greetings and thanks nearly every chat holds (they would top
every list and say nothing about what visitors came for). Words of one character are
left out by length already, so the Chinese list holds words of two or more as jieba
cuts them (its precise mode: "我要", "怎么办").

A short list kept here, not a package: the large general-purpose lists also drop words
a customer-service center wants to see ("问题", "时间").
"""

from __future__ import annotations

CHINESE = frozenset("""
我们 你们 他们 她们 它们 咱们 自己 大家 您好 你好 哈喽 嗨喽 谢谢 谢谢您 谢谢你 多谢 感谢 不客气 没关系
好的 好吧 好滴 嗯嗯 哦哦 是的 对的 不是 没有 没事 可以 不行 不能 能不能 可不可以 行不行 是不是 有没有
什么 怎么 怎么样 怎么办 怎样 为什么 为啥 哪里 哪儿 哪个 哪些 多少 几个 如何 是否 请问 请教 麻烦 一下
这个 那个 这些 那些 这样 那样 这里 那里 这边 那边 现在 刚才 已经 还是 还有 或者 而且 但是 可是 不过
因为 所以 如果 然后 就是 只是 只有 而已 一个 一些 一点 一直 一样 一般 的话 时候 之前 之后 以后 以前
我要 我想 我的 你的 他的 她的 我在 你在 想要 需要 应该 可能 知道 觉得 看看 问问 一下子 在吗 在不在
""".split())

ENGLISH = frozenset("""
the and but for nor not yet are was were been being have has had having does did doing can could
would should will shall may might must you your yours him his her hers its our ours they them their
this that these those what which who whom whose when where why how all any both each few more most
other some such only own same than too very just also from into onto with without about above below
over under again then once here there out off down upon hello thanks thank please okay yes ok hi hey
is am be do to of in on at by as or if so no up it me my we us an
""".split())

STOPWORDS = CHINESE | ENGLISH
