"""The demonstration scenario as data: two councils in a joint arrangement,
a Joint Chief Executive appraised by both Leaders, five senior officers
line-managed by the JCE, and their 2026 appraisal year part-way through.
demo/seeding.py turns it into records."""
from datetime import date
from typing import NamedTuple

DEMO_PASSWORD = "appraise-demo-2026"
YEAR = 2026


class Person(NamedTuple):
    key: str
    name: str
    email: str
    role: str
    description: str


class ObjectiveSeed(NamedTuple):
    category: str
    priority: str | None  # a Priority reference
    title: str
    description: str
    measure: str
    target_date: date
    status: str = "agreed"
    published: bool = False


class MeetingSeed(NamedTuple):
    officer: str
    kind: str
    held_on: date
    location: str
    status: str
    attendees: tuple
    record: dict  # the five headings and the outcomes
    actions: tuple = ()  # (description, owner, due date, done)
    assessments: tuple = ()  # (objective title, rating, evidence, reasons)


COUNCILS = {
    "ashby": ("Ashby Vale District Council", "Ashby Vale"),
    "brookfield": ("Brookfield Borough Council", "Brookfield"),
}

# (council, reference, title); no council means an objective of the collaboration.
PRIORITIES = (
    ("ashby", "AV1", "Thriving market towns"),
    ("ashby", "AV2", "Homes people can afford"),
    ("ashby", "AV3", "A cleaner, greener district"),
    ("brookfield", "BB1", "Safe, healthy and active communities"),
    ("brookfield", "BB2", "A regenerated Brookfield town centre"),
    ("brookfield", "BB3", "A financially resilient council"),
    (None, "C1", "One shared officer team and joint governance"),
    (None, "C2", "Shared services that cost less and serve residents better"),
)

PEOPLE = (
    Person("hr", "Priya Shah", "hr@ashbyvale.gov.uk", "hr",
           "HR Business Partner: manages every record"),
    Person("leader_av", "Cllr Margaret Holloway", "leader@ashbyvale.gov.uk", "staff",
           "Leader of Ashby Vale District Council: appraises the Joint Chief Executive"),
    Person("deputy_av", "Cllr Tom Ainsworth", "deputy@ashbyvale.gov.uk", "staff",
           "Deputy Leader of Ashby Vale: supports the Leader"),
    Person("leader_bf", "Cllr Rajesh Patel", "leader@brookfield.gov.uk", "staff",
           "Leader of Brookfield Borough Council: appraises the Joint Chief Executive"),
    Person("deputy_bf", "Cllr Sian Griffiths", "deputy@brookfield.gov.uk", "staff",
           "Deputy Leader of Brookfield: supports the Leader"),
    Person("jce", "Helen Marsden", "chief.executive@ashbyvale.gov.uk", "staff",
           "Joint Chief Executive: appraised by both Leaders, line-manages five officers"),
    Person("place", "David Okafor", "david.okafor@ashbyvale.gov.uk", "staff",
           "Joint Director of Place (both councils)"),
    Person("housing", "Mark Whitfield", "mark.whitfield@ashbyvale.gov.uk", "staff",
           "Director of Housing and Regeneration (Ashby Vale)"),
    Person("communities", "Claire Donnelly", "claire.donnelly@brookfield.gov.uk", "staff",
           "Director of Communities (Brookfield)"),
    Person("finance", "Fiona Campbell", "fiona.campbell@brookfield.gov.uk", "staff",
           "Joint Director of Finance and s151 officer (both councils)"),
    Person("legal", "Gareth Evans", "gareth.evans@brookfield.gov.uk", "staff",
           "Monitoring Officer (both councils), new in post: objectives in draft"),
    Person("cllr_av", "Cllr Alison Brooks", "alison.brooks@ashbyvale.gov.uk", "councillor",
           "Ashby Vale councillor: sees agreed, published objectives only"),
    Person("cllr_bf", "Cllr Neil Harper", "neil.harper@brookfield.gov.uk", "councillor",
           "Brookfield councillor: sees agreed, published objectives only"),
)

