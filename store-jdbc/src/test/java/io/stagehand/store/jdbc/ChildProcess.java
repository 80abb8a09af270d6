package io.stagehand.store.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running one of the multi-process tests' main classes, seen from the parent: its
 * standard output read line by line on a thread of its own (the line protocol the tests wait on),
 * its standard error kept in a log file for failure messages, and its standard input open for
 * commands. Closing it kills the child if it still runs, so a failing test leaves no process behind.
 */
final class ChildProcess implements AutoCloseable {
  /** Ends the queue of lines when the child's output ends; compared by identity, so no line can pass for it. */
  private static final String EOF = new String("<eof>");

  private final String name;
  private final Process process;
  private final Path stderr;
  private final Writer stdin;
  private final Thread reader;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final List<String> lines = new ArrayList<>();

  private ChildProcess(String name, Process process, Path stderr) {
    this.name = name;
    this.process = process;
    this.stderr = stderr;
    this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.reader = new Thread(this::readOutput, "child-output-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code main} in a new JVM with the test class path (surefire hands the real one over in
   * {@code surefire.test.class.path}; its own {@code java.class.path} is a manifest-only jar).
   */
  static ChildProcess start(String name, Class<?> main, Path logDir, List<String> args) {
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null || classPath.isBlank()) {
      classPath = System.getProperty("java.class.path");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // a short-lived child on a 2-core machine: start fast rather than run fast
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx256m",
        "-cp", classPath, main.getName()));
    command.addAll(args);
    Path log = logDir.resolve(name + ".stderr.log");
    try {
      Files.createDirectories(logDir);
      Process p = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
          .start();
      return new ChildProcess(name, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the child " + name, e);
    }
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (lines) {
          lines.add(line);
        }
        queue.add(line);
      }
    } catch (IOException e) {
      // the child died mid-line or the stream was closed by close(); the lines so far stand
    } finally {
      queue.add(EOF);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Waits for the next output line that matches and returns it; lines before it are skipped (but
   * stay in {@link #lines()}). Fails if the child's output ends first or the time runs out.
   */
  String await(Predicate<String> matches, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError(name + " did not print " + what + " within " + timeout + diagnostics());
        }
        if (line == EOF) {
          queue.add(EOF); // later waits see the end too
          throw new AssertionError(name + " ended before it printed " + what + diagnostics());
        }
        if (matches.test(line)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name, e);
    }
  }

  /** Waits for the next line that starts with {@code prefix}. */
  String await(String prefix, Duration timeout) {
    return await(l -> l.startsWith(prefix), "a line starting with \"" + prefix + "\"", timeout);
  }

  /** Sends one line to the child's standard input. */
  void send(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write to " + name + diagnostics(), e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the child with SIGKILL if it is still running and waits until it is gone and its output
   * read; returns whether it was still running. The wait matters: SIGKILL is delivered
   * asynchronously, and until the process is gone it still holds its connections and file locks, so
   * what the test checks next could race with a child that is still writing.
   */
  boolean kill() {
    boolean alive = process.isAlive();
    process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
    awaitExit(Duration.ofSeconds(10));
    return alive;
  }

  /** Waits for the child to end and for its output to be read to the end; returns its exit code. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " did not end within " + timeout + diagnostics());
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name, e);
    }
  }

  /** Every line the child printed so far. */
  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The child's output and the end of its error log, for failure messages. */
  String diagnostics() {
    String log;
    try {
      List<String> all = Files.exists(stderr) ? Files.readAllLines(stderr) : List.of();
      log = String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    } catch (IOException | UncheckedIOException e) {
      log = "(could not read " + stderr + ": " + e + ")";
    }
    return "\n--- " + name + " stdout:\n" + String.join("\n", lines()) + "\n--- " + name + " stderr (end of "
        + stderr + "):\n" + log;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      stdin.close();
    } catch (IOException ignored) {
      // the child is gone; its stdin pipe with it
    }
  }
}
