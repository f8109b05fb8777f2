/**
 * Spring Boot auto-configuration of the NSQ template, listener containers, delays, archive and actuator support.
 */
@NullMarked
package io.github.nsqspring.autoconfigure;

import org.jspecify.annotations.NullMarked;
