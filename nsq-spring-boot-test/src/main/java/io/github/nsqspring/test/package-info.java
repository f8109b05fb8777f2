/**
 * JUnit 5 support that runs real nsqd and nsqlookupd processes (and an nsqd auth server) for tests.
 */
@NullMarked
package io.github.nsqspring.test;

import org.jspecify.annotations.NullMarked;
