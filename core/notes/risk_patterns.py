"""Phrasings of risk and alliance signals, grouped by (kind, qualifiers). Matching logic is in core/safety.py.

Recall comes first: a phrase that is usually a risk is listed even when it is sometimes innocent; the
therapist sees the sentence and judges. Figures of speech that are almost never risks ("killing it at
work", "this traffic is killing me", "dying to see") are kept out by the shape of each pattern.
"""
from __future__ import annotations

from core.notes.risk_frames import FRAME_RULES
from core.notes.risk_suicide import SELF, SUICIDE_RULES

RELATION = (
    r"(?:partner|husband|wife|boyfriend|girlfriend|spouse|ex|ex-husband|ex-wife|ex-boyfriend|ex-girlfriend|"
    r"ex-partner|fianc[eé]e?|father|dad|stepfather|stepdad|mother|mom|mum|stepmother|stepmom|brother|sister|"
    r"uncle|aunt|grandfather|grandmother|grandpa|grandma|parents?|caregiver|carer|son|daughter|roommate|"
    r"coach|teacher|boss|cousin)"
)
PERSON = (
    r"(?:(?:him|her|them)\b(?!self|selves)(?!\s+(?:feelings|chances|career|reputation)\b)"
    r"|(?:his|their|my|your|the|a)\s+(?!(?:own\s+)?(?:feelings|chances|time|career|reputation|mood|"
    r"project|deadline|game|buzz|vibe|plant|plants|lawn|battery|pain|cravings?|urges?|presentation|exam|interview|audition|test|speech|pitch|performance|set|song|workout|race|run|round|match|lines|routine|essay|paper|assignment|time|chances)\b)(?![\w-]+(?:\s+[\w-]+)?'s\s+(?:chances|feelings|reputation|career|prospects)\b)[\w-]+"
    r"|someone|somebody|people|others|everyone|everybody|anyone|anybody)"
)
_HARM_VERB = (
    r"(?:kill|killing|hurt|hurting|harm|harming|stab|stabbing|shoot|shooting|strangle|strangling|beat up|"
    r"beating up|punch|punching|attack|attacking|murder|murdering|poison|poisoning|run over|choke|choking|"
    r"smother|smothering|get back at)"
)
_DRUGS = (
    r"(?:heroin|meth|methamphetamine|crystal meth|cocaine|coke|crack|fentanyl|opioids|opiates|oxy\w*|"
    r"percocets?|vicodin|xanax|benzos|ketamine|molly|mdma|lsd|acid|speed|dope|drugs|pills)"
)
_VIOLENT = (
    r"(?:hits?|hitting|shoves?|shoved|shoving|push(?:es|ed|ing)?|slap(?:s|ped|ping)?|punch(?:es|ed|ing)?|kick(?:s|ed|ing)?|"
    r"chok(?:es|ed|ing)|strangl\w+|beats?|beating|beat\s+up|smack\w*|whip\w*|burn(?:s|ed|t)|threw\s+(?:\w+\s+){1,2}at|"
    r"throws\s+\w+\s+at|rap(?:es|ed)|hurts?|hurting|harm(?:s|ed)?|"
    r"threaten(?:s|ed|ing)?\s+to\s+(?:kill|hurt|harm|beat|shoot|stab))"
)
_VICTIM = (
    rf"(?:(?:his|her|their|my)\s+(?:(?:little|younger|older|baby|step|two|three|new)\s+)?(?:{RELATION}|kids?|children|child|"
    r"baby|siblings?|stepkids|pets?|dog|cat)|her(?!\s+(?:limit|limits|best|record|stride|hours|goals?|target|deadline|time|"
    r"turn|feelings|buttons|chances|career|nerves|patience|luck|mark|peak|phone|car|shift|schedule|own|share|way|quota|"
    r"max|breaking\s+point)\b)|him|them|me|the\s+(?:kids|children|baby))\b(?!self)"
    r"(?!\s+(?:away|off|out|buttons)\b|\s+to\s+(?!(?:the|a|her|his|their|my)\b)\w|\s+into\s+\w+ing\b)"
    r"(?!(?:\s+\w+)?\s+at\s+(?:chess|cards|tennis|golf|games?|\w+ball|pool|darts|poker)\b)"
)
# what one "kills" or "murders" on a good day
_PERFORMANCE = (
    r"(?:presentation|exam|interview|audition|test|speech|pitch|performance|set|song|workout|race|round|match|lines|"
    r"routine|essay|paper|assignment|solo|gig|show|karaoke|recital|shift|game|chances)"
)
_NUMBER_WORD = r"(?:\d+|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|several|many|multiple|a dozen)"

