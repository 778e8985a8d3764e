"""Vocabulary for synthetic fieldwork (``ctdesk demo``): realistic, and clearly made up."""

AUTHORS = ("A. Inspector", "B. Khan", "C. Davies", "D. Okafor", "E. Murphy")
ROLES = (
    "the Prevent strategic lead",
    "the chief officer responsible for Prevent",
    "the head of safeguarding",
    "a neighbourhood sergeant",
    "the Prevent single point of contact",
    "a council Prevent coordinator",
    "a designated safeguarding lead from a secondary school",
    "a mental health nurse from the liaison and diversion team",
    "a detective inspector from the regional CT unit",
    "a call handler",
)
PLACES = (
    "the multi-agency safeguarding hub",
    "the force control room",
    "the custody suite",
    "a neighbourhood policing team base",
    "the regional CT unit's Prevent hub",
    "the Channel panel",
    "a district briefing",
)
DOCUMENTS = (
    ("policy-strategy", "Prevent delivery plan {year}"),
    ("policy-strategy", "Force Prevent policy v{n}"),
    ("policy-strategy", "Counter-terrorism local profile summary {year}"),
    ("referral-report", "Prevent referrals performance report Q{q}"),
    ("referral-report", "Referral triage audit {year}"),
    ("channel-document", "Channel panel terms of reference"),
    ("channel-document", "Channel panel minutes, {month}"),
    ("briefing-material", "Prevent awareness briefing slides"),
    ("briefing-material", "Neighbourhood team briefing note on radicalisation"),
    ("other", "Training completion extract {month}"),
    ("other", "Hate crime problem profile {year}"),
)
PROVIDERS = ("Force Prevent team", "Regional CT unit", "Local authority", "Force training unit")
MONTHS = ("October 2018", "November 2018", "December 2018", "January 2019", "February 2019")

AREA_SENTENCES = {
    "ct4.a1": (
        "Prevent training is mandatory for {who_plural}, and completion is tracked {how_often}.",
        "About {pct}% of frontline officers have completed the Prevent e-learning.",
        "Most officers in the focus group could describe signs of radicalisation, but {few} were "
        "unsure what to do next.",
        "{role} has had no specific training for the role since taking it on.",
        "Officers knew the single point of contact by name and how to reach them out of hours.",
        "Prevent is part of the force's training needs analysis, but refresher training lapsed.",
        "Supervisors do not routinely check that new starters complete the Prevent module.",
    ),
    "ct4.a2": (
        "The referral form matches the regional CT unit's form and was adopted in {month}.",
        "Referral standards are written down, but we found {few} referrals that missed them.",
        "Roles between the force and the regional CT unit are understood at senior level, less "
        "so on the front line.",
        "The force keeps a lessons-learnt log, but it has had no entries since {month}.",
        "Partners told us there is one clear route to raise a Prevent concern with the police.",
        "Triage decisions are recorded consistently and reviewed weekly by {role}.",
        "Neighbouring forces use different thresholds for escalating a referral.",
    ),
    "ct4.a3": (
        "The MASH shares Prevent referrals with children's services the same day.",
        "Vetting levels limit what {role} can see, which slows information sharing.",
        "The counter-terrorism local profile was last shared with partners in {month}.",
        "Hate crime data is not routinely used to inform Prevent work.",
        "Community engagement on Prevent is largely a response to events rather than planned.",
        "The force and the council agreed a joint communications plan for Prevent in {month}.",
        "Schools told us they receive little feedback after making a referral.",
    ),
}
GENERAL_SENTENCES = (
    "We spoke to {role} for about an hour.",
    "{role} gave a candid account and offered further documents.",
    "We should follow this up with {role} before the end of fieldwork.",
    "This is consistent with what we heard at {place}.",
    "This contrasts with what {role} told us earlier in the week.",
    "Evidence requested: the last two quarterly Prevent performance reports.",
)
FINDINGS = {
    "strength": (
        "The force has a clear, well-understood route for Prevent referrals.",
        "Prevent training completion is high and is monitored by senior leaders.",
    ),
    "area-for-improvement": (
        "The force should make sure that supervisors check new starters complete Prevent training.",
        "The force should review how it uses hate crime data to inform Prevent activity.",
        "The force should plan its community engagement on Prevent rather than respond to events.",
    ),
    "cause-of-concern": (
        "Information about Prevent referrals is not shared with partners quickly enough to "
        "safeguard vulnerable people.",
    ),
    "recommendation": (
        "By the end of the year, the force should agree with partners how Prevent referral "
        "information is shared, and monitor that it is.",
    ),
    "notable-practice": (
        "The joint Prevent communications plan with the council is worth sharing with other "
        "forces.",
    ),
}
