/**
 * The message archive: consumed messages written to a database table and read back.
 */
@NullMarked
package io.github.nsqspring.archive;

import org.jspecify.annotations.NullMarked;