# (kind, qualifiers, patterns)
RISK_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    *SUICIDE_RULES,
    *FRAME_RULES,
    ("self_harm", (), (
        r"\bnssi\b|\bsh\s+(?:urges|thoughts|behaviou?rs?|episodes?)\b|\burges?\s+to\s+sh\b",
        r"\bpunch(?:es|ed|ing)?\s+(?:the\s+|a\s+)?walls?\s+(?:until|till|to\s+feel|so\s+hard)",
        r"\bscratch(?:es|ed|ing)?\s+(?:at\s+)?(?:her|his|their|my)\s+(?:arms?|legs?|skin|face|wrists?|thighs?)\s+(?:until|till|raw)",
        r"\bself[\s-]?(?:harm\w*|injur\w*|mutilat\w*|inflicted)\b",
        rf"\b(?:cut|cuts|cutting|burn|burns|burned|burnt|burning|hit|hits|hitting|punch|punches|punched|punching|scratch|scratches|scratched|scratching|bite|bites|biting|stab|stabs|stabbed|stabbing|harm|harms|harmed|harming|hurt|hurts|hurting|injure|injures|injured|injuring|starve|starves|starving|starved|choke|choking|strangle|strangling|punish|punishing)\s+{SELF}(?!\s+(?:while|playing|at\s+(?:work|the\s+gym|practice|training)|in\s+(?:a|the)\s+(?:fall|accident|crash|game|match|kitchen|garden)|by\s+accident|accidentally|on\s+(?:a|the)\s+(?!purpose)\w+|falling|slipping|tripping|lifting|running|skiing|cooking|chopping|shaving|working|training|climbing|cycling|skating|moving|(?:\w+\s+)?(?:off|over|down)\s+(?:a|the|his|her)\b)\b)",
        r"\bcutting\s+(?:again|on\s+(?:her|his|their|my)\s+\w+)\b",
        rf"\b(?:hasn't|has\s+not|haven't|have\s+not|hadn't|not)\s+(?:cut|self-harmed|burned|hurt\s+{SELF}|harmed\s+{SELF})\s+(?:in|for|since)\b",
        r"\b(?:been|started|starting|start|stopped|keeps?|kept|urges?\s+to|urge\s+to|wants?\s+to|relapsed\s+(?:on|into|with)|back\s+to|history\s+of|hx\s+of|resumed|admitted\s+to|admits\s+to)\s+cut(?:ting)?\b(?!\s+(?:back|down|out|off|up|class|classes|school|corners|ties|costs|carbs|sugar|hair|grass|wood|in\s+(?:line|half|front|on)|through|the|it|them|him|that|this|a|an|his|her\s+(?:hair|nails|food)|my|their|our|ties|loose|short|contact)\b)",
        r"\bcut(?:s|ting)?\s+(?:on\s+)?(?:her|his|their|my|your)\s+(?:arms?|wrists?|legs?|thighs?|skin|stomach|body|forearms?|hips?|belly)\b",
        r"\bburn(?:s|ing|ed|t)?\s+(?:(?:her|his|their|my)\s+)?(?:arms?|wrists?|legs?|thighs?|skin)\s+(?:with|on purpose)\b",
        r"\b(?:fresh|new|recent|healing)\s+(?:cuts|scars|burns|wounds|self[\s-]harm)\b|\b(?:cuts|scars|burns)\s+on\s+(?:her|his|their|my)\s+(?:arms?|wrists?|legs?|thighs?|stomach)\b",
        r"\b(?:bang|bangs|banging|banged|hit|hits|hitting)\s+(?:her|his|their|my)\s+head\s+(?:against|on|into)\b",
        r"\bcarv(?:e|es|ed|ing)\s+(?:into\s+)?(?:her|his|their|my)\s+(?:skin|arms?|legs?)\b",
        r"\bpick(?:s|ing|ed)?\s+(?:at\s+)?(?:her|his|their|my)\s+skin\s+until\s+(?:it|she|he|they)\s+(?:bleeds?|bled)\b",
    )),
    ("harm_to_others", ("command hallucinations",), (
        rf"\bvoices?\s+(?:(?!not\b|never\b)\w+\s+){{0,3}}(?:telling|tell|tells|told|commanding|command|ordering)\s+(?:her|him|them|me)\s+to\s+{_HARM_VERB}\s+(?!{SELF})",
        rf"\bcommand\s+hallucinations?\s+(?:\w+\s+){{0,2}}to\s+{_HARM_VERB}\s+(?!{SELF})",
    )),
    ("harm_to_others", (), (
        r"\bbeat(?:ing)?\s+(?:\w+\s+){1,3}to\s+death\b",
        r"\bhomicid\w*\b|\bs\.?i\s*(?:/|and|or|,)\s*h\.?i\b|\b(?:denies|denied|endorses|endorsed|reports)\s+h\.?i\b",
        rf"\b(?:want|wants|wanted|wanting|going|gonna|plan|plans|planned|planning|intend|intends|intended|urges?|urge|threaten(?:s|ed|ing)?|tempted|ready)\s+to\s+{_HARM_VERB}\s+{PERSON}",
        rf"\b(?:thinking|thinks|thought|thoughts|fantasies|dreams?|dreaming)\s+(?:about|of)\s+{_HARM_VERB}\s+{PERSON}",
        rf"\b(?:fantasi[sz](?:e|es|ed|ing)|imagin(?:e|es|ed|ing))\s+(?:about\s+)?{_HARM_VERB}\s+{PERSON}",
        rf"\b(?:kill|murder|stab|shoot|strangle)\s+(?:him|her|them|(?:his|her|their|my)\s+(?!{_PERFORMANCE}\b)\w+|someone|somebody|people|everyone|everybody|anybody|anyone)\b(?!self)(?!\s+{_PERFORMANCE}\b)",
        r"\b(?:violent|homicidal|aggressive|murderous)\s+(?:thoughts|urges|fantasies|impulses|ideation)\b",
        r"\brevenge\s+fantas\w+|\b(?:plot\w*|plan\w*|get|getting|seek\w*)\s+revenge\b|\bmake\s+(?:him|her|them|(?:his|her|their|my)\s+\w+)\s+pay\b",
        r"\b(?:shoot\s+up|bomb|blow\s+up)\s+(?:the|his|her|their|a)\s+(?:school|office|work|workplace|church|mosque|synagogue|place|building)\b",
        r"\bthreaten(?:s|ed|ing)?\s+\w+(?:\s+\w+)?\s+with\s+a\s+(?:knife|gun|weapon|bat|hammer)\b",
    )),
    ("access_to_means", ("means",), (
        r"\bowns?\s+(?:a|an|several|two|three|\d+|many|multiple|some)?\s*(?:hunting\s+)?(?:guns?|rifles?|shotguns?|pistols?|handguns?|firearms?)\b",
        r"\baccess\s+to\s+(?:(?:her|his|their|my|the|a)\s+)?(?:[\w-]+'s?\s+)?(?:\w+\s+)?(?:rifles?|shotguns?|pistols?|handguns?)\b",
        r"\b(?:keeps?|kept|has|have|carries|sleeps\s+with)\s+(?:a\s+)?(?:knife|knives|blade|blades|razor|razors)\s+(?:under|in|by|next\s+to)\b",
        r"\bstill\s+(?:has|have|had|keeps)\s+(?:the|a|her|his)\s+(?:rope|noose|gun|pills|belt)\b",
        r"\b(?:supply|stash|stockpile|bottles?|months?|weeks?)\s+(?:worth\s+)?of\s+(?:[\w']+\s+){0,3}(?:pills|meds|medications?|tablets|"
        r"morphine|opioids|oxycodone|fentanyl|lithium|insulin|painkillers|sleeping\s+pills)\b",
        r"\b(?:bought|buys|buying|buy|purchased|purchasing|got|getting|has|have|had|owns|own|keeps|keep|carrying|carries|carry|access\s+to|hiding|hid|hidden|loaded|cleaning)\s+(?:a\s+|an\s+|his\s+|her\s+|their\s+|the\s+|my\s+)?(?:new\s+)?(?:gun|guns|firearms?|rifles?|pistols?|handguns?|shotguns?|weapons?|ammo|ammunition|bullets)\b",
        r"\b(?:guns?|firearms?|weapons?)\s+(?:in|at)\s+(?:the\s+)?(?:home|house|apartment)\b",
        r"\bstockpil\w+\b",
        r"\b(?:saving|saved|saves|hoarding|hoarded|collecting|collected|stashing|stashed|keeping)\s+(?:up\s+)?(?:her|his|their|my)?\s*(?:old\s+)?(?:pills|meds|medications?|tablets|sleeping pills|painkillers|pain pills)\b",
        r"\baccess\s+to\s+(?:(?:her|his|their|my|the|a)\s+)?(?:[\w-]+'s?\s+)?(?:\w+\s+)?(?:pills|medications?|meds|lethal\s+means|means|guns?|firearms?|weapons?)\b",
        r"\b(?:bought|buying|got|has)\s+(?:a\s+)?rope\b(?!\s+(?:for\s+(?:the|a|his|her)\s+(?:boat|tent|garden|climbing|camping|swing|dog|move|kayak|canoe|course|washing)|to\s+(?:tie|secure|lash|tow|fix|moor|hang\s+(?:the\s+)?(?:washing|laundry|hammock|swing)))\b)|\bnoose\b",
        r"\b(?:has|have|had|keeps?|kept|got|still\s+has)\s+(?:(?:her|his|their|my|the|a|some|all)\s+)?(?:(?:late|dead|deceased|old|former)\s+)?(?:[\w-]+'s\s+)?(?:old\s+|leftover\s+|spare\s+|sleeping\s+|pain\s+)?(?:pills|tablets|medications?|meds|painkillers|opioids|oxycodone|morphine|fentanyl|lithium|insulin|sleeping\s+pills)\s+(?:at\s+home|in\s+the\s+(?:house|flat|apartment|home|bathroom|cabinet|drawer)|in\s+(?:her|his|their|my)\s+(?:room|house|flat|apartment|car|drawer|bag|bedroom|cabinet))\b",
    )),
    ("abuse", (), (
        r"\b(?:dv|ipv|cps|dcfs)\b",
        rf"\b(?:{RELATION}|carer|caregiver)\b(?:\s+\w+){{0,3}}?\s+(?:checks|controls|monitors|tracks|reads|goes\s+through|takes|took|steals|stole|keeps)\s+"
        r"(?:all\s+)?(?:of\s+)?(?:her|his|their|the|my)\s+(?:phone|money|finances|bank\w*|location|messages|texts|emails|pension|benefits|savings|car\s+keys|keys|passport)\b",
        r"\bthreaten(?:s|ed|ing)?\s+to\s+(?:take|keep|hurt)\s+(?:the|her|his|their)\s+(?:kids|children|baby|son|daughter)\b",
        r"\bbruis\w+\s+(?:that\s+)?(?:she|he|they)\s+(?:can't|cannot|couldn't|can\s+not|won't)\s+explain\b",
        r"\bforc(?:es|ed|ing)\s+(?:her|him|them|me)\s+(?:to\s+have\s+sex|into\s+sex|to\s+do\s+sexual)",
        rf"\b(?:{RELATION}|he|she|neighbou?r|teacher|coach)\b(?:\s+\w+){{0,2}}?\s+(?:touched|fondled|groped)\s+(?:her|him|them|me)\b"
        r"(?!\s+(?:on\s+the\s+)?(?:shoulder|arm|hand|back|hair|face)\b)",
        r"(?<!substance )(?<!alcohol )(?<!drug )(?<!drugs )(?<!opioid )(?<!opiate )(?<!cannabis )(?<!marijuana )"
        r"(?<!cocaine )(?<!stimulant )(?<!polysubstance )(?<!prescription )(?<!self-)(?<!self )(?<!laxative )"
        r"(?<!benzo )(?<!alcohol and )(?<!inhalant )\babus(?:e|ed|es|ing|ive|er|ers)\b"
        r"(?!\s+of\s+(?:alcohol|drugs?|substances?|opioids|prescriptions?|pain\s*killers|medications?|laxatives|power|the\s+system))",
        r"\b(?:domestic|intimate\s+partner|family|dating)\s+violence\b|\bcoercive\s+control\b",
        r"\b(?:restraining|protective|protection)\s+order\b",
        rf"\b(?:afraid|scared|terrified|frightened|fearful)\s+of\s+(?:her|his|their|my)\s+{RELATION}\b|\b(?:afraid|scared|terrified)\s+to\s+go\s+home\b",
        rf"\b(?:{RELATION}|he|she|they)\b(?:\s+\w+){{0,3}}?\s+{_VIOLENT}\s+{_VICTIM}",
        rf"\b(?:{RELATION}|he|she|they)\b(?:\s+\w+){{0,3}}?\s+(?:locks?|locked|pins?|pinned|grab(?:s|bed)|shook|shakes|bit|bites|drags?|dragged)\s+(?:her|him|them|me)\s+(?:in|out|down|against|by\s+the|into|up|until|so\s+hard)\b",
        r"\b(?:hits|hit|hitting|beats|beat|beating|slaps|slapped|shoves|shoved|shakes|shook|kicks|kicked)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:kids|children|child|baby|toddler|son|daughter|stepson|stepdaughter)\b",
        r"\bchild\s+protective\b|\badult\s+protective\b|\bmandated\s+report\w*",
        r"\b(?:made|filed|file|make|making|filing)\s+a\s+(?:CPS\s+|child\s+abuse\s+|protective\s+services\s+)?report\s+(?:to|with)\b",
        r"\bmolest\w*|\bsexual(?:ly)?\s+(?:abus\w+|assault\w*|touch\w*|exploit\w*)|\brap(?:e|ed|ing|ist)\b|\bsexual\s+violence\b",
        r"\btouch(?:ed|es|ing)\s+(?:\w+\s+){1,3}?inappropriately\b|\binappropriate(?:ly)?\s+touch\w*",
        r"\bneglect\w*\s+(?:the|her|his|their)\s+(?:kids|children|child|baby|son|daughter|mother|father|parents?|grandmother|grandfather)\b|\b(?:child|elder)\s+neglect\b",
        r"\b(?:left|leaves|leaving)\s+(?:the|her|his|their)\s+(?:kids|children|baby|toddler|\d+[- ]year[- ]old)\s+(?:alone|home alone|unattended|unsupervised)\b",
        r"\b(?:unexplained|suspicious|unusual)\s+(?:bruis\w+|marks|injuries|burns)|\bblack\s+eye\b|\bwelts\b",
        r"\b(?:bruises|bruising|marks|burns)\s+(?:on|around)\s+(?:her|his|their|my)\s+(?:arms?|face|neck|legs?|back|body|wrists?|throat)\b",
        r"\b(?:taking|took|stealing|stole|steals|takes)\s+(?:his|her|their)\s+(?:mother's|father's|grandmother's|grandfather's|parents'|mom's|dad's|grandma's|grandpa's)\s+(?:money|pension|savings|medications?|meds|checks?)\b",
        r"\bwon't\s+let\s+(?:her|him|them)\s+(?:leave|see|go\s+out|have|use|work|talk|call)\b|\b(?:controls|monitors|tracks)\s+(?:her|his|their)\s+(?:phone|money|finances|location|messages)\b",
        r"\bfollow(?:s|ed|ing)?\s+(?:her|him|them)\s+(?:home|to\s+work|everywhere|around)\b|\bstalk(?:s|ed|ing|er)\b|\btraffick\w*",
    )),
    ("substance_risk", ("relapse",), (
        r"\brelaps(?:e|es|ed|ing)\b|\b(?:fell|fallen|falling)\s+off\s+the\s+wagon\b|\b(?:lost|broke|broken|ended)\s+(?:her|his|their|my)\s+sobriety\b",
        rf"\b(?:using|used|drinking|drank)\s+again\b|\bback\s+to\s+(?:using|drinking)\b|\bback\s+on\s+(?:the\s+)?(?:{_DRUGS}|booze|bottle|alcohol)\b",
    )),
    ("substance_risk", ("overdose",), (
        r"\boverdos(?:e|ed|es|ing)\b|\bod'?(?:d|ing)\b|\b(?:narcan|naloxone)\b",
    )),
    ("substance_risk", (), (
        # a screening answer: only ever matched as a denial ("denies alcohol or drug use")
        r"(?:(?<=\bno\s)|(?<=\bdenies\s)|(?<=\bdenied\s)|(?<=\bany\s))(?:alcohol|drug|substance|etoh|illicit\s+drug)(?:\s+(?:or|and|/)\s+(?:drug|alcohol|substance))?\s+(?:use|abuse|misuse)\b",
        r"\b(?:drinking|drinks|drank|drunk)\s+(?:very\s+|really\s+)?(?:heavily|heavy|a lot(?!\s+(?:better|of\s+(?:\w+\s+)?(?:water|fluids?|juice|milk|tea|coffee|squash|soda)))|way too much|too much|more(?!\s+(?:water|fluids|coffee|tea))|daily|every\s+(?:day|night|morning)|each\s+(?:day|night)|alone|in\s+the\s+mornings?|to\s+(?:cope|numb|sleep|forget|get\s+through|calm))\b",
        r"\bbing(?:e|ed|ing|eing)\s+(?:drink\w*|drank)\b|\bbinge\s+drinking\b|\bblack(?:ed|ing|s)?\s+out\b|\bblackouts?\b",
        rf"\b{_NUMBER_WORD}\s+(?:or\s+(?:more|\w+)\s+)?(?:drinks|beers|glasses\s+of\s+wine|shots|bottles\s+of\s+wine|cans|pints)\s+(?:a|per|every|each)\s+(?:day|night|evening)\b",
        r"\ba\s+(?:bottle|fifth|handle|pint|six-pack|case)\s+of\s+\w+\s+(?:a|per|every|each)\s+(?:day|night)\b",
        r"\b(?:more|extra)\s+(?:\w+\s+)?than\s+prescribed\b|\bmisus(?:e|es|ed|ing)\s+(?:(?:her|his|their|my)\s+)?(?:meds|medications?|pills|prescriptions?|painkillers|xanax|adderall)",
        r"\b(?:using|used|uses|shooting\s+up|snorting|smoking|injecting|doing|did|started|tried|trying|buying|bought)\s+(?:heroin|meth|methamphetamine|crystal|cocaine|coke|crack|fentanyl|opioids|opiates|oxy\w*|xanax|benzos|ketamine|molly|mdma|drugs)\b",
        r"\b(?:heroin|fentanyl|methamphetamine|crystal\s+meth|crack\s+cocaine|IV\s+drugs?)\b",
        r"\b(?:smoking|using)\s+(?:weed|pot|marijuana|cannabis)\s+(?:every\s+day|daily|all\s+day|heavily|again|more)\b",
        r"\b(?:drive|drives|driving|driven|drove)\s+(?:home\s+)?(?:drunk|high|intoxicated|under\s+the\s+influence|after\s+drinking)\b|\bdrunk\s+driving\b",
        r"(?<!social )\bwithdrawal\s+(?:symptoms|seizures?|shakes|tremors)\b|\bseizures?\s+from\s+(?:alcohol\s+|benzo\s+)?withdrawal\b|\bdetox\b|\bdelirium\s+tremens\b",
        r"\bmix(?:es|ed|ing)\s+(?:alcohol|drinking|booze|pills|benzos|xanax|opioids)\s+(?:with|and)\b",
        r"\b(?:alcoholic|alcoholism|alcohol\s+use\s+disorder|opioid\s+use\s+disorder|substance\s+use\s+disorder|drinking\s+problem|drug\s+problem)\b",
    )),
    ("psychosis", (), (
        r"\bhear(?:s|d|ing)?\s+(?:a\s+)?(?:voices?|whispers|things\s+(?:that|other)|someone\s+(?:talking|calling)\s+when)\b",
        r"\bvoices?\s+(?:telling|tell|tells|told|saying|say|says|said|that\s+(?:tell|told|say)|commanding|command|ordering|in\s+(?:her|his|their|my)\s+head)\b",
        r"\b(?:the\s+)?voices\s+(?:are|were|came|have\s+been|got)\s+(?:back|louder|worse|getting|telling|saying|coming)\b",
        r"\bcommand\s+hallucinations?\b|\bhallucinat\w+",
        r"\bsee(?:s|ing)?\s+(?:things|people|shadows|figures|faces)\s+(?:that\s+)?(?:other\s+people\s+)?(?:aren't|are\s+not|weren't|were\s+not|nobody\s+else|no\s+one\s+else)\b",
        r"\bparanoi(?:a|d)\b|\bdelusion\w*|\bpsychos[ie]s\b|\bpsychotic\b",
        r"\b(?:thinks|believes|convinced|sure|feels)\s+(?:that\s+)?(?:people|someone|they|strangers|everyone|the\s+(?:neighbou?rs|government|police|fbi|cia)|(?:her|his)\s+(?:neighbou?rs|coworkers|co-workers|family))\s+(?:are|is|were|was)\s+(?:watching|following|spying|after|poisoning|tracking|monitoring|recording|plotting|reading\s+(?:her|his)\s+(?:mind|thoughts)|talking\s+about\s+(?:her|him)|out\s+to\s+get)\b",
        r"\bthought\s+(?:broadcasting|insertion)\b|\b(?:tv|television|radio)\s+(?:is|was)\s+(?:sending|talking\s+to|giving)\b",
    )),
    ("mania", (), (
        r"\bmanic\b|\bmania\b|\b(?:hasn't|has\s+not|haven't|hadn't)\s+slept\s+(?:in|for)\s+(?:days|(?:\d+|two|three|four|five|six|seven|a\s+few|several|a\s+couple\s+of)\s+days)\b",
    )),
    ("eating_disorder", (), (
        r"\bpurg(?:e|es|ed|ing)\b",
        rf"\b(?:make|makes|made|making)\s+{SELF}\s+(?:throw\s+up|vomit|sick)\b",
        r"\b(?:vomit(?:s|ed|ing)?|throw(?:s|ing)?\s+up|threw\s+up)\s+(?:after\s+(?:meals|eating|dinner|lunch|breakfast)|on\s+purpose)\b|\b(?:skipping|skips|skipped)\s+meals\b",
        r"\bthrow(?:s|ing)?\s+up\s+after\s+(?:meals|eating|dinner|lunch|breakfast|she\s+eats|he\s+eats)\b|\bself[\s-]induced\s+vomiting\b",
        r"\brestrict(?:s|ed|ing)?\s+(?:(?:her|his|their|my)\s+)?(?:food|eating|intake|calories|meals|diet)\b",
        r"\bbing(?:e|es|ed|ing|eing)\s+(?:and\s+purg\w+|eat\w*|on\s+food)\b|\bbinge[\s-]eating\b",
        r"\blaxatives?\b|\bdiet\s+pills\b|\banorexi\w+|\bbulimi\w+|\beating\s+disorder\b",
        r"\bcounting\s+(?:every\s+)?calories\b|\bfear\s+of\s+(?:gaining\s+weight|weight\s+gain)\b",
        r"\bexercis\w+\s+(?:compulsively|excessively|to\s+burn\s+off)\b",
    )),
    ("medical", (), (
        r"\b(?:fainted|fainting|faints|passed\s+out|passing\s+out|lost\s+consciousness)\b|\bseizures?\b|\bchest\s+pains?\b",
        r"\b(?:hasn't|has\s+not|haven't|didn't)\s+eaten\s+(?:in|for)\s+(?:days|(?:\d+|two|three|four|five|six|seven|a\s+few|several|a\s+couple\s+of)\s+days)\b|\b(?:stopped|barely|hardly)\s+eating\b",
    )),
    ("medical", ("medication",), (
        r"\b(?:stopped|stop|stopping|quit|quitting|went\s+off|going\s+off|came\s+off|coming\s+off|off|not\s+taking|isn't\s+taking|hasn't\s+been\s+taking|ran\s+out\s+of|skipping|refusing)\s+(?:taking\s+)?(?:(?:her|his|their|my|the)\s+)?(?:meds|medications?|lithium|antipsychotics?|antidepressants?|insulin|seroquel|zyprexa|abilify|lamictal|depakote|clozapine|risperdal)\b",
    )),
)

