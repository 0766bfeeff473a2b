"""Word lists shared by client-name finding (core.language.client_match) and question parsing (core.memory.query).

COMMON holds words that are never taken for a client's name on their own: function words, everyday and
clinical vocabulary, weekdays, months, titles, relation words and measure acronyms. A name that is also
a common word ("Will", "Grace") is still found when the therapist uses it in a clear naming phrase.
"""
from __future__ import annotations

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}

# People the client talks about: a name right after one of these is not the client.
RELATIONS = frozenset("""
mother mom mum mommy mummy mama father dad daddy papa parent parents stepmother stepmom stepfather stepdad
sister brother sibling siblings sis bro husband wife spouse partner boyfriend girlfriend fiance fiancee ex
son daughter child children kid kids baby grandmother grandfather grandma grandpa nana granny aunt uncle
cousin niece nephew friend friends roommate flatmate neighbor neighbour boss manager supervisor coworker
colleague teacher coach pastor priest rabbi imam doctor dr psychiatrist gp nurse therapist counselor
counsellor lawyer dog cat named called prof professor
""".split())

TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx"})

_VERBS = """
say tell talk speak mention discuss report describe share state express explain note notice ask answer
come go get give take make do have be see look watch feel seem appear sound think know want need like love
hate try work walk run sleep eat drink cry laugh smile yell argue fight call text meet visit start stop
continue finish begin end keep leave stay move live use help bring put set hold let show play read write
agree disagree plan practice practise review explore process identify assign complete attend cancel miss
arrive present tolerate engage refuse deny admit endorse worry struggle cope manage improve increase
decrease change hope wish remember forget learn understand believe decide choose open close return happen
check follow focus fill rate score screen validate reflect reframe normalize normalise summarize summarise
schedule book relapse trigger avoid breathe ground relax journal track log turn sit stand wake rest lose
win fail pass try die kill hurt harm cut break drop pick send receive spend save pay earn lie
""".split()

_IRREGULAR = """
said told spoke spoken came went gone got gotten gave given took taken made did done had has was were been
is are am saw seen felt thought knew known ran slept ate eaten drank drunk cried met kept left brought put
let held showed shown read wrote written began begun chose chosen understood forgot forgotten lost won
fought woke woken sat stood broke broken sent spent paid lay lied
""".split()

_OTHER = """
a an the and or but nor so yet if then than that this these those there here where when while what which
who whom whose why how whether because since until unless though although as at by for from in into of
off on onto out over under up down to with within without about above after again against all almost
along already also always among around away back before behind below beneath beside between beyond both
during each either else enough even ever every few further just least less many maybe more most much
must neither never next no none not now often once only other others otherwise our ours ourselves own
per perhaps quite rather really same several should shall some somehow someone something sometimes
somewhat soon still such through throughout thus together too toward towards upon very via well will
would can could may might ought i me my mine myself we us you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves one ones any anyone
anything anybody everyone everything everybody nobody nothing yes yeah okay ok oh um uh hmm like
today tonight tomorrow yesterday morning afternoon evening night week weeks weekend month months year
years day days time times hour hours minute minutes moment later earlier first second third last latest
previous recent recently new old early late long short good bad better best worse worst great fine big
small little high low full empty hard easy right wrong true false sure certain able unable likely
session sessions appointment appointments visit visits note notes memo memos client clients patient
patients therapy therapist treatment intake check checkin follow followup homework plan plans goal
goals assessment summary subjective objective data behavior behaviour intervention response progress
interventions responses mood affect anxiety anxious depression depressed panic stress stressed sad
sadness angry anger irritable tired exhausted calm happy hopeful hopeless worried nervous scared afraid
lonely numb overwhelmed frustrated guilty ashamed upset crying tearful agitated restless motivated
ambivalent resistant engaged open guarded flat bright euthymic dysthymic congruent incongruent safety
risk risks suicidal suicide ideation intent means self harm plan crisis hotline protective factors
family work job school home house office class money sleep sleeping eating appetite energy weight
exercise alcohol drinking drugs substance use cannabis medication meds dose doses pill pills thoughts
thought feelings feeling emotions emotion behaviors behaviours triggers trigger skills skill coping
strategies strategy exposure relaxation breathing mindfulness grounding journaling record records log
worksheet diary chart scale scales score scores measure measures questionnaire screening screen result
results trend issue issues problem problems concern concerns topic topics things thing stuff way ways
part parts lot lots kind sort bit bits place places person people man woman men women guy girl boy
group groups couple couples individual relationship relationships marriage divorce breakup conflict
argument arguments boundaries boundary trauma abuse grief loss death funeral anniversary birthday
holiday holidays christmas vacation trip weekend car phone call calls text texts email message
messages letter book music tv movie game games doctor psychiatrist hospital er clinic pharmacy
phq gad cbt dbt act emdr ifs mi pcl bdi bai ors srs suds si hi ptsd ocd adhd mdd gad7 phq9 dx rx hx
mr mrs ms miss mx dr prof sir madam
please thanks thank sorry hello hi hey bye yes no not nah
zero one two three four five six seven eight nine ten eleven twelve twenty thirty
""".split()

_SPOKEN = """
mm mmm hmm hm uh um er erm ah aha oh ooh wow whoa cool yep yup nope nah yeah alright right sure gosh
huh eh okay ok hey hi hello bye thanks cheers absolutely actually anyway anyways basically cause cuz
fantastic awesome amazing wonderful terrible horrible nice lovely perfect exactly totally whatever instead
wait look listen well gonna wanna gotta kinda sorta lots number food blood smart wise fair amount
article articles thing stuff pretty super quite rather kind sort probably definitely certainly
""".split()

_ADJ_ADV = """
again ago around almost already anyway apparently basically clearly definitely especially exactly
finally generally honestly hopefully immediately just kinda likely mainly maybe mostly obviously
occasionally possibly probably quickly rarely really seriously significantly slightly slowly sometimes
somewhat still suddenly truly typically usually mostly briefly largely partly fully overall
ready here present absent late early away busy free alone together different similar important
difficult hard heavy light quiet loud clear unclear mixed positive negative neutral stable unstable
improved improving worse worsening same ongoing current previous past future next main whole
""".split()


def _inflect(verb: str) -> set[str]:
    forms = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing"}
    if verb.endswith("e"):
        forms.add(verb[:-1] + "ing")
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if len(verb) <= 4 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou":
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


COMMON = frozenset(
    set(_OTHER)
    | set(_SPOKEN)
    | set(_ADJ_ADV)
    | set(_IRREGULAR)
    | {form for verb in _VERBS for form in _inflect(verb)}
    | set(WEEKDAYS)
    | {d + "s" for d in WEEKDAYS}
    | set(MONTHS)
    | set(MONTH_ABBR)
    | {"tues", "thurs", "weds", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}
    | RELATIONS
    | TITLES
)

# Common words that are also given names; accepted as a name only in a clear naming phrase ("with Will").
NAMELIKE = frozenset("""
will hope grace joy faith mark bill rose june april may august dawn summer autumn ray art pat sue jack
frank bob rob iris ivy lily daisy amber ruby pearl crystal hunter chase cole dean drew grant gray grey
guy lane lee max miles price reed sky skye sterling victor wade warren wood young brook carmen
""".split())
