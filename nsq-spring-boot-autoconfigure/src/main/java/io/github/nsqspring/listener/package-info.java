/**
 * Listener containers: consume a topic/channel, dispatch to handler threads and drain on stop.
 */
@NullMarked
package io.github.nsqspring.listener;

import org.jspecify.annotations.NullMarked;
