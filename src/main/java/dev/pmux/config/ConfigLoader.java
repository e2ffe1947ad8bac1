package dev.pmux.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
  // Reading stops here, so that pointing -c at a huge file fails fast instead of filling the heap;
  // a config of a thousand programs is about 100 KiB.
  static final int MAX_FILE_BYTES = 1024 * 1024;

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
    return ConfigReader.read(
        yaml.getNodeModel().getNodeHandler().getRootNode(), yaml.anchorKeys(), source);
  }

  private static String read(Path file) throws ConfigException {
    byte[] bytes;
    try {
      // Checked before opening: opening a FIFO blocks until a writer comes, and a device such as
      // /dev/zero never ends. Links are followed, so a link to a device is refused too.
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        throw new ConfigException(file, file + ": is a directory, expected a YAML file", null);
      }
      if (!attributes.isRegularFile()) {
        throw new ConfigException(
            file, file + ": not a regular file but " + kind(file) + ", expected a YAML file", null);
      }
      if (attributes.size() > MAX_FILE_BYTES) {
        throw tooLarge(file, attributes.size() + " bytes");
      }
      try (InputStream in = Files.newInputStream(file)) {
        // The file may have grown since: never read more than the limit allows.
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_FILE_BYTES) {
        throw tooLarge(file, "more than " + MAX_FILE_BYTES + " bytes");
      }
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

  private static ConfigException tooLarge(Path file, String size) {
    return new ConfigException(
        file,
        file
            + ": too large ("
            + size
            + "), a config is at most 1 MiB ("
            + MAX_FILE_BYTES
            + " bytes)",
        null);
  }

  /** What a file that is not a regular file is, for the message: its type and where links lead. */
  private static String kind(Path file) {
    String kind = "a special file";
    try {
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      kind =
          switch (type) {
            case 0010000 -> "a FIFO";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> kind;
          };
      Path real = file.toRealPath();
      if (!real.equals(file.toAbsolutePath().normalize())) {
        kind += " (" + real + ")";
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // The generic words will do.
    }
    return kind;
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