# Acronyms and names, matched case-sensitively on the original text (the rules above run on lower case).
CASED_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("ideation", (), (r"\bS\.?I\.?\b",)),
    ("self_harm", (), (r"\bNSSI\b",)),
    ("harm_to_others", (), (
        r"\bHI\b",
        rf"(?i:\b(?:want|wants|wanted|wanting|going|gonna|plan|plans|planning|threaten(?:s|ed|ing)?|urges?)\s+to\s+{_HARM_VERB}\s+)[A-Z][a-z]+",
        rf"(?i:\b(?:thinking|thinks|thought|thoughts|fantasies|fantasi[sz](?:e|es|ed|ing))\s+(?:about|of)\s+{_HARM_VERB}\s+)[A-Z][a-z]+",
    )),
    ("abuse", (), (r"\b(?:DV|IPV|CPS|DCFS|APS|DCF|ACS)\b",)),
    ("substance_risk", ("overdose",), (r"\bOD\b",)),
    ("substance_risk", (), (r"\b(?:DUI|DWI|OWI|DTs)\b",)),
    ("psychosis", (), (r"\b(?:AVH|A/VH)\b",)),
    ("eating_disorder", (), (r"\bARFID\b",)),
)

# Sentence-level qualifiers for ideation and means: (pattern, qualifiers it adds)
QUALIFIER_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bno\s+(?:\w+\s+)?plans?\s*(?:,|or|and|/|nor)\s*(?:no\s+)?intent", ("no plan", "no intent")),
    (r"\bno\s+(?:\w+\s+)?intent\w*\s*(?:,|or|and|/|nor)\s*(?:no\s+)?plans?\b", ("no plan", "no intent")),
    (r"\b(?:no|denie[sd]|without|doesn't have|does not have|didn't have|hasn't made|has not made|not\s+have)\s+(?:a\s+|any\s+)?(?:specific\s+|current\s+|clear\s+|concrete\s+|active\s+)?plans?\b", ("no plan",)),
    (r"\b(?:no|denie[sd]|without|doesn't have|does not have|didn't have|not)\s+(?:any\s+)?(?:current\s+|suicidal\s+|homicidal\s+|active\s+)?(?:intent|intention|intentions)\b|\bno\s+intention\s+of\b", ("no intent",)),
    (r"(?<!safety )(?<!treatment )(?<!care )(?<!crisis )(?<!the )(?<!no )\b(?:a|specific|detailed|concrete|clear|with|made|making|has|had)\s+(?:a\s+)?(?:specific\s+|detailed\s+|concrete\s+|clear\s+)?plan\b(?!\s+for\s+(?:next|the\s+next|treatment|the\s+week|today))", ("plan",)),
    (r"\bplanning\s+to\s+(?:kill|end|die|overdose|jump|hang|shoot|hurt)\b|\b(?:researching|researched|looked\s+up|googled)\s+(?:ways|how)\s+to\b", ("plan",)),
    (r"(?<!no )(?<!without )(?<!any )\b(?:intent|intends|intending)\b", ("intent",)),
    (r"\b(?:no|denie[sd]|without)\s+(?:access\s+to\s+)?(?:guns?|firearms?|weapons?|means|lethal\s+means)\b", ("no access to means",)),
    (r"\bpassive(?:ly)?\b", ("passive",)),
    (r"\bactive(?:ly)?\s+(?:SI|suicidal|thoughts|ideation|plan)", ("active",)),
    (r"\b(?:tonight|this\s+weekend|today|imminent)\b", ("timeframe",)),
    (r"\b(?:overdos\w+|od|hang\w*|jump\w*|guns?|firearms?|pills|tablets|bridge|wrists|drown\w*|shoot\w*|rope|noose|train|"
     r"insulin|knife|razor|crash\w*)\b", ("method",)),
)
ABUSE_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (r"\b(?:child|children|kids?|son|daughter|baby|toddler|minor|stepson|stepdaughter|school|boy|girl|teen|CPS|DCFS)\b", "child"),
    (r"\b(?:elder|elderly|grandmother|grandfather|grandma|grandpa|aging\s+(?:mother|father|parents?)|APS|nursing\s+home)\b", "elder"),
    (r"\b(?:partner|husband|wife|boyfriend|girlfriend|spouse|ex|fianc\w+|domestic|DV|IPV|coercive)\b", "domestic violence"),
    (r"\b(?:sexual\w*|rap(?:e|ed|ing|ist)|molest\w*|inappropriately)\b", "sexual"),
)
COMMAND_HALLUCINATION = r"\bcommand\s+hallucinations?\b|\bvoices?\s+(?:\w+\s+)?(?:telling|tell|tells|told|commanding|ordering)\s+(?:her|him|them|me)\s+to\b"