# (person, post title, statutory role, councils served)
OFFICERS = (
    ("jce", "Joint Chief Executive", "head of paid service", ("ashby", "brookfield")),
    ("place", "Joint Director of Place", "none", ("ashby", "brookfield")),
    ("housing", "Director of Housing and Regeneration", "none", ("ashby",)),
    ("communities", "Director of Communities", "none", ("brookfield",)),
    ("finance", "Joint Director of Finance (s151 Officer)", "s151", ("ashby", "brookfield")),
    ("legal", "Head of Legal and Democratic Services (Monitoring Officer)",
     "monitoring officer", ("ashby", "brookfield")),
)

CHIEF_EXECUTIVE = "jce"

# (person, capacity, council) for the Joint Chief Executive; everyone else
# is line-managed by the JCE.
JCE_APPRAISERS = (
    ("leader_av", "leader", "ashby"),
    ("leader_bf", "leader", "brookfield"),
    ("deputy_av", "deputy leader", "ashby"),
    ("deputy_bf", "deputy leader", "brookfield"),
)

OBJECTIVES = {
    "jce": (
        ObjectiveSeed(
            "corporate", "AV2", "Deliver the Ashby Vale housing delivery plan",
            "Unlock stalled housing sites through the local plan and the council's own land, "
            "so that the district passes the housing delivery test.",
            "Planning consent for 450 homes, at least 135 of them affordable, by 31 Dec 2026; "
            "progress reported to Cabinet every quarter.",
            date(2026, 12, 31), published=True,
        ),
        ObjectiveSeed(
            "corporate", "BB2", "Secure the funding for the Station Quarter regeneration",
            "Complete the full business case for the Station Quarter scheme in Brookfield town "
            "centre and secure the remaining external funding.",
            "Full business case approved by Cabinet and funding agreement signed by 30 Sep 2026.",
            date(2026, 9, 30), published=True,
        ),
        ObjectiveSeed(
            "collaboration", "C1", "Complete the shared senior management restructure",
            "Bring the two senior management teams into one structure serving both councils, "
            "consulting staff and unions under the joint protocol.",
            "New structure in place by 1 Jul 2026, with a recurring saving of at least "
            "£420,000 a year confirmed by the s151 officer.",
            date(2026, 7, 1), status="achieved", published=True,
        ),
        ObjectiveSeed(
            "collaboration", "C2", "Agree a business case for shared digital and customer services",
            "Set out the options for one customer contact centre and one digital platform "
            "for both councils, with costs, savings and the effect on residents.",
            "Business case considered by both Cabinets by 30 Nov 2026.",
            date(2026, 11, 30),
        ),
        ObjectiveSeed(
            "personal", None, "Complete the LGA Leadership Academy",
            "Strengthen political leadership across two councils with different priorities "
            "ahead of the May 2027 elections.",
            "All three residential modules attended and a learning log shared with both "
            "Leaders by 30 Nov 2026.",
            date(2026, 11, 30),
        ),
    ),
    "place": (
        ObjectiveSeed(
            "corporate", "AV1", "Revive the high streets of the three market towns",
            "Deliver the high street improvement programme with the town councils and "
            "traders' associations in Ashby, Kelby and Northwold.",
            "Shop vacancy rate below 10% by Dec 2026 (baseline 14% in Jan 2026).",
            date(2026, 12, 31), published=True,
        ),
        ObjectiveSeed(
            "corporate", "BB2", "Start the Station Quarter public realm works",
            "Procure and start phase 1 of the public realm works around Brookfield station.",
            "Contractor appointed and work started on site by 31 Oct 2026, within the "
            "£6.2m budget.",
            date(2026, 10, 31), published=True,
        ),
        ObjectiveSeed(
            "collaboration", "C2", "Create one planning service for both councils",
            "Merge the two development management teams and move them onto one planning "
            "system.",
            "Single team and system by 31 Dec 2026; 90% of minor applications decided "
            "within eight weeks.",
            date(2026, 12, 31),
        ),
        ObjectiveSeed(
            "personal", None, "Lead the merged planning team through change",
            "Build the skills to lead two teams with different cultures into one.",
            "Six coaching sessions completed and a staff survey of the merged team by "
            "31 Oct 2026.",
            date(2026, 10, 31),
        ),
    ),
    "housing": (
        ObjectiveSeed(
            "corporate", "AV2", "Start the council housebuilding programme at Mill Lane",
            "Bring forward the first council-built homes in Ashby Vale for thirty years.",
            "Planning consent for 60 council homes and a contractor procured by 30 Nov 2026.",
            date(2026, 11, 30), published=True,
        ),
        ObjectiveSeed(
            "collaboration", "C2", "Move housing applications onto the shared customer platform",
            "Let residents of either council apply for housing and track their application "
            "online.",
            "Online housing applications live for both councils by 31 Oct 2026; 70% of "
            "applications made online by the end of the year.",
            date(2026, 10, 31),
        ),
        ObjectiveSeed(
            "personal", None, "Complete the CIH strategic housing leadership course",
            "Broaden strategic housing knowledge beyond the regeneration role.",
            "Course completed and assessed by 15 Dec 2026.",
            date(2026, 12, 15),
        ),
    ),
    "communities": (
        ObjectiveSeed(
            "corporate", "BB1", "Open the Brookfield community wellbeing hub",
            "Open a hub in the former library with NHS and voluntary sector partners, "
            "offering health checks, debt advice and social prescribing.",
            "Hub open by 30 Jun 2026 and 2,000 residents supported in its first six months.",
            date(2026, 6, 30), published=True,
        ),
        ObjectiveSeed(
            "collaboration", "C1", "Form one community safety team for both councils",
            "Bring the two community safety teams together under one manager and one "
            "partnership plan with the police.",
            "Joint team and partnership plan in place by 30 Sep 2026.",
            date(2026, 9, 30), published=True,
        ),
        ObjectiveSeed(
            "personal", None, "Build system leadership with health partners",
            "Take part in the integrated care board's leadership exchange.",
            "Exchange completed and lessons shared with the senior management team by "
            "30 Sep 2026.",
            date(2026, 9, 30),
        ),
    ),
    "finance": (
        ObjectiveSeed(
            "corporate", "AV3", "Fund the decarbonisation of council buildings",
            "Secure grant funding and set up the capital programme to replace gas heating "
            "in the council's leisure centres and offices.",
            "Grant bid submitted by 31 May 2026 and capital programme approved by Council "
            "by 31 Jul 2026.",
            date(2026, 7, 31), published=True,
        ),
        ObjectiveSeed(
            "corporate", "BB3", "Close Brookfield's medium-term budget gap",
            "Identify savings and income to close the gap in the medium-term financial "
            "strategy without drawing on reserves.",
            "£1.8m of savings identified and a balanced draft 2027/28 budget presented to "
            "Cabinet by 15 Dec 2026.",
            date(2026, 12, 15), published=True,
        ),
        ObjectiveSeed(
            "collaboration", "C2", "Bring both finance teams onto one ledger",
            "Replace the two councils' finance systems with one shared system.",
            "Shared finance system live from 1 Oct 2026, with neither council's 2025/26 "
            "accounts qualified.",
            date(2026, 10, 1),
        ),
        ObjectiveSeed(
            "personal", None, "Complete CIPFA's leadership in public finance programme",
            "Develop strategic leadership as s151 officer to two councils.",
            "Programme completed by 30 Nov 2026.",
            date(2026, 11, 30),
        ),
    ),
    "legal": (
        ObjectiveSeed(
            "corporate", "AV2", "Complete the legal work for the Mill Lane land transfer",
            "Clear title and complete the transfer of the Mill Lane site to the housing "
            "programme.",
            "Transfer completed by 18 Dec 2026.",
            date(2026, 12, 18), status="draft",
        ),
        ObjectiveSeed(
            "corporate", "BB2", "Make the Station Quarter compulsory purchase order",
            "Prepare and make the compulsory purchase order for the remaining Station "
            "Quarter land.",
            "Order made by Cabinet and submitted for confirmation by 18 Dec 2026.",
            date(2026, 12, 18), status="draft",
        ),
        ObjectiveSeed(
            "collaboration", "C1", "Align the two councils' constitutions",
            "Bring the constitutions, schemes of delegation and codes of conduct of both "
            "councils into line for the joint arrangement.",
            "Aligned constitutions put to both Full Councils by 18 Dec 2026.",
            date(2026, 12, 18), status="draft",
        ),
        ObjectiveSeed(
            "personal", None, "Meet every group leader in both councils",
            "Build working relationships with members across both councils as the new "
            "Monitoring Officer.",
            "One-to-one meetings held with all group leaders by 18 Dec 2026.",
            date(2026, 12, 18), status="draft",
        ),
    ),
}

