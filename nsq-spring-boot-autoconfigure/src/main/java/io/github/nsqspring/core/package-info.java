/**
 * The publishing side: {@link io.github.nsqspring.core.NsqTemplate}, its producer connections, messages and converters.
 */
@NullMarked
package io.github.nsqspring.core;

import org.jspecify.annotations.NullMarked;
