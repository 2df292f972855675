package dev.tandem;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class that Tandem maps to and from JSON through Moshi's reflection: mutator args, values
 * read with {@code tx.get(key, Type.class)}, rows mapped with {@code query(q, Type.class)}. On
 * Android the AAR's R8 rules keep the fields and no-argument constructor of every class that
 * carries it, so a shrunk app still reads and writes the same JSON. It changes nothing on the JVM.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Synced {}
