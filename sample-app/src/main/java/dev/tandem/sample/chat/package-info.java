/** The sample chat app. Not built yet. */
package dev.tandem.sample.chat;
