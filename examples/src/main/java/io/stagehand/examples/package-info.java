/** Runnable examples of embedding Stagehand; {@link io.stagehand.examples.KeystoneMove} is the first. */
package io.stagehand.examples;
