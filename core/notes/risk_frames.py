"""Risk phrasings built as frames: a cue and a state in one clause, so that the many ways people say the
same thing are caught by the shape of what they say, not by a list of sentences.

- wish to be dead: a wish, hope, prayer, welcome or acceptance ("wouldn't mind", "would be fine", "a
  relief") together with a death state ("not waking up", "stop existing", "God would take her", "the
  plane goes down", "if she died"); "tired of being here", "what's the point of going on", "nobody would
  miss me", "doesn't know why she's still here";
- preparatory acts: rehoming a pet, giving away belongings, letters to family for after, telling someone
  where the will and passwords are, a funeral plan, researching how much or how high, laying out pills,
  a ligature tied to a rail, picking a date, tidying affairs "so nobody has to deal with it";
- harm to others said as a worry ("afraid she will hurt her newborn"), a wish ("would love to see him
  dead"), revenge, a weapon kept for someone, threats;
- self-harm said with a body part and a purpose ("until they bleed", "on purpose", "to feel something");
- abuse in the passive voice ("was beaten by his stepfather"), children left alone, control of money;
- substance danger: mixing depressants, drinking until passing out, drink-driving, withdrawal seizures.

Matched on lower-cased text by core/notes/safety.py, like the other rule tables. The look-alikes each
pattern keeps out ("disappear for a weekend", "tired of being here at this job", "bought rope for the
kayak", "hurt himself playing football") are written into the pattern, not filtered afterwards.
"""
from __future__ import annotations

_SUBJ = r"(?:i|she|he|they|you)"
_OBJ = r"(?:me|her|him|them)"
_POSS = r"(?:my|her|his|their|your)"
_SELF = r"(?:(?:my|her|him|them|your)sel(?:f|ves)|themself)"
# a place or time after "here" / "around" makes it about a place, not about being alive
_NOT_A_PLACE = r"(?!\s+(?:at|in|on|every|with|for|when|while|during|tonight|tomorrow|today|next|this|alone|all\s+day|on\s+my\s+own|him|her|them|people)\b)"
_DEATH_STATE = (
    rf"(?:to\s+(?:just\s+)?die\b|(?:could|would|might)\s+(?:just\s+)?die\b|{_SUBJ}\s+(?:would\s+)?(?:just\s+)?die\b|"
    r"(?:to\s+)?be\s+dead\b|(?:was|were)\s+dead\b|(?:not|never)\s+(?:to\s+)?(?:wake|waking|woke)\s+up\b|"
    r"(?:didn't|don't|doesn't|wouldn't|won't)\s+(?:ever\s+)?wake\s+up\b|stay\s+asleep\b|sleep\s+forever\b|"
    r"stop\s+(?:existing|being\s+alive|being\s+here|living|breathing)\b|cease\s+to\s+exist|(?:to\s+)?not\s+exist\b|"
    rf"(?:to\s+)?not\s+be\s+(?:here|alive|around){_NOT_A_PLACE}|(?:not|never)\s+(?:to\s+)?(?:have\s+)?been\s+born\b|"
    rf"(?:{_SUBJ}|{_OBJ}|to)\s+(?:could\s+|would\s+)?(?:just\s+)?fad(?:e|ed|ing)\s+away\b|"
    r"(?:god|the\s+lord|jesus)\s+(?:would\s+|will\s+|to\s+|could\s+|might\s+)?(?:just\s+)?(?:take|took|takes|call|called)\s+(?:me|her|him|them)\b(?!\s+(?:to|through|in|out)\b)|"
    r"(?:heart|body)\s+(?:would\s+|will\s+|to\s+|might\s+)?(?:just\s+)?(?:stop|stops|stopped|gave\s+out|give\s+out|gives\s+out)\b|"
    rf"{_SUBJ}\s+(?:had|'d)\s+(?:just\s+)?(?:died|been\s+killed|not\s+survived|never\s+been\s+born|never\s+woken\s+up)\b|"
    r"(?:never|not)\s+(?:to\s+)?(?:open|opened|opening)\s+(?:my|her|his|their)\s+eyes\s+again\b|"
    rf"{_SUBJ}\s+(?:would\s+|could\s+|will\s+|might\s+)?(?:just\s+)?(?:gets?|got)\s+(?:cancer|hit\s+by|killed|run\s+over|sick\s+and\s+die)|"
    r"(?:everything|it\s+all|the\s+world|it)\s+(?:to\s+)?(?:just\s+)?go(?:es)?\s+(?:dark|black|quiet)\s+(?:for\s+good|forever|permanently)|"
    r"(?:not|never)\s+(?:have\s+to\s+)?come\s+back\b(?!\s+(?:to|from|here|for|on|in|at|until|till|after|before)\b)|"
    r"(?:plane|flight)\s+(?:goes|would\s+go|went|will\s+go|to\s+go)\s+down\b|(?:not|never|don't|doesn't)\s+make\s+it\s+through\b|"
    r"(?:doesn't|don't|didn't|won't|not)\s+live\s+(?:to\s+see|much\s+longer|past)\b|"
    rf"something\s+(?:would\s+|will\s+|to\s+)?(?:happen|happens|happened)\s+to\s+{_OBJ}\b|"
    rf"(?:it\s+all|everything|(?:{_POSS}\s+)?life)\s+(?:to\s+)?(?:be\s+)?over\b|(?:to\s+)?be\s+over\s+with\s+(?:it\s+all|life)\b)"
)
_WISH = (
    r"(?:wish|wishes|wished|wishing|hope|hopes|hoped|hoping|pray|prays|prayed|praying|long|longs|longed|longing|"
    r"yearn\w*|want|wants|wanted|wanting|welcome\w*|envy|envies|envied|waiting|waits|ready|"
    r"(?:wouldn't|would\s+not|don't|doesn't|didn't|not)\s+(?:really\s+)?(?:mind|care)|fine|okay|ok|alright|relieved|relief|glad|at\s+peace)"
)
_IF_GONE = (
    rf"\bif\s+{_SUBJ}\s+(?:just\s+|simply\s+|suddenly\s+)?(?:\w+\s+){{0,3}}?(?:died|was\s+dead|were\s+dead|"
    r"(?:didn't|did\s+not|never|don't|doesn't|wouldn't)\s+(?:ever\s+)?(?:wake|woke)\s+up|wasn't\s+(?:here|around|alive)|"
    r"weren't\s+(?:here|around|alive)|was\s+gone|were\s+gone|disappeared|got\s+killed|passed\s+away|"
    r"ceased\s+to\s+exist|stopped\s+existing|(?:was|were)\s+never\s+born|(?:hadn't|had\s+never|had\s+not)\s+been\s+born|(?:didn't|did\s+not)\s+make\s+it\s+through|"
    r"(?:never|didn't|did\s+not)\s+open(?:ed)?\s+(?:my|her|his|their)\s+eyes\s+again)\b"
)
_ACCEPT = (
    r"(?:fine|ok|okay|alright|all\s+right|relief|relieved|glad|happy|at\s+peace|peaceful|better|easier|welcome\w*|"
    r"(?:wouldn't|would\s+not|won't|doesn't|does\s+not|don't|didn't|not)\s+(?:really\s+|even\s+)?"
    r"(?:mind|care|matter|be\s+(?:sad|upset|bothered|unhappy|sorry))|so\s+be\s+it|nobody\s+would\s+(?:care|notice))"
)
_FAMILY = (
    r"(?:kids|children|son|daughter|sons|daughters|parents|mum|mom|mother|dad|father|wife|husband|partner|family|sister|"
    r"brother|sisters|brothers|grandchildren|grandkids|boyfriend|girlfriend|best\s+friend|friends)"
)
_PET = r"(?:dog|dogs|cat|cats|pets?|puppy|kitten|bird|birds|rabbit|horse|parrot)"
_MEDS = (
    r"(?:pills|tablets|meds|medications?|medicine|painkillers|sleeping\s+(?:pills|tablets)|paracetamol|tylenol|acetaminophen|"
    r"insulin|lithium|opioids|oxy\w*|morphine|codeine|tramadol|methadone|fentanyl|benzos|xanax|valium|diazepam|ativan|"
    r"lorazepam|klonopin|clonazepam|zopiclone|zolpidem|ambien|seroquel|quetiapine|amitriptyline|sertraline|zoloft|"
    r"fluoxetine|prozac|citalopram|lexapro|trazodone|mirtazapine|propranolol|pregabalin|gabapentin|antidepressants|"
    r"aspirin|ibuprofen)"
)
_DEPRESSANTS = r"(?:benzos|xanax|valium|diazepam|ativan|lorazepam|klonopin|clonazepam|sleeping\s+(?:pills|tablets)|zopiclone|ambien|opioids|oxy\w*|painkillers|methadone|heroin|fentanyl|pills)"
_ALCOHOL = r"(?:alcohol|booze|wine|beer|beers|vodka|whisky|whiskey|gin|rum|liquor|drink|drinks|drinking|spirits|cider)"
_BODY = (
    r"(?:arms?|forearms?|wrists?|legs?|thighs?|skin|stomach|belly|hands?|fingers|knuckles|fists?|face|chest|hips?|ankles?|"
    r"neck|head|scalp|feet|toes|shins?|calves|shoulders?|ribs|breasts?)"
)
_ACTOR = (
    r"(?:(?:his|her|their|my|a|an|the)\s+)?(?:(?:older|younger|step|ex|former|then|new|own|mother's|father's|mum's|mom's)[\s-]?)?"
    r"(?:partner|husband|wife|boyfriend|girlfriend|spouse|ex|fianc[eé]e?|father|dad|stepfather|stepdad|mother|mom|mum|"
    r"stepmother|stepmom|brother|sister|uncle|aunt|grandfather|grandmother|grandpa|grandma|parents?|caregiver|carer|son|"
    r"daughter|roommate|flatmate|coach|teacher|boss|cousin|neighbou?r|priest|colleague|coworker|co-worker|classmate|"
    r"stranger|man|men|group|gang|babysitter|nanny|pimp|client|peer|friend|someone|somebody)"
)
_VIOLENCE_PP = (
    r"(?:beaten|beat|hit|slapped|punched|kicked|choked|strangled|raped|assaulted|abused|molested|pushed|shoved|burned|burnt|"
    r"threatened|attacked|hurt|touched|groped|thrown|shaken|bitten|whipped|locked\s+(?:in|out)|battered|smacked|spanked|"
    r"grabbed|dragged|stabbed|trafficked|exploited|strangled)"
)

