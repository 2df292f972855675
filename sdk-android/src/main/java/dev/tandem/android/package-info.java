/** Tandem on Android. Not built yet: the store on android.database.sqlite arrives later. */
package dev.tandem.android;
