package io.stagehand.store.api;

import io.stagehand.core.spi.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Finds scenario files and turns each into a JUnit dynamic test. By default it plays the project's
 * own files (packaged under {@code io/stagehand/scenarios/}); {@code -Dstagehand.scenarios=<folder>}
 * plays every {@code *.scenario} file in that folder instead, and {@code -Dstagehand.rewrite=true}
 * writes each file's actual output back as its expected output.
 */
public final class ScenarioFiles {
  /** The classpath folder of the built-in scenario files. */
  public static final String RESOURCE_FOLDER = "io/stagehand/scenarios";

  private ScenarioFiles() {}

  /** One dynamic test per scenario file, each played on a fresh store. */
  public static Stream<DynamicTest> tests(Supplier<Store> fresh) {
    boolean rewrite = Boolean.parseBoolean(System.getProperty("stagehand.rewrite", "false"));
    List<Path> files = files();
    if (files.isEmpty()) {
      throw new IllegalStateException("no *.scenario files found in " + describeSource());
    }
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(),
        () -> playFile(file, fresh.get(), rewrite)));
  }

  private static void playFile(Path file, Store store, boolean rewrite) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Scenario scenario = Scenario.parse(file.getFileName().toString(), text);
    ScenarioRunner.Result result = new ScenarioRunner(store).play(scenario);
    if (rewrite) {
      Path target = sourceOf(file).orElse(file);
      if (!result.passed()) {
        Files.writeString(target, scenario.render(result.outputs()), StandardCharsets.UTF_8);
      }
      return;
    }
    if (!result.passed()) {
      throw new AssertionError(result.mismatches().size() + " case(s) differ in " + file + ":\n"
          + String.join("\n", result.mismatches())
          + "\n(run with -Dstagehand.rewrite=true to accept the actual output)");
    }
  }

  static String describeSource() {
    String folder = System.getProperty("stagehand.scenarios", "");
    return folder.isBlank() ? "the classpath folder " + RESOURCE_FOLDER : "folder " + folder;
  }

  /** The scenario files to play, sorted by name. */
  public static List<Path> files() {
    String folder = System.getProperty("stagehand.scenarios", "");
    Path dir = folder.isBlank() ? builtInFolder() : resolve(folder);
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".scenario")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list scenario files in " + dir, e);
    }
  }

  private static Path resolve(String folder) {
    Path p = Paths.get(folder);
    if (p.isAbsolute()) {
      return requireDir(p, folder);
    }
    // Surefire runs in the module folder; let a path relative to the project top work as well.
    for (Path at = Paths.get("").toAbsolutePath(); at != null; at = at.getParent()) {
      Path candidate = at.resolve(folder);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return requireDir(p.toAbsolutePath(), folder);
  }

  private static Path requireDir(Path p, String given) {
    if (!Files.isDirectory(p)) {
      throw new IllegalArgumentException("-Dstagehand.scenarios=" + given + ": no such folder (" + p + ")");
    }
    return p;
  }

  private static Path builtInFolder() {
    URL url = ScenarioFiles.class.getClassLoader().getResource(RESOURCE_FOLDER);
    if (url == null) {
      throw new IllegalStateException("the built-in scenario folder " + RESOURCE_FOLDER + " is missing");
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        return fs.getPath(RESOURCE_FOLDER);
      }
      return Paths.get(uri);
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot open the built-in scenario folder " + url, e);
    }
  }

  /**
   * For a built-in file, the source file it was copied from (so that a rewrite lands in the source
   * tree); empty when it cannot be found.
   */
  private static Optional<Path> sourceOf(Path file) {
    if (!System.getProperty("stagehand.scenarios", "").isBlank()) {
      return Optional.empty();
    }
    List<Path> candidates = new ArrayList<>();
    for (Path at = Paths.get("").toAbsolutePath(); at != null; at = at.getParent()) {
      candidates.add(at.resolve("store-api/src/main/resources").resolve(RESOURCE_FOLDER)
          .resolve(file.getFileName().toString()));
    }
    return candidates.stream().filter(Files::isRegularFile).findFirst();
  }
}
