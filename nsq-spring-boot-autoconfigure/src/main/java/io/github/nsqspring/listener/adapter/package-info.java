/**
 * Adapts {@code @NsqListener} methods to listeners through spring-messaging's handler method infrastructure.
 */
@NullMarked
package io.github.nsqspring.listener.adapter;

import org.jspecify.annotations.NullMarked;
