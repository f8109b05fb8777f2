/**
 * Durable delayed messages: scheduled in Redis and published to NSQ when due.
 */
@NullMarked
package io.github.nsqspring.delay;

import org.jspecify.annotations.NullMarked;
