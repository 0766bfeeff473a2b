"""Invented dictations in many therapists' styles (no real people), for tests/core/test_generalisation.py.

Each memo says who it is about in a different way, and uses a different register: clinical shorthand,
unpunctuated lowercase speech-to-text, typed S/O/A/P headings, first and third person.
"""
from __future__ import annotations

from datetime import date

TODAY = date(2026, 11, 24)  # a Tuesday

# name -> aliases; the therapist's roster
ROSTER = {
    "Maya Thompson": (),
    "Daniel Okafor": ("Danny",),
    "Jordan Lee": (),
    "Priya Shah": (),
    "Elena Vasquez": ("Lena",),
    "Marcus Bell": (),
    "Chloe Nguyen": (),
    "Rachel Fischer": (),
    "Omar Haddad": (),
    "Grace Kim": (),
    "Ben Carter": (),
    "Aisha Mensah": (),
    "Leo Marino": (),
    "Nora Walsh": (),
    "Ken Ito": (),
    "Sam Patel": (),
    "Sam Rivera": (),
    "Tobias Reinhardt": ("Toby",),
}

MEMOS: dict[str, str] = {
    # terse clinical shorthand
    "shorthand": (
        "Marcus Bell, f/u visit. Pt presented w/ flat affect, psychomotor slowing. PHQ9 = 18, GAD7 = 11. "
        "SI passive, no plan, no intent. Denies HI. Sleep 4-5 hrs/night. Did not complete behavioural activation log. "
        "Plan: increase session freq to weekly, f/u with psychiatrist re meds."
    ),
    # rambling speech-to-text: lowercase, fillers, no punctuation
    "whisper": (
        "okay so um this is for jordan lee today uh he was talking a lot about his dad you know the the divorce stuff "
        "and how he feels like he has to pick a side and um he said he's been getting into fights with his girlfriend "
        "more and uh he was pretty tearful at one point we did some work on um on noticing the anger before it "
        "escalates and for homework he's going to try the time out technique when he feels himself getting heated "
        "next time I want to check in on how things went with his girlfriend"
    ),
    # typed note with S/O/A/P headings
    "soap_headings": (
        "Priya Shah - session 6\n"
        "S: Reports mood 'a bit better'. Started walking 3x/week. Still ruminating about the layoff.\n"
        "O: Well groomed, good eye contact, affect brighter. GAD-7 9 (was 14).\n"
        "A: Anxiety improving, responding well to CBT. Rumination remains the main target.\n"
        "P: Continue CBT. Homework: worry postponement, 15 min a day. Review worry log next session."
    ),
    # first person, couples session naming several people
    "couples": (
        "Couples session with Rachel Fischer and her husband Tom today. I noticed they talked over each other a lot. "
        "Rachel said she feels like she carries the whole mental load at home. Tom said he feels criticised no matter "
        "what he does. We practised the speaker-listener technique and they were both able to reflect back what the "
        "other said. They agreed to have one ten minute check-in each evening this week. Next session I want to look at "
        "how they divide the childcare."
    ),
    # family session with a child and a parent present
    "child": (
        "Session with Chloe Nguyen, age 9, her mum attended the first half. Mum reports Chloe has been refusing to go to "
        "school most mornings and complains of stomach aches. Chloe was shy at first but engaged well in drawing. "
        "She drew her family and said she worries something bad will happen to mum while she is at school. "
        "We introduced the worry monster and a brave ladder for school mornings. Mum will keep a log of the mornings. "
        "I'll follow up with the school counsellor about a gradual return plan."
    ),
    # a session about a client's friend who shares a name with another client
    "friend_named_like_client": (
        "Session with Maya Thompson today. Most of the session was about her friend Priya, who has stopped replying to "
        "her messages. Maya feels rejected and keeps replaying their last conversation. She scored 14 on the PHQ-9. "
        "We explored the pattern of assuming the worst. Homework is to write down two alternative explanations when "
        "she notices herself assuming rejection."
    ),
    # substance use
    "substance": (
        "Omar Haddad, yesterday's session. He reported using cocaine twice over the weekend after three weeks clean, "
        "both times at parties with old friends. He said he drank about eight beers on Saturday as well. AUDIT score "
        "was 19. He denies any thoughts of suicide. He was ashamed and guarded at first but opened up. We did a chain "
        "analysis of Saturday night. He agreed to delete his dealer's number and to go to an NA meeting before next "
        "session."
    ),
    # trauma
    "trauma": (
        "Aisha Mensah session today. She disclosed that her partner pushed her against the wall last Friday and has "
        "been checking her phone and controlling the money. She says she is scared of him when he drinks. She has a "
        "safe place to go at her sister's. PCL-5 was 52. We did safety planning and I gave her the number of the "
        "domestic violence hotline. She is not ready to leave but wants to keep the option open. I will check in "
        "about her safety plan next session."
    ),
    # grief, third person, present risk with qualifiers
    "grief": (
        "Saw Leo Marino today, eight weeks since his wife died. He is not sleeping, not eating much, and has stopped "
        "seeing his friends. He said sometimes he wishes he could just go to sleep and not wake up, he has no plan and "
        "no intent, and his daughter is staying with him. He has his late wife's pills at home. We talked about "
        "removing the medication and he agreed his daughter could hold onto them. Next session I want to revisit the "
        "safety plan and ask about the anniversary."
    ),
    # eating disorder
    "eating_disorder": (
        "Grace Kim, individual session. She has been restricting her food to under 800 calories and admitted to "
        "purging after dinner three times this week. She also fainted at the gym on Thursday. She denies self-harm. "
        "I encouraged her to see her GP for bloods this week. She was reluctant but agreed. We will review the food "
        "diary next time."
    ),
    # psychosis
    "psychosis": (
        "Ben Carter came in today. He believes his neighbours are watching him through the TV and he has been hearing "
        "voices telling him he is worthless. He says the voices have not told him to hurt anyone. He stopped taking his "
        "medication two weeks ago. He denies suicidal ideation and denies HI. I will contact his psychiatrist today "
        "and we scheduled a check-in call for Friday."
    ),
    # DV disclosure, in a different register, with children
    "dv_children": (
        "Session with Elena Vasquez. She told me her ex-husband hit her in front of the kids when he dropped them off "
        "on Sunday. The children are 4 and 7. She is worried about the custody arrangement. I explained my duty to "
        "report and we made the call to child protective services together. She was tearful but relieved afterwards. "
        "Follow up on the CPS referral and the protective order next session."
    ),
    # telehealth
    "telehealth": (
        "Telehealth session with Nora Walsh, she joined by video from her car because her flat has no privacy. "
        "Connection dropped twice. She reported panic attacks on the train most mornings, about four a week. "
        "We practised paced breathing on camera. Her GAD-7 today was 16. For homework she will practise paced breathing "
        "every morning and record her panic in the app."
    ),
    # cancelled / no show
    "no_show": (
        "Ken Ito did not show for his appointment today and did not call to cancel. This is the second missed session "
        "this month. I left a voicemail and will send a letter if I don't hear back by Friday."
    ),
    # nickname only
    "nickname": (
        "Quick one for Danny. He's been doing better since starting the new job, sleeping seven hours most nights. "
        "He's still avoiding calling his brother. We worked on a script for that conversation. He will call his "
        "brother before next session."
    ),
    # "last Thursday's session"
    "last_thursday": (
        "Catching up on last Thursday's session with Tobias Reinhardt. He talked about his promotion and the pressure "
        "of managing his former peers. He has been drinking three or four glasses of wine most nights to unwind. "
        "GAD-7 was 12. We looked at other ways to wind down. He will try a two week break from alcohol."
    ),
    # self correction of the client's name
    "self_correction": (
        "Session with Maya, sorry, I meant Jordan, Jordan Lee. He said the time out technique worked twice this week "
        "and he and his girlfriend had a calmer weekend. He still feels torn between his parents. PHQ-9 was 9. "
        "We'll keep working on the anger plan."
    ),
    # same first name, genuinely unclear
    "two_sams": (
        "Session with Sam today. He talked about his exam stress and not sleeping before the finals. We worked on a "
        "study schedule. He'll try the pomodoro method this week."
    ),
    # nobody named
    "nobody_named": (
        "Second session today. She talked about feeling overwhelmed by her new baby and not sleeping. EPDS was 15. "
        "She denies thoughts of harming the baby or herself. We discussed getting her partner to take a night feed."
    ),
    # active SI with plan: the worst case to miss
    "active_si": (
        "Urgent note, Marcus Bell, seen this afternoon. He said he has been thinking about killing himself every day "
        "this week and has a plan to overdose on his sleeping tablets this weekend. He said he would do it if his "
        "girlfriend leaves. He has stockpiled the tablets. We completed a safety plan, he agreed to give the tablets to "
        "his brother tonight, and I called the crisis team. I will call him tomorrow morning."
    ),
    # historical risk only
    "historical": (
        "Intake with Sam Rivera today. He has a history of self-harm, cutting as a teenager, none for five years. "
        "He attempted suicide once in 2019 by overdose. Currently denies suicidal ideation. He came in because of "
        "work stress and panic attacks. PHQ-9 was 11. He wants to learn ways to manage panic."
    ),
    # DAP-ish typed, second session for Maya, later date, measures changed
    "maya_followup": (
        "Maya Thompson, session on November 17. She said she finally texted Priya and they met for coffee, which went "
        "better than she expected. PHQ-9 was 10, down from 14. She mentioned her father for the first time, he is "
        "moving back to town and she is dreading it. Next time I want to ask more about her father."
    ),
    # passive SI phrased indirectly, in lowercase speech
    "indirect_si": (
        "note for ken ito he came in late he said honestly he'd be fine if he didn't wake up tomorrow but he would never "
        "do anything because of his mum he denied a plan he said his mood has been really low since he lost his job "
        "we talked about getting back into a routine"
    ),
    # homework not done and homework reviewed
    "homework_review": (
        "Session with Nora Walsh. She didn't do the breathing practice this week because she was travelling. "
        "We reviewed her panic log from the week before. The panic attacks are down to two a week. "
        "For homework she will try riding one stop on the train without her headphones."
    ),
    # a memo that misspells the client's name as speech-to-text might
    "misheard": (
        "Session with Tobias Reinhart today. He has kept to the break from alcohol for nine days. He noticed he sleeps "
        "worse but feels clearer in the mornings. We talked about what he does instead in the evenings."
    ),
}

