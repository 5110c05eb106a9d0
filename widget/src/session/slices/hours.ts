// Business hours: open or closed now, the next opening, and a timer that moves
// the start view between the form and offline when the hours change.
import { isOpen, nextClosing, nextOpening } from '../business-hours.ts';
import type { Session } from './session.ts';

/** Longest wait between business-hours checks (timers drift while devices sleep). */
const maxHoursCheckMs = 15 * 60_000;

export interface HoursSlice {
  businessOpen(): boolean;
  /** Epoch ms of the next opening while closed, else null. */
  nextOpeningTime(): number | null;
  /** Re-evaluates business hours (on a timer; also callable when the page becomes visible). */
  checkBusinessHours(): void;
  scheduleHoursCheck(): void;
  stopHoursCheck(): void;
}

export function createHoursSlice(s: Session): HoursSlice {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return {
    businessOpen() {
      const hours = s.options.businessHours;
      if (!hours) return true;
      try {
        return isOpen(hours, s.now());
      } catch {
        return true; // A broken schedule must not lock visitors out.
      }
    },

    nextOpeningTime() {
      const hours = s.options.businessHours;
      if (!hours || s.businessOpen()) return null;
      try {
        return nextOpening(hours, s.now());
      } catch {
        return null;
      }
    },

    checkBusinessHours() {
      s.dispatch({ type: 'hoursChanged', businessOpen: s.businessOpen() });
      s.set({ nextOpening: s.nextOpeningTime() });
      s.scheduleHoursCheck();
    },

    scheduleHoursCheck() {
      stop();
      const hours = s.options.businessHours;
      if (!hours) return;
      let next: number | null;
      try {
        next = s.businessOpen() ? nextClosing(hours, s.now()) : nextOpening(hours, s.now());
      } catch {
        return;
      }
      const delay = next === null ? maxHoursCheckMs : Math.min(Math.max(next - s.now(), 1_000), maxHoursCheckMs);
      timer = setTimeout(() => s.checkBusinessHours(), delay);
    },

    stopHoursCheck: stop,
  };
}
