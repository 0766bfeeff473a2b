"""Suicide-related phrasings, structured like the C-SSRS: wish to be dead (passive ideation), active
ideation (a method adds the qualifier "method"), preparatory behaviour, and attempts (actual, interrupted,
aborted). Kind "ideation" is a generic mention ("SI", "suicidal thoughts"): core/notes/safety.py makes
it passive when the clause says so, active otherwise. Matched on lower-cased text.

Recall first: a phrase that is usually a risk is listed even when it is sometimes innocent; the therapist
sees the sentence and judges. Look-alikes ("killing it at work", "bought rope for the boat") are kept
out by the shape of each pattern.
"""
from __future__ import annotations

SELF = r"(?:(?:my|her|him|them|your|our|one)sel(?:f|ves)|themself|meself)"
_POSS = r"(?:my|her|his|their|your)"
_PILLS = (
    r"(?:pills|tablets|meds|medications?|medicine|sleeping\s+pills|painkillers|pain\s+pills|paracetamol|tylenol|"
    r"acetaminophen|insulin|antidepressants|lithium|opioids|oxycodone|morphine|benzos|xanax)"
)
_LEDGE = r"(?:bridge|cliffs?|edge|roof|rooftop|ledge|overpass|train\s+tracks|tracks|railway|platform|balcony|parking\s+(?:garage|structure))"
_GONE = r"(?:after\s+(?:she|he|they|I)(?:'s|'re|'m|\s+is|\s+are|\s+am)\s+gone|after\s+(?:her|his|their|my)\s+death|when\s+(?:she|he|they)(?:'s|'re|\s+is|\s+are)\s+gone)"