# When each memo's session took place (the memo's own words decide where it states a date).
DATES: dict[str, date] = {
    "substance": date(2026, 11, 23),  # yesterday's session
    "last_thursday": date(2026, 11, 19),  # last Thursday's session
    "maya_followup": date(2026, 11, 17),  # session on November 17
}

# Earlier sessions, so that questions have a history to search.
HISTORY: dict[str, str] = {
    "maya_intake": (
        "Intake with Maya Thompson. She came in after her breakup with Alex, she is not sleeping and has lost interest "
        "in seeing friends. PHQ-9 was 18. She denies suicidal ideation. Homework is to keep a sleep diary."
    ),
    "marcus_earlier": (
        "Marcus Bell. He said he has been feeling like a burden to his girlfriend. Passive thoughts of death, "
        "no plan. PHQ-9 was 21."
    ),
}
# Dates the therapist gave with the memo (the memo itself says "today").
SESSION_DATES: dict[str, date] = {
    "maya_intake": date(2026, 11, 3),
    "friend_named_like_client": date(2026, 11, 10),
    "marcus_earlier": date(2026, 11, 3),
    "shorthand": date(2026, 11, 10),
    "whisper": date(2026, 11, 13),
    "telehealth": date(2026, 11, 10),
    "no_show": date(2026, 11, 17),
}
