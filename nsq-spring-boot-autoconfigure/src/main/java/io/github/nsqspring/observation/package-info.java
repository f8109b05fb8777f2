/**
 * Micrometer observations {@code nsq.listener} and {@code nsq.template}, their contexts and conventions.
 */
@NullMarked
package io.github.nsqspring.observation;

import org.jspecify.annotations.NullMarked;
