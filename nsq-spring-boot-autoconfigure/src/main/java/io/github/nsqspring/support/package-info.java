/**
 * Small shared helpers: NSQ names and headers, range checks, ids and the library version.
 */
@NullMarked
package io.github.nsqspring.support;

import org.jspecify.annotations.NullMarked;
