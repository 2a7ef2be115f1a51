"""An officer's objectives set in the context of the councils' strategic
objectives: each council's corporate objectives with the corporate-plan
priority they serve, then collaboration and personal objectives, each with
its latest assessment rating for those allowed to see it, and a count of
progress to draw as a chart."""
from collections import Counter
from dataclasses import dataclass, field

from peewee import JOIN

from models import Assessment, Council, Objective, Priority
from models.assessment import RATINGS
from models.objective import OBJECTIVE_STATUSES
from services.access import policy
from services.year.timetable import councils_served

NOT_ASSESSED = "Not yet assessed"


@dataclass
class ObjectiveGroup:
    heading: str
    rows: list = field(default_factory=list)  # (objective, latest rating label or None)


@dataclass
class ObjectivesInContext:
    groups: list
    shows_ratings: bool
    progress: list  # (label, count, percentage), for the chart

    @property
    def total(self):
        return sum(count for _label, count, _share in self.progress)


def latest_ratings(user, objective_ids):
    """The latest rating of each objective, among the assessments this user may see."""
    assessments = policy.visible_rows(
        user, Assessment,
        Assessment.select().where(Assessment.objective.in_(objective_ids))
        .order_by(Assessment.created_at, Assessment.id),
    )
    labels = dict(RATINGS)
    return {assessment.objective_id: labels[assessment.rating] for assessment in assessments}


def objectives_in_context(user, cycle):
    objectives = list(policy.visible_rows(
        user, Objective,
        Objective.select(Objective, Council, Priority).join(Council, JOIN.LEFT_OUTER).switch(Objective)
        .join(Priority, JOIN.LEFT_OUTER)
        .where((Objective.cycle == cycle) & (Objective.status != "withdrawn"))
        .order_by(Objective.target_date, Objective.id),
    ))
    shows_ratings = policy.can_use_admin_model(user, Assessment, policy.VIEW)
    ratings = latest_ratings(user, [o.id for o in objectives]) if shows_ratings and objectives else {}

    by_council = {council.id: ObjectiveGroup(f"{council.name}: corporate objectives")
                  for council in councils_served(cycle.officer)}
    groups = list(by_council.values())
    collaboration, personal = ObjectiveGroup("Collaboration objectives"), ObjectiveGroup(
        "Personal and development objectives")
    for objective in objectives:
        if objective.category == "corporate":
            group = by_council.get(objective.council_id)
            if group is None:  # a council the officer no longer serves
                council_name = objective.council.name if objective.council_id else "No council"
                group = ObjectiveGroup(f"{council_name}: corporate objectives")
                by_council[objective.council_id] = group
                groups.append(group)
        else:
            group = collaboration if objective.category == "collaboration" else personal
        group.rows.append((objective, ratings.get(objective.id)))
    groups += [collaboration, personal]

    if shows_ratings:
        counts = Counter(ratings.get(objective.id, NOT_ASSESSED) for objective in objectives)
        labels = [label for _key, label in RATINGS] + [NOT_ASSESSED]
    else:
        status_labels = dict(OBJECTIVE_STATUSES)
        counts = Counter(status_labels[objective.status] for objective in objectives)
        labels = [label for _key, label in OBJECTIVE_STATUSES]
    total = len(objectives) or 1
    progress = [(label, counts[label], round(100 * counts[label] / total))
                for label in labels if counts[label]]
    return ObjectivesInContext(groups, shows_ratings, progress)
