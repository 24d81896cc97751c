package io.kfpci.problem;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" suggestions for misspelt names (fields, parameters, tasks). */
public final class Suggestions {
  /** Names longer than this get no suggestion, which keeps the quadratic edit distance bounded. */
  private static final int MAX_NAME_LENGTH = 256;
  private static final int MAX_CANDIDATES = 1000;

  private Suggestions() {}

  /**
   * The candidate closest to {@code wrong} by edit distance, when it is close enough to be a likely
   * typo: at most a third of the name's length, and at least 2 edits are always allowed. A
   * candidate that differs only by case or by '_' versus camelCase also matches.
   */
  public static Optional<String> closest(String wrong, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    if (wrong.length() > MAX_NAME_LENGTH || candidates.size() > MAX_CANDIDATES) {
      // No typo of a real name is that long, and no one reads a guess among thousands; both keep
      // the quadratic edit distance, asked once per wrong name, from growing with the file.
      return Optional.empty();
    }
    int allowed = Math.max(2, wrong.length() / 3);
    String normalizedWrong = normalize(wrong);
    for (String candidate : candidates) {
      if (Math.abs(candidate.length() - wrong.length()) > allowed && !normalize(candidate).equals(normalizedWrong)) {
        continue; // the length difference alone is more edits than allowed
      }
      int distance =
          normalize(candidate).equals(normalizedWrong) ? 0 : levenshtein(wrong, candidate);
      if (distance < bestDistance || (distance == bestDistance && best != null && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** " (did you mean 'x'?)" or an empty string. */
  public static String didYouMean(String wrong, Collection<String> candidates) {
    return closest(wrong, candidates).map(s -> "did you mean '" + s + "'?").orElse("");
  }

  private static String normalize(String s) {
    return s.replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
  }

  static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
