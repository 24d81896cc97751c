package io.kfpci.monitor;

import io.kfpci.report.RunSummary;
import java.util.List;
import java.util.Objects;

/**
 * The result of one poll.
 *
 * @param events what changed, in the order a reader should see it
 * @param state the state to persist once the events are handled
 * @param summary the run summary as last read, or null when the runner has not written one yet
 * @param moreLog true when run.log holds more than one poll reads: poll again without waiting
 */
public record WatchUpdate(List<RunEvent> events, WatchState state, RunSummary summary, boolean moreLog) {
  public WatchUpdate {
    events = List.copyOf(events);
    Objects.requireNonNull(state, "state");
  }

  /** The run is over and everything it logged has been reported. */
  public boolean finished() {
    return state.finished();
  }

  /** True when this poll saw progress, so the next one should come soon. */
  public boolean active() {
    return moreLog || !events.isEmpty();
  }
}