SUICIDE_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("ideation", (), (
        r"\bsuicid(?:al|e|ality)\b(?!\s+(?:prevention|hotline|helpline|lifeline|crisis\s+line|awareness|training|"
        r"risk\s+assessment|screening|of\s+(?:a|an|the)\s+(?:character|figure|celebrity|singer|actor)))",
        r"(?<=\bno\s)s\.?i\b(?!\.?[a-z])|\b(?:passive|active|reports?|reported|endors\w+|denies|denied|denying|any|current|having|has|had|with|ongoing|"
        r"intermittent|some|occasional|of|hx|h/o|chronic|fleeting|recurrent)\s+s\.?i\b(?!\.?[a-z])|\bs\.?i\s*(?:/|and|or|,)\s*h\.?i\b|\bs\.?i(?=\s+(?:with|without|but|denied|present|endorsed|passive|active|daily|nightly|w/|x\d|toward|since|most|again|on\s+and\s+off)(?:\s|\b|$))",
    )),
    ("active_ideation", (), (
        rf"\bkill(?:s|ed|ing)?\s+{SELF}",
        rf"\b(?:end|ends|ending|ended|take|takes|taking|took)\s+{_POSS}\s+(?:own\s+)?life\b",
        r"\bend(?:s|ed|ing)?\s+(?:it\s+all|it|things|everything)\b(?!\s+(?:with|between|off|early|on)\b)",
        r"\bput\s+an\s+end\s+to\s+(?:it\s+all|everything|my life|her life|his life)\b",
        r"\b(?:ready|plan|plans|planning|urges?|going)\s+to\s+die\b",
        r"\b(?:can't|cannot|can\s+not|couldn't|could\s+not|unable\s+to|won't|wouldn't|refused\s+to|not\s+able\s+to)\s+"
        r"(?:guarantee|commit\s+to|contract\s+for|agree\s+to|promise)\s+(?:(?:her|his|their|my|own)\s+)*safety\b",
        r"\bunalive\b|\bkms\b|\bsewer\s?slide\b|\bself[\s-]delete\b",
        r"\b(?:take|takes|taking)\s+the\s+easy\s+way\s+out\b|\bcheck(?:ing)?\s+out\s+(?:for good|permanently|of life)\b",
    )),
    ("active_ideation", ("method",), (
        rf"\bhang(?:s|ing|ed)?\s+{SELF}",
        rf"\b(?:shoot|shoots|shooting|shot|drown|drowning|drowned|poison|poisoning|poisoned|suffocate|off|offing|gas|gassing)\s+{SELF}",
        r"\b(?:jump|jumps|jumping)\s+(?:off|from)\s+(?:a|the|that|her|his)\s+(?:\w+\s+)?(?:bridge|building|roof|balcony|cliff|overpass|parking|tower|window)",
        rf"\b(?:jump|jumping|step|stepping|walk|walking|throw|throwing)\s+(?:{SELF}\s+)?in\s+front\s+of\s+(?:a|the)\s+(?:train|bus|car|truck|traffic|subway)",
        r"\bwalk(?:s|ing)?\s+into\s+(?:the\s+)?(?:sea|ocean|river|lake|traffic)\b",
        r"\b(?:drive|drives|driving|crash|crashing|swerve|swerving|wreck|wrecking)\s+(?:(?:my|her|his|the|their)\s+)?(?:car\s+)?"
        r"(?:off\s+(?:a|the)\s+(?:bridge|cliff|road)|into\s+(?:(?:a|the)\s+)?(?:wall|tree|river|oncoming traffic|traffic|a\s+lorry|a\s+truck)|on\s+purpose)",
        rf"\b(?:slit|slitting|cutting)\s+{_POSS}\s+(?:wrists|throat)\b",
        rf"\b(?:thought|thoughts|thinking|thinks|think|fantasi[sz]\w*|imagin\w+|urges?)\s+(?:about|of)\s+(?:overdosing|taking\s+an\s+overdose|"
        rf"od'?ing|crashing\s+{_POSS}\s+car|wrecking\s+{_POSS}\s+car|driving\s+{_POSS}\s+car\s+(?:off|into)|drowning|hanging\s+{SELF}|"
        rf"jumping\s+(?:off|from|in\s+front)|cutting\s+{_POSS}\s+wrists|slitting|taking\s+(?:all|a\s+bunch|a\s+handful|the\s+whole\s+bottle)|"
        rf"swallowing\s+(?:pills|a\s+bottle|all)|shooting\s+{SELF}|walking\s+into)",
        r"\b(?:overdose|overdosing|od|od'?ing)\s+on\s+purpose\b(?!.*\b(?:took|last|yesterday|on\s+\w+day)\b)",
        r"\bplan\s+to\s+(?:overdose|jump|hang|shoot|drown|crash)\b",
    )),
    ("passive_ideation", ("passive",), (
        r"\bwish(?:es|ed|ing)?\s+(?:that\s+)?(?:I|she|he|they|you)\s+(?:was|were|had|could be|would be)\s+(?:dead|gone|never been born|not born|not here|not alive)\b",
        r"\b(?:go(?:es|ing)?\s+to\s+sleep|fall(?:s|ing)?\s+asleep|sleep)\s+and\s+(?:not|never)\s+wak(?:e|ing)\s+up\b",
        r"\b(?:hope|hopes|hoped|hoping|wish|wishes|wished|pray|prays|prayed|praying)\s+(?:that\s+)?(?:I|she|he|they)\s+(?:just\s+)?(?:won't|wouldn't|will not|would not|don't|doesn't|didn't|never|do not)\s+wake\s+up\b",
        r"(?:\b(?:and|just|to)\s+(?:not|never)\s+wake\s+up\b|\bnot\s+to\s+wake\s+up\b)"
        r"(?!\s+(?:early|earlier|so\s+early|at\s+\d|on\s+time|in\s+time|until|till|before|for\s+(?:work|school|class)))",
        r"\bbetter\s+off\s+(?:dead|gone|without\s+(?:me|her|him|them|us))\b|\bbetter\s+off\s+(?:\w+\s+){0,2}without\s+(?:me|her|him|them)\b",
        r"\bbetter\s+off\s+if\s+(?:I|she|he|they)\s+(?:was|were|wasn't|weren't)\s+(?:dead|gone|here|around|alive)\b",
        r"\b(?:world|family|everyone|everybody|kids|children)\s+would\s+be\s+(?:better|happier|relieved)\s+(?:off\s+)?(?:without\s+(?:me|her|him|them)|if)\b",
        r"\b(?:doesn't|does not|don't|do not|didn't|did not|can't|cannot|couldn't)\s+see\s+(?:the|any|a|much)\s+point\s+(?:in|of|to)\s+(?:living|life|going on|being alive|being here|anything|carrying on|it all|existing|waking up)\b",
        r"\bno\s+point\s+(?:in\s+)?(?:living|going on|being alive|being here|carrying on|existing)\b",
        r"\bwhat'?s\s+the\s+point\s+(?:of|in)\s+(?:living|life|going on|being alive|being here|anything|it all|existing)\b",
        r"\b(?:nothing|no one|nobody)\s+(?:left\s+)?to\s+live\s+for\b|\bno\s+reason\s+to\s+(?:live|keep going|go on|stay alive|be here)\b",
        r"\b(?:doesn't|does not|don't|do not|didn't|did not|no longer|not)\s+(?:really\s+)?want(?:s|ing)?\s+to\s+(?:live|be alive|exist|wake up|go on|keep living|be around|be here)\b",
        r"\b(?:life|living|her life|his life|my life)\s+(?:is|isn't|is not|wasn't|was not|ain't|doesn't feel|does not feel|no longer feels|isn't really)\s+(?:not\s+)?worth\b(?<!\bis worth)",
        r"\bnot\s+worth\s+living\b|\b(?:life|living)\s+(?:is|feels|seems)\s+(?:pointless|meaningless|hopeless)\b",
        r"\b(?:doesn't|does not|don't|didn't|no longer)\s+(?:feel|think|believe)\s+(?:like\s+|that\s+)?(?:life|living|(?:her|his|my|their)\s+life)\s+is\s+worth\b",
        r"\btired\s+of\s+(?:living|life|being alive|existing)\b(?!\s+(?:with|in|at|out|on|under|near|next|alone\s+in|from|paycheque|paycheck|hand|off|out\s+of)\b)",
        r"\b(?:can't|cannot|couldn't|can not|could not)\s+(?:go\s+on|keep\s+going|do\s+this\s+anymore|take\s+(?:it|this)\s+any\s?more|keep\s+doing\s+this|live\s+like\s+this)\b"
        r"(?!\s+to\b)(?!\s+with\s+(?!(?:life|living|it\s+all)\b))",
        r"\b(?:want|wants|wanted|wish|wishes|wished|wanting)\s+(?:to\s+)?(?:just\s+)?(?:(?:disappear|vanish)\b(?!\s+(?:for|into|from|to|on|with|under|in|at|behind|off(?!\s+the\s+face))\b)|(?:not exist|stop existing|cease to exist|not be here|not be alive|be dead|be gone)\b)",
        r"\b(?:want|wants|wanted|wanting|wish|wishes|wished)\s+to\s+die\b",
        r"\b(?:want|wants|wanted|wanting|wish|wishes|wished)\s+(?:everything|it\s+all|it|the\s+pain|all\s+of\s+it|life|the\s+suffering)\s+to\s+(?:end|stop|be over)\b",
        r"\b(?:thoughts?|thinking|thinks|thought)\s+(?:of|about|that)\s+(?:death|dying|being dead|not being here|not existing|not being alive|(?:not|never)\s+waking\s+up)\b",
        r"\bdeath\s+wish\b|\bmorbid\s+(?:thoughts|ideation|rumination)\b|\bpassive\s+(?:SI|suicidal|death|thoughts?|ideation|wish\w*)\b",
        r"\b(?:rather|better)\s+be\s+dead\b|\b(?:go\s+to\s+)?sleep\s+forever\b|\bdone\s+(?:with\s+(?:life|living|it\s+all)|living)\b",
        r"\bjoin\s+(?:her|his|my|their)\s+(?:late|dead|deceased)\s+\w+",
        r"\b(?:easier|better|relief|a\s+relief)\s+(?:for\s+(?:everyone|everybody|them|her\s+\w+|his\s+\w+)\s+)?if\s+(?:I|she|he|they)\s+(?:just\s+)?(?:wasn't|weren't|was\s+not|were\s+not|didn't\s+exist|died|was\s+dead|were\s+dead|was\s+gone|were\s+gone|disappeared)\b",
        r"\b(?:relieved|happier)\s+if\s+(?:I|she|he|they)\s+(?:just\s+)?(?:disappeared|died|was\s+gone|were\s+gone|wasn't\s+(?:here|around))\b",
        r"\bbetter\s+off\s+(?:with|if)\s+(?:me|her|him|them)\s+(?:gone|dead)\b",
        r"\b(?:not\s+sure|unsure|doesn't\s+know\s+if|don't\s+know\s+if)\s+(?:that\s+)?(?:I|she|he|they)\s+(?:wants?|want)\s+to\s+(?:live|keep\s+living|be\s+alive|go\s+on|keep\s+going|be\s+here)\b",
        r"\b(?:wish|wishes|wished|wishing)\s+(?:that\s+)?(?:I|she|he|they)\s+could\s+(?:just\s+)?(?:(?:disappear|vanish)\b(?!\s+(?:for|into|from|to|on|with|under|in|at|behind|off(?!\s+the\s+face))\b)|die|not\s+exist|stop\s+existing|sleep\s+forever|go\s+to\s+sleep\s+forever|not\s+wake\s+up)\b",
        r"\b(?:wish|wishes|wished|wishing|hope|hopes|hoping)\s+(?:that\s+)?(?:I|she|he|they)\s+(?:would|could|might|will)\s+(?:just\s+)?(?:get|be)\s+(?:hit|run\s+over|killed)\b",
        r"\b(?:fine|ok|okay|alright|relieved|glad)\s+if\s+(?:a|the)\s+(?:bus|car|truck|train)\s+(?:hit|hits|ran\s+over)\s+(?:me|her|him|them)\b",
        r"\bno\s+way\s+out\b",
        r"\b(?:would|'d)\s+(?:honestly\s+|really\s+|just\s+)?(?:be\s+)?(?:fine|ok|okay|alright|all\s+right|relieved|at\s+peace|happy|glad|not\s+care|not\s+mind)\s+(?:with\s+it\s+)?if\s+(?:I|she|he|they)\s+(?:just\s+)?(?:didn't|did\s+not|never|don't|wouldn't)\s+(?:wake\s+up|woke\s+up|make\s+it|exist|come\s+back)\b",
        r"\b(?:would|'d)\s+(?:honestly\s+|really\s+|just\s+)?(?:be\s+)?(?:fine|ok|okay|alright|relieved|at\s+peace|happy|glad)\s+(?:with\s+it\s+)?if\s+(?:I|she|he|they)\s+(?:just\s+)?(?:died|were\s+dead|was\s+dead|got\s+hit\s+by|was\s+gone|were\s+gone|disappeared)\b",
        r"\b(?:wouldn't|would not|doesn't|does not|don't|didn't)\s+(?:care|mind)\s+if\s+(?:I|she|he|they)\s+(?:died|were dead|was dead|didn't wake up|got hit|never woke up|disappeared|got sick and died)\b",
        r"\b(?:doesn't|does\s+not|don't|didn't|not)\s+(?:really\s+)?(?:care|cares|matter|matters)\s+(?:whether|if)\s+(?:I|she|he|they)\s+(?:lives?|live)\s+or\s+dies?\b",
        r"\b(?:no one|nobody)\s+would\s+(?:care|notice|miss\s+\w+)\s+if\b",
        r"\b(?:not|won't|wouldn't|will not)\s+be\s+(?:around|here)\s+(?:much\s+)?(?:longer|anymore|any more|for long|next (?:year|week|month))\b",
        r"\bwon't\s+be\s+a\s+(?:problem|burden)\s+(?:much\s+|for\s+)?(?:longer|anymore|any more)\b",
        r"(?:\b(?:feels?|felt|feeling|being)\s+(?:like\s+)?|\b(?:she|he|they|I)(?:'s|'m|\s+is|\s+am|\s+was|\s+are)\s+)(?:such\s+)?a\s+burden\b(?!\s+(?:was|had\s+been|has\s+been)?\s*lifted)",
        r"\bwish\s+to\s+(?:be\s+dead|die)\b",
    )),
    ("preparatory_behaviour", (), (
        r"\bpreparatory\s+(?:behaviou?rs?|acts?|actions?)\b",
        r"\b(?:researching|researched|research|looked\s+up|looking\s+up|look\s+up|googled|googling|searched|searching|reading\s+about|read\s+about)\s+"
        r"(?:for\s+|online\s+(?:for\s+)?)?(?:painless\s+|quick\s+|easy\s+)?(?:ways|how|methods)\s+(?:to\s+)?(?:die|kill|end|overdose|hang|commit|do\s+it)",
        r"\b(?:researching|researched|looked\s+up|looking\s+up|googled|googling|searched|searching|reading\s+about|read\s+about)\s+"
        r"(?:\w+\s+){0,3}(?:methods|suicide|lethal|fatal|overdose\s+amounts|how\s+to\s+overdose|overdose\s+doses)\b",
        r"\b(?:researching|researched|looked\s+up|looking\s+up|googled|googling|searched|checked)\s+(?:online\s+)?how\s+(?:much|many)\s+(?:\w+\s+){0,4}(?:would|to)\s+(?:kill|be\s+(?:lethal|fatal|enough))",
        rf"\b(?:how\s+many|enough)\s+{_PILLS}\s+(?:it\s+would\s+take|to\s+(?:die|kill|overdose))|\blethal\s+doses?\b",
        rf"\bcount(?:ed|ing|s)?\s+(?:out\s+)?{_POSS}\s+{_PILLS}",
        r"\b(?:wrote|writing|written|write|writes)\s+(?:a\s+)?(?:suicide|goodbye|farewell)\s+(?:note|letter|message)s?\b|\b(?:goodbye|farewell)\s+(?:letters|notes|texts|messages)\b",
        rf"\b(?:wrote|writing|written|write|writes)\s+(?:a\s+)?(?:note|letters?|messages?)\b[^.;]{{0,60}}\b(?:saying\s+goodbye|{_GONE}|to\s+be\s+read\s+after)",
        rf"\bletters?\b[^.;]{{0,50}}\b(?:{_GONE}|to\s+be\s+read\s+after)",
        r"\bgiv(?:e|es|ing|en)\s+away\s+(?:her|his|their|my|all)\s+(?:\w+\s+)?(?:things|belongings|stuff|possessions|pets?|cat|dog|guitar|savings|valuables|jewel\w+)\b",
        r"\bgave\s+away\s+(?:her|his|their|my)\s+(?:dog|cat|pets?|guitar)\b|\bgave\s+(?:her|his|their|my)\s+(?:dog|cat|pets?|guitar)\s+(?:away|to)\b",
        r"\b(?:won't|will\s+not|wouldn't)\s+(?:be\s+)?need(?:ing)?\s+(?:it|them|her|him|this|these)\s+(?:anymore|any\s+more|much\s+longer)\b",
        r"\b(?:putting|put|puts|get|gets|getting|got|getting)\s+(?:her|his|their|my)\s+affairs\s+in\s+order\b|\b(?:updated|changed|rewrote|redid|finali[sz]ed)\s+(?:her|his|their|my)\s+will\b",
        r"\bwr(?:ote|iting|itten)\s+(?:out|down)\s+(?:her|his|their|my)\s+passwords\b",
        rf"\b(?:made|making)\s+arrangements\s+for\b[^.;]{{0,60}}\b{_GONE}",
        r"\b(?:stockpil\w+|hoard(?:ing|ed|s)?|saving\s+up|saving|saved|stash(?:ing|ed)|collect(?:ing|ed|s))\s+(?:up\s+)?(?:her|his|their|my)?\s*(?:old\s+)?"
        r"(?:pills|meds|medications?|tablets|sleeping\s+pills|painkillers|pain\s+pills|insulin)\b",
        r"\bstockpil\w+\b",
        r"\b(?:bought|buys|buying|got|purchased)\s+(?:a\s+|some\s+)?rope\b(?!\s+(?:for\s+(?:the|a|his|her)\s+(?:boat|tent|garden|climbing|camping|swing|dog|move|kayak|canoe|course|washing)|to\s+(?:tie|secure|lash|tow|fix|moor|hang\s+(?:the\s+)?(?:washing|laundry|hammock|swing)))\b)",
        rf"\b(?:bought|buys|buying|got|purchased)\s+(?:a\s+)?(?:gun|firearm|pistol|handgun|rifle|shotgun)\b[^.;]{{0,30}}\b(?:to\s+(?:kill|end|shoot)\s+{SELF}|for\s+{SELF}|to\s+end\s+it)",
        r"\b(?:tied|tying|tie|made|making|bought)\s+(?:a\s+)?noose\b|\bnoose\b",
        r"\b(?:held|holding|hold|put|putting|pointed|pointing)\s+(?:a|the|his|her|their|my)\s+(?:gun|pistol|knife|blade)\s+(?:to|against|in)\s+(?:her|his|their|my)\s+(?:head|mouth|chest|wrist|throat|temple)\b",
        r"\bloaded\s+(?:the|a|his|her|their|my)\s+(?:gun|pistol|rifle|shotgun)\b",
        r"\b(?:rehears\w+|practis\w+|practic\w+)\s+(?:how\s+(?:she|he|they|I)\s+would\s+do\s+it|(?:her|his|their|my)\s+suicide|(?:jumping|hanging|tying|the\s+overdose|overdosing|it\b))",
        r"\b(?:mentally\s+)?rehears(?:ed|ing|es)\s+(?:jumping|hanging|overdosing|dying|(?:her|his|their)\s+death)\b",
        rf"\b(?:went|goes|go|drove|drives|walked|walks|been\s+going|been\s+visiting|visited|visiting|visits)\s+(?:up\s+)?(?:to|on)?\s*(?:the\s+)?{_LEDGE}\b[^.;]{{0,60}}\b"
        r"(?:stood|standing|sat|sitting|looked\s+down|looking\s+down|railing|for\s+(?:an?\s+)?(?:hour|while|long\s+time)|to\s+(?:see|check|look))",
        r"\bsaid\s+goodbye\b[^.;]{0,40}\b(?:as\s+if|for\s+the\s+last\s+time|like\s+(?:it\s+was|for)\s+the\s+last|wouldn't\s+see)",
    )),
    ("suicide_attempt", ("actual",), (
        r"\b(?:attempt(?:s|ed|ing)?)\s+(?:suicide|to\s+(?:kill|end|hang|overdose))\b|\bsuicide\s+attempts?\b|\bsuicidal\s+attempts?\b",
        rf"\btried\s+to\s+(?:kill\s+{SELF}|end\s+{_POSS}\s+life|hang\s+{SELF}|overdose|take\s+{_POSS}\s+(?:own\s+)?life|drown\s+{SELF}|shoot\s+{SELF}|jump\s+(?:off|from|in\s+front))",
        r"\b(?:committed|died\s+by|died\s+of)\s+suicide\b",
        r"\b(?:prior|previous|past|history\s+of|hx\s+of|h/o)\s+(?:\w+\s+)?(?:suicide\s+|suicidal\s+)?attempts?\b",
        rf"\b(?:made|makes)\s+an?\s+(?:\w+\s+)?attempt\s+on\s+{_POSS}\s+(?:own\s+)?life\b|\bmade\s+an?\s+(?:suicide\s+|suicidal\s+)?attempt\b",
        rf"\b(?:took|swallowed)\s+(?:a\s+bunch\s+of|a\s+handful\s+of|a\s+(?:whole\s+)?bottle\s+of|the\s+(?:whole|entire)\s+bottle\s+of|"
        rf"all\s+(?:of\s+)?(?:her|his|their|the|my))\s+(?:\w+\s+)?{_PILLS}",
        r"\b(?:took|takes|taking)\s+an\s+(?:intentional\s+)?overdose\b|\bintentional\s+overdose\b|\boverdosed\s+on\s+purpose\b",
        rf"\boverdosed\s+on\s+{_POSS}\s+(?:\w+\s+)?{_PILLS}",
        r"\b(?:cut|slit)\s+(?:her|his|their|my)\s+(?:wrists|throat)\b[^.;]{0,30}\b(?:to\s+die|intent|attempt)",
        rf"\battempted\s+(?:on|last|yesterday|this|over)\b|\battempted\s+by\s+(?:taking|overdos|hanging|cutting|jumping)",
    )),
    ("suicide_attempt", ("interrupted",), (
        r"\binterrupted\s+(?:suicide\s+)?attempt\b",
        r"\bfound\s+(?:her|him|them|me)\s+(?:\w+\s+)?with\s+(?:the\s+|a\s+)?(?:pills|rope|knife|gun|belt|noose|razor|blade|cord)\b",
        r"\btook\s+(?:the\s+)?(?:pills|knife|gun|rope|belt|razor|blade|cord)\s+(?:away\s+)?from\s+(?:her|him|them|me)\b",
        r"\b(?:talked|talk|pulled)\s+(?:her|him|them|me)\s+(?:down|back)\s+(?:from|off)\b|\btalked\s+(?:her|him|them|me)\s+down\b",
        rf"\b(?:was|were|got)\s+(?:stopped|pulled\s+back|talked\s+down|restrained)\b[^.;]{{0,40}}\b(?:on|at|from|off)\s+(?:the\s+|a\s+)?{_LEDGE}",
        r"\babout\s+to\s+(?:jump|take\s+the\s+pills|pull\s+the\s+trigger|hang\s+\w+|overdose)\b",
        r"\bbefore\s+(?:she|he|they|I)\s+could\s+(?:take\s+the\s+pills|jump|pull\s+the\s+trigger|hang\s+\w+|overdose|swallow)\b",
    )),
    ("suicide_attempt", ("aborted",), (
        r"\baborted\s+(?:suicide\s+)?attempt\b",
        rf"\bput\s+the\s+(?:{_PILLS}|gun|knife|rope|razor|blade)\s+(?:back|away|down)\b",
        rf"\b(?:went|got|drove|walked)\s+(?:up\s+)?to\s+the\s+{_LEDGE}\s+to\s+(?:jump|end\s+it|kill\s+{SELF})\b",
    )),
)
# Matched on the whole sentence, not clause by clause: the turn back is usually after a "but".
SENTENCE_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("suicide_attempt", ("aborted",), (
        rf"\b(?:had|held|holding)\s+(?:the\s+|a\s+handful\s+of\s+|a\s+bottle\s+of\s+)?(?:{_PILLS}|gun|knife|rope|razor|blade)\s+in\s+(?:her|his|their|my)\s+hands?\b"
        r"[^.;]{0,50}\b(?:stopped|changed\s+(?:her|his|their|my)\s+mind|put\s+(?:them|it)\s+(?:back|down|away)|didn't|couldn't)",
        rf"\b(?:started|began)\s+to\s+(?:swallow|take)\s+(?:the\s+)?{_PILLS}\b[^.;]{{0,40}}\bstopped",
        r"\bput\s+(?:a|the)\s+(?:gun|knife|blade)\s+(?:in|to|against)\s+(?:her|his|their|my)\s+(?:mouth|head|throat|wrist|chest)\b"
        r"[^.;]{0,40}\b(?:changed|stopped|didn't|couldn't|put\s+it)",
    )),
)
