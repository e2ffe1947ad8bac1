package dev.pmux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoverageSummaryTest {
  private static final String HEADER =
      "GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,BRANCH_COVERED,"
          + "LINE_MISSED,LINE_COVERED,COMPLEXITY_MISSED,COMPLEXITY_COVERED,METHOD_MISSED,"
          + "METHOD_COVERED";

  @Test
  void sumsLinesAndBranchesOverEveryClass() {
    assertThat(
            CoverageSummary.summary(
                List.of(
                    HEADER,
                    "pmux,dev.pmux.config,Signal,10,90,1,3,2,18,1,9,0,5",
                    "pmux,dev.pmux.cli,Ctl,50,50,5,1,20,20,5,5,2,3")))
        .isEqualTo(
            "coverage (unit tests and ITs): lines 63.3% (38 of 60), branches 40.0% (4 of 10)");
  }

  @Test
  void saysNoneWhenThereIsNothingToCount() {
    assertThat(CoverageSummary.summary(List.of(HEADER)))
        .isEqualTo("coverage (unit tests and ITs): lines none, branches none");
  }
}