# Negation and time: which match is a screening result (denied) or part of the history.
NEGATION = (
    r"\b(?:denie[sd]|deny|denying|negative\s+for|free\s+of|absence\s+of|ruled?\s+out|rules\s+out|never|without|nor|none)\b"
    r"|\bno\b(?!\s+(?:one|longer|matter|doubt|idea|way|reason|point)\b)"
    r"|\bnot\b(?!\s+(?:sure|only|just|long|quite|until)\b)"
    r"|n't\b(?!\s+(?:stop|help|know|understand|remember|explain|tell|mind|matter|seem\s+to\s+stop)\b)"
)
DENY_VERB = r"\b(?:denie[sd]|deny|denying|negative\s+for|ruled?\s+out)\b"
POST_NEGATION = (
    r"^(?:\s*(?:/|,|and|or|&)?\s*(?:ideation|thoughts?|urges?|SI|HI|AVH|self-harm|harm|homicidal|suicidal|"
    r"behaviou?rs?|or|and|any|hallucinations?|intent|plan)\b){0,4}\s*(?::|-|—|were|was|is|are|has\s+been|have\s+been)?\s*"
    r"(?:denied|negative|absent|none|not\s+present|not\s+endorsed|not\s+reported|ruled\s+out|no(?=\s*(?:[.,;]|$)))"
)
SCOPE_BREAKERS = (
    r"\b(?:but|however|though|although|yet|except|reports?|reported|"
    r"endorses|endorsed|endorsing|admits|admitted|acknowledges|acknowledged|states|stated|says|said|describes|"
    r"described|mentions|mentioned|because|since|when|while|after|until|then|also|"
    r"sure|stop|help|know)\b"
)
PLAN_WORDS = r"\b(?:plan|plans|planning|intent|intention|intentions|means|access)\b"
LIST_WORDS = {
    "si", "hi", "avh", "a", "vh", "suicidal", "homicidal", "ideation", "ideations", "thoughts", "thought", "self",
    "harm", "self-harm", "and", "or", "any", "current", "active", "passive", "urges", "hallucinations", "plan",
    "intent", "of", "to", "others", "herself", "himself", "themselves", "ah", "vh", "sib", "nssi", "recent",
}
HISTORICAL = (
    r"\b(?:history\s+of|hx\s+of|h/o|in\s+the\s+past|past\s+(?:attempts?|history|suicide|self[\s-]harm|episodes?|hospitali[sz]ations?)|"
    r"previous(?:ly)?|prior|years\s+ago|(?:a|one|two|three|four|five|several|many|\d+)\s+(?:years?|decades?)\s+ago|"
    r"as\s+a\s+(?:teen|teenager|child|kid|boy|girl|minor|student|adolescent|young\s+(?:adult|woman|man))|in\s+(?:adolescence|childhood|(?:her|his|their|my)\s+(?:youth|twenties|thirties|teens|teenage\s+years))|ages?\s+\d{1,2}\s*(?:-|–|to)\s*\d{1,2}|"
    r"when\s+(?:she|he|they|I)\s+(?:was|were)\s+(?:younger|a\s+(?:teen|teenager|child|kid)|in\s+(?:high\s+school|college|middle\s+school)|\d+)|"
    r"in\s+(?:high\s+school|college|middle\s+school|her\s+teens|his\s+teens|their\s+teens|(?:19|20)\d\d)|back\s+in|used\s+to|"
    r"growing\s+up|childhood|once\s+before|twice\s+before|(?:two|three|four|\d)\s+times\s+before|last\s+year|at\s+(?:age\s+|the\s+age\s+of\s+)?\d{1,2}\b(?!\s*(?:am|pm|o'clock|:)))\b"
)
# "hasn't hurt herself in months": a past behaviour, not a denial.
SINCE = (
    r"\b(?:in|for)\s+(?:quite\s+)?(?:a\s+(?:long\s+)?while|(?:over\s+)?(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"twelve|eighteen|several|many|a\s+few|a\s+couple\s+of)\s+(?:weeks|months|years|month|year))\b|\bsince\s+(?:(?:last|early|late)\s+)?"
    r"(?:(?:19|20)\d\d|summer|spring|winter|fall|autumn|christmas|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|(?:she|he|they)\s+was|(?:her|his|their)\s+\w+)\b"
)
CURRENT = (
    r"\b(?:again|currently|current|recently|recent|now|lately|this\s+(?:week|weekend|morning|month|past\s+week)|"
    r"last\s+(?:week|night|weekend)|yesterday|today|tonight|since\s+(?:our|the|her|his|last)\s+(?:last\s+)?session|"
    r"past\s+(?:week|few\s+days|couple|month|two\s+weeks)|ongoing|still|has\s+been|have\s+been|started|resumed|"
    r"is\s+\w+ing|are\s+\w+ing)\b"
)
THIRD_PARTY = (
    rf"\b(?:her|his|their|my|a|the)\s+(?:(?:best|close|older|younger|late|ex|former|childhood)\s+)?(?:{RELATION}|friend|classmate|"
    r"coworker|co-worker|colleague|neighbou?r|client|patient|peer|bandmate)\b[^,;.]{0,40}$"
)
POSSESSIVE_THIRD = (
    rf"\b(?:her|his|their|my|a)\s+(?:(?:best|close|older|younger|late|ex|former)\s+)?(?:{RELATION}|friend|classmate|"
    r"coworker|co-worker|colleague|neighbou?r)'s\s+(?:own\s+|recent\s+|sudden\s+)*$"
)
EXPOSURE_MATCH = r"\b(?:committed|died\s+by|died\s+of)\s+suicide\b|\bkilled\s+(?:him|her|them)sel(?:f|ves)\b|\btook\s+(?:his|her|their)\s+(?:own\s+)?life\b|\battempted\s+suicide\b|\btried\s+to\s+kill\s+(?:him|her|them)sel"
THERAPIST_QUESTION = (
    r"^(?:and\s+|so\s+|okay,?\s+|now,?\s+)?(?:have|do|are|did|were|is|has|any|how|what|when|would|could|can|ever|will)\b"
    r".*\byou(?:r|rself)?\b.*\?$|^(?:and\s+|so\s+|okay,?\s+)?(?:any|what\s+about|how\s+about)\b[^?]*\?$|^\W*(?:\w+\W+){0,3}\w+\?$"
)

