/**
 * Application events of listener containers (started, stopped, idle, failed to start, nsqd connection lost
 * and restored) and the {@link io.github.nsqspring.listener.ContainerEvents} that publishes them.
 */
@NullMarked
package io.github.nsqspring.listener.event;

import org.jspecify.annotations.NullMarked;