FRAME_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("passive_ideation", ("passive",), (
        rf"\b{_WISH}\b[^.;!?]{{0,45}}?\b{_DEATH_STATE}",
        rf"\b{_ACCEPT}\b[^.;!?]{{0,40}}{_IF_GONE}|{_IF_GONE}[^.;!?]{{0,40}}\b{_ACCEPT}\b",
        r"\b(?:welcom\w*|long\w*\s+for|pray\w*\s+for|wish\w*\s+for|hop\w*\s+for|yearn\w*\s+for|embrac\w*)\s+death\b",
        r"\b(?:think\w*|thought|thoughts|preoccupied|ruminat\w*)\s+(?:\w+\s+){0,3}?(?:about|of|with)\s+(?:death|dying|being\s+dead|"
        r"not\s+being\s+(?:here|alive|around)|not\s+existing|disappearing|(?:her|his|my|their)\s+own\s+(?:death|funeral))\b"
        r"(?!\s+(?:for|to|into|from|on|with|in\s+(?:the|a)\s+(?:book|film|novel|class|course|story)|of\s+(?:a|an|the|her|his))\b)",
        r"\b(?:fantasi\w+|dream\w*|daydream\w*)\s+(?:about|of)\s+(?:not\s+existing|dying|being\s+dead|death|disappearing|"
        r"not\s+waking\s+up|not\s+being\s+(?:here|alive|around)|(?:her|his|my|their)\s+own\s+(?:death|funeral))\b",
        rf"\btired\s+of\s+(?:being\s+(?:here|alive|around){_NOT_A_PLACE}|fighting\s+to\s+(?:stay\s+alive|live|keep\s+going)|"
        r"(?:trying\s+to\s+)?stay(?:ing)?\s+alive|existing|it\s+all\b(?!\s+(?:at|in)\b))",
        r"\b(?:no|the|any)\s+point\s+(?:of|in)\s+(?:me\s+|her\s+|him\s+|them\s+)?(?:going\s+on|carrying\s+on|keeping\s+going|keep\s+going|"
        r"living|being\s+(?:alive|here|around)|staying\s+alive|existing|waking\s+up|any\s+of\s+it|it\s+all|trying\s+anymore)\b",
        r"\bnothing\s+(?:left\s+)?to\s+(?:keep\s+going|go\s+on|carry\s+on|stay\s+alive|stay|live)\s+for\b",
        rf"\b(?:don't|doesn't|didn't|does\s+not|do\s+not|can't)\s+(?:really\s+)?(?:know|see|understand)\s+why\s+{_SUBJ}(?:'m|'s|'re|\s+am|\s+is|\s+are)?\s+(?:still\s+)?(?:here|alive|around|bother\w*)\b{_NOT_A_PLACE}",
        rf"\b(?:don't|doesn't|can't)\s+see\s+(?:why|how)\s+{_SUBJ}\s+(?:should|would|can|could)\s+(?:keep\s+going|go\s+on|carry\s+on|keep\s+living|stay\s+alive|bother)\b",
        r"\b(?:shouldn't|should\s+not)\s+(?:even\s+|still\s+)?be\s+(?:here|alive|around)\s+(?:anymore|any\s+more)\b|\b(?:shouldn't|should\s+not)\s+(?:even\s+|still\s+)?be\s+alive\b",
        rf"\b(?:'d|would|had)\s+(?:much\s+)?rather\s+not\s+(?:be\s+(?:here|around|alive)|exist|wake\s+up|live|be\s+born){_NOT_A_PLACE}",
        r"\b(?:no\s+one|nobody|noone)\s+(?:would|will|'d)\s+(?:even\s+|really\s+|ever\s+)?(?:miss|notice|care|mourn)\b(?!\s+(?:the|it|that|this|a|an)\b)",
        r"\b(?:everyone|everybody|they|the\s+world|(?:her|his|my|their|the)\s+(?:family|kids|children|husband|wife|partner|parents))"
        r"(?:'d|\s+would|\s+will|'ll)\s+(?:all\s+)?be\s+better\s+(?:off\b(?!\s+(?:with|if\s+(?:she|he|they|i)\s+(?:got|had|went|moved|took|worked|stayed|came))\b)|without)",
        rf"\b(?:doesn't|don't|didn't|does\s+not|do\s+not|not)\s+(?:really\s+|even\s+)?care\s+(?:whether|if)\s+{_SUBJ}\s+(?:wakes?\s+up|woke\s+up|lives?|live|dies?|die|makes?\s+it|survives?)\b",
        rf"\b(?:whether|if|not\s+sure)\s+(?:it's|it\s+is|life\s+is|it\s+was|life's)\s+(?:even\s+|really\s+)?worth\s+(?:carrying\s+on|going\s+on|living|staying\s+alive|keeping\s+going|it\s+anymore)\b",
        rf"\b(?:wouldn't|would\s+not|won't|not\s+going\s+to)\s+fight\s+it\b[^.;]{{0,40}}\b(?:sick|ill|cancer|heart|die|died|dying|happened|came\s+back|illness|gave\s+out)\b",
        r"\b(?:let|letting)\s+(?:it|the\s+cancer|the\s+illness|nature|the\s+disease)\s+take\s+(?:me|her|him|them)\b",
        rf"\b(?:peaceful|a\s+relief|easier|nice|better|a\s+release)\s+(?:it\s+would\s+be\s+|it'd\s+be\s+)?(?:to\s+be\s+dead|to\s+die|to\s+not\s+(?:exist|be\s+here|be\s+alive|wake\s+up)|not\s+to\s+(?:exist|be\s+here|be\s+alive|wake\s+up))\b",
        r"\bwaiting\s+(?:to\s+die|for\s+(?:death|(?:my|her|his|their)\s+life\s+to\s+(?:end|be\s+over)|it\s+all\s+to\s+(?:end|be\s+over)))\b",
        rf"\b(?:want|wants|wanted|wanting|wish|wishes|wished|wishing)\s+(?:to\s+)?(?:just\s+)?(?:disappear|vanish)\s+(?:and\s+never\s+come\s+back|forever|for\s+good|completely|permanently|off\s+the\s+face)",
        rf"\b(?:doesn't|don't|didn't|does\s+not|do\s+not|no\s+longer|not)\s+(?:really\s+|even\s+|just\s+)?(?:want|wanna)\s+to\s+(?:exist|be\s+alive|live|be\s+here{_NOT_A_PLACE})",
        r"\b(?:longing|longs|longed|yearning)\s+(?:to\s+die|for\s+death|to\s+be\s+dead)\b|\bdeath\s+wish(?:es)?\b|\bwish(?:es)?\s+(?:to\s+be\s+dead|for\s+death)\b",
        r"\bready\s+to\s+go\b[^.;]{0,40}\b(?:god|take\s+(?:me|her|him))\b",
        rf"\b(?:disappointed|sad|upset|angry|annoyed|frustrated|gutted|sorry)\s+(?:to\s+(?:wake\s+up|still\s+be\s+(?:alive|here)|be\s+alive)|(?:that|when)\s+{_SUBJ}\s+(?:wakes?|woke)\s+up)\b",
        r"\bdeath\s+(?:sounds|seems|feels|looks|would\s+be)\s+(?:like\s+)?(?:a\s+)?(?:rest|relief|peace|peaceful|release|escape|freedom|welcome)\b|\bdeath\s+(?:doesn't|does\s+not|no\s+longer)\s+(?:scare|frighten)s?\b",
        rf"\b(?:would|'d|will)\s+(?:all\s+)?(?:manage|cope|do|be)\s+(?:just\s+)?(?:fine|ok|okay|better|alright|all\s+right)\s+without\s+{_OBJ}\b(?!\s+(?:for|while|during|at|on|when|until|till|this|next|tonight|today|tomorrow)\b)",
        r"\b(?:(?:wouldn't|would\s+not|won't|doesn't|does\s+not|don't|didn't|not)\s+(?:really\s+)?(?:mind|care)|fine|ok|okay|relief|relieved|glad)\s+if\s+(?:the\s+|her\s+|his\s+|my\s+)?(?:cancer|tumou?r|illness|disease|infection|heart\s+condition)\s+(?:won|wins|took|takes|got|gets|came\s+back|spread|spreads|killed|kills)\b",
    )),
    ("preparatory_behaviour", (), (
        rf"\b(?:gave|give|gives|giving|given|rehomed|rehoming|rehome)\s+(?:away\s+)?(?:the|her|his|their|my)\s+{_PET}\s+(?:away|to)\b",
        rf"\b(?:asked|arranged\s+for|arrangements?\s+for)\s+(?:\w+\s+){{0,4}}?(?:to\s+)?(?:take|keep|have|look\s+after|care\s+for|rehome)\s+(?:the|her|his|their|my)\s+{_PET}\b(?!\s+(?:for\s+the\s+(?:weekend|week|night|day)|while|during|until|when\s+(?:she|he|they)\s+(?:goes|travels|is\s+away)))",
        rf"\b(?:take|took|have|keep|kept|taking|has)\s+(?:the|her|his|their|my)\s+{_PET}\s+(?:for\s+good|permanently|forever)\b",
        rf"\b(?:giv(?:e|es|ing|en)|gave)\s+away\s+(?:all\s+(?:of\s+)?)?(?:her|his|their|my)\s+(?!old\b|spare\b|extra\b|unused\b|outgrown\b|winter\b|summer\b|baby\b)\w+",
        rf"\b(?:giv(?:e|es|ing|en)|gave|hand(?:s|ed|ing)?\s+(?:out|over)|giving\s+out)\s+(?:away\s+)?(?:all\s+(?:of\s+)?)?(?:her|his|their|my)\s+(?:things|stuff|belongings|possessions|clothes|jewel\w*|records|collection|savings|tools)\s+(?:away|to)\b",
        rf"\b(?:wrote|writing|written|write|writes|left)\s+letters\s+(?:to|for)\s+(?:(?:the|her|his|their|my|each\s+of\s+(?:her|his|their|my))\s+)?{_FAMILY}\b",
        rf"\b(?:wrote|writing|written|write|writes|left|made|making|recorded|recording|filmed)\s+(?:a\s+|an?\s+)?(?:letters?|notes?|messages?|cards?|videos?|recordings?)\b[^.;]{{0,60}}\b(?:goodbye|for\s+after|in\s+case|just\s+in\s+case|(?:when|after)\s+{_SUBJ}(?:'m|'s|'re|\s+is|\s+am|\s+are)\s+gone|after\s+(?:her|his|my|their)\s+death|explaining\s+where)",
        # a farewell in a message: "sent his sister a message saying he loved her and was sorry for everything"
        r"\b(?:sent|texted|messaged|wrote|left|posted|emailed|called)\b[^.;]{0,60}\b(?:saying|said|telling|told|that)\b[^.;]{0,60}"
        r"\bsorry\s+for\s+everything\s*(?:[.!;\"”]|$|,?\s*and\s+(?:that\s+)?(?:\w+\s+)?lov)",
        r"\b(?:worked\s+out|figured\s+out|decided|picked|chosen|chose|planned)\s+(?:exactly\s+)?(?:which|what)\s+(?:night|day|date|time|week)\s+(?:i'll|she'll|he'll|they'll|i\s+will|she\s+will|he\s+will|they\s+will|to)\s+(?:do\s+it|end\s+it|go\s+through\s+with\s+it)\b",
        r"\b(?:sat|sitting|sits|stood|standing|waited|waiting|parked|lay|lying)\b[^.;]{0,40}\bwith\s+(?:the|her|his|my|their|a)\s+(?:pills|tablets|rope|gun|knife|belt|meds|noose|razor|blade|bottle\s+of\s+(?:pills|tablets))\b",
        r"\bmeasur\w+\s+(?:how\s+high|the\s+(?:height|drop|distance)\s+(?:of|from|to|down))\b",
        r"\b(?:look\s+after|take\s+care\s+of|raise|care\s+for|have)\s+(?:the|her|his|my|their)\s+(?:kids|children|son|daughter|dog|cat|pets?)\s+(?:if|when|after)\s+(?:anything|something)\s+(?:happen\w*|were\s+to\s+happen|was\s+to\s+happen)\s+to\s+(?:me|her|him|them)\b",
        r"\b(?:money|savings|cash)\s+(?:aside\s+|away\s+)?for\s+(?:her|his|my|their)\s+(?:own\s+)?funeral\b",
        rf"\b(?:wrote|writing|written|write|writes)\s+(?:the|her|his|their|my)\s+{_FAMILY}\s+(?:a\s+|an?\s+)?(?:letters?|notes?)\b",
        r"(?<=\bno\s)(?:suicide\s+|goodbye\s+)?(?:letters?|notes?)(?:\s+(?:or|and)\s+(?:letters?|notes?))?\s+(?:written|left)\b",
        r"\b(?:goodbye|farewell)\s+(?:letter|note|text|message|video|email|card)s?\b|\bsa(?:y|ys|ying|id)\s+goodbye\b[^.;]{0,40}\b(?:as\s+if|for\s+the\s+last\s+time|won't\s+see|wouldn't\s+see|forever)",
        rf"\b(?:told|tells|telling|showed|shows|showing)\s+(?:\w+\s+){{1,3}}?where\s+(?:to\s+find\s+)?(?:the|her|his|their|my)\s+(?:will|passwords|insurance|papers|documents|bank|pin|accounts|keys)\b",
        r"\bwr(?:ote|iting|itten|ites?)\s+(?:out\s+|down\s+)?(?:all\s+)?(?:her|his|their|my)\s+(?:bank\s+|account\s+|online\s+)?(?:passwords|pins|pin\s+numbers|logins)\b",
        r"\b(?:sorted|sorting|sorts)\s+(?:out\s+)?(?:her|his|their|my)\s+will\b(?![^.;]{0,40}\b(?:after|when|because|since|as\s+part|for\s+the\s+(?:mortgage|house)|estate|bought|married|wedding|divorce|baby|born|moved|retire\w*)\b)",
        r"\b(?:planned|planning|plans|sorted|sorting|arranged|arranging|organi[sz]ed|organi[sz]ing|prepaid|wrote|written|writing|chose|chosen|picked)\s+(?:out\s+)?(?:the\s+music\s+for\s+)?(?:her|his|their|my)\s+(?:own\s+)?funeral\b|\b(?:her|his|their|my)\s+(?:own\s+)?funeral\s+plan\b|\bwant\s+at\s+(?:her|his|their|my)\s+funeral\b",
        rf"\b(?:research\w*|looked\s+(?:up|into)|looking\s+(?:up|into)|googl\w+|search\w*|check\w*|read\s+(?:up\s+)?about|asked\s+(?:\w+\s+){{0,3}}?)\s+(?:online\s+)?(?:for\s+)?"
        rf"(?:how\s+(?:many|much|long|high|far|tall)|which|what|whether|the\s+(?:height|dose|doses|amount|quickest|fastest|easiest|best|most))\b[^.;]{{0,50}}"
        r"\b(?:tablets|pills|paracetamol|insulin|meds|medications?|dose|doses|bridge|building|cliff|fall|drop|bleed\s+out|lethal|fatal|kill|die|dying|to\s+die|overdose|it\s+(?:would\s+)?takes?|would\s+take|enough)\b",
        rf"\b(?:know|knows|knew|worked\s+out|figured\s+out|calculated)\s+(?:exactly\s+)?how\s+(?:many|much)\s+(?:\w+\s+)?{_MEDS}\s+(?:i'd|she'd|he'd|they'd|it'd|it\s+would|would|to)\s+(?:need|take|kill|be\s+enough)",
        rf"\b(?:stockpil\w+|hoard(?:ing|ed|s)?|saving\s+up|saving|saved|stash(?:ing|ed)|collect(?:ing|ed|s)|squirrel\w*\s+away|kept\s+back|keeping\s+back|stor(?:ing|ed|es)\s+up|putting\s+aside|put\s+aside|hiding|hid|hoarding)\s+(?:up\s+)?(?:(?:her|his|their|my|the)\s+)?(?:[\w-]+'s\s+)?(?:old\s+|spare\s+|leftover\s+)?{_MEDS}\b(?!\s+(?:for\s+(?:the\s+)?(?:trip|holiday|travel)|to\s+(?:take|give|return)))",
        rf"\b(?:laid|laying|lays|lined|lining|set|setting|counted|counting)\s+(?:out|up)\s+(?:all\s+)?(?:the|her|his|their|my)\s+(?:\w+\s+)?{_MEDS}\b",
        r"\b(?:bought|buys|buying|got|purchased|ordered)\s+(?:a\s+length\s+of\s+|a\s+coil\s+of\s+|some\s+|a\s+)?(?:rope|cord|ligature)\b(?![^.;]{0,30}\b(?:for\s+(?:the|a|his|her)\s+(?:boat|tent|garden|climbing|camping|swing|dog|move|kayak|canoe|course|washing)|to\s+(?:tie|secure|lash|tow|fix|moor|hang\s+(?:the\s+)?(?:washing|laundry|hammock|swing))))",
        r"\b(?:tied|tying|ties|tie|hung|hanging|fixed|attached)\s+(?:a|the|her|his|my)\s+(?:belt|rope|cord|scarf|cable|sheet|tie|ligature|noose)\s+(?:to|around|from|on)\s+(?:the|a|her|his|my)\s+(?:closet|wardrobe|door|doorframe|rail|beam|rafter|banister|bannister|hook|ceiling|loft|neck|pipe|shower|tree)",
        r"\b(?:visit\w*|went|go(?:es|ing)?|been\s+going|drove|drives|driving|walked|walks|walking)\s+(?:up\s+)?(?:to|on)?\s*(?:the\s+)?(?:bridge|cliffs?|cliff\s+top|clifftop|edge|roof|rooftop|ledge|overpass|train\s+tracks|tracks|railway(?:\s+line)?|platform|car\s+park\s+roof|multi-storey)\b[^.;]{0,60}"
        r"\b(?:look(?:ed|ing|s)?\s+(?:over|down)|over\s+the\s+edge|the\s+drop|how\s+(?:high|far)|stood|standing|stand|sat|sitting|for\s+(?:an?\s+)?(?:hour|while|long\s+time))",
        r"\b(?:picked|set|chosen|chose|choosing|decided\s+on|has|have|got)\s+a\s+(?:date|day)\b(?!\s+(?:for|to|with|in\s+mind\s+for|off|out)\b)(?=\s*(?:[.,;!?\"']|$|and\b|already\b|now\b))",
        r"\bso\s+(?:nobody|no\s+one|they|(?:her|his|their)\s+\w+)\s+(?:has|have|won't\s+have|wouldn't\s+have|doesn't\s+have|will\s+not\s+have)\s+to\s+(?:deal\s+with|sort|worry|clean|pay|handle)",
        r"\b(?:tying|tidying|tied|tidied)\s+up\s+(?:all\s+)?(?:the\s+|her\s+|his\s+|their\s+|my\s+)?loose\s+ends\b(?![^.;]{0,30}\b(?:at\s+work|before\s+(?:the|her|his|their|my)\s+(?:trip|holiday|leave|move|vacation)|project)\b)",
        r"\binsurance\b[^.;]{0,60}\b(?:pays?\s+out|cover\w*)\b[^.;]{0,30}\bsuicide\b|\b(?:pays?\s+out|cover\w*)\s+(?:for|after|if|in\s+case\s+of)\s+(?:a\s+)?suicide\b",
    )),
    ("harm_to_others", (), (
        rf"\b(?:afraid|worried|worries|worry|scared|terrified|fears?|feared|frightened|panics?)\s+(?:that\s+)?{_SUBJ}\s+(?:will|might|would|could|may|is\s+going\s+to)\s+"
        r"(?:lose\s+control\s+and\s+|snap\s+and\s+)?(?:hurt|harm|kill|drop|smother|shake|stab|strangle|drown|attack)\s+(?:her|his|their|my|the|a|someone|somebody|people|him|them)\b",
        r"\b(?:run|running|ran|runs)\s+(?:him|her|them|(?:his|her|their|my|the)\s+\w+(?:\s+\w+)?)\s+over\b(?!\s+(?:the|a|to|for|some|with)\b)",
        r"\bmake\s+(?:him|her|them|(?:his|her|their|my|the)\s+\w+)\s+suffer\b",
        r"\b(?:thoughts?|urges?|images?|fantasies|impulses?)\s+(?:of|about)\s+(?:stabbing|killing|hurting|harming|strangling|shooting|drowning|smothering|pushing|attacking|poisoning)\s+"
        r"(?:partner|baby|child|wife|husband|mother|mum|mom|father|dad|son|daughter|boss|coworker|colleague|neighbou?r|others|someone|somebody|people|strangers|infant|newborn|toddler)\b",
        r"\b(?:wants?|wanted|wanting)\s+(?:him|her|them|(?:his|her|their|my)\s+[\w-]+)\s+to\s+(?:feel\s+(?:the\s+)?(?:same\s+)?pain|suffer|pay)\b",
        r"\b(?:snap|lose\s+it|lose\s+control|flip|lash\s+out|crack)\s+and\s+(?:hurt|kill|harm|attack|stab|hit|beat)\s+(?:someone|somebody|people|him|her|them|(?:his|her|their|my|the)\s+\w+)\b",
        r"\b(?:sat|sits|sitting|waited|waiting|parked|stood|standing|lurk\w*|hanging\s+around)\s+outside\s+(?:[\w']+\s+){0,4}?(?:house|home|flat|work|office|place|school)\s+with\s+(?:a|an|his|her)\s+(?:knife|gun|crowbar|bat|hammer|machete|weapon|axe|rifle)\b",
        r"\b(?:like|love|want|wants|wanted|wish|wishes)\s+(?:to\s+)?see\s+(?:\w+\s+){1,8}?dead\b",
        r"\b(?:revenge|payback)\s+(?:on|against)\b|\bget(?:ting)?\s+even\s+with\b",
        r"\b(?:arrested|charged|convicted|jailed|imprisoned|served\s+time|cautioned)\s+for\s+(?:assault\w*|battery|attacking|stabbing|hitting|beating|punching|"
        r"threatening|gbh|abh|domestic\s+violence|murder|attempted\s+murder|manslaughter|wounding|violence)\b|\bassault(?:ed|ing)\s+(?:a|an|his|her|their|the|two|another)\s+(?!\w+'s\b)\w+",
        r"\b(?:would|will|'ll|going\s+to|gonna|wants?\s+to|plans?\s+to|threaten\w*\s+to)\s+\"?take\s+out\"?\s+(?:the\s+|his\s+|her\s+|their\s+|my\s+|all\s+)?(?:coworkers|co-workers|colleagues|boss|people|everyone|everybody|class|classmates|teachers?|neighbou?rs?|family|guy|man|cops?|police)\b",
        r"\b(?:keeps?|kept|carr(?:y|ies|ied)|brought|brings|bought|got|sleeps\s+with)\s+(?:a\s+)?(?:knife|gun|bat|baseball\s+bat|machete|weapon|hammer|crowbar|pistol)\b[^.;]{0,40}"
        r"\b(?:for\s+(?:the\s+guy|the\s+man|the\s+woman|(?:him|her|them)\s+if)|in\s+case\s+(?:he|she|they)\s+(?:shows|comes|turns)|to\s+(?:scare|threaten|use\s+on|hurt|get|intimidate)|use\s+it\s+on)",
        r"\b(?:smash|bash|kick|punch|cave)\w*\s+(?:his|her|their)\s+(?:face|head|teeth|skull)\s+in\b|\bbeat\s+the\s+(?:crap|shit|hell|life)\s+out\s+of\b",
        r"\b(?:going\s+to|gonna|will|'ll|wants?\s+to|threaten\w*\s+to|would)\s+put\s+(?:him|her|them|(?:his|her|their|my|the)\s+\w+)\s+in\s+(?:the\s+)?(?:hospital|a\s+coffin|the\s+ground|the\s+grave|a\s+wheelchair)\b",
        r"\bthreats?\s+(?:to|against)\s+(?:harm|hurt|kill|shoot|stab)?\s*(?:him|her|them|(?:his|her|their|my|the)\s+\w+)\b",
        r"\b(?:shoot|shooting|shot)\s+up\s+(?:the|his|her|their|a|my)\s+(?:old\s+|former\s+)?(?:school|office|work|workplace|church|mosque|synagogue|college|campus|class)\b",
        r"(?<![a-z])h\.?i\s+(?:w/|with|toward|towards|against|directed|re:?|at)\s|(?<=\bno\s)h\.?i\b(?!\.?[a-z])",
    )),
    ("self_harm", (), (
        rf"\b(?:cut|cuts|cutting|burn|burns|burned|burnt|burning|hit|hits|hitting|punch\w*|scratch\w*|bit|bites|biting|bite|bang\w*|slam\w*|"
        rf"pinch\w*|claw\w*|gouge\w*|carv\w+|pull\w*|tear\w*|hurt\w*|stab\w*)\s+(?:at\s+)?(?:into\s+)?(?:the\s+)?{_POSS}\s+(?:own\s+)?(?:\w+\s+)?{_BODY}\b[^.;]{{0,40}}"
        r"\b(?:on\s+purpose|deliberately|intentionally|until\s+(?:it|they|she|he|i)\s+(?:bleeds?|bled|bruise[sd]?|draws?|drew|hurts?)|until\s+(?:it|they)\s+(?:break|broke)|"
        r"to\s+(?:feel|punish|cope|calm|release|stop\s+feeling|get\s+relief)|draws?\s+blood|drew\s+blood|leave\s+marks|left\s+marks|when\s+(?:she|he|i|they)(?:'s|'m|'re|\s+is|\s+was|\s+am|\s+gets?|\s+feels?)\s+(?:\w+\s+)?(?:angry|upset|frustrated|anxious|numb|overwhelmed|stressed|distressed|sad|empty))",
        rf"\b(?:took|takes|taking|used|uses|using|take|use)\s+(?:a|the)\s+(?:razor|blade|knife|lighter|cigarette|compass|scissors|sharpener\s+blade|shard)\s+(?:to|on)\s+{_POSS}\s+(?:\w+\s+)?{_BODY}\b",
        rf"\b(?:{_POSS}\s+)?(?:burn|burns|burned|burnt|burning|cut|cuts|cutting)\s+(?:{_SELF}|{_POSS}\s+{_BODY})\s+with\s+(?:a\s+|the\s+)?(?:cigarettes?|lighters?|matches|razors?|blades?|knife|knives|iron|lighter)\b",
        r"\b(?:cut\w*|scratch\w*|burn\w*|hit\w*|harm\w*|hurt\w*|injur\w*|bit|bites|biting|punch\w*)\s+self\b(?!-|\s+(?:esteem|care|worth|image|talk|doubt|conscious|help|employed)\b)",
        r"\bs\.?i\.?b\b|\bhead[\s-]?bang(?:ing|s)?\b|\bself[\s-]inflicted\b",
        rf"\b(?:dig\w*|dug|jab\w*|press\w*|stick\w*|stuck|push\w*)\s+(?:{_POSS}\s+)?(?:nails|fingernails|a\s+pin|pins|a\s+needle|needles|a\s+pen|a\s+compass|scissors|a\s+blade|glass|a\s+key|keys)\s+into\s+{_POSS}\s+(?:\w+\s+)?{_BODY}\b",
        rf"\b(?:superficial|self-inflicted|fresh|new|healing|linear|recent)\s+(?:cuts|lacerations|burns|scratches|wounds|scars)\b|\b(?:cuts|lacerations)\s+(?:to|on)\s+(?:the\s+)?(?:l|r|left|right|her|his|both|bilateral)\s+(?:\w+\s+)?{_BODY}\b",
        rf"\b(?:{_SUBJ})\s+(?:has\s+|have\s+|had\s+)?(?:used\s+to\s+|started\s+to\s+|began\s+to\s+)?(?:cut|cuts|cutting|self-harmed|self\s+harmed)\s+(?=(?:again|as\s+a|when\s+{_SUBJ}\s+was|in\s+(?:high\s+school|college|her|his|their|my|\d)|at\s+\d|daily|weekly|regularly|every|most|occasionally|sometimes|twice|once|since|last|yesterday|on\s+\w+day)\b)",
        r"(?:(?<=\bdenies\s)|(?<=\bdenied\s)|(?<=\bno\s)|(?<=\bany\s))(?:cutting|burning|self-injury|self-injurious\s+behaviou?r)\b",
        rf"\bpull\w*\s+(?:out\s+)?{_POSS}\s+hair\s+(?:out\s+)?(?:in\s+clumps\s+)?to\s+(?:punish|feel|cope|hurt)",
    )),
    ("abuse", (), (
        rf"\b(?:was|were|been|being|got|gets|is|are|get)\s+(?:\w+ly\s+)?{_VIOLENCE_PP}(?:\s*(?:,|and|or)\s+{_VIOLENCE_PP})*\s+(?:\w+\s+){{0,3}}?by\s+{_ACTOR}\b",
        r"\b(?:kids|children|child|baby|toddler|infant|son|daughter|\d+\s*-?\s*(?:yo|y/o|year[\s-]old)s?)\b[^.;]{0,25}\b(?:left|were\s+left|was\s+left|is\s+left|are\s+left|leaves|leaving)\s+(?:home\s+)?(?:alone|unsupervised|unattended|by\s+(?:themselves|himself|herself))",
        r"\b(?:bruises|bruising|marks|welts|burns|injuries|fingermarks|handprints?)\s+(?:on|to|around)\s+(?:the\s+)?(?:[\w-]+'s\s+)(?:arms?|face|neck|legs?|back|body|wrists?|throat|buttocks|bottom|torso|cheek|ears?)\b",
        rf"\b(?:kids|children|child|son|daughter|\d+\s*-?\s*(?:yo|year[\s-]old))\b[^.;]{{0,40}}\bbruis\w+",
        rf"\b(?:said|says|told\s+(?:her|him|them|me)|threaten\w*|warned)\s+(?:that\s+)?(?:he|she|they)(?:'d|\s+would|\s+will|'ll|\s+was\s+going\s+to|\s+is\s+going\s+to)\s+(?:(?:kill|hurt|beat|harm)\s+(?:her|him|them|me)\b(?!\s+(?:presentation|exam|interview|audition|test|speech|performance|chances|feelings|set|song)\b)|take\s+the\s+(?:kids|children)\b)",
        r"\b(?:keeps?|kept)\s+(?:showing|turning)\s+up\s+(?:at|outside)\b|\btrack(?:s|ed|ing)?\s+(?:her|his|their|my)\s+(?:phone|location|car|movements)\b",
        r"\b(?:won't|will\s+not|doesn't|refuses\s+to|wouldn't)\s+(?:let|give)\s+(?:her|him|them|me)\s+(?:any\s+)?(?:money|access|keys|car\s+keys|phone|passport|bank\s+card)\b",
        r"\b(?:takes|took|taking|keeps|controls|control)\s+(?:all\s+(?:of\s+)?)?(?:her|his|their|my)\s+(?:paycheck|paycheque|wages|salary|benefits|bank\s+card|cards|pension|money)\b",
        r"\b(?:strangled|choked|throttled)\s+(?:her|him|them|me)\b|\bnon-?fatal\s+strangulation\b",
        r"\b(?:sleep|sleeps|slept|stay|stays|stayed|locked|locks|lock|shut|shuts|kneel|kneels|stand|stands)\b[^.;]{0,40}\b(?:shed|cupboard|closet|garage|basement|cellar|outside|corner|bathroom|car|crate|cage|room)\b[^.;]{0,30}\b(?:punish\w*|as\s+a\s+punishment)\b",
        rf"\b(?:{_ACTOR}|he|she|they)\s+(?:\w+\s+)?(?:threw|throws|throwing|hurled|hurls|flung)\s+(?:a|an|the|his|her|their|my)\s+\w+\s+at\s+(?:her|him|them|me|(?:her|his|their|my)\s+(?:head|face|body|chest|back))\b",
        r"\b(?:forc\w+|mak(?:es|ing)|made)\s+(?:her|him|them|me)\s+(?:to\s+)?(?:hand\s+over|give\s+(?:him|her|them)\s+(?:all\s+)?(?:her|his|their|my)|sign\s+over|transfer)\b",
        r"\b(?:burn|set\s+fire\s+to|torch)\s+(?:the|our|her|his|their|my)\s+(?:house|flat|home|car|apartment)\s+(?:down\s+)?with\s+(?:me|her|him|them|us|the\s+kids)\s+(?:still\s+)?in",
    )),
    ("substance_risk", (), (
        rf"\b(?:mix\w*|combin\w*|tak\w+|took|us\w+)\s+(?:(?:her|his|their|my)\s+)?{_DEPRESSANTS}\s+(?:with|and|on\s+top\s+of)\s+(?:\w+\s+)?{_ALCOHOL}\b",
        rf"\b(?:mix\w*|combin\w*)\s+{_ALCOHOL}\s+(?:with|and)\s+(?:(?:her|his|their|my)\s+)?{_DEPRESSANTS}\b|\b{_DEPRESSANTS}\s+(?:with|and)\s+{_ALCOHOL}\b",
        r"\b(?:drink|drinks|drank|drinking|used|using|uses)\s+until\s+(?:she|he|they|i)\s+(?:passe[sd]|pass|black\w*|can't|couldn't|can\s+not|fell|falls|throws?|threw|was\s+sick|vomit\w*|collapse\w*)",
        rf"\b(?:took|taking|takes)\s+(?:a\s+few\s+|some\s+|a\s+handful\s+of\s+|a\s+bunch\s+of\s+)?(?:too\s+many|extra|more)\s+(?:of\s+)?(?:(?:her|his|their|my)\s+)?(?:\w+\s+)?{_DEPRESSANTS}",
        rf"\b(?:{_DEPRESSANTS}|{_ALCOHOL}|drunk|high|wasted|heroin|ketamine)\b[^.;]{{0,50}}\b(?:passed\s+out|unresponsive|couldn't\s+(?:wake|be\s+woken)|wouldn't\s+wake|stopped\s+breathing|turned\s+blue|had\s+to\s+wake)\b",
        r"\b(?:passed\s+out|unresponsive|stopped\s+breathing|turned\s+blue)\b[^.;]{0,40}\b(?:drunk|drinking|drank|alcohol|vodka|pills|xanax|benzos|heroin|fentanyl|high|using)\b",
        r"\b(?:can't|couldn't|don't|doesn't|didn't)\s+remember\s+(?:how\s+(?:she|he|they|i)\s+got\s+home|[^.;]{0,40}\b(?:so|was|too|really)\s+(?:drunk|wasted|high))",
        r"\b(?:so|really|very|extremely|blind|falling[\s-]down|black[\s-]?out)\s+drunk\b",
        r"\bmorning\s+(?:tremors?|shakes|drinks?|drinking)\b|\b(?:neck\w*|chug\w*|swig\w*|knock\w*\s+back)\s+(?:a\s+|the\s+|some\s+)?(?:bottle\s+of\s+)?(?:vodka|whisky|whiskey|gin|rum|wine|beers?|cider|spirits|booze)\b",
        r"\b(?:drink\w*|drank|vodka|booze|beers?|wine|spirits)\b[^.;]{0,20}\bbefore\s+(?:work|school|driving|the\s+school\s+run|noon|breakfast|lunch)\b",
        r"\b\d+(?:\.\d+)?\s*(?:l|litres?|liters?|units|bottles?|cans|pints|drinks|shots)\s+(?:of\s+)?(?!(?:water|fluids?|milk|juice|tea|coffee|squash|soda)\b)(?:\w+\s+)?(?:a\s+|per\s+|every\s+|each\s+|/\s*)?(?:day|daily|night|nightly|evening)\b",
        r"\b(?:to|and|just\s+to)\s+get\s+(?:high|wasted|stoned|smashed|off\s+(?:her|his|my|their)\s+face|out\s+of\s+(?:her|his|my|their)\s+head)\b",
        r"\bdrink[\s-]?driv\w+|\bdrunk[\s-]?driv\w+|\bdrinking\s+and\s+driving\b|\b(?:drank|drinking|drinks|pints|beers|shots)\b[^.;]{0,40}\b(?:and|then)\s+(?:drove|drives|driving|got\s+behind\s+the\s+wheel)\b",
        r"\bseizures?\b[^.;]{0,30}\b(?:coming\s+off|stopp\w+|quit\w*|withdraw\w*|cutting\s+down)\s+(?:the\s+)?(?:alcohol|drinking|booze|benzos|xanax|valium|drink)\b",
        r"\b(?:the\s+)?shakes\b[^.;]{0,40}\b(?:drink|drinks|drinking|alcohol|vodka|booze)\b|\b(?:drink|drinking|vodka|alcohol)\b[^.;]{0,40}\b(?:stop|steady|calm)\s+the\s+shakes\b|\beye[\s-]?opener\b",
        r"\b(?:use|uses|using|used|injects?|injecting|injected)\s+(?:heroin|meth|crystal|cocaine|coke|crack|fentanyl|opioids|opiates|ketamine|drugs|ghb|oxy\w*)\b[^.;]{0,25}\b(?:alone|by\s+(?:her|him|them)self|on\s+(?:her|his|their)\s+own)\b",
        r"\b(?:use|used\s+to\s+use)\s+(?:heroin|meth|methamphetamine|crystal|cocaine|coke|crack|fentanyl|opioids|opiates|ketamine|drugs)\b",
    )),
    ("suicide_attempt", ("actual",), (
        rf"\btried\s+to\s+end\s+it(?:\s+all)?\b(?!\s+(?:with|between)\b)",
        rf"\b(?:hanged|hung)\s+{_SELF}\b",
        r"\b(?:drove|crashed|steered|swerved)\s+(?:(?:her|his|their|my|the)\s+car\s+)?(?:off\s+(?:a|the)\s+(?:road|bridge|cliff)|into\s+(?:a|the|oncoming)\s+\w+)\b[^.;]{0,30}\bon\s+purpose\b",
        rf"\b(?:took|swallowed|taken|ingested)\s+(?:a\s+(?:whole\s+|full\s+)?(?:packet|pack|box|strip|blister\s+pack|tub|jar)s?\s+of\s+|(?:all\s+)?(?:[2-9]\d|1\d|\d{{3}}|twenty|thirty|forty|fifty|sixty|a\s+hundred)\s+(?:of\s+)?)(?:(?:her|his|their|my|the)\s+)?(?:\w+\s+)?{_MEDS}",
        r"\bjumped\s+(?:in\s+front\s+of\s+(?:a|the)\s+(?:bus|train|car|lorry|truck|tram)|(?:off|from)\s+(?:a|the)\s+(?:\w+\s+)?(?:bridge|cliff|roof|balcony|overpass|building|car\s+park))\b",
        r"(?<=\bnever\s)(?:made\s+an?\s+)?attempt(?:s|ed)?\b(?!\s+(?:to|the|a|an|at)\b)",
    )),
    ("access_to_means", ("means",), (
        r"\b(?:there's|there\s+is|there\s+are|there're)\s+(?:a\s+|an\s+|two\s+|some\s+|several\s+)?(?:loaded\s+|hunting\s+)?(?:guns?|shotguns?|rifles?|firearms?|handguns?|pistols?|revolvers?)\b",
        r"\b(?:keeps?|kept|has|have|stores?|stored)\s+(?:a\s+|an\s+|his\s+|her\s+|their\s+)?(?:[\w-]+'s\s+)?(?:loaded\s+|old\s+|hunting\s+)?(?:guns?|shotguns?|rifles?|firearms?|handguns?|pistols?|revolvers?)\s+(?:in|under|at|by|next\s+to)\b",
        r"\b(?:guns?|firearms?|rifles?|shotguns?|handguns?|pistols?|revolvers?)\s+(?:is|are)\s+(?:kept|stored|hidden|left|loaded|still)\s+(?:in|under|at|by|next\s+to|behind)\b",
        rf"\b(?:drawer|cupboard|cabinet|box|bag|bucket|shoebox|tin)\s*(?:full|load)\s+of\s+(?:(?:her|his|their|my|old|unused|leftover)\s+)*(?:{_MEDS}|prescriptions|medicines)\b",
        r"\baccess\s+to\s+(?:pesticides?|weed\s*killer|paraquat|poisons?|cyanide|antifreeze|insecticides?|rat\s+poison)\b",
        r"\b(?:guns?|firearms?|rifles?|shotguns?|weapons?)\s+(?:are\s+|is\s+)?(?:not\s+|un)(?:secured|locked)\b|\bunlocked\s+(?:gun|firearm|rifle|shotgun)s?\b",
        rf"\b(?:supply|stash|stockpile|hoard)\s+of\s+(?:(?:her|his|their|my|the)\s+)?(?:[\w-]+'s\s+)?(?:late\s+\w+'s\s+)?(?:\w+\s+)?{_MEDS}\b",
        r"\baccess\s+to\s+(?:controlled\s+(?:substances|drugs)|(?:the\s+)?(?:drugs|medication)\s+(?:cabinet|cupboard|store))\b",
        rf"\benough\s+(?:\w+\s+)?{_MEDS}\s+(?:saved|stored|at\s+home|put\s+away|to\s+(?:do\s+it|kill|die|end))",
        r"\b(?:revolver|handgun|pistol)\s+(?:in|under)\s+(?:the|her|his|their|my)\s+(?:closet|drawer|nightstand|bedside|glovebox|car|safe|wardrobe)\b",
    )),
)