ALLIANCE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rupture", (
        r"\b(?:irritated|annoyed|frustrated|angry|upset|mad|pissed\s+off|furious|disappointed|cross)\s+(?:with|at)\s+(?:me|therapy|the\s+therapist|our\s+work|the\s+process|us|the\s+sessions?)\b",
        r"\b(?:therapy|this|our\s+work|these\s+sessions|the\s+sessions|coming\s+here|counsell?ing|treatment|talking)\s+(?:isn't|is\s+not|wasn't|was\s+not|hasn't\s+been|has\s+not\s+been|aren't|are\s+not|isn't\s+really|doesn't\s+seem\s+to\s+be|is\s+not\s+really)\s+(?:helping|working|useful|doing\s+anything|going\s+anywhere)\b",
        r"\b(?:doesn't|does\s+not|didn't|don't)\s+(?:think|feel|believe)\s+(?:that\s+)?(?:therapy|this|I|our\s+work|the\s+sessions|coming\s+here|it)\s+(?:is|am|are|was|were|has\s+been|'s)\s+(?:really\s+)?(?:helping|working|useful|doing\s+anything)\b",
        r"\b(?:walked|stormed|ran)\s+out\b|\bleft\s+(?:the\s+session\s+)?(?:early|abruptly|halfway)\b|\bended\s+the\s+session\s+early\b",
        r"\b(?:missed|cancell?ed|no-showed|skipped|didn't\s+show\s+up\s+(?:for|to))\s+(?:the\s+|her\s+|his\s+|their\s+|our\s+|last\s+|two\s+|three\s+|several\s+|a\s+|another\s+)?(?:last\s+|previous\s+)?(?:\w+'s\s+)?(?:sessions?|appointments?)\b|\bno[\s-]show(?:ed|s)?\b|\blate\s+cancell?ation\b|\bmissed\s+last\s+week\b",
        r"\bfelt\s+(?:judged|misunderstood|dismissed|unheard|critici[sz]ed|pressured|pushed|lectured|blamed|attacked)\s+(?:by\s+me|when\s+I|in\s+session)\b",
        r"\b(?:thinking\s+about|wants\s+to|considering|threatened)\s+(?:to\s+)?(?:stopping|quitting|ending|leaving|stop|quit|end|leave)\s+(?:therapy|treatment|our\s+sessions|sessions|counsell?ing|with\s+me)\b",
        r"\b(?:wants|wanted|asked|asking)\s+(?:for\s+)?(?:a\s+)?(?:different|new|another)\s+(?:therapist|counsell?or|clinician)\b",
        r"\btension\s+between\s+us\b|\brupture\b|\bdisconnect(?:ed)?\s+between\s+us\b",
        r"\b(?:shut|shuts|shutting)\s+down\s+(?:in\s+session|when\s+I|after\s+I)\b|\bwent\s+(?:quiet|silent)\s+(?:after|when)\s+I\b",
        r"\b(?:didn't|did\s+not|doesn't)\s+like\s+(?:it\s+)?(?:when|that|how)\s+I\b|\b(?:criticized|criticised|questioned|challenged|snapped\s+at|yelled\s+at)\s+me\b",
        r"\bquestion(?:ed|s|ing)?\s+whether\s+(?:this|therapy|I|coming\s+here|the\s+work)\s+(?:is|was|can|could|am)\b",
        r"\bI\s+(?:pushed|pressed)\s+too\s+(?:hard|much|fast)\b",
        # the therapy itself called worthless ("therapy feels pointless", "these sessions are a waste of time")
        r"\b(?:therapy|our\s+work|these\s+sessions|the\s+sessions|our\s+sessions|sessions|coming\s+here|counsell?ing|treatment"
        r"|talking(?:\s+about\s+it)?)\s+(?:feels|is|seems|are|feel|has\s+been|'s)\s+(?:completely\s+|totally\s+)?"
        r"(?:pointless|useless|a\s+waste\s+of\s+(?:time|money)|not\s+worth\s+it|going\s+nowhere|a\s+joke)\b",
        r"\b(?:therapy|counsell?ing|these\s+sessions|the\s+sessions|sessions|coming\s+here|talking(?:\s+about\s+it)?)\s+"
        r"(?:won't|will\s+not|doesn't|does\s+not|can't|cannot)\s+(?:change|fix|help)\s+(?:anything|a\s+thing|much)\b",
        r"\b(?:might|may|could|is\s+going\s+to|will)\s+(?:stop|quit)\s+(?:coming(?:\s+to\s+(?:therapy|sessions|see\s+me))?"
        r"(?!\s+(?:home|back|in|to|over|round|around|by|out|late|early)\b)|therapy|treatment|counsell?ing|the\s+sessions)\b",
    )),
    ("repair", (
        r"\b(?:we\s+)?talk(?:ed)?\s+(?:it|this|that)\s+through\b|\brepair(?:ed|ing)?\b",
        r"\bapologi[sz](?:e|ed|es|ing)\b|\bI\s+(?:owned|acknowledged)\s+(?:my|the|that)\b",
        r"\b(?:came|come|coming|got)\s+back\s+to\s+(?:it|this|that|what\s+happened)\b",
        r"\backnowledged\s+(?:my|the)\s+(?:mistake|misstep|error|misattunement|part)\b",
        r"\b(?:processed|discussed|named|explored|addressed|talked\s+about)\s+(?:the\s+rupture|the\s+tension|the\s+disconnect|what\s+happened\s+(?:last|between)|her\s+frustration\s+with\s+me|his\s+frustration\s+with\s+me|their\s+frustration\s+with\s+me|it\s+together)\b",
        r"\bfelt\s+(?:heard|understood|respected)\s+(?:after|when|by\s+me)\b|\bthanked\s+me\s+for\b|\bcleared\s+the\s+air\b|\breconnected\b|\bback\s+on\s+track\b|\bworked\s+(?:it\s+)?through\b",
    )),
    ("ambivalence", (
        r"\bpart\s+of\s+(?:me|her|him|them)\s+(?:wants|doesn't\s+want|does\s+not\s+want|would\s+like|is|thinks|feels|knows)\b",
        r"\bon\s+the\s+fence\b|\bmixed\s+feelings\b|\btorn\s+(?:between|about)\b|\bambivalen\w+|\bon\s+(?:the\s+)?one\s+hand\b|\bhalf\s+of\s+(?:me|her|him)\b|\btwo\s+minds\b",
        r"\b(?:not\s+sure|unsure|doesn't\s+know|don't\s+know|does\s+not\s+know|undecided|uncertain)\s+(?:if|whether)\s+(?:she|he|they|I)\s+(?:really\s+)?(?:wants?|is\s+ready|am\s+ready|are\s+ready|can|should|could)\b",
        r"\b(?:not\s+sure|unsure)\s+(?:she|he|they|I)\s+(?:really\s+)?(?:wants?|is\s+ready|am\s+ready)\s+to\b",
        r"\b(?:wants?|wanted)\s+to\s+(?:quit|stop|change|cut\s+down|cut\s+back)\b[^.]*\bbut\b",
        r"\bI\s+know\s+I\s+(?:should|need\s+to)\b[^.]*\bbut\b|\bnot\s+ready\s+to\s+(?:quit|stop|change|give\s+up|cut)\b",
    )),
    ("resistance", (
        r"\brefus(?:ed|es|ing)\b(?!\s+(?:to\s+(?:go\s+to|attend|eat|get\s+out\s+of\s+bed|leave\s+the\s+house)|school|food|meals)\b)",
        r"\b(?:didn't|did\s+not|hasn't|has\s+not|haven't|doesn't|never|wouldn't)\s+(?:do|done|complete|completed|finish|finished|try|tried|start|started)\s+(?:the|her|his|their|my|any|this\s+week's)\s+(?:homework|assignment|worksheet|log|diary|practice|thought\s+record|exercise|exposure)s?\b",
        r"\b(?:forgot|skipped)\s+(?:to\s+do\s+)?(?:the|her|his|their|my)\s+(?:homework|assignment|worksheet|log|diary|thought\s+record|exercises?)\b",
        r"\bpush(?:ed|es|ing)?\s+back\b|\b(?:yes|yeah),?\s+but\b",
        r"\b(?:argued|argues|arguing)\s+(?:with\s+me|that)\b|\bdismiss(?:ed|es|ive)\s+(?:of\s+)?(?:the|my|it|the\s+idea|my\s+suggestion)\b",
        r"\brolled\s+(?:her|his|their)\s+eyes\b|\bwon't\s+(?:try|do|consider|engage)\b|\bdefensive\b|\bchanged\s+the\s+subject\b|\bdeflect\w*|\bresist\w*|\breluctan\w+",
        r"\b(?:doesn't|does\s+not|didn't|don't)\s+see\s+(?:the|any)\s+point\s+(?:of|in)\s+(?:the\s+|this\s+|these\s+)?(?:homework|exercises?|worksheets?|therapy|sessions|coming|logging|tracking)\b",
    )),
)
