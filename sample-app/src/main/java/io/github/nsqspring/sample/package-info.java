/**
 * A runnable application that publishes and consumes orders through the NSQ starter.
 */
@NullMarked
package io.github.nsqspring.sample;

import org.jspecify.annotations.NullMarked;
