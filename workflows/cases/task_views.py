"""The case flow's task pages (the four human steps); viewflow runs them from `flows.py`."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from workflows import timeline
from workflows.engine.forms import SignoffForm
from workflows.engine.task_views import FlowTaskView, apply_error
from workflows.rules import deadlines

from . import issue, steps
from .forms import DraftForm, ReviewForm, TriageForm
from .models import Case


class CaseTaskView(FlowTaskView):
    """The four human steps of a case (the engine performs them)."""

    template_name = "workflows/case/task.html"
    done_message = gettext_lazy("Đã xử lý hồ sơ %(r)s.")

    @property
    def case(self) -> Case:
        return self.artifact

    def artifact_context(self) -> dict:
        case = self.case
        ctx = {
            "case": case,
            "attachments": case.attachments.all(),
            "timeline": timeline.case_timeline(case, public=False, names=True),
        }
        if self.request.activation.flow_task.name in ("review", "signoff"):
            # The document the sign-off will issue (same text and template, unnumbered).
            ctx["draft_pdf_url"] = reverse("workflows:case-draft-pdf", args=[case.pk])
            ctx["draft_png_url"] = reverse("workflows:case-draft-png", args=[case.pk])
            ctx["recipients"] = issue.case_recipients(case)
        return ctx


class TriageView(CaseTaskView):
    form_class = TriageForm

    def extra_form_kwargs(self):
        return {"case": self.case}


class DraftView(CaseTaskView):
    form_class = DraftForm

    def get_initial(self):
        return {
            "answer": self.case.answer or steps.answer_template(self.case),
            "action": "submit",
        }

    def form_valid(self, form):
        if form.cleaned_data["action"] == "save":
            try:
                steps.case_draft_save(
                    case=self.case,
                    by=self.request.user,
                    answer=form.cleaned_data["answer"],
                )
            except DomainError as exc:
                apply_error(form, exc)
                return self.form_invalid(form)
            messages.success(self.request, _("Đã lưu bản nháp."))
            return redirect(self.request.get_full_path())
        return super().form_valid(form)


class ReviewView(CaseTaskView):
    form_class = ReviewForm

    def extra_form_kwargs(self):
        return {"grounds": deadlines.refusal_grounds_for(self.case.received_at)}


class SignoffView(CaseTaskView):
    form_class = SignoffForm
