"""Form fields that pick people: each person shown by name (and role), never by login name."""

from django import forms

from core.labels import role_label

from .selectors import user_roles


def person_label(user, organisation=None) -> str:
    """ "Phạm Văn Chuyên — Chuyên viên": the person's full name, with their roles in
    `organisation` when given (the login name only when no name was ever entered)."""
    name = user.get_full_name().strip() or user.get_username()
    if organisation is not None:
        roles = user_roles(user, organisation)
        if roles:
            return f"{name} — {role_label(','.join(sorted(roles)))}"
    return name


class PersonChoiceField(forms.ModelChoiceField):
    """A user picker labelled by name; set `.organisation` to show their roles there too."""

    organisation = None

    def label_from_instance(self, obj):
        return person_label(obj, self.organisation)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    organisation = None

    def label_from_instance(self, obj):
        return person_label(obj, self.organisation)
