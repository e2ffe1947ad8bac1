package dev.pmux.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Prints the one line of line and branch coverage that the build shows after verify, read from
 * JaCoCo's CSV report.
 */
public final class CoverageSummary {
  // Columns of JaCoCo's CSV: GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,
  // BRANCH_MISSED,BRANCH_COVERED,LINE_MISSED,LINE_COVERED,...
  private static final int BRANCH_MISSED = 5;
  private static final int LINE_MISSED = 7;

  private CoverageSummary() {}

  public static void main(String[] args) throws IOException {
    Path csv = Path.of(args[0]);
    System.out.println(
        Files.exists(csv)
            ? summary(Files.readAllLines(csv, StandardCharsets.UTF_8))
            : "coverage: no JaCoCo report at " + csv + " (no tests ran)");
  }

  /** The summary of a whole CSV report, header line included. */
  static String summary(List<String> csvLines) {
    long[] lines = new long[2];
    long[] branches = new long[2];
    for (String row : csvLines.subList(Math.min(1, csvLines.size()), csvLines.size())) {
      String[] cells = row.split(",", -1);
      branches[0] += Long.parseLong(cells[BRANCH_MISSED]);
      branches[1] += Long.parseLong(cells[BRANCH_MISSED + 1]);
      lines[0] += Long.parseLong(cells[LINE_MISSED]);
      lines[1] += Long.parseLong(cells[LINE_MISSED + 1]);
    }
    return "coverage (unit tests and ITs): lines "
        + percent(lines)
        + ", branches "
        + percent(branches);
  }

  private static String percent(long[] missedCovered) {
    long total = missedCovered[0] + missedCovered[1];
    return total == 0
        ? "none"
        : String.format(
            Locale.ROOT,
            "%.1f%% (%d of %d)",
            100.0 * missedCovered[1] / total,
            missedCovered[1],
            total);
  }
}
