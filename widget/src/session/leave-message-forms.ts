// Each session's leave-a-message form, owned by the session layer so the text a visitor
// typed survives the offline view being re-mounted. Created on first use; the view
// (ui/LeaveMessageForm.tsx) only renders it.
import { LeaveMessageForm } from './leave-message.ts';
import type { SessionController } from './session-controller.ts';

const forms = new WeakMap<SessionController, LeaveMessageForm>();

/** The controller's leave-a-message form (created on first use, posting to its token service). */
export function leaveMessageFormFor(controller: SessionController): LeaveMessageForm {
  let form = forms.get(controller);
  if (!form) {
    form = new LeaveMessageForm({
      // Offline messages need the token service: never offered with the hosted source (offlineMode is closedMessage).
      tokenUrl: controller.config.tokenUrl ?? '',
      context: () => {
        const pageUrl = controller.hostPageUrl;
        return { locale: controller.state.locale, ...(pageUrl !== undefined ? { pageUrl } : {}) };
      },
    });
    forms.set(controller, form);
  }
  return form;
}

/** Uses `form` for `controller` from now on (tests: a form with a scripted fetch). */
export function attachLeaveMessageForm(controller: SessionController, form: LeaveMessageForm): void {
  forms.set(controller, form);
}
