/**
 * Tandem on Android: {@link dev.tandem.android.TandemAndroid} builds a {@link dev.tandem.Tandem} on
 * the platform's SQLite that follows connectivity and the app's lifecycle and delivers results on
 * the main thread.
 */
package dev.tandem.android;
