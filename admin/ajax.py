"""Related-record pickers that search as you type instead of loading whole
tables into a <select>."""
from flask_admin.contrib.peewee.ajax import QueryAjaxModelLoader
from flask_admin.model.ajax import DEFAULT_PAGE_SIZE

from models import Cycle, Meeting, Objective, Officer, User
from services.access import access


class SearchLoader(QueryAjaxModelLoader):
    """An AJAX loader over a base query (which may join other tables), so a
    picker can search an officer by the name on their user account."""

    def __init__(self, name, model, query, fields, order_by, **options):
        super().__init__(name, model, fields=fields, **options)
        self.base_query = query
        self.order_by = order_by

    def query(self):
        """Only the records the person picking may see."""
        return access().rows(self.model, self.base_query())

    def get_one(self, pk):
        return self.query().where(self.model.id == pk).first()

    def get_list(self, term, offset=0, limit=DEFAULT_PAGE_SIZE):
        query = self.query()
        if term:
            condition = None
            for field in self._cached_fields:
                clause = field ** f"%{term}%"
                condition = clause if condition is None else condition | clause
            query = query.where(condition)
        return list(query.order_by(*self.order_by).offset(offset).limit(limit))


def users_loader(name):
    return SearchLoader(
        name, User, lambda: User.select(), fields=[User.name, User.email],
        order_by=[User.name], placeholder="Type a name or email",
    )


def _officers():
    return Officer.select(Officer, User).join(User)


def officers_loader(name):
    return SearchLoader(
        name, Officer, _officers, fields=[User.name, Officer.post_title],
        order_by=[User.name], placeholder="Type the officer's name or post",
    )


def _cycles():
    return Cycle.select(Cycle, Officer, User).join(Officer).join(User)


def cycles_loader(name):
    return SearchLoader(
        name, Cycle, _cycles, fields=[User.name, Officer.post_title],
        order_by=[Cycle.year.desc(), User.name], placeholder="Type the officer's name",
    )


def meetings_loader(name):
    return SearchLoader(
        name, Meeting,
        lambda: Meeting.select(Meeting, Cycle, Officer, User).join(Cycle).join(Officer).join(User),
        fields=[User.name, Meeting.kind], order_by=[Meeting.held_on.desc()],
        placeholder="Type the officer's name or meeting kind",
    )


def objectives_loader(name):
    return SearchLoader(
        name, Objective,
        lambda: Objective.select(Objective, Cycle, Officer, User).join(Cycle).join(Officer).join(User),
        fields=[Objective.title, User.name], order_by=[Objective.title],
        placeholder="Type the objective or officer",
    )
