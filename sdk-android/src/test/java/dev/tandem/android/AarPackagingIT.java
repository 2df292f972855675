package dev.tandem.android;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** What `mvn package` built: the AAR's entries and the POM that `mvn install` puts beside it. */
class AarPackagingIT {
  private static final File TARGET = new File("target");

  private static File aar() {
    File[] aars = TARGET.listFiles((dir, name) -> name.endsWith(".aar"));
    assertNotNull(aars);
    assertEquals(1, aars.length, "one AAR in target/");
    return aars[0];
  }

  private static String text(ZipFile zip, String name) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    assertNotNull(entry, name + " is in the AAR");
    try (InputStream in = zip.getInputStream(entry)) {
      return new String(readAll(in), StandardCharsets.UTF_8);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) != -1; ) out.write(buffer, 0, n);
    return out.toByteArray();
  }

  @Test
  void theAarHasAManifestClassesRTxtAndConsumerRules() throws IOException {
    try (ZipFile zip = new ZipFile(aar())) {
      String manifest = text(zip, "AndroidManifest.xml");
      assertTrue(manifest.contains("android:minSdkVersion=\"21\""), manifest);
      assertTrue(manifest.contains("android.permission.INTERNET"), manifest);
      assertTrue(manifest.contains("android.permission.ACCESS_NETWORK_STATE"), manifest);
      assertTrue(manifest.contains("package=\"dev.tandem.android\""), manifest);
      assertNotNull(zip.getEntry("R.txt"));

      String rules = text(zip, "proguard.txt");
      assertTrue(rules.contains("-keep @dev.tandem.Synced class *"), rules);
      assertTrue(rules.contains("-dontwarn org.sqlite.**"), rules);

      boolean entryPoint = false;
      boolean driver = false;
      try (ZipInputStream classes =
          new ZipInputStream(
              new ByteArrayInputStream(readAll(zip.getInputStream(zip.getEntry("classes.jar")))))) {
        for (ZipEntry entry; (entry = classes.getNextEntry()) != null; ) {
          entryPoint |= entry.getName().equals("dev/tandem/android/TandemAndroid.class");
          driver |= entry.getName().equals("dev/tandem/android/internal/AndroidSqlDriver.class");
          assertFalse(entry.getName().startsWith("org/sqlite/"), entry.getName());
        }
      }
      assertTrue(entryPoint && driver, "classes.jar holds the Android classes");
    }
  }

  @Test
  void thePomInstalledWithTheAarDeclaresItAndKeepsSqliteJdbcOut() throws IOException {
    String pom =
        new String(
            Files.readAllBytes(new File(TARGET, "aar-pom.xml").toPath()), StandardCharsets.UTF_8);
    assertTrue(pom.contains("<packaging>aar</packaging>"), pom);
    assertTrue(pom.contains("<artifactId>tandem-sdk-android</artifactId>"), pom);
    assertFalse(pom.contains("${"), "every property was filled in:\n" + pom);
    assertTrue(pom.contains("<artifactId>tandem-sdk-core</artifactId>"), pom);
    // sqlite-jdbc appears only as an exclusion.
    String withoutExclusions = pom.replaceAll("(?s)<exclusions>.*?</exclusions>", "");
    assertFalse(withoutExclusions.contains("sqlite-jdbc"), pom);
  }
}