# Timetable step number -> date done. The Monitoring Officer joined in
# September, so none of that cycle's steps is done yet.
STEPS_DONE = {
    "jce": {1: date(2026, 1, 23), 2: date(2026, 2, 20), 3: date(2026, 3, 19)},
    "place": {1: date(2026, 1, 30), 2: date(2026, 2, 26), 3: date(2026, 3, 26),
              5: date(2026, 9, 24)},
    "housing": {1: date(2026, 1, 29), 2: date(2026, 2, 25), 3: date(2026, 3, 27)},
    "communities": {1: date(2026, 1, 27), 2: date(2026, 2, 24), 3: date(2026, 3, 25)},
    "finance": {1: date(2026, 1, 28), 2: date(2026, 2, 27), 3: date(2026, 3, 30)},
}

# The JCE's previous year: the three-yearly external facilitation took place,
# so the 2026 cycle rightly has no external facilitation step.
PREVIOUS_YEAR_FACILITATOR = "LGA peer challenge"

MEETINGS = (
    MeetingSeed(
        "jce", "annual agreement", date(2026, 3, 19), "Leader's Office, Ashby Vale House",
        "agreed", ("jce", "leader_av", "leader_bf", "deputy_bf"),
        {
            "role_of_officer": (
                "Head of paid service for both councils, leading one senior management team "
                "of three directors and the two statutory officers, and principal adviser to "
                "both Cabinets and the Joint Arrangements Committee."
            ),
            "achievements": (
                "The 2025 LGA peer challenge found the partnership well led and recommended "
                "more pace on shared services. Both councils set balanced budgets for 2026/27 "
                "without drawing on reserves. Consultation on the shared senior structure "
                "finished on time."
            ),
            "improvements": (
                "Members of both councils want earlier sight of decisions that affect only "
                "one council. Reports on the joint savings target should separate one-off "
                "from recurring savings."
            ),
            "key_issues": (
                "Elections to both councils in May 2027; the government's review of town "
                "centre funding and its effect on the Station Quarter; filling the vacant "
                "Monitoring Officer post; pay pressures across the shared workforce."
            ),
            "development_needs": (
                "Political leadership across two councils with different priorities (LGA "
                "Leadership Academy); commercial skills for the shared services business case."
            ),
            "outcomes": (
                "Five objectives agreed for 2026: one against each council's corporate plan, "
                "two for the collaboration and one personal. Corporate and collaboration "
                "objectives to be published to members. Six-month review in September with "
                "both Leaders."
            ),
        },
        actions=(
            ("Report to both Full Councils that the appraisal has taken place, with a "
             "summary of the agreed objectives.", "leader_av", date(2026, 4, 22), True),
            ("Book a place on the next LGA Leadership Academy cohort.", "hr",
             date(2026, 4, 30), True),
            ("Share the draft shared digital and customer services business case with both "
             "Leaders before it goes to Cabinet.", "jce", date(2026, 11, 6), True),
        ),
    ),
    MeetingSeed(
        "jce", "informal review", date(2026, 11, 12), "Brookfield Town Hall", "draft",
        ("jce", "leader_av", "leader_bf"),
        {
            "achievements": (
                "The shared senior structure took effect on 1 July. Cabinet approved the "
                "Station Quarter business case in September."
            ),
            "key_issues": (
                "The government has paused town centre funding agreements while it reviews "
                "the programme."
            ),
            "outcomes": (
                "All objectives checked and still relevant. The six-month review, postponed "
                "from September by the Brookfield by-election, to be held on 10 December."
            ),
        },
        actions=(
            ("Hold the postponed six-month review with both Leaders.", "leader_av",
             date(2026, 12, 10), False),
        ),
        assessments=(
            ("Complete the shared senior management restructure", "achieved",
             "New structure took effect on 1 July 2026. The s151 officer confirmed a "
             "recurring saving of £436,000 a year.", ""),
            ("Secure the funding for the Station Quarter regeneration", "partly met",
             "Cabinet approved the full business case on 15 September 2026; the funding "
             "agreement is not yet signed.",
             "The government paused funding agreements during its review, which was outside "
             "the officer's control."),
            ("Deliver the Ashby Vale housing delivery plan", "on track",
             "Consent granted for 318 homes (96 affordable) by the end of October; two "
             "large applications go to committee in December.", ""),
            ("Agree a business case for shared digital and customer services", "on track",
             "Draft business case with both Leaders; Cabinet dates set for late November.",
             ""),
        ),
    ),
    MeetingSeed(
        "place", "six-month review", date(2026, 9, 24), "Ashby Vale House, Room 2.14",
        "agreed", ("place", "jce"),
        {
            "role_of_officer": (
                "Joint Director of Place for both councils: planning, economic development, "
                "regeneration and the public realm."
            ),
            "achievements": (
                "Shop vacancies down from 14% to 11.2%. Station Quarter contractor appointed "
                "on 2 September. Planning teams merged in June."
            ),
            "improvements": (
                "The move to one planning system has slipped; the supplier's plan needs "
                "closer challenge."
            ),
            "key_issues": (
                "Planning performance during the system change; the Station Quarter "
                "funding review."
            ),
            "development_needs": "Continue the coaching on leading the merged team.",
            "outcomes": (
                "Good progress overall. A revised plan for the planning system to be agreed "
                "with the JCE in October."
            ),
        },
        actions=(
            ("Present a revised migration plan for the shared planning system.", "place",
             date(2026, 10, 30), True),
            ("Raise the vacancy figures at the town councils' liaison meeting.", "jce",
             date(2026, 12, 10), False),
        ),
        assessments=(
            ("Revive the high streets of the three market towns", "on track",
             "Vacancy rate 11.2% in the August survey, down from 14%.", ""),
            ("Start the Station Quarter public realm works", "on track",
             "Contractor appointed on 2 September; start on site planned for 12 October.",
             ""),
            ("Create one planning service for both councils", "partly met",
             "One team since June, but the single planning system is now due in "
             "February 2027.",
             "The supplier's data migration ran late."),
            ("Lead the merged planning team through change", "on track",
             "Four of six coaching sessions done.", ""),
        ),
    ),
    # Sent for agreement by HR as the demo is built: its emails wait in the outbox.
    MeetingSeed(
        "finance", "six-month review", date(2026, 10, 15), "Brookfield Civic Centre, Room 3",
        "awaiting agreement", ("finance", "jce"),
        {
            "role_of_officer": (
                "Joint Director of Finance and s151 officer for both councils: financial "
                "strategy, budgets, the shared finance service and statutory accounts."
            ),
            "achievements": (
                "The decarbonisation grant was won and the capital programme approved in July. "
                "The shared finance system went live on 1 October as planned."
            ),
            "improvements": (
                "Brookfield's savings plan relies on income that is not yet certain; the "
                "options need firming up before the December Cabinet."
            ),
            "key_issues": (
                "Closing Brookfield's budget gap; the first year-end on the shared ledger."
            ),
            "development_needs": "Finish the CIPFA leadership programme in November.",
            "outcomes": (
                "Good progress on every objective. A firmer savings plan for Brookfield to be "
                "shared with the JCE before it goes to Cabinet."
            ),
        },
        actions=(
            ("Share a firmer Brookfield savings plan with the JCE.", "finance",
             date(2026, 11, 20), False),
            ("Plan the first year-end close on the shared ledger with both audit teams.",
             "finance", date(2026, 12, 18), False),
        ),
        assessments=(
            ("Fund the decarbonisation of council buildings", "achieved",
             "Grant of £2.3m awarded in May; capital programme approved by Council in July.", ""),
            ("Bring both finance teams onto one ledger", "achieved",
             "Shared finance system live from 1 October 2026.", ""),
            ("Close Brookfield's medium-term budget gap", "on track",
             "£1.2m of the £1.8m identified so far.", ""),
        ),
    ),
)

