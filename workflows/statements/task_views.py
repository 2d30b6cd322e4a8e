"""The statement flow's task pages (draft, review, sign-off); viewflow runs them from `flows.py`."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from workflows import timeline
from workflows.engine.task_views import FlowTaskView, apply_error

from . import issue, selectors, steps
from .fields import EDITABLE_FIELDS
from .forms import StatementDraftForm, StatementReviewForm, StatementSignoffForm
from .models import Statement


def statement_context(statement: Statement, now=None) -> dict:
    return {
        "statement": statement,
        "clock": selectors.statement_time_left(statement, now),
        "timeline": timeline.statement_timeline(statement),
    }


class StatementTaskView(FlowTaskView):
    """The three human steps of a statement (the engine performs them)."""

    template_name = "workflows/statement/task.html"
    done_message = gettext_lazy("Đã xử lý thông tin %(r)s.")

    @property
    def statement(self) -> Statement:
        return self.artifact

    def artifact_context(self) -> dict:
        statement = self.statement
        embargo = statement.embargo_at
        ctx = {
            **statement_context(statement),
            "embargo_passed": embargo is not None and embargo <= timezone.now(),
        }
        if self.request.activation.flow_task.name in ("review", "signoff"):
            # The document the sign-off will issue (same text and template, unnumbered).
            ctx["draft_pdf_url"] = reverse("workflows:statement-draft-pdf", args=[statement.pk])
            ctx["draft_png_url"] = reverse("workflows:statement-draft-png", args=[statement.pk])
            ctx["recipients"] = issue.statement_recipients(statement)
        return ctx


class StatementDraftView(StatementTaskView):
    form_class = StatementDraftForm

    def extra_form_kwargs(self):
        return {"kind": self.statement.kind}

    def get_initial(self):
        s = self.statement
        initial = {name: getattr(s, name) for name in EDITABLE_FIELDS}
        initial["clock_start_at"] = s.clock_start_at
        for name in ("embargo_at", "conference_at", "clock_start_at"):
            if initial.get(name):
                initial[name] = timezone.localtime(initial[name])
        initial["invited_agencies"] = list(s.invited_agencies.all())
        initial["action"] = "submit"
        return initial

    def form_valid(self, form):
        if form.cleaned_data["action"] == "save":
            data = dict(form.cleaned_data)
            data.pop("action")
            try:
                steps.statement_draft_save(
                    statement=self.statement, by=self.request.user, data=data
                )
            except DomainError as exc:
                apply_error(form, exc)
                return self.form_invalid(form)
            messages.success(self.request, _("Đã lưu bản nháp."))
            return redirect(self.request.get_full_path())
        return super().form_valid(form)


class StatementReviewView(StatementTaskView):
    form_class = StatementReviewForm


class StatementSignoffView(StatementTaskView):
    form_class = StatementSignoffForm
