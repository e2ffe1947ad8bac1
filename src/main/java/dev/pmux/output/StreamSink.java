package dev.pmux.output;

/**
 * Where a program's prefixed lines go: the merged stream, a batch of whole lines per call, and the
 * count of pumps still reading, so that pmux can wait for the last lines before it exits.
 */
interface StreamSink {
  /** Writes whole lines in one go; never throws, so a broken output cannot stop supervision. */
  void write(Channel channel, byte[] bytes, int offset, int length);

  void pumpStarted();

  void pumpEnded();

  /** A stream has ended and its last lines are on their way to Log4j, which may be starting. */
  void deliveryStarted();

  void deliveryEnded();
}
