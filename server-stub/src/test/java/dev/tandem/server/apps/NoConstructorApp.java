package dev.tandem.server.apps;

import dev.tandem.AppDefinition;
import dev.tandem.Mutators;
import dev.tandem.Schema;

/** An app the standalone server cannot create: it has no public no-argument constructor. */
public final class NoConstructorApp implements AppDefinition {
  public NoConstructorApp(String name) {}

  @Override
  public Schema schema() {
    return TodoTestApp.SCHEMA;
  }

  @Override
  public Mutators mutators() {
    return TodoTestApp.MUTATORS;
  }
}
