package io.kfpci.schedule;

import java.util.Locale;

/** What {@link Schedules#reconcile} did to make the server match a declaration. */
public enum ScheduleAction {
  /** There was none of that name: one was created. */
  CREATED,
  /** One identical recurring run was there, in the declared state: nothing was done. */
  UNCHANGED,
  /** An identical, disabled one was enabled in place. */
  ENABLED,
  /** An identical, enabled one was disabled in place. */
  DISABLED,
  /**
   * One that differs (or several of that name) was deleted and created again: KFP cannot update
   * a recurring run.
   */
  REPLACED;

  /** The word front ends print and return: {@code created}, {@code unchanged}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a new recurring run (with a new id) was created. */
  public boolean createsRecurringRun() {
    return this == CREATED || this == REPLACED;
  }
}
