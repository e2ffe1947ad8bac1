package dev.pmux.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Program names as file names: plain ones unchanged, everything else escaped, never merged. */
class FileNameLookupTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "web|web",
        "my_worker-2.v1|my_worker-2.v1",
        "api/v1|api~2fv1",
        "50%|50~25",
        "${env:HOME}|~24~7benv~3aHOME~7d",
        "a b|a~20b",
        "a~20b|a~7e20b",
        ".hidden|~2ehidden",
        "..|~2e.",
        "caf\u00e9|caf~c3~a9"
      })
  void namesBecomeSafeFileNames(String name, String file) {
    assertEquals(file, FileNameLookup.safe(name));
  }
}