# Each director whose objectives were agreed in March had their annual
# agreement meeting with their line manager, the JCE, on that day:
# (officer, location, role, achievements, improvements, key issues, needs).
DIRECTORS_ANNUAL_AGREEMENTS = (
    ("place", "Ashby Vale House, Room 2.14",
     "Leads planning, regeneration and economic development for both councils.",
     "One planning service for both councils designed; the Station Quarter outline consent granted.",
     "Planning decisions on major applications are slower than the national target.",
     "The Local Plan examination in 2027; the town centre funding review.",
     "Programme management for large capital schemes."),
    ("housing", "Ashby Vale House, Room 1.02",
     "Leads housing, homelessness and regeneration for Ashby Vale.",
     "Temporary accommodation use fell by a fifth; the housing delivery plan adopted.",
     "Earlier warning to members of rising homelessness demand.",
     "Rent standard changes and the stock condition survey.",
     "Commercial negotiation with housing developers."),
    ("communities", "Brookfield Town Hall, Committee Room 3",
     "Leads communities, leisure and public health partnerships for Brookfield.",
     "The community wellbeing hub designed with the health partners; leisure contract renewed.",
     "Partnership reports to Cabinet need clearer measures of impact.",
     "The integrated care board's new funding rules; the leisure centre roof.",
     "System leadership with health partners."),
    ("finance", "Brookfield Town Hall, Room 12",
     "Chief finance officer (s151) for both councils; leads finance, revenues and procurement.",
     "Both councils' 2025/26 accounts signed off without qualification.",
     "The medium-term financial plan should show savings by council as well as jointly.",
     "Brookfield's budget gap from 2027/28; the business rates reset.",
     "CIPFA leadership in public finance."),
)

