"""Questions as residents type them: `怎么办低保`, `低保需要什么材料`, `老人补贴去哪领`.

The question words find nothing in the documents (no guide says 怎么办), and with them a query's terms
cannot all match, so they are taken out and what remains is searched. A question about how, what to
bring or where to go asks for a service guide: `Question.guide` says so, and the engine then ranks guides
first. Only whole question phrases are removed, never a character alone (办 of 办公室, 领 of 领导 stay).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Asking how / what to bring / where: answered by a 办事指南.
_GUIDE_QUESTION = (
    r"(?:需要|要|得)?(?:准备|带|提供|提交|交)(?:什么|哪些|啥)(?:材料|资料|证件|手续|证明|东西)?",
    r"(?:需要|要|得)?(?:什么|哪些|啥)(?:材料|资料|证件|手续|证明|东西)",
    r"(?:该|应该)?(?:怎么|怎样|如何|咋)(?:样)?(?:才能|才可以|可以|能)?(?:办理|申请|领取|办|领|弄|去办|申领|交|缴)?",
    r"(?:应该|该|要)?(?:去|到|在)?(?:哪里|哪儿|哪(?!些)|什么地方)(?:办理|申请|领取|申领|办|领|交|缴|去)?",
    r"(?:办理|申请|申领)(?:流程|条件|程序|步骤)(?:是什么)?",
    r"(?:需要|要)(?:什么|哪些)(?:条件)?",
)
# Other question words, removed without asking for a guide.
_OTHER = (
    r"请问",
    r"(?:我|俺)?(?:想|要|想要)(?:问问?|知道|了解|咨询)",
    r"(?:是什么|什么是|有哪些|是多少|多少钱|什么时候|多长时间|多久)",
    r"(?:能不能|可不可以|可以吗|能吗|行吗|吗|呢|吧|啊|呀)",
    r"[?？]+",
)
_GUIDE = re.compile("|".join(_GUIDE_QUESTION))
_ANY = re.compile("|".join(_GUIDE_QUESTION + _OTHER))


@dataclass(frozen=True)
class Question:
    text: str  # what remains to search, question words replaced by spaces
    guide: bool  # a how / what-to-bring / where question: guides first


def read(text: str) -> Question:
    """`text` without its question words (unchanged when nothing else would remain)."""
    found = [m for m in _ANY.finditer(text) if m.group()]
    if not found:
        return Question(text, False)
    rest = _ANY.sub(" ", text)
    if not rest.strip():
        return Question(text, False)
    return Question(rest, any(_GUIDE.fullmatch(m.group()) for m in found))
