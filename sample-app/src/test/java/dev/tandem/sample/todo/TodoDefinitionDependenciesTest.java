package dev.tandem.sample.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.AppDefinition;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server loads the todo definition with only tandem-app-definition beside it, so everything in
 * {@code dev.tandem.sample.todo} but the launcher must depend on nothing else: no sdk-core, no
 * Swing, no RxJava, not the sample's UI.
 */
class TodoDefinitionDependenciesTest {
  static final Path CLASSES = Paths.get("target/classes/dev/tandem/sample/todo");

  @Test
  void theDefinitionLoadsWithOnlyAppDefinitionOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    urls.add(Paths.get("target/classes").toUri().toURL());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      // app-definition, and what it depends on: protocol, Moshi, Okio (and Kotlin's stdlib).
      if (entry.matches(".*(app-definition|tandem-protocol|/protocol/|moshi|okio|kotlin).*")) {
        urls.add(Paths.get(entry).toUri().toURL());
      }
    }
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThrowsClassNotFound(loader, "dev.tandem.Tandem"); // sdk-core is really absent
      for (String name : definitionClasses()) Class.forName(name, true, loader);
      Object app =
          loader.loadClass("dev.tandem.sample.todo.TodoApp").getConstructor().newInstance();
      Class<?> definition = loader.loadClass(AppDefinition.class.getName());
      assertTrue(definition.isInstance(app));
      Object mutators = definition.getMethod("mutators").invoke(app);
      assertEquals(
          "[createList, createTodo, toggleTodo, renameTodo, deleteTodo]",
          mutators.getClass().getMethod("names").invoke(mutators).toString());
    }
  }

  @Test
  void theDefinitionReferencesNoClientOrUiClass() throws IOException {
    Pattern reference =
        Pattern.compile("L?(dev/tandem/[A-Za-z0-9_/$]+|javax/swing|java/awt|io/reactivex)");
    TreeSet<String> forbidden = new TreeSet<>();
    for (String name : definitionClasses()) {
      Path file = Paths.get("target/classes", name.replace('.', '/') + ".class");
      String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      Matcher m = reference.matcher(constants);
      while (m.find()) {
        String type = m.group(1);
        boolean shared =
            type.startsWith("dev/tandem/sample/todo/") && !type.contains("/ui/")
                || isAppDefinitionType(type);
        if (!shared) forbidden.add(name + " -> " + type);
      }
    }
    assertTrue(forbidden.isEmpty(), "the definition reaches beyond app-definition: " + forbidden);
  }

  /** The classes of the definition package, the launcher left out. */
  static List<String> definitionClasses() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(CLASSES)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".class") && !f.startsWith("TodoMain"))
          .filter(f -> !f.equals("package-info.class"))
          .forEach(f -> names.add("dev.tandem.sample.todo." + f.replace(".class", "")));
    }
    assertFalse(names.isEmpty(), "no classes in " + CLASSES.toAbsolutePath());
    return names;
  }

  static boolean isAppDefinitionType(String internalName) {
    if (internalName.startsWith("dev/tandem/sample/")) return false;
    String outer = internalName.replaceAll("\\$.*", "");
    return AppDefinition.class.getClassLoader().getResource(outer + ".class") != null
        && AppDefinition.class
            .getProtectionDomain()
            .getCodeSource()
            .getLocation()
            .equals(codeSourceOf(outer));
  }

  private static URL codeSourceOf(String internalName) {
    try {
      return Class.forName(
              internalName.replace('/', '.'), false, AppDefinition.class.getClassLoader())
          .getProtectionDomain()
          .getCodeSource()
          .getLocation();
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static void assertThrowsClassNotFound(ClassLoader loader, String name) {
    try {
      loader.loadClass(name);
    } catch (ClassNotFoundException expected) {
      return;
    }
    throw new AssertionError(name + " should not be loadable without sdk-core");
  }
}
