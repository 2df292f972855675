package dev.tandem.internal.db;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Code that runs on the JVM store only (sqlite-jdbc's, never on Android), so exempt from the
 * Android API 21 check (animal-sniffer, configured in this module's pom).
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
@interface JvmOnly {}
