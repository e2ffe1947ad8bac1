package dev.pmux.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLocationTest {
  @TempDir Path cwd;

  private void createLocalPmuxYml() throws IOException {
    Files.writeString(cwd.resolve("pmux.yml"), "processes: []\n");
  }

  @Test
  void cliPath_winsOverEverything() throws IOException {
    createLocalPmuxYml();
    Map<String, String> env = Map.of("PMUX_CONF", "/etc/conf.yml", "PMUX_HOME", "/opt/pmux");
    assertEquals(cwd.resolve("my.yml"), ConfigLocation.resolve("my.yml", env, cwd));
    assertEquals(Path.of("/abs/x.yml"), ConfigLocation.resolve("/abs/x.yml", env, cwd));
  }

  @Test
  void pmuxConf_comesNext() throws IOException {
    createLocalPmuxYml();
    Map<String, String> env = Map.of("PMUX_CONF", "/etc/conf.yml", "PMUX_HOME", "/opt/pmux");
    assertEquals(Path.of("/etc/conf.yml"), ConfigLocation.resolve(null, env, cwd));
  }

  @Test
  void localPmuxYml_whenItExists() throws IOException {
    createLocalPmuxYml();
    assertEquals(
        cwd.resolve("pmux.yml"),
        ConfigLocation.resolve(null, Map.of("PMUX_HOME", "/opt/pmux"), cwd));
  }

  @Test
  void pmuxHome_whenThereIsNoLocalFile() {
    assertEquals(
        Path.of("/opt/pmux/conf/pmux.yml"),
        ConfigLocation.resolve(null, Map.of("PMUX_HOME", "/opt/pmux"), cwd));
  }

  @Test
  void nothingFound_fallsBackToLocalPathSoTheErrorNamesIt() {
    assertEquals(cwd.resolve("pmux.yml"), ConfigLocation.resolve(null, Map.of(), cwd));
  }

  @Test
  void emptyValues_countAsUnset() {
    assertEquals(
        cwd.resolve("pmux.yml"),
        ConfigLocation.resolve("", Map.of("PMUX_CONF", "", "PMUX_HOME", ""), cwd));
  }
}
