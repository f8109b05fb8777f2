/**
 * JUnit 5 support that runs real nsqd, nsqlookupd, Redis and PostgreSQL processes for tests.
 */
@NullMarked
package io.github.nsqspring.test;

import org.jspecify.annotations.NullMarked;