MEETINGS += tuple(
    MeetingSeed(
        officer, "annual agreement", STEPS_DONE[officer][3], location, "agreed", (officer, "jce"),
        {"role_of_officer": role, "achievements": achievements, "improvements": improvements,
         "key_issues": key_issues, "development_needs": needs,
         "outcomes": "Objectives for 2026 agreed; six-month review in September."},
    )
    for officer, location, role, achievements, improvements, key_issues, needs
    in DIRECTORS_ANNUAL_AGREEMENTS
)

# (officer, need, planned activity, provider, target date, status)
DEVELOPMENT_NEEDS = (
    ("jce", "Leading a two-council partnership through a change of political control",
     "LGA Leadership Academy: three residential modules", "Local Government Association",
     date(2026, 11, 30), "in progress"),
    ("jce", "Commercial skills for shared services business cases",
     "Commercial skills masterclass", "SOLACE", date(2026, 12, 31), "planned"),
    ("place", "Leading two teams with different cultures into one",
     "Six executive coaching sessions", "East Midlands Councils", date(2026, 10, 31),
     "completed"),
    ("finance", "Strategic leadership as s151 officer to two councils",
     "Leadership in public finance programme", "CIPFA", date(2026, 11, 30), "in progress"),
)


# Full Council meetings, this year and next: the Leader's report (step 4) is
# due at the first one after the objectives are agreed.
COUNCIL_MEETING_DAYS = ((1, 21), (4, 22), (7, 15), (10, 14))
