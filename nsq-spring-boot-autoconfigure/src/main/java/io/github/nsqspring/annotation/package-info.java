/**
 * Annotation-driven listeners: {@link io.github.nsqspring.annotation.NsqListener} and the post-processor that registers its containers.
 */
@NullMarked
package io.github.nsqspring.annotation;

import org.jspecify.annotations.NullMarked;
