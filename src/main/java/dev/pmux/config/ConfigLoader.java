package dev.pmux.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads {@code pmux.yml} into a validated {@link PmuxConfig}. Every failure, from a missing file to
 * a bad duration, is a {@link ConfigException} whose lines a user can act on; nothing is started
 * from a config that has one.
 */
public final class ConfigLoader {
  // Reading stops here, so that pointing -c at a huge file fails fast instead of filling the heap.
  private static final long MAX_FILE_BYTES = 4L * VerbatimYamlConfiguration.MAX_CODE_POINTS;

  private ConfigLoader() {}

  /** Reads, parses and validates the file (UTF-8). */
  public static PmuxConfig load(Path file) throws ConfigException {
    Objects.requireNonNull(file, "file");
    return parse(read(file), file);
  }

  /**
   * Parses and validates YAML text.
   *
   * @param source the file the text came from; it names the file in messages and becomes {@link
   *     PmuxConfig#source}
   */
  public static PmuxConfig parse(String yamlText, Path source) throws ConfigException {
    Objects.requireNonNull(yamlText, "yamlText");
    Objects.requireNonNull(source, "source");
    VerbatimYamlConfiguration yaml = new VerbatimYamlConfiguration();
    try {
      yaml.read(new StringReader(yamlText));
    } catch (ConfigurationException e) {
      throw new ConfigException(source, yamlProblem(source, e), e);
    }
    return ConfigReader.read(yaml.getNodeModel().getNodeHandler().getRootNode(), source);
  }

  private static String read(Path file) throws ConfigException {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigException(file, file + ": is a directory, expected a YAML file", null);
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new ConfigException(
            file,
            file
                + ": too large ("
                + Files.size(file)
                + " bytes), a config is at most "
                + MAX_FILE_BYTES
                + " bytes",
            null);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file, file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(file, file + ": permission denied", e);
    } catch (IOException e) {
      throw new ConfigException(file, file + ": cannot read: " + e.getMessage(), e);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(in)
          .toString();
    } catch (CharacterCodingException e) {
      // The decoder stops at the first bad byte.
      throw new ConfigException(
          file, file + ": not valid UTF-8 (first bad byte at offset " + in.position() + ")", e);
    }
  }

  /**
   * One line for a file that is not YAML or not a mapping: {@code file:line:column: problem} when
   * known.
   */
  private static String yamlProblem(Path source, ConfigurationException e) {
    if (e instanceof VerbatimYamlConfiguration.ShapeException) {
      return source + ": " + e.getMessage();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException marked) {
        Mark mark =
            marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
        String problem = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
        StringBuilder b = new StringBuilder().append(source);
        if (mark != null) {
          b.append(':').append(mark.getLine() + 1).append(':').append(mark.getColumn() + 1);
        }
        b.append(": ").append(problem);
        Mark context = marked.getContextMark();
        if (marked.getContext() != null && context != null && marked.getProblem() != null) {
          b.append(" (")
              .append(marked.getContext())
              .append(" at line ")
              .append(context.getLine() + 1)
              .append(", column ")
              .append(context.getColumn() + 1)
              .append(')');
        }
        return b.toString();
      }
    }
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return source + ": " + cause.getMessage();
  }
}
