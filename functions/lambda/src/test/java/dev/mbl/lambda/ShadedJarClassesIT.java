package dev.mbl.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The shade filters' guard for code paths no test runs: every class reachable in the shaded jar's
 * class graph (by jdeps) from the three handlers and from the service providers the jar declares
 * must be in the jar. The SDK's optional CRT classes are the only references allowed to miss: the
 * SDK looks for them and falls back when absent, in the unshaded build as well.
 */
class ShadedJarClassesIT {
  private static final List<String> HANDLERS = List.of("dev.mbl.lambda.MicrobatchLoaderHandler",
      "dev.mbl.lambda.NextLoaderHandler", "dev.mbl.lambda.BulkLoaderHandler");
  private static final String OPTIONAL = "software.amazon.awssdk.crt.";
  /** {@code   a.B -> c.D   where}: where is the jar's file name, a JDK module or "not found". */
  private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+(\\S+)");

  @Test
  void shadedJar_classesReachableFromTheHandlers_areAllInTheJar() throws IOException {
    Path jar = ShadedJarIT.shadedJar();
    Map<String, Set<String>> edges = new HashMap<>();
    for (String line : jdeps(jar).split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find() && !m.group(3).startsWith("java.") && !m.group(3).startsWith("jdk.")) {
        edges.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
      }
    }
    Set<String> inJar = classesIn(jar);
    Deque<String> todo = new ArrayDeque<>(HANDLERS);
    todo.addAll(serviceProviders(jar));
    assertThat(inJar).containsAll(todo);
    Set<String> seen = new HashSet<>(todo);
    Set<String> missing = new TreeSet<>();
    while (!todo.isEmpty()) {
      for (String target : edges.getOrDefault(todo.pop(), Set.of())) {
        if (!inJar.contains(target)) {
          missing.add(target);
        } else if (seen.add(target)) {
          todo.push(target);
        }
      }
    }
    missing.removeIf(c -> c.startsWith(OPTIONAL));
    assertThat(seen).as("classes reached").hasSizeGreaterThan(1000);
    assertThat(missing).as("classes the handlers can reach that the shade filters removed").isEmpty();
  }

  private static String jdeps(Path jar) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError(
        "jdeps is not in this JDK (" + System.getProperty("java.home") + "); run the build on a full JDK 17+"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), "-verbose:class", "-filter:none", "--multi-release",
        "17", jar.toString());
    assertThat(exit).as("jdeps exit; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Set<String> classesIn(Path jar) throws IOException {
    Set<String> classes = new HashSet<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      file.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .forEach(n -> classes.add(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
    }
    return classes;
  }

  /** Implementations named in META-INF/services: ServiceLoader finds them by name, not by reference. */
  private static Set<String> serviceProviders(Path jar) throws IOException {
    Set<String> providers = new HashSet<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : file.stream().filter(e -> e.getName().startsWith("META-INF/services/")
          && !e.isDirectory()).toList()) {
        try (InputStream in = file.getInputStream(entry)) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String name = line.replaceAll("#.*", "").trim();
            if (!name.isEmpty()) {
              providers.add(name);
            }
          }
        }
      }
    }
    return providers;
  }
}
