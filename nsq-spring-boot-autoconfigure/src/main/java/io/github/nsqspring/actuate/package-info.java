/**
 * Actuator support: the NSQ health indicator, the {@code nsq} endpoint and the NSQ meters.
 */
@NullMarked
package io.github.nsqspring.actuate;

import org.jspecify.annotations.NullMarked;
